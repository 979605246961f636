"""SCSS and Sass → CSS, as jekyll-sass-converter 2.2.0 does it on libsass (sassc 2.4).

Jekyll's converter builds a libsass *data context* from the page content and sets exactly
these options (``SassC::Engine#render``):

* ``input_path`` = ``<site source relative to the working directory>/<page file name>``
  (the page's *name* only, not its folder: ``assets/css/main.scss`` compiles as
  ``./main.scss``, so relative ``@import``\\ s resolve against the site root and the
  source map lists the page as ``main.scss``);
* ``include_path`` = ``sass.load_paths`` (globbed from the site root), then ``sass_dir``
  (default ``_sass``), then the theme's ``_sass``, keeping existing folders only, then
  ``$SASS_PATH``;
* ``output_style`` = ``sass.style`` if it is ``nested``, ``expanded``, ``compact`` or
  ``compressed``, else **compact** (2.2.0 keeps compact as sassc's default);
* ``source_map_file`` = ``<source rel>/<basename>.css.map``, ``source_map_contents`` on,
  ``omit_source_map_url`` unless a map is wanted (``sass.sourcemap``: ``always`` by
  default, ``never``, or ``development`` = only when ``JEKYLL_ENV`` is development);
* ``is_indented_syntax_src`` for ``.sass``;
* any other ``sass:`` key is passed through to SassC (not in safe mode): ``precision``,
  ``line_comments`` (source comments) and ``source_map_embed`` change the output.

The output gets its byte-order mark (libsass writes one instead of ``@charset`` in
compressed style) replaced by nothing, or ``@charset "UTF-8";`` with ``sass.add_charset``.

libsass is reached through its C API with :mod:`ctypes`: the ``libsass`` Python package
links libsass into its ``_sass`` extension and exports that API, and its Python wrapper
cannot set ``input_path`` or produce a source map for a string. If the API cannot be
found, the public :func:`sass.compile` is used instead: the same CSS, but no source map
(nor ``sourceMappingURL`` comment), ``stdin`` in place of the page's name in line comments
and error messages, and the site root searched as the first load path for the page's own
``@import``\\ s (libsass searches the page's folder first, which is the site root here).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import glob
import os
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pykyll.converters import Conversion, Converter
from pykyll.errors import ConfigError, ContentError

__all__ = [
    "ALLOWED_STYLES",
    "SassCompileError",
    "SassConverter",
    "SassOptions",
    "sassify",
    "scssify",
]

ALLOWED_STYLES = ("nested", "expanded", "compact", "compressed")
_STYLE_ENUM = {name: i for i, name in enumerate(ALLOWED_STYLES)}  # enum Sass_Output_Style
_DEFAULT_STYLE = "compact"  # jekyll-sass-converter 2.2.0 with sassc
_DEFAULT_PRECISION = 10  # libsass 3.6's own default; sassc only sets it when given
_BOM = re.compile("^\ufeff", re.MULTILINE)  # Ruby's %r!^\xEF\xBB\xBF! (^ = any line start)


# --------------------------------------------------------------------------- libsass


class SassCompileError(Exception):
    """libsass refused the input; carries libsass's own location of the problem."""

    def __init__(self, text: str, formatted: str, file: str | None, line: int, column: int):
        super().__init__(formatted or text)
        self.text = text
        self.formatted = formatted
        self.file = file
        self.line = line
        self.column = column


@dataclass(frozen=True)
class SassOptions:
    indented: bool = False
    input_path: str | None = None
    precision: int | None = None
    include_paths: tuple[str, ...] = ()
    style: str = _DEFAULT_STYLE
    source_comments: bool = False
    source_map_file: str | None = None
    source_map_embed: bool = False
    source_map_contents: bool = False
    omit_source_map_url: bool = False


