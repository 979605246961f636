"""`--profile`: time per template and per build stage, printed as Jekyll prints it."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class TemplateStats:
    count: int = 0
    bytes: int = 0
    seconds: float = 0.0


class Profiler:
    def __init__(self) -> None:
        self.templates: dict[str, TemplateStats] = {}
        self.stages: dict[str, float] = {}

    def record(self, path: str, output: str, seconds: float) -> None:
        stats = self.templates.setdefault(path, TemplateStats())
        stats.count += 1
        stats.bytes += len(output.encode("utf-8"))
        stats.seconds += seconds

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - started

    def table(self, limit: int = 50) -> str:
        """Jekyll 4.3's two tables: the build phases, then the templates (layouts, pages,
        documents and includes), slowest first, with a total."""
        phases = [(name.upper(), f"{seconds:.4f}") for name, seconds in self.stages.items()]
        phases.append(("TOTAL TIME", f"{sum(self.stages.values()):.4f}"))
        lines = ["Build Process Summary: ", ""]
        lines += _boxed(["PHASE", "TIME"], phases, right=[False, True])
        lines += [" ", "", "Site Render Stats: ", ""]
        rows = sorted(self.templates.items(), key=lambda kv: kv[1].seconds, reverse=True)
        shown = rows[:limit]
        body = [
            (path, str(s.count), f"{s.bytes / 1024:.2f}K", f"{s.seconds:.3f}") for path, s in shown
        ]
        body.append(
            (
                f"TOTAL (for {len(shown)} files)",
                str(sum(s.count for _, s in shown)),
                f"{sum(s.bytes for _, s in shown) / 1024:.2f}K",
                f"{sum(s.seconds for _, s in shown):.3f}",
            )
        )
        lines += _boxed(
            ["Filename", "Count", "Bytes", "Time"], body, right=[False, True, True, True]
        )
        lines.append(" ")
        return "\n".join(lines)


def _boxed(header: list[str], rows: Sequence[Sequence[str]], right: list[bool]) -> list[str]:
    """`| a | b |` rows under a `+---+---+` rule, as Jekyll's `Profiler.tabulate`."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)
        ]
        return "| " + " | ".join(parts) + " |"

    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    return [line(header), rule, *(line(r) for r in rows)]
