"""jekyll-gist 1.5: `{% gist user/id [file] %}` → the gist's `<script>` tag.

The gem also fetches the gist's raw code for a `<noscript>` fallback. pykyll never goes
to the network: it writes the script tag only and warns, as the gem does when the fetch
fails (the gem then also prints `true` before the tag — its logger's return value —
which pykyll does not copy).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TextIO

from liquid.ast import Node
from liquid.exceptions import LiquidSyntaxError
from liquid.tag import Tag
from liquid.token import Token

from pykyll.liquid.tags import MarkupNode, markup_of
from pykyll.plugins import Plugin
from pykyll.plugins.builtin._ghpages_support import site_of

if TYPE_CHECKING:
    from liquid.context import RenderContext
    from liquid.stream import TokenStream

_ARGUMENTS = re.compile(r"\A(\S+|.*(?=/).+)\s?(\S*)\Z", re.S)
_SYNTAX = """Syntax error in tag 'gist' while parsing the following markup:

    {markup}

  Valid syntax:
    {{% gist user/1234567 %}}
    {{% gist user/1234567 foo.js %}}
    {{% gist 28949e1d5ee2273f9fd3 %}}
    {{% gist 28949e1d5ee2273f9fd3 best.md %}}
"""


def _lookup(context: RenderContext, name: str, token: Token) -> Any:
    """The value of `name` if it names a variable (Liquid's `context.key?`), else None."""
    if not name or not re.match(r"^[A-Za-z_][\w-]*(?:\.[\w-]+)*\??$", name):
        return None
    try:
        path: list[object] = list(name.split("."))
        value = context.get(path, token=token, default=None)
    except Exception:  # an odd name is just not a variable
        return None
    if value is None or type(value).__name__.endswith("Undefined"):
        return None
    return value


class GistNode(MarkupNode):
    __slots__ = ()

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        match = _ARGUMENTS.match(self.markup.strip())
        if match is None:
            raise LiquidSyntaxError(_SYNTAX.format(markup=self.markup), token=self.token)
        gist_id, filename = match.group(1).strip(), match.group(2).strip()
        gist_id = str(_lookup(context, gist_id, self.token) or gist_id)
        filename = str(_lookup(context, filename, self.token) or filename)
        site = site_of(context)
        settings = site.config.get("gist") if site is not None else None
        noscript = not (isinstance(settings, dict) and settings.get("noscript") is False)
        if noscript and site is not None:
            site.logger.warn("Warning:", f"The <noscript> tag for your gist {gist_id} ")
            site.logger.warn("", "could not be generated. This will affect users who do ")
            site.logger.warn("", "not have JavaScript enabled in their browsers.")
        url = f"https://gist.github.com/{gist_id}.js"
        if filename:
            url += f"?file={filename}"
        return buffer.write(f'<script src="{url}"> </script>')


class GistTag(Tag):
    name = "gist"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, markup = markup_of(stream)
        return GistNode(token, markup or "")


class GistPlugin(Plugin):
    name = "jekyll-gist"

    def tags(self) -> list[type[Tag]]:
        return [GistTag]


PLUGINS = [GistPlugin]
