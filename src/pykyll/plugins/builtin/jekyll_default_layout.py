"""jekyll-default-layout 0.1: markdown pages and posts without a layout get one.

`home` for the page at `/`, `page` for other pages, `post` for posts, else `default` —
each only if the site (or theme) has that layout.
"""

from __future__ import annotations

from typing import Any

from pykyll.models import Document, Page
from pykyll.plugins import Plugin
from pykyll.plugins.builtin._ghpages_support import LOWEST, is_markdown


class DefaultLayout(Plugin):
    name = "jekyll-default-layout"
    priority = LOWEST

    def generate(self) -> None:
        site = self.site
        items: list[Any] = [*site.pages, *site.collections["posts"].docs]
        for item in items:
            if not is_markdown(site, item.extname) or self.layout_specified(item):
                continue
            item.data["layout"] = self.layout_for(item)

    def layout_specified(self, item: Page | Document) -> bool:
        if "layout" in item.data:
            return True
        return self.site.defaults.find(item.relative_path, item.type, "layout") is not None

    def layout_for(self, item: Page | Document) -> str | None:
        layouts = self.site.layouts
        if item.url == "/" and "home" in layouts:
            return "home"
        if isinstance(item, Page) and "page" in layouts:
            return "page"
        if isinstance(item, Document) and item.collection.label == "posts" and "post" in layouts:
            return "post"
        return "default" if "default" in layouts else None


PLUGINS = [DefaultLayout]
