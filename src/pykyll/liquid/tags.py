"""Jekyll's tags on python-liquid: `include`, `include_relative`, `link`, `post_url`,
`highlight`, plus Liquid 5.4's `render` as Jekyll configures it (no file system)."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from liquid.ast import BlockNode, Node
from liquid.exceptions import LiquidError, LiquidSyntaxError, TemplateNotFoundError
from liquid.parser import get_parser
from liquid.tag import Tag
from liquid.token import TOKEN_EXPRESSION, TOKEN_TAG, Token

from pykyll.liquid.ruby import RubyError

if TYPE_CHECKING:
    from liquid.context import RenderContext
    from liquid.stream import TokenStream

    from pykyll.liquid.environment import JekyllEnvironment


class IncludeError(LiquidError):
    """A Jekyll include/link/post_url problem (always fails the build, like Jekyll)."""

    def __init__(self, message: str, token: Token | None = None) -> None:
        super().__init__(message, token=token)


# -- what every markup-taking tag needs ----------------------------------------------------


def markup_of(stream: TokenStream) -> tuple[Token, str | None]:
    """A tag's token and its markup (the text after the tag's name), None when it has none."""
    token = stream.current
    stream.expect(TOKEN_TAG)
    if stream.peek.kind == TOKEN_EXPRESSION:
        stream.next_token()
        return token, stream.current.value
    return token, None


class MarkupNode(Node):
    """A node that keeps its tag's markup to interpret at render time."""

    __slots__ = ("markup",)

    def __init__(self, token: Token, markup: str) -> None:
        super().__init__(token)
        self.markup = markup
        self.blank = False


# -- include -------------------------------------------------------------------------------

_VALID_PARAM = (
    r"""([\w-]+)\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'|([\w.-]+))"""
)
_PARAM = re.compile(_VALID_PARAM)
_FULL_VALID = re.compile(rf"\A\s*(?:{_VALID_PARAM}(?=\s|\Z)\s*)*\Z")
_VARIABLE_SYNTAX = re.compile(
    r"(?P<variable>[^{]*(\{\{\s*[\w\-.]+\s*(\|.*)?\}\}[^\s{}]*)+)(?P<params>.*)", re.S
)
_VALID_FILENAME = re.compile(r"^[\w/.\-()+~#@]+$", re.M)
_INVALID_SEQUENCES = re.compile(r"[./]{2,}")


def _split_markup(markup: str) -> tuple[str, str | None]:
    markup = markup.strip()
    m = _VARIABLE_SYNTAX.match(markup)
    if m:
        return m.group("variable").strip(), m.group("params").strip()
    parts = re.split(r"\s+", markup, maxsplit=1)
    return parts[0], (parts[1] if len(parts) > 1 else None)


def _unescape(value: str, quote: str) -> str:
    return value.replace("\\" + quote, quote)


