"""A fixture theme mimicking minimal-mistakes and AcadHomepage, rendered like Jekyll.

tests/liquid/site has layouts (`single` inside `default`), includes with parameters
inside loops (`paper-box`, `archive-single`, `nav/item`), `where_exp`, `group_by_exp`,
`site.data` navigation and an extensionless `base_path` include whose assigns leak.
theme_goldens.json is what Jekyll 4.3.1 wrote for those pages
(scripts/make_liquid_goldens.py); here the same pages go through LiquidEngine: the
page, then each layout with `content` and `layout`, as Jekyll's renderer does.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_site import SITE, FakeSite, RubyYamlLoader

from pykyll.liquid import LiquidEngine

THEME_GOLDENS: dict[str, str] = json.loads(
    Path(__file__).with_name("theme_goldens.json").read_text(encoding="utf-8")
)


def split_front_matter(path: Path) -> tuple[dict[str, Any], str, int]:
    import yaml

    text = path.read_text(encoding="utf-8")
    _, matter, body = text.split("---\n", 2)
    data = yaml.load(matter, Loader=RubyYamlLoader) or {}
    return data, body, matter.count("\n") + 2


def page_url(relative: str, front_matter: dict[str, Any]) -> str:
    if front_matter.get("permalink"):
        return str(front_matter["permalink"])
    url = "/" + relative
    return url[: -len("index.html")] if url.endswith("/index.html") else url


def render_page(relative: str) -> str:
    site = FakeSite()
    engine = LiquidEngine(site)
    front_matter, body, offset = split_front_matter(SITE / relative)
    variables = site.variables(relative, front_matter)
    variables["page"]["url"] = page_url(relative, front_matter)
    output = engine.render(engine.parse(body, relative, offset), variables, offset)
    layout_name = front_matter.get("layout")
    while layout_name:
        layout_path = SITE / "_layouts" / f"{layout_name}.html"
        layout_matter, layout_body, layout_offset = split_front_matter(layout_path)
        variables["page"]["content"] = output
        variables["content"] = output
        # Jekyll deep-merges: an inner layout's front matter wins over its parent's
        variables["layout"] = {**layout_matter, **(variables["layout"] or {})}
        template = engine.parse(layout_body, f"_layouts/{layout_name}.html", layout_offset)
        output = engine.render(template, variables, layout_offset)
        layout_name = layout_matter.get("layout")
    assert not site.warnings, site.warnings
    return output


@pytest.mark.parametrize("relative", sorted(THEME_GOLDENS))
def test_theme_page(relative: str) -> None:
    assert render_page(relative) == THEME_GOLDENS[relative]
