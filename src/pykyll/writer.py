"""Writing stage: the new `_site` is assembled beside the old one, then swapped in.

Unchanged files are hard-linked from the previous build instead of rewritten, so only
changed bytes hit the disk, and readers (a browser, `serve`) never see a half-written
site: the swap is one atomic `renameat2(RENAME_EXCHANGE)` where the kernel offers it.
The old tree is then kept in the cache folder (when there is one) and reused as the next
build's staging folder, so a rebuild does not create and delete every folder again.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import secrets
import shutil
import signal
import stat
import tempfile
from collections.abc import Callable, Iterator
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


def write_site(
    outputs: list[Output], dest: Path, keep_files: list[str], spare: Path | None = None
) -> WriteStats:
    """Write `outputs` as the new `dest`. `spare` (in the cache folder) keeps the tree of
    the site before the previous one, to be reused as the next staging folder: its
    folders already exist, and creating a thousand folders costs more than the rest."""
    dest = dest.resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    stats = WriteStats()
    staging: Path | None = None
    try:
        reused = False
        with _signals_deferred():  # a Ctrl-C cannot come between creating and noting it
            staging = _claim_spare(spare, dest) if spare is not None else None
            if staging is not None:
                reused = True
            else:
                staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.new-", dir=dest.parent))
                os.chmod(staging, 0o777 & ~_umask())  # not mkdtemp's 0700 for the site
        folders = _prune(staging, outputs) if reused else {str(staging)}
        for output in outputs:
            _stage(output, str(dest), str(staging), stats, folders)
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    # From here on the old site is taken apart (kept files move into the new one), so
    # SIGINT/SIGTERM wait until the swap is done and the old site removed (or kept as
    # the spare): `_site` is wholly old or wholly new, and nothing is left beside it.
    with _signals_deferred():
        carried: list[str] = []
        try:
            if dest.exists():
                carried = _carry_kept_files(dest, staging, keep_files)
            old = _swap_into_place(staging, dest)
        except BaseException:
            for relative in carried:  # the old site gets its kept files back
                os.rename(staging / relative, dest / relative)
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if old is not None and not (spare is not None and _keep_as_spare(old, spare)):
            shutil.rmtree(old, ignore_errors=True)
    return stats


def _claim_spare(spare: Path, dest: Path) -> Path | None:
    """Take the spare tree (atomically: a concurrent build cannot take it too) as this
    build's staging folder, when it is a real folder on the destination's file system."""
    try:
        info = os.lstat(spare)
        if not stat.S_ISDIR(info.st_mode) or info.st_dev != os.stat(dest.parent).st_dev:
            return None
        staging = dest.parent / f".{dest.name}.new-{os.getpid()}-{secrets.token_hex(4)}"
        os.rename(spare, staging)
    except OSError:
        return None
    return staging


def _keep_as_spare(old: Path, spare: Path) -> bool:
    try:
        if os.stat(old).st_dev != os.stat(spare.parent).st_dev:
            return False
        os.rename(old, spare)
    except OSError:
        return False
    return True


def _prune(staging: Path, outputs: list[Output]) -> set[str]:
    """Remove from a reused staging folder everything that is not to be written now;
    returns the folders left (they need no `mkdir`)."""
    wanted = {o.relative.strip("/") for o in outputs}
    folders = {""}
    for relative in wanted:
        parent = posixpath.dirname(relative)
        while parent not in folders:
            folders.add(parent)
            parent = posixpath.dirname(parent)
    root = str(staging)
    pending = [""]
    kept = {root}
    while pending:
        relative = pending.pop()
        try:
            entries = list(os.scandir(os.path.join(root, relative) if relative else root))
        except OSError:
            continue
        for entry in entries:
            child = f"{relative}/{entry.name}" if relative else entry.name
            if entry.is_dir(follow_symlinks=False):
                if child in folders:
                    pending.append(child)
                    kept.add(entry.path)
                else:
                    shutil.rmtree(entry.path, ignore_errors=True)
            elif child not in wanted or entry.is_symlink():
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
    return kept


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM (even with their default, fatal action) until the block ends."""
    wanted = {signal.SIGINT, signal.SIGTERM}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, wanted)
    except (AttributeError, OSError, ValueError):  # pragma: no cover - not POSIX
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _stage(output: Output, dest: str, staging: str, stats: WriteStats, folders: set[str]) -> None:
    # plain strings, not `Path`s: this runs for every file of the site
    target = os.path.join(staging, output.relative)
    if not _inside(target, staging):
        raise PykyllError(
            f"refusing to write '{output.relative}' outside the destination folder",
            hint="remove '..' from the permalink",
        )
    parent = os.path.dirname(target)
    if parent not in folders:
        os.makedirs(parent, exist_ok=True)
        folders.add(parent)
    previous = os.path.join(dest, output.relative)
    if output.source is not None:
        if _same_static(previous, output.source) and _link(previous, target):
            stats.linked += 1
            return
        _unlink(target)  # a reused staging file may share its inode with the old site
        shutil.copy2(output.source, target)
        stats.written += 1
        return
    # bytes that were not UTF-8 in the source (lone surrogates) are written back as they were
    data = (output.text or "").encode("utf-8", "surrogateescape")
    if _same_bytes(previous, data) and _link(previous, target):
        stats.linked += 1
        return
    _unlink(target)  # never write into a file the old site may share (a hard link)
    with open(target, "wb") as stream:
        stream.write(data)
    stats.written += 1


