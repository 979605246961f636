"""Reading `.bib` files: entries with their file and line, LaTeX decoded on demand.

pybtex parses (it resolves `@string` macros, `#` concatenation and the month macros, and
splits names into first/von/last/jr as BibTeX does). Around it:

* every entry's line is found in the source, so messages can name `file:line`;
* a syntax error is an error naming the file and the line, as jekyll-scholar's parser
  (bibtex-ruby) stops the build on one; an entry whose braces never close is reported at
  the line where the entry starts (not at the end of the file, where the parser notices);
* a repeated key or field is a warning and the first one is kept (what BibTeX does).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pykyll.errors import ContentError
from pykyll.scholar.latex import strip_braces, to_html, to_text

#: fields kept verbatim (URLs and identifiers): braces stripped, no LaTeX decoding
VERBATIM_FIELDS = frozenset(
    {
        "url",
        "pdf",
        "code",
        "website",
        "html",
        "arxiv",
        "eprint",
        "doi",
        "supp",
        "poster",
        "slides",
        "video",
        "blog",
        "preview",
        "google_scholar_id",
        "file",
        "isbn",
        "issn",
        "pmid",
        "altmetric",
        "dimensions",
        "inspirehep_id",
    }
)
PERSON_FIELDS = ("author", "editor")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)

_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*([{(])[ \t]*([^,\s{}()]*)", re.M)
_NOT_ENTRIES = frozenset({"comment", "string", "preamble"})


@dataclass
class Name:
    """One author or editor, its parts decoded to Unicode."""

    first: str
    von: str
    last: str
    jr: str
    latex: str

    @property
    def others(self) -> bool:
        """BibTeX's `and others` (rendered as "et al.")."""
        return self.latex == "others"

    @property
    def full(self) -> str:
        parts = [p for p in (self.first, self.von, self.last) if p]
        text = " ".join(parts)
        return f"{text}, {self.jr}" if self.jr else text

    @property
    def sort_form(self) -> str:
        """`von Last, Jr, First` — bibtex-ruby's `Names#to_s` form, used by queries."""
        text = " ".join(p for p in (self.von, self.last) if p)
        if self.jr:
            text += f", {self.jr}"
        if self.first:
            text += f", {self.first}"
        return text


@dataclass
class Entry:
    key: str
    type: str
    #: field name (lower case) → value as written (LaTeX, macros already expanded)
    fields: dict[str, str]
    names: dict[str, list[Name]]
    #: field names in the order of the file (names included)
    order: list[str]
    file: str
    line: int
    _cache: dict[tuple[str, bool], str] = field(default_factory=dict, repr=False)

    def has(self, name: str) -> bool:
        name = name.lower()
        return name in self.fields or name in self.names

    def text(self, name: str) -> str | None:
        """A field as plain Unicode text (verbatim fields only lose their braces)."""
        return self._decoded(name.lower(), html=False)

    def html(self, name: str) -> str | None:
        """A field as HTML (verbatim fields are returned as written, not escaped)."""
        return self._decoded(name.lower(), html=True)

    def _decoded(self, name: str, html: bool) -> str | None:
        if name in self.names:
            text = " and ".join(n.sort_form for n in self.names[name])
            return _escape(text) if html else text
        raw = self.fields.get(name)
        if raw is None:
            return None
        cached = self._cache.get((name, html))
        if cached is None:
            if name in VERBATIM_FIELDS:
                cached = strip_braces(raw)
            else:
                cached = to_html(raw) if html else to_text(raw)
            self._cache[(name, html)] = cached
        return cached

    @cached_property
    def month_numeric(self) -> int | None:
        month = self.text("month")
        if not month:
            return None
        month = month.strip().lower()
        if month.isdigit():
            number = int(month)
            return number if 1 <= number <= 12 else None
        for index, name in enumerate(MONTHS, start=1):
            if len(month) >= 3 and name.startswith(month.rstrip(".")):
                return index
        return None

    def property(self, name: str) -> str | None:
        """What bibtex-ruby's `entry.send(name).to_s` gives a query: `key`, `type`,
        `month_numeric`, or a field (None when the entry has no such field)."""
        lowered = name.lower()
        if lowered in ("key", "id"):
            return self.key
        if lowered == "type":
            return self.type
        if lowered == "month_numeric":
            number = self.month_numeric
            return None if number is None else str(number)
        return self.text(lowered)

    def bibtex(self, skip: set[str]) -> str:
        """The entry as BibTeX, without the `skip` fields (for the "Bib" toggle)."""
        lines = [f"@{self.type}{{{self.key},"]
        for name in self.order:
            if name in skip:
                continue
            if name in self.names:
                value = " and ".join(n.latex for n in self.names[name])
            else:
                value = self.fields[name]
            lines.append(f"  {name} = {{{value}}},")
        if len(lines) > 1:
            lines[-1] = lines[-1].rstrip(",")
        lines.append("}")
        return "\n".join(lines)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass
class _Span:
    type: str
    key: str
    line: int
    start: int
    end: int | None  # None: the entry never closes


