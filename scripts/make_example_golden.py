#!/usr/bin/env python3
"""Regenerate tests/goldens/_example: what real Jekyll builds from the repository root.

    python scripts/make_example_golden.py

The root of this repository is pykyll's example site (a researcher's homepage);
tests/test_example_site.py checks that pykyll builds the same site. Jekyll runs in the
pinned environment of scripts/make_goldens.py (TZ=UTC, JEKYLL_ENV=development, UTF-8),
with the repository root as working directory, into a temporary folder that then
replaces the golden. The golden must stay small: the script fails if it grows past
MAX_FILES files or MAX_BYTES bytes, which would mean `exclude:` in _config.yml let
something that is not site content through.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "goldens" / "_example"
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


def main() -> int:
    goldens = _make_goldens()
    spec = goldens.SiteSpec()
    with tempfile.TemporaryDirectory(prefix="golden-example-") as tmp:
        out = Path(tmp) / "out"
        try:
            stderr = goldens.run_jekyll(ROOT, out, spec)
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
