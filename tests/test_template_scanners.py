"""Every template variant passes cdk-nag (all packs), CDK's built-in validation, cfn-lint
and checkov with zero unacknowledged findings.

cfn-lint and checkov come from their own virtualenv (``make setup`` builds .venv/scanners;
see requirements-scan.txt) and each runs once over the directory of all variant templates.
Findings that are intended are skipped in the owning construct (resource Metadata), never
here.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.variants import AFTER_SYNTHESIS, VARIANTS, synthesize_variants, templates_dir

# Shares the variants synthesized once per session with the other validator modules.
pytestmark = pytest.mark.xdist_group("variants")

SCANNERS_BIN = Path(os.environ.get("SCANNERS_BIN", ROOT / ".venv" / "scanners" / "bin"))
# Scanners must not phone home either: no Prisma Cloud download, proxies to a closed port.
_OFFLINE = {
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "NO_PROXY": "",
    "BC_SKIP_MAPPING": "TRUE",
    "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
}


def _scanner(name: str) -> str:
    path = SCANNERS_BIN / name
    if not path.exists():
        pytest.fail(f"{path} is missing; run `make setup` (installs requirements-scan.txt)")
    return str(path)


# A deliberately bad template scanned in the same runs: proves both scanners really look
# (SSH from anywhere, an instance type that does not exist).
CANARY = "canary/naive.template.json"
_CANARY_TEMPLATE = {
    "Resources": {
        "Ssh": {
            "Type": "AWS::EC2::SecurityGroup",
            "Properties": {
                "GroupDescription": "SSH from anywhere",
                "SecurityGroupIngress": [
                    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}
                ],
            },
        },
        "Template": {
            "Type": "AWS::EC2::LaunchTemplate",
            "Properties": {
                "LaunchTemplateData": {"InstanceType": "t3.mirco", "ImageId": "ami-12345678"}
            },
        },
    }
}


@cache
def _start_scan() -> tuple[subprocess.Popen[str], subprocess.Popen[str]] | None:
    """Start cfn-lint and checkov side by side over all variant templates, once, without
    waiting: called right after synthesis (variants.AFTER_SYNTHESIS), so they scan while the
    other variant tests run. None when a scanner is missing (``_scan`` then fails the test)."""
    if not all((SCANNERS_BIN / name).exists() for name in ("cfn-lint", "checkov")):
        return None
    templates = sorted(str(p) for p in templates_dir().glob("*.template.json"))
    canary = templates_dir() / CANARY
    canary.parent.mkdir(exist_ok=True)
    canary.write_text(json.dumps(_CANARY_TEMPLATE))
    templates.append(str(canary))
    env = {**os.environ, **_OFFLINE}
    try:
        return _popen_scanners(templates, env)
    except OSError:  # a scanner vanished since the check: `_scan` fails, naming it
        return None


def _popen_scanners(
    templates: list[str], env: dict[str, str]
) -> tuple[subprocess.Popen[str], subprocess.Popen[str]]:
    cfn_lint = subprocess.Popen(
        [_scanner("cfn-lint"), "--format", "parseable", "--", *templates],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    atexit.register(cfn_lint.kill)  # deselected scan tests: don't outlive the session
    checkov = subprocess.Popen(
        [
            _scanner("checkov"),
            "--directory",
            str(templates_dir()),
            "--framework",
            "cloudformation",
            "--output",
            "json",
            "--compact",
            "--skip-download",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    atexit.register(checkov.kill)
    return cfn_lint, checkov


# Collecting this module means the session reads the scan results: start them early.
AFTER_SYNTHESIS.append(_start_scan)


@cache
def _scan() -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    """The results of cfn-lint and checkov over all variant templates (run once)."""
    synthesize_variants()
    started = _start_scan()
    if started is None:
        for name in ("cfn-lint", "checkov"):
            _scanner(name)  # fails the test, naming the missing scanner
        pytest.fail(f"cfn-lint or checkov in {SCANNERS_BIN} could not be started")
    results = []
    for process, args in zip(started, ("cfn-lint", "checkov"), strict=True):
        stdout, stderr = process.communicate(timeout=600)
        results.append(subprocess.CompletedProcess(args, process.returncode, stdout, stderr))
    return results[0], results[1]


def test_every_variant_is_synthesized() -> None:
    synthesize_variants()
    names = {p.name for p in templates_dir().glob("*.template.json")}
    assert names == {f"{name}.template.json" for name in VARIANTS}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_cdk_validation_report_is_empty(name: str) -> None:
    """Synthesis raised on no error (cdk-nag packs, built-in validation) and left no warning."""
    variant = synthesize_variants()[name]
    violations = [
        (report["pluginName"], violation["ruleName"], violation.get("severity"))
        for report in variant.validation_report["pluginReports"]
        for violation in report.get("violations", [])
    ]
    assert violations == []


def _cfn_lint_findings() -> list[str]:
    cfn_lint, _ = _scan()
    assert cfn_lint.returncode in (0, 2, 4, 6, 8, 10, 12, 14), cfn_lint.stderr  # bit flags
    return [line for line in cfn_lint.stdout.splitlines() if line.strip()]


def test_cfn_lint_finds_nothing() -> None:
    findings = [line for line in _cfn_lint_findings() if CANARY not in line]
    assert findings == []


def test_cfn_lint_catches_the_canary() -> None:
    rules = {line.split(":")[5] for line in _cfn_lint_findings() if CANARY in line}
    assert "E3628" in rules  # 't3.mirco' is not an instance type


def _checkov_reports() -> list[dict[str, Any]]:
    _, checkov = _scan()
    assert checkov.returncode in (0, 1), checkov.stderr  # 1 = findings, reported below
    data = json.loads(checkov.stdout)
    return data if isinstance(data, list) else [data]


def test_checkov_scans_every_template() -> None:
    (report,) = _checkov_reports()
    assert report["check_type"] == "cloudformation"
    assert report["summary"]["parsing_errors"] == 0
    results = report["results"]
    scanned = {
        check["file_path"].lstrip("/")
        for check in results["passed_checks"] + results["failed_checks"]
    }
    assert scanned == {f"{name}.template.json" for name in VARIANTS} | {CANARY}


def test_checkov_finds_nothing_unskipped() -> None:
    (report,) = _checkov_reports()
    failed = [
        (check["check_id"], check["file_path"], check["resource"])
        for check in report["results"]["failed_checks"]
        if check["file_path"].lstrip("/") != CANARY
    ]
    assert failed == []


def test_checkov_catches_the_canary() -> None:
    (report,) = _checkov_reports()
    failed = {
        check["check_id"]
        for check in report["results"]["failed_checks"]
        if check["file_path"].lstrip("/") == CANARY
    }
    assert "CKV_AWS_24" in failed  # SSH from 0.0.0.0/0


def test_checkov_skips_carry_reasons() -> None:
    (report,) = _checkov_reports()
    skipped = report["results"]["skipped_checks"]
    assert skipped, "expected the documented skips (see tests/test_acknowledgements.py)"
    for check in skipped:
        assert len(check["check_result"].get("suppress_comment", "")) >= 20, check["check_id"]
