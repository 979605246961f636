"""jekyll-optional-front-matter 0.3: markdown files without front matter become pages.

A generator, as in the gem: every static file with a markdown extension is read again
as a page (README, LICENSE, … excepted unless listed in `include`). The static file stays
unless `optional_front_matter: {remove_originals: true}` (or `require_front_matter`).
"""

from __future__ import annotations

from pykyll.models import Page, StaticFile
from pykyll.plugins import Plugin
from pykyll.plugins.builtin._ghpages_support import NORMAL, is_markdown, option
from pykyll.reader import EntryFilter

FILENAME_BLACKLIST = (
    "README",
    "LICENSE",
    "LICENCE",
    "COPYING",
    "CODE_OF_CONDUCT",
    "CONTRIBUTING",
    "ISSUE_TEMPLATE",
    "PULL_REQUEST_TEMPLATE",
)


def page_from_static_file(static: StaticFile) -> Page:
    base = static.path.parent
    for _ in [p for p in static.dir.split("/") if p]:
        base = base.parent
    return Page(static.site, base, static.dir, static.name)


class OptionalFrontMatter(Plugin):
    name = "jekyll-optional-front-matter"
    priority = NORMAL

    def generate(self) -> None:
        site = self.site
        if option(site, "optional_front_matter", "enabled") is False or site.config.get(
            "require_front_matter"
        ):
            return
        markdown = [f for f in site.static_files if is_markdown(site, f.extname)]
        pages = [page_from_static_file(f) for f in markdown]
        site.pages.extend(p for p in pages if not self.blacklisted(p))
        cleanup = option(site, "optional_front_matter", "remove_originals") is True
        if cleanup or site.config.get("require_front_matter"):
            removed = {id(f) for f in markdown if not self.blacklisted(page_from_static_file(f))}
            site.static_files[:] = [f for f in site.static_files if id(f) not in removed]

    def blacklisted(self, page: Page) -> bool:
        include = self.site.config.get("include")
        if isinstance(include, list) and EntryFilter(self.site).included(page.relative_path):
            return False
        return page.basename.upper() in FILENAME_BLACKLIST


PLUGINS = [OptionalFrontMatter]
