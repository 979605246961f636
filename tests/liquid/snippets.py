"""Reads tests/liquid/snippets.txt, the table of Liquid snippets.

Format: a snippet starts with a header line `=== ID` (optionally followed by
`| xfail: REASON`) and its source is every following line up to the next header,
without trailing blank lines. Lines before the first header and lines starting with
`;;` directly after a header are comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SNIPPETS = Path(__file__).with_name("snippets.txt")
_HEADER = re.compile(r"^=== (\S+)\s*(?:\|\s*xfail:\s*(.*))?$")


@dataclass(frozen=True)
class Snippet:
    id: str
    source: str
    xfail: str | None = None


def load_snippets(path: Path = SNIPPETS) -> list[Snippet]:
    snippets: list[Snippet] = []
    seen: set[str] = set()
    current: tuple[str, str | None] | None = None
    lines: list[str] = []

    def flush() -> None:
        if current is not None:
            sid, xfail = current
            if sid in seen:
                raise ValueError(f"duplicate snippet id {sid}")
            seen.add(sid)
            while lines and lines[-1] == "":
                lines.pop()
            snippets.append(Snippet(sid, "\n".join(lines), xfail))

    for raw in path.read_text(encoding="utf-8").split("\n"):
        m = _HEADER.match(raw)
        if m:
            flush()
            current = (m.group(1), m.group(2).strip() if m.group(2) else None)
            lines = []
        elif current is not None:
            if not lines and raw.startswith(";;"):
                continue
            lines.append(raw)
    flush()
    return snippets