_P = ctypes.c_void_p
_S = ctypes.c_char_p
_SIGNATURES: dict[str, tuple[Any, list[Any]]] = {
    "sass_copy_c_string": (_P, [_S]),
    "sass_make_data_context": (_P, [_P]),
    "sass_data_context_get_context": (_P, [_P]),
    "sass_data_context_get_options": (_P, [_P]),
    "sass_option_set_is_indented_syntax_src": (None, [_P, ctypes.c_bool]),
    "sass_option_set_input_path": (None, [_P, _S]),
    "sass_option_set_precision": (None, [_P, ctypes.c_int]),
    "sass_option_set_include_path": (None, [_P, _S]),
    "sass_option_set_output_style": (None, [_P, ctypes.c_int]),
    "sass_option_set_source_comments": (None, [_P, ctypes.c_bool]),
    "sass_option_set_source_map_file": (None, [_P, _S]),
    "sass_option_set_source_map_embed": (None, [_P, ctypes.c_bool]),
    "sass_option_set_source_map_contents": (None, [_P, ctypes.c_bool]),
    "sass_option_set_omit_source_map_url": (None, [_P, ctypes.c_bool]),
    "sass_compile_data_context": (ctypes.c_int, [_P]),
    "sass_context_get_error_status": (ctypes.c_int, [_P]),
    "sass_context_get_error_message": (_S, [_P]),
    "sass_context_get_error_text": (_S, [_P]),
    "sass_context_get_error_file": (_S, [_P]),
    "sass_context_get_error_line": (ctypes.c_size_t, [_P]),
    "sass_context_get_error_column": (ctypes.c_size_t, [_P]),
    "sass_context_get_output_string": (_S, [_P]),
    "sass_context_get_source_map_string": (_S, [_P]),
    "sass_delete_data_context": (None, [_P]),
}


def _bind(path: str) -> ctypes.CDLL | None:
    try:
        lib = ctypes.CDLL(path)
        for name, (restype, argtypes) in _SIGNATURES.items():
            func = getattr(lib, name)
            func.restype = restype
            func.argtypes = argtypes
    except (OSError, AttributeError):
        return None
    return lib


@lru_cache(maxsize=1)
def _libsass() -> ctypes.CDLL | None:
    """libsass's C API: the copy inside the ``libsass`` package, else a system libsass."""
    candidates: list[str] = []
    with contextlib.suppress(ImportError):
        import _sass  # the libsass package's extension module

        candidates.append(_sass.__file__)
    system = ctypes.util.find_library("sass")
    if system:
        candidates.append(system)
    for path in candidates:
        lib = _bind(path)
        if lib is not None:
            return lib
    return None


def _fs(text: str) -> bytes:
    return os.fsencode(text)


def _decode(raw: bytes | None) -> str:
    return (raw or b"").decode("utf-8", "replace")


def _compile(source: str, options: SassOptions) -> tuple[str, str | None]:
    """Compile like ``SassC::Engine#render``: (css, source map JSON or None)."""
    if source == "":  # sassc returns an empty template as is, without a map
        return "", None
    lib = _libsass()
    if lib is None:
        return _compile_with_wrapper(source, options), None
    data_ctx = lib.sass_make_data_context(lib.sass_copy_c_string(source.encode("utf-8")))
    try:
        ctx = lib.sass_data_context_get_context(data_ctx)
        opts = lib.sass_data_context_get_options(data_ctx)
        if options.indented:
            lib.sass_option_set_is_indented_syntax_src(opts, True)
        if options.input_path:
            lib.sass_option_set_input_path(opts, _fs(options.input_path))
        if options.precision is not None:
            lib.sass_option_set_precision(opts, options.precision)
        lib.sass_option_set_include_path(opts, _fs(os.pathsep.join(options.include_paths)))
        lib.sass_option_set_output_style(opts, _STYLE_ENUM[options.style])
        if options.source_comments:
            lib.sass_option_set_source_comments(opts, True)
        if options.source_map_file is not None:
            lib.sass_option_set_source_map_file(opts, _fs(options.source_map_file))
        if options.source_map_embed:
            lib.sass_option_set_source_map_embed(opts, True)
        if options.source_map_contents:
            lib.sass_option_set_source_map_contents(opts, True)
        if options.omit_source_map_url:
            lib.sass_option_set_omit_source_map_url(opts, True)
        status = lib.sass_compile_data_context(data_ctx)
        if status != 0:
            error_file = lib.sass_context_get_error_file(ctx)
            raise SassCompileError(
                _decode(lib.sass_context_get_error_text(ctx)),
                _decode(lib.sass_context_get_error_message(ctx)),
                os.fsdecode(error_file) if error_file else None,
                int(lib.sass_context_get_error_line(ctx)),
                int(lib.sass_context_get_error_column(ctx)),
            )
        css = _decode(lib.sass_context_get_output_string(ctx))
        raw_map = lib.sass_context_get_source_map_string(ctx)
        return css, (_decode(raw_map) if raw_map is not None else None)
    finally:
        lib.sass_delete_data_context(data_ctx)


