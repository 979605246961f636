"""jekyll-sitemap 1.4: `sitemap.xml` and `robots.txt`.

Behaviour of the gem: both files are added unless a page or static file already has their
URL; the sitemap lists every written collection's documents (collections sorted by label),
then `site.html_pages`, then the static files ending in .htm, .html, .xhtml or .pdf, leaving
out whatever has `sitemap: false` (front matter or defaults) and `/404.html`. A document's
`<lastmod>` is `last_modified_at`, else its date; a page's only `last_modified_at`; a
static file's its modification time. `/index.html` is shortened to `/` in every URL.
"""

from __future__ import annotations

from typing import Any

from pykyll.drops import to_liquid
from pykyll.models import StaticFile
from pykyll.plugins import Plugin
from pykyll.plugins.builtin._gemkit import (
    PluginPage,
    absolute_url,
    blank,
    finish_plugin_page,
    lookup,
    truthy,
    xml_escape,
    xmlschema,
)

INCLUDED_EXTENSIONS = (".htm", ".html", ".xhtml", ".pdf")
URLSET = (
    '<urlset xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.sitemaps.org/schemas/sitemap/0.9 '
    'http://www.sitemaps.org/schemas/sitemap/0.9/sitemap.xsd" '
    'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
)


class Sitemap(Plugin):
    name = "jekyll-sitemap"
    priority = -100  # :lowest

    def generate(self) -> None:
        site = self.site
        taken = {p.url for p in site.pages} | {f.url for f in site.static_files}
        if "/sitemap.xml" not in taken:
            files = [f for f in site.static_files if f.extname in INCLUDED_EXTENSIONS]
            data: dict[str, Any] = {"layout": None, "xsl": "/sitemap.xsl" in taken}
            page = PluginPage(site, "", "sitemap.xml", data, self, self._sitemap)
            page.sitemap_files = files  # type: ignore[attr-defined]
            site.pages.append(page)
        if "/robots.txt" not in taken:
            robots = PluginPage(site, "", "robots.txt", {"layout": None}, self, self._robots)
            site.pages.append(robots)

    def post_render(self, item: Any) -> None:
        finish_plugin_page(self, item)

    # -- the files ---------------------------------------------------------------------------
    def _loc(self, url: Any) -> str:
        return xml_escape(absolute_url(self.site, str(url).replace("/index.html", "/")))

    def _sitemap(self, page: PluginPage) -> str:
        site = self.site
        out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
        if page.data.get("xsl"):
            href = absolute_url(site, "/sitemap.xsl")
            out.append(f'<?xml-stylesheet type="text/xsl" href="{href}"?>\n')
        out.append(URLSET + "\n")
        for collection in sorted(site.collections.values(), key=lambda c: c.label):
            if not collection.write:
                continue
            for doc in collection.docs:
                drop = to_liquid(doc)
                if drop.get("sitemap") is False:
                    continue
                out.append(f"<url>\n<loc>{self._loc(drop.get('url'))}</loc>\n")
                modified = drop.get("last_modified_at")
                date = drop.get("date")
                if truthy(modified) or truthy(date):
                    value = date if blank(modified) else modified
                    out.append(f"<lastmod>{xmlschema(value)}</lastmod>\n")
                out.append("</url>\n")
        for other in site.pages:
            if not (other.is_html() or other.url.endswith("/")):
                continue
            liquid = to_liquid(other)
            if liquid.get("sitemap") is False or liquid.get("url") == "/404.html":
                continue
            out.append(f"<url>\n<loc>{self._loc(liquid.get('url'))}</loc>\n")
            modified = liquid.get("last_modified_at")
            if truthy(modified):
                out.append(f"<lastmod>{xmlschema(modified)}</lastmod>\n")
            out.append("</url>\n")
        files: list[StaticFile] = getattr(page, "sitemap_files", [])
        for file in files:
            drop = to_liquid(file)
            if lookup(drop, "sitemap") is False or file.name == "404.html":
                continue
            out.append(f"<url>\n<loc>{self._loc(file.relative_path)}</loc>\n")
            out.append(f"<lastmod>{xmlschema(file.modified_time)}</lastmod>\n</url>\n")
        out.append("</urlset>\n")
        return "".join(out)

    def _robots(self, page: PluginPage) -> str:
        return f"Sitemap: {absolute_url(self.site, 'sitemap.xml')}\n"


PLUGINS = [Sitemap]
