#!/usr/bin/env python3
"""Regenerate the Sass goldens with real Jekyll (4.3.1 + jekyll-sass-converter 2.2.0).

    python scripts/make_sass_goldens.py            # every site under tests/sass/sites
    python scripts/make_sass_goldens.py theme      # only these sites

Each `tests/sass/sites/NAME/` is built by `jekyll build` (run in the site folder, the way
users run it) into a temporary folder; the `.css` and `.css.map` files it wrote replace
`tests/sass/goldens/NAME/`. A site's optional `.sass-test.yml` may set environment
variables (`env: {JEKYLL_ENV: production}`); JEKYLL_ENV is `development` otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SITES = ROOT / "tests" / "sass" / "sites"
GOLDENS = ROOT / "tests" / "sass" / "goldens"
SPEC_FILE = ".sass-test.yml"
PINNED_ENV = {
    "TZ": "UTC",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "JEKYLL_ENV": "development",
    "JEKYLL_NO_BUNDLER_REQUIRE": "true",
}


def site_env(site: Path) -> dict[str, str]:
    """The environment variables a site is built with (besides the pinned ones)."""
    spec_path = site / SPEC_FILE
    env = dict(PINNED_ENV)
    if spec_path.exists():
        spec: dict[str, Any] = yaml.safe_load(spec_path.read_text()) or {}
        env.update({str(k): str(v) for k, v in (spec.get("env") or {}).items()})
    return env


def build(site: Path) -> None:
    golden = GOLDENS / site.name
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "_site"
        env = {**os.environ, **site_env(site)}
        cmd = ["jekyll", "build", "-s", ".", "-d", str(out), "--disable-disk-cache", "-q"]
        result = subprocess.run(cmd, cwd=site, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"{site.name}: jekyll failed\n{result.stdout}{result.stderr}")
        if golden.exists():
            shutil.rmtree(golden)
        count = 0
        for path in sorted(out.rglob("*")):
            if path.is_file() and path.name.endswith((".css", ".css.map")):
                target = golden / path.relative_to(out)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                count += 1
        print(f"{site.name}: {count} files")


def main(argv: list[str]) -> None:
    if shutil.which("jekyll") is None:
        sys.exit("jekyll is not on PATH")
    names = argv or sorted(p.name for p in SITES.iterdir() if p.is_dir())
    for name in names:
        build(SITES / name)


if __name__ == "__main__":
    main(sys.argv[1:])
