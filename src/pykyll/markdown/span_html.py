"""Span-level HTML elements are atomic in kramdown: emphasis never crosses their boundaries,
their content is parsed as spans on its own, and their tags are re-serialized."""

from __future__ import annotations

import re
from typing import Any

from mistune.core import InlineState
from mistune.inline_parser import InlineParser

from . import doc_options
from .html_blocks import (
    BLOCK_ELEMENTS,
    SPAN_ELEMENTS,
    START_TAG,
    VOID,
    content_model,
    find_end_tag,
    parse_attributes,
    tag_name,
)

# Block-level tags are not HTML inside a paragraph for kramdown: they stay as text.
BLOCK_ONLY_ELEMENTS = BLOCK_ELEMENTS - SPAN_ELEMENTS

SPAN_START = r"<(?P<span_html_tag>[A-Za-z][\w:.-]*)(?=[\s/>])"


def parse_span_html(inline: InlineParser, m: re.Match[str], state: InlineState) -> int | None:
    tag_match = START_TAG.match(state.src, m.start())
    if not tag_match:
        return None
    tag = tag_name(tag_match.group(1))
    if tag in BLOCK_ONLY_ELEMENTS:
        state.append_token({"type": "text", "raw": tag_match.group(0), "literal": True})
        return tag_match.end()
    attrs = parse_attributes(tag_match.group(2))
    token: dict[str, Any] = {"type": "html_element", "tag": tag, "html_attrs": attrs}
    if tag_match.group(3) or tag in VOID:
        attrs.pop("markdown", None)
        token["children"] = []
        state.append_token(token)
        return tag_match.end()
    end = find_end_tag(state.src, tag, tag_match.end())
    if end is None:  # kramdown closes an unclosed span element at the end of its parent
        end = (len(state.src), len(state.src))
    parse_span = doc_options.parser_option(
        state.env, "parse_span_html", state.env["kd_base_options"]
    )
    model = content_model(tag, attrs, default_raw=not parse_span)
    inner = state.src[tag_match.end() : end[0]]
    if model == "raw":
        token["children"] = raw_inline_children(inline, inner, state)
    else:
        token["children"] = inline(inner, state.env)
    state.append_token(token)
    return end[1]


_TAG = re.compile(r"<([A-Za-z][\w:.-]*)(?=[\s/>])|</[A-Za-z][\w:.-]*\s*>")


def raw_inline_children(
    inline: InlineParser, text: str, state: InlineState
) -> list[dict[str, Any]]:
    """Raw span content: text verbatim, nested elements parsed (and maybe markdown again)."""
    out: list[dict[str, Any]] = []
    pos = 0
    while pos < len(text):
        m = _TAG.search(text, pos)
        if not m:
            break
        sub = inline.state_cls(state.env)
        sub.src = text
        end = parse_span_html(inline, m, sub) if m.group(1) else None
        if end is None:  # not a tag after all: kramdown escapes it
            out.append({"type": "raw_span", "raw": text[pos : m.start()]})
            out.append({"type": "text", "raw": m.group(0), "literal": True})
            pos = m.end()
            continue
        if m.start() > pos:
            out.append({"type": "raw_span", "raw": text[pos : m.start()]})
        out.extend(sub.tokens)
        pos = end
    if pos < len(text):
        out.append({"type": "raw_span", "raw": text[pos:]})
    return out


def parse_stray_end_tag(inline: InlineParser, m: re.Match[str], state: InlineState) -> int:
    """An end tag without its start tag is plain text for kramdown."""
    state.append_token({"type": "text", "raw": m.group(0), "literal": True})
    return m.end()


def parse_processing_instruction(inline: InlineParser, m: re.Match[str], state: InlineState) -> int:
    """kramdown has no processing instructions or CDATA in text: `<?` and `<![CDATA[` are
    plain text and what follows them is parsed as usual."""
    state.append_token({"type": "text", "raw": m.group(0)})
    return m.end()


def register(md: Any) -> None:
    md.inline.register(
        "kd_pi",
        r"<\?|<!\[CDATA\[",
        parse_processing_instruction,
        before="inline_html",
        start_chars=["<"],
    )
    md.inline.register(
        "kd_span_html", SPAN_START, parse_span_html, before="inline_html", start_chars=["<"]
    )
    md.inline.register(
        "kd_stray_end_tag",
        r"</[A-Za-z][\w:.-]*\s*>",
        parse_stray_end_tag,
        before="inline_html",
        start_chars=["<"],
    )
