"""`pykyll build --watch`: rebuilds on save, survives a broken save, stops on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest


def wait_for(condition: Callable[[], bool], seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def save(path: Path, text: str) -> None:
    """Write as editors do: a new file renamed over the old one."""
    temporary = path.with_name(path.name + ".new")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_build_watch_rebuilds_keeps_going_after_errors_and_stops_on_ctrl_c(
    tmp_path: Path,
) -> None:
    src, dest = tmp_path / "src", tmp_path / "out"
    (src / "_layouts").mkdir(parents=True)
    (src / "_config.yml").write_text("title: Watched\n")
    (src / "_layouts" / "default.html").write_text("<main>{{ content }}</main>\n")
    page = src / "index.md"
    page.write_text("---\nlayout: default\n---\nfirst version\n")
    log_path = tmp_path / "log.txt"
    paths = ["-s", str(src), "-d", str(dest)]
    with log_path.open("w") as log_file:
        process = subprocess.Popen(
            # -X faulthandler: should Ctrl-C ever not stop it, SIGABRT shows where it hangs
            [sys.executable, "-X", "faulthandler", "-m", "pykyll", "build", "--watch", *paths],
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        log = lambda: log_path.read_text()  # noqa: E731
        assert wait_for(lambda: "Auto-regeneration: enabled" in log()), log()
        index = dest / "index.html"
        assert "first version" in index.read_text()

        save(page, "---\nlayout: default\n---\nsecond version\n")
        assert wait_for(lambda: "second version" in index.read_text()), log()
        assert "Regenerating:" in log() and "file(s) changed at" in log()

        save(page, "---\nlayout: default\n---\n{% if %}broken\n")
        assert wait_for(lambda: "index.md" in log() and "Error:" in log()), log()
        assert "second version" in index.read_text()  # the previous site is kept

        save(page, "---\nlayout: default\n---\nthird version\n")
        assert wait_for(lambda: "third version" in index.read_text()), log()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGABRT)  # every thread's stack into the log
            process.wait(timeout=20)
            pytest.fail(f"Ctrl-C did not stop `build --watch`:\n{log_path.read_text()}")
    assert code == 0, log_path.read_text()
    assert "Traceback" not in log_path.read_text()
