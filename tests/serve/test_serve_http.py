"""The HTTP side of `pykyll serve`, against the real server over real sockets."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest

from pykyll.server.app import BadPath, content_type, decode_segments
from pykyll.server.livereload import inject

from .conftest import Server, make_site


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("http")
    (root / "secret.txt").write_text("TOP SECRET\n")
    site = make_site(root)
    server = Server(site, "--baseurl", "/blog", "--no-watch")
    # a symlink inside the destination that points outside it must not be followed
    os.symlink(root / "secret.txt", site / "_site" / "escape.txt")
    os.symlink(root, site / "_site" / "escape-dir")
    yield server
    assert server.stop() == 0


def test_pages_under_baseurl(served: Server) -> None:
    status, headers, body = served.request("/blog/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert "no-store" in headers["cache-control"] and "no-cache" in headers["cache-control"]
    text = body.decode()
    assert "First version." in text
    # development: site.url is the server's address (127.0.0.1 shown as localhost, as Jekyll)
    assert f"http://localhost:{served.port}" in text
    assert 'href="/blog/css/site.css"' in text


def test_root_redirects_to_baseurl_and_outside_is_404(served: Server) -> None:
    status, headers, _ = served.request("/")
    assert status == 302 and headers["location"] == "/blog/"
    status, _, body = served.request("/about.html")
    assert status == 404 and b"Custom 404" in body


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/blog/css/site.css", "text/css; charset=utf-8"),
        ("/blog/data.json", "application/json; charset=utf-8"),
        ("/blog/pixel.png", "image/png"),
        ("/blog/about.html", "text/html; charset=utf-8"),
    ],
)
def test_mime_types(served: Server, path: str, expected: str) -> None:
    status, headers, _ = served.request(path)
    assert status == 200
    assert headers["content-type"] == expected
    assert "no-store" in headers["cache-control"]


def test_extensionless_and_directory_index(served: Server) -> None:
    assert "About page." in served.get_text("/blog/about")
    status, headers, _ = served.request("/blog/docs")
    assert status == 301 and headers["location"] == "/blog/docs/"
    assert "docs" in served.get_text("/blog/docs/")


def test_custom_404_and_no_listing(served: Server) -> None:
    for path in ("/blog/missing", "/blog/css/", "/blog/missing/deeper/"):
        status, headers, body = served.request(path)
        assert status == 404, path
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert b"Custom 404" in body
        assert b"site.css</a>" not in body


def test_head_and_methods(served: Server) -> None:
    status, headers, body = served.request("/blog/", "HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0
    status, headers, _ = served.request("/blog/", "POST")
    assert status == 405 and headers["allow"] == "GET, HEAD"


TRAVERSALS = [
    "/blog/../secret.txt",
    "/blog/../../secret.txt",
    "/blog/%2e%2e/secret.txt",
    "/blog/%2E%2E/%2E%2E/secret.txt",
    "/blog/..%2fsecret.txt",
    "/blog/%2e%2e%2fsecret.txt",
    "/blog/%2e%2e%5csecret.txt",
    "/blog/..\\secret.txt",
    "/blog/%252e%252e/secret.txt",
    "/blog/%c0%ae%c0%ae/secret.txt",
    "/blog/%e0%80%ae%e0%80%ae/secret.txt",
    "/blog/./../secret.txt",
    "/blog/%00/../secret.txt",
    "/blog/index.html%00.txt",
    "/blog//../secret.txt",
    "/blog/escape.txt",
    "/blog/escape-dir/secret.txt",
    "/blog/escape-dir/",
    "/blog/%2fetc%2fpasswd",
    "//etc/passwd",
    "/blog/" + "%2e%2e/" * 12 + "etc/passwd",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_nothing_outside_the_destination(served: Server, path: str) -> None:
    status, _, body = served.request(path)
    assert status in (400, 403, 404), (path, status)
    assert b"TOP SECRET" not in body and b"root:" not in body


def test_decode_segments() -> None:
    assert decode_segments("/a/b%20c/") == (["a", "b c"], True)
    assert decode_segments("/caf%C3%A9?x=1") == (["café"], False)
    for bad, status in [("/%2e%2e/x", 403), ("/a%2fb", 403), ("/%ff", 400), ("/a%00", 400)]:
        with pytest.raises(BadPath) as caught:
            decode_segments(bad)
        assert caught.value.status == status


def test_content_types() -> None:
    assert content_type("a.svg") == "image/svg+xml; charset=utf-8"
    assert content_type("a.woff2") == "font/woff2"
    assert content_type("a.js") == "text/javascript; charset=utf-8"
    assert content_type("feed.xml") == "application/xml; charset=utf-8"
    assert content_type("noext") == "application/octet-stream"


def test_injection_after_first_head_tag() -> None:
    page = b"<html><HEAD lang='x'><header>h</header></head><body>b</body></html>"
    out = inject(page, script="<script>S</script>", overlay="<pre>E</pre>")
    assert out == (
        b"<html><HEAD lang='x'><script>S</script><header>h</header></head>"
        b"<body>b<pre>E</pre></body></html>"
    )
    assert inject(b"<p>no head</p>", script="<script>S</script>", overlay=None) == b"<p>no head</p>"
    assert re.search(rb"<header>", inject(b"<header>x", script="S", overlay=None))
