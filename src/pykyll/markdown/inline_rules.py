"""Inline rules replacing or adding to mistune's: escapes, `<<`/`>>`, math, span IALs."""

from __future__ import annotations

import re
from typing import Any

from mistune.core import InlineState
from mistune.inline_parser import InlineParser

# kramdown's escapable characters (GFM adds `~`).
ESCAPABLE = "\\.*_+`<>()[]{}#!:|\"'$=-~"
ESCAPE_PATTERN = r"\\[" + re.escape(ESCAPABLE) + "]"


def parse_escape(inline: InlineParser, m: re.Match[str], state: InlineState) -> int:
    """An escaped character is literal text: no typography, no emphasis."""
    state.append_token({"type": "text", "raw": m.group(0)[1], "literal": True, "_emphasis": False})
    return m.end()


def parse_angle_quotes(inline: InlineParser, m: re.Match[str], state: InlineState) -> int:
    """`<<`/`>>` are typographic symbols (handled later), never the start of an HTML tag."""
    state.append_token({"type": "text", "raw": m.group(0)})
    return m.end()


def parse_inline_math(inline: InlineParser, m: re.Match[str], state: InlineState) -> int:
    state.append_token({"type": "inline_math", "raw": m.group("math_body").strip()})
    return m.end()


def parse_codespan(inline: InlineParser, m: re.Match[str], state: InlineState) -> int:
    """kramdown's code spans: the first matching backtick run closes; newlines are kept."""
    marker = m.group(0)
    src, start, pos = state.src, m.start(), m.end()
    simple = len(marker) == 1
    before_ok = start == 0 or src[start - 1].isspace()
    if simple and before_ok and pos < len(src) and src[pos].isspace():
        state.append_token({"type": "text", "raw": marker, "literal": True})
        return pos
    end = src.find(marker, pos)
    if end == -1:
        state.append_token({"type": "text", "raw": marker, "literal": True})
        return pos
    code = src[pos:end]
    if not simple:
        code = code[1:] if code.startswith(" ") else code
        code = code[:-1] if code.endswith(" ") else code
    state.append_token({"type": "codespan", "raw": code})
    return end + len(marker)


def parse_strikethrough(inline: InlineParser, m: re.Match[str], state: InlineState) -> int:
    """parser-gfm: `~~` not followed by a blank or `~`, up to `~~` after a non-blank."""
    state.append_token({"type": "strikethrough", "children": inline(m.group("kd_del"), state.env)})
    return m.end()


# kramdown-GFM's hard line break: two spaces, or one or two backslashes, before the newline.
LINE_BREAK = r"(?:\\{1,2}| {2,})\n\s*"


def register_inline_rules(md: Any) -> None:
    inline: InlineParser = md.inline
    if not inline.hard_wrap:
        inline.specification["linebreak"] = LINE_BREAK
        inline.rules.remove("linebreak")
        inline.rules.insert(0, "linebreak")
    inline.register("codespan", r"`+", parse_codespan, start_chars=["`"])
    inline.register(
        "kd_strikethrough",
        r"~~(?P<kd_del>(?!\s|~)[\s\S]*?[^\s~])~~",
        parse_strikethrough,
        start_chars=["~"],
    )
    inline.register("escape", ESCAPE_PATTERN, parse_escape, start_chars=["\\"])
    inline.register(
        "angle_quotes",
        r"\\?<<|\\?>>",
        parse_angle_quotes,
        before="escape",
        start_chars=["<", ">", "\\"],
    )
    inline.register(
        "kd_inline_math",
        r"\$\$(?P<math_body>(?:[^$\\]|\\.|\$(?!\$))+?)\$\$",
        parse_inline_math,
        before="escape",
        start_chars=["$"],
    )
