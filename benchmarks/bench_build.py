"""Build-time benchmark: pykyll against Jekyll on generated academic sites, same run.

    python benchmarks/bench_build.py [--sizes 100,1000,5000] [--runs 3] [--big-runs 1]

For each size and tool, each run is: a cold build (no caches, no destination), two warm
builds (caches and destination of the previous build kept; `warm-1` is the first one,
`warm` the next, the steady state), then one publication's body is edited and an
`--incremental` build times the one-file rebuild in a fresh process (`incremental`: for
pykyll with `PYKYLL_RESIDENT=0`; Jekyll gets an untimed `--incremental` build first, to
write the `.jekyll-metadata` its incremental mode needs). Then pykyll's resident process is
started by an untimed `--incremental` build, another publication is edited three seconds
later (a person saving a file; the resident reads the site again after each build, which
takes about 2 s at N = 5,000, and a build that comes sooner waits for it) and
`incremental-r` times the build it serves; Jekyll's row is its
second incremental build the same way. It prints the median wall time over the runs, the
ratio pykyll/Jekyll, and the peak memory: the largest max RSS of the build's process tree
(`wait4`, which covers pykyll's worker processes); for `incremental-r`, the command's
own, and the resident process's resident set size after the build is printed below.

Sizes of 3,000 and more use `--big-runs` runs (Jekyll takes about a minute per build).
pykyll runs with bytecode caching on (as installed), whatever PYTHONDONTWRITEBYTECODE says.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
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
PYKYLL_ENV = {
    **{k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "CI")},
    "PYKYLL_RESIDENT": "0",
}
RESIDENT_ENV = {**PYKYLL_ENV, "PYKYLL_RESIDENT": "300"}
CACHES = (".jekyll-cache", ".pykyll-cache", ".jekyll-metadata")
KINDS = ("cold", "warm-1", "warm", "incremental", "incremental-r")


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS in MiB of one command (its own rusage, via wait4)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def clear_caches(site: Path) -> None:
    for name in CACHES:
        path = site / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def measure(tool: str, site: Path, dest: Path, runs: int) -> dict[str, list[tuple[float, float]]]:
    if tool == "pykyll":
        base = [sys.executable, "-m", "pykyll", "build", "-q", "-d", str(dest)]
        env, resident_env = PYKYLL_ENV, RESIDENT_ENV
    else:
        base = ["jekyll", "build", "-q", "-d", str(dest)]
        env = resident_env = JEKYLL_ENV
    results: dict[str, list[tuple[float, float]]] = {kind: [] for kind in KINDS}
    first, second = sorted((site / "_publications").glob("*.md"))[:2]
    for run in range(runs):
        clear_caches(site)
        shutil.rmtree(dest, ignore_errors=True)
        results["cold"].append(timed(base, site, env))
        results["warm-1"].append(timed(base, site, env))
        results["warm"].append(timed(base, site, env))
        if tool == "jekyll":
            timed([*base, "--incremental"], site, env)  # writes .jekyll-metadata
        first.write_text(first.read_text() + f"\nEdited in run {run}.\n")
        results["incremental"].append(timed([*base, "--incremental"], site, env))
        timed([*base, "--incremental"], site, resident_env)  # pykyll: leaves a resident
        time.sleep(3.0)
        second.write_text(second.read_text() + f"\nEdited in run {run}.\n")
        results["incremental-r"].append(timed([*base, "--incremental"], site, resident_env))
        if tool == "pykyll":
            print(f"# resident process after run {run + 1}: {stop_resident(site):.1f} MiB")
    return results


def stop_resident(site: Path) -> float:
    """Stop pykyll's resident process of `site`; its resident set size in MiB before."""
    from pykyll.resident.client import stop_resident as stop

    rss = 0.0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
            cwd = os.readlink(status.parent / "cwd")
            cmdline = (status.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if cwd == str(site) and b"pykyll" in cmdline:  # the builds are over: only it is left
            rss = max(rss, int(text.split("VmRSS:")[1].split()[0]) / 1024)
    stop(str(site))
    return rss


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cpu}, {cores} cores, Python {platform.python_version()}, {platform.system()}"


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big-runs", type=int, default=1, help="runs for sizes >= 3000")
    parser.add_argument("--no-jekyll", action="store_true")
    args = parser.parse_args()
    have_jekyll = shutil.which("jekyll") is not None and not args.no_jekyll
    subprocess.run([sys.executable, "-m", "pykyll", "--version"], env=PYKYLL_ENV, check=True)
    print(f"# {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {machine()}")
    if have_jekyll:
        version = subprocess.run(["jekyll", "--version"], env=JEKYLL_ENV, capture_output=True)
        print(f"# {version.stdout.decode().strip()}; load average at start {load()}")
    print(
        f"{'N':>6} {'build':<13} {'runs':>4} {'pykyll s':>9} {'jekyll s':>9} {'ratio':>6} "
        f"{'pykyll MiB':>10} {'jekyll MiB':>10}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        runs = args.big_runs if size >= 3000 else args.runs
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp) / "site"
            make_site(size, site)
            ours = measure("pykyll", site, Path(tmp) / "py_out", runs)
            theirs = measure("jekyll", site, Path(tmp) / "j_out", runs) if have_jekyll else {}
            for kind in KINDS:
                seconds = statistics.median(t for t, _ in ours[kind])
                mem = max(m for _, m in ours[kind])
                rows = theirs.get(kind)
                j_seconds = statistics.median(t for t, _ in rows) if rows else float("nan")
                j_mem = max(m for _, m in rows) if rows else float("nan")
                print(
                    f"{size:>6} {kind:<13} {runs:>4} {seconds:9.3f} {j_seconds:9.3f} "
                    f"{seconds / j_seconds:6.2f} {mem:10.1f} {j_mem:10.1f}",
                    flush=True,
                )
    print(f"# load average at end {load()}")


if __name__ == "__main__":
    main()
