"""Liquid 5.4's standard filters and Jekyll's filters, with Ruby semantics."""

from __future__ import annotations

from typing import Any

from pykyll.liquid.filters import jekyll, standard

#: every filter name Jekyll 4.3.1 (on Liquid 5.4) knows, to its implementation
FILTERS: dict[str, Any] = {**standard.FILTERS, **jekyll.FILTERS}

__all__ = ["FILTERS"]
