"""Every snippet of snippets.txt rendered by LiquidEngine equals what Jekyll rendered.

goldens.json comes from scripts/make_liquid_goldens.py (real Jekyll 4.3.1 on Liquid
5.4.0); no Ruby is needed here. Known differences are xfails with their reason
(`=== id | xfail: reason` in snippets.txt).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_site import SITE, FakeSite, load_yaml
from snippets import Snippet, load_snippets

from pykyll.errors import TemplateError
from pykyll.liquid import LiquidEngine

GOLDENS: dict[str, dict[str, Any]] = json.loads(
    Path(__file__).with_name("goldens.json").read_text(encoding="utf-8")
)
SNIPPETS = load_snippets()
FRONT_MATTER = load_yaml(SITE / "_snippet_page.yml")


@pytest.fixture(scope="module")
def engine_and_site() -> tuple[LiquidEngine, FakeSite]:
    site = FakeSite()
    return LiquidEngine(site), site


def _params() -> list[Any]:
    params = []
    for snip in SNIPPETS:
        marks = [pytest.mark.xfail(reason=snip.xfail, strict=True)] if snip.xfail else []
        params.append(pytest.param(snip, id=snip.id, marks=marks))
    return params


def render(engine: LiquidEngine, site: FakeSite, snip: Snippet, page: str) -> str:
    template = engine.parse(snip.source, page, 0)
    return engine.render(template, site.variables(page, dict(FRONT_MATTER)), 0)


def test_every_snippet_has_a_golden() -> None:
    missing = [s.id for s in SNIPPETS if s.id not in GOLDENS]
    assert not missing, f"run scripts/make_liquid_goldens.py: no golden for {missing}"


@pytest.mark.parametrize("snip", _params())
def test_snippet(snip: Snippet, engine_and_site: tuple[LiquidEngine, FakeSite]) -> None:
    engine, site = engine_and_site
    golden = GOLDENS[snip.id]
    if "error" in golden:
        with pytest.raises(TemplateError) as info:
            render(engine, site, snip, golden["page"])
        assert info.value.file, "errors name the file"
        return
    assert render(engine, site, snip, golden["page"]) == golden["output"]


# snippets whose output matches but whose warnings differ, and why
WARNING_DIFFERENCES: dict[str, str] = {}


def _warning_params() -> list[Any]:
    params = []
    for s in SNIPPETS:
        if "error" in GOLDENS.get(s.id, {"error": 1}) or s.xfail:
            continue
        reason = WARNING_DIFFERENCES.get(s.id)
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        params.append(pytest.param(s, id=s.id, marks=marks))
    return params


@pytest.mark.parametrize("snip", _warning_params())
def test_snippet_warnings(snip: Snippet) -> None:
    """Jekyll's `Liquid Warning:` lines for a snippet are ours, word for word."""
    site = FakeSite()
    engine = LiquidEngine(site)
    render(engine, site, snip, GOLDENS[snip.id]["page"])
    ours = [re.sub(r"\(line \d+\)", "(line N)", message) for _, _, message in site.warnings]
    assert ours == GOLDENS[snip.id]["warnings"]
