"""The python-liquid Environment configured as Jekyll 4.3.1 on Liquid 5.4."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TextIO

from liquid import BoundTemplate, Environment, Mode
from liquid.ast import Node
from liquid.builtin import register as register_builtins
from liquid.builtin.expressions import (
    FilteredExpression,
    Identifier,
    KeywordArgument,
    Nil,
    PositionalArgument,
    parse_primitive,
    tokenize,
)
from liquid.builtin.expressions import (
    Path as PathExpression,
)
from liquid.builtin.expressions.filtered import Filter
from liquid.builtin.illegal import Illegal, IllegalNode
from liquid.builtin.output import Output, OutputNode
from liquid.builtin.tags.assign_tag import AssignNode, AssignTag
from liquid.builtin.tags.echo_tag import EchoNode, EchoTag
from liquid.context import RenderContext
from liquid.exceptions import (
    LiquidError,
    LiquidInterrupt,
    LiquidSyntaxError,
    OutputStreamLimitError,
    StopRender,
)
from liquid.stream import TokenStream
from liquid.token import (
    TOKEN_COMMENT,
    TOKEN_CONTENT,
    TOKEN_EOF,
    TOKEN_EXPRESSION,
    TOKEN_OUTPUT,
    TOKEN_TAG,
    Token,
)
from liquid.undefined import StrictUndefined, Undefined

from pykyll.liquid import ruby
from pykyll.liquid.conditions import rubyfy
from pykyll.liquid.filters import FILTERS
from pykyll.liquid.filters.jekyll import compute_relative_url
from pykyll.liquid.ruby_syntax import (
    RubySyntaxError,
    lax_condition,
    lax_for,
    strict_condition_error,
    strict_for_error,
    strict_variable_error,
)
from pykyll.liquid.tags import (
    HighlightTag,
    IncludeError,
    IncludeRelativeTag,
    IncludeTag,
    LinkTag,
    PostUrlTag,
    RenderTag,
    page_dir,
)

if TYPE_CHECKING:
    from liquid.expression import Expression

    from pykyll.liquid.engine import SiteServices

_CONDITION_TAGS = frozenset(("if", "elsif", "unless"))
_CAPTURE_NAME = re.compile(r"[\w\-.\[\]]+")
_IN_COMMENT: ContextVar[bool] = ContextVar("pykyll_liquid_in_comment", default=False)
_PARSING: ContextVar[int] = ContextVar("pykyll_liquid_parsing", default=0)
_INCLUDE_DEPTH: ContextVar[int] = ContextVar("pykyll_liquid_include_depth", default=0)

# Parse errors Ruby's Liquid raises in every error mode (it only recovers from bad
# expressions, never from bad structure).
_STRUCTURAL = re.compile(
    r"^(unexpected tag|expected tag |expected '}}'|expected '%}'|unknown operator|"
    r"unknown tag|.*end of file|.*never closed|missing expression)"
)


class UnknownTagError(LiquidSyntaxError):
    """`{% nosuchtag %}`: an error in every mode, as in Ruby's Liquid."""


class StrictIllegal(Illegal):
    def parse(self, stream: TokenStream) -> Any:
        try:
            return super().parse(stream)
        except LiquidSyntaxError as err:
            if _IN_COMMENT.get():
                return IllegalNode(stream.current)  # Liquid 5.4 comments ignore unknown tags
            raise UnknownTagError(err.message, token=err.token) from None


class RubyOutputNode(OutputNode):
    """`{{ x }}` writing Ruby's `to_s` (arrays joined, `1.0`, Ruby dates, hashes inspected)."""

    __slots__ = ()

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        written = buffer.write(ruby.to_output(self.expression.evaluate(context)))
        check_output_size(buffer)
        return written


class RubyEchoNode(EchoNode):
    __slots__ = ()

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        written = buffer.write(ruby.to_output(self.expression.evaluate(context)))
        check_output_size(buffer)
        return written


