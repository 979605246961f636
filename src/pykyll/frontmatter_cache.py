"""Parsed front matter, kept in the disk cache (YAML parsing is most of the read stage).

Only what JSON can give back exactly is cached: strings, numbers, booleans, null, lists,
string-keyed mappings, dates, and times that are naive or have a fixed UTC offset. Any
other value (a time in a named zone, a set, binary data, a non-string key) makes that
front matter uncached: it is parsed again at every build, as before. The key is the
front matter text with the zone settings that YAML times depend on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from typing import Any

from pykyll.cache import Bucket, content_key, fingerprint
from pykyll.frontmatter import _FRONT_MATTER, Parsed
from pykyll.frontmatter import parse as parse_front_matter

_TAG = "\0pykyll"


class _Uncacheable(Exception):
    pass


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _Uncacheable
        return value
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value) or _TAG in value:
            raise _Uncacheable
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None and type(value.tzinfo) is not dt.timezone:
            raise _Uncacheable
        return {_TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {_TAG: "date", "v": value.isoformat()}
    raise _Uncacheable


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        kind = value.get(_TAG)
        if kind == "datetime":
            return dt.datetime.fromisoformat(value["v"])
        if kind == "date":
            return dt.date.fromisoformat(value["v"])
        return {k: _decode(v) for k, v in value.items()}
    return value


class FrontMatterCache:
    def __init__(self, bucket: Bucket, timezone: Any) -> None:
        self.bucket = bucket
        self.options = fingerprint("front matter", str(timezone), os.environ.get("TZ"))

    def parse(self, text: str, file: str) -> Parsed:
        match = _FRONT_MATTER.match(text)
        if match is None:
            return parse_front_matter(text, file)
        key = content_key(self.options, match.group(1))
        hit = self.bucket.get(key)
        if isinstance(hit, dict) and "data" in hit:
            try:
                data = _decode(hit["data"])
            except (KeyError, TypeError, ValueError):
                pass  # a damaged entry: parse again
            else:
                content = text[match.end() :]
                content_line = text.count("\n", 0, match.end()) + 1
                return Parsed(data, content, content_line, True)
        parsed = parse_front_matter(text, file)
        with contextlib.suppress(_Uncacheable):
            self.bucket.put(key, {"data": _encode(parsed.data)})
        return parsed


__all__ = ["FrontMatterCache"]
