"""The resident process of `pykyll build --incremental` (`pykyll.resident`): the builds it
serves write what a full build writes, print what a build prints, exit as a build exits;
it steps aside for anything else and goes away when asked."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sitecheck import ROOT, load_module, tree_bytes

from pykyll.read_log import ReadLog

pytestmark = pytest.mark.skipif(os.name != "posix", reason="Unix sockets and fork")

BUILD = ["build", "-V", "--incremental"]


def _environment(run: Path, setting: str = "60") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYKYLL_RESIDENT"] = setting
    env["XDG_RUNTIME_DIR"] = str(run)
    env["PYTHONUNBUFFERED"] = "1"  # each line on the pipe as it is printed
    return env


def _pykyll(site: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pykyll", *args],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _socket(run: Path) -> Path | None:
    found = list(run.glob("pykyll-*/*.sock"))
    return found[0] if found else None


def _wait_for_socket(run: Path) -> Path:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = _socket(run)
        if found is not None:
            return found
        time.sleep(0.05)
    raise AssertionError("no resident process started")


def _full_build_of(site: Path, scratch: Path) -> dict[str, bytes]:
    """`_site` as a plain full build (no cache, no resident) writes it from the same sources."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(site, scratch, ignore=shutil.ignore_patterns("_site", ".pykyll-cache"))
    done = _pykyll(scratch, _environment(scratch, "0"), "build", "-q")
    assert done.returncode == 0, done.stderr
    return tree_bytes(scratch / "_site")


