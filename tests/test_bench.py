"""The benchmark's TypeScript anchor (bench/typescript) is built on the aws-cdk-lib and
constructs versions the app pins, so `make bench` compares languages, not library versions
(scripts/bench.py checks the installed copies too, and that both naive templates are equal)."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANCHOR = ROOT / "bench" / "typescript"


def test_typescript_anchor_pins_the_apps_cdk_versions() -> None:
    text = (ROOT / "requirements.txt").read_text()
    pins = dict(re.findall(r"^([a-z-]+)==(\S+)", text, re.M))
    declared = json.loads((ANCHOR / "package.json").read_text())["dependencies"]
    locked = json.loads((ANCHOR / "package-lock.json").read_text())["packages"]
    for package in ("aws-cdk-lib", "constructs"):
        assert declared[package] == pins[package]
        assert locked[f"node_modules/{package}"]["version"] == pins[package]
