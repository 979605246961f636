"""Ruby semantics that Jekyll's Liquid exposes: `to_s`, `inspect`, `to_i`, number
formatting, `Time#strftime`, `Time.parse`, comparisons and sorting.

Everything here is pure and works on plain Python values (str, int, float, Decimal,
bool, None, datetime, date, lists, tuples and any `collections.abc.Mapping`).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar, Token
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cmp_to_key
from typing import Any
from zoneinfo import ZoneInfo

from liquid.exceptions import FilterArgumentError
from liquid.undefined import Undefined

from pykyll.errors import PykyllError
from pykyll.utils import current_zone, local_timezone, site_timezone, use_site_zone

__all__ = [
    "RubyError",
    "compare",
    "format_float",
    "inspect",
    "local_zone",
    "parse_time",
    "strftime",
    "to_date",
    "to_f",
    "to_i",
    "to_number",
    "to_s",
]


class RubyError(FilterArgumentError):
    """A Ruby exception raised while evaluating a filter (ArgumentError, TypeError...).

    A `FilterArgumentError`, so python-liquid attaches the filter's token (and line)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, token=None)


def is_nil(value: object) -> bool:
    return value is None or isinstance(value, Undefined)


# -- to_s / inspect --------------------------------------------------------------------


def format_float(value: float) -> str:
    """`Float#to_s`: `1.0`, `0.1`, `1.0e+16`, `1.0e-05`, `Infinity`, `NaN`."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    text = repr(float(value))
    if "e" in text:
        mantissa, exp = text.split("e")
        if "." not in mantissa:
            mantissa += ".0"
        sign = exp[0] if exp[0] in "+-" else "+"
        digits = exp.lstrip("+-").rjust(2, "0")
        return f"{mantissa}e{sign}{digits}"
    if "." not in text:
        text += ".0"
    return text


def format_time(value: _dt.datetime) -> str:
    """`Time#to_s`: `2020-08-01 10:20:30 +0800` (`UTC` for Zulu times)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=local_zone())
    if _is_utc(value):
        return value.strftime("%Y-%m-%d %H:%M:%S UTC")
    return value.strftime("%Y-%m-%d %H:%M:%S ") + _offset(value, "")


def _is_utc(value: _dt.datetime) -> bool:
    tz = value.tzinfo
    return tz is _dt.UTC or (isinstance(tz, ZoneInfo) and tz.key in ("UTC", "Etc/UTC"))


def to_s(value: object) -> str:
    """Ruby's `to_s` as Liquid 5.4 uses it to output a value."""
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, Undefined):
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_float(value)
    if isinstance(value, Decimal):
        return format_float(float(value))
    if isinstance(value, _dt.datetime):
        return format_time(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, range):
        return f"{value.start}..{value.stop - 1}"
    if isinstance(value, Mapping):
        return inspect(value)
    if isinstance(value, (list, tuple)):
        return inspect(value)
    if hasattr(value, "__liquid__"):
        return to_s(value.__liquid__())
    return str(value)


def join(items: Iterable[object], glue: str = "") -> str:
    """`Array#join`: nested arrays are joined with the same glue, nil is empty."""
    parts = []
    for item in items:
        if isinstance(item, (list, tuple)):
            parts.append(join(item, glue))
        else:
            parts.append(to_s(item))
    return glue.join(parts)


def to_output(value: object) -> str:
    """What `{{ value }}` writes (Liquid 5.4: arrays are joined, nil is empty)."""
    if isinstance(value, (list, tuple)):
        return join(value)
    return to_s(value)


_INSPECT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\f": "\\f",
    "\v": "\\v",
    "\b": "\\b",
    "\a": "\\a",
    "\x1b": "\\e",
}