class IncludeNode(Node):
    """`{% include file k=v %}`: params under `include` in a new scope, assigns leak."""

    __slots__ = ("file", "params", "relative", "tag_name")

    def __init__(self, token: Token, file: str, params: str | None, relative: bool) -> None:
        super().__init__(token)
        self.tag_name = "include_relative" if relative else "include"
        self.file = file
        self.params = params
        self.relative = relative
        self.blank = False

    def _syntax_example(self) -> str:
        return f"{{% {self.tag_name} file.ext param='value' param2='value' %}}"

    def file_name(self, context: RenderContext) -> str:
        name = self.file
        if _VARIABLE_SYNTAX.match(name):
            env: JekyllEnvironment = context.env  # type: ignore[assignment]
            name = env.render_fragment(name, context)
        if _INVALID_SEQUENCES.search(name) or not _VALID_FILENAME.search(name):
            raise IncludeError(
                "Invalid syntax for include tag. File contains invalid characters or "
                f"sequences: {name} Valid syntax: {self._syntax_example()}",
                token=self.token,
            )
        return name

    def parse_params(self, context: RenderContext) -> dict[str, object]:
        values: dict[str, object] = {}
        for m in _PARAM.finditer(self.params or ""):
            key, dq, sq, var = m.groups()
            if dq is not None:
                values[key] = _unescape(dq, '"')
            elif sq is not None:
                values[key] = _unescape(sq, "'")
            else:
                values[key] = lookup(context, var, self.token)
        return values

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        env: JekyllEnvironment = context.env  # type: ignore[assignment]
        name = self.file_name(context)
        if self.relative:
            template = env.load_relative(name, context, self.token)
        else:
            template = env.load_include(name, self.token)
        namespace: dict[str, object] = {}
        if self.params is not None:
            namespace["include"] = self.parse_params(context)
        env.enter_include(self.token)
        profiler = getattr(env.services, "profiler", None)  # `--profile`: time per include
        started = (time.perf_counter(), buffer.tell()) if profiler is not None else None
        try:
            with context.extend(namespace, template=template):
                template.render_with_context(context, buffer, partial=True)
            if started is not None and profiler is not None:
                written = buffer.getvalue()[started[1] :] if hasattr(buffer, "getvalue") else ""
                shown = env.services.display_path(Path(str(template.path)))  # type: ignore[attr-defined]
                profiler.record(shown, written, time.perf_counter() - started[0])
        except LiquidError as err:
            if getattr(err, "pykyll_file", None) is None:
                err.pykyll_file = str(template.path)  # type: ignore[attr-defined]
            raise
        finally:
            env.leave_include()
        return 1


def lookup(context: RenderContext, expression: str, token: Token) -> object:
    """Resolve `a.b[0]["c"]` like Ruby's `context[markup]`, nil when missing."""
    env: JekyllEnvironment = context.env  # type: ignore[assignment]
    value = env.evaluate_fragment(expression, context)
    return value


class IncludeTag(Tag):
    name = "include"
    block = False
    relative = False

    def parse(self, stream: TokenStream) -> Node:
        token, markup = markup_of(stream)
        if markup is None:
            raise LiquidSyntaxError(f"missing file name in '{self.name}' tag", token=token)
        file, params = _split_markup(markup)
        if params is not None and not _FULL_VALID.match(params):
            raise IncludeError(
                f"Invalid syntax for include tag:\n\n{markup.strip()}\n\nValid syntax:\n\n"
                f"{{% {self.name} file.ext param='value' param2='value' %}}\n\n",
                token=token,
            )
        return IncludeNode(token, file, params, self.relative)


class IncludeRelativeTag(IncludeTag):
    name = "include_relative"
    relative = True


# -- link / post_url -----------------------------------------------------------------------


class LinkNode(MarkupNode):
    __slots__ = ()

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        env: JekyllEnvironment = context.env  # type: ignore[assignment]
        path = self.markup
        if "{{" in path or "{%" in path:
            path = env.render_fragment(path, context)
        url = env.services.link_url(path)
        if url is None and not path.startswith("/"):
            url = env.services.link_url("/" + path)
        if url is None:
            raise IncludeError(
                f"Could not find document '{path}' in tag 'link'.\n"
                "Make sure the document exists and the path is correct.",
                token=self.token,
            )
        return buffer.write(env.relative_url(url))


class LinkTag(Tag):
    name = "link"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, markup = markup_of(stream)
        if markup is None:
            raise LiquidSyntaxError("missing path in 'link' tag", token=token)
        return LinkNode(token, markup.strip())


_POST_NAME = re.compile(r"^(.+/)*(\d+-\d+-\d+)-(.*)$")


class PostUrlNode(MarkupNode):
    __slots__ = ()

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        env: JekyllEnvironment = context.env  # type: ignore[assignment]
        url = env.services.post_url(self.markup)
        if url is None:
            raise IncludeError(
                f"Could not find post \"{self.markup}\" in tag 'post_url'.\n"
                "Make sure the post exists and the name is correct.",
                token=self.token,
            )
        return buffer.write(env.relative_url(url))


class PostUrlTag(Tag):
    name = "post_url"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, markup = markup_of(stream)
        name = (markup or "").strip()
        if not _POST_NAME.match(name):
            raise IncludeError(
                f"Could not parse name of post \"{name}\" in tag 'post_url'.\n"
                "Make sure the post exists and the name is correct.",
                token=token,
            )
        return PostUrlNode(token, name)


