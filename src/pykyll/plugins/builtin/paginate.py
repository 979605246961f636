"""jekyll-paginate 1.1 (pagination v1): `paginate`, `paginate_path` and `paginator`.

As in the gem: with `paginate: N` set, the template is the page named `index.html` (not
`index.md`) whose folder is the folder of `paginate_path` or one of its parents, the
deepest one if several; its first page keeps its URL and pages 2… are copies of it at
`paginate_path` with `:num` replaced. Posts are the site's posts, newest first, without
those marked `hidden: true`. Each page sees `paginator` as a hash with `page`,
`per_page`, `posts`, `total_posts`, `total_pages`, `previous_page`, `previous_page_path`,
`next_page` and `next_page_path`; every other page sees `paginator` as nil.
"""

from __future__ import annotations

import math
import posixpath
from typing import Any

from pykyll.drops import to_liquid
from pykyll.liquid.ruby import to_i, to_s
from pykyll.models import Page
from pykyll.plugins import Plugin
from pykyll.plugins.builtin._gemkit import truthy


def _ensure_leading_slash(path: str) -> str:
    return path if path.startswith("/") else "/" + path


class Paginate(Plugin):
    name = "jekyll-paginate"
    priority = -100  # :lowest

    def generate(self) -> None:
        site = self.site
        if site.config.get("paginate") is None or not site.pages:
            return
        template = self.template_page()
        if template is None:
            site.logger.warn(
                "Pagination:",
                "Pagination is enabled, but I couldn't find an index.html page to use as the "
                "pagination template. Skipping pagination.",
            )
            return
        self.paginate(template)

    # -- the template page -------------------------------------------------------------------
    def _paginate_path(self) -> str:
        return to_s(self.site.config.get("paginate_path") or "/page:num")

    def is_candidate(self, page: Page) -> bool:
        if page.name != "index.html":
            return False
        source = posixpath.normpath(self.site.source.as_posix())
        path = to_s(page.data.get("path", page.relative_path))
        page_dir = posixpath.dirname(posixpath.normpath(posixpath.join(source, path.lstrip("/"))))
        relative = _ensure_leading_slash(self._paginate_path())[1:]
        folder = posixpath.dirname(posixpath.normpath(posixpath.join(source, relative)))
        while folder != posixpath.dirname(folder):
            if page_dir == folder:
                return True
            folder = posixpath.dirname(folder)
        return False

    def template_page(self) -> Page | None:
        candidates = [p for p in self.site.pages if self.is_candidate(p)]
        candidates.sort(key=lambda p: -len(to_s(p.data.get("path", p.relative_path))))
        return candidates[0] if candidates else None

    # -- the pages ---------------------------------------------------------------------------
    def page_path(self, number: int | None, first_url: str) -> str | None:
        if number is None:
            return None
        if number <= 1:
            return first_url
        return _ensure_leading_slash(self._paginate_path().replace(":num", str(number), 1))

    def paginate(self, template: Page) -> None:
        site = self.site
        per_page = to_i(site.config.get("paginate"))
        if per_page <= 0:
            return
        posts = sorted(site.collections["posts"].docs, key=lambda d: d.sort_key(), reverse=True)
        drops = [to_liquid(d) for d in posts]
        drops = [d for d in drops if not truthy(d.get("hidden"))]
        total_pages = math.ceil(len(drops) / per_page)
        first_url = template.url
        for number in range(1, total_pages + 1):
            start = (number - 1) * per_page
            previous_page = number - 1 if number != 1 else None
            next_page = number + 1 if number != total_pages else None
            pager: dict[str, Any] = {
                "page": number,
                "per_page": per_page,
                "posts": drops[start : start + per_page],
                "total_posts": len(drops),
                "total_pages": total_pages,
                "previous_page": previous_page,
                "previous_page_path": self.page_path(previous_page, first_url),
                "next_page": next_page,
                "next_page_path": self.page_path(next_page, first_url),
            }
            if number == 1:
                template.pager = pager
                continue
            page = Page(site, site.source, template.dir_, template.name)
            page.dir_ = self.page_path(number, first_url) or ""
            page.relative_path = posixpath.join(page.dir_, page.name).removeprefix("/")
            page.pager = pager
            site.pages.append(page)


PLUGINS = [Paginate]