# Ruby Liquid's lax variable syntax (lib/liquid/variable.rb, lib/liquid.rb)
_QUOTED_STRING = r"\"[^\"]*\"|'[^']*'"
_QUOTED_FRAGMENT = rf"(?:{_QUOTED_STRING}|(?:[^\s,|'\"]|{_QUOTED_STRING})+)"
_MARKUP = re.compile(rf"({_QUOTED_FRAGMENT})(.*)", re.S)
_FILTER_MARKUP = re.compile(r"\|\s*(.*)", re.S)
_FILTER_PARSER = re.compile(rf"(?:\s+|{_QUOTED_FRAGMENT}|,)+")
_FILTER_ARGS = re.compile(rf"(?::|,)\s*((?:\w+\s*:\s*)?{_QUOTED_FRAGMENT})")
_VARIABLE_PARSER = re.compile(r"\[[^\]]+\]|[\w-]+\??")
_KEYWORD_ARG = re.compile(r"\A(\w+)\s*:\s*(.*)\Z", re.S)


class RubyOutput(Output):
    """Output statements, with Ruby's lax recovery in the `warn` and `lax` error modes."""

    node_class = RubyOutputNode

    def parse(self, stream: TokenStream) -> OutputNode:
        token = stream.eat(TOKEN_OUTPUT)
        expr_token = stream.expect(TOKEN_EXPRESSION)
        context = "{{ " + expr_token.value.strip() + " }}"
        return self.node_class(token, parse_variable(self.env, expr_token, context))


def parse_variable(env: Environment, expr_token: Token, context: str) -> Expression:
    """Ruby's `Variable.new`: strict parse; on failure, in `warn`/`lax` mode, a warning
    with Ruby's message and the lax reading (python-liquid parses what Ruby accepts)."""
    markup = expr_token.value
    ruby_error = strict_variable_error(markup)
    if ruby_error is None:
        try:
            return FilteredExpression.parse(env, TokenStream(tokenize(markup, expr_token)))
        except LiquidSyntaxError:
            if env.mode == Mode.STRICT:
                raise
            # Ruby's strict parser accepts this: recover without a warning
            return lax_expression(env, expr_token)
    warning = RubySyntaxWarning(ruby_error, token=expr_token)
    if env.mode == Mode.STRICT:
        raise warning
    warning.pykyll_context = context  # type: ignore[attr-defined]
    env.error(warning)  # a warning in `warn` mode, nothing in `lax` mode
    return lax_expression(env, expr_token)


def _trailing_space(token: Token) -> str:
    """The whitespace between a tag's markup and `%}`, which Ruby keeps in the markup."""
    end = token.start_index + len(token.value)
    if token.start_index < 0 or not isinstance(token.source, str):
        return ""
    m = re.match(r"\s*", token.source[end:])
    return m.group(0) if m else ""


_ASSIGN_SYNTAX = re.compile(r"((?:\(?[\w\-.\[\]]\)?)+)\s*=\s*(.*?)\s*\Z", re.S)


class RubyAssign(AssignTag):
    """`assign` as Ruby's Liquid: any `VariableSignature` name, its value read like
    `{{ }}` (warning and lax recovery instead of dropping the assign)."""

    def parse(self, stream: TokenStream) -> AssignNode:
        token = stream.eat(TOKEN_TAG)
        expr_token = stream.expect(TOKEN_EXPRESSION)
        m = _ASSIGN_SYNTAX.search(expr_token.value)
        if not m:
            raise UnknownTagError(
                "Syntax Error in 'assign' - Valid syntax: assign [var] = [source]", token=token
            )
        value_token = expr_token._replace(
            value=m.group(2), start_index=expr_token.start_index + m.start(2)
        )
        context = "{{" + m.group(2) + _trailing_space(expr_token) + "}}"
        expression = parse_variable(self.env, value_token, context)
        name = Identifier(m.group(1), token=expr_token)
        return self.node_class(token, name=name, expression=expression)


class RubySyntaxWarning(LiquidSyntaxError):
    """A syntax error Ruby's Liquid reports (its message) and then recovers from."""


