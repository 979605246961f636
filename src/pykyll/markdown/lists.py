"""kramdown's list algorithm (replacing mistune's CommonMark one).

An item's continuation lines must be indented to the item's content column; unindented lines
are lazy continuations unless a blank line came first. Whether an item's first paragraph is
"transparent" (no `<p>`) is decided per item from the blank lines around it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from mistune.block_parser import BlockParser
from mistune.core import BlockState

from .ial import parse_attr_list

Token = dict[str, Any]

_TAIL = r"[\t| ].*?\n"
UL_START = re.compile(r"( {0,3}[+*-])(" + _TAIL + ")")
OL_START = re.compile(r"( {0,3}\d+\.)(" + _TAIL + ")")
ANY_START = re.compile(r"(?: {0,3}[+*-]| {0,3}\d+\.)[\t| ]")
LIST_PATTERN = r"^ {0,3}(?:[+*-]|\d+\.)(?=[\t| ])"
_HR = re.compile(r" {0,3}([*_-])[ \t]*\1[ \t]*\1(?:\1|[ \t])*\n")
_EOB = re.compile(r"\^\s*?\n")
_BLANK = re.compile(r"[ \t]*\n")
_ITEM_IAL = re.compile(r"\s*\{:(?![\w-]*:|/)((?:[^}\"'\\]|\\.|\"[^\"]*\"|'[^']*')+)\}\s*")
_ITEM_IAL_ONLY = re.compile(r"(?:\s*\{:(?![\w-]*:|/)(?:[^}]+)\}\s*)?\s*\n")
_SPAN_TAGS = (
    "a|abbr|acronym|b|big|bdo|br|button|cite|code|del|dfn|em|i|img|input|ins|kbd|label|option"
    "|q|rb|rbc|rp|rt|rtc|ruby|samp|select|small|span|strong|sub|sup|tt|var"
)
_HTML_STOP = rf"</(?!(?:{_SPAN_TAGS})\b)[\w:-]+\s*>|<(?!(?:{_SPAN_TAGS})\b)[\w:-]"


@lru_cache(maxsize=64)
def _start_pattern(ordered: bool, indentation: int) -> re.Pattern[str]:
    """After the first item, a new marker may be indented less than the item's content."""
    spaces = {1: "{0}", 2: "{0,1}", 3: "{0,2}"}.get(indentation, "{0,3}")
    marker = r"\d+\." if ordered else "[+*-]"
    return re.compile(f"( {spaces}{marker})({_TAIL})")


@lru_cache(maxsize=64)
def _line_patterns(indentation: int) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    q, r = divmod(indentation, 4)
    content = re.compile(rf"(?:(?:\t| {{4}}){{{q}}} {{{r}}}|(?:\t| {{4}}){{{q + 1}}}).*\S.*\n")
    lazy = re.compile(
        rf"(?! {{0,{min(indentation, 3)}}}(?:\{{:(?!:|/)[^}}]+\}}\s*?\n|{_HTML_STOP})).*\S.*\n"
    )
    return content, lazy, re.compile(f" {{{indentation}}}")


def _expand_first_tab(content: str, column: int) -> str:
    """Expand the first run of tabs after leading spaces to the next tab stops."""
    m = re.match(r"( *)(\t+)", content)
    if not m:
        return content
    lead = len(m.group(1)) + column
    spaces = 4 - (lead % 4) + (len(m.group(2)) - 1) * 4
    return m.group(1) + " " * spaces + content[m.end() :]


def _first_line(indentation: int, content: str) -> tuple[str, int]:
    """The item's text after the marker and the column its content starts at."""
    if _ITEM_IAL_ONLY.match(content):
        indentation = 4
    else:
        while re.match(r" *\t", content):
            content = _expand_first_tab(content, indentation)
        indentation += len(content) - len(content.lstrip(" "))
    return content.lstrip(), indentation


