"""kramdown block quotes: every following line belongs to the quote (lazily) until a blank
line, an IAL, an end-of-block marker or a block HTML tag; then `> ` prefixes are removed."""

from __future__ import annotations

import re
from typing import Any

from mistune.block_parser import BlockParser
from mistune.core import BlockState

from .lists import _HTML_STOP

QUOTE_START = r"^ {0,3}>"
_LAZY_END = re.compile(
    r"[ \t]*(?:\n|\Z)| {0,3}\{:(?!:|/)[^}\n]+\}\s*?(?:\n|\Z)|\^\s*?(?:\n|\Z)| {0,3}(?:"
    + _HTML_STOP
    + ")"
)
_PREFIX = re.compile(r"^ {0,3}> ?", re.M)


def parse_block_quote(block: BlockParser, m: re.Match[str], state: BlockState) -> int:
    src = state.src
    pos = state.find_line_end_at(m.start())
    while pos < len(src) and not _LAZY_END.match(src, pos):
        pos = state.find_line_end_at(pos)
    text = _PREFIX.sub("", src[m.start() : pos])
    child = state.child_state(text if text.endswith("\n") else text + "\n")
    rules = block.block_quote_rules
    if state.depth() >= block.max_nested_level - 1:
        rules = [r for r in rules if r not in ("block_quote", "list")]
    block.parse(child, rules)
    state.append_token({"type": "block_quote", "children": child.tokens})
    return pos


def register(md: Any) -> None:
    md.block.register("block_quote", QUOTE_START, parse_block_quote)
