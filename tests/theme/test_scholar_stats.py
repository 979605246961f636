"""pykyll-scholar-stats: Google Scholar numbers and the badge written at build time."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pykyll.cli import main
from pykyll.plugins.builtin.scholar_stats import badge_svg, text_width

STATS = {
    "citedby": 1234,
    "hindex": 17,
    "i10index": 21,
    "updated": "2026-11-01 03:00:00",
    "publications": {
        "ABC:paper1": {"num_citations": 700, "bib": {"title": "One"}},
        "ABC:paper2": {"num_citations": 5},
    },
}

PAGE = """---
layout: default
author_profile: true
---
{% assign base = "https://raw.githubusercontent.com/" | append: site.repository %}
{% assign url = base | append: "/google-scholar-stats/gs_data_shieldsio.json" %}
Cited <span id='total_cit'>1000+</span> times, h-index <b id="h_index"></b>.
<img src="https://img.shields.io/endpoint?url={{ url | url_encode }}&label=citations" alt="b">

<div class='paper-box'><div class='paper-box-text' markdown="1">
**One** <strong><span class='show_paper_citations' data='ABC:paper1'></span></strong>
</div></div>

- Two <span class='show_paper_citations' data='ABC:paper2'></span>
- Unknown <span class='show_paper_citations' data='ABC:nope'></span>
"""


def make_site(
    root: Path, stats: object = STATS, config: str = "", where: str | None = None
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(
        "theme: pykyll-academic\nplugins: [pykyll-scholar-stats]\n"
        'repository: "someone/someone.github.io"\n'
        "author:\n  name: Ada\n  googlescholar: https://scholar.google.com/citations?user=ABC\n"
        + config,
        encoding="utf-8",
    )
    (root / "index.md").write_text(PAGE, encoding="utf-8")
    if stats is not None:
        path = root / (where or "google-scholar-stats/gs_data.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(stats if isinstance(stats, str) else json.dumps(stats), encoding="utf-8")
    return root


def build(root: Path, *extra: str) -> Path:
    out = root.parent / "out"
    assert main(["build", "-s", str(root), "-d", str(out), *extra]) == 0
    return out


def test_numbers_are_written_into_the_page(tmp_path: Path) -> None:
    out = build(make_site(tmp_path / "site"), "-q")
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<span id="total_cit">1234</span>' in html or "<span id='total_cit'>1234</span>" in html
    assert '<b id="h_index">17</b>' in html
    assert ">| Citations: 700</span>" in html
    assert ">| Citations: 5</span>" in html
    # an id the JSON does not know stays empty (and the stylesheet hides it)
    assert 'data="ABC:nope"></span>' in html or "data='ABC:nope'></span>" in html
    # the sidebar: numbers and the local badge, no shields.io
    assert '<strong class="scholar-citedby">1234</strong>' in html
    assert '<strong class="scholar-hindex">17</strong>' in html
    assert "img.shields.io" not in html
    assert html.count('src="/assets/images/scholar-badge.svg"') == 2
    # no client-side refresh unless asked for
    assert "scholar.js" not in html


def test_badge_is_a_valid_svg_with_the_numbers(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    (root / "google-scholar-stats" / "gs_data_shieldsio.json").write_text(
        '{"schemaVersion": 1, "label": "cited by", "message": "1.2k"}', encoding="utf-8"
    )
    out = build(root, "-q")
    svg = (out / "assets/images/scholar-badge.svg").read_text(encoding="utf-8")
    tree = ET.fromstring(svg)
    texts = [t.text for t in tree.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["cited by", "1.2k"]
    assert tree.get("aria-label") == "cited by: 1.2k"
    width = int(tree.get("width") or 0)
    assert width == text_width("cited by") + text_width("1.2k") + 20


def test_badge_widths_grow_with_the_text() -> None:
    small, large = badge_svg("citations", "9"), badge_svg("citations", "99999")
    width = lambda svg: int(ET.fromstring(svg).get("width") or 0)  # noqa: E731
    assert width(large) - width(small) == 4 * 7
    assert "&lt;b&gt;" in badge_svg("<b>", "1")


def test_baseurl_prefixes_the_badge(tmp_path: Path) -> None:
    out = build(make_site(tmp_path / "site"), "-q", "--baseurl", "/home")
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'src="/home/assets/images/scholar-badge.svg"' in html


def test_data_folder_is_the_fallback(tmp_path: Path) -> None:
    out = build(make_site(tmp_path / "site", where="_data/gs_data.json"), "-q")
    assert ">| Citations: 700</span>" in (out / "index.html").read_text(encoding="utf-8")


def test_refresh_keeps_acadhomepage_client_side_fetch(tmp_path: Path) -> None:
    root = make_site(
        tmp_path / "site",
        config="google_scholar_stats_use_cdn: true\nscholar_stats:\n  refresh: true\n",
    )
    html = (build(root, "-q") / "index.html").read_text(encoding="utf-8")
    assert (
        'data-gs-url="https://cdn.jsdelivr.net/gh/someone/someone.github.io@'
        'google-scholar-stats/gs_data.json"' in html
    )
    assert "img.shields.io/endpoint" in html  # the live badge is kept
    assert ">| Citations: 700</span>" in html  # and the build-time numbers are there first


def test_missing_json_is_a_warning_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = build(make_site(tmp_path / "site", stats=None))
    err = capsys.readouterr().err
    assert "Scholar stats:" in err and "google-scholar-stats/gs_data.json not found" in err
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "Citations:" not in html
    assert "scholar-citedby" not in html
    assert not (out / "assets/images/scholar-badge.svg").exists()


def test_malformed_json_is_a_warning_with_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = '{\n  "citedby": 12,\n  "hindex": 3,,\n  "publications": {}\n}\n'
    out = build(make_site(tmp_path / "site", stats=broken))
    err = capsys.readouterr().err
    assert "google-scholar-stats/gs_data.json:3:" in err and "invalid JSON" in err
    assert (out / "index.html").is_file()
    assert "Citations:" not in (out / "index.html").read_text(encoding="utf-8")


def test_wrong_shapes_are_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stats = {"citedby": "many", "publications": {"ABC:paper1": {"num_citations": None}}}
    build(make_site(tmp_path / "site", stats=stats))
    err = capsys.readouterr().err
    assert "no whole number under 'citedby'" in err
    assert "publication 'ABC:paper1' has no 'num_citations' number" in err


RUBY_PLUGIN = Path(__file__).resolve().parents[2] / "scripts" / "golden_scholar_stats.rb"
RUBY_BADGES = """
module Jekyll
  class Generator; def self.safe(*); end; end
  class PageWithoutAFile; end
  module Hooks; def self.register(*); end; end
end
require ARGV.shift
ARGV.each_slice(2) { |label, message| print PykyllScholarStats.badge_svg(label, message), "\\0" }
"""


@pytest.mark.skipif(shutil.which("ruby") is None, reason="ruby is not installed")
def test_ruby_golden_plugin_draws_the_same_badges() -> None:
    """scripts/golden_scholar_stats.rb (Jekyll's side of the example golden) agrees with
    the Python plugin beyond the one badge of the example site."""
    pairs = [("citations", "412"), ("cited by", "1.2k"), ("Zitate", "98765"), ("a&b", "<1>")]
    args = [str(RUBY_PLUGIN)] + [text for pair in pairs for text in pair]
    ruby = subprocess.run(
        ["ruby", "-e", RUBY_BADGES, *args], capture_output=True, text=True, check=True
    )
    assert ruby.stdout.split("\0")[:-1] == [badge_svg(label, text) for label, text in pairs]