def parse_list(block: BlockParser, m: re.Match[str], state: BlockState) -> int:
    src, pos = state.src, m.start()
    ordered = not UL_START.match(src, pos)
    start_re = OL_START if ordered else UL_START
    items: list[dict[str, Any]] = []
    content_re = lazy_re = indent_re = None
    indentation = 0
    eob_found = nested = last_blank = False
    while pos < len(src):
        if last_blank and _HR.match(src, pos):
            break
        eob = _EOB.match(src, pos)
        if eob:
            eob_found = True
            pos = eob.end()
            break
        start = start_re.match(src, pos)
        if start:
            text, indentation = _first_line(len(start.group(1)), start.group(2))
            item: dict[str, Any] = {"values": [], "attrs": {}}
            ial = _ITEM_IAL.match(text)
            if ial:
                item["attrs"] = parse_attr_list(ial.group(1), state.env.get("alds"))
                text = text[ial.end() :]
            item["values"].append(text)
            items.append(item)
            content_re, lazy_re, indent_re = _line_patterns(indentation)
            start_re = _start_pattern(ordered, indentation)
            nested = bool(ANY_START.match(text))
            last_blank = False
            pos = start.end()
            continue
        assert content_re is not None and lazy_re is not None and indent_re is not None
        line = content_re.match(src, pos) or (None if last_blank else lazy_re.match(src, pos))
        if line:
            text = re.sub(r"^\t+", lambda t: "    " * len(t.group(0)), line.group(0))
            indented = indent_re.match(text)
            if indented:
                text = text[indented.end() :]
            if not nested and indented and ANY_START.match(text):
                item["values"].append("")
                nested = True
            elif nested and not indented and ANY_START.match(text):
                text = " " * (indentation + 4) + text
            item["values"][-1] += text
            last_blank = False
            pos = line.end()
            continue
        blank = _BLANK.match(src, pos)
        if blank:
            nested = last_blank = True
            item["values"][-1] += blank.group(0)
            pos = blank.end()
            continue
        break
    state.append_token(_list_token(block, state, items, ordered, eob_found))
    if eob_found:
        state.append_token({"type": "eob"})
    return pos


def nested_rules(block: BlockParser, state: BlockState) -> list[str]:
    """Block rules inside a container; at mistune's nesting limit no further containers."""
    if state.depth() >= block.max_nested_level - 1:
        return [r for r in block.list_rules if r not in ("list", "block_quote", "kd_def_list")]
    return block.list_rules


def _parse_item(block: BlockParser, state: BlockState, values: list[str]) -> list[Token]:
    children: list[Token] = []
    for value in values:
        child = state.child_state(value if value.endswith("\n") else value + "\n")
        block.parse(child, nested_rules(block, state))
        children.extend(child.tokens)
    return children


def _list_token(
    block: BlockParser, state: BlockState, items: list[dict[str, Any]], ordered: bool, eob: bool
) -> Token:
    tokens: list[Token] = []
    for index, item in enumerate(items):
        children = _parse_item(block, state, item["values"])
        token: Token = {"type": "list_item", "children": children}
        if item["attrs"]:
            token["html_attrs"] = item["attrs"]
        tokens.append(token)
        if children:
            _mark_transparent(tokens, index, len(items), eob)
    return {
        "type": "list",
        "children": tokens,
        "tight": True,
        "bullet": "",
        "attrs": {"depth": state.depth(), "ordered": ordered},
    }


def _mark_transparent(tokens: list[Token], index: int, count: int, eob: bool) -> None:
    """Decide, as kramdown does, whether this item's first paragraph loses its `<p>`."""
    children = tokens[index]["children"]
    first = children[0]
    if (
        first["type"] == "paragraph"
        and len(children) >= 2
        and children[1]["type"] == "eob"
        and first.get("html_attrs")
    ):
        del children[1]
    if first["type"] != "paragraph":
        _drop_trailing_blank(children)
        return
    is_last = index == count - 1
    next_is_blank = len(children) >= 2 and children[1]["type"] == "blank_line"
    own_ok = not next_is_blank or (is_last and len(children) == 2 and not eob)
    siblings_ok = (
        not is_last
        or count == 1
        or any(
            not t["children"]
            or t["children"][0]["type"] != "paragraph"
            or t["children"][0].get("transparent")
            for t in tokens[:-1]
        )
    )
    if own_ok and siblings_ok:
        first["transparent"] = True
        first["type"] = "block_text"
    _drop_trailing_blank(children)


def _drop_trailing_blank(children: list[Token]) -> None:
    if children and children[-1]["type"] == "blank_line":
        children.pop()


def register(md: Any) -> None:
    md.block.register("list", LIST_PATTERN, parse_list)
