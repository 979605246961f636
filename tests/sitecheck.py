"""What the tests that compare built sites share: loading the golden scripts and
`../shared/tools/sitediff.py` (files outside any package), the environment a golden was
built in, sitediff's report as text, and a built tree as bytes.

Importable from every test folder: pytest puts `tests/` on the path (it holds the
top-level conftest and is the first folder without an `__init__.py`)."""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SITEDIFF = ROOT.parent / "shared" / "tools" / "sitediff.py"


def load_module(name: str, path: Path) -> ModuleType:
    """Import a module from a file outside any package (scripts/, ../shared/tools), once."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]  # as importlib does: no half-made module for the next import
        raise
    return module


@contextmanager
def environment(cwd: Path, env: Mapping[str, str]) -> Iterator[None]:
    """Run in `cwd` with `env` added to the variables, as a golden's Jekyll build ran.

    Restored by hand (not monkeypatch) so the C library's zone is reset after TZ is."""
    saved_env, saved_cwd = os.environ.copy(), os.getcwd()
    os.environ.update(env)
    os.chdir(cwd)
    time.tzset()
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        time.tzset()


def equivalent(report: dict[str, Any]) -> bool:
    """sitediff found no file missing, none extra and every file equivalent."""
    return (
        not report["missing"]
        and not report["extra"]
        and all(v["equivalent"] for v in report["files"].values())
    )


def report_text(sitediff: ModuleType, report: dict[str, Any], diffs: int | None = 8) -> str:
    """sitediff's per-file verdicts, with the diff of the first `diffs` differing files
    (all of them when None), and its summary line."""
    lines = [f"missing  {rel}" for rel in report["missing"]]
    lines += [f"extra    {rel}" for rel in report["extra"]]
    differing = [(rel, v) for rel, v in sorted(report["files"].items()) if not v["equivalent"]]
    for i, (rel, verdict) in enumerate(differing):
        lines.append(f"differs  {rel}  similarity {verdict['similarity']}")
        if diffs is None or i < diffs:
            lines += ["    " + line for line in verdict["diff"]]
    lines.append(sitediff.summary(report))
    return "\n".join(lines)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
