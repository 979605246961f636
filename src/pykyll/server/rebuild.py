"""Rebuilding the site after a change: a full `Site.process()`, or only what the change shows.

`Rebuilder.build(changes)` decides:

* a change to a configuration file (or to `_plugins`) reloads the configuration and makes a
  new `Site` — the build is full and uses the new settings, without a restart;
* one changed file, when it is provably enough (the fast paths, below):
  - a static file (a stylesheet, an image) is copied alone;
  - a markdown page is re-rendered alone;
  - a markdown/HTML document (a post, a collection item) is re-rendered together with the
    pages that list its collection;
  each output is replaced atomically (a new file, then a rename);
* anything else is a full build. The writer swaps the new `_site` in atomically, so the
  server never serves a half-written site, and a failed build leaves the old one in place.

"Provably enough" means the result is what a full build would write (the tests compare the
two byte for byte). It is checked, not assumed: the site drop records which site-wide keys
each item's templates read (`site.pages`, `site.posts`, a collection, `site.time`, …); a
scan of the source records `include_relative` arguments and templates that show a
document's neighbours (`page.next`, `page.previous`, `related_posts`); the front matter must
be unchanged; plugins must be among those that never show one item in another's output.
When anything is in doubt, the build is full. Markdown conversions are cached by path and
content across builds (Jekyll 4 caches them too), so a full build converts only what changed.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pykyll.converters import Conversion, Converter
from pykyll.converters.markdown import MarkdownConverter
from pykyll.drops import SiteDrop
from pykyll.errors import PykyllError
from pykyll.frontmatter import has_yaml_header
from pykyll.log import Logger
from pykyll.models import Document, Page, StaticFile
from pykyll.site import Site
from pykyll.writer import WriteStats

#: site drop keys through which a template can show a page that is not its own
#: (`site.time` too: a full build would change it in every output that shows it)
_PAGE_LISTINGS = frozenset({"pages", "html_pages", "time"})

#: ... and a static file's content or modification time
_STATIC_LISTINGS = frozenset({"static_files", "time"})

#: plugins that never show one page's content in another output
_PAGE_SAFE_PLUGINS = frozenset(
    {
        "jekyll-sitemap",
        "jekyll-seo-tag",
        "jekyll-redirect-from",
        "jemoji",
        "jekyll-mentions",
        "jekyll-gist",
        "jekyll-github-metadata",
        "jekyll-avatar",
    }
)

#: the sitemap shows static files' modification times
_STATIC_SAFE_PLUGINS = _PAGE_SAFE_PLUGINS - {"jekyll-sitemap"}

_TEXT_SUFFIXES = frozenset(
    {".md", ".markdown", ".mkdown", ".mkdn", ".mkd", ".html", ".htm", ".liquid", ".xml",
     ".txt", ".json", ".yml", ".yaml", ".scss", ".sass", ".css", ".js", ".rss", ".atom"}
)  # fmt: skip


class TrackingSiteDrop(SiteDrop):
    """`site`, remembering which keys any template read, and which item read them."""

    def __init__(self, site: Site, seen: set[str], by_item: dict[str, set[str]]) -> None:
        super().__init__(site)
        self.seen = seen
        self.by_item = by_item

    def __getitem__(self, key: str) -> Any:
        self.seen.add(str(key))
        item = self.current_document
        if item is not None:
            self.by_item.setdefault(str(getattr(item, "path", "")), set()).add(str(key))
        return super().__getitem__(key)


class ServeSite(Site):
    """A `Site` that records what templates read, and each page's front matter as read.

    It also keeps markdown conversions across rebuilds, by path and content (as Jekyll 4's
    converter cache does): after one edit, the other 999 documents are not converted again.
    """

    def _make_converters(self) -> list[Converter]:
        converters = super()._make_converters()
        for converter in converters:
            if isinstance(converter, MarkdownConverter):
                _memoize(converter)
        return converters

    def reset(self) -> None:
        super().reset()
        self.read_keys: set[str] = set()
        self.reads_by_item: dict[str, set[str]] = {}
        self.front_matter: dict[str, Any] = {}
        self.fresh_drop()

    def fresh_drop(self) -> None:
        """A new `site` drop (its listings are cached), still recording into the same sets."""
        self.renderer.site_drop = TrackingSiteDrop(self, self.read_keys, self.reads_by_item)

    def render(self) -> list[Any]:
        self.front_matter = {str(p.path): _snapshot(p.data) for p in self.pages}
        return super().render()


_CACHE_LIMIT = 20_000


def _memoize(converter: Converter) -> None:
    convert = converter.convert
    cache: dict[tuple[str, str], Conversion] = {}

    def cached(content: str, relative_path: str) -> Conversion:
        key = (relative_path, content)
        hit = cache.get(key)
        if hit is None:
            hit = convert(content, relative_path)
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            cache[key] = hit
        return Conversion(hit.output, dict(hit.extra))

    setattr(converter, "convert", cached)  # noqa: B010 - an instance attribute, on purpose


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    """A document's data without its excerpt (an object, new at every read)."""
    return {k: v for k, v in data.items() if k != "excerpt"}


