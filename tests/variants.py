"""The app's template variants, synthesized once per test session as `cdk synth` does.

Each variant is a set of cdk.json context overrides. Synthesis runs with every cdk-nag pack
the configuration names (all four by default) and CDK's built-in CloudFormation validation
on, so an unacknowledged finding of either makes ``synthesize_variants`` raise. The
templates land in one directory, which the template scanners read in one run each.

The validators make a variant cost seconds of CPU (the Control Tower cfn-guard run alone
≈ 3.3 s), and the tests that read the variants wait on one xdist worker: so a second process
(``python -m tests.variants``) synthesizes part of them, with the same validators, while this
one synthesizes the rest. A finding there fails ``synthesize_variants`` as it would here.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import aws_cdk as cdk

from app import STACK_ID, build_app, validation_enabled
from tests.conftest import ROOT, SUITE_TODAY, cdk_json_context

_ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
# Every configuration shape the app can take that changes which resources exist.
VARIANTS: dict[str, dict[str, Any]] = {
    # dev profile: HTTP on the load balancer's name, deletion protection off.
    "default": {},
    # prod profile, Route 53 (imported zone) with HTTPS, two names, health check, SSH.
    "prod-route53-https": {
        "env": "prod",
        "domainName": "shop.example.com",
        "hostedZoneId": "Z0123456789ABCDEFGHIJ",
        "hostedZoneName": "example.com",
        "alternativeNames": "www.shop.example.com",
        "healthCheck": "true",
        "adminCidrs": "203.0.113.10/32,198.51.100.0/24",
        "alarmEmail": "ops@example.com",
    },
    "created-zone": {"domainName": "example.org", "createHostedZone": "true"},
    "external-certificate-arn": {
        "domainName": "shop.example.com",
        "certificateArn": _ARN,
        "instanceType": "m7g.large",
    },
    "external-created-certificate": {
        "domainName": "shop.example.com",
        "alternativeNames": "www.shop.example.com",
        "createCertificate": "true",
    },
    "external-http-only": {
        "domainName": "shop.example.com",
        "https": "false",
        "healthCheck": "true",
    },
    # The README's toy shop at Christmas: requests tracked and forecast, a yearly peak, and a
    # night scale-in in the other months (no dates that could go stale).
    "holiday-peak": {
        "maxCapacity": 6,
        "requestCountTarget": 1000,
        "predictiveScaling": "forecastAndScale",
        "scalingTimeZone": "Europe/Berlin",
        "scalingEvents": [
            {
                "name": "Christmas",
                "start": "2026-12-01",
                "end": "2026-12-26",
                "min": 4,
                "max": 8,
                "yearly": True,
            }
        ],
        "scalingSchedules": [{"name": "NightScaleIn", "cron": "0 22 * 1-11 *", "max": 3}],
    },
    # The golden image: Image Builder pipeline, first image built in-stack, rollout on Graviton
    # (the pipeline follows the instance type's architecture), an extra AWS component.
    "image-pipeline": {
        "imagePipeline": "true",
        "instanceType": "t4g.small",
        "imagePipelineComponents": (
            "arn:aws:imagebuilder:eu-west-1:aws:component/update-linux/x.x.x"
        ),
    },
    # Every opt-out at once.
    "opt-outs": {
        "waf": "false",
        "observability": "false",
        "desiredCapacity": "3",
        "instanceType": "t4g.small",
    },
}


# Run once, right after the variants are synthesized: tests/test_template_scanners.py starts
# cfn-lint and checkov here, so they scan in the background while other tests read the apps.
AFTER_SYNTHESIS: list[Callable[[], object]] = []


@dataclass(frozen=True)
class Variant:
    name: str
    outdir: Path
    template: dict[str, Any]
    # The synthesized app; None when the helper process synthesized the variant.
    synthesized_app: cdk.App | None = None

    @property
    def app(self) -> cdk.App:
        """The variant's app: the one synthesized here, else the same app built (not
        synthesized again) from the variant's context."""
        if self.synthesized_app is not None:
            return self.synthesized_app
        return _built_app(self.name)

    @property
    def validation_report(self) -> dict[str, Any]:
        """CDK's validation report (annotations, built-in validation, cdk-nag) for the synth."""
        path = self.outdir / "validation-report.json"
        if not path.exists():
            return {"pluginReports": []}
        report: dict[str, Any] = json.loads(path.read_text())
        return report


@cache
def work_dir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="webtier-variants-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


# Synthesized in this process: the variants whose app the tests read (Variant.app).
IN_PROCESS = ("default", "prod-route53-https", "created-zone", "external-certificate-arn")


def _context(name: str) -> dict[str, Any]:
    return {**cdk_json_context(), **VARIANTS[name]}


@cache
def _built_app(name: str) -> cdk.App:
    app = cdk.App(context=_context(name), builtin_cloud_formation_validation=False)
    build_app(app)
    return app


def _synthesize(name: str, outdir: Path) -> cdk.App:
    """Synthesize variant ``name`` into ``outdir`` with every validator (raises on a finding)."""
    app = cdk.App(context=_context(name), outdir=str(outdir))
    build_app(app)
    app.synth()
    return app


def _read_template(outdir: Path) -> dict[str, Any]:
    manifest = json.loads((outdir / "manifest.json").read_text())
    template_file = manifest["artifacts"][STACK_ID]["properties"]["templateFile"]
    template: dict[str, Any] = json.loads((outdir / template_file).read_text())
    return template


@cache
def synthesize_variants() -> dict[str, Variant]:
    """Synthesize every variant (once per session); templates also go to ``templates_dir``."""
    if not validation_enabled(os.environ):  # Node.js would skip CDK's built-in validation
        raise RuntimeError("CDK_VALIDATION=false: the variants are synthesized validated")
    root = work_dir() / "cdk.out"
    elsewhere = [name for name in VARIANTS if name not in IN_PROCESS]
    helper = subprocess.Popen(
        [sys.executable, "-m", "tests.variants", str(root), *elsewhere],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        apps = {name: _synthesize(name, root / name) for name in VARIANTS if name in IN_PROCESS}
    finally:
        output, _ = helper.communicate()
    if helper.returncode != 0:
        raise RuntimeError(f"synthesizing variants {elsewhere} failed:\n{output}")
    _count_synths(len(elsewhere))
    templates = templates_dir()
    variants: dict[str, Variant] = {}
    for name in VARIANTS:
        outdir = root / name
        template = _read_template(outdir)
        (templates / f"{name}.template.json").write_text(json.dumps(template, indent=1))
        variants[name] = Variant(name, outdir, template, apps.get(name))
    for callback in AFTER_SYNTHESIS:
        callback()
    return variants


def _count_synths(count: int) -> None:
    """Add the helper process's synths to the suite's count (tests/synth_stats.py)."""
    from tests.synth_stats import STATS

    STATS.counts["stage_synth"] += count


@cache
def templates_dir() -> Path:
    path = work_dir() / "templates"
    path.mkdir()
    return path


def main(outroot: str, *names: str) -> None:
    """The helper process: synthesize ``names`` into ``outroot/<name>``, today pinned as in
    the suite (tests/conftest.py)."""
    import constructs_lib.scaling_schedule

    constructs_lib.scaling_schedule.today = lambda: SUITE_TODAY
    for name in names:
        _synthesize(name, Path(outroot) / name)


if __name__ == "__main__":
    main(*sys.argv[1:])
