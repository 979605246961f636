"""An interrupted build leaves `_site` wholly old or wholly new, compared byte for byte.

`python -m pykyll build` runs as a subprocess on a generated site (benchmarks/make_site.py)
whose second version changes every page and 40 MB of static files, so writing takes long
enough to be hit. It is stopped at several points: while reading, as soon as the staging
folder appears, and a few milliseconds into writing, with SIGINT, SIGTERM and SIGKILL.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitecheck import tree_bytes

ROOT = Path(__file__).resolve().parents[2]
STATIC_FILES = 40


def _command(src: Path, dest: Path) -> list[str]:
    return [sys.executable, "-m", "pykyll", "build", "-q", "-s", str(src), "-d", str(dest)]


def _build(src: Path, dest: Path) -> None:
    subprocess.run(_command(src, dest), check=True, timeout=120)


def _staging(dest: Path) -> list[Path]:
    return [p for p in dest.parent.iterdir() if p.name.startswith(f".{dest.name}.")]


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The source at version 2, and `_site` as built from version 1 and from version 2."""
    root = tmp_path_factory.mktemp("interrupt")
    src = root / "src"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "make_site.py"), "40", str(src)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with (src / "_config.yml").open("a", encoding="utf-8") as config:
        config.write("time: 2024-05-01 12:00:00 +0000\n")  # the same bytes on every build
    for i in range(STATIC_FILES):
        (src / "assets" / f"blob{i}.bin").write_bytes(bytes([i]) * (1 << 20))
    old = root / "old"
    _build(src, old)
    for layout in (src / "_layouts").iterdir():
        layout.write_text(layout.read_text(encoding="utf-8") + "<!-- version 2 -->\n")
    for i in range(STATIC_FILES):
        (src / "assets" / f"blob{i}.bin").write_bytes(bytes([i + 1]) * (1 << 20))
    new = root / "new"
    _build(src, new)
    return src, old, new


# (signal, when): "start" = 0.3 s after the start, an int = milliseconds after the staging
# folder appears (the build is writing then)
POINTS: list[tuple[signal.Signals, str | int]] = [
    (signal.SIGINT, "start"),
    (signal.SIGINT, 0),
    (signal.SIGTERM, 5),
    (signal.SIGINT, 30),
    (signal.SIGTERM, 80),
    (signal.SIGKILL, 10),
]


def test_interrupted_build_leaves_old_or_new_site(
    versions: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    src, old, new = versions
    old_files, new_files = tree_bytes(old), tree_bytes(new)
    assert old_files != new_files
    changed = [k for k in new_files if old_files.get(k) != new_files[k]]
    assert sum(k.endswith(".html") for k in changed) >= 40 and len(changed) >= 80
    outcomes: list[str] = []
    for number, (sig, when) in enumerate(POINTS):
        dest = tmp_path / f"run{number}" / "_site"
        dest.parent.mkdir()
        shutil.copytree(old, dest)
        process = subprocess.Popen(
            _command(src, dest), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        writing = False
        if when == "start":
            time.sleep(0.3)
        else:
            deadline = time.monotonic() + 60
            while not _staging(dest) and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.0005)
            writing = bool(_staging(dest))
            time.sleep(int(when) / 1000)
        still_running = process.poll() is None
        if still_running:
            process.send_signal(sig)
        _out, err = process.communicate(timeout=60)
        status = process.returncode
        built = tree_bytes(dest)
        state = "old" if built == old_files else "new" if built == new_files else "MIXED"
        outcomes.append(
            f"{signal.Signals(sig).name}@{when}: exit {status}, "
            f"{'writing' if writing else 'not writing'} when signalled, _site {state}"
        )
        assert state != "MIXED", outcomes[-1]
        assert "Traceback" not in err, err
        if sig == signal.SIGKILL:
            continue  # no cleanup is possible; the next build's staging folder is a new one
        if still_running and status == -sig:
            # Python's own default handling: the signal came as the process was exiting, its
            # work done; or, at "start", while the interpreter was still starting (either way
            # the site is whole, which the MIXED check above has asserted)
            if when != "start":
                assert state == "new", outcomes[-1]
        elif still_running:
            assert status in (0, 130, 143), (status, err)
            if status != 0:
                assert "Interrupted:" in err
        assert _staging(dest) == [], "the staging folder was left behind"
    print("\ninterrupted builds:\n  " + "\n  ".join(outcomes))
    assert any(" old" in o and "writing when" in o and "not" not in o for o in outcomes), outcomes


def test_sigterm_in_a_build_with_worker_processes_does_not_hang(
    versions: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """Forked workers inherit the build's SIGTERM handler; a pool that terminates its
    workers must not deadlock (it did, once: the handler raised in the workers)."""
    src, _old, new = versions
    dest = tmp_path / "_site"
    env = {**os.environ, "PYKYLL_JOBS": "2", "PYKYLL_PARALLEL_MIN": "1"}
    command = [*_command(src, dest), "--disable-disk-cache"]
    subprocess.run(command, check=True, timeout=120, env=env)
    assert tree_bytes(dest) == tree_bytes(new)