def _snapshot(data: dict[str, Any]) -> Any:
    try:
        return copy.deepcopy(data)
    except Exception:  # an exotic value: never equal, so the build is full
        return object()


@dataclass
class BuildResult:
    ok: bool
    seconds: float
    error: str | None = None
    #: output paths (relative to the destination, `/`-separated) whose contents changed
    changed: set[str] = field(default_factory=set)
    incremental: bool = False
    config_reloaded: bool = False
    #: `on_swap` was already called with the changed outputs
    announced: bool = False


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


class SwapWatcher:
    """Notices the writer's atomic swap of the destination while a build runs.

    The writer swaps the new `_site` in, then deletes the old tree — which takes seconds
    for a thousand folders on some file systems. Watching the destination's inode lets the
    browser reload as soon as the new site is in place, not when the old one is gone.
    """

    def __init__(
        self,
        dest: Path,
        before: dict[str, int],
        on_swap: Callable[[set[str]], None],
        interval: float = 0.005,
    ) -> None:
        self.dest = dest
        self.before = before
        self.on_swap = on_swap
        self.interval = interval
        self.fired = False
        self._inode = _inode(dest)
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pykyll-swap", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.wait(self.interval):
            inode = _inode(self.dest)
            if inode is not None and inode != self._inode:
                self.fired = True
                self.on_swap(changed_outputs(self.before, snapshot_outputs(self.dest)))
                return

    def stop(self) -> bool:
        """Stop watching; whether `on_swap` was called."""
        self._done.set()
        self._thread.join()
        return self.fired


def snapshot_outputs(dest: Path) -> dict[str, int]:
    """Each file of `dest` by inode: the writer hard-links unchanged files, so a new
    inode means new contents."""
    found: dict[str, int] = {}
    root = str(dest)
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in files:
            path = os.path.join(folder, name)
            try:
                found[os.path.relpath(path, root).replace(os.sep, "/")] = os.lstat(path).st_ino
            except OSError:
                continue
    return found


