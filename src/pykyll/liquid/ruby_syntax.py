"""Ruby Liquid 5.4's markup parsers, for its error messages and its lax recovery.

In Jekyll's default `error_mode: warn`, Ruby's Liquid parses each `{{ }}` and `{% if %}`
strictly; when that fails it prints the strict parser's message as a warning and uses
its lax (regex) parser instead. python-liquid has neither the same messages nor the same
recovery, so this module reproduces both:

- :func:`strict_variable_error` / :func:`strict_condition_error` return Ruby's message
  (`Expected end_of_string but found string`) or None when Ruby's strict parser accepts;
- :func:`lax_condition` rewrites a condition the way Ruby's lax parser reads it, into a
  condition python-liquid parses (`page.title ==` -> `page.title == nil`).
"""

from __future__ import annotations

import re

_COMPARISON = re.compile(r"==|!=|<>|<=?|>=?|contains(?=\s)")
_SINGLE = re.compile(r"'[^']*'")
_DOUBLE = re.compile(r'"[^"]*"')
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_IDENTIFIER = re.compile(r"[a-zA-Z_][\w-]*\??")
_DOTDOT = re.compile(r"\.\.")
_SPACE = re.compile(r"\s*")
_SPECIALS = {
    "|": "pipe",
    ".": "dot",
    ":": "colon",
    ",": "comma",
    "[": "open_square",
    "]": "close_square",
    "(": "open_round",
    ")": "close_round",
    "?": "question",
    "-": "dash",
}


class RubySyntaxError(Exception):
    pass


