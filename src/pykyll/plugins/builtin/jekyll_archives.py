"""jekyll-archives 2.2: archive pages of posts by year, month, day, category and tag.

As in the gem: `jekyll-archives:` options `enabled` (`all`, `true` or a list of `year`,
`month`, `day`, `categories`, `tags`), `layout` (default `archive`), `layouts` per type and
`permalinks` per type (`:year`, `:month`, `:day`, `:name` — the slugified tag or
category — and `:type`). Each archive page shows `page.type`, `page.title` (tags and
categories), `page.date` (date archives), `page.posts` (newest first), `page.name`,
`page.path`, `page.url` and `page.permalink`; `site.archives` lists them all.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pykyll.config import deep_merge
from pykyll.drops import to_liquid
from pykyll.models import Document, GeneratedPage
from pykyll.permalinks import url_from_hash
from pykyll.plugins import Plugin
from pykyll.utils import slugify, unescape_path

if TYPE_CHECKING:
    from pykyll.site import Site

DEFAULTS: dict[str, Any] = {
    "layout": "archive",
    "enabled": [],
    "permalinks": {
        "year": "/:year/",
        "month": "/:year/:month/",
        "day": "/:year/:month/:day/",
        "tag": "/tag/:name/",
        "category": "/category/:name/",
    },
}


class Archive(GeneratedPage):
    """`Jekyll::Archives::Archive`: a page with no file, its URL from the permalinks."""

    def __init__(
        self,
        site: Site,
        title: str | dict[str, str],
        type: str,
        posts: list[Document],
        config: dict[str, Any],
    ) -> None:
        self.posts = posts
        self.archive_type = type
        self.archive_title = title
        self.config = config
        self.slug = slugify(title) if isinstance(title, str) else None
        path = self.relative_path_from_url
        super().__init__(site, "", path, "", {"layout": self.layout})
        self.relative_path = path
        self.ext = "." + path.rsplit(".", 1)[1] if "." in path.rsplit("/", 1)[-1] else ""
        leaf = path.rsplit("/", 1)[-1]
        self.name = leaf[: len(leaf) - len(self.ext)] if self.ext else leaf
        self.basename = self.name

    @property
    def template(self) -> str:  # type: ignore[override]
        return str(self.config["permalinks"][self.archive_type])

    @property
    def layout(self) -> Any:
        layouts = self.config.get("layouts")
        if isinstance(layouts, dict) and layouts.get(self.archive_type):
            return layouts[self.archive_type]
        return self.config.get("layout")

    @cached_property
    def url(self) -> str:  # type: ignore[override]
        if isinstance(self.archive_title, dict):
            placeholders: dict[str, str | None] = {**self.archive_title, "type": self.archive_type}
        else:
            placeholders = {"name": self.slug, "type": self.archive_type}
        return url_from_hash(self.template, placeholders)

    @property
    def relative_path_from_url(self) -> str:
        path = unescape_path(self.url).removeprefix("/")
        if self.url.endswith("/"):
            path = f"{path.rstrip('/')}/index.html".removeprefix("/")
        return path

    @property
    def title(self) -> str | None:
        return self.archive_title if isinstance(self.archive_title, str) else None

    @property
    def date(self) -> dt.date | None:
        if not isinstance(self.archive_title, dict):
            return None
        parts = [int(v) for v in self.archive_title.values()] + [1, 1]
        return dt.date(parts[0], parts[1], parts[2])

    @property
    def liquid_path(self) -> str:
        return self.relative_path

    def liquid_attributes(self) -> dict[str, Any]:
        return {
            "posts": [to_liquid(p) for p in self.posts],
            "type": self.archive_type,
            "title": self.title,
            "date": self.date,
            "name": self.name,
            "path": self.relative_path,
            "url": self.url,
            "permalink": self.data.get("permalink"),
        }


def _newest_first(posts: list[Document]) -> list[Document]:
    return sorted(posts, key=Document.sort_key, reverse=True)


class Archives(Plugin):
    name = "jekyll-archives"

    def generate(self) -> None:
        site = self.site
        config = deep_merge(DEFAULTS, site.config.get("jekyll-archives") or {})
        self.config = config
        site.config["jekyll-archives"] = config
        archives: list[Archive] = []
        posts = site.collections["posts"].docs
        if self.enabled("tags"):
            for title, docs in self.attr_hash(posts, "tags").items():
                archives.append(Archive(site, title, "tag", docs, config))
        if self.enabled("categories"):
            for title, docs in self.attr_hash(posts, "categories").items():
                archives.append(Archive(site, title, "category", docs, config))
        for year, year_posts in self.by_date(posts, "%Y").items():
            if self.enabled("year"):
                archives.append(Archive(site, {"year": year}, "year", year_posts, config))
            for month, month_posts in self.by_date(year_posts, "%m").items():
                when = {"year": year, "month": month}
                if self.enabled("month"):
                    archives.append(Archive(site, when, "month", month_posts, config))
                for day, day_posts in self.by_date(month_posts, "%d").items():
                    if self.enabled("day"):
                        archives.append(
                            Archive(site, {**when, "day": day}, "day", day_posts, config)
                        )
        site.pages.extend(archives)
        site.config["archives"] = [to_liquid(a) for a in archives]

    def enabled(self, kind: str) -> bool:
        value = self.config.get("enabled")
        if value is True or value == "all":
            return True
        return isinstance(value, list) and kind in value

    @staticmethod
    def attr_hash(posts: list[Document], attribute: str) -> dict[Any, list[Document]]:
        """`Site#post_attr_hash`: posts by tag or category, newest first."""
        grouped: dict[Any, list[Document]] = {}
        for post in posts:
            for value in post.data.get(attribute) or []:
                bucket = grouped.setdefault(value, [])
                if post not in bucket:
                    bucket.append(post)
        return {key: _newest_first(docs) for key, docs in grouped.items()}

    @staticmethod
    def by_date(posts: list[Document], fmt: str) -> dict[str, list[Document]]:
        grouped: dict[str, list[Document]] = {}
        for post in posts:
            grouped.setdefault(post.date.strftime(fmt), []).append(post)
        return {key: _newest_first(docs) for key, docs in grouped.items()}


PLUGINS = [Archives]
