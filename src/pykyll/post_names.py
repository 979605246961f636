"""Finding a post by the name written in `{% post_url %}`, as Jekyll's PostComparer does."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_NAME = re.compile(r"^(.+/)*(\d+-\d+-\d+)-(.*)$")


def _name_regex(name: str) -> re.Pattern[str] | None:
    match = _NAME.match(name.lstrip("/"))
    if not match:
        return None
    path, date, slug = match.group(1), match.group(2), match.group(3)
    basename = rf"{re.escape(date)}-{re.escape(slug)}\.[^.]+"
    if path:
        # `news/2020-03-04-x` is `_posts/news/2020-03-04-x.md` or `news/_posts/2020-03-04-x.md`
        return re.compile(
            rf"\A_posts/{re.escape(path)}{basename}|\A{re.escape(path)}_posts/?{basename}"
        )
    return re.compile(rf"_posts/{basename}")


def find_post(name: str, posts: Iterable[Any]) -> Any | None:
    """The post whose relative path matches `[PATH/]DATE-SLUG` exactly as Jekyll 4.3 does."""
    regex = _name_regex(name)
    if regex is None:
        return None
    for post in posts:
        if regex.match(post.relative_path):
            return post
    return None


def find_post_by_date_and_slug(name: str, posts: Iterable[Any]) -> Any | None:
    """Jekyll's deprecated fallback: same date and slug, any folder."""
    match = _NAME.match(name.lstrip("/"))
    if not match:
        return None
    year, month, day = (int(part) for part in match.group(2).split("-"))
    slug = match.group(3)
    for post in posts:
        date = post.data.get("date")
        if post.data.get("slug") != slug or date is None:
            continue
        if (date.year, date.month, date.day) == (year, month, day):
            return post
    return None
