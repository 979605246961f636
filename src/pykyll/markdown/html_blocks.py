"""Block-level HTML the kramdown way: `markdown="1|block|span|0"`, re-serialized tags.

A block HTML element's content is raw by default (Jekyll leaves parse_block_html off), but
raw content is still scanned for nested tags, so a nested `markdown="1"` element switches
its own content to markdown — the AcadHomepage `paper-box` pattern depends on that.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from mistune.block_parser import BlockParser
from mistune.core import BlockState

from . import doc_options

Token = dict[str, Any]


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


BLOCK_MODEL = _names(
    "address applet article aside blockquote body dd details div dl fieldset figure "
    "figcaption footer form header hgroup iframe li main map menu nav noscript object section "
    "summary td"
)
SPAN_MODEL = _names(
    "a abbr acronym b bdo big button cite caption del dfn dt em h1 h2 h3 h4 h5 h6 i ins label "
    "legend optgroup p q rb rbc rp rt rtc ruby select small span strong sub sup th tt"
)
SPAN_ELEMENTS = _names(
    "a abbr acronym b big bdo br button cite code del dfn em i img input ins kbd label mark "
    "option q rb rbc rp rt rtc ruby samp select small span strong sub sup tt u var"
)
VOID = _names("area base br col command embed hr img input keygen link meta param source track wbr")
# kramdown's HTML_BLOCK_ELEMENTS
BLOCK_ELEMENTS = _names(
    "address article aside applet body blockquote "
    "caption col colgroup dd div dl dt fieldset figcaption footer form h1 h2 h3 h4 h5 h6 "
    "header hgroup hr html head iframe legend menu li main map nav ol optgroup p pre section "
    "summary table tbody td th thead tfoot tr ul"
)

KNOWN_ELEMENTS = (
    BLOCK_MODEL
    | SPAN_MODEL
    | SPAN_ELEMENTS
    | VOID
    | BLOCK_ELEMENTS
    | _names("math option textarea pre code kbd samp var script style u mark")
)

_NAME = r"[A-Za-z][\w:.-]*"
_ATTR = r"""\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
START_TAG = re.compile(rf"<({_NAME})((?:{_ATTR})*)\s*(/?)>", re.S)
_ATTR_ITEM = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_SCAN = re.compile(rf"<!--.*?-->|</({_NAME})\s*>|<({_NAME})(?=[\s/>])", re.S)
BLOCK_START = r"^ {0,3}<(?P<kd_html_tag>" + _NAME + r")(?=[\s/>])"


