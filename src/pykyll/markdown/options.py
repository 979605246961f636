"""kramdown options: Jekyll's defaults, merging, and Jekyll's hand-over to the highlighter."""

from __future__ import annotations

import copy
from typing import Any

# Jekyll 4.3's `kramdown:` defaults (jekyll/configuration.rb), what `site.kramdown` shows.
JEKYLL_KRAMDOWN_DEFAULTS: dict[str, Any] = {
    "auto_ids": True,
    "toc_levels": [1, 2, 3, 4, 5, 6],
    "entity_output": "as_char",
    "smart_quotes": "lsquo,rsquo,ldquo,rdquo",
    "input": "GFM",
    "hard_wrap": False,
    "guess_lang": True,
    "footnote_nr": 1,
    "show_warnings": False,
}

# ... plus what kramdown and parser-gfm default to on their own.
DEFAULTS: dict[str, Any] = {
    **JEKYLL_KRAMDOWN_DEFAULTS,
    "syntax_highlighter": "rouge",
    "syntax_highlighter_opts": {"default_lang": "plaintext"},
    "gfm_quirks": ["paragraph_end"],
    "auto_id_prefix": "",
    "auto_id_stripping": False,
    "transliterated_header_ids": False,
    "footnote_backlink": "&#8617;",
    "footnote_backlink_inline": False,
    "footnote_prefix": "",
    "header_offset": 0,
    "math_engine": "mathjax",
    "parse_block_html": False,
    "parse_span_html": True,
    "html_to_native": False,
    "typographic_symbols": {},
}


def merge(options: dict[str, Any] | None) -> dict[str, Any]:
    """Return DEFAULTS with `options` (string or symbol-like keys) merged over them."""
    merged = copy.deepcopy(DEFAULTS)
    for key, value in (options or {}).items():
        key = str(key).lstrip(":")
        if key == "syntax_highlighter_opts" and isinstance(value, dict):
            merged[key].update({str(k).lstrip(":"): v for k, v in value.items()})
        else:
            merged[key] = value
    return merged


def jekyll_options(kramdown_config: dict[str, Any] | None) -> dict[str, Any]:
    """The options Jekyll's converter hands to kramdown for a site's `kramdown:` config.

    Jekyll copies the top-level `guess_lang` into `syntax_highlighter_opts`, which is what
    makes un-languaged code blocks and code spans come out as `language-plaintext`
    (plain kramdown leaves them as bare `<pre><code>` / `<code>`).
    """
    merged = merge(kramdown_config)
    merged["syntax_highlighter"] = merged.get("syntax_highlighter") or "rouge"  # `highlighter:`
    merged["syntax_highlighter_opts"].setdefault("default_lang", "plaintext")
    merged["syntax_highlighter_opts"]["guess_lang"] = merged.get("guess_lang", True)
    return merged


def freeze(options: dict[str, Any]) -> str:
    """A hashable key for caching one Markdown instance per distinct options."""
    return repr(sorted((k, repr(v)) for k, v in options.items()))
