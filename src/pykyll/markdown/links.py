"""kramdown links, images, link definitions and autolinks (replacing mistune's CommonMark
bracket algorithm): link text is bracket-balanced, URLs may contain spaces and balanced
parentheses, and reference links need a definition."""

from __future__ import annotations

import re
from typing import Any

from mistune.block_parser import BlockParser
from mistune.core import BlockState, InlineState
from mistune.inline_parser import InlineParser

from .inline_rules import ESCAPABLE

Token = dict[str, Any]

LINK_DEF = (
    r"^ {0,3}\[(?P<kd_ldef_id>[^\n\]]+)\]:[ \t]*(?:<(?P<kd_ldef_angle>.*?)>"
    r"|(?P<kd_ldef_url>[^\n]*?\S[^\n]*?))"
    r"(?:(?:[ \t]*?\n|[ \t]+?)[ \t]*?(?P<kd_ldef_q>[\"'])(?P<kd_ldef_title>.+?)(?P=kd_ldef_q))?"
    r"[ \t]*?(?:\n|\Z)"
)
LINK_START = r"!?\[(?=[^^])"
AUTOLINK = (
    r"<(?P<kd_autolink_target>(?:mailto|https?|ftps?):[^>]+?|[-.\w]+@[-\w]+(?:\.[-\w]+)*\.[a-z]+)>"
)
_ESCAPED = re.compile(r"\\([" + re.escape(ESCAPABLE) + "])")
_SKIP = re.compile(r"\\.|(`+)[\s\S]*?(?<!`)\1(?!`)|<[^>\n]*>", re.S)
_INLINE_ID = re.compile(r"\s*?\[([^\]]+)?\]")
_PAREN_STOP = re.compile(r"(\()|(\))|\s(?=['\"])")
_TITLE = re.compile(r"\s*?([\"'])(.+?)\1\s*?\)", re.S)
_IN_LINK = "_kd_in_link"


def normalize_link_id(text: str) -> str:
    return re.sub(r"\s+", " ", text).lower()


def parse_link_definition(block: BlockParser, m: re.Match[str], state: BlockState) -> int | None:
    if state.last_token() is not None and state.last_token()["type"] == "paragraph":
        return state.append_paragraph()  # a definition does not interrupt a paragraph
    url = m.group("kd_ldef_angle")
    if url is None:
        url = m.group("kd_ldef_url")
        if re.search(r"[ \t]+[\"']", url):
            return None
    placeholder: Token = {"type": "link_def"}
    defs = state.env.setdefault("kd_link_defs", {})
    defs[normalize_link_id(m.group("kd_ldef_id"))] = (url, m.group("kd_ldef_title"), placeholder)
    state.append_token(placeholder)
    return m.end()


def _find_text_end(src: str, pos: int) -> int | None:
    """Position of the `]` closing the link text that starts at pos (brackets balance)."""
    if "]" not in src[pos:]:
        return None
    known = _FAILED_SCAN.get("src")
    if known is not None and known[0] is src and pos in known[1]:
        depth_at, lowest_after = known[1][pos]
        if lowest_after >= depth_at:  # an earlier scan passed here and never closed this one
            return None
    start, depth, seen = pos, 1, {}
    while pos < len(src):
        seen[pos] = depth
        skip = _SKIP.match(src, pos)
        if skip and skip.end() > pos:
            pos = skip.end()
            continue
        if src[pos] == "[":
            depth += 1
        elif src[pos] == "]":
            depth -= 1
            if depth == 0:
                return pos
        pos += 1
    # Unclosed: remember the depth at each step and the lowest depth after it, so that a
    # later `[` inside this text (a `[[[[…` run) is answered at once: O(n), not O(n²).
    lowest, table = depth, {}
    for at in sorted(seen, reverse=True):
        lowest = min(lowest, seen[at])
        table[at] = (seen[at], lowest)
    del table[start]
    _FAILED_SCAN["src"] = (src, table)
    return None


_FAILED_SCAN: dict[str, tuple[str, dict[int, tuple[int, int]]]] = {}


