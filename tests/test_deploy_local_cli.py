"""`make deploy-local` as a test: the real CDK CLI against moto on 127.0.0.1.

Slow (the CLI synthesizes the app for each of the nine deploys, seven of them the Route 53
variant's day-2 sequence), so it carries the
``cli_deploy`` marker: an integration test, which `make integration` and CI (.ci/run) run and
`make test` leaves out.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.cli_deploy
def test_make_deploy_local_passes_every_check() -> None:
    cdk = ROOT / "node_modules" / ".bin" / "cdk"
    assert cdk.exists(), "the pinned CDK CLI is missing; run `make setup`"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "deploy_local.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    summary = re.search(r"^deploy-local: (\d+) passed, 0 failed$", result.stdout, re.M)
    assert summary is not None, output[-3000:]
    assert int(summary.group(1)) > 100
    assert re.search(r"port \d+ closed: True", result.stdout)
