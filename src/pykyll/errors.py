"""Errors that name the file, the line and what to do about it.

Every failure a user can cause is raised as a :class:`PykyllError` (or a subclass),
so the command line can print one readable line instead of a traceback.
"""

from __future__ import annotations


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
