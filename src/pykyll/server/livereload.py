"""Live reload: a WebSocket hub, the script injected into HTML pages and the error overlay.

Every HTML response gets a small script right after its first `<head…>` tag (as Jekyll
does; a page without `<head>` never reloads). The script connects to the hub and obeys
four messages, all JSON objects with a `type`:

* `hello` (sent on connect): the current build number and error; a page served by an
  older build reloads at once, so an edit made while the page loaded is not missed;
* `reload`: the site changed; reload, keeping the scroll position;
* `css`: only stylesheets changed; swap them in place without a reload;
* `error`: the last build failed; show the overlay (until the next good build reloads).

While the last build failed, HTML responses also carry the overlay itself, so the error
is visible even without `--livereload` and before the script has connected.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

#: the first `<head>` or `<head attr…>` tag (never `<header>`)
HEAD_TAG = re.compile(rb"<head(?:\s[^>]*)?>", re.IGNORECASE)
BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)

OVERLAY_ID = "pykyll-error-overlay"

OVERLAY_STYLE = (
    "position:fixed;inset:0;z-index:2147483647;margin:0;padding:2rem;overflow:auto;"
    "background:rgba(20,20,24,.94);color:#ffd7d7;font:14px/1.5 ui-monospace,monospace;"
    "white-space:pre-wrap;text-align:left"
)

_SCRIPT = """<script data-pykyll-livereload>(function () {
  var PORT = %(port)d, BUILD = %(build)d, PATH = %(path)s, ID = %(overlay_id)s;
  var STYLE = %(style)s, KEY = "pykyll-scroll:" + location.pathname;
  try {
    var saved = sessionStorage.getItem(KEY);
    if (saved) {
      sessionStorage.removeItem(KEY);
      var xy = JSON.parse(saved);
      var restore = function () { window.scrollTo(xy[0], xy[1]); };
      if (document.readyState === "complete") restore();
      else window.addEventListener("load", restore);
    }
  } catch (e) {}
  function reload() {
    try { sessionStorage.setItem(KEY, JSON.stringify([window.scrollX, window.scrollY])); }
    catch (e) {}
    location.reload();
  }
  function swapStylesheets() {
    var links = document.querySelectorAll('link[rel~="stylesheet"][href]');
    Array.prototype.forEach.call(links, function (old) {
      var url = new URL(old.getAttribute("href"), location.href);
      if (url.host !== location.host) return;
      url.searchParams.set("pykyll-reload", String(Date.now()));
      var link = old.cloneNode();
      link.href = url.href;
      link.onload = link.onerror = function () { old.remove(); };
      old.after(link);
    });
  }
  function showError(message) {
    var box = document.getElementById(ID);
    if (!box) {
      box = document.createElement("pre");
      box.id = ID;
      box.setAttribute("style", STYLE);
      (document.body || document.documentElement).appendChild(box);
    }
    box.textContent = "pykyll: the last build failed\\n\\n" + message +
      "\\n\\nThe page reloads when the next build succeeds.";
  }
  function clearError() {
    var box = document.getElementById(ID);
    if (box) box.remove();
  }
  var delay = 500, ready = false;
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + (location.hostname || "localhost") + ":" + PORT + PATH);
    socket.onopen = function () { delay = 500; };
    socket.onmessage = function (event) {
      var msg = JSON.parse(event.data);
      if (msg.type === "hello") {
        if (msg.build !== BUILD) return reload();
        if (msg.error) showError(msg.error); else clearError();
        ready = true;
      } else if (msg.type === "reload") {
        reload();
      } else if (msg.type === "css") {
        BUILD = msg.build;
        clearError();
        swapStylesheets();
      } else if (msg.type === "error") {
        showError(msg.message);
      }
    };
    socket.onclose = function () {
      ready = false;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5000);
    };
  }
  window.__pykyllLiveReload = {
    build: function () { return BUILD; },
    ready: function () { return ready; }
  };
  connect();
})();</script>"""

SOCKET_PATH = "/livereload"


def livereload_script(port: int, build: int) -> str:
    return _SCRIPT % {
        "port": port,
        "build": build,
        "path": json.dumps(SOCKET_PATH),
        "overlay_id": json.dumps(OVERLAY_ID),
        "style": json.dumps(OVERLAY_STYLE),
    }


def overlay_html(message: str) -> str:
    text = html.escape(
        f"pykyll: the last build failed\n\n{message}\n\n"
        "The page reloads when the next build succeeds."
    )
    return f'<pre id="{OVERLAY_ID}" style="{OVERLAY_STYLE}">{text}</pre>'


def inject(document: bytes, *, script: str | None, overlay: str | None) -> bytes:
    """The script after the first `<head…>` tag, the overlay before `</body>`."""
    if overlay is not None:
        data = overlay.encode("utf-8")
        ends = list(BODY_END.finditer(document))
        if ends:
            at = ends[-1].start()
            document = document[:at] + data + document[at:]
        else:
            document = document + data
    if script is not None:
        head = HEAD_TAG.search(document)
        if head is not None:
            at = head.end()
            document = document[:at] + script.encode("utf-8") + document[at:]
    return document


@dataclass
class BuildState:
    """What the browser should know: the current build number and the last error."""

    build: int = 0
    error: str | None = None


class LiveReloadHub:
    """Connected pages, and the messages sent to all of them after each build."""

    def __init__(self, state: BuildState) -> None:
        self.state = state
        self._sockets: set[web.WebSocketResponse] = set()

    @property
    def clients(self) -> int:
        return len(self._sockets)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        socket = web.WebSocketResponse(heartbeat=30)
        await socket.prepare(request)
        self._sockets.add(socket)
        try:
            await socket.send_json(
                {"type": "hello", "build": self.state.build, "error": self.state.error}
            )
            async for message in socket:
                if message.type in (WSMsgType.ERROR, WSMsgType.CLOSE):
                    break
        finally:
            self._sockets.discard(socket)
        return socket

    async def broadcast(self, message: dict[str, Any]) -> None:
        if not self._sockets:
            return
        text = json.dumps(message)
        sockets = list(self._sockets)
        results = await asyncio.gather(*(s.send_str(text) for s in sockets), return_exceptions=True)
        for socket, result in zip(sockets, results, strict=True):
            if isinstance(result, BaseException):
                self._sockets.discard(socket)

    async def close(self) -> None:
        sockets = list(self._sockets)
        self._sockets.clear()
        await asyncio.gather(
            *(s.close(code=1001, message=b"server shutdown") for s in sockets),
            return_exceptions=True,
        )

    def app(self) -> web.Application:
        """The WebSocket endpoint alone, for the separate `--livereload-port`."""
        app = web.Application()
        app.router.add_get(SOCKET_PATH, self.handle)
        return app
