"""Syntax highlighting with Pygments, emitting the HTML Rouge emits (same CSS classes).

Rouge borrowed Pygments' short token class names, so a Pygments token type maps onto Rouge's
class through Pygments' own STANDARD_TYPES table. What differs is the lexing itself: the
two libraries' lexers do not always split or classify tokens the same way (for example
Python's `print` is `k` in Rouge 3.30 but `nb` in Pygments, and Python strings are `s` in
Rouge but `s2`/`s1` in Pygments). Those differences are accepted.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import (
    STANDARD_TYPES,
    Comment,
    Keyword,
    Literal,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
    _TokenType,
)
from pygments.util import ClassNotFound

# Rouge aliases Pygments does not know under the same name.
_ALIASES = {
    "plaintext": "text",
    "plain": "text",
    "txt": "text",
    "shell": "bash",
    "sh": "bash",
    "console": "console",
    "shell_session": "console",
    "jsx": "javascript",
    "viml": "vim",
    "liquid": "liquid",
    "conf": "ini",
}
# Pygments lexer options that correspond to Rouge's `lang?opt=value` options.
_OPTION_NAMES = {"start_inline": "startinline"}


def _escape(text: str) -> str:
    """Rouge escapes only &, < and > (quotes stay literal)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@lru_cache(maxsize=256)
def find_lexer(lang: str | None) -> Lexer | None:
    """The Pygments lexer for a Rouge language spec (`php?start_inline=1`), or None."""
    if not lang:
        return None
    name, _, query = lang.partition("?")
    name = name.lower()
    options: dict[str, object] = {"stripnl": False, "ensurenl": False}
    for key, value in parse_qsl(query):
        options[_OPTION_NAMES.get(key, key)] = value not in ("0", "false", "")
    try:
        lexer = get_lexer_by_name(_ALIASES.get(name, name), **options)
    except ClassNotFound:
        return None
    return None if lexer.name == "Text only" else lexer


def is_known_language(lang: str | None) -> bool:
    """True when Rouge would find a lexer (plaintext included)."""
    if not lang:
        return False
    name = lang.partition("?")[0].lower()
    return name in ("plaintext", "text", "plain", "txt") or find_lexer(lang) is not None


_Tok = tuple[_TokenType, str]


def _ruby_like_rouge(tokens: list[_Tok]) -> list[_Tok]:
    """Rouge: `.` is punctuation and the method name after it is a function name."""
    out: list[_Tok] = []
    for ttype, value in tokens:
        if ttype in Operator and value == ".":
            ttype = Punctuation
        elif ttype is Name and out and out[-1] == (Punctuation, "."):
            ttype = Name.Function
        out.append((ttype, value))
    return out


def _html_like_rouge(tokens: list[_Tok]) -> list[_Tok]:
    """Rouge: `<tag`, `>` and `</tag>` are one `nt` token; `attr=` is one `na` token."""
    out: list[_Tok] = []
    for ttype, value in tokens:
        prev = out[-1] if out else None
        if ttype in Name.Tag:
            opener = ""
            while out and out[-1][0] in Punctuation and out[-1][1] in ("<", "/", "</"):
                opener = out.pop()[1] + opener
            out.append((Name.Tag, opener + value))
            continue
        if ttype in Punctuation and value.strip() in (">", "/>", "<", "</"):
            ttype = Name.Tag if value.strip() in (">", "/>") else ttype
        if ttype in Operator and value == "=" and prev and prev[0] in Name.Attribute:
            out[-1] = (prev[0], prev[1] + value)
            continue
        out.append((ttype, value))
    return out


def _php_like_rouge(tokens: list[_Tok]) -> list[_Tok]:
    """Rouge: the class name after `new` is `nc`."""
    out: list[_Tok] = []
    for ttype, value in tokens:
        if ttype in Name.Other and len(out) >= 2 and out[-2] == (Keyword, "new"):
            ttype = Name.Class
        out.append((ttype, value))
    return out


def _js_like_rouge(tokens: list[_Tok]) -> list[_Tok]:
    """Rouge: string quotes are `dl` delimiters; integers are `mi`."""
    out: list[_Tok] = []
    for ttype, value in tokens:
        if ttype in String.Double and len(value) >= 2 and value[0] == value[-1] == '"':
            out += [(String.Delimiter, '"'), (ttype, value[1:-1]), (String.Delimiter, '"')]
            continue
        if ttype in Number and value.isdigit():
            ttype = Number.Integer
        out.append((ttype, value))
    return out


def _comment_keeps_newline(tokens: list[_Tok]) -> list[_Tok]:
    """Rouge's Python lexer ends a single-line comment token with its newline."""
    out: list[_Tok] = []
    for ttype, value in tokens:
        prev = out[-1] if out else None
        if (
            prev
            and prev[0] in Comment.Single
            and value.startswith("\n")
            and (ttype in Text or ttype in Whitespace)
        ):
            out[-1] = (prev[0], prev[1] + "\n")
            value = value[1:]
            if not value:
                continue
        out.append((ttype, value))
    return out


