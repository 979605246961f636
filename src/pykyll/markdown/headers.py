"""Setext headers as kramdown reads them: only a one-line paragraph can become a header."""

from __future__ import annotations

import re
from typing import Any

from mistune.block_parser import BlockParser
from mistune.core import BlockState

from .ial import split_header_id

SETEXT_UNDERLINE = r"^ {0,3}(?P<kd_setext>=|-)(?P=kd_setext)*[ \t]*$"


def parse_setext_heading(block: BlockParser, m: re.Match[str], state: BlockState) -> int | None:
    last = state.last_token()
    if last is None or last["type"] != "paragraph":
        # not an underline after all: maybe a horizontal rule or a list
        other = block.compile_sc(["thematic_break", "list"]).match(state.src, state.cursor)
        return block.parse_method(other, state) if other else None
    if "\n" in last["text"].rstrip("\n"):
        return state.append_paragraph()
    last["type"] = "heading"
    last["style"] = "setext"
    last["attrs"] = {"level": 1 if m.group("kd_setext") == "=" else 2}
    return m.end() + 1


ATX_START = r"^(?P<kd_atx_level>#{1,6})[\t ]+(?P<kd_atx_text>.*)$"


def parse_atx_heading(block: BlockParser, m: re.Match[str], state: BlockState) -> int | None:
    """parser-gfm's ATX headers: a blank after the hashes, closing hashes need a blank
    before them, and an empty header is no header."""
    text, explicit_id = split_header_id(m.group("kd_atx_text").rstrip())
    if re.search(r"[\t ]#+\Z", text):
        text = re.sub(r"[\t ]#+\Z", "", text).rstrip()
    if not text:
        return None
    level = len(m.group("kd_atx_level"))
    token = {"type": "heading", "text": text, "attrs": {"level": level}, "style": "atx"}
    if explicit_id:
        token["html_attrs"] = {"id": explicit_id}
    state.append_token(token)
    return m.end() + 1


def register(md: Any) -> None:
    md.block.register("atx_heading", ATX_START, parse_atx_heading)
    md.block.register("setex_heading", SETEXT_UNDERLINE, parse_setext_heading)


TEXT_LINE = r"^[^\n]*\S[^\n]*(?:\n|\Z)"


def parse_text_line(block: BlockParser, m: re.Match[str], state: BlockState) -> int:
    """Any other non-blank line is paragraph text. Having this catch-all as the last rule
    spares mistune's forward search through the rest of the document for the next rule
    match, which is what it does for lines starting with punctuation or digits."""
    state.add_paragraph(m.group(0))
    return m.end()


def register_text_line(md: Any) -> None:
    block: BlockParser = md.block
    block.register("kd_text_line", TEXT_LINE, parse_text_line)
    for rules in (block.rules, block.block_quote_rules, block.list_rules):
        if "kd_text_line" in rules:
            rules.remove("kd_text_line")
        rules.append("kd_text_line")
