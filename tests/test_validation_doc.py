"""docs/validation.md is generated from the checks (scripts/validation_doc.py) and stays so."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_validation_doc_is_generated_from_the_checks() -> None:
    script = ROOT / "scripts" / "validation_doc.py"
    result = subprocess.run([sys.executable, script, "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_every_check_says_what_it_checks() -> None:
    """A check without a docstring would leave a blank row in the generated table."""
    text = (ROOT / "docs" / "validation.md").read_text()
    assert "| — |" not in text
    for owner in ("WebTier", "WebSecurityGroups", "WebAutoScalingGroup", "WebLaunchTemplate"):
        assert f"| `{owner}` |" in text
