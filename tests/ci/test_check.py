"""`pykyll check`: links, anchors, images, scripts, stylesheets and baseurl mistakes of the
built site, named by source file and line; external links listed, fetched only on request
(here from a server on 127.0.0.1)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from pykyll.checker import Checker

from .sites import page, write_site

Run = Callable[..., tuple[int, str, str]]

LAYOUT = """\
<!doctype html>
<html>
<head>
<link rel="stylesheet" href="{{ '/assets/main.css' | relative_url }}">
<script src="{{ '/assets/site.js' | relative_url }}"></script>
</head>
<body>
<a href="{{ '/' | relative_url }}">Home</a>
{{ content }}
</body>
</html>
"""


def clean_files(**extra: str) -> dict[str, str]:
    return {
        "_layouts/default.html": LAYOUT,
        "assets/main.css": "body {}\n",
        "assets/site.js": "// js\n",
        "assets/me.png": "png",
        "about.md": page("## Team\n\nThe team.\n", title="About", permalink="/about/"),
        "index.md": page(
            "# Home\n\nSee [the team]({{ '/about/' | relative_url }}#team), [top](#home),\n"
            "![me]({{ '/assets/me.png' | relative_url }}) and [a file](assets/site.js).\n"
        ),
        **extra,
    }


def test_clean_site_passes(tmp_path: Path, run: Run) -> None:
    site = write_site(tmp_path, clean_files())
    code, out, err = run(site, "check")
    assert code == 0, out + err
    assert "Checked 2 pages: no problems." in out
    assert (site / "_site" / "index.html").is_file(), "check builds first"


def test_clean_site_under_a_baseurl(tmp_path: Path, run: Run) -> None:
    site = write_site(tmp_path, clean_files())
    code, out, err = run(site, "check", "--baseurl", "/blog")
    assert code == 0, out + err


def test_broken_link(tmp_path: Path, run: Run) -> None:
    extra = {"post.md": page("One\n\nSee [the list](/lists/) here.\n", title="Post")}
    site = write_site(tmp_path, clean_files(**extra))
    code, out, _err = run(site, "check", github=True)
    assert code == 1
    assert "post.md:7 (post.html:10): broken link: /lists/ leads nowhere" in out
    assert "::error file=post.md,line=7,title=Broken link::/lists/ leads nowhere" in out


def test_missing_anchor(tmp_path: Path, run: Run) -> None:
    extra = {"post.md": page("One\n\n[staff]({{ '/about/' | relative_url }}#staff)\n")}
    site = write_site(tmp_path, clean_files(**extra))
    code, out, _err = run(site, "check")
    assert code == 1
    assert "post.md:7 (post.html:10): missing anchor: /about/#staff: no id 'staff' in " in out
    # an anchor on the same page
    site = write_site(tmp_path, clean_files(**{"post.md": page("# Top\n\n[x](#nothing)\n")}))
    code, out, _err = run(site, "check")
    assert code == 1
    assert "post.md:7 (post.html:10): missing anchor: #nothing: no id 'nothing' in post.html" in out


def test_missing_image_script_and_stylesheet_in_a_layout(tmp_path: Path, run: Run) -> None:
    site = write_site(tmp_path, clean_files())
    for name in ("main.css", "site.js", "me.png"):
        (site / "assets" / name).unlink()
    code, out, _err = run(site, "check")
    assert code == 1
    assert (
        "_layouts/default.html:4 (about/index.html:4): missing stylesheet: "
        "/assets/main.css does not exist (and on 1 more page)"
    ) in out
    assert "_layouts/default.html:5 (about/index.html:5): missing script: /assets/site.js" in out
    assert "index.md:8 (index.html:11): missing image: /assets/me.png does not exist" in out


def test_baseurl_mistake(tmp_path: Path, run: Run) -> None:
    extra = {"post.md": page("[About](/about/)\n", title="Post")}
    site = write_site(tmp_path, clean_files(**extra))
    assert run(site, "check")[0] == 0, "fine without a baseurl"
    code, out, _err = run(site, "check", "--baseurl", "/blog")
    assert code == 1
    assert (
        "post.md:5 (post.html:9): baseurl mistake: /about/ is outside the baseurl /blog "
        "(write /blog/about/, e.g. with the relative_url filter)"
    ) in out


def test_json_report(tmp_path: Path, run: Run) -> None:
    extra = {"post.md": page("[x](/nowhere/) [y](https://example.com/page)\n", title="P")}
    site = write_site(tmp_path, clean_files(**extra))
    code, out, err = run(site, "check", "--format", "json")
    assert code == 1
    report = json.loads(out)  # nothing else on stdout: the build's log went to stderr
    assert "Generating..." in err
    assert report["ok"] is False
    assert report["problems"] == [
        {
            "kind": "link",
            "url": "/nowhere/",
            "message": "/nowhere/ leads nowhere",
            "page": "post.html",
            "line": 9,
            "source": "post.md",
            "source_line": 5,
            "title": "broken link",
        }
    ]
    assert report["external"] == [
        {"url": "https://example.com/page", "pages": ["post.html"], "status": None}
    ]


def test_skip_build(tmp_path: Path, run: Run) -> None:
    site = write_site(tmp_path, clean_files())
    code, _out, err = run(site, "check", "--skip-build")
    assert code == 1
    assert "There is no built site at" in err
    assert run(site, "build")[0] == 0
    (site / "_site" / "assets" / "me.png").unlink()
    code, out, _err = run(site, "check", "--skip-build")
    assert code == 1
    assert "missing image: /assets/me.png" in out


class _Handler(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def _answer(self, body: bool) -> None:
        type(self).requests.append(f"{self.command} {self.path}")
        if self.path == "/ok":
            status = 200
        elif self.path == "/head-refused":
            status = 405 if self.command == "HEAD" else 200
        else:
            status = 404
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:
        self._answer(False)

    def do_GET(self) -> None:
        self._answer(True)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_external_links_listed_then_fetched(tmp_path: Path, run: Run, server: str) -> None:
    body = f"[a]({server}/ok) [b]({server}/gone) [c]({server}/head-refused)\n"
    site = write_site(tmp_path, clean_files(**{"post.md": page(body, title="P")}))
    code, out, _err = run(site, "check")
    assert code == 0, out
    assert "External links (3):" in out
    assert _Handler.requests == [], "not fetched without --external"
    code, out, _err = run(site, "check", "--skip-build", "--external", "--timeout", "2")
    assert code == 1
    assert f"post.md:5 (post.html:9): broken external link: {server}/gone answered 404" in out
    assert f"{server}/ok [200]" in out
    assert f"{server}/head-refused [200]" in out
    assert sorted(_Handler.requests) == [
        "GET /head-refused",
        "HEAD /gone",
        "HEAD /head-refused",
        "HEAD /ok",
    ]


def test_links_into_the_site_by_its_url_are_internal(tmp_path: Path) -> None:
    (tmp_path / "blog").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="https://example.org/blog/">in</a>\n'
        '<a href="https://example.org/blog/gone.html">gone</a>\n'
        '<a href="https://example.org/other/">another site on the host</a>\n'
        '<a href="mailto:me@example.org">mail</a> <a href="#">top</a>\n'
        '<img srcset="a.png 1x, missing.png 2x"><img src="data:image/png;base64,AA==">\n'
    )
    (tmp_path / "a.png").write_text("png")
    report = Checker(tmp_path, baseurl="/blog", url="https://example.org").run()
    assert [(p.kind, p.url, p.line) for p in report.problems] == [
        ("link", "https://example.org/blog/gone.html", 2),
        ("image", "missing.png", 5),
    ]
    assert list(report.external) == ["https://example.org/other/"]
