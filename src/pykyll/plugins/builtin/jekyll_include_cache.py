"""jekyll-include-cache 0.2: `{% include_cached file.html k=v %}`.

The tag is Jekyll's `include` (same syntax, same lookup in `_includes`, same parameters)
whose output is kept for the rest of the build, keyed like the gem's: the include file's
path plus its parameters by value (drops by identity). Without parameters the first
rendering is reused everywhere, whatever the page — as with the gem. The cache is emptied
when rendering starts (`:site, :pre_render`).
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from liquid.ast import Node
from liquid.tag import Tag
from liquid.token import Token

from pykyll.plugins import Plugin
from pykyll.plugins.builtin._ghpages_support import site_of

if TYPE_CHECKING:
    from liquid import Environment
    from liquid.context import RenderContext
    from liquid.stream import TokenStream

_PARAM = re.compile(
    r"""([\w-]+)\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'|([\w.-]+))"""
)
_CACHE_ATTRIBUTE = "_pykyll_include_cache"


def cache_of(env: Environment) -> dict[Hashable, str]:
    cache: dict[Hashable, str] | None = getattr(env, _CACHE_ATTRIBUTE, None)
    if cache is None:
        cache = {}
        setattr(env, _CACHE_ATTRIBUTE, cache)
    return cache


def frozen(value: Any) -> Hashable:
    """A key for a parameter value: content for plain data, identity for drops."""
    if value is None or isinstance(value, str | int | float | bool):
        return (type(value).__name__, value)
    if isinstance(value, dict):
        return ("dict", tuple(sorted((str(k), frozen(v)) for k, v in value.items())))
    if isinstance(value, list | tuple):
        return ("list", tuple(frozen(v) for v in value))
    if isinstance(value, Mapping):  # a drop: documents do not change during a build
        return ("drop", id(value))
    return ("object", id(value))


class IncludeCachedNode(Node):
    __slots__ = ("inner",)

    def __init__(self, token: Token, inner: Node) -> None:
        super().__init__(token)
        self.inner = inner
        self.blank = False

    def _file_name(self, context: RenderContext) -> str:
        name = str(getattr(self.inner, "file", ""))
        if "{{" in name:
            env: Any = context.env
            if hasattr(env, "render_fragment"):
                name = env.render_fragment(name, context)
            else:
                name = env.from_string(name).render_with_context(context, buffer=None) or name
        return name.strip()

    def _path(self, context: RenderContext, name: str) -> str:
        site = site_of(context)
        if site is not None:
            for folder in site.include_dirs():
                candidate = Path(folder) / name
                if candidate.is_file():
                    return str(candidate.resolve())
        return name

    def _params(self, context: RenderContext) -> Hashable:
        markup = getattr(self.inner, "params", None)
        if not markup:
            return None
        env: Any = context.env
        values: list[tuple[str, Hashable]] = []
        for m in _PARAM.finditer(str(markup)):
            key, dq, sq, var = m.groups()
            if dq is not None:
                value: Any = dq.replace('\\"', '"')
            elif sq is not None:
                value = sq.replace("\\'", "'")
            elif hasattr(env, "evaluate_fragment"):
                value = env.evaluate_fragment(var, context)
            else:
                path: list[object] = list(var.split("."))
                value = context.get(path, token=self.token, default=None)
            if type(value).__name__.endswith("Undefined"):
                value = None
            values.append((key, frozen(value)))
        return tuple(sorted(values))

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        key = (self._path(context, self._file_name(context)), self._params(context))
        cache = cache_of(context.env)
        if key not in cache:
            rendered = io.StringIO()
            self.inner.render_to_output(context, rendered)
            cache[key] = rendered.getvalue()
        return buffer.write(cache[key])


class IncludeCachedTag(Tag):
    """Parses like the environment's `include` tag, then caches what it renders."""

    name = "include_cached"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token = stream.current
        include = self.env.tags["include"]
        inner = include.parse(stream)  # type: ignore[union-attr]
        if hasattr(inner, "tag_name"):
            with contextlib.suppress(AttributeError):
                inner.tag_name = self.name
        return IncludeCachedNode(token, inner)


class IncludeCache(Plugin):
    name = "jekyll-include-cache"

    def tags(self) -> list[type[Tag]]:
        return [IncludeCachedTag]

    def pre_render(self, payload: dict[str, Any]) -> None:
        cache_of(self.site.liquid.env).clear()


PLUGINS = [IncludeCache]