def _scan(text: str) -> list[_Span]:
    """Where each entry starts and ends in the source (by counting braces)."""
    starts = list(_ENTRY_START.finditer(text))
    spans: list[_Span] = []
    for index, match in enumerate(starts):
        kind = match.group(1).lower()
        limit = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        opener = match.start(2)
        closer = "}" if match.group(2) == "{" else ")"
        depth = 0
        end: int | None = None
        for pos in range(opener, limit):
            ch = text[pos]
            if ch == "{" or (ch == "(" and closer == ")" and depth == 0):
                depth += 1
            elif ch == "}" or (ch == ")" and closer == ")" and depth == 1):
                depth -= 1
                if depth == 0:
                    end = pos + 1
                    break
        line = text.count("\n", 0, match.start()) + 1
        spans.append(_Span(kind, match.group(3), line, match.start(), end))
    return spans


def _field_order(body: str) -> list[str]:
    """Field names in the order written, from an entry's source text."""
    names: list[str] = []
    depth = 0
    in_quote = False
    token: list[str] = []
    for ch in body:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 1:
            in_quote = not in_quote
        elif depth == 1 and not in_quote:
            if ch == ",":
                token = []
                continue
            if ch == "=":
                name = "".join(token).strip().lower()
                if name and re.fullmatch(r"[\w\-:.+/]+", name):
                    names.append(name)
                token = []
                continue
            token.append(ch)
    return names


def parse(text: str, display: str, warn: Callable[[str], None]) -> list[Entry]:
    """The entries of a `.bib` file's text (`display`: the file name used in messages)."""
    import pybtex.errors
    from pybtex.database import BibliographyDataError
    from pybtex.database.input import bibtex as pybtex_bibtex
    from pybtex.scanner import PybtexSyntaxError

    spans = [s for s in _scan(text) if s.type not in _NOT_ENTRIES]
    problems: list[tuple[int, str, str]] = []
    for span in spans:
        if span.end is None:
            problems.append(
                (
                    span.line,
                    f"malformed BibTeX entry '{span.key}': its braces are not balanced (the "
                    "entry is not closed before the next entry or the end of the file)",
                    "look for a missing '}' or an extra '{' in this entry",
                )
            )
    with pybtex.errors.capture() as errors:
        data = pybtex_bibtex.Parser().parse_string(text)
    for error in errors:
        if isinstance(error, PybtexSyntaxError):
            line = getattr(error, "lineno", None) or text.count("\n") + 1
            key = _key_at(spans, line)
            what = f"malformed BibTeX entry '{key}'" if key else "malformed BibTeX"
            message = re.sub(r"^syntax error in line \d+: ", "", str(error))
            problems.append(
                (
                    line,
                    f"{what}: {message}",
                    "check the commas between fields and the braces or quotes around values",
                )
            )
    if problems:
        line, message, hint = min(problems, key=lambda p: p[0])
        raise ContentError(message, file=display, line=line, hint=hint)
    lines: dict[str, int] = {}
    bodies: dict[str, str] = {}
    for span in spans:
        if span.key not in lines:
            lines[span.key] = span.line
            bodies[span.key] = text[span.start : span.end]
        else:
            warn(
                f"{display}:{span.line}: the BibTeX key '{span.key}' is used again "
                f"(first at line {lines[span.key]}); this entry is skipped"
            )
    for error in errors:
        if isinstance(error, BibliographyDataError) and "repeated" not in str(error):
            named = re.search(r"entry with key (\S+) ", str(error))
            line = lines.get(named.group(1)) if named else None
            where = f"{display}:{line}" if line else display
            warn(f"{where}: {error}; the first value is kept")
    entries: list[Entry] = []
    for key, raw in data.entries.items():
        fields = {name.lower(): str(value) for name, value in raw.fields.items()}
        names: dict[str, list[Name]] = {}
        for role, persons in raw.persons.items():
            names[role.lower()] = [_name(p) for p in persons]
        order = [n for n in _field_order(bodies.get(key, "")) if n in fields or n in names]
        order = list(dict.fromkeys(order))
        order += [n for n in [*names, *fields] if n not in order]
        entries.append(
            Entry(
                key=key,
                type=raw.type.lower(),
                fields=fields,
                names=names,
                order=order,
                file=display,
                line=lines.get(key, 0),
            )
        )
    return entries


def _key_at(spans: list[_Span], line: int | None) -> str | None:
    if line is None:
        return None
    found = None
    for span in spans:
        if span.line <= line:
            found = span.key
    return found


def _name(person: object) -> Name:
    def part(*lists: list[str]) -> str:
        return " ".join(to_text(p) for names in lists for p in names)

    first = part(getattr(person, "first_names", []), getattr(person, "middle_names", []))
    return Name(
        first=first,
        von=part(getattr(person, "prelast_names", [])),
        last=part(getattr(person, "last_names", [])),
        jr=part(getattr(person, "lineage_names", [])),
        latex=str(person),
    )


def load(path: Path, display: str, warn: Callable[[str], None]) -> list[Entry]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as err:
        raise ContentError(
            f"the bibliography file {display} does not exist",
            hint="check `scholar: source:` and `bibliography:` or the tag's --file",
        ) from err
    except (OSError, UnicodeDecodeError) as err:
        raise ContentError(f"cannot read the bibliography: {err}", file=display) from err
    return parse(text, display, warn)
