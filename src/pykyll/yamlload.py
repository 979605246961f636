"""Safe YAML loading for configuration, front matter and data files.

Only PyYAML's safe constructors are ever used: a `!!python/object` tag is refused,
never executed. Errors are turned into messages that name the file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

try:  # the C loader is several times faster on large data files
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from pykyll.errors import PykyllError
from pykyll.utils import current_zone

# Ruby's Psych also reads `2020-01-02 10:00:00 +0800` (offset without a colon) as a time,
# and Jekyll users write dates that way; PyYAML alone would leave them strings.
_RUBY_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d\d?)-(\d\d?)(?:[Tt]|[ \t]+)(\d\d?):(\d\d):(\d\d)(?:\.(\d+))?"
    r"[ \t]*(Z|[-+]\d\d?(?::?\d\d)?)?$"
)


class _RubyLikeLoader(_Loader):
    """Safe loading with Psych's notion of a timestamp."""


def _offset(text: str | None) -> dt.tzinfo | None:
    if not text:
        return None
    if text == "Z":
        return dt.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
    return dt.timezone(sign * dt.timedelta(hours=int(hours), minutes=int(minutes)))


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    match = _RUBY_TIMESTAMP.match(text)
    if match is None:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    fields = (int(year), int(month), int(day), int(hour), int(minute), int(second), micro)
    if zone is None:  # Psych's `Time.at`: read as UTC, shown in the local (site's) zone
        return dt.datetime(*fields, tzinfo=dt.UTC).astimezone(current_zone())
    return dt.datetime(*fields, tzinfo=_offset(zone))


_RubyLikeLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_RubyLikeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp",
    re.compile(
        r"^\d{4}-\d\d?-\d\d?(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d+)?"
        r"[ \t]*(?:Z|[-+]\d\d?(?::?\d\d)?)?$"
    ),
    list("0123456789"),
)


def load(text: str, name: str = "") -> Any:
    return yaml.load(text, Loader=_RubyLikeLoader)


def error(err: yaml.YAMLError, file: str, line_offset: int, kind: type[PykyllError]) -> PykyllError:
    """A located error for a YAML problem; `line_offset` is the line the YAML starts on."""
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    line = mark.line + 1 + line_offset if mark is not None else None
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    context, context_mark = getattr(err, "context", None), getattr(err, "context_mark", None)
    if context and context_mark is not None and context_mark is not mark:
        problem += f" ({context} started at line {context_mark.line + 1 + line_offset})"
    if "could not determine a constructor" in str(err):
        problem = "a YAML tag that is not allowed (only plain YAML is read, never Python objects)"
    return kind(f"invalid YAML: {problem}", file=file, line=line, hint="fix the YAML syntax")
