"""Suite-wide hygiene: builds of the checked-in sites must not leave caches in the checkout."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _caches() -> set[Path]:
    """`.pykyll-cache` folders a test build may create: the example site's and any under tests."""
    found = set((ROOT / "tests").glob("**/.pykyll-cache"))
    if (ROOT / ".pykyll-cache").is_dir():
        found.add(ROOT / ".pykyll-cache")
    return found


@pytest.fixture(scope="session", autouse=True)
def remove_caches_the_tests_created() -> Iterator[None]:
    before = _caches()
    yield
    for cache in _caches() - before:
        shutil.rmtree(cache, ignore_errors=True)
