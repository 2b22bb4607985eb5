"""The hosted-CI recipe (.github/workflows/ci.yml) stays valid and runs the README's commands.

GitHub Actions is not available here, so the workflow is checked as data: it parses, it is
triggered on pushes and pull requests, it runs every command of the README's quick start
(the same ones as .ci/run), every ``make`` target it calls exists, its Python matches the
project's, actions are pinned, and it asks for no secrets or cloud credentials.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text())
    assert isinstance(data, dict)
    return data


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def _run_commands(workflow: dict[Any, Any]) -> list[str]:
    commands = []
    for step in _steps(workflow):
        for line in str(step.get("run", "")).splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                commands.append(line)
    return commands


def readme_commands() -> list[str]:
    """The quick start: the first ```bash block of the README, comments stripped."""
    block = re.search(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert block, "README has no bash block"
    return [
        line.split("#", 1)[0].strip()
        for line in block.group(1).splitlines()
        if line.split("#", 1)[0].strip()
    ]


def _make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([A-Za-z][\w-]*):", text, re.M))


def test_workflow_parses_and_runs_on_pushes_and_pull_requests(workflow: dict[Any, Any]) -> None:
    # YAML 1.1 reads the bare key `on` as True.
    triggers = workflow.get("on", workflow.get(True))
    assert isinstance(triggers, dict)
    assert {"push", "pull_request"} <= set(triggers)
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        assert str(job["runs-on"]).startswith("ubuntu-"), name
        assert 0 < job["timeout-minutes"] <= 90, name
        assert job["steps"][0]["uses"].startswith("actions/checkout@"), name


def test_workflow_runs_the_readme_commands(workflow: dict[Any, Any]) -> None:
    readme = readme_commands()
    assert sorted(readme) == ["make synth", "make test"]
    commands = _run_commands(workflow)
    assert [command for command in commands if command in readme] == ["make test", "make synth"]
    assert "make integration" in commands
    ci_run = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.startswith("make ")
    ]
    # .ci/run: the README's two commands, and the integration tests the suite leaves out.
    assert sorted(ci_run) == sorted([*readme, "make integration"])


def test_every_make_target_the_workflow_calls_exists(workflow: dict[Any, Any]) -> None:
    called = [
        word
        for command in _run_commands(workflow)
        if command.startswith("make ")
        for word in command.split()[1:]
        if not word.startswith("-") and "=" not in word
    ]
    assert called and set(called) <= _make_targets()
    # `make test` covers lint, type-check and the suite; `make integration` the two tests the
    # suite leaves out (with the packaging test's wheelhouse). Together: every test.
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^test: lint typecheck unit$", makefile, re.M)
    assert re.search(r"^integration: setup wheelhouse$", makefile, re.M)
    unit = re.search(r"^UNIT_TESTS := (.+)$", makefile, re.M)
    integration = re.search(r"^INTEGRATION_TESTS := (.+)$", makefile, re.M)
    assert unit and integration
    # Every marker the project declares is an integration marker, and the suite excludes
    # exactly those: no test runs in neither command.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    markers = [m.split(":", 1)[0] for m in pyproject["tool"]["pytest"]["ini_options"]["markers"]]
    assert integration.group(1).split(" or ") == markers
    assert unit.group(1) == " and ".join(f"not {marker}" for marker in markers)


def test_workflow_python_is_the_projects(workflow: dict[Any, Any]) -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (setup,) = [
        s for s in _steps(workflow) if str(s.get("uses", "")).startswith("actions/setup-python@")
    ]
    version = str(setup["with"]["python-version"])
    assert version == pyproject["tool"]["mypy"]["python_version"]
    assert SpecifierSet(pyproject["project"]["requires-python"]).contains(f"{version}.0")
    for path in str(setup["with"].get("cache-dependency-path", "")).split():
        assert (ROOT / path).is_file(), path


def test_actions_are_pinned_and_no_credentials_are_asked_for(workflow: dict[Any, Any]) -> None:
    for step in _steps(workflow):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@(v\d+(\.\d+)*|[0-9a-f]{40})", step["uses"]), step
            assert "configure-aws-credentials" not in step["uses"]
    text = WORKFLOW.read_text()
    assert "secrets." not in text and "AWS_ACCESS_KEY_ID" not in text
