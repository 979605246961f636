"""The HTTP side of `pykyll serve`: the built `_site`, served the way Jekyll's WEBrick does.

* the site is mounted under `baseurl` (`/` redirects there; anything else outside it is 404);
* a folder is served by its `index.html` (Jekyll's index list), `/about` by `about.html`;
  a folder without an index is 404 (a listing only with `--show-dir-listing`);
* the site's `404.html` is the error page, with status 404;
* every response says `Cache-Control: no-store`, so a browser never shows a stale page;
* nothing outside the destination is ever served: the path is decoded once, strictly
  (UTF-8, no NUL, no backslash, no encoded `/`), `.`/`..` segments are refused, and the
  resolved file (after symlinks) must still be inside the destination;
* HTML responses get the live reload script and, after a failed build, the error overlay.
"""

from __future__ import annotations

import html
import mimetypes
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes

from aiohttp import web

from pykyll.server.livereload import (
    SOCKET_PATH,
    BuildState,
    LiveReloadHub,
    inject,
    livereload_script,
    overlay_html,
)

#: Jekyll's servlet tries these, in this order (`index.cgi` is never executed, so not listed)
INDEX_FILES = (
    "index.html",
    "index.htm",
    "index.rhtml",
    "index.xht",
    "index.xhtml",
    "index.xml",
    "index.json",
)
#: `/about` is served by `about.html` when there is no `about` (Jekyll's servlet does this)
IMPLICIT_EXTENSIONS = (".html", ".xhtml")

#: WEBrick's default in Jekyll's servlet: never cache anything while developing
CACHE_CONTROL = "private, max-age=0, proxy-revalidate, no-store, no-cache, must-revalidate"

#: the types that matter on the web, independent of the machine's /etc/mime.types
_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".rhtml": "text/html",
    ".xht": "application/xhtml+xml",
    ".xhtml": "application/xhtml+xml",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".xsl": "application/xslt+xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".csv": "text/csv",
    ".ics": "text/calendar",
    ".bib": "text/x-bibtex",
    ".yml": "text/yaml",
    ".yaml": "text/yaml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".eot": "application/vnd.ms-fontobject",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".gz": "application/gzip",
    ".wasm": "application/wasm",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".wav": "audio/wav",
}
#: Python's built-in table only (no system files), for everything else
_FALLBACK = mimetypes.MimeTypes(filenames=())
_TEXTUAL_APPLICATION = {
    "application/json",
    "application/javascript",
    "application/xml",
    "application/xhtml+xml",
    "application/xslt+xml",
    "application/manifest+json",
    "image/svg+xml",
}
HTML_TYPES = {"text/html", "application/xhtml+xml"}


def content_type(name: str, charset: str = "utf-8") -> str:
    """The Content-Type of a file, with a charset for every textual type."""
    suffix = os.path.splitext(name)[1].lower()
    kind = _TYPES.get(suffix) or _FALLBACK.guess_type("x" + suffix, strict=False)[0]
    kind = kind or "application/octet-stream"
    textual = (
        kind.startswith("text/")
        or kind in _TEXTUAL_APPLICATION
        or kind.endswith("+xml")
        or kind.endswith("+json")
    )
    return f"{kind}; charset={charset}" if textual else kind


def normalize_baseurl(baseurl: object) -> str:
    """`/blog/` → `/blog`; empty, `/` and `None` → `` (served at the root)."""
    text = str(baseurl or "").strip().strip("/")
    return "/" + text if text else ""


@dataclass
class Settings:
    """What the app serves; the server updates it when the configuration is reloaded."""

    root: Path
    baseurl: str = ""
    livereload_port: int | None = None
    show_dir_listing: bool = False
    encoding: str = "utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class BadPath(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def decode_segments(raw_path: str) -> tuple[list[str], bool]:
    """The decoded, non-empty segments of a raw URL path, and whether it ended with `/`.

    Raises BadPath(400) for anything that cannot be decoded strictly and BadPath(403) for
    any attempt to leave the folder (`.`, `..`, or a separator hidden in an escape).
    """
    path = raw_path.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/"):
        raise BadPath(400)
    segments: list[str] = []
    for raw in path.split("/"):
        if not raw:
            continue
        try:
            segment = unquote_to_bytes(raw).decode("utf-8")
        except UnicodeDecodeError as err:
            raise BadPath(400) from err
        if "\x00" in segment or any(ord(c) < 32 for c in segment):
            raise BadPath(400)
        if "/" in segment or "\\" in segment or segment in (".", ".."):
            raise BadPath(403)
        segments.append(segment)
    return segments, path.endswith("/")


