"""`pykyll new`: a homepage that builds with --strict, and takes an AcadHomepage page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from pykyll import __version__
from pykyll.cli import main
from pykyll.workflow import pages_workflow

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "about.md"


def test_new_writes_a_site_that_builds_strictly(tmp_path: Path) -> None:
    site = tmp_path / "home"
    assert main(["new", str(site), "-q"]) == 0
    for name in (
        "_config.yml",
        "_pages/about.md",
        "_data/navigation.yml",
        "assets/images/avatar.svg",
        ".gitignore",
        "README.md",
    ):
        assert (site / name).is_file(), name
    workflow = (site / ".github/workflows/pages.yml").read_text(encoding="utf-8")
    assert workflow == pages_workflow(__version__)
    config = yaml.safe_load((site / "_config.yml").read_text(encoding="utf-8"))
    assert config["theme"] == "pykyll-academic"
    assert "FILL IN" in (site / "_config.yml").read_text(encoding="utf-8")

    out = tmp_path / "out"
    assert main(["build", "--strict", "-q", "-s", str(site), "-d", str(out)]) == 0
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'class="paper-box"' in html and 'class="sidebar"' in html
    assert (out / "assets/css/main.css").is_file()
    # every menu anchor exists on the page
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    menu = yaml.safe_load((site / "_data/navigation.yml").read_text(encoding="utf-8"))
    assert all(link["url"].split("#")[1] in ids for link in menu["main"])
    # empty author links are left out rather than linking to https://github.com/
    assert 'href="https://github.com/"' not in html


def test_new_refuses_a_non_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "taken"
    site.mkdir()
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["new", str(site)]) == 1
    err = capsys.readouterr().err
    assert f"{site}: exists and is not empty" in err
    assert sorted(p.name for p in site.iterdir()) == ["notes.txt"]


def test_new_accepts_an_empty_folder(tmp_path: Path) -> None:
    site = tmp_path / "empty"
    site.mkdir()
    assert main(["new", str(site), "-q"]) == 0
    assert (site / "_config.yml").is_file()


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/seeds/about.md is not there")
def test_acadhomepage_about_md_builds_in_a_new_site(tmp_path: Path) -> None:
    site = tmp_path / "home"
    assert main(["new", str(site), "-q"]) == 0
    shutil.copyfile(SEED, site / "_pages" / "about.md")
    out = tmp_path / "out"
    assert main(["build", "-q", "-s", str(site), "-d", str(out)]) == 0
    html = (out / "index.html").read_text(encoding="utf-8")
    # the paper box, its markdown="1" text rendered as Markdown
    assert '<div class="paper-box-text">' in html or "<div class='paper-box-text'>" in html
    assert "<strong>Bypass Back-propagation" in html
    assert "<li>A novel optimization-based structural pruning method" in html
    # news and the sections, as headings with kramdown's ids
    assert "Our paper on optimization-based structural pruning" in html
    for section in ("-internships", "-news", "-publications", "-honors-and-awards"):
        assert f'id="{section}"' in html, section
    assert "<aside" in html and 'class="author"' in html
