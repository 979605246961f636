"""Build-time benchmark: pykyll against Jekyll on generated academic sites, same run.

    python benchmarks/bench_build.py [--sizes 100,1000,5000] [--runs 3]

For each size it prints the median wall time of a cold build (no caches), a warm build
(caches from the previous build kept), a one-file incremental build, the ratio to
Jekyll's time where `jekyll` is installed, and the peak memory (max RSS) of each tool.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_site import make_site

JEKYLL_ENV = {**os.environ, "JEKYLL_NO_BUNDLER_REQUIRE": "true"}
CACHES = (".jekyll-cache", ".pykyll-cache", ".jekyll-metadata")


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS in MiB of one command (its own rusage, via wait4)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def clear_caches(site: Path) -> None:
    for name in CACHES:
        path = site / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def measure(tool: str, site: Path, dest: Path, runs: int) -> dict[str, tuple[float, float]]:
    if tool == "pykyll":
        base = [sys.executable, "-m", "pykyll", "build", "-q", "-d", str(dest)]
        env = None
    else:
        base = ["jekyll", "build", "-q", "-d", str(dest)]
        env = JEKYLL_ENV
    results: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": [], "incremental": []}
    for _ in range(runs):
        clear_caches(site)
        shutil.rmtree(dest, ignore_errors=True)
        results["cold"].append(timed(base, site, env))
        results["warm"].append(timed(base, site, env))
        touched = next((site / "_publications").glob("*.md"))
        touched.write_text(touched.read_text() + "\nEdited.\n")
        results["incremental"].append(timed([*base, "--incremental"], site, env))
    return {
        kind: (statistics.median(t for t, _ in rows), max(m for _, m in rows))
        for kind, rows in results.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    have_jekyll = shutil.which("jekyll") is not None
    print(
        f"{'N':>6} {'build':<12} {'pykyll s':>9} {'jekyll s':>9} {'ratio':>6} "
        f"{'pykyll MiB':>10} {'jekyll MiB':>10}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp) / "site"
            make_site(size, site)
            ours = measure("pykyll", site, Path(tmp) / "py_out", args.runs)
            theirs = measure("jekyll", site, Path(tmp) / "j_out", args.runs) if have_jekyll else {}
            for kind, (seconds, mem) in ours.items():
                j_seconds, j_mem = theirs.get(kind, (float("nan"), float("nan")))
                print(
                    f"{size:>6} {kind:<12} {seconds:9.3f} {j_seconds:9.3f} "
                    f"{seconds / j_seconds:6.2f} {mem:10.1f} {j_mem:10.1f}"
                )


if __name__ == "__main__":
    main()
