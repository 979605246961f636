"""`pykyll scholar update`: the Google Scholar JSON files AcadHomepage's crawler writes.

AcadHomepage's `google_scholar_crawler/main.py` (run by its GitHub workflow) does, with
the `scholarly` package:

    author = scholarly.search_author_id(ID)
    scholarly.fill(author, sections=['basics', 'indices', 'counts', 'publications'])
    author['updated'] = str(datetime.now())
    author['publications'] = {p['author_pub_id']: p for p in author['publications']}
    json.dump(author, open('results/gs_data.json', 'w'), ensure_ascii=False)
    json.dump({"schemaVersion": 1, "label": "citations", "message": f"{author['citedby']}"},
              open('results/gs_data_shieldsio.json', 'w'), ensure_ascii=False)

This module does the same, into `--out` (default `google-scholar-stats/`, where the
build looks for them). `scholarly` is an optional dependency (`pip install
'pykyll[scholar]'`), imported only when the command runs; tests give a recorded stand-in
for its API object instead of the network.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from pykyll.errors import PykyllError

SECTIONS = ["basics", "indices", "counts", "publications"]
DATA_FILE = "gs_data.json"
SHIELDS_FILE = "gs_data_shieldsio.json"
DEFAULT_OUT = "google-scholar-stats"


class ScholarlyAPI(Protocol):
    """The part of `scholarly.scholarly` the crawler uses."""

    def search_author_id(self, id: str) -> Any: ...

    def fill(self, object: Any, sections: list[str]) -> Any: ...


def scholarly_api() -> ScholarlyAPI:
    try:
        from scholarly import scholarly  # type: ignore[import-not-found,unused-ignore]
    except ImportError as err:
        raise PykyllError(
            "`pykyll scholar update` needs the scholarly package, which is not installed",
            hint="pip install 'pykyll[scholar]' (or: pip install scholarly)",
        ) from err
    api: ScholarlyAPI = scholarly
    return api


def fetch(user: str, api: ScholarlyAPI) -> dict[str, Any]:
    """The author profile, filled like the crawler fills it."""
    try:
        author = api.search_author_id(user)
        filled = api.fill(author, sections=list(SECTIONS))
    except PykyllError:
        raise
    except Exception as err:  # scholarly raises many kinds (network, captcha, parsing)
        raise PykyllError(
            f"could not read the Google Scholar profile '{user}': {type(err).__name__}: {err}",
            hint="check the ID (the `user=` part of the profile's URL); Google Scholar "
            "also blocks frequent or cloud requests — retry later or from another network",
        ) from err
    if filled is not None:
        author = filled
    if not isinstance(author, dict) or "name" not in author:
        raise PykyllError(f"Google Scholar returned no profile for '{user}'")
    return dict(author)


def crawler_files(author: dict[str, Any], now: datetime) -> tuple[dict[str, Any], dict[str, Any]]:
    """(gs_data.json, gs_data_shieldsio.json) contents, as the crawler makes them."""
    data = dict(author)
    data["updated"] = str(now)
    publications = author.get("publications") or []
    if isinstance(publications, dict):  # already keyed
        data["publications"] = dict(publications)
    else:
        data["publications"] = {p["author_pub_id"]: p for p in publications}
    shields = {
        "schemaVersion": 1,
        "label": "citations",
        "message": f"{author.get('citedby', 0)}",
    }
    return data, shields


def _write(path: Path, value: dict[str, Any]) -> None:
    text = json.dumps(value, ensure_ascii=False, default=_plain)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _plain(value: Any) -> Any:
    """What json cannot write itself (scholarly's enums, sets, dates): as text or lists."""
    if isinstance(value, set | tuple):
        return list(value)
    enum_value = getattr(value, "value", None)
    if enum_value is not None and isinstance(enum_value, str | int):
        return enum_value
    return str(value)


def update(
    user: str,
    out: Path,
    api: ScholarlyAPI | None = None,
    now: datetime | None = None,
) -> tuple[Path, Path, dict[str, Any]]:
    """Fetch `user`'s profile and write both files into `out`; returns their paths."""
    if not user.strip():
        raise PykyllError(
            "no Google Scholar ID",
            hint="pass --user ID (the `user=` part of your profile's URL) or set GOOGLE_SCHOLAR_ID",
        )
    author = fetch(user.strip(), api if api is not None else scholarly_api())
    data, shields = crawler_files(author, now or datetime.now())
    try:
        out.mkdir(parents=True, exist_ok=True)
        data_path, shields_path = out / DATA_FILE, out / SHIELDS_FILE
        _write(data_path, data)
        _write(shields_path, shields)
    except OSError as err:
        raise PykyllError(f"cannot write the Google Scholar files: {err}", file=str(out)) from err
    return data_path, shields_path, data
