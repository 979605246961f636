"""Permalinks: URL templates, their placeholders, and the `_site` path a URL is written to.

A port of `Jekyll::URL`, `Drops::UrlDrop` and `Utils.add_permalink_suffix`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from pykyll.errors import ContentError
from pykyll.utils import escape_path, slugify

if TYPE_CHECKING:
    from pykyll.models import Document

_PLACEHOLDER = re.compile(r":([a-z_]+)")


def add_permalink_suffix(template: str, style: str) -> str:
    """The suffix pages and collection documents get from the site's permalink style."""
    if style == "pretty":
        return template + "/"
    if style in ("date", "ordinal", "none"):
        return template + ":output_ext"
    if style.endswith("/"):
        template += "/"
    if style.endswith(":output_ext"):
        template += ":output_ext"
    return template


def sanitize_url(url: str) -> str:
    url = ("/" + url).replace("..", "/").replace("./", "")
    return re.sub("/+", "/", url)


def url_from_hash(template: str, placeholders: Mapping[str, str | None]) -> str:
    """Pages and static files: plain string replacement, in the placeholders' order."""
    result = template
    for key, value in placeholders.items():
        if ":" not in result:
            break
        if value is None:
            result = result.replace(f"/:{key}", "")
        else:
            result = result.replace(f":{key}", escape_path(value))
    return sanitize_url(result)


def url_from_drop(template: str, placeholders: Mapping[str, Callable[[], str]], file: str) -> str:
    """Documents: every `:name` must be a known placeholder (Jekyll raises otherwise)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        pool = [name, name[:-1]] if name.endswith("_") else [name]
        winner = next((key for key in pool if key in placeholders), None)
        if winner is None:
            raise ContentError(
                f"The URL template doesn't have {' or '.join(pool)} keys.",
                file=file,
                hint="Check your permalink template!",
            )
        value = placeholders[winner]() or ""
        return match.group(0).replace(f":{winner}", escape_path(value), 1)

    return sanitize_url(_PLACEHOLDER.sub(replace, template))


def document_placeholders(doc: Document) -> dict[str, Callable[[], str]]:
    """`Drops::UrlDrop`: each placeholder computed only if the template uses it."""

    def fmt(pattern: str) -> Callable[[], str]:
        return lambda: doc.date.strftime(pattern)

    def title() -> str:
        slug = doc.data.get("slug")
        source = str(slug) if slug is not None else doc.basename_without_ext
        return slugify(source, "pretty", True) or ""

    def slug() -> str:
        value = doc.data.get("slug")
        source = str(value) if value is not None else doc.basename_without_ext
        return slugify(source) or ""

    def categories() -> str:
        seen = dict.fromkeys(str(c).lower() for c in _as_list(doc.data.get("categories")))
        return "/".join(seen)

    def slugified_categories() -> str:
        seen = dict.fromkeys(slugify(str(c)) or "" for c in _as_list(doc.data.get("categories")))
        return "/".join(seen)

    return {
        "path": lambda: doc.cleaned_relative_path,
        "output_ext": lambda: doc.output_ext,
        "collection": lambda: doc.collection.label,
        "name": lambda: slugify(doc.basename_without_ext) or "",
        "title": title,
        "slug": slug,
        "categories": categories,
        "slugified_categories": slugified_categories,
        "year": fmt("%Y"),
        "month": fmt("%m"),
        "day": fmt("%d"),
        "hour": fmt("%H"),
        "minute": fmt("%M"),
        "second": fmt("%S"),
        "i_day": fmt("%-d"),
        "i_month": fmt("%-m"),
        "short_month": fmt("%b"),
        "long_month": fmt("%B"),
        "short_year": fmt("%y"),
        "y_day": fmt("%j"),
        "w_year": fmt("%G"),
        "week": fmt("%V"),
        "w_day": fmt("%u"),
        "short_day": fmt("%a"),
        "long_day": fmt("%A"),
    }


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]
