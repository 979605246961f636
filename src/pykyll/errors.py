"""Errors that name the file, the line and what to do about it.

Every failure a user can cause is raised as a :class:`PykyllError` (or a subclass),
so the command line can print one readable line instead of a traceback.
"""

from __future__ import annotations

import re


class PykyllError(Exception):
    """A problem with the user's site, reported as `file:line: message (hint)`."""

    #: exit status of the command line when this error stops a build
    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.hint = hint

    def located(self, file: str | None, line: int | None = None) -> PykyllError:
        """Fill in the location if the raiser did not know it."""
        if self.file is None:
            self.file = file
        if self.line is None:
            self.line = line
        return self

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{hint}"


class ConfigError(PykyllError):
    """The configuration cannot be read or has wrong values."""

    exit_code = 2


class ContentError(PykyllError):
    """A page, post, data file or front matter cannot be read."""

    exit_code = 3


class TemplateError(PykyllError):
    """A Liquid template cannot be parsed or rendered."""

    exit_code = 4


def invalid_utf8(err: UnicodeDecodeError, file: str, kind: type[PykyllError]) -> PykyllError:
    """A located error for a file that is not valid UTF-8 (`err` from decoding its bytes)."""
    raw = err.object if isinstance(err.object, bytes) else bytes(err.object)
    line = raw.count(b"\n", 0, err.start) + 1
    return kind(
        f"invalid byte sequence in UTF-8 (byte 0x{raw[err.start]:02x})",
        file=file,
        line=line,
        hint="save the file with UTF-8 encoding",
    )


def first_invalid_utf8_line(text: str) -> int | None:
    """The line of the first byte that was not UTF-8 in `text` decoded with
    `surrogateescape` (those bytes are kept as lone surrogates), or None."""
    found = _ESCAPED_BYTE.search(text)
    return None if found is None else text.count("\n", 0, found.start()) + 1


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
