"""`--incremental`: re-render only what an edit can change, and prove it.

Every build with the disk cache records, per rendered item (page or document), what its
templates read: its layouts, the include files, the `site` keys (`site.data`,
`site.static_files`, …), and which *other* items' content, output or excerpt it showed
(through `site.pages`, a collection listing, `page.next`, …). The record, with a hash of
every input (each source file's front matter and body apart, layouts, includes, data
files, static files, configuration, environment), is kept in
`.pykyll-cache/incremental.json`.

An incremental build reads the site as usual, compares the hashes and re-renders, in the
full build's order, only:

* items whose body changed;
* items that used a changed layout or include, or read `site.data` when a data file
  changed, or `site.static_files` when a static file changed;
* items that showed the excerpt of an item of a group (a collection, or the pages) in
  which a body changed.

Anything the records cannot vouch for makes the build full: another configuration or
environment, plugins, a changed front matter (it can change any URL, listing, order or
publication), a file added or removed, a layout or include folder that changed its file
set, an item that showed another item's converted content or output (which depends on
the render order), a template reading the `content`/`layout` left over from the previous
item (Jekyll's shared payload), a missing output file. Re-rendered items are checked
again after rendering (their templates may now read more), and the outputs are written
in place, each file atomically. `site.time` is not a dependency (as in Jekyll).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pykyll import __version__
from pykyll.cache import fingerprint
from pykyll.config import jekyll_env
from pykyll.utils import relative_posix

if TYPE_CHECKING:
    from pykyll.models import Convertible, Document, Page, StaticFile
    from pykyll.profile import Profiler
    from pykyll.site import Site
    from pykyll.writer import WriteStats

STATE_FILE = "incremental.json"
_FORMAT = 2

#: configuration keys that do not change what a build writes
_NEUTRAL_KEYS = frozenset(
    {"incremental", "profile", "quiet", "verbose", "disable_disk_cache", "strict", "watch"}
)

#: `content`/`layout` read by an item's own Liquid: the values left by the previous item
_LEFTOVER = re.compile(r"\{[{%](?:[^}]|\}(?![}%]))*?(?<![\w.])(?:content|layout)\b", re.DOTALL)


def _digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def _group(item: Any) -> str:
    collection = getattr(item, "collection", None)
    label = getattr(collection, "label", None)
    return f"docs:{label}" if label is not None else "pages"


@dataclass
class Record:
    """What rendering one item read."""

    layouts: set[str] = field(default_factory=set)
    includes: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    #: `content:GROUP` (another item's content or output) or `excerpt:GROUP`
    others: set[str] = field(default_factory=set)

    def to_json(self) -> dict[str, list[str]]:
        return {
            "layouts": sorted(self.layouts),
            "includes": sorted(self.includes),
            "keys": sorted(self.keys),
            "others": sorted(self.others),
        }

    @classmethod
    def from_json(cls, raw: Any) -> Record | None:
        if not isinstance(raw, dict):
            return None
        parts = [raw.get(name) for name in ("layouts", "includes", "keys", "others")]
        for part in parts:  # read at every incremental build, for every item: kept quick
            if type(part) is not list or not all(map(isinstance, part, repeat(str))):
                return None
        return cls(*(set(p) for p in parts))  # type: ignore[arg-type]


class Tracker:
    """Records what the item being rendered reads (hooks in drops, includes, renderer)."""

    def __init__(self) -> None:
        self.records: dict[str, Record] = {}
        #: source path → [front matter hash, body hash], as read this build
        self.sources: dict[str, list[str]] = {}
        #: items rendered in this build (the others' records come from the last one)
        self.rendered: set[str] = set()
        #: excerpts rendered (by the item being rendered in a worker: see `parallel`)
        self.excerpts: list[Any] = []
        #: item path → its output path in the destination, as the writer computed it
        self.destinations: dict[str, str] = {}
        self._current: str | None = None
        self._record: Record | None = None

    def source(self, path: Path, text: str, content: str) -> None:
        head = text[: len(text) - len(content)]
        encoded = (head.encode("utf-8", "surrogatepass"), content.encode("utf-8", "surrogatepass"))
        self.sources[str(path)] = [_digest(encoded[0]), _digest(encoded[1])]

    def begin(self, item: Convertible) -> None:
        self._current = str(item.path)
        self._record = self.records[self._current] = Record()
        self.rendered.add(self._current)

    def end(self) -> None:
        self._current = None
        self._record = None

    def site_key(self, key: str) -> None:
        if self._record is not None:
            self._record.keys.add(key)

    def read_item(self, item: Any, kind: str) -> None:
        record = self._record
        if record is not None and str(getattr(item, "path", "")) != self._current:
            record.others.add(f"{kind}:{_group(item)}")

    def include(self, path: Path) -> None:
        if self._record is not None:
            self._record.includes.add(str(path))

    def layout(self, path: Path) -> None:
        if self._record is not None:
            self._record.layouts.add(str(path))


# -- the state ---------------------------------------------------------------------------


def _build_key(site: Site) -> str:
    config = {k: v for k, v in site.config.items() if k not in _NEUTRAL_KEYS}
    theme = str(site.theme.root) if site.theme is not None else None
    env = {k: os.environ.get(k) for k in ("JEKYLL_ENV", "TZ", "SASS_PATH")}
    return fingerprint(__version__, config, theme, env, jekyll_env(), str(site.dest))


def _data_dirs(site: Site) -> list[Path]:
    dirs = [site.source / str(site.config.get("data_dir") or "_data")]
    if site.theme is not None and site.theme.data_path is not None:
        dirs.append(site.theme.data_path)
    return dirs


def _template_dirs(site: Site) -> list[Path]:
    return [*site.layout_dirs(), *site.include_dirs(), *_data_dirs(site)]


def _tree(folders: list[Path]) -> dict[str, str]:
    """Every file below `folders`, by content hash."""
    found: dict[str, str] = {}
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in files:
                path = os.path.join(root, name)
                try:
                    with open(path, "rb") as stream:
                        found[path] = _digest(stream.read())
                except OSError:
                    continue
    return found


def _file_hash(path: str) -> str | None:
    try:
        with open(path, "rb") as stream:
            return _digest(stream.read())
    except OSError:
        return None


def _static_row(site: Site, static: StaticFile) -> list[Any]:
    try:
        info = os.stat(static.path)
        # the change time too: a rewrite may keep the size and the modification time
        stamp: list[int | str | None] = [info.st_size, f"{info.st_mtime_ns}/{info.st_ctime_ns}"]
    except OSError:
        stamp = [None, None]
    relative = relative_posix(static.destination(site.dest), site.dest)
    return [str(static.path), *stamp, relative, static.write()]


def _outputs_of(site: Site, item: Convertible) -> list[str]:
    if not _writes(item):
        return []
    relative = site.tracker.destinations.get(str(item.path))
    if relative is None:
        relative = relative_posix(item.destination(site.dest), site.dest)
    return [relative] + [relative + s for s in getattr(item, "extra_outputs", {})]


def _writes(item: Any) -> bool:
    from pykyll.models import Page

    return isinstance(item, Page) or bool(item.write())


def save_state(site: Site, previous: dict[str, Any] | None = None) -> None:
    """Record this (full or incremental) build for the next `--incremental` one;
    `previous` is the state an incremental build started from."""
    if not site.cache.enabled:
        return
    if site.plugins:
        site.cache.remove([STATE_FILE])
        return
    tracker = site.tracker
    items = site.render_order()
    old_items = previous.get("items") if previous is not None else None
    records: dict[str, Any] = {}
    destinations: list[str] = []
    included = {p for r in tracker.records.values() for p in r.includes}
    for item in items:
        path = str(item.path)
        record = tracker.records.get(path)
        raw: Any
        if path in tracker.rendered and record is not None:
            raw = {**record.to_json(), "outputs": _outputs_of(site, item)}
        elif isinstance(old_items, dict) and path not in tracker.rendered:
            raw = old_items.get(path)  # what it read last time, as `plan` checked it
        else:
            raw = None
        if not isinstance(raw, dict):
            site.cache.remove([STATE_FILE])
            return
        records[path] = raw
        destinations += raw.get("outputs") or []
        included.update(raw["includes"])
    statics = [_static_row(site, s) for s in site.static_files]
    all_outputs = destinations + [row[3] for row in statics if row[4]]
    templates = _tree(_template_dirs(site))
    extra = {p: h for p in sorted(included - templates.keys()) if (h := _file_hash(p))}
    state = {
        "pykyll": __version__,
        "format": _FORMAT,
        "build": _build_key(site),
        "dest": str(site.dest),
        "order": [str(item.path) for item in items],
        "sources": {str(item.path): tracker.sources.get(str(item.path)) for item in items},
        "templates": templates,
        "included": extra,
        "statics": statics,
        "items": records,
        "clash": len(set(all_outputs)) != len(all_outputs),
    }
    site.cache.write_json(STATE_FILE, state)


# -- the incremental build ---------------------------------------------------------------


@dataclass
class Plan:
    render: list[Page | Document]
    copy: list[StaticFile]
    state: dict[str, Any]


#: the state kept by `read_state(keep=True)`, by a digest of its file's bytes, with its
#: records: a process that serves many builds (`pykyll.resident`) reads it ahead; hashing
#: the file is much quicker than decoding it (which a thousand records make slow)
_remembered: tuple[bytes, dict[str, Any], dict[str, Record]] | None = None


def read_state(
    site: Site, *, keep: bool = False
) -> tuple[dict[str, Any], dict[str, Record]] | None:
    """The last build's state and its valid records (None: no usable state); `keep` holds
    them for the next call (memory a one-off build has no use for)."""
    global _remembered
    if site.cache.folder is None:
        return None
    try:
        data = (site.cache.folder / STATE_FILE).read_bytes()
    except OSError:
        return None
    digest = hashlib.sha1(data).digest()
    if _remembered is not None and _remembered[0] == digest:
        return _remembered[1], _remembered[2]
    try:
        state = json.loads(data)
    except ValueError:
        return None
    if not isinstance(state, dict) or state.get("format") != _FORMAT:
        return None
    raw_items = state.get("items")
    if not isinstance(raw_items, dict):
        return None
    records: dict[str, Record] = {}
    for path, raw in raw_items.items():
        record = Record.from_json(raw)
        if record is not None:
            records[path] = record
    if keep:
        _remembered = (digest, state, records)
    return state, records


def plan(site: Site) -> Plan | None:
    """What to re-render, or None when only a full build is right."""
    loaded = read_state(site)
    if loaded is None:
        return None
    state, known = loaded
    if state.get("pykyll") != __version__ or state.get("build") != _build_key(site):
        return None
    if site.plugins or state.get("clash") is not False or not site.dest.is_dir():
        return None
    if site.show_drafts:
        return None  # a draft's date is its file's modification time
    items = site.render_order()
    order = [str(item.path) for item in items]
    if state.get("order") != order:
        return None  # an item added, removed, or moved in the order
    old_sources = state.get("sources")
    raw_items = state["items"]
    if not isinstance(old_sources, dict) or any(path not in known for path in order):
        return None  # no sources, or an item without a valid record
    # every source: the front matter must be as it was, the body may have changed
    changed_groups: set[str] = set()
    dirty: set[str] = set()
    for item, path in zip(items, order, strict=True):
        now, before = site.tracker.sources.get(path), old_sources.get(path)
        if now is None or not isinstance(before, list) or now[0] != before[0]:
            return None
        if now[1] != before[1]:
            dirty.add(path)
            changed_groups.add(_group(item))
    # layouts, includes, data: a file set that changed is a full build
    templates = _tree(_template_dirs(site))
    old_templates = state.get("templates")
    if not isinstance(old_templates, dict) or templates.keys() != old_templates.keys():
        return None
    changed_files = {p for p, h in templates.items() if old_templates.get(p) != h}
    old_included = state.get("included")
    if not isinstance(old_included, dict):
        return None
    for path, digest in old_included.items():
        if _file_hash(path) != digest:
            changed_files.add(path)
    data_dirs = tuple(str(d) + os.sep for d in _data_dirs(site))
    data_changed = any(p.startswith(data_dirs) for p in changed_files)
    # static files: same set; changed ones are copied, and their listings re-rendered
    statics = [_static_row(site, s) for s in site.static_files]
    old_statics = state.get("statics")
    if not isinstance(old_statics, list) or len(old_statics) != len(statics):
        return None
    copy: list[StaticFile] = []
    for static, row, old in zip(site.static_files, statics, old_statics, strict=True):
        if not isinstance(old, list) or len(old) != 5 or row[0] != old[0] or row[3:] != old[3:]:
            return None
        if row[1:3] != old[1:3] and row[4]:
            copy.append(static)
    dest = str(site.dest)
    # what shows a static file's modification time
    static_keys = {"static_files", "documents", "collections"}
    exposed = {f"excerpt:{g}" for g in changed_groups}
    content = {f"content:{g}" for g in changed_groups}
    render: list[Page | Document] = []
    for item, path in zip(items, order, strict=True):
        record = known[path]
        raw = raw_items[path]
        outputs = raw.get("outputs")
        if not isinstance(outputs, list):
            return None
        again = (
            path in dirty
            or item.is_asset
            or bool((record.layouts | record.includes) & changed_files)
            or (data_changed and "data" in record.keys)
            or (bool(copy) and bool(static_keys & record.keys))
            or bool(record.others & exposed)
            or not all(os.path.isfile(os.path.join(dest, str(o))) for o in outputs)
        )
        if record.others & content:
            return None  # it shows converted content of items that are not rendered now
        if again:
            if any(o.startswith("content:") for o in record.others):
                return None  # it would show items as they are before rendering
            render.append(item)
    if not _leftover_safe(items, render):
        return None
    return Plan(render, copy, state)


def _reads_leftover(item: Convertible) -> bool:
    """Whether the item's own Liquid may show the `content`/`layout` the previous item
    left in the payload: it names them, or it includes a file (which may name them)."""
    if not item.render_with_liquid():
        return False
    text = item.content
    if _LEFTOVER.search(text) is not None or "include_relative" in text:
        return True
    return "include" in text and _includes_name_leftover(item.site)


def _includes_name_leftover(site: Site) -> bool:
    cached = getattr(site, "_includes_name_leftover", None)
    if cached is None:
        cached = False
        for folder in site.include_dirs():
            for root, _dirs, names in os.walk(folder):
                for name in names:
                    try:
                        with open(os.path.join(root, name), encoding="utf-8") as stream:
                            found = _LEFTOVER.search(stream.read()) is not None
                    except (OSError, UnicodeDecodeError):
                        found = True
                    cached = cached or found
        site._includes_name_leftover = cached  # type: ignore[attr-defined]
    return bool(cached)


def _leftover_safe(items: list[Page | Document], render: list[Page | Document]) -> bool:
    """No re-rendered item, nor the item after one, reads the previous item's payload."""
    chosen = {id(item) for item in render}
    for i, item in enumerate(items):
        previous_rendered = i > 0 and id(items[i - 1]) in chosen
        if (id(item) in chosen or previous_rendered) and _reads_leftover(item):
            return False
    return True


