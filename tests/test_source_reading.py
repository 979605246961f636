"""A source file is opened once per build: `has_yaml_header` keeps a small file's bytes for
the `read_source` that follows. They must never outlive an edit of the file."""

from __future__ import annotations

import os
from pathlib import Path

from pykyll.frontmatter import has_yaml_header, read_source


def test_the_bytes_read_for_the_header_check_serve_the_read(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: A\n---\nbody\n", encoding="utf-8")
    assert has_yaml_header(page)
    assert read_source(page) == "---\ntitle: A\n---\nbody\n"


def test_an_edit_after_the_header_check_is_read_afresh(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: A\n---\nbody\n", encoding="utf-8")
    assert has_yaml_header(page)
    page.write_text("---\ntitle: B\n---\nbody\n", encoding="utf-8")  # same size
    os.utime(page, ns=(1, 1))  # and whatever the clock's resolution, another time
    assert read_source(page) == "---\ntitle: B\n---\nbody\n"


def test_a_file_replaced_after_the_header_check_is_read_afresh(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: A\n---\nbody\n", encoding="utf-8")
    assert has_yaml_header(page)
    fresh = tmp_path / "fresh.md"
    fresh.write_text("---\ntitle: C\n---\nbody\n", encoding="utf-8")
    os.utime(fresh, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns))
    fresh.replace(page)  # what editors do on save: same size and time, another file
    assert read_source(page) == "---\ntitle: C\n---\nbody\n"


def test_large_files_and_files_without_front_matter_are_not_kept(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_text("---\ntitle: A\n---\n" + "x" * 100_000, encoding="utf-8")
    assert has_yaml_header(big)
    assert read_source(big).endswith("x" * 100_000)
    plain = tmp_path / "plain.txt"
    plain.write_text("no front matter\n", encoding="utf-8")
    assert not has_yaml_header(plain)
    assert read_source(plain) == "no front matter\n"
