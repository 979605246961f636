"""Jekyll's `smartify` filter: kramdown's SmartyPants parser and HTML converter.

That parser knows only HTML tags, entities, typographic symbols and smart quotes; every
other character is text, so a bare `&`, `<` or `>` comes out escaped and entities come out
as characters (those that HTML must escape keep the form they were written in).
"""

from __future__ import annotations

import re

from .attrs import render_attrs
from .html_blocks import START_TAG, parse_attributes
from .inline_text import typeset_run
from .options import DEFAULTS
from .typography import parse_quotes_option

# `<<` is a typographic symbol before it can start a tag (kramdown tries them first).
_TAG = re.compile(r"(?P<symbol><<)|<!--.*?-->|</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>", re.S)
_MUST_ESCAPE = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_OPTIONS = {
    "typography": True,
    "quotes": parse_quotes_option(DEFAULTS["smart_quotes"]),
    "symbols": True,
}


def _escape(text: str) -> str:
    return "".join(_MUST_ESCAPE.get(char, char) for char in text)


def _text_run(text: str, following: str) -> str:
    """A run between tags as the markdown converter types it (entities decoded, typography
    seeing the next character), then escaped as kramdown's HTML converter escapes text."""
    return "".join(_escape(token["raw"]) for token in typeset_run(text, _OPTIONS, following))


def _normalized_tag(tag: str) -> str:
    """kramdown re-serializes an opening tag: attributes in double quotes, escaped."""
    match = START_TAG.fullmatch(tag)
    if match is None or match.group(3):
        return tag
    return f"<{match.group(1)}{render_attrs(parse_attributes(match.group(2)))}>"


def smartypants(text: str) -> str:
    out: list[str] = []
    pos = 0
    for tag in _TAG.finditer(text):
        if tag.group("symbol"):
            continue
        out.append(_text_run(text[pos : tag.start()], "<"))
        out.append(_normalized_tag(tag.group(0)))
        pos = tag.end()
    out.append(_text_run(text[pos:], ""))
    return "".join(out)