def changed_outputs(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def describe(err: BaseException) -> str:
    """The one-line message `pykyll build` prints after `Error:`."""
    if isinstance(err, PykyllError):
        return str(err)
    return f"{type(err).__name__}: {err}"


class Rebuilder:
    """Owns the configuration and the `Site`; every build of `serve` goes through it."""

    def __init__(
        self,
        load_config: Callable[[], dict[str, Any]],
        logger: Logger,
        *,
        config_files: Iterable[Path] = (),
        initial: dict[str, Any] | None = None,
        trace: bool = False,
        incremental: bool = True,
    ) -> None:
        self._load_config = load_config
        self._initial = initial
        self.logger = logger
        self.config_files = {Path(p).resolve() for p in config_files}
        self.trace = trace
        self.incremental = incremental
        self.config: dict[str, Any] | None = None
        self.site: ServeSite | None = None
        self.includes = IncludeIndex()
        self._stale = True
        self._last_full_ok = False

    # -- what changed ------------------------------------------------------------------------
    def _needs_new_site(self, changes: set[Path]) -> bool:
        if self.site is None or self._stale:
            return True
        plugins = self.site.source / str(self.site.config.get("plugins_dir") or "_plugins")
        for path in changes:
            if path in self.config_files or path == plugins or plugins in path.parents:
                return True
        return False

    def load(self) -> dict[str, Any]:
        """(Re)read the configuration and make a new site; errors propagate."""
        self._stale = True
        initial, self._initial = self._initial, None
        self.config = initial if initial is not None else self._load_config()
        self.site = ServeSite(dict(self.config), self.logger)
        self._stale = False
        return self.config

    def prepare(self) -> str | None:
        """Load without building (`--skip-initial-build`); the error message, if any."""
        try:
            self.load()
        except Exception as err:
            return self._report(err)
        return None

    def _report(self, err: BaseException) -> str:
        message = describe(err)
        self.logger.error("Error:", message)
        if self.trace or not isinstance(err, PykyllError):
            self.logger.error("", "".join(traceback.format_exception(err)).rstrip())
        return message

    # -- the build ---------------------------------------------------------------------------
    def build(
        self,
        changes: Iterable[Path] | None = None,
        on_swap: Callable[[set[str]], None] | None = None,
    ) -> BuildResult:
        """Build after `changes` (None: the first build); never raises for a site error.

        `on_swap(changed outputs)` is called (from another thread) as soon as a full build
        has swapped the new destination in, before the writer deletes the old one.
        """
        started = time.perf_counter()
        changed = {Path(p) for p in changes} if changes is not None else set()
        reloaded = False
        try:
            if changes is None or self._needs_new_site(changed):
                reloaded = self.site is not None
                self.load()
            assert self.site is not None
            if changes is not None and not reloaded and self.incremental:
                result = self._try_incremental(changed, started)
                if result is not None:
                    return result
            before = snapshot_outputs(self.site.dest)
            swap = SwapWatcher(self.site.dest, before, on_swap) if on_swap else None
            try:
                self._full(self.site)
            finally:
                announced = swap.stop() if swap is not None else False
            self._last_full_ok = True
            after = snapshot_outputs(self.site.dest)
        except Exception as err:
            self._last_full_ok = False
            message = self._report(err)
            return BuildResult(
                False, time.perf_counter() - started, message, config_reloaded=reloaded
            )
        return BuildResult(
            True,
            time.perf_counter() - started,
            changed=changed_outputs(before, after),
            config_reloaded=reloaded,
            announced=announced,
        )

    def _full(self, site: Site) -> WriteStats:
        return site.process()

    # -- the incremental path ----------------------------------------------------------------
    def _try_incremental(self, changes: set[Path], started: float) -> BuildResult | None:
        site = self.site
        if site is None or not self._last_full_ok or len(changes) != 1:
            return None
        (path,) = changes
        site.liquid.env.start_build()
        static = self._static_at(site, path)
        if static is not None:
            return self._try_static(site, static, started)
        document = self._document_at(site, path)
        if document is not None:
            return self._try_document(site, document, started)
        page = self._page_at(site, path)
        if page is None or not path.is_file() or not self._alone(site, page):
            return None
        fresh = Page(site, page.base, page.dir_, page.name)
        if not site.publish(fresh) or _snapshot(fresh.data) != site.front_matter.get(str(path)):
            return None
        if fresh.destination(site.dest) != page.destination(site.dest):
            return None
        site.render_item(fresh)
        if site.read_keys & _PAGE_LISTINGS:
            return None  # the page now shows site.time: only a full build is right
        site.pages[site.pages.index(page)] = fresh
        written = self._write_item(site, fresh)
        self.logger.debug("Incremental:", f"re-rendered {fresh.relative_path} alone")
        return BuildResult(True, time.perf_counter() - started, changed=written, incremental=True)

    @staticmethod
    def _static_at(site: Site, path: Path) -> StaticFile | None:
        for static in site.static_files:
            if static.path == path:
                return static
        return None

    def _try_static(
        self, site: ServeSite, static: StaticFile, started: float
    ) -> BuildResult | None:
        """A changed static file (a stylesheet, an image) is copied alone when nothing
        shows its content or its modification time, and it did not become a page."""
        path = static.path
        if not path.is_file() or has_yaml_header(path) or not static.write():
            return None
        if site.read_keys & _STATIC_LISTINGS:
            return None
        if any(getattr(p, "name", "") not in _STATIC_SAFE_PLUGINS for p in site.plugins):
            return None
        target = static.destination(site.dest)
        items: list[Any] = [*site.pages, *site.documents()]
        if any(item.destination(site.dest) == target for item in items):
            return None  # a destination clash: the full build decides who wins
        if _included_elsewhere(site, path, self.includes):
            return None
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".pykyll-", dir=target.parent)
        os.close(handle)
        try:
            shutil.copy2(path, temporary)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.logger.debug("Incremental:", f"copied {static.relative_path} alone")
        changed = {target.relative_to(site.dest).as_posix()}
        return BuildResult(True, time.perf_counter() - started, changed=changed, incremental=True)

    @staticmethod
    def _document_at(site: Site, path: Path) -> Document | None:
        for collection in site.collections.values():
            for doc in collection.docs:
                if doc.path == path:
                    return doc
        return None

    def _try_document(self, site: ServeSite, doc: Document, started: float) -> BuildResult | None:
        """A changed document whose front matter did not change is re-rendered with the
        pages that list its collection, and nothing else, when that is provably what a
        full build would produce: the listing pages are pages (rendered after every
        document, as in a full build), no template shows a document's neighbours or
        related posts, no page shows other pages, and `site.time` is not shown."""
        path = doc.path
        if not path.is_file() or doc.ext.lower() not in _markdown_extensions(site) | {".html"}:
            return None
        if site.read_keys & _PAGE_LISTINGS:
            return None
        if any(getattr(p, "name", "") not in _PAGE_SAFE_PLUGINS for p in site.plugins):
            return None
        if _included_elsewhere(site, path, self.includes) or self.includes.shows_neighbours(site):
            return None
        label = doc.collection.label
        exposing = {label, "documents", "collections"}
        if label == "posts":
            exposing |= {"posts", "related_posts", "categories", "tags"}
        readers: list[Page] = []
        for item in [*site.pages, *site.documents()]:
            if item is doc or not site.reads_by_item.get(str(item.path), set()) & exposing:
                continue
            if not isinstance(item, Page) or item.pager is not None or not item.path.is_file():
                return None  # a document or a generated page lists it: order matters
            readers.append(item)
        fresh = Document(site, path, doc.collection)
        fresh.read()
        _ = fresh.date  # memoised into the data, as the old document's was (drafts: mtime)
        if _comparable(fresh.data) != _comparable(doc.data):
            return None
        if fresh.write() != doc.write() or fresh.destination(site.dest) != doc.destination(
            site.dest
        ):
            return None
        docs = doc.collection.docs
        docs[docs.index(doc)] = fresh
        site.fresh_drop()
        written: set[str] = set()
        if fresh.write():
            site.render_item(fresh)
            written |= self._write_item(site, fresh)
        for reader in readers:
            again = Page(site, reader.base, reader.dir_, reader.name)
            site.render_item(again)
            site.pages[site.pages.index(reader)] = again
            written |= self._write_item(site, again)
        if site.read_keys & _PAGE_LISTINGS:
            self._last_full_ok = False  # shows site.time now: the next build must be full
            return None
        names = ", ".join(r.relative_path for r in readers) or "nothing else"
        self.logger.debug("Incremental:", f"{fresh.relative_path} re-rendered, with {names}")
        return BuildResult(True, time.perf_counter() - started, changed=written, incremental=True)

    @staticmethod
    def _page_at(site: Site, path: Path) -> Page | None:
        for page in site.pages:
            if page.path == path and page.base == site.source:
                return page
        return None

    def _alone(self, site: ServeSite, page: Page) -> bool:
        """Whether nothing but `page`'s own output can show its content."""
        if page.ext.lower() not in _markdown_extensions(site):
            return False
        if page.pager is not None or site.read_keys & _PAGE_LISTINGS:
            return False
        if any(getattr(p, "name", "") not in _PAGE_SAFE_PLUGINS for p in site.plugins):
            return False
        return not _included_elsewhere(site, page.path, self.includes)

    @staticmethod
    def _write_item(site: Site, page: Page | Document) -> set[str]:
        """Replace the page's output file(s), each atomically (a new inode, then a rename)."""
        target = page.destination(site.dest)
        outputs = {target: page.output or ""}
        for suffix, text in getattr(page, "extra_outputs", {}).items():
            outputs[target.with_name(target.name + suffix)] = text
        written: set[str] = set()
        for destination, text in outputs.items():
            data = text.encode("utf-8", "surrogateescape")  # bytes that were not UTF-8
            try:
                if destination.read_bytes() == data:
                    continue
            except OSError:
                pass
            destination.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".pykyll-", dir=destination.parent)
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                os.chmod(temporary, 0o644)
                os.replace(temporary, destination)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            written.add(destination.relative_to(site.dest).as_posix())
        return written


