"""`$$…$$` math for MathJax: `\\(…\\)` inside text, `\\[…\\]` when it stands as its own block."""

from __future__ import annotations

import re
from typing import Any

from mistune.block_parser import BlockParser
from mistune.core import BlockState

BLOCK_MATH = (
    r"^ {0,3}(?P<block_math_escaped>\\)?"
    r"\$\$(?P<block_math_body>(?:[^$]|\$(?!\$))*?)\$\$[ \t]*(?:\n|$)"
)


def parse_block_math(block: BlockParser, m: re.Match[str], state: BlockState) -> int | None:
    """Display math must start a block; inside a paragraph it is inline math."""
    end_pos = state.append_paragraph()
    if end_pos:
        return end_pos
    if m.group("block_math_escaped"):
        # kramdown drops the backslash and reads the rest as a paragraph (inline math)
        line_end = state.find_line_end_at(m.start())
        state.add_paragraph(state.src[m.start() : line_end].replace("\\", "", 1))
        return line_end
    following = state.src[m.end() : state.find_line_end_at(m.end())]
    # display math must end its block: a blank line, an IAL or `^` follows
    if following.strip() and not re.match(r" {0,3}(?:\{:|\^\s*$)", following):
        return None
    state.append_token({"type": "block_math", "raw": m.group("block_math_body").strip()})
    return m.end()


def register(md: Any) -> None:
    block: BlockParser = md.block
    block.register("kd_block_math", BLOCK_MATH, parse_block_math, before="fenced_code")
    for rules in (block.block_quote_rules, block.list_rules):
        rules.insert(0, "kd_block_math")
