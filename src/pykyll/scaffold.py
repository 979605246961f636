"""`pykyll new PATH`: a new academic homepage using the pykyll-academic theme.

The files come from the `new_site` folder of the package (a `_config.yml` with the lines
to fill in marked, `_pages/about.md` with every section of an AcadHomepage page,
`_data/navigation.yml`, placeholder images, a README and a .gitignore), plus the GitHub
Pages workflow of :func:`pykyll.workflow.pages_workflow`, pinned to this pykyll version.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pykyll import __version__
from pykyll.errors import PykyllError
from pykyll.workflow import pages_workflow

TEMPLATE = Path(__file__).parent / "new_site"
WORKFLOW = Path(".github") / "workflows" / "pages.yml"
# Template files stored under another name (a wheel keeps dotfiles, but some tools hide them).
RENAMED = {"gitignore": ".gitignore"}


def template_files() -> list[Path]:
    """The template's files, relative to its folder, sorted."""
    return sorted(
        p.relative_to(TEMPLATE)
        for p in TEMPLATE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )


def new_site(path: Path) -> list[Path]:
    """Write a new site into `path` (created if needed); return the files written.

    Refuses a `path` that is a file or a folder with anything in it, so nothing of the
    user's is ever overwritten.
    """
    if path.exists():
        if not path.is_dir():
            raise PykyllError(
                "exists and is not a folder", file=str(path), hint="choose a new path"
            )
        if any(path.iterdir()):
            raise PykyllError(
                "exists and is not empty; `pykyll new` only writes into a new or empty folder",
                file=str(path),
                hint="choose a new path, or empty this folder first",
            )
    written: list[Path] = []
    for relative in template_files():
        target = path / RENAMED.get(relative.as_posix(), relative.as_posix())
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TEMPLATE / relative, target)
        written.append(target)
    workflow = path / WORKFLOW
    workflow.parent.mkdir(parents=True, exist_ok=True)
    workflow.write_text(pages_workflow(__version__), encoding="utf-8")
    written.append(workflow)
    return written
