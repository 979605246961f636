"""The GitHub Actions workflows validate against GitHub's workflow schema (check-jsonschema
vendors it, so this runs offline) and say what the issue asks for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pykyll import __version__
from pykyll.workflow import pages_workflow, scholar_workflow

ROOT = Path(__file__).resolve().parents[2]


def validate(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("workflows")
    texts = {
        "pages": pages_workflow("1.2.3"),
        "pages-master": pages_workflow("1.2.3", branch="master"),
        "scholar": scholar_workflow("1.2.3"),
        "broken": pages_workflow("1.2.3").replace("runs-on:", "runs_on:"),
    }
    files = {}
    for name, text in texts.items():
        files[name] = folder / f"{name}.yml"
        files[name].write_text(text, encoding="utf-8")
    return files


def test_generated_workflows_validate(written: dict[str, Path]) -> None:
    result = validate(written["pages"], written["pages-master"], written["scholar"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_validator_rejects_a_broken_workflow(written: dict[str, Path]) -> None:
    result = validate(written["broken"])
    assert result.returncode == 1
    assert "runs-on" in result.stdout


def test_repository_workflow_validates_and_matches_the_generator() -> None:
    mine = ROOT / ".github" / "workflows" / "pages.yml"
    assert validate(mine).returncode == 0
    assert mine.read_text(encoding="utf-8") == pages_workflow(__version__, install=".")


def test_pages_workflow_steps() -> None:
    workflow = yaml.safe_load(pages_workflow("1.2.3"))
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"]
    # PyYAML reads the `on:` key as True (YAML 1.1)
    triggers = workflow[True]
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers
    steps = workflow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    runs = [s.get("run", "") for s in steps]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert steps[1]["with"]["cache"] == "pip"
    assert "pip install pykyll==1.2.3" in runs
    assert any(r.startswith("pykyll build --strict") for r in runs)
    assert any(r.startswith("pykyll check") for r in runs)
    assert "actions/upload-pages-artifact" in uses
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_scholar_workflow_commits_the_json() -> None:
    workflow = yaml.safe_load(scholar_workflow("1.2.3"))
    assert "schedule" in workflow[True]
    assert workflow["permissions"]["contents"] == "write"
    script = "\n".join(s.get("run", "") for s in workflow["jobs"]["update"]["steps"])
    assert 'pip install "pykyll[scholar]==1.2.3"' in script
    assert "pykyll scholar update --out google-scholar-stats" in script
    assert "git commit" in script and "git push" in script
