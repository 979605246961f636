"""The markdown converter: kramdown's dialect through `pykyll.markdown`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pykyll.converters import Conversion, Converter
from pykyll.errors import ContentError, first_invalid_utf8_line
from pykyll.markdown.options import jekyll_options


class MarkdownConverter(Converter):
    priority = -10  # Jekyll's :low, above Identity's :lowest

    def __init__(self, config: Mapping[str, Any]) -> None:
        exts = str(config.get("markdown_ext") or "").split(",")
        self.extensions = frozenset(f".{e.strip().lower()}" for e in exts if e.strip())
        kramdown = dict(config.get("kramdown") or {})
        # Jekyll hands its top-level `highlighter:` to kramdown unless kramdown names one.
        highlighter = config.get("highlighter")
        if highlighter and "syntax_highlighter" not in kramdown:
            kramdown["syntax_highlighter"] = "rouge" if highlighter == "pygments" else highlighter
        self.options = jekyll_options(kramdown)

    def output_ext(self, ext: str) -> str:
        return ".html"

    def convert(self, content: str, relative_path: str) -> Conversion:
        bad_line = first_invalid_utf8_line(content)
        if bad_line is not None:  # kramdown refuses such text too
            raise ContentError(
                "Conversion error: the source text contains invalid characters for the used "
                "encoding UTF-8",
                file=relative_path or None,
                line=bad_line,
                hint="save the file with UTF-8 encoding",
            )
        return Conversion(self.to_html(content))

    def to_html(self, text: str) -> str:
        from pykyll.markdown import to_html

        return to_html(text, self.options)
