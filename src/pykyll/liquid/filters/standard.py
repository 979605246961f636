"""Liquid 5.4's standard filters with Ruby semantics (`String#to_i`, BigDecimal math,
`Array#join`, `CGI.escape`...), replacing python-liquid's versions."""

from __future__ import annotations

import base64
import binascii
import html
import re
import urllib.parse
from collections.abc import Iterable, Mapping
from decimal import Decimal, DivisionByZero, InvalidOperation
from typing import Any

from liquid.builtin.expressions.primitive import Blank, Empty
from liquid.undefined import Undefined

from pykyll.liquid import ruby
from pykyll.liquid.ruby import RubyError, to_s


def nil(value: object) -> object:
    """Undefined values behave as nil."""
    return None if isinstance(value, Undefined) else value


def input_iterator(value: object) -> list[Any]:
    """Liquid's `InputIterator`: arrays are flattened, a hash is one item, nil is empty."""
    value = nil(value)
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return _flatten(value)
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, range):
        return list(value)
    return [value]


def _flatten(items: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, (list, tuple)):
            out.extend(_flatten(item))
        else:
            out.append(item)
    return out


def _index(obj: object, key: object) -> object:
    """`obj[key]` as Ruby does it for the `respond_to?(:[])` objects Liquid filters see."""
    if isinstance(obj, Mapping):
        value = obj.get(key)  # type: ignore[call-overload]
        return nil(value)
    if isinstance(obj, str):
        if isinstance(key, str):
            return key if key in obj else None
        raise RubyError("no implicit conversion into Integer")
    if isinstance(obj, (list, tuple)):
        if isinstance(key, int) and not isinstance(key, bool):
            return obj[key] if -len(obj) <= key < len(obj) else None
        raise RubyError(f"no implicit conversion of {ruby._class(key)} into Integer")
    if obj is None:
        raise RubyError("undefined method `[]' for nil:NilClass")
    raise RubyError(f"cannot select the property '{to_s(key)}'")


def property_error(prop: object) -> RubyError:
    return RubyError(f"cannot select the property '{to_s(prop)}'")


# -- strings -------------------------------------------------------------------------------


def size(value: object) -> int:
    value = nil(value)
    if isinstance(value, bool) or value is None:
        return 0
    if isinstance(value, int):
        return 8
    if isinstance(value, (str, list, tuple, Mapping, range)):
        return len(value)
    return 0


def downcase(value: object) -> str:
    return to_s(nil(value)).lower()


def upcase(value: object) -> str:
    return to_s(nil(value)).upper()


def capitalize(value: object) -> str:
    text = to_s(nil(value))
    return text[:1].upper() + text[1:].lower()


def escape(value: object) -> str | None:
    value = nil(value)
    if value is None:
        return None
    return html.escape(to_s(value), quote=True).replace("&#x27;", "&#39;")


_ESCAPE_ONCE = re.compile(r"[\"><']|&(?!(?:[a-zA-Z]+|#\d+);)")
_HTML_ESCAPES = {"&": "&amp;", ">": "&gt;", "<": "&lt;", '"': "&quot;", "'": "&#39;"}


def escape_once(value: object) -> str:
    return _ESCAPE_ONCE.sub(lambda m: _HTML_ESCAPES[m.group(0)], to_s(nil(value)))


def cgi_escape(text: str) -> str:
    """`CGI.escape`."""
    return urllib.parse.quote_plus(text, safe="~")


def url_encode(value: object) -> str | None:
    value = nil(value)
    if value is None:
        return None
    return cgi_escape(to_s(value))


def url_decode(value: object) -> str | None:
    value = nil(value)
    if value is None:
        return None
    raw = urllib.parse.unquote_to_bytes(to_s(value).replace("+", " "))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RubyError("invalid byte sequence in UTF-8") from None


def base64_encode(value: object) -> str:
    return base64.b64encode(to_s(nil(value)).encode("utf-8")).decode("ascii")


def _binary(raw: bytes) -> str:
    """Ruby's decoded string is ASCII-8BIT: writing non-ASCII bytes into a UTF-8 page
    fails the build ("incompatible character encodings")."""
    if not raw.isascii():
        raise RubyError("incompatible character encodings: UTF-8 and ASCII-8BIT")
    return raw.decode("ascii")


