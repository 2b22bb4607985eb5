"""Validation at synth is off only in `make synth`'s inner loop: every path that deploys, the
tests and CI validate (CDK's built-in CloudFormation validation and the cdk-nag packs).

The settings are read from the Makefile itself (``make -n``); the integration test runs the
real CDK CLI through `make deploy` on an app with two deliberate faults and checks that both
validators stop it before anything is deployed, even with ``CDK_VALIDATION=false`` exported.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app import validation_enabled

ROOT = Path(__file__).resolve().parent.parent
INVALID_APP = ROOT / "tests" / "support" / "invalid_app.py"


def test_only_false_turns_validation_off_as_in_cdk() -> None:
    # aws-cdk-lib core/lib/private/synthesis-validation.js: process.env.CDK_VALIDATION!=="false"
    assert validation_enabled({})
    for value in ("true", "", "0", "False", "no"):
        assert validation_enabled({"CDK_VALIDATION": value})
    assert not validation_enabled({"CDK_VALIDATION": "false"})


# Target -> what its recipe runs that synthesizes the app.
SYNTHESIZING = {
    "deploy": "/cdk deploy ",
    "diff": "/cdk diff ",
    "synth": "/cdk synth ",
    "unit": " pytest ",
    "integration": " pytest ",
    "deploy-local": "deploy_local.py",
}


def _validation_settings(target: str, *variables: str) -> list[str]:
    """The CDK_VALIDATION values `make -n TARGET` would run the synthesizing command with."""
    dry_run = subprocess.run(
        ["make", "-n", target, "CI=", *variables],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k not in ("CI", "VALIDATE", "MAKEFLAGS")},
    )
    lines = [line for line in dry_run.stdout.splitlines() if SYNTHESIZING[target] in line]
    assert lines, dry_run.stdout
    # The last assignment on a command line wins (env A=1 A=2 cmd).
    return [re.findall(r"\bCDK_VALIDATION=(\S*)", line)[-1] for line in lines]


@pytest.mark.parametrize("target", ["deploy", "diff", "unit", "integration", "deploy-local"])
def test_paths_that_guard_validate(target: str) -> None:
    settings = _validation_settings(target)
    assert settings == ["true"]


def test_make_synth_skips_validation_unless_asked_or_in_ci() -> None:
    assert _validation_settings("synth") == ["false"]
    assert _validation_settings("synth", "VALIDATE=true") == ["true"]
    assert _validation_settings("synth", "CI=true") == ["true"]


def _make(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", *arguments], cwd=ROOT, capture_output=True, text=True, timeout=600, env=env
    )


@pytest.mark.cli_deploy
def test_make_deploy_validates_a_faulty_app_even_with_validation_exported_off(
    tmp_path: Path,
) -> None:
    app = f"--app '{sys.executable} {INVALID_APP}' --output {tmp_path / 'cdk.out'}"
    env = {**os.environ, "CDK_VALIDATION": "false"}  # exported off by a user: deploy ignores it
    deploy = _make("deploy", f"CONTEXT={app}", env=env)
    output = deploy.stdout + deploy.stderr
    assert deploy.returncode != 0, output[-3000:]
    assert "Acknowledge with 'AwsSolutions::AwsSolutions-S10'" in output, output[-3000:]
    assert "'Nope' was unexpected) (CloudFormation Validate)" in output, output[-3000:]
    assert "Synthesis finished with errors" in output
    # The same app through `make synth` (the inner loop) is not validated: the switch is real,
    # and the failed deploy's report left in the same output directory is not read as this
    # synth's (app.py removes it).
    synth = _make("synth", f"CONTEXT={app}", "CI=", env=env)
    output = synth.stdout + synth.stderr
    # make prints the note only after the `cdk synth` line succeeded (the summary line after
    # it reads ./cdk.out, not this --output).
    assert "Not validated" in synth.stdout, output[-3000:]
    assert "Synthesis finished with errors" not in output
