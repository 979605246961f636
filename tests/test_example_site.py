"""The example site at the repository root builds exactly as real Jekyll builds it.

The repository root is itself a site (a researcher's homepage, what a newcomer builds
first) using the packaged theme pykyll-academic and the pykyll-scholar-stats plugin.
tests/goldens/_example is Jekyll 4.3's output for it, written by
scripts/make_example_golden.py, which gives Jekyll the theme as a gem theme would be
(theme files under the site's) and the plugin as an independent Ruby plugin
(scripts/golden_scholar_stats.rb): the citation numbers and the badge in the golden are
Jekyll's. pykyll must produce an equivalent site (as judged by ../shared/tools/sitediff.py)
with no missing and no extra files, nothing masked.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "goldens" / "_example"
SITEDIFF = ROOT.parent / "shared" / "tools" / "sitediff.py"
SHOW_DIFFS = 8


def _load(name: str, path: Path) -> ModuleType:
    """Import a module from a file outside any package (scripts/, ../shared/tools)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


sitediff = _load("sitediff", SITEDIFF)
goldens = _load("make_goldens", ROOT / "scripts" / "make_goldens.py")
example = _load("make_example_golden", ROOT / "scripts" / "make_example_golden.py")


@contextmanager
def pinned_environment() -> Iterator[None]:
    """The working directory and variables the golden was built with (make_goldens')."""
    saved_env, saved_cwd = os.environ.copy(), os.getcwd()
    os.environ.update(goldens.PINNED_ENV)
    os.chdir(ROOT)
    time.tzset()
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        time.tzset()


def _report_text(report: dict[str, Any]) -> str:
    """sitediff's verdicts: missing and extra files, then each differing file's diff."""
    lines = [f"missing  {rel}" for rel in report["missing"]]
    lines += [f"extra    {rel}" for rel in report["extra"]]
    differing = [(rel, v) for rel, v in sorted(report["files"].items()) if not v["equivalent"]]
    for i, (rel, verdict) in enumerate(differing):
        lines.append(f"differs  {rel}  similarity {verdict['similarity']}")
        if i < SHOW_DIFFS:
            lines += ["    " + line for line in verdict["diff"]]
    lines.append(sitediff.summary(report))
    return "\n".join(lines)


def _equivalent(report: dict[str, Any]) -> bool:
    return (
        not report["missing"]
        and not report["extra"]
        and all(v["equivalent"] for v in report["files"].values())
    )


def test_golden_exists_and_is_small() -> None:
    assert (GOLDEN / "index.html").is_file(), "run scripts/make_example_golden.py"
    example.check_size(GOLDEN)


def test_navigation_anchors_exist() -> None:
    """Every menu link in _data/navigation.yml points at an id on the built homepage.

    kramdown makes the id of `# 🔥 News` "-news"; a renamed heading breaks its link.
    """
    import yaml

    page = (GOLDEN / "index.html").read_text(encoding="utf-8")
    ids = set(re.findall(r"""\bid=["']([^"']+)["']""", page))
    menu = yaml.safe_load((ROOT / "_data" / "navigation.yml").read_text(encoding="utf-8"))
    anchors = [link["url"].split("#", 1)[1] for link in menu["main"] if "#" in link["url"]]
    assert anchors, "no anchors in _data/navigation.yml"
    missing = [a for a in anchors if a not in ids]
    assert not missing, f"menu anchors with no matching id on the page: {missing}"


def test_example_site_matches_jekyll(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Imported here so a broken engine fails this test, not the collection.
    from pykyll.cli import main

    dest = tmp_path / "site"
    with pinned_environment():
        status = main(["build", "-s", str(ROOT), "-d", str(dest), "--quiet"])
    err = capsys.readouterr().err
    assert status == 0, f"pykyll build of the repository root exited {status}:\n{err}"
    report = sitediff.compare(GOLDEN, dest)
    text = _report_text(report)
    if not _equivalent(report):
        print(text)
    assert _equivalent(report), "the example site differs from Jekyll's golden:\n" + text
    assert "equivalent (100.0%)" in sitediff.summary(report)


def test_golden_is_fresh(tmp_path: Path) -> None:
    """Real Jekyll still builds exactly the checked-in golden from the repository root."""
    if goldens.find_jekyll() is None:
        pytest.skip("jekyll not on PATH")
    dest = tmp_path / "site"
    example.build_with_jekyll(dest)
    report = sitediff.compare(GOLDEN, dest)
    assert _equivalent(report), (
        "the golden is stale: run scripts/make_example_golden.py\n" + _report_text(report)
    )
