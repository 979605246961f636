"""jekyll-titles-from-headings 0.5: a markdown page without a title takes its first heading.

As in the gem: only when the heading is the first thing in the file (ATX `#`..`###` or
Setext); the title is the heading run through `markdownify | strip_html |
normalize_whitespace`, footnote marks removed. `titles_from_headings:` options
`enabled`, `strip_title` (also per page) and `collections` (documents too, whose titles
inferred from the file name are replaced).
"""

from __future__ import annotations

import re
from typing import Any

from pykyll.models import Document, Excerpt
from pykyll.plugins import Plugin
from pykyll.plugins.builtin._ghpages_support import (
    LOWEST,
    is_markdown,
    normalize_whitespace,
    option,
    strip_html,
)

TITLE_REGEX = re.compile(r"\A\s*(?:\#{1,3}\s+(.*)(?:\s+\#{1,3})?|(.*)\r?\n[-=]+\s*)$", re.M)
EXTRA_MARKUP_REGEX = re.compile(r"\[\^[^\]]*\]")
CONFIG_KEY = "titles_from_headings"


class TitlesFromHeadings(Plugin):
    name = "jekyll-titles-from-headings"
    priority = LOWEST

    def generate(self) -> None:
        site = self.site
        if option(site, CONFIG_KEY, "enabled") is False:
            return
        items: list[Any] = list(site.pages)
        if option(site, CONFIG_KEY, "collections") is True:
            items += [d for d in site.documents() if d.write()]
        for item in items:
            if not is_markdown(site, item.extname) or self.has_title(item):
                continue
            item.data["title"] = self.title_for(item)
            if self.strip_title(item):
                self.strip(item)

    @staticmethod
    def has_title(item: Any) -> bool:
        return not isinstance(item, Document) and item.data.get("title") is not None

    def title_for(self, item: Any) -> Any:
        match = TITLE_REGEX.search(item.content or "")
        if match:
            heading = match.group(1) if match.group(1) is not None else match.group(2)
            return self.strip_markup(heading)
        return item.data.get("title")

    def strip_markup(self, text: str) -> str:
        html = self.site.markdownify(text)
        return EXTRA_MARKUP_REGEX.sub("", normalize_whitespace(strip_html(html)))

    def strip_title(self, item: Any) -> bool:
        if "strip_title" in item.data:
            return item.data["strip_title"] is True
        return option(self.site, CONFIG_KEY, "strip_title") is True

    def strip(self, item: Any) -> None:
        if not item.content:
            return
        item.content = TITLE_REGEX.sub("", item.content).strip()
        if (
            isinstance(item, Document)
            and item.collection.label == "posts"
            and item.excerpt_separator
        ):
            item.excerpt = Excerpt(item)
            item.data["excerpt"] = item.excerpt


PLUGINS = [TitlesFromHeadings]
