"""Header ids: parser-gfm's algorithm (top level) and kramdown's basic one (inside HTML)."""

from __future__ import annotations

import re
import unicodedata

# Ruby's \p{Word}: letters, marks, decimal and letter numbers, connector punctuation, joiners.
_WORD_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "Pc"})
_JOINERS = frozenset({"\u200c", "\u200d"})


def _is_ruby_word_char(char: str) -> bool:
    return char in _JOINERS or unicodedata.category(char) in _WORD_CATEGORIES


def gfm_slug(text: str) -> str:
    """Lowercase, drop everything but word chars, `-`, space and tab, then blanks to `-`."""
    kept = [c for c in text.lower() if c in "- \t" or _is_ruby_word_char(c)]
    return "".join(kept).replace(" ", "-").replace("\t", "-")


def basic_slug(text: str) -> str:
    """kramdown's own algorithm: from the first ASCII letter, keep [a-zA-Z0-9 -]."""
    text = re.sub(r"^[^a-zA-Z]+", "", text)
    text = re.sub(r"[^a-zA-Z0-9 -]", "", text)
    text = text.replace(" ", "-").lower()
    return text or "section"


def transliterate(text: str) -> str:
    """Best-effort ASCII folding standing in for kramdown's Unidecoder."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class IdGenerator:
    """Hands out unique ids the way one kramdown converter run does."""

    def __init__(self, prefix: str = "", transliterated: bool = False) -> None:
        self.prefix = prefix
        self.transliterated = transliterated
        self.gfm_counts: dict[str, int] = {}
        self.basic_used: dict[str, int] = {}

    def gfm(self, raw_text: str) -> str:
        """parser-gfm ids: counter per slug, an empty first slug yields no id (parser-gfm
        does not transliterate, whatever transliterated_header_ids says)."""
        slug = gfm_slug(raw_text)
        count = self.gfm_counts.get(slug, -1) + 1
        self.gfm_counts[slug] = count
        result = f"{slug}-{count}" if count > 0 else slug
        return self.prefix + result if result else ""

    def basic(self, raw_text: str, stripping: bool = False, prefix: str | None = None) -> str:
        """kramdown's ids for headers parsed inside HTML and for `{:auto_ids}` terms
        (a counter separate from the GFM one, applied after the prefix)."""
        if self.transliterated:
            raw_text = transliterate(raw_text)
        slug = basic_slug(raw_text)
        if stripping:
            slug = slug.strip("-") or "section"
        slug = (self.prefix if prefix is None else prefix) + slug
        used = self.basic_used.get(slug)
        if used is None:
            self.basic_used[slug] = 0
            return slug
        self.basic_used[slug] = used + 1
        return f"{slug}-{used + 1}"
