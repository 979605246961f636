"""Small helpers shared by several stages, each a port of a `Jekyll::Utils` function."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pykyll.errors import PykyllError

SLUGIFY_MODES = ("raw", "default", "pretty", "ascii", "latin")
_PRETTY_KEEP = frozenset("._~!$&'()+,;=@")
_RUBY_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_EDGE_HYPHEN = re.compile(r"^-|-$", re.M)  # Ruby's ^ and $ match at every line
#: the same rules on ASCII text, where letters and digits are the word characters: one
#: regex instead of a category lookup per character (titles are mostly ASCII)
_ASCII_DROPPED = {
    "default": re.compile(r"[^A-Za-z0-9]+"),
    "latin": re.compile(r"[^A-Za-z0-9]+"),
    "ascii": re.compile(r"[^A-Za-z0-9]+"),
    "pretty": re.compile(r"[^A-Za-z0-9" + re.escape("".join(sorted(_PRETTY_KEEP))) + "]+"),
}
_LATIN_SPECIAL = {
    "ß": "ss",
    "æ": "ae",
    "Æ": "AE",
    "ø": "o",
    "Ø": "O",
    "œ": "oe",
    "Œ": "OE",
    "đ": "d",
    "Đ": "D",
    "ł": "l",
    "Ł": "L",
    "þ": "th",
    "Þ": "Th",
    "ð": "d",
    "Ð": "D",
    "ı": "i",
}


def _is_word_char(ch: str) -> bool:
    """Ruby's `[\\p{M}\\p{L}\\p{Nd}]` as a category test."""
    cat = unicodedata.category(ch)
    return cat[0] in "ML" or cat == "Nd"


def _keeps(mode: str) -> Callable[[str], bool]:
    if mode == "pretty":
        return lambda ch: _is_word_char(ch) or ch in _PRETTY_KEEP
    if mode == "ascii":
        return lambda ch: ch.isascii() and ch.isalnum()
    return _is_word_char


def _collapse(string: str, keep: Callable[[str], bool]) -> str:
    out: list[str] = []
    in_run = False
    for ch in string:
        if keep(ch):
            out.append(ch)
            in_run = False
        elif not in_run:
            out.append("-")
            in_run = True
    return "".join(out)


def slugify(string: str | None, mode: str | None = None, cased: bool = False) -> str | None:
    """`Jekyll::Utils.slugify`: replace runs of unwanted characters with one hyphen."""
    if string is None:
        return None
    string = str(string)
    mode = mode or "default"
    if mode not in SLUGIFY_MODES:
        return string if cased else string.lower()
    if mode == "latin":
        string = transliterate(string)
    if mode == "raw":
        slug = _RUBY_SPACE.sub("-", string)
    elif string.isascii():
        slug = _ASCII_DROPPED[mode].sub("-", string)
    else:
        slug = _collapse(string, _keeps(mode))
    slug = _EDGE_HYPHEN.sub("", slug)
    return slug if cased else slug.lower()


def transliterate(string: str) -> str:
    """I18n.transliterate: accents dropped, a few letters spelled out, others become `?`."""
    out = []
    for ch in string:
        if ch.isascii():
            out.append(ch)
        elif ch in _LATIN_SPECIAL:
            out.append(_LATIN_SPECIAL[ch])
        else:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            out.append(base if base and base.isascii() else "?")
    return "".join(out)


def titleize_slug(slug: str) -> str:
    parts = slug.split("-")
    while parts and not parts[-1]:  # Ruby's String#split drops trailing empty fields
        parts.pop()
    return " ".join(part[:1].upper() + part[1:].lower() for part in parts)


def has_liquid_construct(content: str | None) -> bool:
    return bool(content) and ("{%" in content or "{{" in content)  # type: ignore[operator]


def local_timezone() -> dt.tzinfo:
    """The machine's zone with its DST rules (a fixed offset taken today would shift winter
    dates in summer), looked up again whenever `TZ` changes."""
    return _local_zone_for(os.environ.get("TZ"))


@lru_cache(maxsize=8)
def _local_zone_for(tz_variable: str | None) -> dt.tzinfo:
    from dateutil import tz as dateutil_tz

    time.tzset()
    return dateutil_tz.tzlocal()


_site_zone_name: list[str | None] = [None]


def use_site_zone(name: str | None) -> None:
    """Make `timezone:` the process's local zone, as Jekyll does by setting `ENV["TZ"]`:
    YAML times without an offset and Liquid dates are then shown in it."""
    _site_zone_name[0] = str(name) if name else None