class RubyEcho(EchoTag):
    node_class = RubyEchoNode

    def parse(self, stream: TokenStream) -> Node:
        token = stream.eat(TOKEN_TAG)
        if stream.current.kind != TOKEN_EXPRESSION:
            return self.node_class(token, Nil(stream.current))
        expr_token = stream.current
        return self.node_class(
            token,
            parse_variable(
                self.env, expr_token, "{{" + expr_token.value + _trailing_space(expr_token) + "}}"
            ),
        )


def _fragment(env: Environment, text: str, token: Token) -> Expression:
    """Ruby's `Expression.parse` of one fragment, never failing."""
    text = text.strip()
    try:
        stream = TokenStream(tokenize(text, token))
        expr = parse_primitive(env, stream)
        if stream.current.kind == TOKEN_EOF or next(stream).kind == TOKEN_EOF:
            return expr
    except LiquidError:
        pass
    segments: list[Any] = []
    for part in _VARIABLE_PARSER.findall(text):
        if part.startswith("["):
            inner = part[1:-1].strip()
            if len(inner) >= 2 and inner[0] == inner[-1] and inner[0] in "'\"":
                segments.append(inner[1:-1])
            elif inner.lstrip("-").isdigit():
                segments.append(int(inner))
        else:
            segments.append(part)
    if not segments:
        segments = [""]
    return PathExpression(token, segments)


def lax_expression(env: Environment, token: Token) -> FilteredExpression:
    """Parse `{{ markup }}` the way Ruby Liquid's lax parser does."""
    markup = token.value
    m = _MARKUP.search(markup)
    if not m:
        return FilteredExpression(token, _fragment(env, "nil", token), [])
    left = _fragment(env, m.group(1), token)
    filters: list[Filter] = []
    fm = _FILTER_MARKUP.search(m.group(2))
    if fm:
        for chunk in _FILTER_PARSER.findall(fm.group(1)):
            name = re.search(r"\w+", chunk)
            if not name:
                continue
            args: list[KeywordArgument | PositionalArgument] = []
            for arg in _FILTER_ARGS.findall(chunk):
                km = _KEYWORD_ARG.match(arg)
                if km and not (arg.startswith(("'", '"'))):
                    args.append(
                        KeywordArgument(token, km.group(1), _fragment(env, km.group(2), token))
                    )
                else:
                    args.append(PositionalArgument(_fragment(env, arg, token)))
            filters.append(Filter(token, name.group(0), args))
    return FilteredExpression(token, left, filters)


def check_output_size(buffer: TextIO) -> None:
    """The guard rail on output (`JekyllEnvironment.output_limit`), asked at every `{{ }}`
    and after every top-level node of a template rather than at every write: a check per
    write (python-liquid's limited buffer) cost a tenth of the render. A loop that writes
    only text is stopped when it ends; its length is bounded by the iteration limit."""
    if buffer.tell() > JekyllEnvironment.output_limit:
        raise OutputStreamLimitError("output stream limit reached", token=None)


class JekyllContext(RenderContext):
    def get_buffer(self, buf: TextIO | None = None) -> StringIO:
        return StringIO(newline="")  # no newline translation: Ruby keeps `\r\n` as written


class JekyllTemplate(BoundTemplate):
    """A template whose top-level `break`/`continue` silently ends it, as in Ruby."""

    context_class = JekyllContext

    def _get_buffer(self) -> StringIO:
        return StringIO(newline="")

    def render_with_context(
        self,
        context: RenderContext,
        buffer: TextIO,
        *args: Any,
        partial: bool = False,
        block_scope: bool = False,
        **kwargs: Any,
    ) -> None:
        namespace = self.make_partial_namespace(partial, dict(*args, **kwargs))
        with context.extend(namespace=namespace):
            for node in self.nodes:
                try:
                    node.render(context, buffer)
                    check_output_size(buffer)
                except LiquidInterrupt:
                    if partial and not block_scope:
                        raise  # a loop in an including template handles it
                    break
                except StopRender:
                    break
                except LiquidError as err:
                    self.env.error(err, token=node.token)