# -- highlight -----------------------------------------------------------------------------

_HIGHLIGHT_SYNTAX = re.compile(r'^([a-zA-Z0-9.+#_-]+)((\s+\w+(=(\w+|"([0-9]+\s)*[0-9]+"))?)*)$')
_EDGE_NEWLINES = re.compile(r"\A[\n\r]+|[\n\r]+\Z")


class HighlightNode(Node):
    __slots__ = ("block", "lang", "options")

    def __init__(self, token: Token, lang: str, options: dict[str, Any], block: BlockNode) -> None:
        super().__init__(token)
        self.lang = lang
        self.options = options
        self.block = block
        self.blank = False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        from pykyll.highlight import highlight

        inner = context.get_buffer(buffer)
        self.block.render(context, inner)
        code = _EDGE_NEWLINES.sub("", inner.getvalue())
        html = highlight(code, self.lang)
        if self.options.get("linenos"):
            html = _rouge_table(html, code)
        attrs = f'class="language-{self.lang.replace("+", "-")}" data-lang="{self.lang}"'
        if html.endswith("\n"):
            html = html[:-1]
        return buffer.write(
            f'<figure class="highlight"><pre><code {attrs}>{html}</code></pre></figure>'
        )

    def children(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []


def _rouge_table(html: str, code: str) -> str:
    """Rouge's `HTMLTable` formatter around already highlighted lines."""
    count = code.count("\n") + (0 if code.endswith("\n") else 1)
    numbers = "".join(f"{i}\n" for i in range(1, count + 1))
    if not html.endswith("\n"):
        html += "\n"
    return (
        '<table class="rouge-table"><tbody><tr><td class="gutter gl">'
        f'<pre class="lineno">{numbers}</pre></td><td class="code"><pre>{html}</pre></td>'
        "</tr></tbody></table>"
    )


def _highlight_options(text: str) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for m in re.finditer(r'(\w+)(?:=(\w+|"(?:[0-9]+\s)*[0-9]+"))?', text):
        key, value = m.group(1), m.group(2)
        if value is None:
            options[key] = True
        else:
            options[key] = value.strip('"')
    return options


class HighlightTag(Tag):
    name = "highlight"
    end = "endhighlight"
    block = True

    def parse(self, stream: TokenStream) -> Node:
        token = stream.current
        stream.expect(TOKEN_TAG)
        stream.next_token()
        markup = stream.current.value if stream.current.kind == TOKEN_EXPRESSION else ""
        m = _HIGHLIGHT_SYNTAX.match(markup.strip())
        if not m:
            raise IncludeError(
                "Syntax Error in tag 'highlight' while parsing the following markup:\n"
                f"{markup}\nValid syntax: highlight <lang> [linenos]",
                token=token,
            )
        if stream.current.kind == TOKEN_EXPRESSION:
            stream.next_token()
        block = get_parser(self.env).parse_block(stream, (self.end,))
        stream.expect(TOKEN_TAG, value=self.end)
        return HighlightNode(token, m.group(1).lower(), _highlight_options(m.group(2)), block)


# -- render (Liquid 5): Jekyll gives Liquid no file system ----------------------------------


class RenderDisabledNode(Node):
    __slots__ = ()

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        raise RubyError("This liquid context does not allow includes.")


class RenderTag(Tag):
    name = "render"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, _markup = markup_of(stream)
        return RenderDisabledNode(token)


def page_dir(context: RenderContext) -> str:
    page = context.resolve("page", default=None)
    path = page.get("path") if isinstance(page, Mapping) else None
    if not isinstance(path, str):
        return ""
    return str(Path(path).parent) if "/" in path else ""


__all__ = [
    "HighlightTag",
    "IncludeError",
    "IncludeRelativeTag",
    "IncludeTag",
    "LinkTag",
    "MarkupNode",
    "PostUrlTag",
    "RenderTag",
    "TemplateNotFoundError",
    "markup_of",
    "page_dir",
]
