#!/usr/bin/env python3
"""Regenerate tests/goldens/_example: what real Jekyll builds from the repository root.

    python scripts/make_example_golden.py

The root of this repository is pykyll's example site (a researcher's homepage, with
`theme: pykyll-academic` and `plugins: [pykyll-scholar-stats]`); tests/test_example_site.py
checks that pykyll builds the same site. Jekyll cannot load a Python theme or plugin, so
this script gives Jekyll the same material the way Jekyll takes it (`assemble`):

* the theme: a temporary folder gets the theme's files (src/pykyll/themes/academic),
  then the repository root's files on top, so the site's files win as they do over a
  gem theme; the theme's _config.yml is passed first in `--config`, under the site's,
  as Jekyll merges a gem theme's _config.yml;
* the plugin: the copied _config.yml loses its `theme:` line and the
  `pykyll-scholar-stats` entry of `plugins:` (gems Jekyll does not have), and
  scripts/golden_scholar_stats.rb, an independent Ruby version of the plugin, goes to
  _plugins/. So the golden's citation numbers and badge are Jekyll's own, not pykyll's.

Jekyll runs in the pinned environment of scripts/make_goldens.py (TZ=UTC,
JEKYLL_ENV=development, UTF-8), into a temporary folder that then replaces the golden.
The golden must stay small: the script fails if it grows past MAX_FILES files or
MAX_BYTES bytes, which would mean `exclude:` in _config.yml let something that is not
site content through.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "goldens" / "_example"
THEME = ROOT / "src" / "pykyll" / "themes" / "academic"
RUBY_PLUGIN = ROOT / "scripts" / "golden_scholar_stats.rb"
# Not copied into the temporary site: version control, build output, caches, and the
# Python files of the theme package.
NOT_COPIED = shutil.ignore_patterns(
    ".git", "_site", ".venv", "venv", "__pycache__", ".*_cache", ".pykyll-cache",
    ".jekyll-cache", "*.egg-info", "__init__.py", "README.md",
)  # fmt: skip
MAX_FILES = 20
MAX_BYTES = 100_000


def _make_goldens() -> ModuleType:
    """scripts/make_goldens.py, for its pinned environment and its way of running Jekyll."""
    path = ROOT / "scripts" / "make_goldens.py"
    spec = importlib.util.spec_from_file_location("make_goldens", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_goldens", module)
    spec.loader.exec_module(module)
    return module


def check_size(folder: Path) -> tuple[int, int]:
    """Count the files and bytes of a built site; raise if it is not small."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    if len(files) > MAX_FILES or size > MAX_BYTES:
        names = "\n".join(f"  {p.relative_to(folder)}" for p in sorted(files))
        raise SystemExit(
            f"error: the example site built {len(files)} files, {size} bytes "
            f"(limit {MAX_FILES} files, {MAX_BYTES} bytes); is _config.yml's exclude "
            f"missing something?\n{names}"
        )
    return len(files), size


def _remove_once(text: str, pattern: str, what: str) -> str:
    new, count = re.subn(pattern, "", text, flags=re.MULTILINE)
    if count != 1:
        raise SystemExit(f"error: _config.yml: expected one {what}, found {count}")
    return new


def assemble(folder: Path) -> list[str]:
    """Theme, then site, in `folder`, as Jekyll sees a gem-themed site; return Jekyll's args."""
    shutil.copytree(THEME, folder, ignore=NOT_COPIED, dirs_exist_ok=True)
    theme_config = folder / "_config.yml"
    theme_config.rename(folder / "_theme_config.yml")
    shutil.copytree(ROOT, folder, ignore=NOT_COPIED, dirs_exist_ok=True)
    config = folder / "_config.yml"
    text = config.read_text(encoding="utf-8")
    text = _remove_once(text, r"^theme:\s*pykyll-academic\s*\n", "`theme: pykyll-academic`")
    text = _remove_once(text, r"^\s*-\s*pykyll-scholar-stats\s*\n", "pykyll-scholar-stats plugin")
    # A `plugins:` left with no entries would be null, which Jekyll refuses.
    text = re.sub(r"^plugins:[ \t]*\n(?![ \t]*-)", "plugins: []\n", text, flags=re.MULTILINE)
    config.write_text(text, encoding="utf-8")
    plugins = folder / "_plugins"
    plugins.mkdir(exist_ok=True)
    shutil.copy(RUBY_PLUGIN, plugins / RUBY_PLUGIN.name)
    return ["--config", "_theme_config.yml,_config.yml"]


def build_with_jekyll(dest: Path) -> str:
    """Build the assembled example site into `dest` with real Jekyll; return its stderr."""
    goldens = _make_goldens()
    with tempfile.TemporaryDirectory(prefix="golden-example-src-") as tmp:
        site = Path(tmp) / "site"
        spec = goldens.SiteSpec(args=assemble(site))
        return str(goldens.run_jekyll(site, dest, spec))


def main() -> int:
    goldens = _make_goldens()
    with tempfile.TemporaryDirectory(prefix="golden-example-") as tmp:
        out = Path(tmp) / "out"
        try:
            stderr = build_with_jekyll(out)
        except goldens.GoldenError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        count, size = check_size(out)
        if GOLDEN.exists():
            shutil.rmtree(GOLDEN)
        shutil.copytree(out, GOLDEN)
    for line in stderr.splitlines():
        print(f"  jekyll: {line.strip()}")
    print(f"{GOLDEN.relative_to(ROOT)}: {count} files, {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
