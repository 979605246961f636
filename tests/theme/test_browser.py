"""The built example site in a real browser: Debian's Chromium driven by Playwright.

The repository root (pykyll's example site, theme pykyll-academic) is built with pykyll
and served from 127.0.0.1 on a free port. At 1280 and 375 px wide the tests check where
the sidebar and the paper boxes are, that the Google Scholar numbers on the page and in
the badge are those of google-scholar-stats/gs_data.json, that nothing is requested
from any host but 127.0.0.1, that the console stays free of errors, and that text meets
WCAG AA contrast in the light and dark schemes. Screenshots go to the test's tmp_path.

Skipped when /usr/bin/chromium or the playwright package is missing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from chromium import CHROMIUM, chromium

ROOT = Path(__file__).resolve().parents[2]
STATS = json.loads((ROOT / "google-scholar-stats" / "gs_data.json").read_text(encoding="utf-8"))

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed at /usr/bin/chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory, serve_folder: Callable[[Path], str]) -> str:
    from pykyll.cli import main

    out = tmp_path_factory.mktemp("example") / "site"
    assert main(["build", "-q", "-s", str(ROOT), "-d", str(out)]) == 0
    return serve_folder(out) + "/"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium(sync_api, args=()) as browser:
        yield browser


class Visit:
    """A page loaded at one width, with every request and console problem recorded."""

    def __init__(self, browser: Any, url: str, width: int, scheme: str = "light") -> None:
        self.context = browser.new_context(
            viewport={"width": width, "height": 900}, color_scheme=scheme
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on(
            "console",
            lambda msg: (
                self.problems.append(f"console {msg.type}: {msg.text}")
                if msg.type in ("error", "warning")
                else None
            ),
        )
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on(
            "requestfailed", lambda request: self.problems.append(f"failed: {request.url}")
        )
        # Anything that is not the local server is recorded above, then refused here.
        self.page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if urlsplit(route.request.url).hostname == "127.0.0.1"
                else route.abort()
            ),
        )
        response = self.page.goto(url, wait_until="load")
        assert response is not None and response.ok

    def box(self, selector: str) -> dict[str, float]:
        element = self.page.locator(selector).first
        box = element.bounding_box()
        assert box is not None, f"{selector} is not displayed"
        return dict(box)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any, site_url: str) -> Iterator[Any]:
    visits: list[Visit] = []

    def open_page(width: int, scheme: str = "light") -> Visit:
        v = Visit(browser, site_url, width, scheme)
        visits.append(v)
        return v

    yield open_page
    for v in visits:
        v.close()


def _assert_clean(v: Visit) -> None:
    foreign = [url for url in v.requests if urlsplit(url).hostname != "127.0.0.1"]
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not v.problems, v.problems


def test_desktop_layout_numbers_and_requests(visit: Any, tmp_path: Path) -> None:
    v = visit(1280)
    v.page.screenshot(path=str(tmp_path / "desktop-1280.png"), full_page=True)
    sidebar, main = v.box("aside.sidebar"), v.box("main#main")
    # the sidebar is beside the content: left of it, and overlapping it vertically
    assert sidebar["x"] + sidebar["width"] <= main["x"]
    assert (
        sidebar["y"] < main["y"] + main["height"] and main["y"] < sidebar["y"] + sidebar["height"]
    )
    # each paper box: the image left of the text, side by side
    boxes = v.page.locator(".paper-box")
    assert boxes.count() == 3
    for i in range(boxes.count()):
        image = boxes.nth(i).locator(".paper-box-image").bounding_box()
        text = boxes.nth(i).locator(".paper-box-text").bounding_box()
        assert image and text
        assert image["x"] + image["width"] <= text["x"]
        assert abs(image["y"] - text["y"]) < 40
    # the numbers of the JSON, visible on the page
    total = v.page.locator(".scholar-citedby")
    assert total.is_visible() and total.inner_text() == str(STATS["citedby"])
    assert v.page.locator(".scholar-hindex").inner_text() == str(STATS["hindex"])
    assert v.page.locator("#total_cit").inner_text() == str(STATS["citedby"])
    spans = v.page.locator(".show_paper_citations")
    assert spans.count() == len(STATS["publications"])
    for i in range(spans.count()):
        span = spans.nth(i)
        expected = STATS["publications"][span.get_attribute("data")]["num_citations"]
        assert span.is_visible()
        assert span.inner_text() == f"| Citations: {expected}"
    # the badge: a local SVG, loaded, saying the total
    badges = v.page.locator("img[src$='scholar-badge.svg']")
    assert badges.count() == 2
    for i in range(badges.count()):
        assert badges.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
    badge_svg = v.page.request.get(v.page.url + "assets/images/scholar-badge.svg").text()
    assert f">{STATS['citedby']}</text>" in badge_svg
    badge_box = v.box(".author__badge img")
    badge_box_path = tmp_path / "badge.png"
    v.page.screenshot(path=str(badge_box_path), clip=badge_box)
    assert any(urlsplit(u).path.endswith("scholar-badge.svg") for u in v.requests)
    # accessibility basics: landmarks, and every image described
    for landmark in ("header", "nav", "main", "aside", "footer"):
        assert v.page.locator(landmark).count() >= 1, landmark
    assert v.page.evaluate("document.querySelectorAll('img:not([alt]), img[alt=\"\"]').length") == 0
    _assert_clean(v)


def test_phone_layout(visit: Any, tmp_path: Path) -> None:
    v = visit(375)
    v.page.screenshot(path=str(tmp_path / "phone-375.png"), full_page=True)
    sidebar, main = v.box("aside.sidebar"), v.box("main#main")
    # the author card is above the content, nothing wider than the screen
    assert sidebar["y"] + sidebar["height"] <= main["y"] + 1
    assert v.page.evaluate("document.documentElement.scrollWidth") <= 375
    image = v.box(".paper-box .paper-box-image")
    text = v.box(".paper-box .paper-box-text")
    assert image["y"] + image["height"] <= text["y"] + 1  # stacked on a phone
    assert v.page.locator(".show_paper_citations").first.is_visible()
    # the narrowest phones: still nothing wider than the screen
    v.page.set_viewport_size({"width": 360, "height": 800})
    assert v.page.evaluate("document.documentElement.scrollWidth") <= 360
    _assert_clean(v)


CONTRAST = """
(selectors) => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return selectors.map((s) => {
    const el = document.querySelector(s);
    if (!el) return [s, 0];
    const a = lum(rgb(getComputedStyle(el).color).slice(0, 3)), b = lum(background(el));
    return [s, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}
"""
TEXTS = [
    ".page p",
    ".page em",
    ".author__bio",
    ".author__urls a",
    ".masthead__menu a",
    ".paper-box .badge",
    ".page .venue",
    ".page a",
    ".page__footer p",
    ".show_paper_citations",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_contrast_and_keyboard_focus(visit: Any, scheme: str, tmp_path: Path) -> None:
    v = visit(1280, scheme)
    ratios = dict(v.page.evaluate(CONTRAST, TEXTS))
    low = {s: round(r, 2) for s, r in ratios.items() if r < 4.5}
    assert not low, f"text below WCAG AA contrast (4.5:1) in the {scheme} scheme: {low}"
    if scheme == "dark":
        background = v.page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background != "rgb(255, 255, 255)"
        v.page.screenshot(path=str(tmp_path / "desktop-dark.png"))
    # the first Tab shows the skip link, with a visible focus outline
    v.page.keyboard.press("Tab")
    focused = v.page.evaluate(
        "(() => { const e = document.activeElement, s = getComputedStyle(e);"
        " const r = e.getBoundingClientRect();"
        " return [e.className, s.outlineStyle, r.left >= 0 && r.top >= 0]; })()"
    )
    assert focused == ["skip-link", "solid", True]
    if scheme == "light":
        # printed, the page is a one-page CV: no menu, the author card a plain header
        v.page.emulate_media(media="print")
        assert not v.page.locator(".masthead").is_visible()
        assert v.page.evaluate("getComputedStyle(document.body).backgroundColor") in (
            "rgb(255, 255, 255)",
            "rgba(0, 0, 0, 0)",
        )
        sidebar, main = v.box("aside.sidebar"), v.box("main#main")
        assert sidebar["y"] + sidebar["height"] <= main["y"] + 1
        v.page.pdf(path=str(tmp_path / "cv.pdf"))
    _assert_clean(v)
