"""Converting content, cached and (for big sites) spread over a process pool.

Markdown and Sass conversions are pure: the output depends only on the content and the
converter's options (for Sass, also on the files it can import). `Conversions` keys each
result by those, keeps it in the disk cache (`pykyll.cache`), and before the render loop
converts in worker processes every markdown document whose content has no Liquid: that
content is final as read, so converting it early, elsewhere, gives the very bytes the
serial loop would compute. Everything order-dependent (Liquid, layouts, hooks, excerpts,
the shared payload) stays in the serial loop, which then finds the conversions done.

`PYKYLL_JOBS` sets the number of workers (1: never fork); by default it is the number
of cores this process may use. `PYKYLL_PARALLEL_MIN` is the number of conversions below
which the pool does not pay for its start (default 64).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from pykyll.cache import Bucket, DiskCache, content_key, fingerprint
from pykyll.converters import Conversion, Converter
from pykyll.converters.markdown import MarkdownConverter
from pykyll.utils import collector_frozen

if TYPE_CHECKING:
    from pykyll.models import Convertible

DEFAULT_PARALLEL_MIN = 64


def worker_count() -> int:
    raw = os.environ.get("PYKYLL_JOBS", "").strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def parallel_minimum() -> int:
    raw = os.environ.get("PYKYLL_PARALLEL_MIN", "").strip()
    return int(raw) if raw.isdigit() else DEFAULT_PARALLEL_MIN


class Conversions:
    """The converters' results for one build, backed by the disk cache."""

    def __init__(self, cache: DiskCache) -> None:
        self.markdown: Bucket = cache.bucket("markdown")
        self.sass: Bucket = cache.bucket("sass")
        self._options: dict[int, str] = {}
        self._sass_files: str | None = None
        #: how many conversions ran in worker processes (for tests and --profile)
        self.parallel = 0
        self._pool: Any = None
        self._results: Any = None
        self._keys: Iterator[str] = iter(())
        self._buffer: list[str | None] = []
        self._waiting: set[str] = set()

    def buckets(self) -> dict[str, Bucket]:
        return {"markdown": self.markdown, "sass": self.sass}

    # -- keys --------------------------------------------------------------------------------
    def _markdown_key(self, converter: MarkdownConverter, content: str) -> str:
        options = self._options.get(id(converter))
        if options is None:
            options = fingerprint("markdown", converter.options)
            self._options[id(converter)] = options
        return content_key(options, content)

    def _sass_key(self, converter: Any, content: str, page: str | None, indented: bool) -> str:
        options, want_map = converter._options(indented, page)
        if self._sass_files is None:
            self._sass_files = _tree_snapshot(converter.load_paths())
        return content_key(
            fingerprint("sass", repr(options), want_map, converter.add_charset, self._sass_files),
            content,
        )

    @staticmethod
    def _cacheable_markdown(converter: Converter) -> bool:
        return type(converter) is MarkdownConverter or (
            isinstance(converter, MarkdownConverter) and "convert" in vars(converter)
        )

    # -- converting --------------------------------------------------------------------------
    def convert(self, converter: Converter, content: str, relative_path: str) -> Conversion:
        if self._cacheable_markdown(converter):
            assert isinstance(converter, MarkdownConverter)
            key = self._markdown_key(converter, content)
            if key in self._waiting:
                self._collect(until=key)
            hit = self.markdown.get(key)
            if isinstance(hit, str):
                return Conversion(hit)
            result = converter.convert(content, relative_path)
            self.markdown.put(key, result.output)
            return result
        if _is_sass(converter):
            ext = os.path.splitext(relative_path)[1].lower()
            page = os.path.basename(relative_path)
            key = self._sass_key(converter, content, page, ext == ".sass")
            cached = _sass_value(self.sass.get(key))
            if cached is not None:
                return cached
            result = converter.convert(content, relative_path)
            self.sass.put(key, [result.output, result.extra])
            return result
        return converter.convert(content, relative_path)

    def convert_unassociated(self, converter: Any, content: str) -> str:
        """A Sass document of a collection: compiled as `stdin`, without a source map."""
        if not _is_sass(converter):
            return str(converter.convert_unassociated(content))
        key = self._sass_key(converter, content, None, False)
        cached = _sass_value(self.sass.get(key))
        if cached is not None:
            return cached.output
        output = str(converter.convert_unassociated(content))
        self.sass.put(key, [output, {}])
        return output

    def preload(self, items: Iterable[Convertible]) -> None:
        """Read the cached markdown of items whose content needs no Liquid, before worker
        processes fork: they inherit it, instead of each reading the cache files again."""
        for _converter, key, _content in self._plain_markdown(items):
            self.markdown.get(key)

    def _plain_markdown(
        self, items: Iterable[Convertible]
    ) -> Iterator[tuple[MarkdownConverter, str, str]]:
        """Converter, cache key and content of each item whose markdown needs no Liquid:
        what it converts to is known before rendering."""
        for item in items:
            converter = item.converter
            if self._cacheable_markdown(converter) and not item.render_with_liquid():
                assert isinstance(converter, MarkdownConverter)
                yield converter, self._markdown_key(converter, item.content), item.content

    # -- converting ahead, in parallel -------------------------------------------------------
    def prefetch(self, items: Iterable[Convertible]) -> int:
        """Start converting, in worker processes, the markdown of items whose content
        needs no Liquid and is not cached yet; the number of conversions handed out.

        Results arrive in the order of `items` (the render order) while the serial loop
        renders: `convert` waits for a result it needs, `close` collects the rest."""
        self.close()
        pending: dict[str, tuple[MarkdownConverter, str]] = {}
        for converter, key, content in self._plain_markdown(items):
            if key not in self.markdown and key not in pending:
                pending[key] = (converter, content)
        jobs = min(worker_count(), len(pending))
        if jobs < 2 or len(pending) < parallel_minimum() or not _can_fork():
            return 0
        keys = list(pending)
        global _WORK
        _WORK = [pending[k] for k in keys]
        try:
            pool = start_pool(jobs)
        except (OSError, RuntimeError):
            return 0  # no processes to be had: the serial loop converts
        finally:
            _WORK = []
        size = max(1, min(16, len(keys) // (jobs * 8)))
        chunks = [list(range(i, min(i + size, len(keys)))) for i in range(0, len(keys), size)]
        self._pool = pool
        self._keys = iter(keys)
        self._results = pool.imap(_convert_chunk, chunks)  # lists, in order
        self._buffer = []
        self._waiting = set(keys)
        return len(keys)

    def _collect(self, until: str | None = None) -> None:
        """Store results from the workers, up to `until` (all of them when None)."""
        if self._results is None:
            return
        for key in self._keys:
            if not self._buffer:
                try:
                    self._buffer = list(reversed(next_result(self._results, self._pool)))
                except WorkerLost:
                    self.close()  # the serial loop converts what is missing
                    return
            output = self._buffer.pop()
            self._waiting.discard(key)
            if output is not None:
                self.markdown.put(key, output)
                self.parallel += 1
            if key == until:
                return
        self.close()

    def close(self) -> None:
        """Stop the workers (after an error, or once every result is in)."""
        pool, self._pool, self._results = self._pool, None, None
        finished = not self._waiting
        self._waiting = set()
        if pool is not None:
            stop_pool(pool, finished=finished)

    def finish(self) -> None:
        """Wait for the conversions still running (the render loop did not need them)."""
        self._collect()
        self.close()


#: what the forked workers convert (inherited through fork, never pickled)
_WORK: list[tuple[MarkdownConverter, str]] = []


def _convert_chunk(indices: list[int]) -> list[str | None]:
    return [_convert_one(i) for i in indices]


def _convert_one(index: int) -> str | None:
    converter, content = _WORK[index]
    try:
        return converter.convert(content, "").output
    except Exception:
        return None  # the serial loop converts it again and reports the error


def start_pool(jobs: int) -> Any:
    """A pool of forked workers that die at once on SIGTERM or Ctrl-C (the build's own
    handlers, inherited through fork, would wait for Python code to run).

    The objects alive now are frozen out of the workers' garbage collection while they
    fork: a collection in a worker would otherwise write to every object the site holds
    and so copy all of its memory, page by page (Python's documented advice for fork).
    This process then collects as before, unless its build keeps the site frozen anyway."""
    with collector_frozen():
        return multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_init)


def stop_pool(pool: Any, *, finished: bool) -> None:
    """Idle workers are told to exit; busy ones (after an error) are terminated."""
    if finished:
        pool.close()
    else:
        pool.terminate()
    pool.join()


class WorkerLost(Exception):
    """A worker process died (killed, out of memory): its results will never come."""


def next_result(results: Any, pool: Any) -> Any:
    """The next result of `pool.imap`, or `WorkerLost` instead of waiting forever."""
    started = {p.pid for p in pool._pool}
    while True:
        try:
            return results.next(timeout=0.5)
        except multiprocessing.TimeoutError:
            workers = list(pool._pool)
            if {p.pid for p in workers} != started or any(p.exitcode for p in workers):
                raise WorkerLost from None


def _worker_init() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _can_fork() -> bool:
    """Forking a process with other threads running can deadlock the child."""
    return (
        hasattr(os, "fork")
        and threading.current_thread() is threading.main_thread()
        and threading.active_count() == 1
        and multiprocessing.current_process().name == "MainProcess"
    )


def _is_sass(converter: Converter) -> bool:
    from pykyll.converters.sass import SassConverter

    return type(converter) is SassConverter


def _sass_value(value: Any) -> Conversion | None:
    if (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in value[1].items())
    ):
        return Conversion(value[0], dict(value[1]))
    return None


def _tree_snapshot(folders: Iterable[str]) -> str:
    """Names, sizes and modification times of every file Sass could import."""
    rows: list[tuple[str, int, int]] = []
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                rows.append((path, stat.st_size, stat.st_mtime_ns))
    return fingerprint(rows)


__all__ = ["Conversions", "parallel_minimum", "worker_count"]
