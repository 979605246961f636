"""Watching, rebuilding and live reload messages, against the real server process."""

from __future__ import annotations

import signal
import socket as socket_module
import time
from pathlib import Path
from typing import Any

from watchfiles import Change

from .conftest import Server, Socket, write


def test_edit_reload_css_error_and_config(site: Path, server_factory: Any) -> None:
    server = server_factory(site, "-l", "--livereload-port", "0")
    assert server.livereload_port and server.livereload_port != server.port
    socket = Socket(server.livereload_port)
    try:
        hello = socket.wait_for("hello")
        assert hello["error"] is None
        page = server.get_text("/")
        assert "data-pykyll-livereload" in page
        assert f"PORT = {server.livereload_port}, BUILD = {hello['build']}," in page

        # a page edit: rebuild, then "reload"
        seen = len(socket.messages)
        write(
            site / "index.md",
            "---\nlayout: default\ntitle: Home\n---\n# Hello\n\nSecond version.\n",
        )
        reload = socket.wait_for("reload", after=seen)
        assert reload["build"] == hello["build"] + 1
        assert "Second version." in server.get_text("/")

        # a stylesheet edit: "css" (swap without reload)
        seen = len(socket.messages)
        write(site / "css" / "site.css", "body { color: rgb(0, 0, 255); } /* v2 */\n")
        socket.wait_for("css", after=seen)
        assert "0, 0, 255" in server.get_text("/css/site.css")

        # a broken template: the error line in the terminal, "error", the overlay; old site kept
        seen = len(socket.messages)
        write(
            site / "_layouts" / "default.html",
            "<html><head></head><body>\n{% include nope.html %}\n</body></html>\n",
        )
        error = socket.wait_for("error", after=seen)
        assert "_layouts/default.html:2:" in error["message"]
        line = server.wait_for_line(r"Error: .*_layouts/default\.html:2: ", stream="err")
        assert error["message"] in line.string
        status, _, body = server.request("/")
        assert status == 200 and b'id="pykyll-error-overlay"' in body and b"Second version." in body

        # fixed: "reload", no overlay
        seen = len(socket.messages)
        write(
            site / "_layouts" / "default.html",
            "<html><head></head><body>{{ content }} fixed</body></html>\n",
        )
        socket.wait_for("reload", after=seen)
        page = server.get_text("/")
        assert "fixed" in page and 'id="pykyll-error-overlay"' not in page

        # _config.yml: reloaded without a restart
        seen = len(socket.messages)
        write(
            site / "_layouts" / "default.html",
            "<html><head></head><body>{{ site.title }}</body></html>\n",
        )
        socket.wait_for("reload", after=seen)
        seen = len(socket.messages)
        write(site / "_config.yml", "title: Renamed site\nbaseurl: /v2\n")
        socket.wait_for("reload", after=seen)
        assert "Renamed site" in server.get_text("/v2/")
        assert server.request("/")[0] == 302

        # editor temporary files and the destination never trigger a build
        seen = len(socket.messages)
        write(site / ".index.md.swp", "x")
        write(site / "index.md~", "x")
        write(site / "4913", "x")
        write(site / "_site" / "stray.html", "x")
        write(site / ".jekyll-cache" / "x", "x")
        time.sleep(1.0)
        assert socket.messages[seen:] == []
    finally:
        socket.close()
    assert server.stop(signal.SIGTERM) == 0
    assert any("Shutting down" in line for line in server.out)


def test_bursts_are_debounced_and_sigint_stops(site: Path, server_factory: Any) -> None:
    server = server_factory(site, "-l", "--livereload-port", "0")
    socket = Socket(server.livereload_port)
    try:
        socket.wait_for("hello")
        seen = len(socket.messages)
        for i in range(8):
            write(site / f"page{i}.md", f"---\nlayout: default\n---\nPage {i}\n")
        socket.wait_for("reload", after=seen)
        time.sleep(0.8)
        reloads = [m for m in socket.messages[seen:] if m["type"] == "reload"]
        assert len(reloads) == 1
        assert sum("Regenerating:" in line for line in server.out) == 1
        for i in range(8):
            assert f"Page {i}" in server.get_text(f"/page{i}.html")
    finally:
        socket.close()
    assert server.stop(signal.SIGINT) == 0


def test_no_watch_and_livereload_on_the_http_port(site: Path, server_factory: Any) -> None:
    with socket_module.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = Server(site, "--no-watch", "-l", "--livereload-port", str(port), "-P", str(port))
    try:
        assert server.port == port and server.livereload_port == port
        assert any("Auto-regeneration: disabled" in line for line in server.out)
        socket = Socket(port)
        socket.wait_for("hello")
        socket.close()
        write(site / "index.md", "---\nlayout: default\n---\nChanged\n")
        time.sleep(0.6)
        assert "Changed" not in server.get_text("/")
    finally:
        assert server.stop() == 0


def test_production_keeps_site_url(site: Path, server_factory: Any) -> None:
    write(site / "_config.yml", "title: T\nurl: https://example.org\n")
    server = server_factory(site, "--no-watch", jekyll_env="production")
    assert "https://example.org" in server.get_text("/")
    assert server.stop() == 0


def test_source_filter(tmp_path: Path) -> None:
    from pykyll.server.watch import SourceFilter

    source = tmp_path / "src"
    keep = SourceFilter(
        source,
        source / "_site",
        exclude=["vendor/bundle/", "*.log", "drafts-private"],
        always=[tmp_path / "outside.yml"],
    )
    added = Change.added
    for wanted in ("index.md", "_posts/2020-01-01-a.md", "_layouts/x.html", "assets/a.scss"):
        assert keep(added, str(source / wanted)), wanted
    assert keep(added, str(tmp_path / "outside.yml"))
    for ignored in (
        "_site/index.html",
        "._site.new-abc123/index.html",
        "._site.old-42",
        ".git/HEAD",
        ".jekyll-cache/x",
        ".pykyll-cache/y",
        ".sass-cache/z",
        "notes.md.swp",
        ".notes.md.swx",
        "notes.md~",
        ".#notes.md",
        "#notes.md#",
        "4913",
        "a.md.___jb_tmp___",
        "vendor/bundle/gem.rb",
        "debug.log",
        "drafts-private/x.md",
    ):
        assert not keep(added, str(source / ignored)), ignored
    assert not keep(added, str(tmp_path / "elsewhere.md"))