def tokenize(markup: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    n = len(markup)
    while pos < n:
        pos = _SPACE.match(markup, pos).end()  # type: ignore[union-attr]
        if pos >= n:
            break
        for kind, pattern in (
            ("comparison", _COMPARISON),
            ("string", _SINGLE),
            ("string", _DOUBLE),
            ("number", _NUMBER),
            ("id", _IDENTIFIER),
            ("dotdot", _DOTDOT),
        ):
            m = pattern.match(markup, pos)
            if m:
                out.append((kind, m.group(0)))
                pos = m.end()
                break
        else:
            c = markup[pos]
            if c not in _SPECIALS:
                raise RubySyntaxError(f"Unexpected character {c}")
            out.append((_SPECIALS[c], c))
            pos += 1
    out.append(("end_of_string", ""))
    return out


def _token_repr(token: tuple[str, str]) -> str:
    kind, value = token
    if kind == "end_of_string":
        return "[:end_of_string]"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'[:{kind}, "{escaped}"]'


class _Parser:
    def __init__(self, markup: str) -> None:
        self.tokens = tokenize(markup)
        self.p = 0

    def look(self, kind: str, ahead: int = 0) -> bool:
        i = self.p + ahead
        return i < len(self.tokens) and self.tokens[i][0] == kind

    def consume(self, kind: str | None = None) -> str:
        token = self.tokens[self.p]
        if kind is not None and token[0] != kind:
            raise RubySyntaxError(f"Expected {kind} but found {token[0]}")
        self.p += 1
        return token[1]

    def consume_if(self, kind: str) -> str | None:
        if self.look(kind):
            return self.consume()
        return None

    def id_is(self, word: str) -> bool:
        token = self.tokens[self.p]
        if token[0] == "id" and token[1] == word:
            self.p += 1
            return True
        return False

    def expression(self) -> None:
        token = self.tokens[self.p]
        kind = token[0]
        if kind == "id":
            self.consume()
            self.variable_lookups()
        elif kind == "open_square":
            self.consume()
            self.expression()
            self.consume("close_square")
            self.variable_lookups()
        elif kind in ("string", "number"):
            self.consume()
        elif kind == "open_round":
            self.consume()
            self.expression()
            self.consume("dotdot")
            self.expression()
            self.consume("close_round")
        else:
            raise RubySyntaxError(f"{_token_repr(token)} is not a valid expression")

    def variable_lookups(self) -> None:
        while True:
            if self.look("open_square"):
                self.consume()
                self.expression()
                self.consume("close_square")
            elif self.look("dot"):
                self.consume()
                self.consume("id")
            else:
                break

    def argument(self) -> None:
        if self.look("id") and self.look("colon", 1):
            self.consume()
            self.consume()
        self.expression()


def strict_variable_error(markup: str) -> str | None:
    """Ruby's strict-parse error for `{{ markup }}`, or None."""
    try:
        p = _Parser(markup)
        if p.look("end_of_string"):
            return None
        p.expression()
        while p.consume_if("pipe") is not None:
            p.consume("id")
            if p.consume_if("colon") is not None:
                p.argument()
                while p.consume_if("comma") is not None:
                    p.argument()
        p.consume("end_of_string")
    except RubySyntaxError as err:
        return str(err)
    return None


def strict_condition_error(markup: str) -> str | None:
    """Ruby's strict-parse error for `{% if markup %}`, or None."""
    try:
        p = _Parser(markup)
        _comparison(p)
        while p.id_is("and") or p.id_is("or"):
            _comparison(p)
        p.consume("end_of_string")
    except RubySyntaxError as err:
        return str(err)
    return None


def strict_for_error(markup: str) -> str | None:
    """Ruby's strict-parse error for `{% for markup %}`, or None."""
    try:
        p = _Parser(markup)
        p.consume("id")
        if not p.id_is("in"):
            return "For loops require an 'in' clause"
        p.expression()
        p.id_is("reversed")
        while p.look("id") and p.look("colon", 1):
            if not (p.id_is("limit") or p.id_is("offset")):
                return "Invalid attribute in for loop. Valid attributes are limit and offset"
            p.consume("colon")
            p.expression()
        p.consume("end_of_string")
    except RubySyntaxError as err:
        return str(err)
    return None


def _comparison(p: _Parser) -> None:
    p.expression()
    if p.consume_if("comparison") is not None:
        p.expression()


# -- lax -----------------------------------------------------------------------------------

_QUOTED_STRING = r"\"[^\"]*\"|'[^']*'"
_QUOTED_FRAGMENT = rf"(?:{_QUOTED_STRING}|(?:[^\s,|'\"]|{_QUOTED_STRING})+)"
_EXPRESSIONS_AND_OPERATORS = re.compile(
    r"(?:\b(?:\s?and\s?|\s?or\s?)\b|(?:\s*(?!\b(?:\s?and\s?|\s?or\s?)\b)"
    rf"(?:{_QUOTED_FRAGMENT}|\S+)\s*)+)"
)
_CONDITION_SYNTAX = re.compile(rf"({_QUOTED_FRAGMENT})\s*([=!<>a-z_]+)?\s*({_QUOTED_FRAGMENT})?")
_VARIABLE_PARSER = re.compile(r"\[[^\]]+\]|[\w-]+\??")
_LITERAL = re.compile(
    r"\A(?:nil|null|true|false|empty|blank|-?\d+(?:\.\d+)?|\"[^\"]*\"|'[^']*'|"
    r"\((?:[\w.\[\]'\"-]+)\.\.(?:[\w.\[\]'\"-]+)\))\Z"
)


_OPERATORS = frozenset(("==", "!=", "<>", "<", ">", "<=", ">=", "contains"))
_KEYWORDS = frozenset(("nil", "null", "true", "false", "empty", "blank"))


def lax_fragment(text: str) -> str:
    """Ruby's `Expression.parse` of a lax fragment, as python-liquid source text."""
    text = text.strip()
    if _LITERAL.match(text):
        return text
    parts = _VARIABLE_PARSER.findall(text)
    if not parts or parts[0] in _KEYWORDS:
        return "nil"  # a variable named like a keyword: always nil
    out = ""
    for part in parts:
        if part.startswith("["):
            out += part
        else:
            out += ("." if out else "") + part
    if out[0] == "[":
        return "nil"
    return out


def lax_condition(markup: str) -> str | None:
    """The condition Ruby's lax parser reads from `markup`, or None if it fails too."""
    chunks = _EXPRESSIONS_AND_OPERATORS.findall(markup)
    if not chunks:
        return None
    parts: list[str] = []
    expect_condition = True
    for chunk in chunks:
        if expect_condition:
            m = _CONDITION_SYNTAX.search(chunk)
            if not m:
                return None
            left, op, right = m.groups()
            text = lax_fragment(left)
            if op and op not in _OPERATORS:
                raise RubySyntaxError(f"Unknown operator {op}")
            if op:
                text += f" {op} {lax_fragment(right) if right else 'nil'}"
            parts.append(text)
        else:
            operator = chunk.strip()
            if operator not in ("and", "or"):
                return None
            parts.append(operator)
        expect_condition = not expect_condition
    if expect_condition:
        return None
    return " ".join(parts)


_FOR_SYNTAX = re.compile(rf"\A([\w-]+)\s+in\s+((?:{_QUOTED_FRAGMENT})+)\s*(reversed)?")
_TAG_ATTRIBUTES = re.compile(rf"(\w[\w-]*)\s*:\s*({_QUOTED_FRAGMENT})")


def lax_for(markup: str) -> str | None:
    """The loop Ruby's lax parser reads from `{% for markup %}`, or None."""
    m = _FOR_SYNTAX.match(markup.strip())
    if not m:
        return None
    text = f"{m.group(1)} in {lax_fragment(m.group(2))}"
    if m.group(3):
        text += " reversed"
    for name, value in _TAG_ATTRIBUTES.findall(markup):
        if name in ("limit", "offset"):
            text += f" {name}: {value if value == 'continue' else lax_fragment(value)}"
    return text