class JekyllEnvironment(Environment):
    """Liquid as Jekyll 4.3.1 (Debian, Liquid 5.4.0) configures it."""

    # guard rails: generous, but a bad template cannot hang a build
    context_depth_limit: ClassVar[int] = 100
    block_nesting_limit: ClassVar[int] = 100
    loop_iteration_limit: ClassVar[int | None] = 10_000_000
    output_stream_limit: ClassVar[int | None] = None  # python-liquid's check per write
    output_limit: ClassVar[int] = 256 * 1024 * 1024  # see `check_output_size`
    include_depth_limit: ClassVar[int] = 50
    template_class = JekyllTemplate

    def __init__(self, services: SiteServices, **kwargs: Any) -> None:
        self.services = services
        self._partials: dict[Path, tuple[int, BoundTemplate]] = {}
        self._current: set[Path] = set()  # partials checked against their file this build
        self._fragments: dict[str, BoundTemplate] = {}
        self._lookups: dict[str, Expression] = {}
        self._include_paths: dict[str, Path] = {}
        self.collected_warnings: list[LiquidError] = []
        super().__init__(**kwargs)

    def setup_tags_and_filters(self, *, extra: bool = False) -> None:
        register_builtins(self)
        self.add_tag(StrictIllegal)
        self.add_tag(RubyOutput)
        self.add_tag(RubyEcho)
        self.add_tag(RubyAssign)
        for tag in (IncludeTag, IncludeRelativeTag, LinkTag, PostUrlTag, HighlightTag, RenderTag):
            self.add_tag(tag)
        self.filters.clear()
        self.filters.update(FILTERS)

    def tokenizer(self) -> Callable[[str], Iterator[Token]]:
        """python-liquid's lexer, keeping a template's final newline after a `-%}`.

        (Its content rule ends at `$`, which also matches before a final newline, and the
        newline left over is then stripped as if it followed the `-%}`.)"""
        lex = super().tokenizer()

        def tokenize_template(source: str) -> Iterator[Token]:
            tokens = list(lex(source))
            for i, tok in enumerate(tokens[:-1]):
                if tok.kind == TOKEN_TAG and tok.value == "comment":
                    nxt = tokens[i + 1]
                    if nxt.kind == TOKEN_COMMENT and ("{%" in nxt.value or "{{" in nxt.value):
                        self._parse_comment_body(nxt)
                elif tok.kind == TOKEN_OUTPUT:
                    self._ruby_variable_end(tok, tokens[i + 1])
                elif tok.kind == TOKEN_TAG and tok.value == "capture":
                    nxt = tokens[i + 1]
                    name = _CAPTURE_NAME.search(nxt.value) if nxt.kind == TOKEN_EXPRESSION else None
                    if name and name.group(0) != nxt.value.strip():
                        tokens[i + 1] = nxt._replace(value=name.group(0))
                elif tok.kind == TOKEN_TAG and tok.value in _CONDITION_TAGS:
                    nxt = tokens[i + 1]
                    if nxt.kind == TOKEN_EXPRESSION:
                        tokens[i + 1] = self._ruby_condition(tok, nxt)
                elif tok.kind == TOKEN_TAG and tok.value == "for":
                    nxt = tokens[i + 1]
                    if nxt.kind == TOKEN_EXPRESSION:
                        tokens[i + 1] = self._ruby_for(nxt)
            if tokens and source.endswith("\n") and tokens[-1].kind == TOKEN_CONTENT:
                last = tokens[-1]
                rest = source[last.start_index :].lstrip()
                if rest == last.value + "\n":
                    tokens[-1] = last._replace(value=rest)
            return iter(tokens)

        return tokenize_template

    def _parse_comment_body(self, body: Token) -> None:
        """Liquid 5.4's `comment` is a block: its body is parsed (known tags must be
        valid, unknown ones are ignored) and then never rendered."""
        flag = _IN_COMMENT.set(True)
        try:
            self._parse(body.value)
        except LiquidError as err:
            if err.token is not None and err.token.source == body.value:
                err.token = err.token._replace(
                    start_index=body.start_index + err.token.start_index, source=body.source
                )
            raise
        finally:
            _IN_COMMENT.reset(flag)

    def _ruby_condition(self, tag: Token, expr: Token) -> Token:
        """Check a condition as Ruby's strict parser does; on failure warn with its message
        and continue with what Ruby's lax parser reads."""
        message = strict_condition_error(expr.value)
        if message is None:
            return expr
        warning = RubySyntaxWarning(message, token=expr)
        warning.pykyll_context = expr.value.strip()  # type: ignore[attr-defined]
        if self.mode == Mode.STRICT:
            raise warning
        try:
            lax = lax_condition(expr.value)
        except RubySyntaxError as err:
            raise LiquidSyntaxError(str(err), token=expr) from None
        if lax is None:
            raise LiquidSyntaxError(
                f"Syntax Error in tag '{tag.value}' - Valid syntax: {tag.value} [expression]",
                token=tag,
            )
        if self.mode == Mode.WARN:
            self.collected_warnings.append(warning)
        return expr._replace(value=lax)

    def _ruby_variable_end(self, output: Token, expr: Token) -> None:
        """Ruby's tokenizer ends `{{` at the first `}`, even inside a string: a `}` in an
        output statement fails the build in every error mode."""
        if expr.kind == TOKEN_EXPRESSION and "}" in expr.value:
            head = expr.value[: expr.value.index("}") + 1]
            raise LiquidSyntaxError(
                f"Variable '{{{{{head}' was not properly terminated with regexp: /\\}}\\}}/",
                token=output,
            )

    def _ruby_for(self, expr: Token) -> Token:
        message = strict_for_error(expr.value)
        if message is None or self.mode == Mode.STRICT:
            return expr  # python-liquid reports strict-mode errors itself
        warning = RubySyntaxWarning(message, token=expr)
        warning.pykyll_context = expr.value.strip()  # type: ignore[attr-defined]
        if self.mode == Mode.WARN:
            self.collected_warnings.append(warning)
        lax = lax_for(expr.value)
        return expr if lax is None else expr._replace(value=lax)

    # -- errors ----------------------------------------------------------------------------

    def _parse(self, source: str) -> Any:
        depth = _PARSING.set(_PARSING.get() + 1)
        try:
            nodes = super()._parse(source)
        finally:
            _PARSING.reset(depth)
        rubyfy(nodes)
        return nodes

    def error(
        self,
        exc: type[LiquidError] | LiquidError,
        msg: str | None = None,
        token: Token | None = None,
    ) -> None:
        """Render errors always raise (Jekyll renders with `render!`); parse errors follow
        `error_mode`, except the structural ones Ruby's Liquid never recovers from."""
        if not isinstance(exc, LiquidError):
            exc = exc(msg, token=token)
        elif not exc.token:
            exc.token = token
        if _PARSING.get() == 0 or self.mode == Mode.STRICT:
            raise exc
        if isinstance(exc, (UnknownTagError, IncludeError)) or _STRUCTURAL.match(str(exc.message)):
            raise exc
        if self.mode == Mode.WARN:
            self.collected_warnings.append(exc)

    # -- what the tags ask ---------------------------------------------------------------

    def relative_url(self, url: str) -> str:
        return compute_relative_url(url, self.services.config)

    def render_fragment(self, source: str, context: RenderContext) -> str:
        """Render a Liquid fragment (`{{ page.x }}.html`) in the current context."""
        template = self._fragments.get(source)
        if template is None:
            template = self.from_string(source)
            self._fragments[source] = template
        buffer = context.get_buffer()
        with context.extend({}):
            for node in template.nodes:
                node.render(context, buffer)
        return buffer.getvalue()

    def evaluate_fragment(self, expression: str, context: RenderContext) -> object:
        """Ruby's `context[markup]` for an unquoted include parameter."""
        parsed = self._lookups.get(expression)
        if parsed is None:
            token = Token(TOKEN_EXPRESSION, expression, 0, expression)
            parsed = self._lookups[expression] = _fragment(self, expression, token)
        value = parsed.evaluate(context)
        return (
            None
            if isinstance(value, Undefined) and not isinstance(value, StrictUndefined)
            else value
        )

    def enter_include(self, token: Token) -> None:
        depth = _INCLUDE_DEPTH.get() + 1
        if depth > self.include_depth_limit:
            raise IncludeError(
                f"Nesting too deep: more than {self.include_depth_limit} nested includes "
                "(an include that includes itself?)",
                token=token,
            )
        _INCLUDE_DEPTH.set(depth)

    def leave_include(self) -> None:
        _INCLUDE_DEPTH.set(max(_INCLUDE_DEPTH.get() - 1, 0))

    def start_build(self) -> None:
        """Includes are read once per build, as Jekyll reads them: the next use of each
        checks its file again."""
        self._current.clear()

    def _cached(self, path: Path, token: Token) -> BoundTemplate:
        note = getattr(self.services, "note_include", None)
        if note is not None:
            note(path)  # what the page being rendered depends on (incremental builds)
        hit = self._partials.get(path)
        if hit is not None and path in self._current:
            return hit[1]
        try:
            mtime = path.stat().st_mtime_ns
        except OSError as err:
            raise IncludeError(f"Could not read {path}: {err}", token=token) from None
        if hit is not None and hit[0] == mtime:
            self._current.add(path)
            return hit[1]
        try:
            source = path.read_text(encoding="utf-8-sig")  # Jekyll reads `bom|utf-8`
        except UnicodeDecodeError as err:
            bad_line = err.object.count(b"\n", 0, err.start) + 1
            raise IncludeError(
                f"invalid byte sequence in UTF-8 in {path} line {bad_line} "
                "(save the file with UTF-8 encoding)",
                token=token,
            ) from None
        try:
            template = self.from_string(source, name=path.name, path=path)
        except LiquidError as err:
            err.pykyll_file = str(path)  # type: ignore[attr-defined]
            raise
        finally:
            warnings, self.collected_warnings = self.collected_warnings, []
            for warning in warnings:
                tok = warning.token
                line = tok.source.count("\n", 0, tok.start_index) + 1 if tok else None
                from pykyll.liquid.engine import warning_message

                self.services.warn(str(path), line, warning_message(warning))
        self._partials[path] = (mtime, template)
        self._current.add(path)
        return template

    def load_include(self, name: str, token: Token) -> BoundTemplate:
        known = self._include_paths.get(name)
        if known is not None:
            try:
                return self._cached(known, token)
            except IncludeError:
                del self._include_paths[name]
        dirs = [Path(d) for d in self.services.include_dirs()]
        for folder in dirs:
            candidate = _join(folder, name)
            if self._valid_include(candidate, folder):
                self._include_paths[name] = candidate
                return self._cached(candidate, token)
        raise IncludeError(self._not_found(name, dirs), token=token)

    def load_relative(self, name: str, context: RenderContext, token: Token) -> BoundTemplate:
        source = Path(str(self.services.config.get("source") or "."))
        folder = source / page_dir(context)
        candidate = _join(folder, name)
        if self._valid_include(candidate, folder):
            return self._cached(candidate, token)
        raise IncludeError(self._not_found(name, [folder]), token=token)

    def _valid_include(self, path: Path, folder: Path) -> bool:
        """Jekyll's `valid_include_file?`: a file, and in safe mode not (through a
        symlink) outside the folder searched."""
        if not path.is_file():
            return False
        return not self.services.config.get("safe") or _inside(path, folder)

    def _not_found(self, name: str, dirs: list[Path]) -> str:
        shown = "[" + ", ".join(f'"{d}"' for d in dirs) + "]"
        if self.services.config.get("safe"):
            ensure = " is not a symlink as those are not allowed in safe mode."
        else:
            ensure = ", if it is a symlink, does not point outside your site source."
        return (
            f"Could not locate the included file '{name}' in any of {shown}. Ensure it "
            f"exists in one of those directories and{ensure}"
        )


def _join(folder: Path, name: str) -> Path:
    """Ruby's `File.join(dir, name)`: an absolute name stays under the folder."""
    return folder / name.lstrip("/")


def _inside(path: Path, folder: Path) -> bool:
    try:
        real = os.path.realpath(path)
        base = os.path.realpath(folder)
    except OSError:
        return False
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def undefined_class(strict_variables: bool) -> type[Undefined]:
    return StrictUndefined if strict_variables else Undefined


__all__ = ["JekyllEnvironment", "lax_expression", "undefined_class"]
