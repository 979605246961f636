"""A source file is opened once per build: `has_yaml_header` keeps a small file's bytes for
the `read_source` that follows. They must never outlive an edit of the file. The quick paths
for what is worked out for every file (a file name's date, a path below the site) give the
answers of the slow ones."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

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


# -- dates and paths read for every file -----------------------------------------------------


@pytest.mark.parametrize("text", ["2020-01-01", "1999-12-31", "2024-02-29", "0001-01-01"])
def test_a_file_name_date_is_what_dateutil_makes_of_it(text: str) -> None:
    from dateutil import parser as dateparser

    from pykyll.utils import _parse_date_text

    expected = dateparser.parse(text, default=dt.datetime(2026, 1, 1))
    assert _parse_date_text(text, "") == expected
    assert _parse_date_text(text, "").tzinfo is None


@pytest.mark.parametrize("text", ["2020-02-30", "2021-13-01", "2021-00-10"])
def test_an_impossible_file_name_date_is_reported_as_before(text: str) -> None:
    from pykyll.utils import InvalidDate, _parse_date_text

    with pytest.raises(InvalidDate, match=f"Invalid date '{text}': in the file name"):
        _parse_date_text(text, "in the file name")


@pytest.mark.parametrize(
    ("path", "root", "expected"),
    [
        ("/site/_posts/a.md", "/site", "_posts/a.md"),
        ("/site/a b/ü.md", "/site", "a b/ü.md"),
        ("/a/b", "/", "a/b"),
        ("/site", "/site", "."),
    ],
)
def test_relative_posix_is_pathlibs_answer(path: str, root: str, expected: str) -> None:
    from pykyll.utils import relative_posix

    assert relative_posix(Path(path), Path(root)) == expected
    assert relative_posix(Path(path), Path(root)) == Path(path).relative_to(root).as_posix()


def test_relative_posix_outside_the_root_fails_as_pathlib_does() -> None:
    from pykyll.utils import relative_posix

    with pytest.raises(ValueError):
        relative_posix(Path("/sites/a.md"), Path("/site"))
