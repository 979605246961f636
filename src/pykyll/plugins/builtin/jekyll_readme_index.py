"""jekyll-readme-index 0.3: a folder's README becomes its index when it has none.

As in the gem: READMEs are found among the static files (so after
jekyll-optional-front-matter), each becomes a page whose permalink is its folder; the
static file stays unless `readme_index: {remove_originals: true}`; with
`readme_index: {with_frontmatter: true}` READMEs that are already pages move too.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from pykyll.models import Page, StaticFile
from pykyll.plugins import Plugin
from pykyll.plugins.builtin._ghpages_support import LOW, markdown_extensions, option
from pykyll.plugins.builtin.jekyll_optional_front_matter import page_from_static_file

INDEX_REGEX = r"$|index\.(html?|xhtml|xml)$"


def _dirname(url: str) -> str:
    parent = posixpath.dirname(url)
    return parent or "."


class ReadmeIndex(Plugin):
    name = "jekyll-readme-index"
    priority = LOW

    def generate(self) -> None:
        site = self.site
        if option(site, "readme_index", "enabled") is False:
            return
        cleanup = option(site, "readme_index", "remove_originals") is True
        for readme in [f for f in site.static_files if self.readme_regex.search(f.relative_path)]:
            if not self.should_be_index(readme):
                continue
            page = page_from_static_file(readme)
            self.set_permalink(page, readme.url)
            site.pages.append(page)
            if cleanup:
                site.static_files.remove(readme)
        if option(site, "readme_index", "with_frontmatter") is True:
            for page in [p for p in site.pages if self.readme_regex.search("/" + p.liquid_path)]:
                if self.should_be_index(page):
                    self.set_permalink(page, page.url)

    @staticmethod
    def set_permalink(page: Page, url: str) -> None:
        page.data["permalink"] = _dirname(url) + "/"
        for cached in ("url", "output_ext", "template"):
            page.__dict__.pop(cached, None)

    @property
    def readme_regex(self) -> re.Pattern[str]:
        exts = "|".join(re.escape(e) for e in markdown_extensions(self.site))
        return re.compile(rf"/readme({exts})$", re.I | re.M)

    def should_be_index(self, readme: StaticFile | Page | None) -> bool:
        if readme is None:
            return False
        return not self.dir_has_index(_dirname(readme.url))

    def dir_has_index(self, relative_path: str) -> bool:
        if not relative_path.endswith("/"):
            relative_path += "/"
        # the gem's regex: its alternation makes any URL ending in index.html count
        regex = re.compile("^" + re.escape(relative_path) + INDEX_REGEX, re.I | re.M)
        items: list[Any] = [*self.site.pages, *self.site.static_files]
        return any(regex.search(item.url) for item in items)


PLUGINS = [ReadmeIndex]