def base64_decode(value: object) -> str:
    try:
        raw = base64.b64decode(to_s(nil(value)).encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise RubyError("invalid base64 provided to base64_decode") from None
    return _binary(raw)


def base64_url_safe_encode(value: object) -> str:
    return base64.urlsafe_b64encode(to_s(nil(value)).encode("utf-8")).decode("ascii")


def base64_url_safe_decode(value: object) -> str:
    text = to_s(nil(value))
    if len(text) % 4:
        text += "=" * (4 - len(text) % 4)
    try:
        raw = base64.b64decode(text.encode("ascii"), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise RubyError("invalid base64 provided to base64_url_safe_decode") from None
    return _binary(raw)


def _ruby_slice(seq: Any, offset: int, length: int) -> Any:
    n = len(seq)
    if offset < 0:
        offset += n
        if offset < 0:
            return None
    if offset > n or length < 0:
        return None
    return seq[offset : offset + length]


def slice_(value: object, offset: object, length: object = None) -> object:
    off = ruby.liquid_to_integer(offset)
    ln = 1 if nil(length) is None else ruby.liquid_to_integer(length)
    value = nil(value)
    if isinstance(value, (list, tuple)):
        result = _ruby_slice(list(value), off, ln)
        return result if result is not None else []
    result = _ruby_slice(to_s(value), off, ln)
    return result if result is not None else ""


def truncate(value: object, length: object = 50, ellipsis: object = "...") -> str | None:
    value = nil(value)
    if value is None:
        return None
    text = to_s(value)
    n = ruby.liquid_to_integer(length)
    tail = to_s(nil(ellipsis))
    keep = max(n - len(tail), 0)
    return text[:keep] + tail if len(text) > n else text


_RUBY_SPACE = " \t\n\v\f\r"


def _awk_split(text: str, limit: int = 0) -> list[str]:
    """`String#split(" ", limit)`: awk-style whitespace split."""
    if limit <= 0:
        return text.split()
    parts = text.lstrip(_RUBY_SPACE + "\x00")
    out: list[str] = []
    while parts and len(out) < limit - 1:
        m = re.match(r"([^ \t\n\v\f\r]+)[ \t\n\v\f\r]*", parts)
        if not m:
            break
        out.append(m.group(1))
        parts = parts[m.end() :]
    if parts:
        out.append(parts)
    return out


def truncatewords(value: object, words: object = 15, ellipsis: object = "...") -> str | None:
    value = nil(value)
    if value is None:
        return None
    text = to_s(value)
    n = ruby.liquid_to_integer(words)
    if n <= 0:
        n = 1
    wordlist = _awk_split(text, n + 1)
    if len(wordlist) <= n:
        return text
    return " ".join(wordlist[:n]) + to_s(nil(ellipsis))


def split(value: object, pattern: object = None) -> list[str]:
    text = to_s(nil(value))
    sep = to_s(nil(pattern))
    if sep == " ":
        parts = text.split()
    elif sep == "":
        parts = list(text)
    else:
        parts = text.split(sep)
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def strip(value: object) -> str:
    return to_s(nil(value)).strip(_RUBY_SPACE + "\x00")


def lstrip(value: object) -> str:
    return to_s(nil(value)).lstrip(_RUBY_SPACE + "\x00")


def rstrip(value: object) -> str:
    return to_s(nil(value)).rstrip(_RUBY_SPACE + "\x00")


_STRIP_BLOCKS = re.compile(r"<script.*?</script>|<!--.*?-->|<style.*?</style>", re.S)
_STRIP_TAGS = re.compile(r"<.*?>", re.S)


def strip_html(value: object) -> str:
    return _STRIP_TAGS.sub("", _STRIP_BLOCKS.sub("", to_s(nil(value))))


def strip_newlines(value: object) -> str:
    return re.sub(r"\r?\n", "", to_s(nil(value)))


def newline_to_br(value: object) -> str:
    return re.sub(r"\r?\n", "<br />\n", to_s(nil(value)))


def replace(value: object, old: object, new: object = "") -> str:
    return to_s(nil(value)).replace(to_s(nil(old)), to_s(nil(new)))


def replace_first(value: object, old: object, new: object = "") -> str:
    return to_s(nil(value)).replace(to_s(nil(old)), to_s(nil(new)), 1)


def replace_last(value: object, old: object, new: object = "") -> str:
    text, o, n = to_s(nil(value)), to_s(nil(old)), to_s(nil(new))
    i = text.rfind(o)
    if i < 0:
        return text
    return text[:i] + n + text[i + len(o) :]


def remove(value: object, old: object) -> str:
    return replace(value, old, "")


def remove_first(value: object, old: object) -> str:
    return replace_first(value, old, "")


def remove_last(value: object, old: object) -> str:
    return replace_last(value, old, "")


def append(value: object, other: object) -> str:
    return to_s(nil(value)) + to_s(nil(other))


def prepend(value: object, other: object) -> str:
    return to_s(nil(other)) + to_s(nil(value))


# -- arrays --------------------------------------------------------------------------------


def join(value: object, glue: object = " ") -> str:
    return ruby.join(input_iterator(value), to_s(nil(glue)))


def first(value: object) -> object:
    value = nil(value)
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    if isinstance(value, Mapping):
        for item in value.items():
            return list(item)
        return None
    if isinstance(value, range):
        return value.start if len(value) else None
    return None


def last(value: object) -> object:
    value = nil(value)
    if isinstance(value, (list, tuple)):
        return value[-1] if value else None
    if isinstance(value, range):
        return value[-1] if len(value) else None
    return None


def _casecmp(a: object, b: object) -> int:
    if a is not None and b is not None:
        x, y = to_s(a).encode().lower(), to_s(b).encode().lower()
        return (x > y) - (x < y)
    return 1 if a is None else -1


def _nil_safe_compare(a: object, b: object) -> int:
    c = ruby.spaceship(a, b)
    if c is not None:
        return c
    if a is None:
        return 1
    if b is None:
        return -1
    raise RubyError("cannot sort values of incompatible types")


def sort_natural(value: object, prop: object = None) -> list[Any]:
    items = input_iterator(value)
    if not items:
        return []
    prop = nil(prop)
    if prop is None:
        return ruby.ruby_sort(items, _casecmp)
    if not all(isinstance(i, (Mapping, list, tuple, str)) for i in items):
        return items
    try:
        keyed = [(_index(i, prop), i) for i in items]
    except RubyError:
        raise property_error(prop) from None
    return [i for _, i in ruby.ruby_sort(keyed, lambda a, b: _casecmp(a[0], b[0]))]


def _uniq_key(value: object) -> object:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return (type(value).__name__, value)
    if isinstance(value, (list, tuple, Mapping)):
        return ("repr", ruby.inspect(value))
    try:
        hash(value)
    except TypeError:
        return ("id", id(value))
    return value


def uniq(value: object, prop: object = None) -> list[Any]:
    items = input_iterator(value)
    prop = nil(prop)
    seen: set[object] = set()
    out = []
    for item in items:
        key = item if prop is None else _index(item, prop)
        k = _uniq_key(key)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def reverse(value: object) -> list[Any]:
    return list(reversed(input_iterator(value)))


def map_(value: object, prop: object) -> list[Any]:
    out = []
    for item in input_iterator(value):
        if prop == "to_liquid":
            out.append(item)
            continue
        try:
            out.append(_index(item, prop))
        except RubyError:
            raise property_error(prop) from None
    return out


def compact(value: object, prop: object = None) -> list[Any]:
    items = input_iterator(value)
    prop = nil(prop)
    if prop is None:
        return [i for i in items if nil(i) is not None]
    return [i for i in items if _index(i, prop) is not None]


def concat(value: object, other: object) -> list[Any]:
    other = nil(other)
    if not isinstance(other, (list, tuple)):
        raise RubyError("concat filter requires an array argument")
    return input_iterator(value) + list(other)


def default(value: object, default_value: object = "", *, allow_false: object = False) -> object:
    value = nil(value)
    if nil(allow_false) not in (None, False):
        missing = value is None
    else:
        missing = value is None or value is False
    if missing or (isinstance(value, (str, list, tuple, Mapping)) and len(value) == 0):
        return default_value
    return value


# -- math ----------------------------------------------------------------------------------


def _operate(a: object, b: object, op: str) -> int | float:
    x, y = ruby.to_number(nil(a)), ruby.to_number(nil(b))
    if isinstance(x, Decimal) or isinstance(y, Decimal):
        dx, dy = Decimal(x), Decimal(y)
        try:
            if op == "+":
                r = dx + dy
            elif op == "-":
                r = dx - dy
            elif op == "*":
                r = dx * dy
            elif op == "/":
                r = dx / dy
            else:
                r = dx - dy * (dx / dy).to_integral_value(rounding="ROUND_FLOOR")
        except (DivisionByZero, InvalidOperation):
            if op == "/" and dy == 0:
                if dx == 0:
                    return float("nan")
                return float("inf") if dx > 0 else float("-inf")
            raise RubyError("divided by 0") from None
        return float(r)
    xi, yi = int(x), int(y)
    if op == "+":
        return xi + yi
    if op == "-":
        return xi - yi
    if op == "*":
        return xi * yi
    if yi == 0:
        raise RubyError("divided by 0")
    return xi // yi if op == "/" else xi % yi


def plus(a: object, b: object) -> int | float:
    return _operate(a, b, "+")


def minus(a: object, b: object) -> int | float:
    return _operate(a, b, "-")


def times(a: object, b: object) -> int | float:
    return _operate(a, b, "*")


def divided_by(a: object, b: object) -> int | float:
    return _operate(a, b, "/")


def modulo(a: object, b: object) -> int | float:
    return _operate(a, b, "%")


def abs_(value: object) -> int | float:
    number = ruby.to_number(nil(value))
    return ruby.number_result(-number if number < 0 else number)


def round_(value: object, digits: object = 0) -> int | float:
    number = ruby.to_number(nil(value))
    n = ruby.to_number(nil(digits))
    nd = int(n)
    result = ruby.decimal_round(number, nd)
    if nd <= 0 and isinstance(result, Decimal):
        return int(result) if result.is_finite() else float(result)
    return ruby.number_result(result)


def ceil(value: object) -> int:
    return ruby.decimal_ceil(ruby.to_number(nil(value)))


def floor(value: object) -> int:
    return ruby.decimal_floor(ruby.to_number(nil(value)))


def at_least(value: object, bound: object) -> int | float:
    x, b = ruby.to_number(nil(value)), ruby.to_number(nil(bound))
    return ruby.number_result(b if b > x else x)


def at_most(value: object, bound: object) -> int | float:
    x, b = ruby.to_number(nil(value)), ruby.to_number(nil(bound))
    return ruby.number_result(b if b < x else x)


# -- dates ---------------------------------------------------------------------------------


def date(value: object, fmt: object) -> object:
    value = nil(value)
    text = to_s(nil(fmt))
    if not text:
        return value
    parsed = ruby.to_date(value)
    if parsed is None:
        return value
    return ruby.strftime(parsed, text)


def is_empty_literal(value: object) -> bool:
    return isinstance(value, (Empty, Blank))


FILTERS: dict[str, Any] = {
    "size": size,
    "downcase": downcase,
    "upcase": upcase,
    "capitalize": capitalize,
    "escape": escape,
    "h": escape,
    "escape_once": escape_once,
    "url_encode": url_encode,
    "url_decode": url_decode,
    "base64_encode": base64_encode,
    "base64_decode": base64_decode,
    "base64_url_safe_encode": base64_url_safe_encode,
    "base64_url_safe_decode": base64_url_safe_decode,
    "slice": slice_,
    "truncate": truncate,
    "truncatewords": truncatewords,
    "split": split,
    "strip": strip,
    "lstrip": lstrip,
    "rstrip": rstrip,
    "strip_html": strip_html,
    "strip_newlines": strip_newlines,
    "newline_to_br": newline_to_br,
    "replace": replace,
    "replace_first": replace_first,
    "replace_last": replace_last,
    "remove": remove,
    "remove_first": remove_first,
    "remove_last": remove_last,
    "append": append,
    "prepend": prepend,
    "join": join,
    "first": first,
    "last": last,
    "sort_natural": sort_natural,
    "uniq": uniq,
    "reverse": reverse,
    "map": map_,
    "compact": compact,
    "concat": concat,
    "default": default,
    "plus": plus,
    "minus": minus,
    "times": times,
    "divided_by": divided_by,
    "modulo": modulo,
    "abs": abs_,
    "round": round_,
    "ceil": ceil,
    "floor": floor,
    "at_least": at_least,
    "at_most": at_most,
    "date": date,
}
