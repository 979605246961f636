"""The example site at the repository's root passes what its workflow runs: `build
--strict`, `check` (also under the base URL of a project site) and `doctor`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

Run = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize("baseurl", ["", "/pykyll"])
def test_example_site_builds_strictly_and_checks_clean(
    tmp_path: Path, run: Run, baseurl: str
) -> None:
    dest = str(tmp_path / "site")
    options = ["-s", str(ROOT), "-d", dest, "--baseurl", baseurl]
    code, out, err = run(tmp_path, "build", "--strict", *options, github=True)
    assert code == 0, out + err
    assert "::error" not in out and "::warning" not in out
    code, out, err = run(tmp_path, "check", "--skip-build", *options)
    assert code == 0, out + err
    assert "no problems" in out


def test_example_site_passes_doctor(tmp_path: Path, run: Run) -> None:
    code, out, err = run(tmp_path, "doctor", "-s", str(ROOT))
    assert code == 0, out + err
    assert "Everything looks fine." in out
