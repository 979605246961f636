"""`pykyll serve` under attack and load, on 127.0.0.1 only.

* path traversal in every encoding never reaches a file outside the destination;
* 200 concurrent clients fetching pages while rebuilds (incremental and full) run get only
  complete pages of one version, and no errors;
* oversized headers and bodies are refused, and slow clients do not hold up the others.

The load test prints its figures (`requests served`, `errors`, `rebuilds`) on one line.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
import threading
import time
from pathlib import Path
from typing import Any

import aiohttp

from .conftest import LAYOUT, Server, write

SECRET = "TOPSECRET-outside-the-destination"


def raw_request(port: int, request: bytes, *, timeout: float = 10) -> tuple[int, bytes]:
    """Send bytes as they are (no client-side normalizing); the status and the body."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        # refused before the whole request was sent: read the answer all the same
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.sendall(request)
        data = b""
        while True:
            head, found, body = data.partition(b"\r\n\r\n")
            length = re.search(rb"(?im)^content-length: *(\d+)", head)
            if found and length and len(body) >= int(length.group(1)):
                break  # the whole response: do not wait for the server to close
            try:
                chunk = connection.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = re.match(rb"HTTP/1\.[01] (\d{3})", head)
    return (int(status.group(1)) if status else 0), body


def get(port: int, target: str) -> tuple[int, bytes]:
    request = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    return raw_request(port, request.encode("latin-1"))


TRAVERSALS = [
    "/../secret.txt",
    "/../../secret.txt",
    "/./../secret.txt",
    "/css/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/.%2e/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/..%2fsecret.txt",
    "/..%2Fsecret.txt",
    "/css/%2e%2e/%2e%2e/secret.txt",
    "/%252e%252e/secret.txt",
    "/%252e%252e%252fsecret.txt",
    "/..%5csecret.txt",
    "/..%5c..%5csecret.txt",
    "/..\\secret.txt",
    "/css\\..\\..\\secret.txt",
    "/%2e%2e%5csecret.txt",
    "/..%c0%afsecret.txt",
    "/%c0%ae%c0%ae/secret.txt",
    "/%u002e%u002e/secret.txt",
    "/..;/secret.txt",
    "/.%00./secret.txt",
    "/%00../secret.txt",
    "/secret.txt%00.html",
    "/../secret.txt%00",
    "//secret.txt",
    "//../secret.txt",
    "/%2f..%2fsecret.txt",
    "/%2f%2e%2e%2fsecret.txt",
    "/site/../secret.txt",
    "/..%00/secret.txt",
    "/link-out.txt",
    "/link-dir/secret.txt",
    "http://127.0.0.1/../secret.txt",
    "*",
]
ABSOLUTE = ["/etc/passwd", "//etc/passwd", "/%2fetc%2fpasswd", "/../../../../../../etc/passwd"]


def test_path_traversal_never_leaves_the_destination(site: Path, server_factory: Any) -> None:
    write(site.parent / "secret.txt", SECRET + "\n")
    server: Server = server_factory(site, "--no-watch")
    dest = site / "_site"
    (dest / "link-out.txt").symlink_to(site.parent / "secret.txt")
    (dest / "link-dir").symlink_to(site.parent)
    passwd = Path("/etc/passwd").read_bytes()[:32] if Path("/etc/passwd").exists() else b"root:"
    statuses: dict[str, int] = {}
    for target in TRAVERSALS + ABSOLUTE:
        status, body = get(server.port, target)
        statuses[target] = status
        assert SECRET.encode() not in body, target
        assert passwd not in body, target
        assert b"title: Serve test" not in body, target  # the source's _config.yml
        assert status in (400, 403, 404), (target, status)
    assert server.request("/about.html")[0] == 200  # and it still serves
    print("\ntraversal attempts:", len(statuses), "refused:", sorted(set(statuses.values())))


