"""jekyll-scholar's selection, sorting and grouping of entries.

Queries are bibtex-ruby's (`Element#matches?` / `#meets?`):

* `@*` every entry, `@article` one type, `!@misc` every type but one; several
  `@…` in one query: an entry matching any of them;
* `[…]` conditions: `field=value`, `field!=value`, `field^=prefix`, `field~=regex`,
  `field!~regex`, `field>=number`, `field<=number`, a bare `field` (the field is present);
  `,` or `&&` between conditions: all of them, `||`: any group;
  `key`, `type` and `month_numeric` can be tested like fields;
* anything else is an entry key.

Sorting (`sort_by: year,month`, `order: descending[,ascending]`) and grouping
(`group_by: year[,month]`, `group_order: descending`) follow jekyll-scholar 7's
`Utilities#sort` and `#group`, except that sorting is stable (entries that compare equal
keep their order in the file).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cmp_to_key
from typing import Any

from pykyll.scholar.bibtex import MONTHS, Entry

_TYPE_QUERY = re.compile(r"(!)?@(\*|\w+)(?:\[([^\]]*)\])?")
_CONDITION = re.compile(r"\s*([!~/^<>]?=|!~)\s*")
_NUMERIC = re.compile(r"^\s*[+-]?\d+\s*$")

TYPE_NAMES = {
    "article": "Journal Articles",
    "book": "Books",
    "incollection": "Book Chapters",
    "inproceedings": "Conference Articles",
    "thesis": "Theses",
    "mastersthesis": "Master's Theses",
    "phdthesis": "PhD Theses",
    "manual": "Manuals",
    "techreport": "Technical Reports",
    "misc": "Miscellaneous",
    "unpublished": "Unpublished",
}
TYPE_ALIASES = {"phdthesis": "thesis", "mastersthesis": "thesis"}


class QueryError(ValueError):
    """A query that cannot be read (a bad regular expression)."""


def matches(entry: Entry, query: str | None) -> bool:
    if query is None or not query.strip():
        return True
    query = query.strip()
    if query.startswith("/") and query.endswith("/") and len(query) > 2:
        return _search(query[1:-1], entry.bibtex(set())) is not None
    if "@" not in query:
        return entry.key == query
    for negated, kind, condition in _TYPE_QUERY.findall(query):
        type_ok = kind == "*" or entry.type == kind.lower()
        if negated:
            type_ok = not type_ok
        if not type_ok:
            continue
        if not condition.strip():
            return True
        for alternative in re.split(r"\s*\|\|\s*", condition):
            conditions = re.split(r"\s*(?:,|&&)\s*", alternative)
            if all(_meets(entry, c) for c in conditions):
                return True
    return False


def _search(pattern: str, text: str) -> re.Match[str] | None:
    try:
        return re.search(pattern, text)
    except re.error as err:
        raise QueryError(f"bad regular expression /{pattern}/ in the query: {err}") from err


def _to_i(value: str) -> int:
    """Ruby's `String#to_i`: the leading integer, 0 when there is none."""
    m = re.match(r"\s*([+-]?\d+)", value)
    return int(m.group(1)) if m else 0


def _meets(entry: Entry, condition: str) -> bool:
    parts = _CONDITION.split(condition, maxsplit=1)
    name = parts[0].strip()
    if not name:
        return True
    if len(parts) == 1:
        return entry.has(name)
    operator, expected = parts[1], parts[2].strip()
    value = entry.property(name)
    if operator in ("!=", "/="):
        return value is None or value != expected
    if operator == "!~":
        return value is None or _search(expected, value) is None
    if value is None:
        return False
    if operator == "^=":
        return value.startswith(expected)
    if operator == "~=":
        return _search(expected, value) is not None
    if operator == "<=":
        return _to_i(value) <= _to_i(expected)
    if operator == ">=":
        return _to_i(value) >= _to_i(expected)
    return value == expected


def split_list(value: Any) -> list[str]:
    """`"year, month"` or `[year, month]` → `["year", "month"]` (jekyll-scholar's keys)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        out += [part for part in re.split(r"\s*,\s*", str(item).strip()) if part]
    return out


def _keys(value: Any) -> list[str]:
    return ["month_numeric" if key == "month" else key for key in split_list(value)]


def _descending(order: str) -> bool:
    return re.match(r"^(desc|reverse)", order, re.I) is not None


def _value_cmp(a: str | None, b: str | None) -> int:
    """bibtex-ruby's `Value#<=>`: numbers as numbers, else strings ("" when missing)."""
    left, right = a or "", b or ""
    if _NUMERIC.match(left) and _NUMERIC.match(right):
        x, y = int(left), int(right)
    else:
        return (left > right) - (left < right)
    return (x > y) - (x < y)


def sort_entries(entries: Sequence[Entry], sort_by: Any, order: Any) -> list[Entry]:
    keys = _keys(sort_by)
    if not keys or keys == ["none"]:
        return list(entries)
    orders = split_list(order) or ["ascending"]

    def compare(e1: Entry, e2: Entry) -> int:
        for index, key in enumerate(keys):
            direction = orders[index] if index < len(orders) else orders[-1]
            result = _value_cmp(e1.property(key), e2.property(key))
            if _descending(direction):
                result = -result
            if result:
                return result
        return 0

    return sorted(entries, key=cmp_to_key(compare))


@dataclass
class Group:
    """Entries with one value of a grouping key; `children` when grouped further."""

    key: str
    value: Any
    name: str
    entries: list[Entry] = field(default_factory=list)
    children: list[Group] = field(default_factory=list)


