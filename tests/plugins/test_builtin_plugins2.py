"""The GitHub Pages plugins against real Jekyll 4.3.1 with the Debian gems.

Each `sites2/<case>` is built by pykyll and compared with `goldens2/<case>` (made by
`scripts/make_plugin_goldens2.py`) through `../shared/tools/sitediff.py`; a case must be
100% equivalent, with no missing or extra file. Known, explained differences are xfail.
jemoji is not packaged by Debian: its behaviour is checked against the gem's documented
output by unit tests below.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sitecheck import ROOT, SITEDIFF, equivalent, load_module, report_text

from pykyll.cli import main
from pykyll.plugins.builtin import jekyll_github_metadata as ghm
from pykyll.plugins.builtin import jekyll_mentions, jekyll_relative_links, jemoji

SITES = ROOT / "tests" / "plugins" / "sites2"
GOLDENS = ROOT / "tests" / "plugins" / "goldens2"

XFAIL = {
    "gist": "offline, jekyll-gist 1.5 writes `true` (its logger's return value) before each "
    "script tag where the <noscript> code would go; pykyll writes the script tag only",
}


sitediff = load_module("sitediff", SITEDIFF)
goldens = load_module("make_plugin_goldens2", ROOT / "scripts" / "make_plugin_goldens2.py")
CASES = sorted(p.name for p in SITES.iterdir() if p.is_dir())


@pytest.fixture
def golden_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The environment the goldens were built with (see make_plugin_goldens2.clean_env)."""
    for key in list(os.environ):
        if key.startswith(goldens.DROPPED_PREFIXES) or key == "SSL":
            monkeypatch.delenv(key)

    def apply(source: Path) -> None:
        for key, value in goldens.case_env(source).items():
            monkeypatch.setenv(key, value)

    yield apply


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=pytest.mark.xfail(reason=XFAIL[c], strict=True)) if c in XFAIL else c
        for c in CASES
    ],
)
def test_site_matches_jekyll(case: str, tmp_path: Path, golden_env: Any) -> None:
    source, golden = SITES / case, GOLDENS / case
    assert golden.is_dir(), "run scripts/make_plugin_goldens2.py"
    golden_env(source)
    out = tmp_path / "site"
    assert main(["build", "-s", str(source), "-d", str(out), "-q"]) == 0
    report = sitediff.compare(golden, out)
    assert equivalent(report), report_text(sitediff, report, diffs=None)


# -- jemoji (no Debian package: the gem's documented output) --------------------------------

SMILE = (
    '<img class="emoji" title=":smile:" alt=":smile:" '
    'src="https://github.githubassets.com/images/icons/emoji/unicode/1f604.png" '
    'height="20" width="20">'
)


def test_jemoji_images_and_ignored_elements() -> None:
    root = jemoji.default_asset_root()
    html = "<p>a :smile: b :nope: <code>:smile:</code> <pre>:smile:</pre> :foo:smile:</p>"
    assert jemoji.emojify(html, root) == (
        f"<p>a {SMILE} b :nope: <code>:smile:</code> <pre>:smile:</pre> :foo{SMILE}</p>"
    )


def test_jemoji_file_names() -> None:
    table = jemoji.emoji_table()
    assert table["+1"] == "unicode/1f44d.png"
    assert table["relaxed"] == "unicode/263a.png"  # FE0F dropped
    assert table["man_technologist"] == "unicode/1f468-1f4bb.png"  # ZWJ dropped
    assert table["octocat"] == "octocat.png"  # GitHub's custom emoji


def test_jemoji_only_in_body_and_with_custom_src(tmp_path: Path, golden_env: Any) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "_config.yml").write_text("plugins: [jemoji]\nemoji:\n  src: https://cdn.example/e\n")
    (src / "index.html").write_text(
        "---\n---\n<html><head><title>:smile:</title></head><body>\n:smile:</body></html>"
    )
    (src / "data.json").write_text('---\n---\n":smile:"')
    out = tmp_path / "out"
    assert main(["build", "-s", str(src), "-d", str(out), "-q"]) == 0
    page = (out / "index.html").read_text()
    assert "<title>:smile:</title>" in page
    assert 'src="https://cdn.example/e/emoji/unicode/1f604.png"' in page
    assert (out / "data.json").read_text() == '":smile:"'


# -- smaller behaviours ---------------------------------------------------------------------


def test_mentions_base_url_forms() -> None:
    assert jekyll_mentions.mention_base({}) == "https://github.com"
    assert jekyll_mentions.mention_base({"jekyll-mentions": "https://x.y/"}) == "https://x.y/"
    assert jekyll_mentions.mention_base({"jekyll-mentions": {"base_url": "b"}}) == "b"
    assert jekyll_mentions.mentionify_text("hi @a", "https://x.y/") == (
        "hi <a href='https://x.y/a' class='user-mention'>@a</a>"
    )


def test_relative_links_paths() -> None:
    assert jekyll_relative_links.path_from_root("../README.md", "docs") == "README.md"
    assert jekyll_relative_links.path_from_root("/guide/a.md", "docs") == "guide/a.md"
    assert jekyll_relative_links.path_from_root("a.md", ".") == "a.md"
    assert jekyll_relative_links.path_from_root("../../x.md", "docs") == "/x.md"


def test_github_metadata_user_page_on_dotcom(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith(("PAGES_", "GITHUB_", "JEKYLL_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("PAGES_ENV", "dotcom")
    repo = ghm.Repository("octocat/octocat.github.io")
    assert repo.is_user_page()
    assert repo.html_url() == "http://octocat.github.io"
    # the gem's special case: repositories of the `github` owner live on .github.com
    assert ghm.Repository("github/docs").html_url() == "https://github.github.com/docs"


def test_github_metadata_without_repository(
    tmp_path: Path, golden_env: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "_config.yml").write_text("plugins: [jekyll-github-metadata]\n")
    (src / "index.html").write_text("---\n---\n[{{ site.github.hostname }}|{{ site.title }}]")
    out = tmp_path / "out"
    assert main(["build", "-s", str(src), "-d", str(out), "-q"]) == 0
    assert (out / "index.html").read_text() == "[github.com|]"
    (src / "index.html").write_text("---\n---\n{{ site.github.repository_url }}")
    assert main(["build", "-s", str(src), "-d", str(out), "-q"]) != 0
    assert "No repo name found" in capsys.readouterr().err


def test_github_metadata_from_git_remote_and_config_override(
    tmp_path: Path, golden_env: Any
) -> None:
    import subprocess

    src = tmp_path / "src"
    src.mkdir()
    subprocess.run(["git", "init", "-q", str(src)], check=True)
    subprocess.run(
        ["git", "-C", str(src), "remote", "add", "origin", "git@github.com:jane/notes.git"],
        check=True,
    )
    assert ghm.nwo_from_git(str(src)) == "jane/notes"
    (src / "_config.yml").write_text(
        "plugins: [jekyll-github-metadata]\ngithub:\n  url: https://jane.example\n"
    )
    (src / "index.html").write_text(
        "---\n---\n{{ site.github.url }}|{{ site.github.repository_nwo }}|{{ site.title }}"
    )
    out = tmp_path / "out"
    assert main(["build", "-s", str(src), "-d", str(out), "-q"]) == 0
    assert (out / "index.html").read_text() == "https://jane.example|jane/notes|notes"
