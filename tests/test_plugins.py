"""The plugin interface: site plugins in `_plugins/`, hooks, generated pages, `--safe`."""

from __future__ import annotations

from pathlib import Path

import pytest

from pykyll.cli import main

PLUGIN = """
from pykyll.plugins import Plugin
from pykyll.models import GeneratedPage


def shout(value):
    return str(value).upper() + "!"


class Shout(Plugin):
    name = "shout"

    def filters(self):
        return {"shout": shout}

    def generate(self):
        self.site.pages.append(
            GeneratedPage(self.site, "", "generated.html", "made by {{ 'a plugin' | shout }}")
        )

    def post_render(self, item):
        if item.relative_path == "index.html":
            item.output += "<!-- seen -->"
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    (src / "_plugins").mkdir(parents=True)
    (src / "_plugins" / "shout.py").write_text(PLUGIN)
    (src / "index.html").write_text("---\n---\n{{ 'hello' | shout }}")
    return src


def test_site_plugin_adds_filter_page_and_hook(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", "-s", str(site), "-d", str(out), "-q"]) == 0
    assert (out / "index.html").read_text() == "HELLO!<!-- seen -->"
    assert (out / "generated.html").read_text() == "made by A PLUGIN!"


def test_safe_mode_skips_site_plugins(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", "-s", str(site), "-d", str(out), "-q", "--safe"]) == 0
    assert not (out / "generated.html").exists()


def test_unknown_plugin_is_a_warning(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "_config.yml").write_text("plugins: [jekyll-does-not-exist]\n")
    assert main(["build", "-s", str(site), "-d", str(tmp_path / "out")]) == 0
    assert "'jekyll-does-not-exist'" in capsys.readouterr().err
