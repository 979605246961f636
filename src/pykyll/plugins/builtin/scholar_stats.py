"""pykyll-scholar-stats: Google Scholar numbers written into the pages at build time.

AcadHomepage fetches `gs_data.json` (written by its google_scholar_crawler) in the
browser and shows a shields.io badge that fetches `gs_data_shieldsio.json` through
img.shields.io. This plugin does the same work once, at build time, so the page makes no
request to another site:

* `generate`: reads the JSON (config `scholar_stats.file`, default
  `google-scholar-stats/gs_data.json`, else `_data/gs_data.json`), exposes the numbers
  as `site.scholar_stats.citedby`, `.hindex`, `.i10index`, `.updated`, and adds the
  citation badge, an SVG in the shields.io "flat" style, at `scholar_stats.badge`
  (default `/assets/images/scholar-badge.svg`; `site.scholar_stats.badge_url`). Its text
  comes from `gs_data_shieldsio.json` next to the JSON when present (label, message).
* `post_render`, for every HTML page: fills `<span class='show_paper_citations'
  data='ID'>` with `| Citations: N` (AcadHomepage's wording), the elements with id
  `total_cit` and `h_index` with the numbers, and points images at
  `img.shields.io/endpoint?url=…gs_data_shieldsio.json…` to the local badge.

With `scholar_stats.refresh: true` the theme also loads AcadHomepage's client-side
refresh (see the theme's `_includes/scripts.html`) and the shields.io images are kept.

A missing or malformed JSON file is a warning naming the file (and, for a JSON syntax
error, the line and column); the site still builds, without numbers.

Enable it with `plugins: [pykyll-scholar-stats]` in `_config.yml` (`pykyll new` does).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pykyll.liquid.filters.jekyll import compute_relative_url
from pykyll.models import GeneratedPage
from pykyll.plugins import Plugin

DEFAULT_FILE = "google-scholar-stats/gs_data.json"
DATA_FILE = "_data/gs_data.json"
SHIELDS_NAME = "gs_data_shieldsio.json"
DEFAULT_BADGE = "/assets/images/scholar-badge.svg"

# Advance widths of Verdana at 11 px, in tenths of a pixel (what shields.io measures
# badge text with); other characters count as DEFAULT_WIDTH. The SVG's textLength makes
# the text fit exactly whatever font the reader has.
CHAR_WIDTHS: dict[str, int] = {
    **dict.fromkeys("0123456789", 70),
    " ": 35, "a": 67, "b": 69, "c": 58, "d": 69, "e": 66, "f": 38, "g": 69, "h": 70,
    "i": 30, "j": 38, "k": 65, "l": 30, "m": 107, "n": 70, "o": 67, "p": 69, "q": 69,
    "r": 47, "s": 57, "t": 43, "u": 70, "v": 65, "w": 90, "x": 65, "y": 65, "z": 58,
    ".": 35, ",": 35, ":": 40, "-": 50, "+": 92, "/": 50, "(": 50, ")": 50,
}  # fmt: skip
DEFAULT_WIDTH = 75
LABEL_COLOR = "#f6f6f6"
MESSAGE_COLOR = "#9cf"
TEXT_COLOR = "#333"

# An element with no child elements: its name, attributes and text.
_LEAF = re.compile(r"<([A-Za-z][A-Za-z0-9]*)(\s[^<>]*)?>([^<]*)</\1>")
_ID = re.compile(r"""\bid\s*=\s*(["'])(total_cit|h_index)\1""")
_CITATION_CLASS = re.compile(r"""\bclass\s*=\s*(["'])[^"']*\bshow_paper_citations\b[^"']*\1""")
_DATA = re.compile(r"""\bdata\s*=\s*(["'])(.*?)\1""")
_SHIELDS_SRC = re.compile(
    r"""\bsrc\s*=\s*(["'])https?://img\.shields\.io/endpoint\?[^"']*gs_data_shieldsio\.json[^"']*\1"""
)


@dataclass
class ScholarStats:
    """What the crawler's JSON says, reduced to what pages show."""

    citedby: int | None = None
    hindex: int | None = None
    i10index: int | None = None
    updated: str | None = None
    citations: dict[str, int] = field(default_factory=dict)
    label: str = "citations"
    message: str | None = None


def text_width(text: str) -> int:
    """The width of `text` in whole pixels, as the badge lays it out."""
    tenths = sum(CHAR_WIDTHS.get(char, DEFAULT_WIDTH) for char in text)
    return (tenths + 9) // 10


def badge_svg(label: str, message: str) -> str:
    """A shields.io 'flat' badge: grey label on the left, blue message on the right."""
    label_text, message_text = text_width(label), text_width(message)
    left, right = label_text + 10, message_text + 10
    width = left + right
    label_x, message_x = left * 5, (left * 2 + right) * 5
    title = html.escape(f"{label}: {message}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img"'
        f' aria-label="{title}"><title>{title}</title>'
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb"'
        ' stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{left}" height="20" fill="{LABEL_COLOR}"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{MESSAGE_COLOR}"/>'
        f'<rect width="{width}" height="20" fill="url(#s)"/></g>'
        f'<g fill="{TEXT_COLOR}" text-anchor="middle"'
        ' font-family="Verdana,Geneva,DejaVu Sans,sans-serif"'
        ' text-rendering="geometricPrecision" font-size="110">'
        f'<text x="{label_x}" y="140" transform="scale(.1)" textLength="{label_text * 10}">'
        f"{html.escape(label)}</text>"
        f'<text x="{message_x}" y="140" transform="scale(.1)"'
        f' textLength="{message_text * 10}">{html.escape(message)}</text></g></svg>\n'
    )


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _options(site: Any) -> dict[str, Any]:
    options = site.config.get("scholar_stats")
    if not isinstance(options, dict):
        options = {}
        site.config["scholar_stats"] = options
    return options


class ScholarStatsPlugin(Plugin):
    name = "pykyll-scholar-stats"
    priority = 10

    def __init__(self, site: Any) -> None:
        super().__init__(site)
        self.stats: ScholarStats | None = None
        self.badge_url: str | None = None

    # -- reading -------------------------------------------------------------------------
    def _warn(self, message: str) -> None:
        self.site.logger.warn("Scholar stats:", message)

    def _json_file(self, options: dict[str, Any]) -> Path | None:
        configured = options.get("file")
        name = str(configured) if configured else DEFAULT_FILE
        path = self.site.source / name.lstrip("/")
        if path.is_file():
            return path
        fallback = self.site.source / DATA_FILE
        if name == DEFAULT_FILE and fallback.is_file():
            return fallback
        self._warn(
            f"{name} not found; the page is built without citation numbers "
            "(write it with AcadHomepage's google_scholar_crawler or `pykyll scholar update`)."
        )
        return None

    def _load_json(self, path: Path) -> Any:
        name = self.site.display_path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            self._warn(f"{name}: cannot be read ({err}); built without citation numbers.")
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as err:
            self._warn(
                f"{name}:{err.lineno}:{err.colno}: invalid JSON ({err.msg}); "
                "built without citation numbers."
            )
            return None

    def read_stats(self) -> ScholarStats | None:
        options = _options(self.site)
        path = self._json_file(options)
        if path is None:
            return None
        data = self._load_json(path)
        if data is None:
            return None
        name = self.site.display_path(path)
        if not isinstance(data, dict):
            self._warn(f"{name}: expected a JSON object with 'citedby' and 'publications'.")
            return None
        stats = ScholarStats(
            citedby=_count(data.get("citedby")),
            hindex=_count(data.get("hindex")),
            i10index=_count(data.get("i10index")),
            updated=str(data["updated"]) if data.get("updated") is not None else None,
        )
        if stats.citedby is None:
            self._warn(f"{name}: no whole number under 'citedby'.")
        publications = data.get("publications", {})
        if not isinstance(publications, dict):
            self._warn(f"{name}: 'publications' should map paper ids to objects.")
            publications = {}
        for paper_id, paper in publications.items():
            count = _count(paper.get("num_citations")) if isinstance(paper, dict) else None
            if count is None:
                self._warn(f"{name}: publication '{paper_id}' has no 'num_citations' number.")
                continue
            stats.citations[str(paper_id)] = count
        shields = path.with_name(SHIELDS_NAME)
        badge = self._load_json(shields) if shields.is_file() else None
        if isinstance(badge, dict):
            stats.label = str(badge.get("label") or stats.label)
            if badge.get("message") is not None:
                stats.message = str(badge["message"])
        if stats.message is None and stats.citedby is not None:
            stats.message = str(stats.citedby)
        return stats

    # -- the generate stage --------------------------------------------------------------
    def generate(self) -> None:
        options = _options(self.site)
        # Present even without numbers, so `--strict` templates can test them.
        options.update(dict.fromkeys(("citedby", "hindex", "i10index", "updated", "badge_url")))
        self.stats = self.read_stats()
        self.badge_url = None
        if self.stats is None:
            return
        options.update(
            citedby=self.stats.citedby,
            hindex=self.stats.hindex,
            i10index=self.stats.i10index,
            updated=self.stats.updated,
        )
        if self.stats.message is None:
            return
        badge = "/" + str(options.get("badge") or DEFAULT_BADGE).lstrip("/")
        directory, _, name = badge.rpartition("/")
        page = GeneratedPage(
            self.site,
            directory,
            name,
            badge_svg(self.stats.label, self.stats.message),
            {"layout": None, "sitemap": False},
        )
        self.site.pages.append(page)
        self.badge_url = badge
        options["badge_url"] = badge

    # -- filling the pages ---------------------------------------------------------------
    def post_render(self, item: Any) -> None:
        stats = self.stats
        output = getattr(item, "output", None)
        if stats is None or not output or item.output_ext not in (".html", ".htm"):
            return
        item.output = self.fill(output)

    def fill(self, output: str) -> str:
        stats = self.stats
        assert stats is not None

        def leaf(match: re.Match[str]) -> str:
            attributes = match.group(2) or ""
            value: int | str | None = None
            found = _ID.search(attributes)
            if found:
                value = stats.citedby if found.group(2) == "total_cit" else stats.hindex
            elif _CITATION_CLASS.search(attributes):
                paper = _DATA.search(attributes)
                count = stats.citations.get(html.unescape(paper.group(2))) if paper else None
                value = None if count is None else f"| Citations: {count}"
            if value is None:
                return match.group(0)
            return f"<{match.group(1)}{attributes}>{value}</{match.group(1)}>"

        output = _LEAF.sub(leaf, output)
        refresh = _options(self.site).get("refresh") is True
        if self.badge_url and not refresh:
            url = compute_relative_url(self.badge_url, self.site.config)
            output = _SHIELDS_SRC.sub(lambda m: f"src={m.group(1)}{url}{m.group(1)}", output)
        return output


PLUGINS = [ScholarStatsPlugin]