def _inline_destination(src: str, pos: int) -> tuple[str, str | None, int] | None:
    """(url, title, end) for `(url "title")` at pos, the way kramdown scans it."""
    angle = re.compile(r"\(<(.*?)>").match(src, pos)
    if angle:
        close = re.compile(r"\)").match(src, angle.end())
        if close:
            return angle.group(1), None, close.end()
        url, pos = angle.group(1), angle.end()
    else:
        parts: list[str] = []
        brackets = 0
        while True:
            stop = _PAREN_STOP.search(src, pos)
            if not stop:
                break
            parts.append(src[pos : stop.end()])
            pos = stop.end()
            if stop.group(2):
                brackets -= 1
                if brackets == 0:
                    break
            elif stop.group(1):
                brackets += 1
            else:
                break
        url = "".join(parts)[1:-1].strip()
        if brackets == 0:
            return url, None, pos
    title = _TITLE.match(src, pos)
    if title:
        return url, title.group(2), title.end()
    return None


def _add_link(
    inline: InlineParser,
    state: InlineState,
    image: bool,
    url: str,
    title: str | None,
    text: tuple[str, str],
    def_token: Token | None = None,
) -> None:
    raw_text, alt_text = text
    attrs: dict[str, Any] = {"url": url}
    if title is not None:
        attrs["title"] = title
    token: Token = {"type": "image" if image else "link", "attrs": attrs}
    if def_token is not None and def_token.get("html_attrs"):
        token["html_attrs"] = dict(def_token["html_attrs"])
    if image:
        token["children"] = [{"type": "text", "raw": alt_text}]
    else:
        state.env[_IN_LINK] = True
        try:
            token["children"] = inline(raw_text, state.env)
        finally:
            state.env[_IN_LINK] = False
    state.append_token(token)


def parse_link(inline: InlineParser, m: re.Match[str], state: InlineState) -> int | None:
    src = state.src
    image = m.group(0).startswith("!")
    if not image and state.env.get(_IN_LINK):
        return None
    text_start = m.end()
    close = _find_text_end(src, text_start)
    if close is None:
        return None
    raw_text = src[text_start:close]
    alt_text = _ESCAPED.sub(r"\1", raw_text)
    pos = close + 1
    ref = _INLINE_ID.match(src, pos)
    if ref or not src.startswith("(", pos):
        link_id = normalize_link_id(ref.group(1) if ref and ref.group(1) else alt_text)
        definition = state.env.get("kd_link_defs", {}).get(link_id)
        if definition is None:
            return None
        url, title, def_token = definition
        _add_link(inline, state, image, url, title, (raw_text, alt_text), def_token)
        return ref.end() if ref else pos
    destination = _inline_destination(src, pos)
    if destination is None:
        return None
    url, title, end = destination
    _add_link(inline, state, image, url, title, (raw_text, alt_text))
    return end


def parse_autolink(inline: InlineParser, m: re.Match[str], state: InlineState) -> int:
    target = m.group("kd_autolink_target")
    url = target if ":" in target.split("@")[0] else "mailto:" + target
    text = target[len("mailto:") :] if target.startswith("mailto:") else target
    state.append_token(
        {"type": "link", "attrs": {"url": url}, "children": [{"type": "text", "raw": text}]}
    )
    return m.end()


def register(md: Any) -> None:
    block: BlockParser = md.block
    block.register("kd_link_def", LINK_DEF, parse_link_definition, before="ref_link")
    for rules in (block.rules, block.block_quote_rules, block.list_rules):
        if "ref_link" in rules:
            rules[rules.index("ref_link")] = "kd_link_def"
        while rules.count("kd_link_def") > 1:
            rules.remove("kd_link_def")
    inline: InlineParser = md.inline
    inline.register("link", LINK_START, parse_link, start_chars=["!", "["])
    for name in ("link_close", "auto_link", "auto_email"):
        if name in inline.rules:
            inline.rules.remove(name)
    inline.register(
        "kd_autolink", AUTOLINK, parse_autolink, before="kd_span_html", start_chars=["<"]
    )
