"""Writing stage: the new `_site` is assembled beside the old one, then swapped in.

Unchanged files are hard-linked from the previous build instead of rewritten, so only
changed bytes hit the disk, and readers (a browser, `serve`) never see a half-written
site: the swap is one atomic `renameat2(RENAME_EXCHANGE)` where the kernel offers it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pykyll.errors import PykyllError


@dataclass
class Output:
    """One file of the built site: rendered text, or a static file copied from `source`."""

    relative: str
    text: str | None = None
    source: Path | None = None


@dataclass
class WriteStats:
    written: int = 0
    linked: int = 0
    removed: int = 0


def write_site(outputs: list[Output], dest: Path, keep_files: list[str]) -> WriteStats:
    dest = dest.resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.new-", dir=dest.parent))
    stats = WriteStats()
    try:
        for output in outputs:
            _stage(output, dest, staging, stats)
        if dest.exists():
            _carry_kept_files(dest, staging, keep_files)
        _swap_into_place(staging, dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return stats


def _stage(output: Output, dest: Path, staging: Path, stats: WriteStats) -> None:
    target = staging / output.relative
    if not _inside(target, staging):
        raise PykyllError(
            f"refusing to write '{output.relative}' outside the destination folder",
            hint="remove '..' from the permalink",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    previous = dest / output.relative
    if output.source is not None:
        if _same_static(previous, output.source) and _link(previous, target):
            stats.linked += 1
            return
        shutil.copy2(output.source, target)
        stats.written += 1
        return
    data = (output.text or "").encode("utf-8")
    if _same_bytes(previous, data) and _link(previous, target):
        stats.linked += 1
        return
    target.write_bytes(data)
    stats.written += 1


def _inside(path: Path, folder: Path) -> bool:
    return os.path.normpath(path).startswith(str(folder) + os.sep)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.is_symlink() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _same_static(path: Path, source: Path) -> bool:
    try:
        a, b = path.stat(), source.stat()
    except OSError:
        return False
    return a.st_size == b.st_size and int(a.st_mtime) == int(b.st_mtime)


def _link(existing: Path, target: Path) -> bool:
    try:
        if target.exists():
            target.unlink()
        os.link(existing, target)
        return True
    except OSError:
        return False


def _carry_kept_files(dest: Path, staging: Path, keep_files: list[str]) -> None:
    """Entries named in `keep_files` (e.g. `.git`) survive the rebuild untouched."""
    for entry in keep_files:
        relative = str(entry).strip("/")
        if not relative:
            continue
        old = dest / relative
        if not (old.exists() or old.is_symlink()) or (staging / relative).exists():
            continue
        (staging / relative).parent.mkdir(parents=True, exist_ok=True)
        os.rename(old, staging / relative)


_RENAME_EXCHANGE = 2


def _swap_into_place(staging: Path, dest: Path) -> None:
    if not dest.exists():
        os.rename(staging, dest)
        return
    if _exchange(staging, dest):
        shutil.rmtree(staging, ignore_errors=True)
        return
    old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
    os.rename(dest, old)
    os.rename(staging, dest)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)
