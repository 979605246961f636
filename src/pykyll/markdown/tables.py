"""kramdown tables: optional header separator, `=` footer separator, ragged rows padded."""

from __future__ import annotations

import re
from typing import Any

from mistune.block_parser import BlockParser
from mistune.core import BlockState

Token = dict[str, Any]

_PIPE_CHECK = r"(?:\||.*?[^\\\n]\|)"
TABLE_START = r"^ {0,3}(?=\S)" + _PIPE_CHECK + r".*$"
_LINE = re.compile(_PIPE_CHECK + r".*?\n")
_SEP = re.compile(r"([+|: \t-]*?-[+|: \t-]*?)[ \t]*\n")
_ALIGN = re.compile(r"[ \t]?(:?)-+(:?)[ \t]?")
_FOOT_SEP = re.compile(r"[+|: \t=]*?=[+|: \t=]*?[ \t]*\n")
_ROW = re.compile(r"(.*?)[ \t]*\n")
_ATOMIC = re.compile(r"<code.*?>.*?</code>|(`+)(?:.+?)(?<!`)\1(?!`)")
_BOUNDARY_BEFORE = {"blank_line", "eob", "ial", "heading", "thematic_break", "block_code"}
_END = re.compile(r"[ \t]*\n|\^\s*?\n| {0,3}\{:(?!:|/)")


def split_cells(row: str) -> list[str]:
    """Split on unescaped pipes outside code spans; `\\|` becomes `|`."""
    cells = [""]
    pos = 0
    for m in _ATOMIC.finditer(row):
        _split_plain(row[pos : m.start()], cells)
        cells[-1] += m.group(0)
        pos = m.end()
    _split_plain(row[pos:], cells)
    return cells


def _split_plain(text: str, cells: list[str]) -> None:
    parts = re.split(r"(?<!\\)\|", text)
    cells[-1] += parts[0].replace("\\|", "|")
    cells.extend(p.replace("\\|", "|") for p in parts[1:])


# code spans and span-level HTML elements: their pipes do not separate cells
_CODE_SPAN = re.compile(
    r"(`+)(?P<code>.+?)(?<!`)\1(?!`)|<(?P<tag>[A-Za-z][\w-]*)\b[^>]*>(?P<html>.*?)</(?P=tag)\s*>",
    re.S,
)
_LINE_PIPE = re.compile(_PIPE_CHECK)


def _ruby_lines(text: str) -> list[str]:
    lines = text.split("\n")
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _pipes_outside_code(text: str) -> bool:
    """kramdown's check that the pipes are real: lines joined by a code span need a pipe."""
    segments: list[tuple[bool, str]] = []
    pos = 0
    for m in _CODE_SPAN.finditer(text):
        segments.append((False, text[pos : m.start()]))
        segments.append((True, m.group("code") if m.group("code") is not None else m.group("html")))
        pos = m.end()
    segments.append((False, text[pos:]))
    pipe_on_line = False
    for is_code, value in segments:
        lines = _ruby_lines(value)
        if is_code:
            if len(lines) > 2 or (len(lines) == 2 and not pipe_on_line):
                return False
            if len(lines) == 2:
                pipe_on_line = False
            continue
        if len(lines) > 1 and not pipe_on_line and not _LINE_PIPE.match(lines[0]):
            return False
        last_has_pipe = bool(lines) and bool(_LINE_PIPE.match(lines[-1]))
        pipe_on_line = (False if len(lines) > 1 else pipe_on_line) or last_has_pipe
    return pipe_on_line


def _alignment(sep: str) -> list[str | None]:
    out: list[str | None] = []
    for left, right in _ALIGN.findall(sep):
        if left and right:
            out.append("center")
        elif left:
            out.append("left")
        elif right:
            out.append("right")
        else:
            out.append(None)
    return out


def _after_block_boundary(state: BlockState, start: int) -> bool:
    """A table starts a block: after a blank line, at the start, or right after an IAL/header."""
    if start == 0:
        return True
    prev_start = state.src.rfind("\n", 0, start - 1) + 1
    if not state.src[prev_start:start].strip():
        return True
    last = state.last_token()
    return last is not None and last["type"] in _BOUNDARY_BEFORE - {"blank_line"}


def parse_table(block: BlockParser, m: re.Match[str], state: BlockState) -> int | None:
    if not _after_block_boundary(state, m.start()):
        return None
    src, pos = state.src, m.start()
    leading_pipe = src[pos : src.find("\n", pos)].lstrip().startswith("|")
    sections: list[tuple[str, list[list[str]]]] = []
    rows: list[list[str]] = []
    align: list[str | None] | None = None
    has_footer = False

    def close(kind: str, force: bool = False) -> None:
        nonlocal rows
        if not has_footer or kind != "body" or force:
            sections.append((kind, rows))
            rows = []

    while pos < len(src) and _LINE.match(src, pos):
        sep = _SEP.match(src, pos)
        if sep:
            if rows and align is None and not has_footer:
                close("head")
                align = _alignment(sep.group(1))
            elif rows:
                close("body")
            pos = sep.end()
            continue
        foot = _FOOT_SEP.match(src, pos)
        if foot:
            if rows:
                close("body", force=True)
            has_footer = True
            pos = foot.end()
            continue
        row = _ROW.match(src, pos)
        assert row is not None
        cells = split_cells(row.group(1))
        if leading_pipe and cells and not cells[0].strip():
            cells.pop(0)
        if cells and not cells[-1].strip():
            cells.pop()
        rows.append([c.strip() for c in cells])
        pos = row.end()
    if pos < len(src) and not _END.match(src, pos):
        return None
    if not _pipes_outside_code(src[m.start() : pos - 1]):
        return None
    if rows:
        close("foot" if has_footer else "body")
    if not any(kind == "body" for kind, _ in sections):
        return None
    state.append_token(_table_token(sections, align or []))
    return pos


def _table_token(sections: list[tuple[str, list[list[str]]]], align: list[str | None]) -> Token:
    columns = max((len(r) for _, rows in sections for r in rows), default=0)
    align = (align + [None] * columns)[:columns]
    children = []
    for kind, rows in sections:
        row_tokens = []
        for cells in rows:
            cells = cells + [""] * (columns - len(cells))
            row_tokens.append(
                {
                    "type": "table_row",
                    "children": [
                        {
                            "type": "table_cell",
                            "text": cell,
                            "attrs": {"align": align[i], "head": kind == "head"},
                        }
                        for i, cell in enumerate(cells)
                    ],
                }
            )
        children.append({"type": f"table_{kind}", "children": row_tokens})
    return {"type": "table", "children": children}


def register(md: Any) -> None:
    block: BlockParser = md.block
    # after block HTML: `<p>a | b</p>` is HTML, and a failed rule ends mistune's search
    before = "kd_html_comment" if "kd_html_comment" in block.rules else "list"
    block.register("kd_table", TABLE_START, parse_table, before=before)
    for rules in (block.block_quote_rules, block.list_rules):
        rules.insert(0, "kd_table")