@dataclass
class Outcome:
    #: None: a full build is needed (nothing was written)
    stats: WriteStats | None
    #: whether items were rendered (the site must be read again for the full build)
    touched: bool


def build(site: Site, profiler: Profiler) -> Outcome:
    """Run an incremental build of a site that was read."""
    from pykyll.writer import WriteStats, write_in_place

    with profiler.stage("render"):
        todo = plan(site)
        if todo is None:
            return Outcome(None, touched=False)
        chosen = {id(item) for item in todo.render}
        payload = site.renderer.payload(None)
        for plugin in site.plugins:
            plugin.pre_render(payload)
        site.conversions.prefetch(todo.render)
        try:
            for item in todo.render:
                site.render_item(item)
            site.conversions.finish()
        finally:
            site.conversions.close()
        skipped = {
            _group(item) for item in site.render_order() if id(item) not in chosen
        }  # groups with items not rendered now
        for item in todo.render:
            record = site.tracker.records[str(item.path)]
            if any(o.startswith("content:") and o[8:] in skipped for o in record.others):
                return Outcome(None, touched=True)  # it now shows what was not rendered
        failure = site.logger.strict_failure()  # `--strict`: warnings stop the build
        if failure is not None:
            raise failure
    with profiler.stage("write"):
        stats = WriteStats()
        site.cache.remove([STATE_FILE])  # written again once the outputs are in place
        texts: dict[str, str] = {}
        for item in todo.render:
            if not _writes(item):
                continue
            relative = relative_posix(item.destination(site.dest), site.dest)
            texts[relative] = item.output or ""
            for suffix, text in getattr(item, "extra_outputs", {}).items():
                texts[relative + suffix] = text
        copies = {s.destination(site.dest): s.path for s in todo.copy}
        write_in_place(site.dest, texts, copies, stats)
        for plugin in site.plugins:
            plugin.post_write()
    save_state(site, todo.state)
    site.cache.save(prune=False)
    return Outcome(stats, touched=True)


__all__ = ["Outcome", "Plan", "Record", "Tracker", "build", "plan", "save_state"]
