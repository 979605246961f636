"""Jekyll-style log lines: a right-aligned topic, then the message.

Jekyll prints `      Generating... ` with the topic right-justified to 20 columns;
we keep that look so users recognise the output.
"""

from __future__ import annotations

import sys
from typing import TextIO

QUIET, NORMAL, VERBOSE = 0, 1, 2


class Logger:
    def __init__(self, level: int = NORMAL, stream: TextIO | None = None) -> None:
        self.level = level
        self._stream = stream
        self.warnings: list[str] = []

    @property
    def stream(self) -> TextIO:
        return self._stream or sys.stderr

    def _line(self, topic: str, message: str) -> str:
        return f"{topic.rjust(20)} {message}".rstrip()

    def info(self, topic: str, message: str = "") -> None:
        if self.level >= NORMAL:
            print(self._line(topic, message), file=self._stream or sys.stdout)

    def debug(self, topic: str, message: str = "") -> None:
        if self.level >= VERBOSE:
            print(self._line(topic, message), file=self._stream or sys.stdout)

    def warn(self, topic: str, message: str = "") -> None:
        """Warnings are remembered (for `--strict`) and shown unless `--quiet`, as in Jekyll."""
        self.warnings.append(f"{topic} {message}".strip())
        if self.level >= NORMAL:
            print(self._line(topic, message), file=self.stream)

    def error(self, topic: str, message: str = "") -> None:
        print(self._line(topic, message), file=self.stream)


log = Logger()
