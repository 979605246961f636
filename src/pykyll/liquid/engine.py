"""The Liquid engine: one python-liquid Environment per site, Jekyll's tags and filters."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from liquid import BoundTemplate, Mode
from liquid.exceptions import (
    ContextDepthError,
    LiquidError,
    LoopIterationLimitError,
    OutputStreamLimitError,
)

from pykyll.errors import TemplateError, first_invalid_utf8_line
from pykyll.liquid import ruby
from pykyll.liquid.environment import JekyllEnvironment, undefined_class

Template = BoundTemplate


class SiteServices(Protocol):
    """What the Liquid layer needs from the site being built.

    `config` must hold Jekyll's configuration including `source` (the site folder, used
    by `include_relative`), `baseurl` and `url` (URL filters), `timezone` (dates) and
    `liquid` (error modes).
    """

    @property
    def config(self) -> Mapping[str, Any]: ...

    def include_dirs(self) -> list[Path]:
        """Folders searched by `{% include %}`, the site's own first, then the theme's."""
        ...

    def warn(self, file: str | None, line: int | None, message: str) -> None: ...

    def markdownify(self, text: str) -> str: ...

    def link_url(self, relative_path: str) -> str | None:
        """URL of the page/document/static file at `relative_path`, for `{% link %}`
        (the tag prepends `baseurl`; it also retries with a leading `/` for static files).
        """
        ...

    def post_url(self, name: str) -> str | None:
        r"""URL of the post named like `2010-07-21-name` or `sub/dir/2010-07-21-name`, for
        `{% post_url %}` (the tag prepends `baseurl`).

        Jekyll 4.3 (`tags/post_url.rb`, `PostComparer`) splits the name with
        `^(.+/)*(\d+-\d+-\d+)-(.*)$` into PATH, DATE, SLUG and matches a post whose
        relative path matches `_posts/PATH DATE-SLUG.EXT` or `^PATH _posts/? DATE-SLUG.EXT`
        (without the spaces), i.e. `news/2020-03-04-x` is `news/_posts/2020-03-04-x.md`
        or `_posts/news/2020-03-04-x.md`.
        """
        ...


class LiquidEngine:
    """Parses and renders templates the way Jekyll's Liquid does."""

    def __init__(self, services: SiteServices) -> None:
        config = services.config
        options = config.get("liquid") or {}
        if not isinstance(options, Mapping):
            options = {}
        mode = {"lax": Mode.LAX, "warn": Mode.WARN, "strict": Mode.STRICT}.get(
            str(options.get("error_mode", "warn")), Mode.WARN
        )
        timezone = config.get("timezone")
        self.timezone = str(timezone) if timezone else None
        ruby.set_default_zone(self.timezone)
        self.services = services
        self.env = JekyllEnvironment(
            services,
            tolerance=mode,
            strict_filters=bool(options.get("strict_filters")),
            undefined=undefined_class(bool(options.get("strict_variables"))),
        )

    def parse(self, source: str, path: str, line_offset: int = 0) -> Template:
        """Parse a page, document or layout (`line_offset`: lines before `source` in the
        file, i.e. the front matter, so errors name the line in the file)."""
        bad_line = first_invalid_utf8_line(source)
        if bad_line is not None:  # Liquid's tokenizer refuses such text too
            raise TemplateError(
                "Liquid Exception: invalid byte sequence in UTF-8",
                file=path,
                line=bad_line + line_offset,
                hint="save the file with UTF-8 encoding",
            )
        zone = ruby.set_local_zone(self.timezone)
        try:
            template = self.env.from_string(source, name=path, path=path)
        except LiquidError as err:
            raise _template_error(err, path, source, line_offset) from err
        finally:
            ruby.reset_local_zone(zone)
            self._flush_warnings(path, source, line_offset)
        template.pykyll_line_offset = line_offset  # type: ignore[attr-defined]
        template.pykyll_source = source  # type: ignore[attr-defined]
        return template

    def render(self, template: Template, variables: Mapping[str, Any], line_offset: int = 0) -> str:
        path = str(template.path) if template.path is not None else str(template.name)
        source = getattr(template, "pykyll_source", None)
        zone = ruby.set_local_zone(self.timezone)
        try:
            return template.render(**variables)
        except LiquidError as err:
            raise _template_error(err, path, source, line_offset) from err
        except RecursionError as err:
            raise TemplateError(
                "Liquid error: too deeply nested (recursive include?)", file=path
            ) from err
        finally:
            ruby.reset_local_zone(zone)
            self._flush_warnings(path, source, line_offset)

    def _flush_warnings(self, path: str, source: str | None, line_offset: int) -> None:
        warnings, self.env.collected_warnings = self.env.collected_warnings, []
        warnings.sort(key=lambda w: w.token.start_index if w.token is not None else -1)
        for warning in warnings:
            file, line = _location(warning, path, source, line_offset)
            self.services.warn(file, line, warning_message(warning))


def warning_message(warning: LiquidError) -> str:
    """Jekyll's wording: `Liquid syntax error (line 2): MESSAGE in "MARKUP"` (the line
    counts from the start of the template, as Liquid does)."""
    token = warning.token
    line = ""
    if token is not None and token.start_index >= 0:
        line = f" (line {token.source.count(chr(10), 0, token.start_index) + 1})"
    context = getattr(warning, "pykyll_context", None)
    where = f' in "{context}"' if context else ""
    return f"Liquid syntax error{line}: {warning.message}{where}"


def _location(
    err: LiquidError, path: str, source: str | None, line_offset: int
) -> tuple[str, int | None]:
    file = getattr(err, "pykyll_file", None)
    token = err.token
    line: int | None = None
    if token is not None and token.start_index >= 0:
        try:
            line = token.source.count("\n", 0, token.start_index) + 1
        except (AttributeError, TypeError):
            line = None
    if line is None and file is None and source is not None:
        line = source.count("\n") + 1  # unclosed blocks fail at the end of the template
        file = path
        line += line_offset
    if file is None:
        if source is not None and token is not None and token.source != source:
            named = err.template_name
            file = str(named) if named else path
        else:
            file = path
            if line is not None:
                line += line_offset
    return file, line


def _template_error(
    err: LiquidError, path: str, source: str | None, line_offset: int
) -> TemplateError:
    file, line = _location(err, path, source, line_offset)
    kind = "Liquid syntax error" if "Syntax" in type(err).__name__ else "Liquid error"
    message = str(err.message)
    unclosed = re.match(
        r"expected tag end(\w+), found (end of expression|end of file|eof)", message
    )
    if unclosed:
        message = f"'{unclosed.group(1)}' tag was never closed"
    return TemplateError(f"{kind}: {message}", file=file, line=line, hint=_limit_hint(err))


def _limit_hint(err: LiquidError) -> str | None:
    """What to do when a guard rail of the environment stopped a runaway template."""
    env = JekyllEnvironment
    if isinstance(err, LoopIterationLimitError):
        return (
            f"the loops here would run more than {env.loop_iteration_limit:,} times "
            "(nested loops multiply); loop over fewer items or use `limit:`"
        )
    if isinstance(err, OutputStreamLimitError):
        return f"the output would exceed {env.output_limit:,} characters; render less"
    if isinstance(err, ContextDepthError):
        return (
            f"includes nest more than {env.context_depth_limit} deep: an include that "
            "includes itself needs a condition that ends the recursion"
        )
    return None