def _markdown_extensions(site: Site) -> set[str]:
    raw = str(site.config.get("markdown_ext") or "markdown,mkdown,mkdn,mkd,md")
    return {"." + e.strip().lower() for e in raw.split(",") if e.strip()}


_NEIGHBOURS = re.compile(rb"\{[{%][^}]*?\b(?:next|previous|related_posts)\b[^}]*?[}%]\}", re.DOTALL)
_INCLUDE_RELATIVE = re.compile(rb"\{%-?\s*include_relative\b(.*?)-?%\}", re.DOTALL)


@dataclass
class _Scanned:
    mtime_ns: int
    size: int
    #: the arguments of its `include_relative` tags
    includes: list[bytes]
    #: whether a Liquid tag or output names `next`, `previous` or `related_posts`
    neighbours: bool


class IncludeIndex:
    """What the source's text files (and the theme's templates) say about other files:
    their `include_relative` arguments, and whether they show a document's neighbours.
    Kept between builds; only files whose size or modification time changed are re-read."""

    def __init__(self) -> None:
        self._files: dict[str, _Scanned] = {}

    def scan(self, site: Site) -> dict[str, _Scanned]:
        skip = {str(site.dest), str(site.source / ".jekyll-cache")}
        seen: dict[str, _Scanned] = {}
        pending = [str(site.source)]
        for folder in (*site.layout_dirs(), *site.include_dirs()):
            if folder.is_dir() and site.source not in folder.parents and folder != site.source:
                pending.append(str(folder))
        while pending:
            try:
                entries = list(os.scandir(pending.pop()))
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir():
                    if entry.path not in skip:
                        pending.append(entry.path)
                    continue
                if os.path.splitext(entry.name)[1].lower() not in _TEXT_SUFFIXES:
                    continue
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                known = self._files.get(entry.path)
                if known is not None and (known.mtime_ns, known.size) == (
                    stat.st_mtime_ns,
                    stat.st_size,
                ):
                    seen[entry.path] = known
                    continue
                try:
                    with open(entry.path, "rb") as stream:
                        data = stream.read()
                except OSError:
                    continue
                includes: list[bytes] = []
                if b"include_relative" in data:
                    includes = [m.group(1) for m in _INCLUDE_RELATIVE.finditer(data)]
                neighbours = _NEIGHBOURS.search(data) is not None
                seen[entry.path] = _Scanned(stat.st_mtime_ns, stat.st_size, includes, neighbours)
        self._files = seen
        return seen

    def arguments(self, site: Site) -> dict[Path, list[bytes]]:
        return {Path(p): f.includes for p, f in self.scan(site).items() if f.includes}

    def shows_neighbours(self, site: Site) -> bool:
        return any(f.neighbours for f in self.scan(site).values())


def _included_elsewhere(site: Site, path: Path, index: IncludeIndex | None = None) -> bool:
    """Whether another source file may show this file's content: an `include_relative`
    naming it (or computed by Liquid), or an includes folder holding it. (`link` and
    `post_url` only show URLs, which do not change while the front matter does not.)"""
    if any(d == path.parent or d in path.parents for d in site.include_dirs()):
        return True
    needle = path.name.encode("utf-8")
    for other, arguments in (index or IncludeIndex()).arguments(site).items():
        if other == path:
            continue
        if any(needle in argument or b"{{" in argument for argument in arguments):
            return True
    return False
