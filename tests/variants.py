"""The app's template variants, synthesized once per test session as `cdk synth` does.

Each variant is a set of cdk.json context overrides. Synthesis runs with every cdk-nag pack
the configuration names (all four by default) and CDK's built-in CloudFormation validation
on, so an unacknowledged finding of either makes ``synthesize_variants`` raise. The
templates land in one directory, which the template scanners read in one run each.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import aws_cdk as cdk

from app import STACK_ID, build_app, validation_enabled
from tests.conftest import cdk_json_context

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
    # An existing VPC by its attributes (no lookup): no VPC, NAT gateway or flow logs of the
    # stack's own; the load balancer in the given public subnets, instances in the private.
    "existing-vpc": {
        "vpcId": "vpc-0a1b2c3d4e5f67890",
        "availabilityZones": "eu-west-1a,eu-west-1b",
        "publicSubnetIds": "subnet-0a00000000000000a,subnet-0a00000000000000b",
        "privateSubnetIds": "subnet-0b00000000000000a,subnet-0b00000000000000b",
        "vpcCidrBlock": "10.20.0.0/16",
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
    app: cdk.App
    outdir: Path
    template: dict[str, Any]

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


@cache
def synthesize_variants() -> dict[str, Variant]:
    """Synthesize every variant (once per session); templates also go to ``templates_dir``."""
    if not validation_enabled(os.environ):  # Node.js would skip CDK's built-in validation
        raise RuntimeError("CDK_VALIDATION=false: the variants are synthesized validated")
    templates = templates_dir()
    variants: dict[str, Variant] = {}
    for name, overrides in VARIANTS.items():
        outdir = work_dir() / "cdk.out" / name
        app = cdk.App(context={**cdk_json_context(), **overrides}, outdir=str(outdir))
        build_app(app)
        template = app.synth().get_stack_artifact(STACK_ID).template
        (templates / f"{name}.template.json").write_text(json.dumps(template, indent=1))
        variants[name] = Variant(name=name, app=app, outdir=outdir, template=template)
    for callback in AFTER_SYNTHESIS:
        callback()
    return variants


@cache
def templates_dir() -> Path:
    path = work_dir() / "templates"
    path.mkdir()
    return path
