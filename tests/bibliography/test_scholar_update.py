"""`pykyll scholar update` against a recorded scholarly response (never the network)."""

from __future__ import annotations

import copy
import enum
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from pykyll.cli import main
from pykyll.errors import PykyllError
from pykyll.scholar import update as scholar_update

RECORDED = json.loads(
    (Path(__file__).with_name("recorded") / "scholarly_author.json").read_text(encoding="utf-8")
)


class AuthorSource(enum.StrEnum):  # scholarly's enums are str-valued like this one
    AUTHOR_PROFILE_PAGE = "AUTHOR_PROFILE_PAGE"


class FakeScholarly:
    """scholarly's API object, answering from the recorded profile."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.fail = fail

    def search_author_id(self, id: str) -> dict[str, Any]:
        self.calls.append(("search_author_id", id))
        if self.fail is not None:
            raise self.fail
        if id != RECORDED["scholar_id"]:
            raise Exception(f"Cannot fetch the author page for {id}")
        return {
            "container_type": "Author",
            "filled": [],
            "scholar_id": id,
            "source": AuthorSource.AUTHOR_PROFILE_PAGE,
        }

    def fill(self, object: dict[str, Any], sections: list[str]) -> dict[str, Any]:
        self.calls.append(("fill", sections))
        filled = copy.deepcopy(RECORDED)
        filled["source"] = AuthorSource.AUTHOR_PROFILE_PAGE
        filled["cites_per_year"] = {int(k): v for k, v in filled["cites_per_year"].items()}
        object.update(filled)
        return object


NOW = datetime(2026, 11, 27, 3, 0, 0, 123456)


def test_writes_the_crawlers_two_files(tmp_path: Path) -> None:
    api = FakeScholarly()
    data_path, shields_path, _ = scholar_update.update(
        "EXAMPLEAAAAJ", tmp_path / "out", api=api, now=NOW
    )
    assert api.calls == [
        ("search_author_id", "EXAMPLEAAAAJ"),
        ("fill", ["basics", "indices", "counts", "publications"]),
    ]
    assert (data_path.name, shields_path.name) == ("gs_data.json", "gs_data_shieldsio.json")

    shields_text = shields_path.read_text(encoding="utf-8")
    assert json.loads(shields_text) == {
        "schemaVersion": 1,
        "label": "citations",
        "message": "412",
    }
    text = data_path.read_text(encoding="utf-8")
    assert "Northmoor Universität" in text  # ensure_ascii=False, like the crawler
    data = json.loads(text)
    assert data["updated"] == "2026-11-27 03:00:00.123456"  # str(datetime.now())
    assert data["publications"] == {p["author_pub_id"]: p for p in RECORDED["publications"]}
    assert list(data["publications"]) == [p["author_pub_id"] for p in RECORDED["publications"]]
    expected = {k: v for k, v in RECORDED.items() if k != "publications"}
    assert {k: v for k, v in data.items() if k not in ("publications", "updated")} == expected
    # what AcadHomepage's pages read
    assert data["citedby"] == 412 and data["hindex"] == 5
    assert data["publications"]["EXAMPLEAAAAJ:9yKSN-GCB0IC"]["num_citations"] == 164
    assert not list((tmp_path / "out").glob("*.tmp"))


def test_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(scholar_update, "scholarly_api", FakeScholarly)
    out = tmp_path / "google-scholar-stats"
    assert main(["scholar", "update", "--user", "EXAMPLEAAAAJ", "--out", str(out)]) == 0
    assert "Maren Holloway: 412 citations" in capsys.readouterr().out
    assert json.loads((out / "gs_data.json").read_text())["name"] == "Maren Holloway"
    assert json.loads((out / "gs_data_shieldsio.json").read_text())["message"] == "412"

    # the crawler's environment variable is the default ID
    monkeypatch.setenv("GOOGLE_SCHOLAR_ID", "EXAMPLEAAAAJ")
    monkeypatch.chdir(tmp_path)
    (out / "gs_data.json").unlink()
    assert main(["scholar", "update"]) == 0
    assert (out / "gs_data.json").exists()


def test_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(scholar_update, "scholarly_api", FakeScholarly)
    assert main(["scholar", "update", "--user", "NOSUCHID", "--out", str(tmp_path)]) == 1
    output = capsys.readouterr()
    assert "could not read the Google Scholar profile 'NOSUCHID'" in output.out + output.err
    assert not (tmp_path / "gs_data.json").exists()

    monkeypatch.delenv("GOOGLE_SCHOLAR_ID", raising=False)
    with pytest.raises(PykyllError, match="no Google Scholar ID"):
        scholar_update.update("", tmp_path, api=FakeScholarly())

    blocked = FakeScholarly(fail=RuntimeError("Cannot Fetch from Google Scholar."))
    with pytest.raises(PykyllError, match="RuntimeError: Cannot Fetch"):
        scholar_update.update("EXAMPLEAAAAJ", tmp_path, api=blocked)


def test_scholarly_is_optional(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "scholarly", None)  # import fails as if not installed
    code = main(["scholar", "update", "--user", "EXAMPLEAAAAJ", "--out", str(tmp_path)])
    output = capsys.readouterr()
    assert code == 1
    assert "pip install 'pykyll[scholar]'" in output.out + output.err
