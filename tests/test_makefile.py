"""The Makefile as people expect it: `make help`, setup steps that say what they install and
how long they took, and `make synth` without the template scanners.

GIVEN the Makefile, copied into a scratch directory with stub interpreters where a step would
install something (no network, no change to the shared .venv)
WHEN make runs a target
THEN it prints what the README and `make help` promise.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

from tests.conftest import ROOT


def make(*args: str, cwd: Path = ROOT) -> str:
    done = subprocess.run(
        ["make", "--no-print-directory", *args], cwd=cwd, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def scratch(tmp_path: Path, *, installed: tuple[str, ...] = ()) -> Path:
    """The Makefile and its inputs, with stub python/npm that succeed without installing."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    for name in ("requirements.txt", "requirements-dev.txt", "requirements-scan.txt"):
        (tmp_path / name).write_text("")
    for name in ("package.json", "package-lock.json"):
        (tmp_path / name).write_text("{}")
    for tool, does in (
        (".venv/bin/python", "exit 0"),
        (".venv/scanners/bin/python", "exit 0"),
        (".venv/bin/npm", "mkdir -p node_modules"),
    ):
        (tmp_path / tool).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / tool).write_text(f"#!/bin/sh\n{does}\n")
        (tmp_path / tool).chmod(0o755)
    time.sleep(0.01)  # stamps newer than their inputs
    for stamp in installed:
        (tmp_path / stamp).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / stamp).touch()
    return tmp_path


def test_make_help_lists_every_target_and_the_common_variables() -> None:
    text = make("help")
    phony = re.search(r"^\.PHONY: (.*)$", (ROOT / "Makefile").read_text(), re.M)
    assert phony is not None
    listed = set(re.findall(r"^  ([a-z-]+)  ", text, re.M))
    assert set(phony.group(1).split()) <= listed, set(phony.group(1).split()) - listed
    for variable in ("CONTEXT=", "CONTEXT_FILE=", "PYTEST_ARGS=", "CDK_DEBUG="):
        assert f"\n  {variable}" in text
    assert make() == text  # `make` alone is `make help`


def test_each_setup_step_says_what_it_installs_and_how_long_it_took(tmp_path: Path) -> None:
    text = make("setup", cwd=scratch(tmp_path))
    steps = [line for line in text.splitlines() if line.startswith("setup: ")]
    assert len(steps) == 6, text
    assert steps[0].startswith("setup: Python packages into .venv (requirements-dev.txt: ")
    assert re.fullmatch(r"setup: Python packages .*: done in \d+ s", steps[1])
    assert any(
        re.fullmatch(r"setup: the CDK CLI into node_modules .*: done in \d+ s", s) for s in steps
    )
    assert any(s.startswith("setup: template scanners cfn-lint + checkov") for s in steps)


def test_synth_installs_no_scanners(tmp_path: Path) -> None:
    app_ready = (".venv/.installed", "node_modules/.installed")
    dry_run = make("-n", "synth", cwd=scratch(tmp_path, installed=app_ready))
    assert "scanners" not in dry_run and "requirements-scan.txt" not in dry_run
    assert " synth " in dry_run and "stacks.synth_summary cdk.out" in dry_run
