"""Jekyll-style log lines: a right-aligned topic, then the message.

Jekyll prints `      Generating... ` with the topic right-justified to 20 columns;
we keep that look so users recognise the output.

Warnings are also kept as :class:`Diagnostic` records (topic, message, file, line, kind):
`pykyll build --strict` turns them into errors, and when `GITHUB_ACTIONS=true` each one is
printed a second time as a GitHub workflow command (`::warning file=…,line=…::…`), which
GitHub shows as an annotation on the file and line.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from pykyll.errors import ConfigError, ContentError, PykyllError, TemplateError

QUIET, NORMAL, VERBOSE = 0, 1, 2

#: what kind of problem a warning is, by its topic; `--strict` exits with that kind's code
#: (configuration 2, content 3, template 4; 1 for a topic not listed here)
KIND_BY_TOPIC = {
    "Liquid Warning:": "template",
    "Deprecation:": "template",
    "JekyllEditLink:": "template",
    "Build Warning:": "content",
    "Conflict:": "content",
    "Warning:": "content",
    "Theme reader:": "content",
    "Excerpt:": "content",
    "Theme:": "config",
    "Plugin Warning:": "config",
    "Config Warning:": "config",
    "Defaults:": "config",
    "Sort warning:": "config",
    "Pagination:": "config",
    "GitHub Metadata:": "config",
}

#: warnings that `--strict` leaves as warnings: they report a choice, not a mistake
#: (a post dated in the future is skipped on purpose; a site may have no _config.yml)
NOT_ERRORS = frozenset({"Skipping:", "Configuration file:"})

_ERRORS: dict[str | None, type[PykyllError]] = {
    "config": ConfigError,
    "content": ContentError,
    "template": TemplateError,
    None: PykyllError,
}

#: annotation titles for errors, by exit code
_TITLES = {2: "Configuration error", 3: "Content error", 4: "Template error"}


@dataclass
class Diagnostic:
    topic: str
    message: str
    file: str | None = None
    line: int | None = None
    kind: str | None = None

    @property
    def title(self) -> str:
        return self.topic.rstrip(": ") or "Warning"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(
    level: str, message: str, *, file: str | None = None, line: int | None = None, title: str = ""
) -> str:
    """`::error file=F,line=L,title=T::MESSAGE` with GitHub's escaping of `%`, CR and LF
    (and of `:` and `,` inside the properties)."""
    props = []
    if file:
        props.append(f"file={_escape_property(file)}")
        if line:
            props.append(f"line={line}")
    if title:
        props.append(f"title={_escape_property(title)}")
    head = f"::{level} {','.join(props)}" if props else f"::{level}"
    return f"{head}::{_escape_data(message)}"


def _plain(message: str) -> str:
    """A log message without the 20-column padding of its continuation lines."""
    return "\n".join(part.strip() for part in message.split("\n"))


class Logger:
    def __init__(self, level: int = NORMAL, stream: TextIO | None = None) -> None:
        self.level = level
        self._stream = stream
        #: warnings as `topic message` lines, in order
        self.warnings: list[str] = []
        #: warnings as records (a warning's continuation lines are folded into its message)
        self.diagnostics: list[Diagnostic] = []
        #: `--strict`: warnings are errors
        self.strict = False
        #: print GitHub workflow commands too (`GITHUB_ACTIONS=true`)
        self.github = False
        #: the site folder: annotations name files relative to the working directory
        self.source: Path | None = None
        self._pending: Diagnostic | None = None

    def reset(self) -> None:
        self.flush()
        self.warnings.clear()
        self.diagnostics.clear()
        self.strict = False
        self.github = os.environ.get("GITHUB_ACTIONS") == "true"
        self.source = None

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

    def warn(
        self,
        topic: str,
        message: str = "",
        *,
        file: str | None = None,
        line: int | None = None,
        kind: str | None = None,
    ) -> None:
        """Warnings are remembered (for `--strict`) and shown unless `--quiet`, as in Jekyll.

        A warning with an empty topic continues the one before it. Under `--strict` a
        warning is an error: always shown, and annotated as an error on GitHub.
        """
        self.warnings.append(f"{topic} {message}".strip())
        if not topic and self._pending is not None:
            self._pending.message += "\n" + message
            is_error = self._is_error(self._pending)
        else:
            self.flush()
            record = Diagnostic(topic, message, file, line, kind or KIND_BY_TOPIC.get(topic))
            self.diagnostics.append(record)
            self._pending = record
            is_error = self._is_error(record)
        if self.level >= NORMAL or is_error:
            print(self._line(topic, message), file=self.stream)

    def error(self, topic: str, message: str = "") -> None:
        self.flush()
        print(self._line(topic, message), file=self.stream)

    # -- --strict ------------------------------------------------------------------------------
    def _is_error(self, record: Diagnostic) -> bool:
        return self.strict and record.topic not in NOT_ERRORS

    def strict_failure(self) -> PykyllError | None:
        """Under `--strict`, the error that stops the build if anything was warned about."""
        self.flush()
        errors = [d for d in self.diagnostics if self._is_error(d)]
        if not errors:
            return None
        first = errors[0]
        count = f"{len(errors)} warning{'s' if len(errors) > 1 else ''}"
        failure = _ERRORS.get(first.kind, PykyllError)(
            f"{count} treated as error{'s' if len(errors) > 1 else ''} (--strict); "
            f"the first: {first.title}: {_plain(first.message)}",
            file=first.file,
            line=first.line,
        )
        failure.pykyll_reported = True  # type: ignore[attr-defined]
        return failure

    # -- GitHub workflow commands ----------------------------------------------------------------
    def flush(self) -> None:
        """Print the pending warning's workflow command (once its continuation lines are in)."""
        record, self._pending = self._pending, None
        if record is None or not self.github:
            return
        level = "error" if self._is_error(record) else "warning"
        if level == "warning" and self.level < NORMAL:
            return
        message = _plain(record.message)
        where = f"{record.file}:{record.line}: " if record.line else f"{record.file}: "
        if record.file and message.startswith(where):
            message = message[len(where) :]  # the annotation's own location says it
        self._annotate(level, record.title, message, record.file, record.line)

    def push(self) -> None:
        """Everything said so far out to the streams now: a long-running `--watch` or
        `serve` is read as it goes, in a log file or through `| tee` (buffered otherwise)."""
        self.flush()
        if self._stream is not None:
            with contextlib.suppress(OSError, ValueError):
                self._stream.flush()
        flush_standard_streams()

    def annotate_error(self, err: PykyllError) -> None:
        """The workflow command for an error that stopped a command."""
        self.flush()
        if not self.github or getattr(err, "pykyll_reported", False):
            return
        title = _TITLES.get(err.exit_code, "Error")
        message = err.message + (f" ({err.hint})" if err.hint else "")
        self._annotate("error", title, message, err.file, err.line)

    def annotate_problem(
        self, title: str, message: str, file: str | None, line: int | None
    ) -> None:
        """The workflow command for a problem a check found (not a logged warning)."""
        if self.github:
            self._annotate("error", title, message, file, line)

    def _annotate(
        self, level: str, title: str, message: str, file: str | None, line: int | None
    ) -> None:
        print(
            workflow_command(
                level, message, file=self._workspace_path(file), line=line, title=title
            ),
            file=self._stream or sys.stdout,
            flush=True,
        )

    def _workspace_path(self, file: str | None) -> str | None:
        """GitHub wants paths relative to the repository (the working directory)."""
        if not file:
            return None
        path = Path(file)
        if not path.is_absolute() and self.source is not None:
            path = self.source / path
        try:
            return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return file


log = Logger()


def flush_standard_streams() -> None:
    """Out to stdout and stderr what is buffered, whether or not anyone still reads them."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to say on it
            stream.flush()


#: a logger call: method name, arguments, keyword arguments
Call = tuple[str, tuple[Any, ...], dict[str, Any]]


class RecordingLogger:
    """Stands in for a logger where messages cannot be printed yet (a render worker, a
    read done ahead of its build): every call is kept, to be replayed in order."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.calls: list[Call] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def info(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append(("info", args, kwargs))

    def debug(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append(("debug", args, kwargs))

    def warn(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append(("warn", args, kwargs))

    def error(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append(("error", args, kwargs))


def replay(calls: list[Call], logger: Any) -> None:
    for name, args, kwargs in calls:
        getattr(logger, name)(*args, **kwargs)
