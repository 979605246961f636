"""Compatibility corpus: each site under tests/sites, built by pykyll, must match real Jekyll.

The goldens in tests/goldens were written by real Jekyll 4.3 (scripts/make_goldens.py).
`test_pykyll_build` needs no Ruby; `test_golden_is_fresh` rebuilds with Jekyll when it is
on PATH and fails if the checked-in golden is stale.
"""

from __future__ import annotations

import shutil
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from sitecheck import ROOT, SITEDIFF, environment, equivalent, load_module, report_text, tree_bytes

goldens = load_module("make_goldens", ROOT / "scripts" / "make_goldens.py")
sitediff = load_module("sitediff", SITEDIFF)

SITE_NAMES: list[str] = goldens.site_names()


def build_environment(site: Path, spec: Any) -> AbstractContextManager[None]:
    """The working directory and variables make_goldens gives Jekyll: relative `--config`
    paths then resolve alike and dates render in the same zone."""
    return environment(site, goldens.build_env(spec))


def assert_equivalent(golden: Path, actual: Path) -> None:
    report = sitediff.compare(golden, actual)
    assert equivalent(report), "output differs from Jekyll's golden:\n" + report_text(
        sitediff, report
    )


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
    if tree_bytes(golden) != tree_bytes(dest):
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
