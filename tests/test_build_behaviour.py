"""The build's own guarantees: clear errors with file and line, nothing lost on failure,
unchanged files not rewritten, `keep_files` honoured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pykyll.cli import main


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def build(src: Path, dest: Path, *extra: str) -> int:
    return main(["build", "-s", str(src), "-d", str(dest), *extra])


@pytest.fixture
def site(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    write(
        src,
        {
            "_config.yml": "title: Test\n",
            "_layouts/default.html": "<main>{{ content }}</main>\n",
            "index.md": "---\nlayout: default\n---\nHello *world*\n",
            "static.txt": "static\n",
        },
    )
    return src


def test_build_writes_pages_and_static_files(site: Path, tmp_path: Path) -> None:
    dest = tmp_path / "out"
    assert build(site, dest) == 0
    assert "<em>world</em>" in (dest / "index.html").read_text()
    assert (dest / "static.txt").read_text() == "static\n"


def test_failed_build_keeps_previous_site(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "out"
    assert build(site, dest) == 0
    before = (dest / "index.html").read_text()
    write(site, {"broken.html": "---\n---\n{% include missing.html %}\n"})
    status = build(site, dest)
    assert status != 0
    assert (dest / "index.html").read_text() == before
    assert not (dest / "broken.html").exists()
    err = capsys.readouterr().err
    assert "broken.html" in err
    assert "Traceback" not in err


def test_invalid_front_matter_warns_and_builds(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(site, {"bad.md": "---\ntitle: [oops\n---\nbody\n"})
    assert build(site, tmp_path / "out") == 0
    err = capsys.readouterr().err
    assert "bad.md:3" in err and "line 2" in err


def test_invalid_front_matter_fails_when_strict(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(site, {"bad.md": "---\ntitle: [oops\n---\nbody\n"})
    assert build(site, tmp_path / "out", "--strict_front_matter") == 3
    assert "bad.md:3" in capsys.readouterr().err


def test_front_matter_must_be_a_mapping(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(site, {"list.md": "---\n- a\n- b\n---\nbody\n"})
    assert build(site, tmp_path / "out") == 3
    assert "Invalid YAML front matter in list.md" in capsys.readouterr().err


def test_python_object_tags_are_refused(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(site, {"_config.yml": "title: !!python/object/apply:os.system ['true']\n"})
    assert build(site, tmp_path / "out") == 2
    assert "not allowed" in capsys.readouterr().err


def test_invalid_config_names_file_and_line(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(site, {"_config.yml": "title: ok\nexclude: [a\n"})
    assert build(site, tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert "_config.yml:" in err


def test_missing_layout_is_a_warning(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(site, {"page.md": "---\nlayout: compress\n---\nx\n"})
    assert build(site, tmp_path / "out") == 0
    assert "Layout 'compress' requested in page.md does not exist." in capsys.readouterr().err


def test_destination_may_not_contain_source(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build(site, site.parent) == 2
    assert (
        "Destination directory cannot be or contain the Source directory" in capsys.readouterr().err
    )


def test_unchanged_files_are_not_rewritten(site: Path, tmp_path: Path) -> None:
    dest = tmp_path / "out"
    build(site, dest)
    inode_before = os.stat(dest / "index.html").st_ino
    build(site, dest)
    assert os.stat(dest / "index.html").st_ino == inode_before
    write(site, {"index.md": "---\nlayout: default\n---\nChanged\n"})
    build(site, dest)
    assert "Changed" in (dest / "index.html").read_text()


def test_a_static_file_rewritten_with_its_size_and_time_is_copied_again(
    site: Path, tmp_path: Path
) -> None:
    """Same size, same modification time (the same clock tick, or `touch -d`), other bytes."""
    dest = tmp_path / "out"
    static = site / "static.txt"
    build(site, dest)
    inode_before = os.stat(dest / "static.txt").st_ino
    build(site, dest)
    assert os.stat(dest / "static.txt").st_ino == inode_before  # unchanged: linked, not copied
    times = os.stat(static)
    static.write_text("STATIC\n", encoding="utf-8")
    os.utime(static, ns=(times.st_atime_ns, times.st_mtime_ns))
    build(site, dest)
    assert (dest / "static.txt").read_text() == "STATIC\n"


def test_keep_files_survive_and_stale_files_go(site: Path, tmp_path: Path) -> None:
    dest = tmp_path / "out"
    build(site, dest)
    write(dest, {".git/HEAD": "ref\n", "stale.html": "old\n"})
    build(site, dest)
    assert (dest / ".git/HEAD").read_text() == "ref\n"
    assert not (dest / "stale.html").exists()


def test_trace_shows_the_python_exception(site: Path, tmp_path: Path) -> None:
    write(site, {"_config.yml": "title: [x\n"})
    with pytest.raises(Exception, match="invalid YAML"):
        build(site, tmp_path / "out", "--trace")


@pytest.mark.parametrize(
    ("config", "code", "said"),
    [("title: Test\n", 0, "done in"), ("title: [unclosed\n", 2, "_config.yml")],
)
def test_the_command_exits_at_once_with_its_status_and_every_line_said(
    site: Path, tmp_path: Path, config: str, code: int, said: str
) -> None:
    """`pykyll` ends with `os._exit` (skipping the interpreter's tidy-up): the exit status
    and the last lines on both streams, piped, must still come through."""
    (site / "_config.yml").write_text(config, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pykyll", "build", "-s", str(site), "-d", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == code
    assert said in done.stdout + done.stderr
    if code == 0:
        assert done.stdout.rstrip().endswith("Auto-regeneration: disabled. Use --watch to enable.")


def test_a_closed_output_pipe_ends_the_command_without_a_traceback(
    site: Path, tmp_path: Path
) -> None:
    """`pykyll build | head -1`: once the reader has gone, the command stops quietly."""
    process = subprocess.Popen(
        [sys.executable, "-m", "pykyll", "build", "-s", str(site), "-d", str(tmp_path / "out")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},  # each line written as it is said
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    error = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141
    assert "Traceback" not in error
