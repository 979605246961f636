"""LiquidEngine behaviour that snippets cannot show: error modes, locations, guard rails."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_site import FakeSite

from pykyll.errors import TemplateError
from pykyll.liquid import LiquidEngine


def render(source: str, variables: dict[str, Any] | None = None, **liquid: Any) -> str:
    site = FakeSite(liquid=liquid) if liquid else FakeSite()
    engine = LiquidEngine(site)
    return engine.render(engine.parse(source, "page.html", 0), variables or {}, 0)


def test_syntax_error_names_file_and_line_after_front_matter() -> None:
    engine = LiquidEngine(FakeSite())
    with pytest.raises(TemplateError) as info:
        engine.parse("a\nb\n{% if x %}never closed", "_posts/p.md", 4)
    assert info.value.file == "_posts/p.md"
    assert info.value.line == 7


def test_render_error_names_line() -> None:
    engine = LiquidEngine(FakeSite())
    template = engine.parse("line1\n{{ 1 | divided_by: 0 }}", "page.md", 3)
    with pytest.raises(TemplateError) as info:
        engine.render(template, {}, 3)
    assert (info.value.file, info.value.line) == ("page.md", 5)
    assert "divided by 0" in info.value.message


def test_error_inside_include_names_the_include(tmp_path: Path) -> None:
    site = FakeSite()
    (tmp_path / "bad.html").write_text("ok\n{{ 1 | modulo: 0 }}", encoding="utf-8")
    site.include_dirs = lambda: [tmp_path]  # type: ignore[method-assign]
    engine = LiquidEngine(site)
    template = engine.parse("{% include bad.html %}", "index.html", 2)
    with pytest.raises(TemplateError) as info:
        engine.render(template, {}, 2)
    assert info.value.file == str(tmp_path / "bad.html")
    assert info.value.line == 2


def test_warn_mode_reports_through_services() -> None:
    site = FakeSite()
    engine = LiquidEngine(site)
    template = engine.parse('x\n{{ "a" "b" }}', "page.html", 3)
    assert engine.render(template, {}, 3) == "x\na"
    assert site.warnings == [
        (
            "page.html",
            5,
            "Liquid syntax error (line 2): Expected end_of_string but found string"
            ' in "{{ "a" "b" }}"',
        )
    ]


def test_lax_mode_is_silent() -> None:
    site = FakeSite(liquid={"error_mode": "lax"})
    engine = LiquidEngine(site)
    assert engine.render(engine.parse('[{{ "a" "b" }}]', "p.html"), {}) == "[a]"
    assert site.warnings == []


def test_strict_mode_fails_on_what_warn_recovers() -> None:
    engine = LiquidEngine(FakeSite(liquid={"error_mode": "strict"}))
    with pytest.raises(TemplateError) as info:
        engine.parse('{{ "a" "b" }}', "p.html")
    assert "Expected end_of_string but found string" in info.value.message
    with pytest.raises(TemplateError):
        engine.parse("{% if a == %}x{% endif %}", "p.html")


def test_unknown_tag_fails_in_every_mode() -> None:
    for mode in ("lax", "warn", "strict"):
        engine = LiquidEngine(FakeSite(liquid={"error_mode": mode}))
        with pytest.raises(TemplateError):
            engine.parse("{% nosuchtag %}", "p.html")


def test_strict_filters() -> None:
    assert render("[{{ 'x' | nosuch }}]") == "[x]"
    with pytest.raises(TemplateError):
        render("[{{ 'x' | nosuch }}]", strict_filters=True)


def test_strict_variables() -> None:
    assert render("[{{ nosuch }}]") == "[]"
    with pytest.raises(TemplateError):
        render("[{{ nosuch }}]", strict_variables=True)


def test_include_recursion_is_stopped(tmp_path: Path) -> None:
    site = FakeSite()
    (tmp_path / "self.html").write_text("x{% include self.html %}", encoding="utf-8")
    site.include_dirs = lambda: [tmp_path]  # type: ignore[method-assign]
    engine = LiquidEngine(site)
    with pytest.raises(TemplateError) as info:
        engine.render(engine.parse("{% include self.html %}", "p.html"), {})
    assert "nested" in info.value.message.lower() or "depth" in info.value.message.lower()


def test_loop_limit_stops_runaway_loops() -> None:
    engine = LiquidEngine(FakeSite())
    template = engine.parse(
        "{% for a in (1..100000) %}{% for b in (1..100000) %}{% for c in (1..100) %}"
        "{% endfor %}{% endfor %}{% endfor %}",
        "p.html",
    )
    started = time.perf_counter()
    with pytest.raises(TemplateError):
        engine.render(template, {})
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(
    "source",
    [
        "{% for i in (1..1000) %}{{ 'xxxxxxxxxx' }}{% endfor %}",  # stopped at a `{{ }}`
        "{% for i in (1..1000) %}xxxxxxxxxx{% endfor %}",  # text only: when the loop ends
        "{% for i in (1..1000) %}{% include big.html %}{% endfor %}",  # in an include
        "{% capture c %}{% for i in (1..1000) %}{{ 'xxxxxxxxxx' }}{% endfor %}{% endcapture %}",
    ],
)
def test_output_limit_stops_runaway_output(
    source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pykyll.liquid.environment import JekyllEnvironment

    monkeypatch.setattr(JekyllEnvironment, "output_limit", 5_000)
    site = FakeSite()
    (tmp_path / "big.html").write_text("xxxxxxxxxx", encoding="utf-8")
    site.include_dirs = lambda: [tmp_path]  # type: ignore[method-assign]
    engine = LiquidEngine(site)
    with pytest.raises(TemplateError) as info:
        engine.render(engine.parse(source, "p.html"), {})
    assert info.value.hint == "the output would exceed 5,000 characters; render less"
    assert engine.render(engine.parse("{{ 'x' }}" * 400, "q.html"), {}) == "x" * 400


def test_includes_are_parsed_once(tmp_path: Path) -> None:
    site = FakeSite()
    (tmp_path / "part.html").write_text("{{ include.n }}", encoding="utf-8")
    site.include_dirs = lambda: [tmp_path]  # type: ignore[method-assign]
    engine = LiquidEngine(site)
    template = engine.parse("{% for i in (1..3) %}{% include part.html n=i %}{% endfor %}", "p")
    assert engine.render(template, {}) == "123"
    first = dict(engine.env._partials)
    assert engine.render(template, {}) == "123"
    assert engine.env._partials == first and len(first) == 1


def test_site_include_dirs_searched_in_order(tmp_path: Path) -> None:
    own, theme = tmp_path / "own", tmp_path / "theme"
    own.mkdir()
    theme.mkdir()
    (own / "a.html").write_text("own-a", encoding="utf-8")
    (theme / "a.html").write_text("theme-a", encoding="utf-8")
    (theme / "b.html").write_text("theme-b", encoding="utf-8")
    site = FakeSite()
    site.include_dirs = lambda: [own, theme]  # type: ignore[method-assign]
    engine = LiquidEngine(site)
    out = engine.render(engine.parse("{% include a.html %}|{% include b.html %}", "p"), {})
    assert out == "own-a|theme-b"


def test_mapping_documents_work_in_filters() -> None:
    from collections.abc import Iterator, Mapping

    class Doc(Mapping[str, Any]):
        def __init__(self, **data: Any) -> None:
            self._data = data

        def __getitem__(self, key: str) -> Any:
            return self._data[key]

        def __iter__(self) -> Iterator[str]:
            return iter(self._data)

        def __len__(self) -> int:
            return len(self._data)

    docs = [Doc(title="B", url="/b/", n=2), Doc(title="A", url="/a/", n=1)]
    out = render(
        "{{ docs | sort: 'title' | map: 'url' | join: ',' }}|"
        "{{ docs | where_exp: 'd', 'd.n > 1' | map: 'title' | join }}|"
        "{{ docs | where: 'n', 1 | first | relative_url }}|{{ docs[0] | jsonify }}",
        {"docs": docs},
    )
    assert out == '/a/,/b/|B|/blog/a/|{"title":"B","url":"/b/","n":2}'


# verified with Jekyll 4.3.1 and `liquid: {error_mode: strict, strict_variables: true,
# strict_filters: true}`: every one of these fails the build
@pytest.mark.parametrize(
    "source",
    [
        "{{ nosuch }}",
        "{{ page.nosuch }}",
        "{% if nosuch %}x{% endif %}y",
        '{{ nosuch | default: "d" }}',
        '{{ "x" | nosuchfilter }}',
        '{{ "a" "b" }}',
        "{% for x in nosuch %}{% endfor %}z",
        "{{ site.nosuch }}",
    ],
)
def test_all_strict_options(source: str) -> None:
    options = {"error_mode": "strict", "strict_variables": True, "strict_filters": True}
    with pytest.raises(TemplateError):
        render(source, {"page": {"t": 1}, "site": {}}, **options)
    assert render("{{ page.t }}", {"page": {"t": 1}}, **options) == "1"