def _compile_with_wrapper(source: str, options: SassOptions) -> str:
    """Fallback through the public libsass API (no input path, no source map)."""
    import sass

    include_paths = list(options.include_paths)
    if options.input_path and options.input_path != "stdin":
        include_paths.insert(0, os.path.abspath(os.path.dirname(options.input_path) or "."))
    try:
        return str(
            sass.compile(
                string=source,
                output_style=options.style,
                source_comments=options.source_comments,
                include_paths=include_paths,
                precision=(_DEFAULT_PRECISION if options.precision is None else options.precision),
                indented=options.indented,
            )
        )
    except sass.CompileError as exc:
        formatted = str(exc)
        match = re.search(r"on line (\d+):(\d+) of (.+)", formatted)
        first = formatted.splitlines()[0] if formatted else ""
        raise SassCompileError(
            first.removeprefix("Error: "),
            formatted,
            match.group(3).strip() if match else None,
            int(match.group(1)) if match else 0,
            int(match.group(2)) if match else 0,
        ) from None


# --------------------------------------------------------------------------- paths


def _squeeze(path: str) -> str:
    return re.sub("/{2,}", "/", path)


def _expand_from_root(path: str) -> str:
    """Ruby's ``File.expand_path(path, "/")`` for POSIX paths."""
    return _squeeze(posixpath.normpath(posixpath.join("/", path)))


def sanitized_path(base: str, questionable: str | None) -> str:
    """``Jekyll.sanitized_path``: ``questionable`` forced inside ``base``."""
    if questionable is None or questionable == base:
        return base
    clean = "/" + questionable if questionable.startswith("~") else questionable
    clean = _expand_from_root(clean)
    if clean == base:
        return clean
    slashed = base if base.endswith("/") else base + "/"
    if clean.startswith(slashed):
        return clean
    clean = re.sub(r"\A\w:/", "/", clean)
    return _squeeze(base + "/" + clean)


def _ruby_glob(pattern: str, cwd: str) -> list[str]:
    """``Dir.glob(pattern)`` run in ``cwd``: braces, ``**``, sorted, existing paths only."""
    results: list[str] = []
    for alternative in _expand_braces(pattern):
        if glob.has_magic(alternative):
            found = glob.glob(alternative, root_dir=cwd, recursive=True)
            results.extend(sorted(p.rstrip("/") if len(p) > 1 else p for p in found))
        elif os.path.lexists(os.path.join(cwd, alternative)):
            results.append(alternative)
    return results


def _expand_braces(pattern: str) -> list[str]:
    match = re.search(r"\{([^{}]*)\}", pattern)
    if match is None:
        return [pattern]
    head, tail = pattern[: match.start()], pattern[match.end() :]
    out: list[str] = []
    for choice in match.group(1).split(","):
        out.extend(_expand_braces(head + choice + tail))
    return out


