#!/usr/bin/env python3
"""Regenerate the golden outputs of the compatibility test sites with real Jekyll.

    python scripts/make_goldens.py            # every site under tests/sites
    python scripts/make_goldens.py posts-basic data-files  # only these

Each `tests/sites/NAME/` is built by `jekyll build` into a temporary folder, which then
replaces `tests/goldens/NAME/`. Extra flags, environment variables and the warnings Jekyll
must print come from the site's optional `.pykyll-test.yml`:

    args: [--drafts, --config, "_config.yml,_extra.yml"]
    env: {JEKYLL_ENV: production}
    expect_warnings: ["Layout 'nope' requested"]
    destination_files: {"old/stale.html": "left from an earlier build"}

`destination_files` are written into the (fresh) destination before the build, to see
what Jekyll's clean-up removes and what `keep_files` protects.

Jekyll runs with the site folder as working directory (so relative `--config` paths work),
`TZ=UTC`, `JEKYLL_ENV=development` and a UTF-8 locale unless the site says otherwise: the
same pinned environment the pytest harness gives pykyll (it imports this module).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SITES = ROOT / "tests" / "sites"
GOLDENS = ROOT / "tests" / "goldens"
SPEC_FILE = ".pykyll-test.yml"

# Pinned so goldens do not depend on the machine: dates render in UTC unless the site
# sets `timezone:`, and non-ASCII file names need a UTF-8 locale in Ruby.
PINNED_ENV = {
    "TZ": "UTC",
    "JEKYLL_ENV": "development",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
}
# Leftovers Jekyll may create in a source folder; they must never be checked in.
LEFTOVERS = (".jekyll-cache", ".jekyll-metadata", ".sass-cache")
ERROR_LINES = 15


class GoldenError(Exception):
    """Jekyll is missing, failed, or did not behave as the site's spec says."""


@dataclass(frozen=True)
class SiteSpec:
    """What `.pykyll-test.yml` asks for; all fields optional."""

    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    expect_warnings: list[str] = field(default_factory=list)
    destination_files: dict[str, str] = field(default_factory=dict)


def site_names() -> list[str]:
    return sorted(p.name for p in SITES.iterdir() if p.is_dir())


def load_spec(site: Path) -> SiteSpec:
    path = site / SPEC_FILE
    if not path.is_file():
        return SiteSpec()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = set(data) - {"args", "env", "expect_warnings", "destination_files"}
    if unknown:
        raise GoldenError(f"{path}: unknown keys {sorted(unknown)}")
    return SiteSpec(
        args=[str(a) for a in data.get("args", [])],
        env={str(k): str(v) for k, v in (data.get("env") or {}).items()},
        expect_warnings=[str(w) for w in data.get("expect_warnings", [])],
        destination_files={
            str(k): str(v) for k, v in (data.get("destination_files") or {}).items()
        },
    )


def seed_destination(dest: Path, spec: SiteSpec) -> None:
    """Pretend an earlier build left these files in the destination."""
    for rel, text in spec.destination_files.items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def build_env(spec: SiteSpec) -> dict[str, str]:
    """The environment variables a build of this site runs with (pinned, then the spec's)."""
    return {**PINNED_ENV, **spec.env}


def find_jekyll() -> str | None:
    return shutil.which("jekyll")


def run_jekyll(site: Path, dest: Path, spec: SiteSpec) -> str:
    """Build `site` into `dest` with real Jekyll; return its stderr (where warnings go)."""
    jekyll = find_jekyll()
    if jekyll is None:
        raise GoldenError("`jekyll` is not on PATH: install Jekyll 4.3 to regenerate goldens")
    env = {**os.environ, "JEKYLL_NO_BUNDLER_REQUIRE": "true", **build_env(spec)}
    seed_destination(dest, spec)
    # No --quiet: Jekyll's --quiet also hides warnings, which we need to check.
    cmd = [jekyll, "build", "-s", str(site), "-d", str(dest), "--disable-disk-cache", *spec.args]
    proc = subprocess.run(cmd, cwd=site, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        # Jekyll's Ruby backtrace follows its message; the first lines say what is wrong.
        head = "\n".join((proc.stdout + proc.stderr).splitlines()[:ERROR_LINES])
        raise GoldenError(f"{site.name}: jekyll failed ({proc.returncode})\n{head}")
    missing = [w for w in spec.expect_warnings if w not in proc.stderr]
    if missing:
        raise GoldenError(f"{site.name}: jekyll did not warn {missing}; stderr was:\n{proc.stderr}")
    remove_leftovers(site)
    return proc.stderr


def remove_leftovers(site: Path) -> None:
    for name in LEFTOVERS:
        path = site / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def make_golden(name: str) -> int:
    """Rebuild one golden; return how many files it holds."""
    site = SITES / name
    if not site.is_dir():
        raise GoldenError(f"no such site: {site}")
    spec = load_spec(site)
    with tempfile.TemporaryDirectory(prefix=f"golden-{name}-") as tmp:
        out = Path(tmp) / "out"
        stderr = run_jekyll(site, out, spec)
        golden = GOLDENS / name
        if golden.exists():
            shutil.rmtree(golden)
        shutil.copytree(out, golden)
    for line in stderr.splitlines():
        print(f"  {name}: {line.strip()}")
    return sum(1 for p in golden.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    names = (sys.argv[1:] if argv is None else argv) or site_names()
    try:
        for name in names:
            print(f"{name}: {make_golden(name)} files")
    except GoldenError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
