"""jekyll-relative-links 0.7: markdown links to `.md` files point at the rendered pages.

Before rendering, in each markdown page (and document with `relative_links:
{collections: true}`), inline links `[text](path.md#frag "title")` and reference
definitions `[ref]: path.md` whose path is a page, static file or written document of
the site are rewritten to that item's URL (through `relative_url`). Links with a scheme
and pure fragments are left alone; `relative_links: {exclude: [globs]}` skips files.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any
from urllib.parse import unquote_plus

from pykyll.models import Document, Excerpt
from pykyll.plugins import Plugin
from pykyll.plugins.builtin._ghpages_support import LOWEST, is_markdown, option, relative_url
from pykyll.reader import EntryFilter

LINK_TEXT = r"(.*?)"
FRAGMENT = r"(#.+?|)?"
TITLE = r"""(\s+"(?:\\"|[^"])*(?<!\\)"|\s+"(?:\\'|[^'])*(?<!\\)')?"""
INLINE_LINK = rf"\[{LINK_TEXT}\]\(([^)]+?){FRAGMENT}{TITLE}\)"
REFERENCE_LINK = rf"^\s*?\[{LINK_TEXT}\]: (.+?){FRAGMENT}{TITLE}\s*?$"
LINK_REGEX = re.compile(rf"({INLINE_LINK}|{REFERENCE_LINK})", re.M)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
CONFIG_KEY = "relative_links"
# a stand-in for the working directory of the gem's File.expand_path
_ROOT = "/\0root"


def path_from_root(path: str, url_base: str) -> str:
    is_absolute = path.startswith("/")
    path = path.removeprefix("/")
    base = _ROOT if is_absolute else posixpath.join(_ROOT, url_base)
    absolute = posixpath.normpath(posixpath.join(base, path))
    return absolute.removeprefix(_ROOT + "/")


class RelativeLinks(Plugin):
    name = "jekyll-relative-links"
    priority = LOWEST

    def generate(self) -> None:
        site = self.site
        if option(site, CONFIG_KEY, "enabled") is False:
            return
        self._targets: list[Any] | None = None
        items: list[Any] = list(site.pages)
        if option(site, CONFIG_KEY, "collections") is True:
            items += self.docs_to_write()
        for item in items:
            if not is_markdown(site, item.extname) or self.excluded(item):
                continue
            self.replace_relative_links(item)

    def docs_to_write(self) -> list[Document]:
        return [d for d in self.site.documents() if d.write()]

    @property
    def targets(self) -> list[Any]:
        if self._targets is None:
            self._targets = [*self.site.pages, *self.site.static_files, *self.docs_to_write()]
        return self._targets

    def excluded(self, item: Any) -> bool:
        patterns = option(self.site, CONFIG_KEY, "exclude")
        if not patterns:
            return False
        globs = [str(p) for p in (patterns if isinstance(patterns, list) else [patterns])]
        return EntryFilter(self.site)._glob_include(globs, item.relative_path)

    def url_for_path(self, path: str) -> str | None:
        path = unquote_plus(path)
        for target in self.targets:
            if target.relative_path.removeprefix("/") == path:
                return relative_url(self.site, target.url) if target.url else None
        return None

    def replace_relative_links(self, item: Any) -> None:
        if item.content is None:
            return
        url_base = posixpath.dirname(item.relative_path) or "."

        def replace(match: re.Match[str]) -> str:
            inline = match.group(2) is not None
            text, path, fragment, title = (
                match.group(2, 3, 4, 5) if inline else match.group(6, 7, 8, 9)
            )
            if path.startswith("#") or SCHEME.match(path):
                return match.group(0)
            url = self.url_for_path(path_from_root(path, url_base))
            if url is None:
                return match.group(0)
            url += fragment or ""
            if inline:
                return f"[{text}]({url}{title or ''})"
            return f"\n[{text}]: {url}{title or ''}"

        item.content = LINK_REGEX.sub(replace, item.content)
        if isinstance(item, Document) and item.data.get("excerpt") is not None:
            item.excerpt = Excerpt(item)
            item.data["excerpt"] = item.excerpt


PLUGINS = [RelativeLinks]
