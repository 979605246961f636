"""Compatibility corpus: each site under tests/sites, built by pykyll, must match real Jekyll.

The goldens in tests/goldens were written by real Jekyll 4.3 (scripts/make_goldens.py).
`test_pykyll_build` needs no Ruby; `test_golden_is_fresh` rebuilds with Jekyll when it is
on PATH and fails if the checked-in golden is stale.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_TOOLS = ROOT.parent / "shared" / "tools"


def _load(name: str, path: Path) -> ModuleType:
    """Import a module from a file outside any package (scripts/, ../shared/tools)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


goldens = _load("make_goldens", ROOT / "scripts" / "make_goldens.py")
sitediff = _load("sitediff", SHARED_TOOLS / "sitediff.py")

SITE_NAMES: list[str] = goldens.site_names()


@contextmanager
def build_environment(site: Path, spec: Any) -> Iterator[None]:
    """Run in the working directory and variables make_goldens gives Jekyll.

    Relative `--config` paths then resolve alike and dates render in the same zone.
    Restored by hand (not monkeypatch) so the C library's zone is reset after TZ is.
    """
    saved_env, saved_cwd = os.environ.copy(), os.getcwd()
    os.environ.update(goldens.build_env(spec))
    os.chdir(site)
    time.tzset()
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        time.tzset()


def _failure_report(report: dict[str, Any], limit: int = 8) -> str:
    """sitediff's per-file verdicts, with the diff of the first `limit` differing files."""
    lines = [f"missing  {rel}" for rel in report["missing"]]
    lines += [f"extra    {rel}" for rel in report["extra"]]
    differing = [(rel, v) for rel, v in sorted(report["files"].items()) if not v["equivalent"]]
    for i, (rel, verdict) in enumerate(differing):
        lines.append(f"differs  {rel}  similarity {verdict['similarity']}")
        if i < limit:
            lines += ["    " + line for line in verdict["diff"]]
    lines.append(sitediff.summary(report))
    return "\n".join(lines)


def assert_equivalent(golden: Path, actual: Path) -> None:
    report = sitediff.compare(golden, actual)
    ok = not report["missing"] and not report["extra"]
    ok = ok and all(v["equivalent"] for v in report["files"].values())
    assert ok, "output differs from Jekyll's golden:\n" + _failure_report(report)


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("name", SITE_NAMES)
def test_pykyll_build(
    name: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Imported here so a missing or broken engine fails each test, not the collection.
    from pykyll.cli import main
    from pykyll.log import log as pykyll_log

    site, golden = goldens.SITES / name, goldens.GOLDENS / name
    spec = goldens.load_spec(site)
    dest = tmp_path / "site"
    goldens.seed_destination(dest, spec)
    with build_environment(site, spec):
        status = main(
            [
                "build",
                "-s",
                str(site),
                "-d",
                str(dest),
                "--quiet",
                "--disable-disk-cache",
                *spec.args,
            ]
        )
    err = capsys.readouterr().err
    assert status == 0, f"pykyll build exited {status}:\n{err}"
    # Jekyll's --quiet hides warnings; pykyll's logger also remembers them, so check both
    # what it printed and what it recorded.
    warned = "\n".join([err, *pykyll_log.warnings])
    missing = [w for w in spec.expect_warnings if w not in warned]
    assert not missing, f"pykyll did not warn {missing}; stderr was:\n{err}"
    assert_equivalent(golden, dest)


@pytest.mark.parametrize("name", SITE_NAMES)
def test_golden_is_fresh(name: str, tmp_path: Path) -> None:
    """Real Jekyll still writes exactly the checked-in golden (byte for byte)."""
    if goldens.find_jekyll() is None:
        pytest.skip("jekyll not on PATH")
    site, golden = goldens.SITES / name, goldens.GOLDENS / name
    dest = tmp_path / "site"
    goldens.run_jekyll(site, dest, goldens.load_spec(site))
    if _files(golden) != _files(dest):
        assert_equivalent(golden, dest)  # explains what changed, when sitediff sees it
        pytest.fail(f"{name}: golden differs from Jekyll's output in whitespace or bytes only")


@pytest.mark.parametrize("name", SITE_NAMES)
def test_site_is_clean(name: str) -> None:
    """Every site has a golden, and no Jekyll leftovers were checked in."""
    site = goldens.SITES / name
    assert (goldens.GOLDENS / name).is_dir(), f"run scripts/make_goldens.py {name}"
    leftovers = [n for n in goldens.LEFTOVERS if (site / n).exists()]
    assert not leftovers, f"{name}: remove {leftovers}"
    goldens.load_spec(site)  # a malformed .pykyll-test.yml fails here, not only in CI


def test_harness_compares(tmp_path: Path) -> None:
    """The comparison itself: a golden matches itself and a changed page is reported."""
    golden = goldens.GOLDENS / SITE_NAMES[0]
    assert_equivalent(golden, golden)
    copy = tmp_path / "copy"
    shutil.copytree(golden, copy)
    page = sorted(copy.rglob("*.html"))[0]
    page.write_text(page.read_text(encoding="utf-8") + "<p>extra</p>", encoding="utf-8")
    (copy / "stray.txt").write_text("x", encoding="utf-8")
    with pytest.raises(AssertionError, match=r"extra +stray\.txt") as failure:
        assert_equivalent(golden, copy)
    changed = page.relative_to(copy).as_posix()
    assert f"differs  {changed}" in str(failure.value)
    assert "+#text extra" in str(failure.value)
