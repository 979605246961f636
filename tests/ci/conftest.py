from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pykyll.cli import main
from pykyll.log import NORMAL, log


@pytest.fixture
def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[int, str, str]]:
    """Run `pykyll ARGS` in-process in `cwd`; (exit code, stdout, stderr)."""

    def run(cwd: Path, *args: str, github: bool = False) -> tuple[int, str, str]:
        monkeypatch.chdir(cwd)
        if github:
            monkeypatch.setenv("GITHUB_ACTIONS", "true")
        else:
            monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
        capsys.readouterr()
        try:
            code = main(list(args))
        finally:
            log.level = NORMAL
            log.reset()
            log.github = False
        out, err = capsys.readouterr()
        return code, out, err

    return run