def _inside(path: Path, root: Path) -> bool:
    real = os.path.realpath(path)
    real_root = os.path.realpath(root)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


class SiteApp:
    """The request handler over the destination folder."""

    def __init__(self, settings: Settings, state: BuildState, hub: LiveReloadHub) -> None:
        self.settings = settings
        self.state = state
        self.hub = hub

    # -- responses ---------------------------------------------------------------------------
    def _headers(self, kind: str | None = None) -> dict[str, str]:
        headers = {"Cache-Control": CACHE_CONTROL, **self.settings.headers}
        if kind is not None:
            headers["Content-Type"] = kind
        return headers

    def _html(self, document: bytes, status: int = 200) -> web.Response:
        port = self.settings.livereload_port
        script = livereload_script(port, self.state.build) if port is not None else None
        overlay = overlay_html(self.state.error) if self.state.error is not None else None
        body = inject(document, script=script, overlay=overlay)
        kind = f"text/html; charset={self.settings.encoding}"
        return web.Response(body=body, status=status, headers=self._headers(kind))

    def _file(self, path: Path, status: int = 200) -> web.StreamResponse:
        kind = content_type(path.name, self.settings.encoding)
        if kind.split(";", 1)[0] in HTML_TYPES:
            try:
                document = path.read_bytes()
            except OSError:
                return self._not_found()
            response = self._html(document, status)
            response.headers["Content-Type"] = kind
            return response
        return web.FileResponse(path, status=status, headers=self._headers(kind))

    def _not_found(self) -> web.StreamResponse:
        page = self.settings.root / "404.html"
        if page.is_file() and _inside(page, self.settings.root):
            try:
                return self._html(page.read_bytes(), status=404)
            except OSError:
                pass
        document = (
            b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Not Found</title></head>"
            b"<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p>"
            b"</body></html>"
        )
        return self._html(document, status=404)

    def _error(self, status: int, reason: str) -> web.Response:
        return web.Response(
            status=status,
            text=f"{status} {reason}\n",
            headers=self._headers("text/plain; charset=utf-8"),
        )

    def _listing(self, folder: Path, url_path: str) -> web.StreamResponse:
        rows = []
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            name = entry.name + ("/" if entry.is_dir() else "")
            rows.append(f'<li><a href="{html.escape(quote(name))}">{html.escape(name)}</a></li>')
        title = html.escape(f"Index of {url_path}")
        document = (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><h1>{title}</h1><ul>{''.join(rows)}</ul></body></html>"
        )
        return self._html(document.encode("utf-8"))

    # -- the handler -------------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.method not in ("GET", "HEAD"):
            response = self._error(405, "Method Not Allowed")
            response.headers["Allow"] = "GET, HEAD"
            return response
        try:
            segments, trailing = decode_segments(request.raw_path)
        except BadPath as err:
            return self._error(err.status, "Bad Request" if err.status == 400 else "Forbidden")
        base = [s for s in self.settings.baseurl.split("/") if s]
        if segments[: len(base)] != base:
            if base and not segments:
                raise web.HTTPFound(self.settings.baseurl + "/")
            return self._not_found()
        rest = segments[len(base) :]
        root = self.settings.root
        target = root.joinpath(*rest)
        if not _inside(target, root):
            return self._error(403, "Forbidden")
        if target.is_dir():
            if not trailing:
                location = request.raw_path.split("?", 1)[0] + "/"
                if request.query_string:
                    location += "?" + request.query_string
                raise web.HTTPMovedPermanently(location)
            for name in INDEX_FILES:
                index = target / name
                if index.is_file() and _inside(index, root):
                    return self._file(index)
            if self.settings.show_dir_listing:
                return self._listing(target, "/" + "/".join(segments) + "/")
            return self._not_found()
        if target.is_file():
            return self._file(target)
        if rest and not trailing:
            for extension in IMPLICIT_EXTENSIONS:
                candidate = target.with_name(target.name + extension)
                if candidate.is_file() and _inside(candidate, root):
                    return self._file(candidate)
        return self._not_found()


def make_app(
    settings: Settings, state: BuildState, hub: LiveReloadHub, *, with_socket: bool = False
) -> web.Application:
    """The site app; `with_socket` also mounts live reload on it (same port for both)."""
    app = web.Application()
    site = SiteApp(settings, state, hub)
    if with_socket:
        app.router.add_get(SOCKET_PATH, hub.handle)
    app.router.add_route("*", "/{tail:.*}", site.handle)
    return app
