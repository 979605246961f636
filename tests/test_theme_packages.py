"""Themes from installed packages: the theme's files are used unless the site overrides them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pykyll.cli import main


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def installed_theme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real distribution on sys.path advertising a `pykyll.themes` entry point."""
    packages = tmp_path / "site-packages"
    write(
        packages,
        {
            "demo_theme/__init__.py": "",
            "demo_theme/_layouts/default.html": (
                "<theme>{{ content }}</theme>{% include foot.html %}"
            ),
            "demo_theme/_includes/foot.html": (
                "<footer>theme foot {{ site.data.theme.motto }}</footer>"
            ),
            "demo_theme/_data/theme.yml": "motto: from the theme\n",
            "demo_theme/_config.yml": "title: Theme title\nauthor: Theme author\n",
            "demo_theme/assets/theme.css": "body { color: red }\n",
            "demo_theme/assets/site.css": "theme version\n",
            "demo_theme-1.0.dist-info/METADATA": (
                "Metadata-Version: 2.1\nName: demo-theme\nVersion: 1.0\n"
            ),
            "demo_theme-1.0.dist-info/entry_points.txt": (
                "[pykyll.themes]\ndemo-theme = demo_theme\n"
            ),
        },
    )
    monkeypatch.syspath_prepend(str(packages))
    sys.modules.pop("demo_theme", None)


def test_theme_layouts_includes_assets_data_and_config(
    installed_theme: None, tmp_path: Path
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write(
        src,
        {
            "_config.yml": "theme: demo-theme\ntitle: Site title\n",
            "index.html": "---\nlayout: default\n---\n{{ site.title }} by {{ site.author }}",
            "assets/site.css": "site version\n",
        },
    )
    assert main(["build", "-s", str(src), "-d", str(out), "-q"]) == 0
    html = (out / "index.html").read_text()
    assert (
        html
        == "<theme>Site title by Theme author</theme><footer>theme foot from the theme</footer>"
    )
    assert (out / "assets/theme.css").read_text() == "body { color: red }\n"
    assert (out / "assets/site.css").read_text() == "site version\n"


def test_site_files_override_the_theme(installed_theme: None, tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write(
        src,
        {
            "_config.yml": "theme: demo-theme\n",
            "_includes/foot.html": "<footer>site foot</footer>",
            "index.html": "---\nlayout: default\n---\nx",
        },
    )
    assert main(["build", "-s", str(src), "-d", str(out), "-q"]) == 0
    assert (out / "index.html").read_text() == "<theme>x</theme><footer>site foot</footer>"


def test_missing_theme_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "src"
    write(src, {"_config.yml": "theme: not-installed\n", "index.html": "hi"})
    assert main(["build", "-s", str(src), "-d", str(tmp_path / "out")]) == 0
    assert "'not-installed' is not installed" in capsys.readouterr().err
