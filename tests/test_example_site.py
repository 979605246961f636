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

import re
from pathlib import Path

import pytest
from sitecheck import ROOT, SITEDIFF, environment, equivalent, load_module, report_text

GOLDEN = ROOT / "tests" / "goldens" / "_example"

sitediff = load_module("sitediff", SITEDIFF)
goldens = load_module("make_goldens", ROOT / "scripts" / "make_goldens.py")
example = load_module("make_example_golden", ROOT / "scripts" / "make_example_golden.py")


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
    with environment(ROOT, goldens.PINNED_ENV):  # as the golden was built
        status = main(["build", "-s", str(ROOT), "-d", str(dest), "--quiet"])
    err = capsys.readouterr().err
    assert status == 0, f"pykyll build of the repository root exited {status}:\n{err}"
    report = sitediff.compare(GOLDEN, dest)
    text = report_text(sitediff, report)
    if not equivalent(report):
        print(text)
    assert equivalent(report), "the example site differs from Jekyll's golden:\n" + text
    assert "equivalent (100.0%)" in sitediff.summary(report)


def test_golden_is_fresh(tmp_path: Path) -> None:
    """Real Jekyll still builds exactly the checked-in golden from the repository root."""
    if goldens.find_jekyll() is None:
        pytest.skip("jekyll not on PATH")
    dest = tmp_path / "site"
    example.build_with_jekyll(dest)
    report = sitediff.compare(GOLDEN, dest)
    assert equivalent(report), (
        "the golden is stale: run scripts/make_example_golden.py\n" + report_text(sitediff, report)
    )