def _unlink(path: str | Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _inside(path: str | Path, folder: str | Path) -> bool:
    return os.path.normpath(path).startswith(str(folder) + os.sep)


def _same_bytes(path: str | Path, data: bytes) -> bool:
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode) or info.st_size != len(data):
            return False
        with open(path, "rb") as stream:
            return stream.read() == data
    except OSError:
        return False


def _same_static(path: str, source: Path) -> bool:
    """Whether the previous build's copy (`path`, written with the source's times) still
    holds the source's bytes. Size and modification time alone cannot tell: a file
    rewritten with the same size in the same clock tick, or given back an old time
    (`touch -d`, `rsync -t`), looks the same. A change to the source also sets its change
    time, which cannot be set back: the copy is trusted only when the source has not
    changed since the copy was made (git's rule for its index)."""
    try:
        copy, original = os.stat(path), os.stat(source)
    except OSError:
        return False
    return (
        copy.st_size == original.st_size
        and copy.st_mtime_ns == original.st_mtime_ns
        and original.st_ctime_ns < copy.st_ctime_ns
    )


def _link(existing: str, target: str) -> bool:
    try:
        try:
            known, wanted = os.lstat(target), os.stat(existing)
        except FileNotFoundError:
            pass
        else:
            if (known.st_ino, known.st_dev) == (wanted.st_ino, wanted.st_dev):
                return True  # a reused staging folder: already this very file
            os.unlink(target)
        os.link(existing, target)
        return True
    except OSError:
        return False


def _carry_kept_files(dest: Path, staging: Path, keep_files: list[str]) -> list[str]:
    """Entries named in `keep_files` (e.g. `.git`) survive the rebuild untouched; returns
    the ones moved."""
    carried: list[str] = []
    for entry in keep_files:
        relative = str(entry).strip("/")
        if not relative:
            continue
        old = dest / relative
        if not (old.exists() or old.is_symlink()) or (staging / relative).exists():
            continue
        (staging / relative).parent.mkdir(parents=True, exist_ok=True)
        os.rename(old, staging / relative)
        carried.append(relative)
    return carried


_RENAME_EXCHANGE = 2


def _swap_into_place(staging: Path, dest: Path) -> Path | None:
    """Put `staging` at `dest`; returns where the old site now is (to be removed)."""
    if not dest.exists():
        os.rename(staging, dest)
        return None
    if _exchange(staging, dest):
        return staging
    old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
    os.rename(dest, old)
    os.rename(staging, dest)
    return old


def _exchange(a: Path, b: Path) -> bool:
    import ctypes  # here: only a rebuild swaps, and importing it costs every command time

    try:
        # the process's own symbols include the C library's; no `find_library` (it runs
        # `ldconfig`, 5 ms)
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def write_in_place(
    dest: Path, texts: dict[str, str], copies: dict[Path, Path], stats: WriteStats
) -> None:
    """Replace single files of an existing site (an incremental build), each atomically:
    a new file beside it, then a rename. Unchanged bytes are left alone."""
    for relative, text in texts.items():
        target = dest / relative
        if not _inside(target, dest):
            raise PykyllError(
                f"refusing to write '{relative}' outside the destination folder",
                hint="remove '..' from the permalink",
            )
        data = text.encode("utf-8", "surrogateescape")
        if _same_bytes(target, data):
            continue
        _replace(target, _writer(data), _file_mode())
        stats.written += 1
    for target, source in copies.items():
        _replace(target, _copier(source), None)
        stats.written += 1


def _writer(data: bytes) -> Callable[[Path], object]:
    return lambda path: path.write_bytes(data)


def _copier(source: Path) -> Callable[[Path], object]:
    return lambda path: shutil.copy2(source, path)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _file_mode() -> int:
    return 0o666 & ~_umask()


def _replace(target: Path, fill: Callable[[Path], object], mode: int | None) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".pykyll-", dir=target.parent)
    os.close(handle)
    try:
        fill(Path(temporary))
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