@dataclass
class Grouping:
    keys: list[str]
    orders: list[str]
    type_order: list[str]
    type_names: dict[str, str]
    type_aliases: dict[str, str]
    month_names: list[str] | None

    def value(self, key: str, entry: Entry) -> Any:
        if key == "type":
            return self.type_aliases.get(entry.type, entry.type)
        value = entry.property(key)
        if value is None:
            return None
        return int(value) if _NUMERIC.match(value) else value

    def name(self, key: str, value: Any) -> str:
        if value is None:
            return "Other"
        if key == "type":
            return self.type_names.get(str(value), str(value))
        if key == "month_numeric":
            names = self.month_names or [m.capitalize() for m in MONTHS]
            index = int(value) - 1
            return names[index] if 0 <= index < len(names) else "(unknown)"
        return str(value)

    def compare(self, key: str, a: Any, b: Any) -> int:
        if a is None or b is None:  # entries without the field come last in any order
            return (a is None) - (b is None)
        if key == "type":
            ia = self.type_order.index(a) if a in self.type_order else None
            ib = self.type_order.index(b) if b in self.type_order else None
            if ia is None and ib is None:  # unranked: by name (bibtex-ruby: any order)
                x, y = self.type_names.get(a, a), self.type_names.get(b, b)
                return (x > y) - (x < y)
            if ia is None:
                return 1
            if ib is None:
                return -1
            return (ia > ib) - (ia < ib)
        if isinstance(a, int) and isinstance(b, int):
            return (a > b) - (a < b)
        x, y = str(a), str(b)
        return (x > y) - (x < y)

    def group(self, entries: Sequence[Entry], level: int = 0) -> list[Group]:
        key = self.keys[level]
        order = self.orders[level] if level < len(self.orders) else self.orders[-1]
        buckets: dict[Any, list[Entry]] = {}
        for entry in entries:
            buckets.setdefault(self.value(key, entry), []).append(entry)

        def cmp(a: Any, b: Any) -> int:
            if a is None or b is None:
                return self.compare(key, a, b)
            result = self.compare(key, a, b)
            return -result if _descending(order) else result

        groups: list[Group] = []
        for value in sorted(buckets, key=cmp_to_key(cmp)):
            group = Group(key, value, self.name(key, value))
            if level + 1 < len(self.keys):
                group.children = self.group(buckets[value], level + 1)
            else:
                group.entries = buckets[value]
            groups.append(group)
        return groups


def grouping(config: dict[str, Any], group_by: Any, group_order: Any) -> Grouping | None:
    keys = _keys(group_by)
    if not keys or keys == ["none"]:
        return None
    names = dict(TYPE_NAMES)
    names.update({str(k): str(v) for k, v in (config.get("type_names") or {}).items()})
    aliases = dict(TYPE_ALIASES)
    aliases.update({str(k): str(v) for k, v in (config.get("type_aliases") or {}).items()})
    months = config.get("month_names")
    return Grouping(
        keys=keys,
        orders=split_list(group_order) or ["ascending"],
        type_order=split_list(config.get("type_order")),
        type_names=names,
        type_aliases=aliases,
        month_names=[str(m) for m in months] if isinstance(months, list) else None,
    )


# -- the tag's options ------------------------------------------------------------------------

_SPLIT = re.compile(
    r"(\B-[cCfhqptTsgGOlLomAr](?![\w-])|\B--(?:cited(?:_in_order)?|clear|bibliography_list_tag|"
    r"file|query|prefix|text|style|group_(?:by|order)|type_order|template|locator|label|"
    r"offset|max|suppress_author|remove_duplicates)\b)"
)
_LONG = {
    "-f": "file",
    "-q": "query",
    "-p": "prefix",
    "-T": "template",
    "-m": "max",
    "-o": "offset",
    "-g": "group_by",
    "-G": "group_order",
    "-O": "type_order",
    "-h": "bibliography_list_tag",
    "-s": "style",
    "-c": "cited",
    "-C": "cited_in_order",
    "-t": "text",
    "-l": "locator",
    "-L": "label",
    "-A": "suppress_author",
    "-r": "remove_duplicates",
}
_FLAGS = {"cited", "cited_in_order", "clear", "suppress_author", "remove_duplicates"}
UNSUPPORTED = {
    "cited",
    "cited_in_order",
    "clear",
    "text",
    "locator",
    "label",
    "suppress_author",
    "remove_duplicates",
}


@dataclass
class Options:
    files: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)


def parse_options(markup: str, error: Callable[[str], Exception]) -> Options:
    """jekyll-scholar's `optparse`: `--file F --query Q -g year …` (values run to the next
    option, so a query may contain spaces)."""
    options = Options()
    parts = [p.strip() for p in _SPLIT.split(markup)]
    leading = parts[0]
    if leading:
        raise error(f"unexpected text '{leading}' before the options")
    index = 1
    while index < len(parts):
        flag = parts[index]
        value = parts[index + 1] if index + 1 < len(parts) else ""
        index += 2
        name = _LONG.get(flag, flag.lstrip("-"))
        if name in _FLAGS:
            if value:
                raise error(f"--{name} takes no value (found '{value}')")
            options.values[name] = "true"
            continue
        if not value:
            raise error(f"--{name} needs a value")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if name == "file":
            options.files.append(value)
        else:
            options.values[name] = value
    return options