def _python_like_rouge(tokens: list[_Tok]) -> list[_Tok]:
    """Rouge 3.30's Python lexer: `.` is punctuation, `None`/`True`/`False` are `bp`,
    every string (docstrings, double quotes) is `s`, `print` is a keyword and a comment
    token ends with its newline."""
    out: list[_Tok] = []
    for ttype, value in _comment_keeps_newline(tokens):
        if ttype in Operator and value == ".":
            ttype = Punctuation
        elif ttype in Keyword.Constant:
            ttype = Name.Builtin.Pseudo
        elif ttype in String.Doc or ttype in String.Double or ttype in String.Single:
            ttype = String
        elif ttype in Name.Builtin and value == "print":
            ttype = Keyword
        out.append((ttype, value))
    return out


def _json_like_rouge(tokens: list[_Tok]) -> list[_Tok]:
    """Rouge: object keys are labels (`nl`); its whitespace spans are added in highlight()."""
    return [(Name.Label if t in Name.Tag else t, v) for t, v in tokens]


_YAML_CONSTANTS = frozenset(
    {"true", "false", "yes", "no", "on", "off", "null", "~"}
    | {"True", "False", "TRUE", "FALSE", "Null", "NULL"}
)
_YAML_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def _yaml_like_rouge(tokens: list[_Tok]) -> list[_Tok]:
    """Rouge: keys are `na`, `:`/`-` indicators are `pi`, plain scalars are strings, numbers
    or constants, and a quoted scalar's opening quote is a token of its own."""
    out: list[_Tok] = []
    in_quotes = False
    for ttype, value in tokens:
        if ttype in String and value in ('"', "'"):
            if not in_quotes:  # Rouge: the opening quote alone is s2/s1, the rest is s
                out.append((String.Double if value == '"' else String.Single, value))
                in_quotes = True
                continue
            in_quotes = False
            ttype = String
        elif ttype in Name.Tag:
            ttype = Name.Attribute
        elif ttype in Punctuation and value.strip() in (":", "-", "?"):
            ttype = Punctuation.Indicator
        elif ttype in Literal.Scalar.Plain:
            if value in _YAML_CONSTANTS:
                ttype = Name.Constant
            elif _YAML_NUMBER.fullmatch(value):
                ttype = Number
            else:
                ttype = String
        elif ttype in String:
            ttype = String
        out.append((ttype, value))
    return out


# Languages whose Rouge lexer emits whitespace as `w` tokens.
_VISIBLE_WHITESPACE = frozenset({"json"})

_ROUGE_ADJUSTMENTS = {
    "json": _json_like_rouge,
    "yaml": _yaml_like_rouge,
    "yml": _yaml_like_rouge,
    "python": _python_like_rouge,
    "py": _python_like_rouge,
    "python3": _python_like_rouge,
    "ruby": _ruby_like_rouge,
    "rb": _ruby_like_rouge,
    "html": _html_like_rouge,
    "xml": _html_like_rouge,
    "php": _php_like_rouge,
    "js": _js_like_rouge,
    "javascript": _js_like_rouge,
}


# Rouge token classes Pygments' table does not have.
_EXTRA_CLASSES = {Punctuation.Indicator: "pi"}


def _css_class(token_type: _TokenType) -> str:
    if token_type in _EXTRA_CLASSES:
        return _EXTRA_CLASSES[token_type]
    while token_type not in STANDARD_TYPES:
        token_type = token_type.parent
    return STANDARD_TYPES[token_type]


def highlight(code: str, lang: str | None) -> str:
    """Return the highlighted HTML for `code` (the inside of `<code>`), as Rouge would."""
    lexer = find_lexer(lang)
    if lexer is None:
        return _escape(code)
    out: list[str] = []
    pending_class = ""
    pending: list[str] = []

    def flush() -> None:
        if pending:
            text = _escape("".join(pending))
            out.append(f'<span class="{pending_class}">{text}</span>' if pending_class else text)
            pending.clear()

    tokens = list(lexer.get_tokens(code))
    name = (lang or "").partition("?")[0].lower()
    visible_whitespace = name in _VISIBLE_WHITESPACE
    adjust = _ROUGE_ADJUSTMENTS.get(name)
    if adjust:
        tokens = adjust(tokens)
    for token_type, value in tokens:
        if not value:
            continue
        if token_type in Text or token_type in Whitespace:
            css = "w" if visible_whitespace and value.isspace() else ""
        else:
            css = _css_class(token_type)
        if css != pending_class:
            flush()
            pending_class = css
        pending.append(value)
    flush()
    return "".join(out)