def current_zone() -> dt.tzinfo:
    """The local zone set by :func:`use_site_zone` (the machine's when none was set)."""
    try:
        return site_timezone(_site_zone_name[0])
    except PykyllError:  # reported where the configuration is read
        return local_timezone()


@lru_cache(maxsize=64)
def _named_zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def site_timezone(name: str | None) -> dt.tzinfo:
    """The zone `timezone:` names, else the machine's local zone (as Ruby's Time does)."""
    if not name:
        return local_timezone()
    try:
        return _named_zone(str(name))
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise PykyllError(
            f"unknown timezone '{name}'",
            file="_config.yml",
            hint="use a name from the tz database, e.g. Europe/Berlin",
        ) from err


class InvalidDate(PykyllError):
    pass


def parse_date(
    value: Any, tz: dt.tzinfo, message: str = "Input could not be parsed."
) -> dt.datetime:
    """`Utils.parse_date(value.to_s)`: any date-ish value as an aware datetime in the site zone."""
    if isinstance(value, dt.datetime):
        # a YAML timestamp without an offset is UTC (Psych reads it so), not local time
        parsed = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    elif isinstance(value, dt.date):
        parsed = dt.datetime(value.year, value.month, value.day)
    else:
        parsed = _parse_date_text(str(value).strip(), message)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=tz)
    return parsed.astimezone(tz)


_PLAIN_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _parse_date_text(text: str, message: str) -> dt.datetime:
    plain = _PLAIN_DATE.fullmatch(text)
    if plain is not None:  # a post's file name: what dateutil would make of it, 50x quicker
        with contextlib.suppress(ValueError):  # 2020-02-30: dateutil words the error
            year, month, day = (int(part) for part in plain.groups())
            return dt.datetime(year, month, day)
    from dateutil import parser as dateparser  # 20 ms to import; YAML dates need none

    try:
        return dateparser.parse(text, default=dt.datetime(dt.date.today().year, 1, 1))
    except (ValueError, OverflowError) as err:
        raise InvalidDate(f"Invalid date '{text}': {message}") from err


_SAFE_PATH = re.compile(r"^[a-zA-Z0-9./-]+$")
# Addressable::URI.encode keeps unreserved, sub-delims, ":", "@" and "/" in a path
_PATH_KEEP = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/"
)


def escape_path(path: str) -> str:
    """`Jekyll::URL.escape_path`: percent-encode what a URL path may not contain."""
    if not path or _SAFE_PATH.match(path):
        return path
    out = []
    for ch in path:
        if ch in _PATH_KEEP:
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
    return "".join(out)


def unescape_path(path: str) -> str:
    if "%" not in path:
        return path
    from urllib.parse import unquote

    return unquote(path)


def ruby_fnmatch(pattern: str, name: str) -> bool:
    """Ruby's `File.fnmatch?` without flags: `*` and `?` also match `/`, `[...]` classes."""
    return _fnmatch_regex(pattern).match(name) is not None


@lru_cache(maxsize=512)
def _fnmatch_regex(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            out.append(".*")
        elif ch == "?":
            out.append(".")
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        elif ch == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out) + r"\Z", re.DOTALL)


@contextlib.contextmanager
def collector_frozen() -> Iterator[None]:
    """The objects alive now are left out of the cyclic garbage collector's walks until the
    block ends (`gc.freeze`). Inside a block that froze them already, the outer block
    unfreezes them (freezing does not nest)."""
    frozen_before = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()


def relative_posix(path: Path, root: Path) -> str:
    """`path.relative_to(root).as_posix()`; by string when `path` is below `root` (it runs
    for every file of a site, and pathlib's parsing costs ten times as much)."""
    text, base = str(path), str(root)
    if os.sep == "/" and text.startswith(base) and text[len(base) : len(base) + 1] == "/":
        return text[len(base) + 1 :]
    return path.relative_to(root).as_posix()


def sanitized_path(base: Path, questionable: str) -> Path:
    """Jekyll's `PathManager.sanitized_path`: `questionable` joined onto `base`, clamped
    inside it (`..` is resolved against `/` first, so a permalink can never leave `base`)."""
    base_text = str(base)
    clean = "/" + questionable if questionable.startswith("~") else questionable
    clean = os.path.normpath("/" + clean.replace("\x00", ""))
    clean = re.sub("/+", "/", clean)
    if clean == base_text or clean.startswith(base_text.rstrip("/") + "/"):
        return Path(clean)
    return Path(base_text.rstrip("/") + "/" + clean.lstrip("/"))
