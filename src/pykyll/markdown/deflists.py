"""kramdown definition lists: the paragraph before `: ` lines gives the terms (one per line)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from mistune.block_parser import BlockParser
from mistune.core import BlockState

from .ial import parse_attr_list
from .lists import _BLANK, _EOB, _ITEM_IAL, _first_line, _line_patterns, nested_rules

Token = dict[str, Any]

_TAIL = r"[\t| ].*?\n"
DEF_START = r"^ {0,3}:(?=[\t| ])"
_DEF_START = re.compile(r"( {0,3}:)(" + _TAIL + ")")


@lru_cache(maxsize=64)
def _def_start_pattern(indentation: int) -> re.Pattern[str]:
    spaces = {1: "{0}", 2: "{0,1}", 3: "{0,2}"}.get(indentation, "{0,3}")
    return re.compile(f"( {spaces}:)({_TAIL})")


def _single_blank_before(state: BlockState, pos: int) -> bool:
    """True when exactly one blank line separates the paragraph from this line."""
    before = state.src[:pos].rstrip(" \t")
    lines = before.split("\n")
    return len(lines) >= 3 and not lines[-2].strip() and bool(lines[-3].strip())


def _take_terms(state: BlockState, pos: int) -> tuple[str, bool] | None:
    tokens = state.tokens
    if tokens and tokens[-1]["type"] == "paragraph":
        return tokens.pop()["text"], False
    if (
        len(tokens) >= 2
        and tokens[-1]["type"] == "blank_line"
        and tokens[-2]["type"] == "paragraph"
        and _single_blank_before(state, pos)
    ):
        tokens.pop()
        return tokens.pop()["text"], True
    return None


def _term_tokens(text: str, alds: dict[str, Any] | None) -> list[Token]:
    terms = []
    for term in text.strip("\n").split("\n"):
        token: Token = {"type": "def_list_head", "text": term}
        ial = _ITEM_IAL.match(term)
        if ial:
            token["html_attrs"] = parse_attr_list(ial.group(1), alds)
            token["text"] = term[ial.end() :]
        terms.append(token)
    return terms


def parse_def_list(block: BlockParser, m: re.Match[str], state: BlockState) -> int | None:
    src, pos = state.src, m.start()
    terms_source = _take_terms(state, pos)
    if terms_source is None:
        return None
    terms_text, first_as_para = terms_source
    alds = state.env.get("alds")
    children = _term_tokens(terms_text, alds)
    items: list[dict[str, Any]] = []
    start_re = _DEF_START
    content_re = lazy_re = indent_re = None
    last_blank = False
    while pos < len(src):
        start = start_re.match(src, pos)
        if start:
            text, indentation = _first_line(len(start.group(1)), start.group(2))
            item: dict[str, Any] = {"value": "", "attrs": {}, "first_as_para": first_as_para}
            ial = _ITEM_IAL.match(text)
            if ial:
                item["attrs"] = parse_attr_list(ial.group(1), alds)
                text = text[ial.end() :]
            item["value"] = text
            items.append(item)
            content_re, lazy_re, indent_re = _line_patterns(indentation)
            start_re = _def_start_pattern(indentation)
            first_as_para = last_blank = False
            pos = start.end()
            continue
        if _EOB.match(src, pos):
            break
        assert content_re is not None and lazy_re is not None and indent_re is not None
        line = content_re.match(src, pos) or (None if last_blank else lazy_re.match(src, pos))
        if line:
            text = re.sub(r"^\t+", lambda t: "    " * len(t.group(0)), line.group(0))
            indented = indent_re.match(text)
            item["value"] += text[indented.end() :] if indented else text
            first_as_para = last_blank = False
            pos = line.end()
            continue
        blank = _BLANK.match(src, pos)
        if blank:
            first_as_para = last_blank = True
            item["value"] += blank.group(0)
            pos = blank.end()
            continue
        break
    for item in items:
        children.append(_definition(block, state, item))
    _append_definitions(state, children)
    return pos


def _definition(block: BlockParser, state: BlockState, item: dict[str, Any]) -> Token:
    value = item["value"] if item["value"].endswith("\n") else item["value"] + "\n"
    child = state.child_state(value)
    block.parse(child, nested_rules(block, state))
    blocks = child.tokens
    if blocks and blocks[-1]["type"] == "blank_line":
        blocks.pop()
    if blocks and blocks[0]["type"] == "paragraph" and not item["first_as_para"]:
        blocks[0]["type"] = "block_text"
    token: Token = {"type": "def_list_item", "children": blocks}
    if item["attrs"]:
        token["html_attrs"] = item["attrs"]
    return token


def _append_definitions(state: BlockState, children: list[Token]) -> None:
    """Terms and definitions continue a definition list right before (blank line allowed)."""
    tokens = state.tokens
    if tokens and tokens[-1]["type"] == "def_list":
        tokens[-1]["children"].extend(children)
    elif (
        len(tokens) >= 2
        and tokens[-1]["type"] == "blank_line"
        and tokens[-2]["type"] == ("def_list")
    ):
        tokens.pop()
        tokens[-1]["children"].extend(children)
    else:
        state.append_token({"type": "def_list", "children": children})


def register(md: Any) -> None:
    block: BlockParser = md.block
    block.register("kd_def_list", DEF_START, parse_def_list, before="list")
    for rules in (block.block_quote_rules, block.list_rules):
        rules.insert(0, "kd_def_list")
