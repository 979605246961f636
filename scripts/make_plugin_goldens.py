#!/usr/bin/env python3
"""Rebuild `tests/plugins/goldens/<case>/` with real Jekyll from `tests/plugins/sites/<case>/`.

    python scripts/make_plugin_goldens.py [CASE ...]

Each site is copied to a scratch folder whose files all get the same modification time
(`FIXED_MTIME`), so the `<lastmod>` that jekyll-sitemap writes for static files does not
depend on the checkout; `tests/plugins/test_builtin_plugins.py` builds the same way.
Needs Jekyll 4.3 with jekyll-feed, jekyll-sitemap, jekyll-seo-tag, jekyll-redirect-from
and jekyll-paginate (the Debian packages).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "tests" / "plugins" / "sites"
GOLDENS = ROOT / "tests" / "plugins" / "goldens"
FIXED_MTIME = 1704067200  # 2024-01-01T00:00:00Z


def prepare(case: str, scratch: Path) -> Path:
    """A copy of the case's site with every file's mtime set to FIXED_MTIME."""
    src = scratch / case
    shutil.copytree(SITES / case, src)
    for path in [src, *src.rglob("*")]:
        os.utime(path, (FIXED_MTIME, FIXED_MTIME))
    return src


def build(case: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = prepare(case, Path(tmp))
        out = Path(tmp) / "_site"
        env = {**os.environ, "JEKYLL_NO_BUNDLER_REQUIRE": "true", "JEKYLL_ENV": "production"}
        env["TZ"] = "UTC"  # sites without `timezone:` are rendered in UTC
        subprocess.run(
            ["jekyll", "build", "-s", str(src), "-d", str(out), "--disable-disk-cache", "-q"],
            check=True,
            env=env,
            cwd=tmp,
        )
        target = GOLDENS / case
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(out, target)
    print(f"{case}: {sum(1 for p in target.rglob('*') if p.is_file())} files")


def main(argv: list[str]) -> int:
    cases = argv or sorted(p.name for p in SITES.iterdir() if p.is_dir())
    for case in cases:
        build(case)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
