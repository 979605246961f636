"""`{::options key="value" /}`: kramdown options changed from inside the document.

Parser options (parse_block_html, parse_span_html) apply from that point on; converter
options (footnote_nr, syntax_highlighter_opts, …) apply to the whole document, as in kramdown.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

PARSER_OPTIONS = {"parse_block_html", "parse_span_html"}
_KEY_VALUE = re.compile(r"""(\w+)=(["'])((?:\\.|(?!\2).)*)\2""")
_PARSER_STATE = "kd_parser_options"
_DOC_OPTIONS = "kd_doc_options"


def parse_options(body: str) -> dict[str, Any]:
    """`key="value"` pairs with the value read as YAML (`"true"`, `"10"`, `"{a: b}"`)."""
    values: dict[str, Any] = {}
    for key, _, raw in _KEY_VALUE.findall(body):
        text = re.sub(r"\\(.)", r"\1", raw)
        try:
            values[key] = yaml.safe_load(text) if text else None
        except yaml.YAMLError:
            values[key] = text
    return values


def apply(env: Any, values: dict[str, Any], base: dict[str, Any]) -> None:
    """Record new option values: parser ones for what follows, the rest for the document."""
    parser = env.setdefault(_PARSER_STATE, {})
    doc = env.setdefault(_DOC_OPTIONS, dict(base))
    for key, value in values.items():
        if key in PARSER_OPTIONS:
            parser[key] = value
        elif key in base and isinstance(base[key], dict) and isinstance(value, dict):
            doc[key] = {**base[key], **{str(k): v for k, v in value.items()}}
        elif key in base and _same_kind(base[key], value):
            doc[key] = value


def _same_kind(current: Any, value: Any) -> bool:
    """kramdown rejects values that do not fit the option (e.g. footnote_nr="da10")."""
    if isinstance(current, (bool, int)):
        return isinstance(value, type(current))
    return True


def parser_option(env: Any, name: str, base: dict[str, Any]) -> Any:
    return env.get(_PARSER_STATE, {}).get(name, base.get(name))


def document_options(env: Any, base: dict[str, Any]) -> dict[str, Any]:
    return env.get(_DOC_OPTIONS) or base  # type: ignore[no-any-return]
