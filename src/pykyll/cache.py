"""The persistent cache, `.pykyll-cache/` in the source folder (Jekyll's `.jekyll-cache`).

Converted markdown and compiled Sass are kept between builds, keyed by a hash of the
content, the converter's options and the pykyll version, so an entry can never be stale:
a changed input is a different key. The folder is safe to delete at any time, is never
read as site content, and is not written at all with `--disable-disk-cache` (or
`disable_disk_cache: true`); the cache then lives in memory for the one build.

Each namespace is a folder of sixteen JSON shards (`markdown/3.json`): read when needed,
written at the end of a build when changed, instead of a file per entry. JSON, not pickle,
because the folder sits in a source tree that may come from anyone: loading it must never
run code. An unreadable, corrupt or foreign file is ignored (the build just
converts again), and files are replaced atomically, so concurrent builds of one site
cannot leave half-written entries behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pykyll import __version__

CACHE_DIR = ".pykyll-cache"
_FORMAT = 1
#: the shard of a key is named by its first character
_SHARD_KEY = 1
_HEX = frozenset("0123456789abcdef")


def fingerprint(*parts: Any) -> str:
    """A stable hash of JSON-able parts (anything else by `repr`)."""
    text = json.dumps(parts, sort_keys=True, default=repr, ensure_ascii=False)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def content_key(options_key: str, content: str) -> str:
    digest = hashlib.sha1(options_key.encode("utf-8"))
    digest.update(b"\0")
    digest.update(content.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class Bucket:
    """One namespace of the cache: hex-string keys to JSON values.

    Entries are spread over shards by the first character of their key (`markdown/3.json`),
    read when first asked for and written only when changed. Sixteen, not 256: a full
    build opens them all (256 files cost a warm build of a thousand pages 20 ms more),
    and an incremental build that converts one document still reads and writes only a
    sixteenth of the cache."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._shards: dict[str, dict[str, Any]] = {}
        self._used: set[str] = set()
        self._dirty: set[str] = set()
        self._new: list[str] = []
        self._touched: list[str] = []
        self.hits = 0
        self.misses = 0

    def _shard(self, key: str) -> dict[str, Any]:
        name = key[:_SHARD_KEY]
        shard = self._shards.get(name)
        if shard is None:
            path = self.folder / f"{name}.json" if self.folder is not None else None
            shard = self._shards[name] = _load(path) if path is not None else {}
        return shard

    def get(self, key: str) -> Any:
        value = self._shard(key).get(key)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        self._used.add(key)
        self._touched.append(key)
        return value

    def put(self, key: str, value: Any) -> None:
        self._shard(key)[key] = value
        self._used.add(key)
        self._dirty.add(key[:_SHARD_KEY])
        self._new.append(key)
        self._touched.append(key)

    def mark(self) -> tuple[int, int]:
        return len(self._touched), len(self._new)

    def since(self, mark: tuple[int, int]) -> list[tuple[str, Any]]:
        """What happened since `mark`: each key read (value None) or written (with its
        value). A worker process reports it, see `pykyll.parallel`."""
        written = set(self._new[mark[1] :])
        keys = dict.fromkeys(self._touched[mark[0] :])
        return [(k, self.peek(k) if k in written else None) for k in keys]

    def touch(self, key: str) -> None:
        """Count `key` as used by this build (a worker read it)."""
        if key in self._shard(key):
            self._used.add(key)

    def new_keys(self) -> list[str]:
        """Keys put during this build, oldest first."""
        return list(self._new)

    def peek(self, key: str) -> Any:
        return self._shard(key).get(key)

    def __contains__(self, key: str) -> bool:
        return key in self._shard(key)

    def save(self, *, prune: bool) -> None:
        """Write the shards that changed; `prune` (after a full build) drops the entries
        this build never used, so the cache does not grow without bound."""
        if prune and self.folder is not None:
            for path in _listing(self.folder):
                if len(path.stem) != _SHARD_KEY:  # a shard of the older layout: never read
                    with contextlib.suppress(OSError):
                        path.unlink()
                elif path.stem not in self._shards:
                    self._shards[path.stem] = _load(path)
        if prune:
            for name, shard in self._shards.items():
                unused = [k for k in shard if k not in self._used]
                for key in unused:
                    del shard[key]
                if unused:
                    self._dirty.add(name)
        self._used = set()
        self._new = []
        self._touched = []
        dirty, self._dirty = self._dirty, set()
        if self.folder is None:
            return
        for name in sorted(dirty):
            shard = self._shards[name]
            path = self.folder / f"{name}.json"
            if not shard:
                with contextlib.suppress(OSError):
                    path.unlink()
                continue
            payload = {"pykyll": __version__, "format": _FORMAT, "entries": shard}
            _atomic_write(path, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


#: JSON without the spaces after separators: the incremental state is megabytes at N = 5,000
_COMPACT = (",", ":")


class DiskCache:
    """The cache folder of one site; `folder=None` keeps everything in memory."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._buckets: dict[str, Bucket] = {}

    @classmethod
    def for_site(cls, config: dict[str, Any], source: Path) -> DiskCache:
        if config.get("disable_disk_cache"):
            return cls(None)
        return cls(source / CACHE_DIR)

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def bucket(self, name: str) -> Bucket:
        bucket = self._buckets.get(name)
        if bucket is None:
            folder = self.folder / name if self.folder is not None else None
            bucket = self._buckets[name] = Bucket(folder)
        return bucket

    def save(self, *, prune: bool) -> None:
        for bucket in self._buckets.values():
            # a read-only source folder: the cache is an optimisation only
            with contextlib.suppress(OSError):
                bucket.save(prune=prune)

    def write_json(self, name: str, value: Any) -> None:
        if self.folder is None:
            return
        with contextlib.suppress(OSError):
            text = json.dumps(value, ensure_ascii=False, separators=_COMPACT, check_circular=False)
            _atomic_write(self.folder / name, text.encode())

    def remove(self, names: Iterable[str]) -> None:
        if self.folder is None:
            return
        for name in names:
            with contextlib.suppress(OSError):
                (self.folder / name).unlink()


def _load(path: Path) -> dict[str, Any]:
    try:
        payload = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if (
        not isinstance(payload, dict)
        or payload.get("pykyll") != __version__
        or payload.get("format") != _FORMAT
        or not isinstance(payload.get("entries"), dict)
    ):
        return {}
    return payload["entries"]


def _listing(folder: Path) -> list[Path]:
    """The shards in `folder`, of this layout and of the older one (256, by two characters)."""
    try:
        return [
            p
            for p in folder.iterdir()
            if p.suffix == ".json" and len(p.stem) in (1, 2) and _HEX.issuperset(p.stem)
        ]
    except OSError:
        return []


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


__all__ = ["CACHE_DIR", "Bucket", "DiskCache", "content_key", "fingerprint"]