def parse_attributes(text: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for m in _ATTR_ITEM.finditer(text):
        value = next((v for v in m.groups()[1:] if v is not None), "")
        attrs[m.group(1)] = value.replace("\n", " ")
    return attrs


def content_model(tag: str, attrs: dict[str, str], default_raw: bool) -> str:
    """raw / block / span, from the `markdown` attribute (which is removed) or the tag."""
    flag = attrs.pop("markdown", None)
    natural = "block" if tag in BLOCK_MODEL else "span" if tag in SPAN_MODEL else "raw"
    if flag is None:
        return "raw" if default_raw else natural
    if flag == "0":
        return "raw"
    if flag in ("block", "span"):
        return flag
    return natural


def tag_name(name: str) -> str:
    """HTML element names are case-insensitive (written lowercase); others keep their case."""
    return name.lower() if name.lower() in KNOWN_ELEMENTS else name


@lru_cache(maxsize=256)
def _tag_pattern(tag: str) -> re.Pattern[str]:
    flags = re.I if tag.lower() in KNOWN_ELEMENTS else 0  # XML-ish names are case-sensitive
    return re.compile(rf"<(/?){re.escape(tag)}(?=[\s/>])[^>]*?(/?)>", flags)


def find_end_tag(src: str, tag: str, pos: int) -> tuple[int, int] | None:
    """(start, end) of the `</tag>` closing an element whose content starts at pos."""
    depth = 1
    pattern = _tag_pattern(tag)
    for m in pattern.finditer(src, pos):
        if m.group(1):
            depth -= 1
            if depth == 0:
                return m.start(), m.end()
        elif not m.group(2):
            depth += 1
    return None


MAX_HTML_DEPTH = 48


class HtmlBlockBuilder:
    """Builds html_element tokens; block content is handed back to mistune's block parser."""

    def __init__(self, block: BlockParser, state: BlockState) -> None:
        self.block = block
        self.state = state

    def element(self, src: str, start: int, depth: int = 0) -> tuple[Token, int] | None:
        m = START_TAG.match(src, start)
        if not m:
            return None
        tag = tag_name(m.group(1))
        attrs = parse_attributes(m.group(2))
        parse_html = doc_options.parser_option(
            self.state.env, "parse_block_html", self.state.env["kd_base_options"]
        )
        model = content_model(tag, attrs, default_raw=not parse_html)
        token: Token = {"type": "html_element", "tag": tag, "html_attrs": attrs, "model": model}
        if m.group(3) or tag in VOID:
            token["children"] = []
            return token, m.end()
        end = find_end_tag(src, tag, m.end())
        inner_end, after = end if end else (len(src), len(src))
        inner = src[m.end() : inner_end]
        if tag in ("script", "style"):  # their content is never looked into
            token["children"] = [{"type": "raw_span", "raw": inner}]
        elif model == "block":
            child = self.state.child_state(inner.strip("\n") + "\n")
            rules = self.block.rules
            if self.state.depth() >= self.block.max_nested_level - 1:
                rules = [r for r in rules if r not in ("kd_html", "list", "block_quote")]
            self.block.parse(child, rules)
            token["children"] = child.tokens
        elif model == "span":
            token["text"] = inner.strip()
            token["inline_children"] = True
        else:
            token["children"] = self.raw_children(inner, depth + 1)
        return token, after

    def raw_children(self, text: str, depth: int = 0) -> list[Token]:
        """Raw content: text stays verbatim, nested tags are parsed and re-serialized."""
        out: list[Token] = []
        pos = 0
        while pos < len(text):
            m = _SCAN.search(text, pos)
            if not m:
                break
            if m.group(2) is None and m.group(1) is None:  # a comment: verbatim
                out.append({"type": "raw_span", "raw": text[pos : m.start()]})
                out.append({"type": "raw_span", "raw": m.group(0), "verbatim": True})
                pos = m.end()
                continue
            if depth >= MAX_HTML_DEPTH:  # keep absurdly deep nesting as raw text
                break
            built = None if m.group(1) else self.element(text, m.start(), depth)
            if built is None:  # a stray end tag or no tag at all: kramdown escapes it
                out.append({"type": "raw_span", "raw": text[pos : m.start()]})
                out.append({"type": "text", "raw": m.group(0), "literal": True})
                pos = m.end()
                continue
            if m.start() > pos:
                out.append({"type": "raw_span", "raw": text[pos : m.start()]})
            out.append(built[0])
            pos = built[1]
        if pos < len(text):
            out.append({"type": "raw_span", "raw": text[pos:]})
        return [_escape_raw_text(tok) for tok in out]


_RAW_TEXT_SPECIAL = re.compile(r"<|>|&(?!#?\w+;)")


def _escape_raw_text(token: Token) -> Token:
    """Raw text inside HTML is written with <, > and stray & escaped (entities are kept)."""
    if token["type"] != "raw_span" or token.get("verbatim"):
        return token
    escaped = _RAW_TEXT_SPECIAL.sub(
        lambda m: {"<": "&lt;", ">": "&gt;", "&": "&amp;"}[m.group(0)], token["raw"]
    )
    return {"type": "raw_span", "raw": escaped}


def parse_block_html(block: BlockParser, m: re.Match[str], state: BlockState) -> int | None:
    tag = m.group("kd_html_tag").lower()
    if tag in SPAN_ELEMENTS:
        return None
    last = state.last_token()
    if tag == "script" and last is not None and last["type"] == "paragraph":
        return state.append_paragraph()  # like span elements, script does not end a paragraph
    start = m.start() + m.group(0).index("<")
    built = HtmlBlockBuilder(block, state).element(state.src, start)
    if built is None:
        return None
    builder = HtmlBlockBuilder(block, state)
    while True:
        token, end = built
        token["block"] = True
        state.append_token(token)
        nl = state.src.find("\n", end)
        line_end = len(state.src) if nl == -1 else nl + 1
        rest = state.src[end:line_end]
        if not rest.strip():
            return line_end
        # more on the line after the end tag: another element, or a new paragraph
        start = end + len(rest) - len(rest.lstrip())
        next_tag = START_TAG.match(state.src, start)
        if not next_tag or next_tag.group(1).lower() in SPAN_ELEMENTS:
            return start
        next_built = builder.element(state.src, start)
        if next_built is None:
            return start
        built = next_built


def parse_block_comment(block: BlockParser, m: re.Match[str], state: BlockState) -> int | None:
    """A comment starting a block is block HTML; inside a paragraph it is inline."""
    last = state.last_token()
    if last is not None and last["type"] == "paragraph":
        return state.append_paragraph()
    end = state.src.find("-->", m.end())
    if end == -1:
        return None
    end += 3
    state.append_token({"type": "raw_block", "raw": state.src[m.start() : end].strip() + "\n"})
    nl = state.src.find("\n", end)
    line_end = len(state.src) if nl == -1 else nl + 1
    rest = state.src[end:line_end]
    # text after the comment on its line starts a new paragraph
    return line_end if not rest.strip() else end + len(rest) - len(rest.lstrip())


def register(md: Any) -> None:
    block: BlockParser = md.block
    for name, pattern, func in (
        ("kd_html", BLOCK_START, parse_block_html),
        ("kd_html_comment", r"^ {0,3}<!--", parse_block_comment),
    ):
        block.register(name, pattern, func, before="raw_html")
        for rules in (block.block_quote_rules, block.list_rules):
            rules.insert(rules.index("raw_html") if "raw_html" in rules else 0, name)
    for rules in (block.rules, block.block_quote_rules, block.list_rules):
        if "raw_html" in rules:
            rules.remove("raw_html")
