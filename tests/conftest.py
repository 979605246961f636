"""Suite-wide fixtures: no caches left in the checkout; built sites served on 127.0.0.1."""

from __future__ import annotations

import functools
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """A shell that starts the suite in the background (`pytest &`, no job control) leaves
    SIGINT ignored, and every child process inherits that: the Ctrl-C tests would wait for
    a process that cannot hear them. Children get the default disposition back."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    # `pykyll build --incremental` leaves a resident process behind (`pykyll.resident`);
    # the tests that start one ask for it, with their own socket folder
    os.environ["PYKYLL_RESIDENT"] = "0"


ROOT = Path(__file__).resolve().parents[1]


def _caches() -> set[Path]:
    """`.pykyll-cache` folders a test build may create: the example site's and any under tests."""
    found = set((ROOT / "tests").glob("**/.pykyll-cache"))
    if (ROOT / ".pykyll-cache").is_dir():
        found.add(ROOT / ".pykyll-cache")
    return found


@pytest.fixture(scope="session", autouse=True)
def remove_caches_the_tests_created() -> Iterator[None]:
    before = _caches()
    yield
    for cache in _caches() - before:
        shutil.rmtree(cache, ignore_errors=True)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def serve_folder() -> Iterator[Callable[[Path], str]]:
    """Serve a built site with a plain static server on a free port; returns its base URL."""
    servers: list[ThreadingHTTPServer] = []

    def serve(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()
