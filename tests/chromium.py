"""Debian's Chromium driven by Playwright, started the one way the browser tests use.

The modules that use it skip themselves when /usr/bin/chromium or playwright is missing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
#: a headless browser in a container without network: no sandbox, GPU or background calls
ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


@contextmanager
def chromium(sync_api: ModuleType, args: Sequence[str] = ARGS) -> Iterator[Any]:
    """A Chromium browser (Playwright's `Browser`), closed at the end of the block."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(args))
        try:
            yield browser
        finally:
            browser.close()
