"""Which source files each output depends on (its layouts, includes, data).

Recorded during rendering; `serve` and incremental builds use it to re-render only the
outputs a changed file can affect.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any


class DependencyGraph:
    def __init__(self) -> None:
        self._depends_on: defaultdict[str, set[str]] = defaultdict(set)

    def add(self, item: Any, dependency: Path | str) -> None:
        self._depends_on[str(item.path)].add(str(dependency))

    def dependencies(self, item: Any) -> set[str]:
        return set(self._depends_on.get(str(item.path), ()))

    def dependents(self, changed: Path | str) -> set[str]:
        target = str(changed)
        return {source for source, deps in self._depends_on.items() if target in deps}
