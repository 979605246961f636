"""The resident process: what `pykyll build --incremental` leaves behind for the next one.

An incremental build is meant to take a moment, but a fresh Python process spends most
of a second before it can look at a single file: starting, importing python-liquid and
the markdown dialect, reading every source. So after an incremental build has written
everything (and only then), `pykyll` forks a process that stays: it drops its terminal,
listens on a Unix socket private to the user, and reads the site again ahead of the next
build (`snapshot.ReadAhead`). The next `pykyll build --incremental` of the same site, with
the same arguments, environment and pykyll, is handed to it: the resident process forks a
copy that runs exactly the command's code (`cli.main`), with the command's own standard
streams, so output, warnings and exit status are those of a build run in place.

It stops after `PYKYLL_RESIDENT` seconds without a build (default 1,800), when it is
declined a build (another configuration or pykyll: the build that follows leaves its
own resident), when pykyll's files change, when its socket is taken over or its site
removed. `PYKYLL_RESIDENT=0` turns the whole thing off, and so does `CI`.
"""

from __future__ import annotations

import contextlib
import gc
import os
import select
import signal
import socket
import sys
import threading
import time
import traceback
from typing import Any

from pykyll import __version__
from pykyll.log import flush_standard_streams
from pykyll.resident import involved
from pykyll.resident.protocol import (
    VOLATILE_ENV,
    Channel,
    private_folder,
    socket_folder,
    socket_path,
    source_of,
)
from pykyll.utils import collector_frozen

DEFAULT_IDLE = 1800.0

#: how often an idle resident checks that it is still wanted
_CHECK_EVERY = 5.0


def idle_limit(env: dict[str, str] | os._Environ[str]) -> float:
    try:
        seconds = float(env.get("PYKYLL_RESIDENT", ""))
    except ValueError:
        return DEFAULT_IDLE
    return seconds if seconds > 0 else DEFAULT_IDLE


def start_after_build(argv: list[str]) -> None:
    """Fork the resident process of this build's site, if it may have one. Returns at once
    in the calling process."""
    if not involved(argv):
        return
    if threading.active_count() > 1:
        return  # forking with other threads alive could copy a held lock
    if not private_folder(socket_folder(), create=True):
        return
    path = socket_path(source_of(argv, os.getcwd()))
    flush_standard_streams()
    if os.fork() != 0:
        return
    try:
        _detach()
        Resident(argv, path).serve()
    finally:
        os._exit(0)


def _detach() -> None:
    """No terminal, no inherited descriptors: whoever waits for the build's output (a pipe,
    a CI step) sees it end when the build ends."""
    os.setsid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.closerange(3, 65536)


def _code_files() -> list[str]:
    return [
        path
        for name, module in list(sys.modules.items())
        if name.startswith("pykyll") and (path := getattr(module, "__file__", None))
    ]


def _code_stamp(files: list[str]) -> list[float]:
    """Modification times of pykyll's modules (an edited or upgraded pykyll)."""
    stamp = []
    for path in files:
        try:
            stamp.append(os.stat(path).st_mtime)
        except OSError:
            stamp.append(-1.0)
    return stamp


