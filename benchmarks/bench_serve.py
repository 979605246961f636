"""Edit-to-reload benchmark for `pykyll serve`, with Jekyll's `--watch` side by side.

    python benchmarks/bench_serve.py [--size 1000] [--edits 20] [--no-jekyll]

On a generated academic site (benchmarks/make_site.py) it starts `pykyll serve
--livereload`, connects a live reload client and, for each of `--edits` saves, measures
the time from the file write to the moment the client has the `reload` message *and* a
GET of the page returns the new text (what a browser would show). Three kinds of edit:

* `document`: a publication (a collection document listed by another page) — full rebuild;
* `page`: a standalone markdown page — the incremental path (re-rendered alone);
* `css`: the stylesheet — a `css` message (stylesheets swapped without a reload).

When `jekyll` is on PATH it also runs `jekyll build --watch` on a copy of the same site
and measures, for the same document and page edits, the time from the write until the
regenerated output file holds the new text (Jekyll has no reload signal without
`serve --livereload`; the file being written is the moment its LiveReload would fire).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_site import make_site


def _pump(stream: Any, lines: list[str]) -> None:
    for line in stream:
        lines.append(line.rstrip("\n"))


def _wait(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.002)
    raise TimeoutError(what)


def _edit(path: Path, marker: str) -> None:
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n---\n")
    body = rest.split("\n<!-- edit -->", 1)[0]
    path.write_text(f"{head}{sep}{body}\n<!-- edit -->\n\n{marker}\n", encoding="utf-8")


class LiveReloadClient:
    def __init__(self, port: int) -> None:
        self.messages: list[dict[str, Any]] = []
        self._connected = threading.Event()
        threading.Thread(target=lambda: asyncio.run(self._run(port)), daemon=True).start()
        if not self._connected.wait(20):
            raise TimeoutError("live reload connection")

    async def _run(self, port: int) -> None:
        import aiohttp

        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(f"http://127.0.0.1:{port}/livereload") as socket,
        ):
            self._connected.set()
            async for message in socket:
                self.messages.append(message.json())


def _get(port: int, path: str) -> str:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        return connection.getresponse().read().decode("utf-8", "replace")
    finally:
        connection.close()


def bench_pykyll(site: Path, edits: int) -> dict[str, list[float]]:
    command = [sys.executable, "-m", "pykyll", "serve", "-s", str(site), "-P", "0", "-l"]
    command += ["--livereload-port", "0"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("JEKYLL_ENV", None)
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    out: list[str] = []
    err: list[str] = []
    threading.Thread(target=_pump, args=(process.stdout, out), daemon=True).start()
    threading.Thread(target=_pump, args=(process.stderr, err), daemon=True).start()
    try:

        def address(label: str) -> int | None:
            for line in list(out):
                if label in line:
                    return int(line.rsplit(":", 1)[1].strip("/"))
            return None

        port = _wait(lambda: address("Server address:"), 300, "pykyll serve start")
        client = LiveReloadClient(_wait(lambda: address("LiveReload address:"), 5, "lr"))
        _wait(lambda: client.messages, 10, "hello")
        cases = {
            "document": (site / "_publications" / "paper-00007.md", "/publications/paper-00007/"),
            "page": (site / "pages" / "page-3.md", "/pages/page-3.html"),
            "css": (site / "assets" / "main.css", "/assets/main.css"),
        }
        results: dict[str, list[float]] = {}
        for kind, (path, url) in cases.items():
            times = []
            for i in range(edits):
                marker = f"edit-{kind}-{i}-{time.time_ns()}"
                seen = len(client.messages)
                started = time.perf_counter()
                if kind == "css":
                    path.write_text(f"body {{ font-family: sans-serif }} /* {marker} */\n")
                else:
                    _edit(path, marker)
                wanted = "css" if kind == "css" else "reload"
                _wait(
                    lambda seen=seen, wanted=wanted: any(
                        m.get("type") == wanted for m in client.messages[seen:]
                    ),
                    60,
                    f"{kind} message",
                )
                _wait(lambda url=url, marker=marker: marker in _get(port, url), 10, "new text")
                times.append(time.perf_counter() - started)
                time.sleep(0.15)  # let the watcher settle between saves, as a person would
            results[kind] = times
        return results
    finally:
        process.terminate()
        process.wait(30)


def bench_jekyll(site: Path, dest: Path, edits: int) -> dict[str, list[float]]:
    env = {**os.environ, "JEKYLL_NO_BUNDLER_REQUIRE": "true"}
    command = ["jekyll", "build", "--watch", "-s", str(site), "-d", str(dest)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    out: list[str] = []
    threading.Thread(target=_pump, args=(process.stdout, out), daemon=True).start()
    try:
        _wait(lambda: any("Auto-regeneration: enabled" in line for line in out), 600, "jekyll")
        time.sleep(1.0)
        cases = {
            "document": (
                site / "_publications" / "paper-00007.md",
                dest / "publications" / "paper-00007" / "index.html",
            ),
            "page": (site / "pages" / "page-3.md", dest / "pages" / "page-3.html"),
        }
        results: dict[str, list[float]] = {}
        for kind, (path, output) in cases.items():
            times = []
            for i in range(edits):
                marker = f"edit-{kind}-{i}-{time.time_ns()}"
                done_before = sum("...done in" in line for line in out)
                started = time.perf_counter()
                _edit(path, marker)

                def regenerated(output: Path = output, marker: str = marker) -> bool:
                    try:
                        return marker in output.read_text(encoding="utf-8")
                    except OSError:
                        return False

                _wait(regenerated, 120, f"jekyll {kind}")
                times.append(time.perf_counter() - started)
                _wait(lambda n=done_before: sum("...done in" in x for x in out) > n, 60, "done")
                time.sleep(0.15)
            results[kind] = times
        return results
    finally:
        process.terminate()
        process.wait(30)


def summary(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    return f"median {statistics.median(ms):8.1f} ms   min {ms[0]:8.1f}   max {ms[-1]:8.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--no-jekyll", action="store_true")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    try:
        site = work / "site"
        make_site(options.size, site)
        jekyll_site = work / "jekyll-site"
        shutil.copytree(site, jekyll_site)
        print(f"site: {options.size} documents, {options.edits} edits of each kind")
        ours = bench_pykyll(site, options.edits)
        for kind, times in ours.items():
            print(f"pykyll serve  {kind:9} edit → reload {summary(times)}")
        if not options.no_jekyll and shutil.which("jekyll"):
            theirs = bench_jekyll(jekyll_site, work / "jekyll-out", options.edits)
            for kind, times in theirs.items():
                print(f"jekyll --watch {kind:8} edit → file   {summary(times)}")
                ratio = statistics.median(times) / statistics.median(ours[kind])
                print(f"{'':15}{'':9} pykyll is {ratio:.1f}x faster")
        elif not options.no_jekyll:
            print("jekyll: not on PATH, skipped")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