def _ruby_array(value: Any) -> list[Any]:
    """``Array(value)``."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, Mapping):
        return [[k, v] for k, v in value.items()]
    return [value]


def _truthy(value: Any) -> bool:
    """Ruby truthiness: everything but nil and false."""
    return value is not None and value is not False


def _ruby_to_s(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


# --------------------------------------------------------------------------- converter


class SassConverter(Converter):
    """``Jekyll::Converters::Scss`` (``.scss``) and ``Jekyll::Converters::Sass`` (``.sass``).

    ``config`` is the whole merged site configuration, ``source`` the site folder and
    ``theme_sass_dirs`` the theme's ``_sass`` folder(s), searched after the site's.
    """

    extensions = frozenset({".scss", ".sass"})
    priority = -10  # Jekyll's `priority :low`

    def __init__(
        self,
        config: Mapping[str, Any],
        source: Path,
        theme_sass_dirs: Sequence[Path] = (),
    ) -> None:
        self.config = config
        self.source = os.path.abspath(os.fspath(source))
        self.theme_sass_dirs = [os.path.abspath(os.fspath(p)) for p in theme_sass_dirs]
        raw = config.get("sass")
        self.sass_config: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        self.safe = _truthy(config.get("safe"))
        self._load_paths: tuple[str, ...] | None = None

    # -- options, named as in jekyll-sass-converter ------------------------------------

    def output_ext(self, ext: str) -> str:
        return ".css"

    @property
    def style(self) -> str:
        value = self.sass_config.get("style")
        name = re.sub(r"\A:", "", _ruby_to_s(value))
        return name if name in ALLOWED_STYLES else _DEFAULT_STYLE

    @property
    def sass_dir(self) -> str:
        value = _ruby_to_s(self.sass_config.get("sass_dir"))
        return value or "_sass"

    @property
    def add_charset(self) -> bool:
        return _truthy(self.sass_config.get("add_charset"))

    @property
    def sourcemap_option(self) -> str:
        value = self.sass_config.get("sourcemap", "always")
        if isinstance(value, str):  # "always", "never", "development"; anything else = always
            return value
        raise ConfigError(
            f"sass.sourcemap must be always, never or development, not {value!r}",
            file="_config.yml",
            hint="Jekyll stops with `undefined method to_sym` on this value",
        )

    def sourcemap_required(self) -> bool:
        option = self.sourcemap_option
        if option == "never":
            return False
        if option == "always":
            return True
        return not (option == "development" and jekyll_env() != "development")

    def load_paths(self) -> tuple[str, ...]:
        """Include paths in libsass order (``Scss#sass_load_paths`` + ``$SASS_PATH``)."""
        if self._load_paths is None:
            source = self.source
            sass_dir = sanitized_path(source, self.sass_dir).replace(source + "/", "", 1)
            paths = [_ruby_to_s(p) for p in _ruby_array(self.sass_config.get("load_paths"))]
            paths.append(sass_dir)
            if self.safe:
                paths = [sanitized_path(source, p) for p in paths]
            expanded: list[str] = []
            for path in paths:
                for found in _ruby_glob(path, source):
                    full = os.path.normpath(os.path.join(source, found))
                    expanded.append(sanitized_path(source, full) if self.safe else full)
            unique = list(dict.fromkeys(expanded))
            unique.extend(self.theme_sass_dirs)
            result = [p for p in unique if os.path.isdir(p)]
            sass_path = os.environ.get("SASS_PATH")
            if sass_path:
                result.extend(sass_path.split(os.pathsep))
            self._load_paths = tuple(result)
        return self._load_paths

    def _passthrough(self, key: str) -> Any:
        """A ``sass:`` key SassC::Engine reads (Jekyll forwards them unless ``safe``)."""
        return None if self.safe else self.sass_config.get(key)

    def _options(self, indented: bool, page_name: str | None) -> tuple[SassOptions, bool]:
        if page_name is None:  # no associated page: Liquid filters, collection documents
            input_path = "stdin"
            map_file = ""
            want_map = False
        else:
            try:
                rel = os.path.relpath(self.source, os.getcwd())
            except (ValueError, OSError):  # another drive on Windows, deleted cwd
                rel = self.source
            input_path = posixpath.join(rel, page_name)
            map_file = posixpath.join(rel, posixpath.splitext(page_name)[0] + ".css.map")
            want_map = self.sourcemap_required()
        precision = self._passthrough("precision")
        return SassOptions(
            indented=indented,
            input_path=input_path,
            precision=precision if type(precision) is int else None,  # Ruby: 0 counts too
            include_paths=self.load_paths(),
            style=self.style,
            source_comments=_truthy(self._passthrough("line_comments")),
            source_map_file=map_file,
            source_map_embed=_truthy(self._passthrough("source_map_embed")),
            source_map_contents=True,
            omit_source_map_url=not want_map,
        ), want_map

    # -- conversion ---------------------------------------------------------------------

    def convert(self, content: str, relative_path: str) -> Conversion:
        """Compile a page's content; ``relative_path`` is the page's path in the site.

        The result's ``extra`` holds ``{".map": json}`` when Jekyll writes a source map
        (``<output>.map`` next to the CSS).
        """
        ext = posixpath.splitext(relative_path)[1].lower()
        return self._convert(content, relative_path, indented=ext == ".sass")

    def convert_unassociated(self, content: str, indented: bool = False) -> str:
        """Compile without a page, as Jekyll does for the ``sassify``/``scssify`` filters
        and for ``.scss`` documents in collections: input named ``stdin``, no source map."""
        return self._convert(content, None, indented=indented).output

    def _convert(self, content: str, relative_path: str | None, indented: bool) -> Conversion:
        page_name = None if relative_path is None else posixpath.basename(relative_path)
        options, want_map = self._options(indented, page_name)
        try:
            css, source_map = _compile(content, options)
        except SassCompileError as exc:
            raise self._content_error(exc, relative_path) from None
        css = _BOM.sub('@charset "UTF-8";' if self.add_charset else "", css, count=1)
        extra = {".map": source_map} if want_map and source_map is not None else {}
        return Conversion(css, extra)

    def _content_error(self, exc: SassCompileError, relative_path: str | None) -> ContentError:
        file = self._site_path(exc.file, relative_path) if exc.file else relative_path
        imports = []  # "from line 2:1 of main.scss" → "assets/css/main.scss:2"
        for match in re.finditer(r"^\s*from line (\d+):\d+ of (.+?)\s*$", exc.formatted, re.M):
            imports.append(f"{self._site_path(match.group(2), relative_path)}:{match.group(1)}")
        return ContentError(
            f"Sass error: {exc.text.strip()}",
            file=file,
            line=exc.line or None,
            hint=("imported from " + ", ".join(imports)) if imports else None,
        )

    def _site_path(self, libsass_path: str, relative_path: str | None) -> str | None:
        """A file named by libsass (relative to the working directory) → site-relative."""
        if libsass_path == "stdin":
            return relative_path
        try:
            full = os.path.normpath(os.path.join(os.getcwd(), libsass_path))
        except OSError:
            return libsass_path
        if relative_path is not None and full == os.path.join(
            self.source, posixpath.basename(relative_path)
        ):
            return relative_path  # the page itself, compiled as <source>/<name>
        if full.startswith(self.source + os.sep):
            return os.path.relpath(full, self.source).replace(os.sep, "/")
        return full


def jekyll_env() -> str:
    return os.environ.get("JEKYLL_ENV", "development")


# --------------------------------------------------------------------------- filters


def scssify(
    text: Any, config: Mapping[str, Any], source: Path, theme_sass_dirs: Sequence[Path] = ()
) -> str:
    """The ``scssify`` Liquid filter: SCSS text → CSS with the site's ``sass:`` options."""
    converter = SassConverter(config, source, theme_sass_dirs)
    return converter.convert_unassociated(_ruby_to_s(text))


def sassify(
    text: Any, config: Mapping[str, Any], source: Path, theme_sass_dirs: Sequence[Path] = ()
) -> str:
    """The ``sassify`` Liquid filter: indented-syntax Sass text → CSS."""
    converter = SassConverter(config, source, theme_sass_dirs)
    return converter.convert_unassociated(_ruby_to_s(text), indented=True)
