"""Footnotes as kramdown writes them: numbered by first reference, backlinks per reference."""

from __future__ import annotations

import re
from typing import Any

from mistune.block_parser import BlockParser
from mistune.core import BlockState, InlineState
from mistune.inline_parser import InlineParser

Token = dict[str, Any]

DEF_START = r"^ {0,3}\[\^(?P<fn_def_name>[^\]\s]+)\]:[ \t]*"
REF = r"\[\^(?P<fn_ref_name>[^\]\s]+)\]"
_INDENTED = re.compile(r"^(?: {4}|\t)")


def parse_definition(block: BlockParser, m: re.Match[str], state: BlockState) -> int:
    """Collect the definition's lines: the first, lazy ones, and indented ones after blanks."""
    src = state.src
    first_end = src.find("\n", m.end())
    first_end = len(src) if first_end == -1 else first_end + 1
    lines = [src[m.end() : first_end]]
    pos = first_end
    sc = block.compile_sc([r for r in block.rules if r not in ("blank_line",)])
    prev_blank = not lines[0].strip()
    while pos < len(src):
        nl = src.find("\n", pos)
        end = len(src) if nl == -1 else nl + 1
        line = src[pos:end]
        if not line.strip():
            lines.append("\n")
            prev_blank = True
        elif _INDENTED.match(line):
            lines.append(_INDENTED.sub("", line, count=1))
            prev_blank = False
        elif prev_blank or sc.match(src, pos):
            break
        else:
            lines.append(line)
        pos = end
    while lines and not lines[-1].strip():
        lines.pop()
    state.env.setdefault("footnote_defs", {})[m.group("fn_def_name")] = "".join(lines)
    # a placeholder, so that an IAL right after the definition attaches here, not further on
    state.append_token({"type": "footnote_def"})
    return pos


def parse_reference(inline: InlineParser, m: re.Match[str], state: InlineState) -> int | None:
    name = m.group("fn_ref_name")
    if name not in state.env.get("footnote_defs", {}):
        return None
    state.append_token({"type": "footnote_ref", "name": name})
    return m.end()


class FootnoteNumbering:
    """Numbers references in document order and builds the endnotes list."""

    def __init__(self, first_number: int) -> None:
        self.first_number = first_number
        self.order: list[str] = []
        self.ref_counts: dict[str, int] = {}

    def number(self, tokens: list[Token]) -> None:
        for tok in tokens:
            if tok["type"] == "footnote_ref":
                name = tok["name"]
                if name not in self.ref_counts:
                    self.order.append(name)
                    self.ref_counts[name] = 0
                    tok["ref_id"] = f"fnref:{name}"
                else:
                    self.ref_counts[name] += 1
                    tok["ref_id"] = f"fnref:{name}:{self.ref_counts[name]}"
                tok["number"] = self.first_number + self.order.index(name)
            elif tok.get("children"):
                self.number(tok["children"])

    def backlinks(self, name: str, options: dict[str, Any]) -> str:
        text = str(options.get("footnote_backlink", "&#8617;"))
        links = [f'<a href="#fnref:{name}" class="reversefootnote" role="doc-backlink">{text}</a>']
        for i in range(1, self.ref_counts[name] + 1):
            links.append(
                f'<a href="#fnref:{name}:{i}" class="reversefootnote" role="doc-backlink">'
                f"{text}<sup>{i + 1}</sup></a>"
            )
        return " ".join(links) if text else ""


def endnotes(
    items: list[tuple[str, list[Token]]], numbering: FootnoteNumbering, options: dict[str, Any]
) -> Token:
    """The `<div class="footnotes">` token; backlinks go into the last paragraph."""
    children = []
    for name, blocks in items:
        links = numbering.backlinks(name, options)
        blocks = [b for b in blocks if b["type"] != "blank_line"]
        if links:
            backlink = {"type": "raw_span", "raw": links}
            last = blocks[-1] if blocks else None
            if last is not None and last["type"] == "paragraph":
                last["children"].extend([{"type": "raw_span", "raw": " "}, backlink])
            else:
                blocks.append({"type": "paragraph", "children": [backlink]})
        children.append({"type": "footnote_item", "name": name, "children": blocks})
    return {"type": "footnotes", "children": children, "start": numbering.first_number}


def register(md: Any) -> None:
    block: BlockParser = md.block
    block.register("kd_footnote_def", DEF_START, parse_definition, before="ref_link")
    for rules in (block.block_quote_rules, block.list_rules):
        rules.insert(0, "kd_footnote_def")
    md.inline.register("kd_footnote_ref", REF, parse_reference, before="link", start_chars=["["])