def inspect_string(text: str) -> str:
    out = ['"']
    for i, ch in enumerate(text):
        if ch in _INSPECT_ESCAPES:
            out.append(_INSPECT_ESCAPES[ch])
        elif ch == "#" and i + 1 < len(text) and text[i + 1] in "{$@":
            out.append("\\#")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02X}")
        elif not ch.isprintable() and ord(ch) > 0x7F:
            out.append(f"\\u{ord(ch):04X}" if ord(ch) < 0x10000 else f"\\u{{{ord(ch):X}}}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def inspect(value: object) -> str:
    """Ruby's `inspect` (Ruby 3.1: `{"a"=>1}`, `[1, "b", nil]`)."""
    if value is None or isinstance(value, Undefined):
        return "nil"
    if isinstance(value, str):
        return inspect_string(value)
    if isinstance(value, (bool, int, float, Decimal)):
        return to_s(value)
    if isinstance(value, _dt.datetime):
        return format_time(value)
    if isinstance(value, _dt.date):
        jd = value.toordinal() + 1721425
        return f"#<Date: {value.isoformat()} (({jd}j,0s,0n),+0s,2299161j)>"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{" + ", ".join(f"{inspect(k)}=>{inspect(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(inspect(item) for item in value) + "]"
    if isinstance(value, range):
        return f"{value.start}..{value.stop - 1}"
    if hasattr(value, "__liquid__"):
        return inspect(value.__liquid__())
    return str(value)


# -- numbers ---------------------------------------------------------------------------

_TO_I = re.compile(r"\A\s*([-+]?\d+(?:_\d+)*)")
_TO_F = re.compile(r"\A\s*([-+]?\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?(?:[eE][-+]?\d+)?)")
_DECIMAL_STRING = re.compile(r"\A-?\d+\.\d+\Z")
_INTEGER_STRING = re.compile(r"\A-?\d+\Z")


def to_i(value: object) -> int:
    """`to_i`: `String#to_i` for strings ('7,42' -> 7, 'abc' -> 0), truncation for floats."""
    if isinstance(value, bool):
        raise RubyError(f"undefined method `to_i' for {to_s(value)}:{_class(value)}")
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal)):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            raise RubyError("FloatDomainError")
        return int(value)
    if is_nil(value):
        return 0
    if isinstance(value, str):
        m = _TO_I.match(value)
        return int(m.group(1).replace("_", "")) if m else 0
    raise RubyError(f"undefined method `to_i' for {_class(value)}")


def to_f(value: object) -> float:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        m = _TO_F.match(value)
        return float(m.group(1).replace("_", "")) if m else 0.0
    if is_nil(value):
        return 0.0
    raise RubyError(f"undefined method `to_f' for {_class(value)}")


def liquid_to_integer(value: object) -> int:
    """Liquid's `Utils.to_integer` (raises "invalid integer" for non numbers)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        if isinstance(value, str):
            return int(Decimal(value.strip()))
        if isinstance(value, (float, Decimal)):
            return int(value)
    except (InvalidOperation, ValueError, OverflowError):
        pass
    raise RubyError("invalid integer")


def to_number(value: object) -> int | Decimal:
    """Liquid's `Utils.to_number`: ints stay ints, floats become BigDecimal, strings
    matching `-?\\d+\\.\\d+` become BigDecimal and other strings use `String#to_i`."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return Decimal(value)
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        stripped = value.strip()
        if _DECIMAL_STRING.match(stripped):
            return Decimal(stripped)
        return to_i(value)
    return 0


def number_result(value: int | Decimal) -> int | float:
    """Liquid converts BigDecimal results back to Float."""
    if isinstance(value, Decimal):
        return float(value)
    return value


def decimal_round(value: int | Decimal, digits: int) -> int | Decimal:
    if isinstance(value, int):
        if digits >= 0:
            return value
        q = Decimal(1).scaleb(-digits)
        return (
            int(Decimal(value).quantize(q, rounding=ROUND_HALF_UP))
            if False
            else int((Decimal(value) / q).quantize(Decimal(1), rounding=ROUND_HALF_UP) * q)
        )
    if not value.is_finite():
        return value
    q = Decimal(1).scaleb(-digits)
    if digits >= 0:
        return value.quantize(q, rounding=ROUND_HALF_UP)
    return (value / q).quantize(Decimal(1), rounding=ROUND_HALF_UP) * q


def decimal_ceil(value: int | Decimal) -> int:
    if isinstance(value, int):
        return value
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def decimal_floor(value: int | Decimal) -> int:
    if isinstance(value, int):
        return value
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def _class(value: object) -> str:
    if value is None:
        return "NilClass"
    if value is True:
        return "TrueClass"
    if value is False:
        return "FalseClass"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, (float, Decimal)):
        return "Float"
    if isinstance(value, str):
        return "String"
    if isinstance(value, Mapping):
        return "Hash"
    if isinstance(value, (list, tuple)):
        return "Array"
    if isinstance(value, _dt.datetime):
        return "Time"
    if isinstance(value, _dt.date):
        return "Date"
    return type(value).__name__


# -- comparison (<=>) --------------------------------------------------------------------


def spaceship(a: object, b: object) -> int | None:
    """Ruby's `a <=> b`, or None when the values are not comparable."""
    if isinstance(a, bool) or isinstance(b, bool):
        return 0 if a is b else None
    num = (int, float, Decimal)
    if isinstance(a, num) and isinstance(b, num):
        if (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
            return None
        return (a > b) - (a < b)  # type: ignore[operator]
    if isinstance(a, str) and isinstance(b, str):
        ab, bb = a.encode("utf-8"), b.encode("utf-8")
        return (ab > bb) - (ab < bb)
    if isinstance(a, _dt.datetime) and isinstance(b, _dt.datetime):
        a2, b2 = _aware(a), _aware(b)
        return (a2 > b2) - (a2 < b2)
    if (
        isinstance(a, _dt.date)
        and isinstance(b, _dt.date)
        and not isinstance(a, _dt.datetime)
        and not isinstance(b, _dt.datetime)
    ):
        return (a > b) - (a < b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        for x, y in zip(a, b, strict=False):
            c = spaceship(x, y)
            if c != 0:
                return c
        return (len(a) > len(b)) - (len(a) < len(b))
    if a is None and b is None:
        return 0
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return 0 if dict(a) == dict(b) else None
    return None


def compare(a: object, b: object) -> int:
    """`a <=> b` for `Array#sort`, raising Ruby's ArgumentError when incomparable."""
    c = spaceship(a, b)
    if c is None:
        raise RubyError(f"comparison of {_class(a)} with {_cmp_repr(b)} failed")
    return c


def _cmp_repr(value: object) -> str:
    if value is None or isinstance(value, (int, float, Decimal)):
        return inspect(value)
    return _class(value)


def ruby_sort(items: Iterable[Any], cmp: Callable[[Any, Any], int] = compare) -> list[Any]:
    return sorted(items, key=cmp_to_key(cmp))


def _aware(value: _dt.datetime) -> _dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=local_zone())


# -- time --------------------------------------------------------------------------------

_ZONE: ContextVar[str | None] = ContextVar("pykyll_ruby_zone", default=None)


def set_local_zone(name: str | None) -> Token[str | None]:
    """Use the `timezone` of `_config.yml` as Ruby's local time zone (Jekyll sets TZ) in
    the current context; returns a token for :func:`reset_local_zone`."""
    return _ZONE.set(name or None)


def reset_local_zone(token: Token[str | None]) -> None:
    _ZONE.reset(token)


def set_default_zone(name: str | None) -> None:
    """The zone used outside :func:`set_local_zone` scopes (the last site's `timezone`,
    for code that renders with the Environment directly)."""
    use_site_zone(name)


def local_zone() -> _dt.tzinfo:
    name = _ZONE.get()
    if name is None:
        return current_zone()
    try:
        return site_timezone(name)
    except PykyllError:  # an unknown `timezone:` is reported by the site; Ruby falls back
        return local_timezone()


def now() -> _dt.datetime:
    return _dt.datetime.now(local_zone())


def to_time(value: _dt.date) -> _dt.datetime:
    """`to_time` of a Date or Time: dates become local midnight."""
    if isinstance(value, _dt.datetime):
        return _aware(value)
    return _dt.datetime(value.year, value.month, value.day, tzinfo=local_zone())


def localtime(value: _dt.datetime) -> _dt.datetime:
    """`Time#localtime`."""
    return _aware(value).astimezone(local_zone())


_DIGITS = re.compile(r"\A\d+\Z")


def parse_time(text: str) -> _dt.datetime | None:
    """`Time.parse` for the formats people write (None where Ruby raises)."""
    from dateutil import parser as dateparser

    text = text.strip()
    if not text:
        return None
    tz = local_zone()
    default = now().replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    try:
        parsed = dateparser.parse(text, default=default)
    except (ValueError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    elif parsed.utcoffset() == _dt.timedelta(0) and re.search(r"(?i)(z|utc|gmt)\s*$", text):
        parsed = parsed.replace(tzinfo=_dt.UTC)
    return parsed


def to_date(value: object) -> _dt.date | None:
    """Liquid's `Utils.to_date`: dates pass, 'now'/'today', epoch seconds, `Time.parse`."""
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        if not value:
            return None
        lowered = value.lower()
        if lowered in ("now", "today"):
            return now()
        if _DIGITS.match(lowered):
            return _dt.datetime.fromtimestamp(int(lowered), local_zone())
        return parse_time(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return _dt.datetime.fromtimestamp(value, local_zone())
    return None


_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

_STRFTIME = re.compile(r"%([-_0^#]*)(\d*)(:{0,3})([a-zA-Z%+])")


def _offset(value: _dt.datetime, sep: str, colons: int = 1) -> str:
    off = value.utcoffset() or _dt.timedelta(0)
    total = int(off.total_seconds())
    sign = "-" if total < 0 else "+"
    total = abs(total)
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    if colons >= 2:
        return f"{sign}{h:02d}:{m:02d}:{s:02d}"
    return f"{sign}{h:02d}{sep}{m:02d}"


def _zone_abbrev(value: _dt.datetime) -> str:
    if _is_utc(value):
        return "UTC"
    if isinstance(value.tzinfo, ZoneInfo):
        return value.tzname() or ""
    if value.tzinfo is None:
        return ""
    return ""


def strftime(value: _dt.date, fmt: str) -> str:
    """Ruby's `Time#strftime` / `Date#strftime`, flags `- _ 0 ^ #`, widths and `%:z`."""
    is_time = isinstance(value, _dt.datetime)
    if is_time:
        t: _dt.datetime = value  # type: ignore[assignment]
    else:
        t = _dt.datetime(value.year, value.month, value.day, tzinfo=_dt.UTC)

    def conv(m: re.Match[str]) -> str:
        flags, width_s, colons_s, conv = m.groups()
        width = int(width_s) if width_s else None
        colons = len(colons_s)
        if colons and conv != "z":
            return m.group(0)
        upper = "^" in flags
        swap = "#" in flags
        pad: str | None = None
        if "-" in flags:
            pad = ""
        elif "_" in flags:
            pad = " "
        elif "0" in flags:
            pad = "0"

        def num(n: int, default_width: int, default_pad: str = "0") -> str:
            w = width if width is not None else default_width
            p = default_pad if pad is None else pad
            if p == "":
                return str(n)
            text = str(abs(n))
            sign = "-" if n < 0 else ""
            if p == "0":
                return sign + text.rjust(w - len(sign), "0")
            return (sign + text).rjust(w, " ")

        def txt(s: str, lower_swap: bool = False) -> str:
            if upper:
                s = s.upper()
            elif swap:
                s = s.lower() if lower_swap else s.upper()
            if width is not None and len(s) < width and pad != "":
                s = s.rjust(width, " " if pad is None else pad)
            return s

        c = conv
        if c == "Y":
            return (
                num(t.year, 4 if t.year >= 0 else 5)
                if width
                else str(t.year)
                if pad != " "
                else num(t.year, 4)
            )
        if c == "C":
            return num(t.year // 100, 2)
        if c == "y":
            return num(t.year % 100, 2)
        if c == "m":
            return num(t.month, 2)
        if c == "B":
            return txt(_MONTHS[t.month - 1])
        if c in ("b", "h"):
            return txt(_MONTHS[t.month - 1][:3])
        if c == "d":
            return num(t.day, 2)
        if c == "e":
            return num(t.day, 2, " ")
        if c == "j":
            return num(t.timetuple().tm_yday, 3)
        if c == "H":
            return num(t.hour, 2)
        if c == "k":
            return num(t.hour, 2, " ")
        if c == "I":
            return num((t.hour % 12) or 12, 2)
        if c == "l":
            return num((t.hour % 12) or 12, 2, " ")
        if c == "P":
            return txt("am" if t.hour < 12 else "pm")
        if c == "p":
            return txt("AM" if t.hour < 12 else "PM", lower_swap=True)
        if c == "M":
            return num(t.minute, 2)
        if c == "S":
            return num(t.second, 2)
        if c == "L":
            w = width or 3
            return f"{t.microsecond:06d}000"[:w].ljust(w, "0")
        if c == "N":
            w = width or 9
            return f"{t.microsecond:06d}000"[:w].ljust(w, "0")
        if c == "z":
            if not is_time:
                base = "+00:00" if colons == 1 else "+00:00:00" if colons >= 2 else "+0000"
                return base
            if colons == 1:
                return _offset(t, ":")
            if colons >= 2:
                return _offset(t, ":", 2)
            return _offset(t, "")
        if c == "Z":
            return txt(_zone_abbrev(t) if is_time else "+00:00", lower_swap=True)
        if c == "A":
            return txt(_DAYS[t.weekday()])
        if c == "a":
            return txt(_DAYS[t.weekday()][:3])
        if c == "u":
            return num(t.isoweekday(), 1)
        if c == "w":
            return num(t.isoweekday() % 7, 1)
        if c == "U":
            return num(int(t.strftime("%U")), 2)
        if c == "W":
            return num(int(t.strftime("%W")), 2)
        if c == "V":
            return num(t.isocalendar()[1], 2)
        if c == "G":
            return num(t.isocalendar()[0], 4)
        if c == "g":
            return num(t.isocalendar()[0] % 100, 2)
        if c == "s":
            return num(int(_aware(t).timestamp()) if is_time else int(t.timestamp()), 1)
        if c == "n":
            return "\n"
        if c == "t":
            return "\t"
        if c == "%":
            return "%"
        composite = {
            "c": "%a %b %e %H:%M:%S %Y",
            "D": "%m/%d/%y",
            "x": "%m/%d/%y",
            "F": "%Y-%m-%d",
            "T": "%H:%M:%S",
            "X": "%H:%M:%S",
            "R": "%H:%M",
            "r": "%I:%M:%S %p",
            "v": "%e-%^b-%4Y",
            "+": "%a %b %e %H:%M:%S %Z %Y",
        }.get(c)
        if composite is not None:
            return txt(strftime(value, composite))
        return m.group(0)

    return _STRFTIME.sub(conv, fmt)


def xmlschema(value: _dt.datetime) -> str:
    """`Time#xmlschema`."""
    base = value.strftime("%Y-%m-%dT%H:%M:%S")
    if _is_utc(value):
        return base + "Z"
    return base + _offset(value, ":")


def rfc822(value: _dt.datetime) -> str:
    """`Time#rfc822` (`Sat, 01 Aug 2020 10:20:30 +0800`, `-0000` for UTC)."""
    base = strftime(value, "%a, %d %b %Y %H:%M:%S ")
    if _is_utc(value):
        return base + "-0000"
    return base + _offset(value, "")


def now_utc() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)
