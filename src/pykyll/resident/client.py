"""`pykyll build --incremental`, handed to the resident process of its site when one runs.

The build then runs in a process forked from the resident one (everything imported, the
site already read), writing to this command's own terminal or pipes; Ctrl-C and SIGTERM
are passed on to it. When there is no resident process, or it declines (another
configuration, environment or pykyll), or it stops without an answer, the command builds
by itself as usual.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
from typing import Any

from pykyll import __version__
from pykyll.resident import involved
from pykyll.resident.protocol import (
    Channel,
    private_folder,
    socket_folder,
    socket_path,
    source_of,
)

_FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _streams_open() -> bool:
    try:
        for fd in (0, 1, 2):
            os.fstat(fd)
    except OSError:
        return False
    return True


def run_in_resident(argv: list[str]) -> int | None:
    """The build's exit status when a resident process ran it; None: build here."""
    if not involved(argv) or not _streams_open():
        return None
    cwd = os.getcwd()
    if not private_folder(socket_folder(), create=False):
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(socket_path(source_of(argv, cwd)))
        channel = Channel(sock)
        request = {
            "argv": argv,
            "cwd": cwd,
            "env": dict(os.environ),
            "executable": sys.executable,
            "version": __version__,
        }
        channel.send(request, [0, 1, 2])
        started, _ = channel.receive()  # once the resident has read the site
    except (OSError, ValueError):
        sock.close()
        return None
    except KeyboardInterrupt:  # the resident sees the connection closed and builds nothing
        sock.close()
        print("        Interrupted: stopped while starting; nothing was changed.", file=sys.stderr)
        return 130
    if started is None or not isinstance(started.get("pid"), int):
        sock.close()
        return None
    return _wait_for_exit(channel, started["pid"])


def _wait_for_exit(channel: Channel, pid: int) -> int | None:
    interrupted: list[int] = []

    def forward(signum: int, frame: Any) -> None:
        interrupted.append(signum)
        with contextlib.suppress(OSError):  # it has just ended
            os.kill(pid, signum)

    previous = {sig: signal.signal(sig, forward) for sig in _FORWARDED}
    try:
        finished, _ = channel.receive()
    except (OSError, ValueError):
        finished = None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        channel.sock.close()
    if finished is None or not isinstance(finished.get("exit"), int):
        if interrupted:  # it was told to stop, and did: nothing to build again
            return 143 if interrupted[0] == signal.SIGTERM else 130
        print(
            "    Resident build: stopped before it finished; building again without it.",
            file=sys.stderr,
        )
        return None
    return int(finished["exit"])


def stop_resident(source: str) -> int | None:
    """Stop the resident process of the site in `source`; its process id, if one ran."""
    if os.name != "posix" or not private_folder(socket_folder(), create=False):
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(socket_path(os.path.realpath(source)))
        channel = Channel(sock)
        channel.send({"stop": True})
        answer, _ = channel.receive()
    except (OSError, ValueError):
        return None
    finally:
        sock.close()
    stopped = answer.get("stopped") if answer else None
    return stopped if isinstance(stopped, int) else None