def _gone(connection: socket.socket) -> bool:
    """Whether the other end has closed the connection (nothing left to read, at its end)."""
    try:
        return connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def _identity(path: str) -> tuple[int, int, int] | None:
    """A socket file, told from a later one at the same path (inode numbers are reused)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino, found.st_ctime_ns


def _comparable_env(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k not in VOLATILE_ENV}


class Resident:
    def __init__(self, argv: list[str], path: str) -> None:
        self.argv = list(argv)
        self.cwd = os.getcwd()
        self.env = _comparable_env(dict(os.environ))
        self.path = path
        self.source = source_of(argv, self.cwd)
        self.code_files = _code_files()
        self.code = _code_stamp(self.code_files)
        self.idle = idle_limit(os.environ)
        self.last_used = time.monotonic()
        self.ahead: Any = None

    # -- lifetime ---------------------------------------------------------------------------
    def serve(self) -> None:
        listener = self._listen()
        mine = _identity(self.path)
        gc.collect()  # what the build that forked this process left behind
        try:
            self.refresh()
            while True:
                ready, _, _ = select.select([listener], [], [], _CHECK_EVERY)
                if not ready:
                    if not self._still_wanted(mine):
                        return
                    continue
                connection, _ = listener.accept()
                if not self.handle(connection):
                    return
                self.last_used = time.monotonic()
                if self.ahead is None or self.ahead.changes() != set():
                    self.refresh()
                else:
                    self.ahead.read_state()  # the build wrote a new one
        finally:
            if _identity(self.path) == mine:  # not the socket of a resident that took over
                with contextlib.suppress(OSError):
                    os.unlink(self.path)
            listener.close()

    def _listen(self) -> socket.socket:
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        temporary = f"{self.path}.{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        listener.bind(temporary)
        listener.listen(8)
        os.replace(temporary, self.path)  # takes over from an older resident of this site
        return listener

    def _still_wanted(self, mine: tuple[int, int, int] | None) -> bool:
        if time.monotonic() - self.last_used > self.idle:
            return False
        return mine is not None and os.path.isdir(self.source) and _identity(self.path) == mine

    def refresh(self) -> None:
        """Read the site again, ahead of the next build."""
        from pykyll.cli import build_configuration, make_parser
        from pykyll.resident.snapshot import ReadAhead

        self.ahead = None
        try:
            config = build_configuration(make_parser().parse_args(self.argv))
        except Exception:  # the next build meets the same problem and reports it
            return
        self.ahead = ReadAhead.read(config)
        _warm_up_markdown(config)

    # -- one build -------------------------------------------------------------------------
    def refusal(self, request: dict[str, Any]) -> str | None:
        if request.get("version") != __version__ or request.get("executable") != sys.executable:
            return "another pykyll"
        if _code_stamp(self.code_files) != self.code:
            return "pykyll changed"
        if request.get("argv") != self.argv or request.get("cwd") != self.cwd:
            return "another build"
        env = request.get("env")
        if not isinstance(env, dict) or _comparable_env(env) != self.env:
            return "another environment"
        return None

    def handle(self, connection: socket.socket) -> bool:
        """Serve one request; whether to go on serving."""
        channel = Channel(connection)
        fds: list[int] = []
        try:
            connection.settimeout(5.0)
            request, fds = channel.receive(max_fds=3)
            connection.settimeout(None)
            if request is not None and request.get("stop"):
                channel.send({"stopped": os.getpid()})
                return False
            reason = "a bad request" if request is None or len(fds) != 3 else None
            reason = reason or self.refusal(request or {})
            if reason is not None:
                channel.send({"decline": reason})
                return False
            assert request is not None
            if _gone(connection):
                return True  # the command was stopped (Ctrl-C) while this process was busy
            with collector_frozen():  # the copy's collector never walks (nor copies) the site
                pid = os.fork()
                if pid == 0:
                    self._build(channel, request, fds)
            os.waitpid(pid, 0)
            return True
        except OSError:
            return True
        finally:
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
            connection.close()

    def _build(self, channel: Channel, request: dict[str, Any], fds: list[int]) -> None:
        """In the forked copy: run the command as `pykyll` would, on its streams."""
        code = 1
        try:
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
            # buffered as the command's own output would be: by line on a terminal
            with contextlib.suppress(AttributeError, ValueError):
                sys.stdout.reconfigure(line_buffering=os.isatty(1))  # type: ignore[union-attr]
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGHUP, signal.SIG_DFL)
            os.chdir(str(request["cwd"]))
            channel.send({"pid": os.getpid()})
            code = self._run(list(request["argv"]))
        except SystemExit as stop:  # as the command would end
            code = stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 1
        except KeyboardInterrupt:  # before the command could handle it
            code = 130
        except BaseException:  # a fault of pykyll's own: reported as the command would
            traceback.print_exc()
        finally:
            flush_standard_streams()
            with contextlib.suppress(OSError):
                channel.send({"exit": code})
            os._exit(code)

    def _run(self, argv: list[str]) -> int:
        from pykyll import site
        from pykyll.__main__ import _run

        if self.ahead is not None:
            site.read_ahead = self.ahead.take
        sys.argv = ["pykyll", *argv]
        return _run()


#: markdown that makes the converter load what it loads on first use (Pygments included)
_WARM_UP = "*warm* `up`\n\n```python\nup = 1\n```\n"


def _warm_up_markdown(config: dict[str, Any]) -> None:
    """Import and compile the site's markdown dialect, which its build would do first."""
    with contextlib.suppress(Exception):
        from pykyll.converters.markdown import MarkdownConverter

        MarkdownConverter(config).to_html(_WARM_UP)
