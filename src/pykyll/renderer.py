"""Rendering stage: Liquid on the content, then the converter, then the layouts.

`render_item` follows `Jekyll::Renderer#run` step by step, including its quirks (the
`layout` variable accumulates front matter from the innermost layout outwards; a page's
`page.content` inside its layouts is the content before conversion).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from pykyll.config import deep_merge
from pykyll.converters import Conversion
from pykyll.drops import ExcerptDrop, SiteDrop, jekyll_drop, page_hash, to_liquid
from pykyll.errors import PykyllError
from pykyll.frontmatter import key_line
from pykyll.liquid import Template
from pykyll.models import Convertible, Document, Excerpt, Layout, Page

if TYPE_CHECKING:
    from pykyll.site import Site


class Renderer:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.site_drop = SiteDrop(site)
        self._layout_templates: dict[str, Template] = {}
        self._leftover: tuple[Any, Any] = (None, None)

    def payload(self, page: Any) -> dict[str, Any]:
        return {
            "site": self.site_drop,
            "page": page,
            "layout": None,
            "content": None,
            "paginator": None,
            "jekyll": jekyll_drop(),
            "highlighter_prefix": "",
            "highlighter_suffix": "",
        }

    def _render_item(self, item: Convertible) -> str:
        self.site.logger.debug("Rendering:", item.relative_path)
        page: Any = page_hash(item) if isinstance(item, Page) else to_liquid(item)
        payload = self.payload(page)
        # Jekyll renders every item with one shared payload, so `layout` and `content`
        # still hold the previous item's values until this item's layouts replace them.
        payload["layout"], payload["content"] = self._leftover
        if isinstance(item, Page) and item.pager is not None:
            payload["paginator"] = item.pager
        self.site_drop.current_document = item
        layout = self.site.layouts.get(str(item.get("layout")))
        if layout is not None:
            payload["layout"] = deep_merge(layout.data, payload["layout"] or {})
        output = item.content
        if item.render_with_liquid():
            output = self.render_liquid(output, payload, item.relative_path, item.content_line)
        conversion = self.convert(item, output)
        item.content = conversion.output
        item.extra_outputs = conversion.extra  # type: ignore[attr-defined]
        for plugin in self.site.plugins:
            plugin.post_convert(item)
        output = item.content
        if item.place_in_layout():
            output = self.place_in_layouts(item, output, payload)
        self._leftover = (payload["layout"], payload["content"])
        return output

    def render_item(self, item: Convertible) -> str:
        """Render a page or document to its final output; `item.content` becomes converted.

        What its templates read is recorded for incremental builds."""
        tracker = self.site.tracker
        tracker.begin(item)
        try:
            return self._render_item(item)
        finally:
            tracker.end()

    def render_excerpt(self, excerpt: Excerpt) -> str:
        doc = excerpt.doc
        payload = self.payload(ExcerptDrop(excerpt))
        output = excerpt.content
        if doc.get("render_with_liquid") is not False and self._has_liquid(output):
            output = self.render_liquid(output, payload, excerpt.relative_path, doc.content_line)
        return self.convert(doc, output).output

    @staticmethod
    def _has_liquid(text: str) -> bool:
        return "{%" in text or "{{" in text

    def convert(self, item: Convertible, content: str) -> Any:
        converter = item.converter
        try:
            conversions = self.site.conversions
            if isinstance(item, Document) and hasattr(converter, "convert_unassociated"):
                # Jekyll ties Sass source maps to pages only; documents compile as `stdin`
                return Conversion(conversions.convert_unassociated(converter, content))
            return conversions.convert(converter, content, item.relative_path)
        except PykyllError as err:
            if err.file == item.relative_path and err.line:
                err.line += item.content_line - 1
            raise err.located(item.relative_path) from err

    def render_liquid(
        self, source: str, payload: dict[str, Any], path: str, first_line: int
    ) -> str:
        template = self.site.liquid.parse(source, path, first_line - 1)
        return self._render(template, payload, path, first_line - 1)

    def _render(self, template: Template, payload: dict[str, Any], path: str, offset: int) -> str:
        profiler = self.site.profiler
        if profiler is None:
            return self.site.liquid.render(template, payload, offset)
        started = time.perf_counter()
        output = self.site.liquid.render(template, payload, offset)
        profiler.record(path, output, time.perf_counter() - started)
        return output

    def place_in_layouts(self, item: Convertible, content: str, payload: dict[str, Any]) -> str:
        name = item.get("layout")
        layout = self.site.layouts.get(str(name)) if name is not None else None
        if name is not None and layout is None:
            self.site.logger.warn(
                "Build Warning:",
                f"Layout '{name}' requested in {item.relative_path} does not exist.",
                file=item.relative_path,
                line=key_line(item.path, "layout"),
            )
        used: set[str] = set()
        payload["layout"] = None
        output = content
        while layout is not None:
            output = self.render_layout(output, layout, payload)
            self.site.dependencies.add(item, layout.path)
            self.site.tracker.layout(layout.path)
            used.add(layout.name)
            parent = layout.data.get("layout")
            layout = self.site.layouts.get(str(parent)) if parent is not None else None
            if layout is None or layout.name in used:
                break
        return output

    def render_layout(self, content: str, layout: Layout, payload: dict[str, Any]) -> str:
        payload["content"] = content
        payload["layout"] = deep_merge(layout.data, payload["layout"] or {})
        template = self._layout_templates.get(layout.name)
        offset = layout.content_line - 1
        if template is None:
            template = self.site.liquid.parse(layout.content, layout.relative_path, offset)
            self._layout_templates[layout.name] = template
        return self._render(template, payload, layout.relative_path, offset)
