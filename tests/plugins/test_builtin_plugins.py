"""The built-in gem equivalents (jekyll-feed, jekyll-sitemap, jekyll-seo-tag,
jekyll-redirect-from, jekyll-paginate) against real Jekyll 4.3.1.

Each folder of `tests/plugins/sites/` is built by pykyll the way
`scripts/make_plugin_goldens.py` built it with Jekyll (a copy whose files all have the
same modification time, JEKYLL_ENV=production, TZ=UTC) and compared with
`tests/plugins/goldens/<case>/` by `../shared/tools/sitediff.py`.
Known differences that are not the plugins' doing are listed in `KNOWN` and xfail.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sitecheck import SITEDIFF, load_module

from pykyll.cli import main
from pykyll.liquid import ruby

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SITES = HERE / "sites"
GOLDENS = HERE / "goldens"
FIXED_MTIME = 1704067200  # the same as scripts/make_plugin_goldens.py

CASES = sorted(p.name for p in SITES.iterdir() if p.is_dir())

#: case → {file: why pykyll's output differs for a reason outside these plugins}
KNOWN: dict[str, dict[str, str]] = {}


def _load_sitediff() -> ModuleType:
    if not SITEDIFF.is_file():
        pytest.skip(f"{SITEDIFF} is not there (the shared folder is ../shared)")
    return load_module("sitediff", SITEDIFF)


@pytest.fixture(scope="module")
def sitediff() -> ModuleType:
    return _load_sitediff()


class Builder:
    """Builds each case once, on first use, as `scripts/make_plugin_goldens.py` does."""

    def __init__(self, scratch: pytest.TempPathFactory) -> None:
        self.scratch = scratch
        self.outputs: dict[str, Path] = {}

    def __call__(self, case: str) -> Path:
        if case not in self.outputs:
            self.outputs[case] = self._build(case)
        return self.outputs[case]

    def _build(self, case: str) -> Path:
        folder = self.scratch.mktemp(case)
        src = folder / case
        shutil.copytree(SITES / case, src)
        for path in [src, *src.rglob("*")]:
            os.utime(path, (FIXED_MTIME, FIXED_MTIME))
        out = folder / "_site"
        saved = {k: os.environ.get(k) for k in ("JEKYLL_ENV", "TZ")}
        os.environ["JEKYLL_ENV"] = "production"
        os.environ["TZ"] = "UTC"
        time.tzset()
        # each real build is a fresh process; the Liquid layer keeps the last site's
        # `timezone:` in a module global (pykyll.liquid.ruby), so start from none
        ruby.set_local_zone(None)
        try:
            assert main(["build", "-s", str(src), "-d", str(out), "-q"]) == 0
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            time.tzset()
        return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Builder:
    return Builder(tmp_path_factory)


def _report(sitediff: ModuleType, case: str, out: Path, **kwargs: Any) -> dict[str, Any]:
    report: dict[str, Any] = sitediff.compare(GOLDENS / case, out, **kwargs)
    return report


@pytest.mark.parametrize("case", CASES)
def test_site_matches_jekyll(case: str, built: Builder, sitediff: ModuleType) -> None:
    known = tuple(KNOWN.get(case, {}))
    report = _report(sitediff, case, built(case), exclude=known)
    differing = {
        rel: "\n".join(v["diff"]) for rel, v in report["files"].items() if not v["equivalent"]
    }
    summary = sitediff.summary(report)
    assert not report["missing"], f"{summary}\nmissing: {report['missing']}"
    assert not report["extra"], f"{summary}\nextra: {report['extra']}"
    assert not differing, summary + "\n" + "\n\n".join(differing.values())
    assert "(100.0%)" in summary


KNOWN_FILES = [
    pytest.param(
        case, rel, marks=pytest.mark.xfail(reason=reason, strict=False), id=f"{case}:{rel}"
    )
    for case, files in KNOWN.items()
    for rel, reason in files.items()
]


@pytest.mark.parametrize(("case", "rel"), KNOWN_FILES)
def test_known_differences(case: str, rel: str, built: Builder, sitediff: ModuleType) -> None:
    report = _report(sitediff, case, built(case), only=rel)
    assert report["files"][rel]["equivalent"], "\n".join(report["files"][rel]["diff"])


def test_pagination_without_template_warns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    (src / "_posts").mkdir(parents=True)
    (src / "_config.yml").write_text("paginate: 2\nplugins: [jekyll-paginate]\n")
    (src / "index.md").write_text("---\n---\n{{ paginator.page | default: 'none' }}\n")
    (src / "_posts" / "2024-01-01-a.md").write_text("---\n---\nA\n")
    assert main(["build", "-s", str(src), "-d", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert "couldn't find an index.html page" in captured.out + captured.err
    assert "none" in (tmp_path / "out" / "index.html").read_text()


def test_feed_disabled_in_development(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "_config.yml").write_text(
        "feed: {disable_in_development: true}\nplugins: [jekyll-feed]\n"
    )
    (src / "index.html").write_text("---\n---\n{% feed_meta %}\n")
    monkeypatch.setenv("JEKYLL_ENV", "development")
    assert main(["build", "-s", str(src), "-d", str(tmp_path / "out"), "-q"]) == 0
    assert not (tmp_path / "out" / "feed.xml").exists()
    assert (tmp_path / "out" / "index.html").read_text() == (
        '<link type="application/atom+xml" rel="alternate" href="/feed.xml" />\n'
    )
