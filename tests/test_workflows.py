"""The GitHub workflows run Home Assistant's and HACS's validators and the tests.

They run on GitHub, not here: these tests check that each workflow is valid
YAML and names the right actions with the right inputs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

WORKFLOWS = Path(__file__).resolve().parent.parent / ".github" / "workflows"


def _workflow(name: str) -> dict[Any, Any]:
    loaded = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


@pytest.mark.parametrize("name", ["validate.yml", "tests.yml"])
def test_workflow_runs_on_pushes_and_pull_requests(name: str) -> None:
    workflow = _workflow(name)
    # YAML 1.1 reads the key `on` as True
    triggers = workflow.get("on", workflow.get(True))
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]
    for step in _steps(workflow)[:1]:
        assert step["uses"].startswith("actions/checkout@")


def test_validate_workflow_runs_hassfest() -> None:
    uses = [step.get("uses") for step in _steps(_workflow("validate.yml"))]
    assert "home-assistant/actions/hassfest@master" in uses


def test_validate_workflow_runs_the_hacs_action_for_an_integration() -> None:
    hacs = [
        step
        for step in _steps(_workflow("validate.yml"))
        if step.get("uses") == "hacs/action@main"
    ]
    assert len(hacs) == 1
    assert hacs[0]["with"] == {"category": "integration"}


def test_tests_workflow_runs_the_ci_script() -> None:
    steps = _steps(_workflow("tests.yml"))
    assert {"run": ".ci/run"} in steps
    assert (WORKFLOWS.parent.parent / ".ci" / "run").stat().st_mode & 0o111
