"""kramdown abbreviations: `*[HTML]: title` definitions, applied to text on word boundaries."""

from __future__ import annotations

import re
from typing import Any

from mistune.block_parser import BlockParser
from mistune.core import BlockState

Token = dict[str, Any]

ABBR_DEF = r"^ {0,3}\*\[(?P<kd_abbr_id>.+?)\]:(?P<kd_abbr_title>.*?)$"
_SKIP_TYPES = {"codespan", "inline_math", "raw_span", "inline_html", "image"}


def parse_abbreviation(block: BlockParser, m: re.Match[str], state: BlockState) -> int:
    placeholder: Token = {"type": "abbr_def"}
    abbrevs = state.env.setdefault("kd_abbrevs", {})
    abbrevs[m.group("kd_abbr_id")] = (m.group("kd_abbr_title").strip(), placeholder)
    state.append_token(placeholder)
    return m.end() + 1


def _patterns(abbrevs: dict[str, Any]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    names = sorted(abbrevs, key=len, reverse=True)
    union = "|".join(re.escape(n) for n in names)
    # an abbreviation starts the text or follows a non-word character, and ends a word
    return re.compile(union), re.compile(rf"(?:(?<=\W)|^)(?:{union})(?!\w)")


def _split_text(text: str, pattern: re.Pattern[str], abbrevs: dict[str, Any]) -> list[Token]:
    out: list[Token] = []
    pos = 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.append({"type": "text", "raw": text[pos : m.start()]})
        title, placeholder = abbrevs[m.group(0)]
        token: Token = {"type": "abbr", "children": [{"type": "text", "raw": m.group(0)}]}
        token["attrs"] = {"title": title}
        if placeholder.get("html_attrs"):
            token["html_attrs"] = dict(placeholder["html_attrs"])
        out.append(token)
        pos = m.end()
    if pos < len(text):
        out.append({"type": "text", "raw": text[pos:]})
    return out


def apply_abbreviations(tokens: list[Token], abbrevs: dict[str, Any]) -> None:
    """Replace abbreviations in every text token of the tree (not in code or raw HTML)."""
    if not abbrevs:
        return
    quick, pattern = _patterns(abbrevs)
    _apply(tokens, quick, pattern, abbrevs)


def _apply(
    tokens: list[Token], quick: re.Pattern[str], pattern: re.Pattern[str], abbrevs: dict[str, Any]
) -> None:
    index = 0
    while index < len(tokens):
        tok = tokens[index]
        if tok["type"] == "text" and quick.search(tok["raw"]):
            parts = _split_text(tok["raw"], pattern, abbrevs)
            tokens[index : index + 1] = parts
            index += len(parts)
            continue
        if tok.get("children") and tok["type"] not in _SKIP_TYPES and tok["type"] != "abbr":
            _apply(tok["children"], quick, pattern, abbrevs)
        index += 1


def register(md: Any) -> None:
    block: BlockParser = md.block
    block.register("kd_abbr_def", ABBR_DEF, parse_abbreviation, before="list")
    for rules in (block.block_quote_rules, block.list_rules):
        rules.insert(0, "kd_abbr_def")
