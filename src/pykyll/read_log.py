"""What reading a site looked at, so that a read done earlier can be proved still current.

The reader notes every folder it listed (with the names it got), every path whose kind it
asked about (is there a `_posts` folder here?), and, once the read is over, the identity of
every file those listings named: inode, size, modification and change times. Later,
`changes()` lists the folders again and stats the files: a folder listing or a probed kind
that differs means the read is out of date as a whole; otherwise it returns the files that
changed, which the caller may read again one by one.

File-system timestamps are coarse (a few milliseconds on ext4, two seconds on FAT), so a
file written just before it was looked at could be written again with the same size and
times. As git does with its index, the read starts by touching a marker file in the same
file system; a file whose change time is not older than the marker's counts as changed,
every time (without a marker, one changed less than two seconds before the read does).
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

#: inode, size, modification time, change time (nanoseconds)
Identity = tuple[int, int, int, int]

#: without a marker: how long before the read a file must have changed to count as unchanged
_RACY_NS = 2_000_000_000

_MISSING, _FILE, _DIR, _OTHER = "missing", "file", "dir", "other"


def _kind(path: str) -> str:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return _MISSING
    return _DIR if stat.S_ISDIR(mode) else _FILE if stat.S_ISREG(mode) else _OTHER


def _identity(path: str) -> Identity | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    if stat.S_ISDIR(found.st_mode):
        return None
    return found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns


def _clock_of(marker: Path | None) -> int:
    """Now, in nanoseconds, as the file system holding `marker` stamps a file now."""
    if marker is not None:
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
            return os.stat(marker).st_mtime_ns
        except OSError:
            pass
    return time.time_ns() - _RACY_NS


class ReadLog:
    def __init__(self, marker: Path | None = None) -> None:
        #: files changed at or after this time may change again unseen
        self.started_ns = _clock_of(marker)
        #: (folder, `Dir` glob flags or None for a plain listing, names)
        self.listings: list[tuple[str, tuple[bool, bool] | None, list[str]]] = []
        self.probes: dict[str, str] = {}
        #: every file a listing named, by path (folders are left out)
        self.files: dict[str, Identity] = {}

    # -- noted by the reader -----------------------------------------------------------------
    def listed(self, folder: Path, names: list[str]) -> None:
        self.listings.append((str(folder), None, list(names)))

    def globbed(self, folder: Path, flags: tuple[bool, bool], names: list[str]) -> None:
        self.listings.append((str(folder), flags, list(names)))

    def probed(self, path: Path) -> None:
        self.probes.setdefault(str(path), _kind(str(path)))

    def seal(self) -> None:
        """Take the identity of every listed file (called once the read is over)."""
        for folder, _flags, names in self.listings:
            for name in names:
                path = os.path.join(folder, name)
                identity = _identity(path)
                if identity is not None:
                    self.files[path] = identity

    # -- asked later ---------------------------------------------------------------------------
    def changes(self) -> set[str] | None:
        """The files that changed since the read, or None when folders or kinds changed."""
        from pykyll.reader import _glob_files

        for path, kind in self.probes.items():
            if _kind(path) != kind:
                return None
        for folder, flags, names in self.listings:
            try:
                if flags is None:
                    now = sorted(os.listdir(folder))
                else:
                    now = _glob_files(Path(folder), dotted_only=flags[0], include_dot=flags[1])
            except OSError:
                return None
            if now != names:
                return None
        changed = set()
        for path, before in self.files.items():
            identity = _identity(path)
            if identity is None:
                return None  # a file became a folder, or went away between the two looks
            if identity != before or identity[3] >= self.started_ns:
                changed.add(path)
        return changed


__all__ = ["Identity", "ReadLog"]
