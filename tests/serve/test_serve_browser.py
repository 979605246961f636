"""Live reload end to end in Chromium (Debian's `/usr/bin/chromium`, driven by Playwright).

Skipped when Chromium or the `playwright` package is missing (never `playwright install`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import CHROMIUM, chromium

from .conftest import write

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")


@pytest.fixture
def browser_page() -> Iterator[Any]:
    with chromium(sync_api) as browser:
        page = browser.new_page(viewport={"width": 800, "height": 600})
        page.set_default_timeout(15_000)
        yield page


def connected(page: Any) -> None:
    page.wait_for_function("window.__pykyllLiveReload && window.__pykyllLiveReload.ready()")


def test_save_reload_overlay_fix(site: Path, server_factory: Any, browser_page: Any) -> None:
    server = server_factory(site, "-l", "--livereload-port", "0")
    page = browser_page
    page.goto(f"http://127.0.0.1:{server.port}/long.html")
    connected(page)

    # save a page: the browser reloads it, at the same scroll position
    page.evaluate("window.scrollTo(0, 1500)")
    page.wait_for_function("window.scrollY >= 1400")
    text = (site / "long.md").read_text().replace("Paragraph 0 of", "Paragraph zero, edited, of")
    write(site / "long.md", text)
    page.wait_for_function("document.body.innerText.includes('Paragraph zero, edited')")
    connected(page)
    page.wait_for_function("window.scrollY >= 1400")

    # save a stylesheet: swapped in place, no reload (the marker survives)
    page.evaluate("window.notReloaded = true")
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(255, 0, 0)"
    write(site / "css" / "site.css", "body { color: rgb(0, 0, 255); } /* blue */\n")
    page.wait_for_function("getComputedStyle(document.body).color === 'rgb(0, 0, 255)'")
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.querySelectorAll('link[rel=stylesheet]').length") == 1

    # save a broken template: the overlay shows the build error, with file and line
    layout = (site / "_layouts" / "default.html").read_text()
    write(
        site / "_layouts" / "default.html",
        layout.replace("<body>", "<body>\n{% include nope.html %}"),
    )
    overlay = page.wait_for_selector("#pykyll-error-overlay")
    assert overlay is not None
    assert "_layouts/default.html:5:" in overlay.inner_text()
    assert "nope.html" in overlay.inner_text()
    # a page opened now shows the overlay too
    other = page.context.browser.new_page()
    other.goto(f"http://127.0.0.1:{server.port}/about.html")
    assert other.wait_for_selector("#pykyll-error-overlay") is not None
    other.close()

    # fix it: the page comes back, without the overlay
    write(
        site / "_layouts" / "default.html", layout.replace("<body>", "<body><p id='fixed'>ok</p>")
    )
    page.wait_for_selector("#fixed")
    assert page.query_selector("#pykyll-error-overlay") is None
    assert "Paragraph zero, edited" in page.inner_text("body")