def test_oversized_and_slow_requests_are_bounded(site: Path, server_factory: Any) -> None:
    server: Server = server_factory(site, "--no-watch")
    port = server.port
    # a 100 KB header line, and 2000 headers
    huge = b"GET /about.html HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n"
    assert raw_request(port, huge)[0] in (400, 413, 431)
    many = b"".join(b"X-H%d: v\r\n" % i for i in range(2000))
    assert raw_request(port, b"GET / HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")[0] in (400, 431)
    long_url = b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    assert raw_request(port, long_url)[0] in (400, 414)
    # a 10 MB body, and a body announced as 10 GB that never comes: refused at once
    started = time.monotonic()
    body = b"x" * 10_000_000
    post = b"POST /about.html HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body)
    assert raw_request(port, post + body)[0] in (405, 413)
    liar = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000000\r\nConnection: close\r\n\r\n"
    assert raw_request(port, liar, timeout=5)[0] in (405, 413)
    assert time.monotonic() - started < 10
    # 50 slow clients dribbling half a request do not hold up a normal one
    slow = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(50)]
    try:
        for connection in slow:
            connection.sendall(b"GET /about.html HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        started = time.monotonic()
        for _ in range(20):
            assert server.request("/about.html")[0] == 200
        assert time.monotonic() - started < 5
        for connection in slow:
            connection.sendall(b"y\r\n\r\n")  # they are then answered normally
        answered = sum(b" 200 " in connection.recv(100) for connection in slow)
        assert answered == 50
    finally:
        for connection in slow:
            connection.close()
    assert server.process.poll() is None


# -- load ----------------------------------------------------------------------------------

CLIENTS = 200
REQUESTS_PER_CLIENT = 12
PATHS = ["/long.html", "/", "/about.html", "/css/site.css", "/long"]


def long_page(version: int) -> str:
    body = "\n\n".join(f"Paragraph {i} of version {version}." for i in range(200))
    return f"---\nlayout: default\ntitle: Long\n---\n{body}\n"


def css(version: int) -> str:
    return f"body {{ color: rgb({version}, 0, 0); }}\n" + f"/* {version} */\n" * 2000


def layout(version: int) -> str:
    return LAYOUT.replace("</body>", f'<p class="layout">L{version}</p></body>')


def complete(path: str, body: bytes) -> str | None:
    """Why `body` is not one whole version of the page, or None if it is."""
    if path == "/css/site.css":
        versions = re.findall(rb"rgb\((\d+), 0, 0\)", body)
        if len(versions) != 1 or body != css(int(versions[0])).encode():
            return "css is not one whole version"
        return None
    text = body.decode("utf-8")
    if not text.rstrip().endswith("</html>") or text.count("</html>") != 1:
        return "html cut short"
    if len(re.findall(r'<p class="layout">L\d+</p>', text)) > 1:
        return "two layouts"
    if path in ("/long.html", "/long"):
        found = re.findall(r"Paragraph (\d+) of version (\d+)\.", text)
        if [int(i) for i, _ in found] != list(range(200)) or len({v for _, v in found}) != 1:
            return "long page not one whole version"
    return None


async def hammer(port: int, stop_after: float) -> dict[str, Any]:
    counts: dict[str, Any] = {"requests": 0, "errors": 0, "problems": []}
    deadline = time.monotonic() + stop_after
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def client(number: int) -> None:
            i = 0
            while i < REQUESTS_PER_CLIENT or time.monotonic() < deadline:
                i += 1
                path = PATHS[(number + i) % len(PATHS)]
                try:
                    async with session.get(f"http://127.0.0.1:{port}{path}") as response:
                        body = await response.read()
                        counts["requests"] += 1
                        problem = (
                            f"status {response.status}" if response.status != 200 else None
                        ) or complete(path, body)
                except (TimeoutError, aiohttp.ClientError) as err:
                    counts["requests"] += 1
                    problem = f"{type(err).__name__}: {err}"
                if problem is not None:
                    counts["errors"] += 1
                    counts["problems"].append((path, problem))
                await asyncio.sleep(0.01 * (number % 5))

        await asyncio.gather(*(client(n) for n in range(CLIENTS)))
    return counts


def test_200_clients_during_rebuilds_get_only_complete_pages(
    site: Path, server_factory: Any
) -> None:
    write(site / "long.md", long_page(0))
    write(site / "css" / "site.css", css(0))
    write(site / "_layouts" / "default.html", layout(0))
    server: Server = server_factory(site)
    assert complete("/long.html", server.request("/long.html")[2]) is None

    stop = threading.Event()
    edits = {"count": 0}

    def save(path: Path, text: str) -> None:
        """As an editor saves: a whole new file renamed over the old one (a file caught
        half-written by the watcher would be built as it is, by Jekyll too)."""
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)

    def churn() -> None:
        version = 0
        while not stop.is_set():
            version += 1
            save(site / "long.md", long_page(version))  # an incremental rebuild
            if version % 2 == 0:
                save(site / "_layouts" / "default.html", layout(version))  # a full build
                save(site / "css" / "site.css", css(version))
            edits["count"] = version
            stop.wait(0.25)

    editor = threading.Thread(target=churn, daemon=True)
    started = time.monotonic()
    editor.start()
    try:
        counts = asyncio.run(hammer(server.port, stop_after=8))
    finally:
        stop.set()
        editor.join()
    elapsed = time.monotonic() - started
    final = edits["count"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the last edit is served once rebuilt
        if f"of version {final}.".encode() in server.request("/long.html")[2]:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the last edit was never served")
    rebuilds = sum("Regenerating:" in line for line in server.out)
    full = sum("done in" in line and "incremental" not in line for line in server.out)
    print(
        f"\nload: {CLIENTS} clients, {counts['requests']} requests served, "
        f"{counts['errors']} errors, {final} edits, {rebuilds} rebuilds "
        f"({full} lines of full builds) in {elapsed:.1f} s"
    )
    assert counts["errors"] == 0, counts["problems"][:10]
    assert counts["requests"] >= CLIENTS * 3
    assert rebuilds >= 3
    assert not [line for line in server.err if "Traceback" in line], server.err


def test_the_completeness_check_catches_broken_pages() -> None:
    """The load test's check is not vacuous: a cut or mixed page is caught."""
    from pykyll.markdown import to_html

    body = to_html(long_page(3).split("---\n", 2)[2])
    page = layout(3).replace("{{ content }}", body).replace("{{ page.title }}", "Long")
    assert complete("/long.html", page.encode()) is None
    assert complete("/long.html", page.encode()[: len(page) // 2]) == "html cut short"
    mixed = page.replace("Paragraph 150 of version 3", "Paragraph 150 of version 4")
    assert complete("/long.html", mixed.encode()) == "long page not one whole version"
    assert complete("/css/site.css", css(2).encode()) is None
    assert complete("/css/site.css", css(2).encode()[:-10]) is not None
