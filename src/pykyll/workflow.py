"""GitHub Actions workflows for a pykyll site: build on push, deploy to GitHub Pages.

`pages_workflow()` is `.github/workflows/pages.yml`, shaped like GitHub's own Jekyll
starter workflow for Pages (same permissions, concurrency, `configure-pages`,
`upload-pages-artifact` and `deploy-pages`), with pykyll in place of Ruby:

- pull requests are built and checked too (`pykyll build --strict`, `pykyll check`), so a
  broken link or an undefined Liquid variable shows up as an annotation on the pull
  request; only pushes to the branch (and manual runs) deploy;
- pip's cache is keyed on the workflow file itself, which pins pykyll's version, so a site
  repository needs no `requirements.txt` (setup-python's `cache: pip` fails without a
  dependency file to hash).

`scholar_workflow()` is optional (`.github/workflows/scholar.yml`): once a week it runs
`pykyll scholar update`, commits the refreshed JSON and starts the Pages workflow (a push
made with the workflow's own token does not start other workflows, a manual dispatch does).
"""

from __future__ import annotations

#: the Python that the workflows set up (pykyll needs 3.11 or later)
PYTHON = "3.12"

#: where `pykyll scholar update` keeps its JSON (AcadHomepage's layout)
SCHOLAR_DATA = "google-scholar-stats"

_ACTIONS = {
    "checkout": "actions/checkout@v4",
    "setup-python": "actions/setup-python@v5",
    "configure-pages": "actions/configure-pages@v5",
    "upload-pages-artifact": "actions/upload-pages-artifact@v3",
    "deploy-pages": "actions/deploy-pages@v4",
}


def _install_step(version: str, install: str | None) -> tuple[str, str]:
    """(the pip command, the file whose hash keys pip's cache)."""
    if install is not None:
        return f"pip install {install}", "pyproject.toml"
    return f"pip install pykyll=={version}", ".github/workflows/pages.yml"


def pages_workflow(
    version: str,
    *,
    branch: str = "main",
    install: str | None = None,
    python: str = PYTHON,
) -> str:
    """`.github/workflows/pages.yml`: build with `--strict`, check links, deploy to Pages.

    `version` pins `pip install pykyll==VERSION`; `install` replaces that requirement
    (`"."` installs pykyll from the checked-out repository, as pykyll's own repository
    does for its example site). `branch` is the branch that deploys.
    """
    pip, cache_key = _install_step(version, install)
    a = _ACTIONS
    if install is None:
        origin = f"# Written by `pykyll new` (pykyll {version})."
    else:
        origin = (
            f"# pykyll is installed with `{pip}`, not from PyPI: the site is built by the code\n"
            "# of the same commit, so a change to pykyll that breaks it fails here first."
        )
    return f"""\
# Build the site with pykyll and publish it with GitHub Pages.
{origin}
# Set Settings → Pages → Source to "GitHub Actions".
#
# Pull requests are built and checked but not deployed: `pykyll build --strict` fails on
# any warning (undefined Liquid variable, unknown filter, missing layout...) and
# `pykyll check` fails on links, anchors, images, scripts and stylesheets that lead
# nowhere; both annotate the offending file and line on the pull request.
name: Deploy site to Pages

on:
  push:
    branches: ["{branch}"]
  pull_request:
    branches: ["{branch}"]
  # lets you (and scholar.yml) run this workflow from the Actions tab
  workflow_dispatch:

# GITHUB_TOKEN may read the repository and deploy to Pages
permissions:
  contents: read
  pages: write
  id-token: write

# One deployment at a time: queue runs started meanwhile, but let a running one finish
# (GitHub's starter); a pull request's newer push cancels its own older check.
concurrency:
  group: ${{{{ github.event_name == 'pull_request' && github.ref || 'pages' }}}}
  cancel-in-progress: ${{{{ github.event_name == 'pull_request' }}}}

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Checkout
        uses: {a["checkout"]}
      - name: Set up Python
        uses: {a["setup-python"]}
        with:
          python-version: "{python}"
          cache: pip
          cache-dependency-path: {cache_key}
      - name: Install pykyll
        run: {pip}
      - name: Set up Pages
        id: pages
        uses: {a["configure-pages"]}
      - name: Build with pykyll
        run: pykyll build --strict --baseurl "${{{{ steps.pages.outputs.base_path }}}}"
        env:
          JEKYLL_ENV: production
      - name: Check links, anchors, images, scripts and stylesheets
        run: pykyll check --skip-build --baseurl "${{{{ steps.pages.outputs.base_path }}}}"
        env:
          JEKYLL_ENV: production
      - name: Upload artifact
        if: github.event_name != 'pull_request'
        uses: {a["upload-pages-artifact"]}
        with:
          path: ./_site

  deploy:
    if: github.event_name != 'pull_request'
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    runs-on: ubuntu-latest
    needs: build
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: {a["deploy-pages"]}
"""


def scholar_workflow(
    version: str,
    *,
    branch: str = "main",
    data: str = SCHOLAR_DATA,
    cron: str = "17 4 * * 1",
    python: str = PYTHON,
) -> str:
    """Optional `.github/workflows/scholar.yml`: refresh the Google Scholar JSON weekly.

    Runs `pykyll scholar update --out DATA` (the profile's ID comes from the repository
    secret `GOOGLE_SCHOLAR_ID`, as in AcadHomepage), commits what changed under `data` (no
    commit when nothing did) and then dispatches the Pages workflow so the new numbers are
    deployed.
    """
    a = _ACTIONS
    return f"""\
# Optional: refresh the Google Scholar statistics once a week (and on demand) and commit
# them, then rebuild the site. Delete this file if you do not use `pykyll scholar`.
name: Update Google Scholar data

on:
  schedule:
    - cron: "{cron}"
  workflow_dispatch:

permissions:
  contents: write   # commit the refreshed JSON
  actions: write    # start pages.yml afterwards

concurrency:
  group: "scholar"
  cancel-in-progress: true

jobs:
  update:
    runs-on: ubuntu-latest
    steps:
      - name: Checkout
        uses: {a["checkout"]}
        with:
          ref: {branch}
      - name: Set up Python
        uses: {a["setup-python"]}
        with:
          python-version: "{python}"
          cache: pip
          cache-dependency-path: .github/workflows/scholar.yml
      - name: Install pykyll
        run: pip install "pykyll[scholar]=={version}"
      # the profile's ID (`user=` in its URL): Settings → Secrets → Actions → GOOGLE_SCHOLAR_ID
      - name: Update the Scholar data
        run: pykyll scholar update --out {data}
        env:
          GOOGLE_SCHOLAR_ID: ${{{{ secrets.GOOGLE_SCHOLAR_ID }}}}
      - name: Commit the JSON if it changed
        id: commit
        run: |
          git config user.name "github-actions[bot]"
          git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
          git add -A -- {data}
          if git diff --cached --quiet; then
            echo "changed=false" >> "$GITHUB_OUTPUT"
          else
            git commit -m "Update Google Scholar data"
            git push
            echo "changed=true" >> "$GITHUB_OUTPUT"
          fi
      # a push made with GITHUB_TOKEN starts no workflow; a dispatch does
      - name: Rebuild the site
        if: steps.commit.outputs.changed == 'true'
        run: gh workflow run pages.yml --ref {branch}
        env:
          GH_TOKEN: ${{{{ github.token }}}}
"""


__all__ = ["pages_workflow", "scholar_workflow"]
