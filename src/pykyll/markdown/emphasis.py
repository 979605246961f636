"""kramdown's emphasis: recursive descent instead of CommonMark's delimiter runs.

At `*`, `**`, `_` or `__` kramdown looks for the same delimiter further on, accepting it only
when it follows a non-blank character, is not the start of a longer run (for `em`), is not
followed by an alphanumeric (for `_`) and something lies in between. Emphasis of a kind
cannot nest in itself; an unmatched `**` retries as `*`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from mistune.core import InlineState
from mistune.inline_parser import InlineParser

EMPHASIS_START = r"\*\*?|__?"
_SKIP = re.compile(r"\\.|(`+)[\s\S]*?(?<!`)\1(?!`)|<[^>\n]*>", re.S)
_STACK = "_kd_emphasis_stack"
_START = re.compile(EMPHASIS_START)
_FAILED = "_kd_emphasis_failed"


_Match = tuple[str, int, int, int]  # element, content start, closing position, delimiter size


# Searches that ran to the end of the text without a closing delimiter, by
# (delimiter, element, enclosing elements) -> earliest start: a later start cannot succeed
# either, which keeps runs of unmatched delimiters linear instead of quadratic.
_FailCache = dict[tuple[str, str, tuple[str, ...]], int]


def _find_closing(
    src: str, start: int, delim: str, element: str, stack: tuple[str, ...], failed: _FailCache
) -> int | None:
    """Position of the delimiter closing the emphasis whose content begins at start; nested
    emphasis of the other kind is skipped as a whole, as kramdown parses it first."""
    key = (delim, element, stack)
    if start >= failed.get(key, len(src) + 1):
        return None
    pos = start
    inner = (*stack, element)
    depth = 0
    while pos < len(src):
        skip = _SKIP.match(src, pos)
        if skip and skip.end() > pos:
            pos = skip.end()
            continue
        if src[pos] == "[":
            depth += 1
        elif src[pos] == "]":
            depth -= 1
            if depth < 0:  # the end of an enclosing link text: kramdown parses that alone
                return None
        if src.startswith(delim, pos) and _closes(src, start, pos, delim, element):
            return pos
        if src[pos] in "*_":
            nested = match_emphasis(src, pos, inner, failed)
            # kramdown consumes a failed delimiter run as text, all of it at once
            run = _START.match(src, pos)
            pos = nested[2] + nested[3] if nested else pos + (len(run.group(0)) if run else 1)
            continue
        pos += 1
    failed[key] = min(start, failed.get(key, start))
    return None


@lru_cache(maxsize=8)
def _closing_guards(delim: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a doubled delimiter not followed by a third, the delimiter before an alphanumeric)."""
    d = re.escape(delim)
    return re.compile(f"{d}{d}(?!{d})"), re.compile(d + r"[^\W_]")


def _closes(src: str, start: int, pos: int, delim: str, element: str) -> bool:
    if pos == start or src[pos - 1].isspace():
        return False
    doubled, before_alnum = _closing_guards(delim)
    if element == "emphasis" and doubled.match(src, pos):
        return False
    return not (delim[0] == "_" and before_alnum.match(src, pos))


def _is_letter(char: str) -> bool:
    return char.isalpha()


def _letters_before(src: str, pos: int) -> bool:
    r"""kramdown's `[[:alpha:]]-?[[:alpha:]]*\z` before an underscore (intraword `_`)."""
    if pos >= 1 and _is_letter(src[pos - 1]):
        return True
    return pos >= 2 and src[pos - 1] == "-" and _is_letter(src[pos - 2])


def match_emphasis(
    src: str, start: int, stack: tuple[str, ...], failed: _FailCache
) -> _Match | None:
    """The emphasis starting at `start`, or None when kramdown would leave it as text."""
    m = _START.match(src, start)
    if not m:
        return None
    marker = m.group(0)
    element = "strong" if len(marker) == 2 else "emphasis"
    after = src[m.end() : m.end() + 1]
    if marker[0] == "_" and _letters_before(src, start):
        return None
    if not after or after.isspace() or element in stack:
        return None
    close = _find_closing(src, m.end(), marker, element, stack, failed)
    if close is not None:
        return element, m.end(), close, len(marker)
    if element == "strong" and "emphasis" not in stack:
        close = _find_closing(src, start + 1, marker[0], "emphasis", stack, failed)
        if close is not None:
            return "emphasis", start + 1, close, 1
    return None


def parse_emphasis(inline: InlineParser, m: re.Match[str], state: InlineState) -> int:
    stack: list[str] = state.env.setdefault(_STACK, [])
    cached = state.env.get(_FAILED)
    if cached is None or cached[0] is not state.src:
        cached = state.env[_FAILED] = (state.src, {})
    found = match_emphasis(state.src, m.start(), tuple(stack), cached[1])
    if found is None:
        return _literal(state, m.group(0), m.end())
    element, begin, close, size = found
    return _emit(inline, state, element, begin, close, size, stack)


def _emit(
    inline: InlineParser,
    state: InlineState,
    element: str,
    begin: int,
    close: int,
    size: int,
    stack: list[str],
) -> int:
    stack.append(element)
    try:
        children = inline(state.src[begin:close], state.env)
    finally:
        stack.pop()
    state.append_token({"type": element, "children": children})
    return close + size


def _literal(state: InlineState, text: str, end: int) -> int:
    state.append_token({"type": "text", "raw": text})
    return end


# Span elements nest by parsing their content with a fresh inline call; beyond this depth
# the content is kept as text, so pathological input cannot exhaust the stack.
MAX_INLINE_DEPTH = 32
_DEPTH = "_kd_inline_depth"


class KramdownInlineParser(InlineParser):
    """mistune's inline parser with CommonMark's delimiter-run pass switched off and a
    bound on nested span parsing."""

    def __call__(self, s: str, env: Any) -> list[dict[str, Any]]:
        depth = env.get(_DEPTH, 0)
        if depth >= MAX_INLINE_DEPTH:
            return [{"type": "text", "raw": s, "literal": True}]
        env[_DEPTH] = depth + 1
        try:
            return super().__call__(s, env)
        finally:
            env[_DEPTH] = depth

    def finalize_tokens(self, tokens: list[dict[str, Any]], depth: int) -> list[dict[str, Any]]:
        return tokens


def register(md: Any) -> None:
    md.inline.register("emphasis", EMPHASIS_START, parse_emphasis, start_chars=["*", "_"])