@pytest.fixture
def resident_site(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    make_site = load_module("make_site", ROOT / "benchmarks" / "make_site.py")
    site = tmp_path / "site"
    make_site.make_site(40, site)
    run = _short_folder()
    env = _environment(run)
    first = _pykyll(site, env, *BUILD)
    assert first.returncode == 0, first.stderr
    assert "Resident:" not in first.stdout  # nothing was running yet
    _wait_for_socket(run)
    yield site, env
    _pykyll(site, env, "clean")
    shutil.rmtree(run, ignore_errors=True)


def _short_folder() -> Path:
    """The socket folder: a socket's path must be short, and pytest's folders are long."""
    return Path(tempfile.mkdtemp(prefix="pk-", dir="/tmp"))


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _paper(site: Path, n: int = 3) -> Path:
    return site / "_publications" / f"paper-{n:05d}.md"


NEW_POST = "---\ntitle: New\n---\nHi\n"
NEW_LINK = "- {title: X, url: /x}\n"

EDITS: list[tuple[str, Callable[[Path], None], str]] = [
    ("a body", lambda s: _append(_paper(s), "\nA new closing line.\n"), "read again"),
    # same size, at once: the file's times may equal those of the read
    ("the same body, same size", lambda s: _replace(_paper(s), "closing", "CLOSING"), "read again"),
    ("a page's body", lambda s: _append(s / "pages" / "page-0.md", "\nMore.\n"), "read again"),
    ("a front matter", lambda s: _replace(_paper(s, 5), "title: ", "title: Now "), "again"),
    ("a layout", lambda s: _replace(s / "_layouts" / "default.html", "<main>", "<main id=m>"), ""),
    ("an include", lambda s: _append(s / "_includes" / "nav.html", "<!-- nav -->\n"), ""),
    ("a data file", lambda s: _append(s / "_data" / "navigation.yml", NEW_LINK), ""),
    ("a new post", lambda s: (s / "_posts" / "2020-01-01-new.md").write_text(NEW_POST), ""),
    ("a removed page", lambda s: (s / "pages" / "page-1.md").unlink(), ""),
    ("the configuration", lambda s: _replace(s / "_config.yml", "title: ", "title: The "), ""),
]  # fmt: skip


def test_builds_through_the_resident_write_what_a_full_build_writes(
    resident_site: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    site, env = resident_site
    for what, edit, expected in EDITS:
        edit(site)
        done = _pykyll(site, env, *BUILD)
        assert done.returncode == 0, (what, done.stderr)
        assert "Resident:" in done.stdout, (what, done.stdout)  # the resident ran it
        assert expected in done.stdout, (what, done.stdout)
        assert "done in" in done.stdout and "Generating..." in done.stdout
        assert tree_bytes(site / "_site") == _full_build_of(site, tmp_path / "scratch"), what


def test_a_body_edit_is_read_alone(resident_site: tuple[Path, dict[str, str]]) -> None:
    site, env = resident_site
    idle = _pykyll(site, env, *BUILD)  # served once the resident has read the site
    assert "the site was read ahead; 0 file(s) read again" in idle.stdout, idle.stdout
    time.sleep(0.5)  # it looks for changes after each build (and would read again after one)
    _append(_paper(site, 7), "\nEdited.\n")
    done = _pykyll(site, env, *BUILD)
    assert "the site was read ahead; 1 file(s) read again" in done.stdout, done.stdout


def test_a_failing_build_fails_the_same_way(resident_site: tuple[Path, dict[str, str]]) -> None:
    site, env = resident_site
    _append(_paper(site), "\n{% if %}\n")
    failed = _pykyll(site, env, *BUILD)
    assert failed.returncode == 4
    assert "Resident:" in failed.stdout
    assert "_publications/paper-00003.md:" in failed.stderr
    assert "Liquid syntax error" in failed.stderr
    assert "Traceback" not in failed.stderr
    _replace(_paper(site), "\n{% if %}\n", "\n")
    fixed = _pykyll(site, env, *BUILD)
    assert fixed.returncode == 0, fixed.stderr
    assert "Resident:" in fixed.stdout


def test_another_command_is_built_without_it_and_replaces_it(
    resident_site: tuple[Path, dict[str, str]],
) -> None:
    site, env = resident_site
    other = [*BUILD, "--trace"]
    first = _pykyll(site, env, *other)
    assert first.returncode == 0, first.stderr
    assert "Resident:" not in first.stdout
    deadline = time.monotonic() + 10
    while "Resident:" not in _pykyll(site, env, *other).stdout:  # the new one took over
        assert time.monotonic() < deadline, "the new build left no resident of its own"
        time.sleep(0.1)


def test_clean_stops_it(resident_site: tuple[Path, dict[str, str]]) -> None:
    site, env = resident_site
    cleaned = _pykyll(site, env, "clean")
    assert "Stopped the resident build process" in cleaned.stdout
    assert _socket(Path(env["XDG_RUNTIME_DIR"])) is None
    again = _pykyll(site, env, *BUILD)
    assert again.returncode == 0 and "Resident:" not in again.stdout


@pytest.mark.parametrize("setting", [{"PYKYLL_RESIDENT": "0"}, {"CI": "true"}])
def test_off_when_asked_and_on_ci(tmp_path: Path, setting: dict[str, str]) -> None:
    make_site = load_module("make_site", ROOT / "benchmarks" / "make_site.py")
    make_site.make_site(10, tmp_path / "site")
    run = _short_folder()
    env = {**_environment(run), **setting}
    assert _pykyll(tmp_path / "site", env, *BUILD).returncode == 0
    time.sleep(0.5)
    assert _socket(run) is None
    shutil.rmtree(run, ignore_errors=True)


# -- the read log, in this process ----------------------------------------------------------


def _logged(folder: Path) -> ReadLog:
    log = ReadLog(folder.parent / f"{folder.name}-mark")
    log.listed(folder, sorted(os.listdir(folder)))
    log.probed(folder / "missing")
    log.seal()
    return log


def test_read_log_tells_changed_files_from_changed_folders(tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("x")
    time.sleep(0.05)  # a tick of the file system's clock
    log = _logged(tmp_path)
    assert log.changes() == set()
    (tmp_path / "a.md").write_text("yy")
    assert log.changes() == {str(tmp_path / "a.md")}
    (tmp_path / "c.md").write_text("new")
    assert log.changes() is None  # a file was added
    (tmp_path / "c.md").unlink()
    (tmp_path / "missing").mkdir()
    assert log.changes() is None  # a probed path appeared


def test_read_log_counts_a_file_written_since_the_marker_as_changed(tmp_path: Path) -> None:
    log = ReadLog(tmp_path / "mark")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.md").write_text("x")
    log.listed(tmp_path / "site", ["a.md"])
    log.seal()
    # written after the read began: it may be written again within the same clock tick
    assert log.changes() == {str(tmp_path / "site" / "a.md")}


def test_ctrl_c_reaches_the_build_it_runs(resident_site: tuple[Path, dict[str, str]]) -> None:
    site, env = resident_site
    slow = "\n{% for i in (1..3000) %}{% for j in (1..3000) %}{% endfor %}{% endfor %}\n"
    _append(site / "pages" / "page-0.md", slow)
    before = tree_bytes(site / "_site")
    process = subprocess.Popen(
        [sys.executable, "-m", "pykyll", *BUILD],
        cwd=site,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    said = []
    while not said or "Resident:" not in said[-1]:  # served: the site is read, rendering is next
        line = process.stdout.readline()
        assert line, "".join(said)
        said.append(line)
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Interrupted:" in err and "Traceback" not in err
    assert tree_bytes(site / "_site") == before
