"""Rendering pages and documents in worker processes, with the serial loop's exact result.

Jekyll renders items one after the other with shared state: an item's templates may show
another item's content, converted or not yet depending on the order, and the payload
keeps the previous item's `content`/`layout`. An item whose templates do neither renders
the same wherever and whenever it is rendered.

So forked workers (the site as read, shared through fork) render the items, converting
their markdown too, while this process walks the items in order and applies each result
at its turn. Every result comes with the record of what the item read
(`pykyll.incremental.Tracker`): one that showed another item's content or output is
thrown away and the item rendered here, at its turn, with exactly the state the serial
loop has there. Items whose own Liquid may read the payload left by the previous item
(and the items before those) are rendered here from the start, and so are items whose
last build's record says they show other items' content (no work wasted on them).

A result carries what the serial loop would leave behind: converted content, output,
the excerpts it rendered, what it read, its warnings and profile entries (replayed in
order), and the cache entries it used or made.

Not used with plugins (their hooks see items one by one) or below `PYKYLL_PARALLEL_MIN`
items; serial rendering then converts markdown ahead in workers (`pykyll.conversions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pykyll import incremental
from pykyll.conversions import (
    WorkerLost,
    _can_fork,
    next_result,
    parallel_minimum,
    start_pool,
    stop_pool,
    worker_count,
)
from pykyll.log import Call, RecordingLogger, replay

if TYPE_CHECKING:
    from pykyll.models import Document, Page
    from pykyll.site import Site

_CHUNK = 24
_PAGE_CHUNK = 2


@dataclass
class Result:
    index: int
    content: str
    output: str
    extra: dict[str, str]
    record: incremental.Record
    excerpts: list[tuple[int, str]]
    log: list[Call]
    profile: list[tuple[str, str, float]]
    cache: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)
    failed: bool = False


class _RecordingProfiler:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, float]] = []

    def record(self, path: str, output: str, seconds: float) -> None:
        self.rows.append((path, output, seconds))


def _safe_items(site: Site, items: list[Page | Document]) -> list[bool] | None:
    """Which items may render in a worker, or None when the serial loop should run."""
    if site.plugins or len(items) < max(parallel_minimum(), 2) or worker_count() < 2:
        return None
    if not _can_fork():
        return None
    loaded = incremental.read_state(site)
    known = loaded[1] if loaded is not None else {}  # none: every result is checked all the same
    safe: list[bool] = []
    for item in items:
        record = known.get(str(item.path))
        ordered = record is not None and any(o.startswith("content:") for o in record.others)
        safe.append(not ordered and not incremental._reads_leftover(item))
    # the item after one that reads the payload left by its predecessor stays here too
    for i in range(1, len(items)):
        if not safe[i] and incremental._reads_leftover(items[i]):
            safe[i - 1] = False
    if sum(safe) < max(parallel_minimum(), 2):
        return None
    return safe


#: the site and items the forked workers render (inherited through fork, never pickled)
_SITE: Any = None
_ITEMS: list[Any] = []


def render_all(site: Site, items: list[Page | Document]) -> int:
    """Render `items` as the serial loop does; the number rendered in workers."""
    safe = _safe_items(site, items)
    if safe is None:
        _serial(site, items)
        return 0
    chunks = _chunks(items, safe)
    site.conversions.preload(items)  # before the fork: workers inherit what it read
    global _SITE, _ITEMS
    _SITE, _ITEMS = site, items
    try:
        pool = start_pool(min(worker_count(), len(chunks)))
    except (OSError, RuntimeError):
        _serial(site, items)
        return 0
    finally:
        _SITE, _ITEMS = None, []
    done = 0
    finished = False
    try:
        results = pool.imap(_render_chunk, chunks)
        _compute_urls(items)  # while the workers render
        pending: dict[int, Result] = {}
        lost = False
        for i, item in enumerate(items):
            if not safe[i] or lost:
                site.render_item(item)
                continue
            try:
                while i not in pending:
                    for result in next_result(results, pool):
                        pending[result.index] = result
            except WorkerLost:
                lost = True  # this item and the rest are rendered here
                site.render_item(item)
                continue
            result = pending.pop(i)
            if result.failed or _ordered(result.record):
                site.render_item(item)  # at its turn, with the state the serial loop has
                continue
            _apply(site, item, result)
            done += 1
        finished = not lost and not pending and next(results, None) is None
    finally:
        stop_pool(pool, finished=finished)
    return done


def _chunks(items: list[Page | Document], safe: list[bool]) -> list[list[int]]:
    """The safe items in runs for the workers, the pages first and in short runs. Jekyll
    renders pages last, and one page (all publications, the news) can take as long as a
    hundred documents: handed out last, it keeps one worker busy while the other waits."""
    from pykyll.models import Page

    pages: list[list[int]] = []
    docs: list[list[int]] = []
    for i, ok in enumerate(safe):
        if not ok:
            continue
        runs, size = (pages, _PAGE_CHUNK) if isinstance(items[i], Page) else (docs, _CHUNK)
        if runs and runs[-1][-1] == i - 1 and len(runs[-1]) < size:
            runs[-1].append(i)
        else:
            runs.append([i])
    return pages + docs


def _compute_urls(items: list[Page | Document]) -> None:
    """This process needs every URL to write the site; a worker works out those it shows."""
    for item in items:
        try:
            _ = item.url
        except Exception:  # reported when the item renders, where the serial loop reports it
            continue


def _serial(site: Site, items: list[Page | Document]) -> None:
    """The serial loop; markdown that needs no Liquid is converted ahead in workers."""
    site.conversions.prefetch(items)
    try:
        for item in items:
            site.render_item(item)
        site.conversions.finish()
    finally:
        site.conversions.close()


def _ordered(record: incremental.Record) -> bool:
    return any(o.startswith("content:") for o in record.others)


def _render_chunk(indices: list[int]) -> list[Result]:
    site: Any = _SITE
    items = _ITEMS
    real_logger = site.logger
    real_profiler = site.profiler
    docs = {id(d): n for n, d in enumerate(site.documents())}
    results: list[Result] = []
    for index in indices:
        item = items[index]
        recorder = RecordingLogger(real_logger)
        profiler = _RecordingProfiler() if real_profiler is not None else None
        site.logger = recorder
        site.profiler = profiler
        site.tracker.excerpts = []
        buckets = site.conversions.buckets()
        before = {name: bucket.mark() for name, bucket in buckets.items()}
        try:
            site.render_item(item)
        except Exception:
            results.append(Result(index, "", "", {}, incremental.Record(), [], [], [], failed=True))
            continue
        finally:
            site.logger = real_logger
            site.profiler = real_profiler
        record = site.tracker.records[str(item.path)]
        excerpts = [
            (docs[id(e.doc)], e.output)
            for e in site.tracker.excerpts
            if id(e.doc) in docs and e.output is not None
        ]
        cache = {name: bucket.since(before[name]) for name, bucket in buckets.items()}
        results.append(
            Result(
                index,
                item.content,
                item.output or "",
                dict(getattr(item, "extra_outputs", {})),
                record,
                excerpts,
                recorder.calls,
                profiler.rows if profiler is not None else [],
                cache,
            )
        )
    return results


def _apply(site: Site, item: Page | Document, result: Result) -> None:
    """Leave behind what rendering `item` in this process would have."""
    replay(result.log, site.logger)
    if site.profiler is not None:
        for path, output, seconds in result.profile:
            site.profiler.record(path, output, seconds)
    item.content = result.content
    item.output = result.output
    item.extra_outputs = result.extra  # type: ignore[union-attr]
    path = str(item.path)
    site.tracker.records[path] = result.record
    site.tracker.rendered.add(path)
    for layout in sorted(result.record.layouts):
        site.dependencies.add(item, layout)
    if result.excerpts:
        docs = site.documents()
        for n, output in result.excerpts:
            excerpt = docs[n].excerpt
            if excerpt is not None and excerpt.output is None:
                excerpt.output = output
    buckets = site.conversions.buckets()
    for name, entries in result.cache.items():
        bucket = buckets[name]
        for key, value in entries:
            if key in bucket:
                bucket.touch(key)  # read from the cache: keep it
                cached = bucket.peek(key)
                if cached == item.content:  # one copy of the HTML in memory, not two
                    item.content = cached
            elif value is not None:
                bucket.put(key, value)  # converted in the worker


__all__ = ["render_all"]
