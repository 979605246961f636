"""SassConverter against real Jekyll 4.3.1 + jekyll-sass-converter 2.2.0 (libsass).

Each site under tests/sass/sites was built by `scripts/make_sass_goldens.py`; the `.css`
and `.css.map` files Jekyll wrote are in tests/sass/goldens. Here every SCSS/Sass page of
a site is converted (front matter stripped the way Jekyll strips it) and must give the
same CSS byte for byte, and the same source map. No Ruby needed.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from pykyll.converters.sass import SassConverter, sassify, scssify
from pykyll.errors import ContentError

HERE = Path(__file__).resolve().parent
SITES = HERE / "sites"
GOLDENS = HERE / "goldens"
SITE_NAMES = sorted(p.name for p in SITES.iterdir() if p.is_dir())
# Jekyll's Document::YAML_FRONT_MATTER_REGEXP (`\s*` after the closing dashes also eats
# the blank lines that follow them, which shows in the source map)
FRONT_MATTER = re.compile(r"\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)", re.MULTILINE | re.DOTALL)


def _config(site: Path) -> dict[str, Any]:
    path = site / "_config.yml"
    return (yaml.safe_load(path.read_text()) or {}) if path.exists() else {}


def _env(site: Path) -> dict[str, str]:
    env = {"JEKYLL_ENV": "development"}
    spec = site / ".sass-test.yml"
    if spec.exists():
        env.update((yaml.safe_load(spec.read_text()) or {}).get("env") or {})
    return env


def _pages(site: Path, config: dict[str, Any]) -> list[tuple[str, str]]:
    """(relative path, content without front matter) of the files Jekyll renders."""
    excluded = set(config.get("exclude") or [])
    pages = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site)
        if not path.is_file() or rel.parts[0] in excluded:
            continue
        if any(part.startswith(("_", ".")) for part in rel.parts):
            continue
        match = FRONT_MATTER.search(path.read_text(encoding="utf-8"))
        if match is None:
            continue
        pages.append((rel.as_posix(), match.string[match.end() :]))
    return pages


def _golden(site_name: str, rel: str, converter: SassConverter) -> Path:
    ext = os.path.splitext(rel)[1]
    out = rel[: -len(ext)] + converter.output_ext(ext) if converter.matches(ext) else rel
    return GOLDENS / site_name / out


@pytest.mark.parametrize("site_name", SITE_NAMES)
def test_site_matches_jekyll(site_name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    site = SITES / site_name
    config = _config(site)
    for key, value in _env(site).items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(site)  # the goldens were built from the site folder
    converter = SassConverter(config, site)
    pages = _pages(site, config)
    assert pages, f"{site_name} has no pages"
    checked = 0
    for rel, content in pages:
        ext = os.path.splitext(rel)[1]
        golden = _golden(site_name, rel, converter)
        if not converter.matches(ext):
            if ext == ".css":  # CSS with front matter: identity converter, no Sass
                assert golden.read_text(encoding="utf-8") == content, rel
            continue
        result = converter.convert(content, rel)
        expected_css = golden.read_bytes().decode("utf-8")
        assert result.output == expected_css, f"{site_name}/{rel}: CSS differs"
        map_file = golden.with_name(golden.name + ".map")
        if map_file.exists():
            assert set(result.extra) == {".map"}, rel
            got, want = json.loads(result.extra[".map"]), json.loads(map_file.read_text())
            assert got == want, f"{site_name}/{rel}: source map differs"
            assert result.extra[".map"] == map_file.read_text(encoding="utf-8")
        else:
            assert result.extra == {}, f"{site_name}/{rel}: Jekyll wrote no map"
        checked += 1
    assert checked


def test_goldens_have_no_orphans() -> None:
    """Every golden CSS comes from a page of its site (nothing silently skipped)."""
    for site_name in SITE_NAMES:
        site = SITES / site_name
        converter = SassConverter({}, site)
        outputs = {_golden(site_name, rel, converter) for rel, _ in _pages(site, _config(site))}
        for path in (GOLDENS / site_name).rglob("*.css"):
            static = (site / path.relative_to(GOLDENS / site_name)).exists()
            assert path in outputs or static, path


def test_theme_site_does_not_depend_on_working_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    site = SITES / "theme"
    monkeypatch.setenv("JEKYLL_ENV", "development")
    monkeypatch.chdir(HERE.parent)
    converter = SassConverter(_config(site), site)
    for rel, content in _pages(site, {}):
        if rel.endswith(".scss"):
            golden = _golden("theme", rel, converter)
            result = converter.convert(content, rel)
            assert result.output == golden.read_text(encoding="utf-8")
            assert result.extra[".map"] == golden.with_name(golden.name + ".map").read_text()


def _error_site(tmp_path: Path) -> Path:
    (tmp_path / "_sass" / "parts").mkdir(parents=True)
    (tmp_path / "_sass" / "parts" / "_broken.scss").write_text(
        ".ok { a: b; }\n.broken {\n  color: red\n  .q { a: b }\n}\n"
    )
    (tmp_path / "_sass" / "_units.scss").write_text("$x: 1px;\n\n.u { width: $x + 1em; }\n")
    return tmp_path


def test_syntax_error_in_partial_names_partial_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _error_site(tmp_path)
    monkeypatch.chdir(site)
    converter = SassConverter({}, site)
    with pytest.raises(ContentError) as info:
        converter.convert('.a { b: c; }\n@import "parts/broken";\n', "assets/css/main.scss")
    error = info.value
    assert error.file == "_sass/parts/_broken.scss"
    assert error.line == 4
    assert 'Invalid CSS after "  color: red"' in error.message
    assert error.hint == "imported from assets/css/main.scss:2"
    assert str(error).startswith("_sass/parts/_broken.scss:4: ")


def test_semantic_error_in_partial(tmp_path: Path) -> None:
    site = _error_site(tmp_path)
    with pytest.raises(ContentError) as info:
        SassConverter({}, site).convert('@import "units";\n', "main.scss")
    assert (info.value.file, info.value.line) == ("_sass/_units.scss", 3)
    assert "Incompatible units" in info.value.message


def test_syntax_error_in_page_names_page(tmp_path: Path) -> None:
    converter = SassConverter({}, _error_site(tmp_path))
    with pytest.raises(ContentError) as info:
        converter.convert(".a {\n  b: c;\n  .d {\n", "assets/css/sub/style.scss")
    assert info.value.file == "assets/css/sub/style.scss"
    assert info.value.line == 3  # libsass's line, counted after the front matter
    with pytest.raises(ContentError) as info:
        converter.convert("nav\n  ul\n    margin 0 ]\n", "css/style.sass")
    assert info.value.file == "css/style.sass"


def test_filters_match_jekyll(tmp_path: Path) -> None:
    # `{{ s | scssify }}` / `{{ t | sassify }}` in a Jekyll 4.3.1 page with style: expanded
    config = {"sass": {"style": "expanded"}}
    assert scssify("$a: 1px; .b { c: $a; d { e: f } }", config, tmp_path) == (
        ".b {\n  c: 1px;\n}\n\n.b d {\n  e: f;\n}\n"
    )
    assert sassify("$a: 2px\n.b\n  c: $a", config, tmp_path) == ".b {\n  c: 2px;\n}\n"


def test_options() -> None:
    site = SITES / "theme"
    assert SassConverter({}, site).style == "compact"
    assert SassConverter({"sass": {"style": ":compressed"}}, site).style == "compressed"
    assert SassConverter({"sass": {"style": "Compressed"}}, site).style == "compact"
    # Jekyll strips a leading colon from `style` but not from `sourcemap` (checked)
    assert SassConverter({"sass": {"sourcemap": ":never"}}, site).sourcemap_required()
    assert not SassConverter({"sass": {"sourcemap": "never"}}, site).sourcemap_required()
    converter = SassConverter({}, site)
    assert converter.output_ext(".scss") == ".css"
    assert converter.matches(".SCSS") and converter.matches(".sass")
    assert not converter.matches(".css")
    assert converter.convert("", "empty.scss").output == ""


def test_load_path_order_and_theme(tmp_path: Path) -> None:
    for folder in ("_sass", "vendor/a", "vendor/b", "theme/_sass"):
        (tmp_path / folder).mkdir(parents=True)
    config = {"sass": {"load_paths": ["vendor/*", "missing"]}}
    converter = SassConverter(config, tmp_path, [tmp_path / "theme" / "_sass"])
    assert converter.load_paths() == tuple(
        str(tmp_path / p) for p in ("vendor/a", "vendor/b", "_sass", "theme/_sass")
    )
    (tmp_path / "theme" / "_sass" / "_t.scss").write_text(".t { from: theme; }\n")
    (tmp_path / "_sass" / "_s.scss").write_text(".s { from: site; }\n")
    out = converter.convert('@import "s", "t";\n', "main.scss").output
    assert ".s { from: site; }" in out and ".t { from: theme; }" in out
    safe = SassConverter({**config, "safe": True, "sass": {"sass_dir": "/../_sass"}}, tmp_path)
    assert safe.load_paths() == (str(tmp_path / "_sass"),)


def test_fallback_without_c_api(monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the public libsass API: the same CSS, but no source map."""
    from pykyll.converters import sass as module

    monkeypatch.setattr(module, "_libsass", lambda: None)
    site = SITES / "sourcemap-never"
    monkeypatch.chdir(site)
    [(rel, content)] = _pages(site, {})
    result = SassConverter(_config(site), site).convert(content, rel)
    assert result.output == (GOLDENS / "sourcemap-never" / "assets" / "main.css").read_text()
    with pytest.raises(ContentError) as info:
        SassConverter({}, site).convert(".b {\n  color: red\n  .q { a: b }\n}\n", "x.scss")
    assert info.value.line == 3


def test_fallback_resolves_page_imports_from_site_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pykyll.converters import sass as module

    monkeypatch.setattr(module, "_libsass", lambda: None)
    site = SITES / "subfolders"
    rel = "assets/css/sub/deep/page.scss"
    content = FRONT_MATTER.sub("", (site / rel).read_text())
    monkeypatch.chdir(tmp_path)
    output = SassConverter({}, site).convert(content, rel).output
    golden = (GOLDENS / "subfolders" / "assets/css/sub/deep/page.css").read_text()
    assert output == golden.rsplit("\n/*# sourceMappingURL", 1)[0]
