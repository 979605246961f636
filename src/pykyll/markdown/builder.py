"""Builds (once per distinct options) the mistune Markdown instance speaking kramdown."""

from __future__ import annotations

from typing import Any

import mistune
from mistune.core import BlockState
from mistune.plugins import import_plugin

from . import (
    abbreviations,
    blockquote,
    code,
    deflists,
    emphasis,
    footnotes,
    headers,
    html_blocks,
    ial,
    links,
    lists,
    math,
    span_html,
    tables,
    tree,
)
from .inline_rules import register_inline_rules
from .options import freeze, merge
from .renderer import KramdownRenderer
from .typography import parse_quotes_option

_CACHE: dict[str, mistune.Markdown] = {}


class KramdownMarkdown(mistune.Markdown):
    """The token tree is complete (inlines parsed) before rendering, so mistune's extra
    walk that parses inline text at render time is skipped."""

    def render_state(self, state: BlockState) -> str:
        assert self.renderer is not None
        return str(self.renderer(state.tokens, state))


def markdown_for(options: dict[str, Any] | None) -> mistune.Markdown:
    """The cached Markdown instance for these options."""
    key = "" if options is None else freeze(options)
    md = _CACHE.get(key)
    if md is None:
        md = _CACHE[key] = build(merge(options))
    return md


def _render_settings(options: dict[str, Any]) -> dict[str, Any]:
    quirks = options.get("gfm_quirks") or []
    if isinstance(quirks, str):
        quirks = [q.strip() for q in quirks.split(",")]
    return {
        # no_auto_typographic turns off --, ..., << >> but keeps smart quotes
        "typography": True,
        "symbols": "no_auto_typographic" not in quirks,
        "quotes": parse_quotes_option(options.get("smart_quotes")),
    }


def build(options: dict[str, Any]) -> mistune.Markdown:
    renderer = KramdownRenderer(options)
    hard_wrap = bool(options.get("hard_wrap"))
    inline = emphasis.KramdownInlineParser(hard_wrap=hard_wrap)
    md = KramdownMarkdown(renderer=renderer, inline=inline)
    for plugin in ("task_lists",):
        md.use(import_plugin(plugin))
    register_inline_rules(md)
    ial.register(md)
    html_blocks.register(md)
    footnotes.register(md)
    math.register(md)
    span_html.register(md)
    lists.register(md)
    tables.register(md)
    code.register(md)
    blockquote.register(md)
    headers.register(md)
    emphasis.register(md)
    deflists.register(md)
    links.register(md)
    abbreviations.register(md)
    headers.register_text_line(md)  # must stay the last block rule
    settings = _render_settings(options)

    def before_parse(md_: mistune.Markdown, state: BlockState) -> None:
        state.env["kd_base_options"] = options

    md.before_parse_hooks.append(before_parse)

    def before_render(md_: mistune.Markdown, state: BlockState) -> None:
        tree.process(md_, state, options, settings)

    md.before_render_hooks.append(before_render)
    return md
