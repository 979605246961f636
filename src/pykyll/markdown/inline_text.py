"""Post-processing of inline token lists: entities, typography, escapes."""

from __future__ import annotations

import re
from html.entities import html5
from typing import Any

from .typography import smarten

Token = dict[str, Any]
_ENTITY = re.compile(r"&(?:#(\d+)|#[xX]([0-9a-fA-F]+)|([a-zA-Z][a-zA-Z0-9]*));")


def decode_entity(m: re.Match[str]) -> str | None:
    """The character an entity stands for, or None when kramdown would not know it."""
    if m.group(1) or m.group(2):
        code = int(m.group(1) or m.group(2), 10 if m.group(1) else 16)
        try:
            return chr(code) if code else None
        except (ValueError, OverflowError):
            return None
    return html5.get(m.group(3) + ";")


# What kramdown's quote rules see right after a run of text, by the kind of the next token:
# its lookaheads read the source (`"*emphasis*"` opens, `"` before a tag closes).
_FOLLOWING_SOURCE = {
    "emphasis": "*x",
    "strong": "**x",
    "codespan": "`",
    "link": "[",
    "image": "!",
    "footnote_ref": "[",
    "inline_html": "<",
    "html_element": "<",
    "softbreak": "\n",
    "linebreak": "\n",
}


def typeset_run(text: str, opts: dict[str, Any], following: str = "") -> list[Token]:
    """One run of plain text: entities split it, each piece gets typographic treatment."""
    out: list[Token] = []
    pos = 0
    for m in _ENTITY.finditer(text):
        char = decode_entity(m)
        if char is None:
            continue
        if m.start() > pos:
            out.append({"type": "text", "raw": _typeset(text[pos : m.start()], opts)})
        out.append({"type": "text", "raw": char, "entity": True})
        pos = m.end()
    if pos < len(text):
        tail = _typeset(text[pos:] + following, opts)
        out.append({"type": "text", "raw": tail[: len(tail) - len(following)]})
    return out


def _typeset(text: str, opts: dict[str, Any]) -> str:
    if not opts["typography"]:
        return text
    return smarten(text, opts["quotes"], opts["symbols"])


def process_inline(tokens: list[Token], opts: dict[str, Any]) -> list[Token]:
    """Merge adjacent plain text tokens and apply entities and typography to each run."""
    out: list[Token] = []
    run: list[str] = []

    def flush(following: str = "") -> None:
        if run:
            out.extend(typeset_run("".join(run), opts, following))
            run.clear()

    for tok in tokens:
        if tok["type"] == "text" and not tok.get("literal"):
            run.append(tok["raw"])
            continue
        following = "\\" + tok["raw"] if tok.get("literal") else ""
        flush(following or _FOLLOWING_SOURCE.get(tok["type"], ""))
        if "children" in tok and tok["type"] not in ("image",):
            tok["children"] = process_inline(tok["children"], opts)
        out.append(tok)
    flush()
    return out
