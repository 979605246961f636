"""Safe YAML loading for configuration, front matter and data files.

Only PyYAML's safe constructors are ever used: a `!!python/object` tag is refused,
never executed. Errors are turned into messages that name the file and line.
"""

from __future__ import annotations

from typing import Any

import yaml

try:  # the C loader is several times faster on large data files
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from pykyll.errors import PykyllError


def load(text: str, name: str = "") -> Any:
    return yaml.load(text, Loader=_Loader)


def error(err: yaml.YAMLError, file: str, line_offset: int, kind: type[PykyllError]) -> PykyllError:
    """A located error for a YAML problem; `line_offset` is the line the YAML starts on."""
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    line = mark.line + 1 + line_offset if mark is not None else None
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    context, context_mark = getattr(err, "context", None), getattr(err, "context_mark", None)
    if context and context_mark is not None and context_mark is not mark:
        problem += f" ({context} started at line {context_mark.line + 1 + line_offset})"
    if "could not determine a constructor" in str(err):
        problem = "a YAML tag that is not allowed (only plain YAML is read, never Python objects)"
    return kind(f"invalid YAML: {problem}", file=file, line=line, hint="fix the YAML syntax")
