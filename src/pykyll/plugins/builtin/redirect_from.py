"""jekyll-redirect-from 0.16: `redirect_from`, `redirect_to` and `redirects.json`.

As in the gem: every written document and every page (front matter or defaults) with
`redirect_from` (a string or a list) gets one redirect page per entry, a page named
`redirect.html` whose permalink is the old path; an item with `redirect_to` (a string, or
the first entry of a list) keeps its URL but its content is emptied and its front matter
gains `layout: redirect`, `sitemap: false` and the redirect. Targets that do not start
with `http://` or `https://` go through `absolute_url`. The `redirect` layout is the
gem's unless the site has its own `_layouts/redirect.html`. `redirects.json` maps every
old path to its target, unless `redirect_from: {json: false}` or the source has one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pykyll.models import Convertible, GeneratedPage, Layout
from pykyll.plugins import Plugin
from pykyll.plugins.builtin._gemkit import absolute_url, source_exists

TEMPLATE = Path(__file__).with_name("templates") / "redirect.html"
ABSOLUTE = re.compile(r"^https?://")


class RedirectPage(GeneratedPage):
    """A page that only redirects (the gem's `RedirectPage`)."""

    def __init__(self, site: Any, origin: str, target: str) -> None:
        super().__init__(site, "", "redirect.html", "", {"sitemap": False, "layout": "redirect"})
        origin = origin if origin.startswith("/") else "/" + origin
        target = target if ABSOLUTE.match(target) else (absolute_url(site, target) or "")
        self.data["permalink"] = origin
        self.data["redirect"] = {"from": origin, "to": target}
        self.output = ""

    @property
    def origin(self) -> str:
        return str(self.data["redirect"]["from"])

    @property
    def target(self) -> str:
        return str(self.data["redirect"]["to"])


def _liquid_value(item: Convertible, key: str) -> Any:
    """`to_liquid[key]`: front matter, then front matter defaults."""
    return item.get(key)


def redirect_to(item: Convertible) -> str | None:
    value = _liquid_value(item, "redirect_to")
    if isinstance(value, list):
        value = next((v for v in value if v is not None), None)
    return None if value is None else str(value)


def redirect_from(item: Convertible) -> list[str]:
    value = _liquid_value(item, "redirect_from")
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    return [] if value is None else [str(value)]


class RedirectFrom(Plugin):
    name = "jekyll-redirect-from"
    priority = 0  # :normal

    def generate(self) -> None:
        site = self.site
        if "redirect" not in site.layouts:
            site.layouts["redirect"] = Layout(
                name="redirect",
                path=TEMPLATE,
                relative_path="_layouts/redirect.html",
                data={},
                content=TEMPLATE.read_text(encoding="utf-8"),
                content_line=1,
            )
        redirects: dict[str, str] = {}
        docs: list[Convertible] = [d for d in site.documents() if d.write()]
        for item in [*docs, *list(site.pages)]:
            for path in redirect_from(item):
                page = RedirectPage(site, path, item.url)
                site.pages.append(page)
                redirects[page.origin] = page.target
            target = redirect_to(item)
            if target is not None:
                page = RedirectPage(site, item.url, target)
                item.data.update(page.data)
                item.content = ""
                item.output = ""
                redirects[page.origin] = page.target
        options = site.config.get("redirect_from")
        if isinstance(options, dict) and options.get("json") is False:
            return
        if source_exists(site, "redirects.json"):
            return
        content = json.dumps(redirects, ensure_ascii=False, separators=(",", ":"))
        site.pages.append(GeneratedPage(site, "", "redirects.json", content, {"layout": None}))


PLUGINS = [RedirectFrom]
