"""Converters turn a document's content into output (markdown → HTML, SCSS → CSS).

A converter is chosen by the source file's extension, exactly as Jekyll does; the
identity converter handles everything else. Converters are pure: the same content and
options give the same output, so results can be cached by content hash and computed
in worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Conversion:
    """The converted content plus files the conversion produced beside it (source maps)."""

    output: str
    #: extra files to write next to the output: {suffix appended to the output path: text}
    extra: dict[str, str] = field(default_factory=dict)


class Converter:
    """Base class: override `extensions`, `output_ext` and `convert`."""

    #: lower-case extensions (with dot) this converter handles
    extensions: frozenset[str] = frozenset()
    #: Jekyll's converter priority; the first matching converter in priority order wins
    priority: int = 0

    def matches(self, ext: str) -> bool:
        return ext.lower() in self.extensions

    def output_ext(self, ext: str) -> str:
        return ext

    def convert(self, content: str, relative_path: str) -> Conversion:
        return Conversion(content)


class Identity(Converter):
    priority = -100

    def matches(self, ext: str) -> bool:
        return True
