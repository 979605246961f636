"""The abstract/BibTeX toggles and "N more authors" in Chromium (Debian's
`/usr/bin/chromium` driven by Playwright), on the built test site served from 127.0.0.1.

Skipped when Chromium or the `playwright` package is missing (never `playwright install`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from chromium import CHROMIUM, chromium

from pykyll.cli import main

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")

SITE = Path(__file__).with_name("site")


@pytest.fixture
def served(tmp_path: Path, serve_folder: Callable[[Path], str]) -> str:
    dest = tmp_path / "_site"
    assert main(["build", "-q", "-s", str(SITE), "-d", str(dest)]) == 0
    return serve_folder(dest)


def test_toggles_in_the_browser(served: str, tmp_path: Path) -> None:
    with chromium(sync_api) as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        errors: list[str] = []
        hosts: set[str] = set()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: hosts.add(urlsplit(r.url).hostname or ""))
        page.goto(f"{served}/publications/", wait_until="load")

        assert page.locator("h2.bibliography").count() == 7
        entry = page.locator("#holloway2026token0")
        abs_button = entry.locator("button.abstract")
        bib_button = entry.locator("button.bibtex")
        abstract = page.locator("#holloway2026token0-abstract")
        bibtex = page.locator("#holloway2026token0-bibtex")
        assert abstract.is_hidden() and bibtex.is_hidden()

        abs_button.click()
        assert abstract.is_visible()
        assert "naïve baselines" in abstract.inner_text()
        assert abs_button.get_attribute("aria-expanded") == "true"

        bib_button.click()  # opening the BibTeX closes the abstract, as in al-folio
        assert bibtex.is_visible() and abstract.is_hidden()
        assert "@inproceedings{holloway2026token0," in bibtex.inner_text()
        assert bib_button.get_attribute("aria-expanded") == "true"
        assert abs_button.get_attribute("aria-expanded") == "false"
        page.screenshot(path=str(tmp_path / "bibliography-bibtex-open.png"))

        bib_button.click()
        assert bibtex.is_hidden()
        assert bib_button.get_attribute("aria-expanded") == "false"

        # the keyboard works too (real buttons)
        abs_button.focus()
        page.keyboard.press("Enter")
        assert abstract.is_visible()
        page.keyboard.press("Space")
        assert abstract.is_hidden()

        # "4 more authors" reveals the rest, the owner among them
        more = page.locator("#holloway2024kvcache21 button.more-authors")
        rest = page.locator("#holloway2024kvcache21-more-authors")
        assert rest.is_hidden()
        more.click()
        assert rest.is_visible() and more.is_hidden()
        assert "M. Holloway" in rest.inner_text()

        # a narrow screen stacks the badge above the text
        page.set_viewport_size({"width": 375, "height": 800})
        direction = entry.evaluate("el => getComputedStyle(el).flexDirection")
        assert direction == "column"
        page.screenshot(path=str(tmp_path / "bibliography-375.png"), full_page=False)

        assert errors == []
        assert hosts == {"127.0.0.1"}
    assert (tmp_path / "bibliography-bibtex-open.png").stat().st_size > 0
