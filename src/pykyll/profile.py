"""`--profile`: time per template and per build stage, printed as Jekyll prints it."""

from __future__ import annotations

import time
from collections.abc import Iterator
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
        rows = sorted(self.templates.items(), key=lambda kv: kv[1].seconds, reverse=True)[:limit]
        width = max([len("Filename"), *(len(path) for path, _ in rows)])
        lines = [
            f"{'Filename'.ljust(width)} | Count |      Bytes |  Time",
            f"{'-' * width}-+-------+------------+------",
        ]
        for path, s in rows:
            lines.append(
                f"{path.ljust(width)} | {s.count:5d} | {s.bytes / 1024:9.2f}K | {s.seconds:.3f}"
            )
        lines.append("")
        lines.append("Build Process Summary:")
        lines.append("")
        lines.append(f"{'PHASE':<10} |    TIME")
        lines.append(f"{'-' * 10}-+--------")
        for name, seconds in self.stages.items():
            lines.append(f"{name.upper():<10} | {seconds:7.4f}")
        lines.append(f"{'TOTAL':<10} | {sum(self.stages.values()):7.4f}")
        return "\n".join(lines)
