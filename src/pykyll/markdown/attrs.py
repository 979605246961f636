"""Element attributes as kramdown keeps them (IALs merge into these)."""

from __future__ import annotations

import re
from typing import Any

_ATTR_SPECIAL = re.compile(r"<|>|\"|&(?!#?\w+;)")
_ATTR_ESCAPES = {"<": "&lt;", ">": "&gt;", '"': "&quot;", "&": "&amp;"}


def escape_attr(value: str) -> str:
    """kramdown escapes <, >, double quotes and any & not starting an entity."""
    return _ATTR_SPECIAL.sub(lambda m: _ATTR_ESCAPES[m.group(0)], value)


def render_attrs(attrs: dict[str, Any] | None) -> str:
    """` key="value"` pairs in insertion order; None values are skipped."""
    if not attrs:
        return ""
    parts = []
    for key, value in attrs.items():
        if value is None or key.startswith("__"):
            continue
        parts.append(f' {key}="{escape_attr(str(value))}"')
    return "".join(parts)


def merge_attrs(target: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Merge IAL attributes: classes accumulate, everything else overwrites."""
    for key, value in extra.items():
        if key == "__refs":
            target.setdefault("__refs", []).extend(value)
        elif key == "class" and target.get("class"):
            target["class"] = f"{target['class']} {value}"
        else:
            target[key] = value
    return target


def token_attrs(token: dict[str, Any]) -> dict[str, Any]:
    """The HTML attributes attached to a token by IALs (created on demand)."""
    attrs = token.get("html_attrs")
    if attrs is None:
        attrs = token["html_attrs"] = {}
    return attrs  # type: ignore[no-any-return]
