"""Markdown in kramdown's dialect (GFM input, as Jekyll configures it), built on mistune 3.

`to_html(text, options)` takes kramdown options (the `kramdown:` section of `_config.yml`);
missing keys fall back to Jekyll's defaults. Use `jekyll_options(config["kramdown"])` to get
exactly what Jekyll's converter passes (it also turns on plaintext highlighting).
"""

from __future__ import annotations

from typing import Any

from .options import DEFAULTS, jekyll_options, merge

__all__ = ["DEFAULTS", "jekyll_options", "merge", "to_html"]


def to_html(text: str, options: dict[str, Any] | None = None) -> str:
    """Convert markdown to HTML as kramdown would with these (Jekyll-defaulted) options."""
    # mistune and the dialect's plugins load on the first conversion: a build whose
    # markdown all comes from the cache never needs them
    from .builder import markdown_for

    md = markdown_for(options)
    return str(md(text))
