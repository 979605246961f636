"""kramdown's typographic symbols and smart quotes, applied to runs of plain text.

kramdown scans quotes with the character before them (`[^\\]?["']`), so that character is
context only while it belongs to the same run of text; after any other span element the
quote is judged at the start of the run. The rules are tried in kramdown's order.
"""

from __future__ import annotations

import html
import re

LSQUO, RSQUO, LDQUO, RDQUO = "\u2018", "\u2019", "\u201c", "\u201d"
NBSP = "\u00a0"

_SYMBOLS = {
    "---": "\u2014",
    "--": "\u2013",
    "...": "\u2026",
    "\\<<": "<<",
    "\\>>": ">>",
    "<< ": "\u00ab" + NBSP,
    " >>": NBSP + "\u00bb",
    "<<": "\u00ab",
    ">>": "\u00bb",
}
_SCAN = re.compile(r"(?P<sym>---|--|\.\.\.|\\<<|\\>>|<< | >>|<<|>>)|(?P<quote>[^\\]?[\"'])", re.S)

_PUNCT = r"""[!"#\$%'()*+,\-./:;<=>?@\[\\\]\^_`{|}~]"""
_CLOSE = r"[^ \\\t\r\n\[{(-]"

# Each rule: regex anchored at the scan position, and what its groups become. An int keeps
# that group's text; "l"/"r" turn the quote in group 1 (or 2) into an opening/closing quote.
_Rule = tuple[re.Pattern[str], tuple[str | int, ...]]
_RULES: list[_Rule] = [
    (re.compile(r"(\"|')(?=[_*]{1,2}\S)"), ("l1",)),
    (re.compile(rf"(\"|')(?={_PUNCT}(?!\.\.)\B)"), ("r1",)),
    (re.compile(r"(\s?)\"'(?=\w)"), (1, LDQUO, LSQUO)),
    (re.compile(r"(\s?)'\"(?=\w)"), (1, LSQUO, LDQUO)),
    (re.compile(r"(\s?)'(?=\d\ds)"), (1, RSQUO)),
    (re.compile(r"(\s)('|\")(?=\w)"), (1, "l2")),
    (re.compile(rf"({_CLOSE})('|\")"), (1, "r2")),
    (re.compile(r"(\"|')(?=\s|s\b|$)"), ("r1",)),
    (re.compile(r"(.?)'", re.S), (1, LSQUO)),
    (re.compile(r"(.?)\"", re.S), (1, LDQUO)),
]


def _quote_char(kind: str, quote: str, quotes: tuple[str, str, str, str]) -> str:
    single = quote == "'"
    if kind == "l":
        return quotes[0] if single else quotes[2]
    return quotes[1] if single else quotes[3]


def _apply_quote_rule(text: str, pos: int, quotes: tuple[str, str, str, str]) -> tuple[str, int]:
    for regex, parts in _RULES:
        m = regex.match(text, pos)
        if not m:
            continue
        out = []
        for part in parts:
            if isinstance(part, int):
                out.append(m.group(part))
            elif part in ("l1", "r1", "l2", "r2"):
                out.append(_quote_char(part[0], m.group(int(part[1])), quotes))
            else:
                out.append(_map_literal_quote(part, quotes))
        return "".join(out), m.end()
    return text[pos], pos + 1


def _map_literal_quote(char: str, quotes: tuple[str, str, str, str]) -> str:
    return quotes[(LSQUO, RSQUO, LDQUO, RDQUO).index(char)]


def parse_quotes_option(value: object) -> tuple[str, str, str, str]:
    """kramdown's `smart_quotes` option: four entity names or characters."""
    names = [s.strip() for s in str(value).split(",")] if value else []
    if len(names) != 4:
        names = ["lsquo", "rsquo", "ldquo", "rdquo"]
    chars = [html.unescape(f"&{n};") if n.isalnum() else n for n in names]
    return chars[0], chars[1], chars[2], chars[3]


def smarten(
    text: str,
    quotes: tuple[str, str, str, str] = (LSQUO, RSQUO, LDQUO, RDQUO),
    symbols: bool = True,
) -> str:
    """Replace typographic symbols and straight quotes in one run of text."""
    if not (
        '"' in text or "'" in text or "--" in text or "..." in text or "<<" in text or ">>" in text
    ):
        return text
    out: list[str] = []
    pos = 0
    while True:
        m = _SCAN.search(text, pos)
        if not m:
            out.append(text[pos:])
            break
        out.append(text[pos : m.start()])
        if m.group("sym"):
            sym = m.group("sym")
            out.append(_SYMBOLS[sym] if symbols else sym)
            pos = m.end()
        else:
            replaced, pos = _apply_quote_rule(text, m.start(), quotes)
            out.append(replaced)
    return "".join(out)
