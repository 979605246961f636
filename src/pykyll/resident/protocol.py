"""What the `pykyll` command and a resident build process say to each other.

Imported only by commands that may involve a resident (`pykyll.resident.involved`).

The command connects to a Unix socket in a folder only its user can enter, sends one
request (its arguments, working folder, environment) together with its standard input,
output and error as file descriptors, and reads messages back: `{"decline": why}`, or
`{"pid": n}` once a build started (with the command's own streams) and then
`{"exit": code}`. Each message is a 4-byte big-endian length and JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
import struct
from typing import Any

_HEADER = struct.Struct(">I")

#: environment variables that differ between two shells of one user without changing a build
VOLATILE_ENV = frozenset({"_", "OLDPWD", "PWD", "SHLVL"})


def source_of(argv: list[str], cwd: str) -> str:
    """The site folder the arguments name (`-s`/`--source`), else the working folder."""
    for i, arg in enumerate(argv):
        if arg in ("-s", "--source") and i + 1 < len(argv):
            return os.path.realpath(os.path.join(cwd, argv[i + 1]))
        if arg.startswith("--source="):
            return os.path.realpath(os.path.join(cwd, arg.split("=", 1)[1]))
    return os.path.realpath(cwd)


#: a Unix socket's path must fit in 108 bytes (104 on macOS), with the file name below
_LONGEST_FOLDER = 70


def socket_folder() -> str:
    base = os.environ.get("XDG_RUNTIME_DIR") or "/tmp"
    if len(os.fsencode(base)) > _LONGEST_FOLDER:
        base = "/tmp"
    return os.path.join(base, f"pykyll-{os.getuid()}")


def private_folder(folder: str, *, create: bool) -> bool:
    """The folder exists (made when `create`), is this user's and nobody else's."""
    if create:
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        except OSError:
            return False
    try:
        found = os.lstat(folder)
    except OSError:
        return False
    return (
        stat.S_ISDIR(found.st_mode) and found.st_uid == os.getuid() and found.st_mode & 0o077 == 0
    )


def socket_path(source: str) -> str:
    digest = hashlib.sha1(source.encode("utf-8", "surrogateescape")).hexdigest()[:20]
    return os.path.join(socket_folder(), f"{digest}.sock")


class Channel:
    """Messages over one connection (a stream: a read may hold the start of the next one)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._buffer = bytearray()

    def send(self, message: dict[str, Any], fds: list[int] | None = None) -> None:
        body = json.dumps(message).encode()
        data = _HEADER.pack(len(body)) + body
        if fds:
            sent = socket.send_fds(self.sock, [data], fds)
            data = data[sent:]
        if data:
            self.sock.sendall(data)

    def receive(self, *, max_fds: int = 0) -> tuple[dict[str, Any] | None, list[int]]:
        """One message (None at the end of the stream) and descriptors that came with it."""
        fds: list[int] = []
        if max_fds and not self._buffer:
            data, fds, _flags, _address = socket.recv_fds(self.sock, 65536, max_fds)
            if not data:
                return None, fds
            self._buffer += data
        if not self._fill(_HEADER.size):
            return None, fds
        (length,) = _HEADER.unpack_from(self._buffer)
        if not self._fill(_HEADER.size + length):
            return None, fds
        body = bytes(self._buffer[_HEADER.size : _HEADER.size + length])
        del self._buffer[: _HEADER.size + length]
        message = json.loads(body)
        return (message if isinstance(message, dict) else None), fds

    def _fill(self, size: int) -> bool:
        while len(self._buffer) < size:
            more = self.sock.recv(65536)
            if not more:
                return False
            self._buffer += more
        return True
