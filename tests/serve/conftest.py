"""Helpers for the `pykyll serve` tests: a small site, the real server in a subprocess."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

LAYOUT = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ page.title }}</title>
<link rel="stylesheet" href="{{ '/css/site.css' | relative_url }}"></head>
<body>{{ content }}<p class="url">{{ site.url }}</p><p class="title">{{ site.title }}</p>
</body></html>
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make_site(root: Path) -> Path:
    site = root / "site"
    write(site / "_config.yml", "title: Serve test\n")
    write(site / "_layouts" / "default.html", LAYOUT)
    write(site / "index.md", "---\nlayout: default\ntitle: Home\n---\n# Hello\n\nFirst version.\n")
    write(site / "about.md", "---\nlayout: default\ntitle: About\n---\nAbout page.\n")
    write(site / "404.html", "---\nlayout: default\ntitle: Missing\n---\n<h1>Custom 404</h1>\n")
    write(site / "css" / "site.css", "body { color: rgb(255, 0, 0); }\n")
    write(site / "docs" / "index.html", "---\n---\n<html><head></head><body>docs</body></html>\n")
    write(site / "data.json", '{"a": 1}\n')
    (site / "pixel.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    long_body = "\n\n".join(f"Paragraph {i} of a long page." for i in range(200))
    write(site / "long.md", f"---\nlayout: default\ntitle: Long\n---\n{long_body}\n")
    return site


class Server:
    """`python -m pykyll serve …` on free ports; stdout/stderr collected in the background."""

    def __init__(self, site: Path, *extra: str, jekyll_env: str | None = None) -> None:
        self.site = site
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("JEKYLL_ENV", None)
        if jekyll_env is not None:
            env["JEKYLL_ENV"] = jekyll_env
        command = [sys.executable, "-m", "pykyll", "serve", "-s", str(site), "-P", "0", *extra]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.out: list[str] = []
        self.err: list[str] = []
        assert self.process.stdout is not None and self.process.stderr is not None
        threading.Thread(
            target=self._pump, args=(self.process.stdout, self.out), daemon=True
        ).start()
        threading.Thread(
            target=self._pump, args=(self.process.stderr, self.err), daemon=True
        ).start()
        self.port = int(self.wait_for_line(r"Server address: https?://[^:]+:(\d+)").group(1))
        found = self._search(r"LiveReload address: https?://[^:]+:(\d+)", self.out)
        self.livereload_port = int(found.group(1)) if found else None

    @staticmethod
    def _pump(stream: Any, lines: list[str]) -> None:
        for line in stream:
            lines.append(line.rstrip("\n"))

    @staticmethod
    def _search(pattern: str, lines: list[str]) -> re.Match[str] | None:
        for line in list(lines):
            found = re.search(pattern, line)
            if found:
                return found
        return None

    def wait_for_line(
        self, pattern: str, *, stream: str = "out", timeout: float = 20
    ) -> re.Match[str]:
        lines = self.out if stream == "out" else self.err
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self._search(pattern, lines)
            if found:
                return found
            if self.process.poll() is not None:
                time.sleep(0.2)
                found = self._search(pattern, lines)
                if found:
                    return found
                break
            time.sleep(0.02)
        raise AssertionError(
            f"no line matching {pattern!r}\nstdout:\n"
            + "\n".join(self.out)
            + "\nstderr:\n"
            + "\n".join(self.err)
        )

    def request(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest(method, path, skip_accept_encoding=True)
            connection.endheaders()
            response = connection.getresponse()
            body = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            connection.close()

    def get_text(self, path: str) -> str:
        status, _headers, body = self.request(path)
        assert status == 200, (path, status)
        return body.decode("utf-8")

    def stop(self, sig: int = signal.SIGINT) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                return self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise
        return self.process.returncode


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


@pytest.fixture
def server_factory() -> Iterator[Any]:
    started: list[Server] = []

    def start(site: Path, *extra: str, jekyll_env: str | None = None) -> Server:
        server = Server(site, *extra, jekyll_env=jekyll_env)
        started.append(server)
        return server

    yield start
    for server in started:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


class Socket:
    """A live reload client: messages from the server, read in a background loop."""

    def __init__(self, port: int) -> None:
        self.messages: list[dict[str, Any]] = []
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, args=(port,), daemon=True)
        self._thread.start()
        assert self._ready.wait(10), "the live reload socket did not connect"

    def _run(self, port: int) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._main(port))

    async def _main(self, port: int) -> None:
        import aiohttp

        self._stop = asyncio.Event()
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(f"http://127.0.0.1:{port}/livereload") as socket,
        ):
            reader = asyncio.ensure_future(self._read(socket))
            await self._stop.wait()
            reader.cancel()

    async def _read(self, socket: Any) -> None:
        async for message in socket:
            self.messages.append(json.loads(message.data))
            self._ready.set()

    def wait_for(self, kind: str, *, after: int = 0, timeout: float = 20) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages[after:]:
                if message["type"] == kind:
                    return message
            time.sleep(0.01)
        raise AssertionError(f"no {kind!r} message; got {self.messages}")

    def close(self) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(5)
