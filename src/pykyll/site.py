"""The site and its build: configuration → reading → generating → rendering → writing.

`Site.process()` runs the stages in Jekyll's order. Each stage lives in its own module
(`reader`, `generators`, `renderer`, `writer`); this class holds what they share and
answers the questions templates ask of the site (`SiteServices`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from pykyll import incremental, parallel, yamlload
from pykyll.cache import DiskCache
from pykyll.config import DEFAULTS, deep_merge, jekyll_env
from pykyll.conversions import Conversions
from pykyll.converters import Converter, Identity
from pykyll.converters.markdown import MarkdownConverter
from pykyll.defaults import FrontmatterDefaults
from pykyll.dependencies import DependencyGraph
from pykyll.errors import ConfigError, ContentError, invalid_utf8
from pykyll.frontmatter import read_source
from pykyll.frontmatter_cache import FrontMatterCache
from pykyll.liquid import LiquidEngine
from pykyll.log import Logger
from pykyll.log import log as default_log
from pykyll.models import Collection, Convertible, Document, Excerpt, Layout, Page, StaticFile
from pykyll.plugins import load_plugins
from pykyll.post_names import find_post, find_post_by_date_and_slug
from pykyll.profile import Profiler
from pykyll.read_log import ReadLog
from pykyll.reader import Reader
from pykyll.renderer import Renderer
from pykyll.theme import Theme, find_theme
from pykyll.utils import collector_frozen, parse_date, relative_posix, site_timezone
from pykyll.writer import Output, WriteStats, write_site


class Site:
    def __init__(self, config: dict[str, Any], logger: Logger | None = None) -> None:
        self.config = config
        self.logger = logger or default_log
        self.source = Path(config["source"]).resolve()
        self.dest = Path(config["destination"]).resolve()
        self.safe = bool(config.get("safe"))
        self.show_drafts = bool(config.get("show_drafts"))
        self.future = bool(config.get("future"))
        self.unpublished = bool(config.get("unpublished"))
        self.limit_posts = int(config.get("limit_posts") or 0)
        self.permalink_style = str(config.get("permalink") or "date")
        self.theme = self._load_theme()
        self.tz = site_timezone(config.get("timezone"))
        self.defaults = FrontmatterDefaults(config, self.source)
        self.converters = self._make_converters()
        self.liquid = LiquidEngine(self)
        self.profiler = Profiler() if config.get("profile") else None
        self.cache = DiskCache.for_site(self.config, self.source)
        self.front_matter_cache = FrontMatterCache(self.cache.bucket("frontmatter"), self.tz)
        self.plugins = load_plugins(self)
        self._install_plugins()
        self._ensure_not_in_dest()
        #: what reading looked at, when the read is kept for a later build (`pykyll.resident`)
        self.read_log: ReadLog | None = None
        #: the site was read ahead of its build: the build starts by generating
        self.already_read = False
        self.reset()

    # -- setup -------------------------------------------------------------------------------
    def _load_theme(self) -> Theme | None:
        name = self.config.get("theme")
        if name is None:
            return None
        theme = find_theme(name)
        if theme is None:
            self.logger.warn(
                "Theme:",
                f"'{name}' is not installed as a pykyll theme; building without it.",
            )
            return None
        if theme.config_file is not None and self.config.get("ignore_theme_config") is not True:
            self.logger.info("Theme Config file:", str(theme.config_file))
            theme_config = self.read_yaml_file(theme.config_file)
            if isinstance(theme_config, dict):
                extra = {k: v for k, v in theme_config.items() if k not in DEFAULTS}
                self.config = deep_merge(extra, self.config)
        return theme

    def _make_converters(self) -> list[Converter]:
        converters: list[Converter] = [MarkdownConverter(self.config)]
        try:
            from pykyll.converters.sass import SassConverter
        except ImportError:  # pragma: no cover - during development only
            pass
        else:
            sass_dirs = [self.theme.sass_path] if self.theme and self.theme.sass_path else []
            converters.append(SassConverter(self.config, self.source, sass_dirs))
        converters.append(Identity())
        return sorted(converters, key=lambda c: -c.priority)

    def _install_plugins(self) -> None:
        for plugin in self.plugins:
            self.converters.extend(plugin.converters())
            for tag in plugin.tags():
                self.liquid.env.add_tag(tag)
            for name, function in plugin.filters().items():
                self.liquid.env.add_filter(name, function)
        self.converters.sort(key=lambda c: -c.priority)

    def _ensure_not_in_dest(self) -> None:
        if self.dest == self.source or self.dest in self.source.parents:
            raise ConfigError(
                "Destination directory cannot be or contain the Source directory.",
                hint="choose another --destination",
            )

    def reset(self) -> None:
        if self.config.get("time"):
            self.time = parse_date(self.config["time"], self.tz, "Invalid time in _config.yml.")
        else:
            self.time = dt.datetime.now(self.tz)
        #: the earliest date of an item hidden for being in the future (whole seconds)
        self.first_hidden: int | None = None
        self.layouts: dict[str, Layout] = {}
        self.pages: list[Page] = []
        self.static_files: list[StaticFile] = []
        self.data: dict[str, Any] = {}
        self.collections: dict[str, Collection] = {
            label: Collection(str(label), meta, self)
            for label, meta in (self.config.get("collections") or {}).items()
        }
        self.dependencies = DependencyGraph()
        self.tracker = incremental.Tracker()
        self.conversions = Conversions(self.cache)
        self.renderer = Renderer(self)

    @property
    def collections_path(self) -> Path:
        directory = str(self.config.get("collections_dir") or "")
        return self.source / directory if directory else self.source

    def layout_dirs(self) -> list[Path]:
        dirs = [self.source / str(self.config.get("layouts_dir") or "_layouts")]
        if self.theme is not None and self.theme.layouts_path is not None:
            dirs.append(self.theme.layouts_path)
        return dirs

    def converter_for(self, ext: str) -> Converter:
        return next(c for c in self.converters if c.matches(ext))

    # -- the build ---------------------------------------------------------------------------
    def process(self) -> WriteStats:
        profiler = self.profiler or Profiler()
        self._read_and_generate(profiler)
        # The site as read lives until the build ends: the collector need not walk it again
        # and again while the pages render (a tenth of a serial build of a thousand pages
        # went there), and forked workers do not write to its memory pages by collecting
        # it (so they stay shared with this process).
        with collector_frozen():
            return self._render_and_write(profiler)

    def _render_and_write(self, profiler: Profiler) -> WriteStats:
        self.liquid.env.start_build()
        if self.config.get("incremental") and self.cache.enabled:
            outcome = incremental.build(self, profiler)
            if outcome.stats is not None:
                return outcome.stats
            self.logger.debug("Incremental:", "this change needs a full build")
            if outcome.touched:  # items were rendered: read the site afresh
                self._read_and_generate(profiler)
        with profiler.stage("render"):
            outputs = self.render()
        failure = self.logger.strict_failure()  # `--strict`: warnings stop the build here
        if failure is not None:
            raise failure
        with profiler.stage("write"):
            stats = self.write(outputs)
        incremental.save_state(self)
        self.cache.save(prune=True)
        return stats

    def _read_and_generate(self, profiler: Profiler) -> None:
        if self.already_read:
            self.already_read = False
        else:
            with profiler.stage("reset"):
                self.reset()
            with profiler.stage("read"):
                self.read()
        with profiler.stage("generate"):
            self.generate()

    def read(self) -> None:
        Reader(self).read()
        if self.limit_posts > 0:
            posts = self.collections["posts"]
            posts.docs = posts.docs[-self.limit_posts :]
        for plugin in self.plugins:
            plugin.post_read()

    def generate(self) -> None:
        for plugin in self.plugins:
            plugin.generate()

    def render(self) -> list[Output]:
        payload = self.renderer.payload(None)
        for plugin in self.plugins:
            plugin.pre_render(payload)
        # Jekyll renders documents of collections with `output: false` too: their converted
        # `content` is what templates see. In order, or with the same result in worker
        # processes when the site is big enough (see `pykyll.parallel`).
        self.rendered_in_workers = parallel.render_all(self, self.render_order())
        return self.outputs()

    def documents(self) -> list[Document]:
        """Every document of every collection, posts included, in the collections' order."""
        return [d for c in self.collections.values() for d in c.docs]

    def render_order(self) -> list[Page | Document]:
        """Jekyll's: the documents, then the pages."""
        return [*self.documents(), *self.pages]

    def render_item(self, item: Page | Document) -> None:
        item.output = self.renderer.render_item(item)
        for plugin in self.plugins:
            plugin.post_render(item)

    def outputs(self) -> list[Output]:
        """Every file of `_site`, in Jekyll's write order (later entries win a clash)."""
        by_destination: dict[str, Output] = {}
        owners: dict[str, str] = {}
        items: list[Any] = [*self.pages]
        items += [f for f in self.static_files if f.write()]
        items += [d for d in self.documents() if d.write()]
        for item in items:
            relative = relative_posix(item.destination(self.dest), self.dest)
            if relative in owners and owners[relative] != item.relative_path:
                self.logger.warn(
                    "Conflict:",
                    f"The following destination is shared by multiple files.\n"
                    f"{'':20} The written file may end up with unexpected contents.\n"
                    f"{'':20} {self.dest / relative}\n"
                    f"{'':20}  - {owners[relative]}\n{'':20}  - {item.relative_path}",
                    file=str(item.relative_path).lstrip("/"),
                )
            owners[relative] = item.relative_path
            if isinstance(item, StaticFile):
                by_destination[relative] = Output(relative, source=item.path)
            else:
                self.tracker.destinations[str(item.path)] = relative
                by_destination[relative] = Output(relative, text=item.output or "")
                for suffix, text in getattr(item, "extra_outputs", {}).items():
                    by_destination[relative + suffix] = Output(relative + suffix, text=text)
        return list(by_destination.values())

    def write(self, outputs: list[Output]) -> WriteStats:
        keep = [str(k) for k in self.config.get("keep_files") or []]
        spare = self.cache.folder / "spare-site" if self.cache.folder is not None else None
        stats = write_site(outputs, self.dest, keep, spare)
        for plugin in self.plugins:
            plugin.post_write()
        return stats

    # -- publishing rules --------------------------------------------------------------------
    def publish(self, item: Page | Document) -> bool:
        published = item.data.get("published", True) is not False or self.unpublished
        return published and not self.hidden_in_the_future(item)

    def hidden_in_the_future(self, item: Page | Document) -> bool:
        if not isinstance(item, Document) or self.future:
            return False
        date = int(item.date.timestamp())
        if date <= int(self.time.timestamp()):
            return False
        self.first_hidden = date if self.first_hidden is None else min(date, self.first_hidden)
        return True

    def sort_posts(self) -> None:
        self.collections["posts"].docs.sort(key=Document.sort_key)

    # -- reading helpers used by the models --------------------------------------------------
    def display_path(self, path: Path) -> str:
        try:
            return relative_posix(path, self.source)
        except ValueError:
            return str(path)

    def read_front_matter(self, path: Path, *, page: bool) -> tuple[dict[str, Any], str, int]:
        """Front matter data, content and the content's first line; errors as Jekyll has them."""
        name = self.display_path(path)
        encoding = str(self.config.get("encoding") or "utf-8")
        try:
            text = read_source(path, encoding)
        except UnicodeDecodeError as err:
            return self._not_utf8(path, name, err, encoding)
        except OSError as err:
            return self._unreadable(name, f"Error reading file {name}: {err}", err)
        try:
            parsed = self.front_matter_cache.parse(text, name)
        except ContentError as err:
            return self._unreadable(name, f"YAML Exception reading {err}", err, text)
        self.tracker.source(path, text, parsed.content)
        data = parsed.data if parsed.data is not None else {}
        if not isinstance(data, dict):
            raise ContentError(
                f"Invalid YAML front matter in {name}",
                file=name,
                line=1,
                hint="front matter must be `key: value` lines between the two `---`",
            )
        return data, parsed.content, parsed.content_line

    def _not_utf8(
        self, path: Path, name: str, err: UnicodeDecodeError, encoding: str
    ) -> tuple[dict[str, Any], str, int]:
        """Jekyll warns, then keeps the whole file (front matter lines included) as the
        content: a binary file that starts with `---` is copied byte for byte, while
        Liquid or markdown on such content fails with the line of the bad byte. The bytes
        that are not UTF-8 travel as lone surrogates (`surrogateescape`) to the writer."""
        located = invalid_utf8(err, name, ContentError)
        if self.config.get("strict_front_matter"):
            raise located from err
        self.logger.warn(
            "Warning:",
            f"Error reading file {name}: {located.message} at line {located.line}; "
            "the file is used as it is, without front matter",
            file=name,
            line=located.line,
        )
        codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
        return {}, path.read_bytes().decode(codec, "surrogateescape"), 1

    def _unreadable(
        self, name: str, message: str, err: Exception, text: str | None = None
    ) -> tuple[dict[str, Any], str, int]:
        """Jekyll warns and carries on with empty front matter unless strict_front_matter."""
        if self.config.get("strict_front_matter"):
            if isinstance(err, ContentError):
                raise err
            raise ContentError(message, file=name) from err
        line = err.line if isinstance(err, ContentError) else None
        self.logger.warn("Warning:", message, file=name, line=line)
        if text is None:
            return {}, "", 1
        from pykyll.frontmatter import _FRONT_MATTER

        match = _FRONT_MATTER.match(text)
        content = text[match.end() :] if match else text
        return {}, content, text.count("\n", 0, len(text) - len(content)) + 1

    def read_yaml_file(self, path: Path) -> Any:
        name = self.display_path(path)
        try:
            return yamlload.load(path.read_text(encoding="utf-8-sig"), name)
        except yaml.YAMLError as err:
            raise yamlload.error(err, name, 0, ContentError) from err
        except UnicodeDecodeError as err:
            raise invalid_utf8(err, name, ContentError) from err
        except OSError as err:
            raise ContentError(f"cannot read the file: {err}", file=name) from err

    # -- what the renderer and the models ask ------------------------------------------------
    def render_excerpt(self, excerpt: Excerpt) -> str:
        self.tracker.excerpts.append(excerpt)
        return self.renderer.render_excerpt(excerpt)

    def warn_excerpt_modified(self, doc: Document) -> None:
        self.logger.warn("Warning:", f"Excerpt modified in {doc.relative_path}!")
        self.logger.warn(
            "", f"Found a Liquid block containing the excerpt separator {doc.excerpt_separator!r}."
        )
        self.logger.warn("", "The block has been modified with the appropriate closing tag.")
        self.logger.warn("", "Feel free to define a custom excerpt or excerpt_separator in the")
        self.logger.warn("", "document's Front Matter if the generated excerpt is unsatisfactory.")

    def is_liquid_block(self, name: str) -> bool:
        tag = self.liquid.env.tags.get(name)
        return bool(tag is not None and getattr(tag, "block", False))

    # -- SiteServices (what Liquid asks of the site) -----------------------------------------
    def include_dirs(self) -> list[Path]:
        dirs = [self.source / str(self.config.get("includes_dir") or "_includes")]
        if self.theme is not None and self.theme.includes_path is not None:
            dirs.append(self.theme.includes_path)
        return dirs

    def note_include(self, path: Path) -> None:
        self.tracker.include(path)

    def warn(self, file: str | None, line: int | None, message: str) -> None:
        where = f"{file}:{line}: " if file and line else (f"{file}: " if file else "")
        self.logger.warn(
            "Liquid Warning:", f"{where}{message}", file=file, line=line, kind="template"
        )

    def markdownify(self, text: str) -> str:
        converter = self.converter_for(".md")
        return self.conversions.convert(converter, text, "markdownify").output

    def link_url(self, relative_path: str) -> str | None:
        wanted = {relative_path, "/" + relative_path.lstrip("/")}
        items: list[Any] = [*self.pages, *self.static_files]
        items += self.documents()
        for item in items:
            if item.relative_path in wanted:
                return str(item.url)
        return None

    def post_url(self, name: str) -> str | None:
        posts = self.collections["posts"].docs
        match = find_post(name, posts)
        if match is not None:
            return str(match.url)
        fallback = find_post_by_date_and_slug(name, posts)
        if fallback is None:
            return None
        self.logger.warn(
            "Deprecation:",
            f"A call to '{{% post_url {name} %}}' did not match a post using the new matching "
            "method of checking name (path-date-slug) equality. Please make sure that you change "
            "this tag to match the post's name exactly.",
        )
        return str(fallback.url)


#: where a build may find its site already read (set by `pykyll.resident` in the builds it
#: serves); it answers None when it has no read that is current for this configuration
read_ahead: Callable[[dict[str, Any], Logger | None], Site | None] | None = None


def build(
    config: Mapping[str, Any], logger: Logger | None = None
) -> tuple[Site, WriteStats, float]:
    started = time.perf_counter()
    site = read_ahead(dict(config), logger) if read_ahead is not None else None
    if site is None:
        site = Site(dict(config), logger)
    stats = site.process()
    return site, stats, time.perf_counter() - started


__all__ = ["Convertible", "Site", "build", "jekyll_env"]
