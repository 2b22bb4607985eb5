"""The app as `cdk synth` runs it: cdk.json context, cdk-nag, CDK's own validation."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template
from cdk_nag import AwsSolutionsChecks

from app import STACK_NAME, build_app
from stacks.config import ConfigError
from tests.conftest import cdk_json_context


def _app(**overrides: Any) -> cdk.App:
    context = cdk_json_context()
    context.update(overrides)
    # Built-in CloudFormation validation on, as `cdk synth` has it (validateAgainstDefaultRules).
    return cdk.App(context=context)


def test_default_app_synthesizes_clean() -> None:
    app = _app()
    stack = build_app(app)
    assembly = app.synth()  # raises ValidationFailed on any unacknowledged finding
    template = assembly.get_stack_by_name(STACK_NAME).template
    assert stack.stack_name == STACK_NAME
    assert "AWS::AutoScaling::AutoScalingGroup" in {
        r["Type"] for r in template["Resources"].values()
    }


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {
            "domainName": "shop.example.com",
            "hostedZoneId": "Z0123456789ABCDEFGHIJ",
            "hostedZoneName": "example.com",
            "adminCidrs": "203.0.113.10/32",
        },
        {"domainName": "example.org", "createHostedZone": "true"},
    ],
    ids=["default", "imported-zone", "created-zone"],
)
def test_aws_solutions_pack_finds_nothing_unacknowledged(overrides: dict[str, Any]) -> None:
    app = cdk.App(
        context={**cdk_json_context(), **overrides}, builtin_cloud_formation_validation=False
    )
    build_app(app)
    report = AwsSolutionsChecks(app).validate_scope(app)
    violations = [
        (v.rule_name, [r.resource_logical_id for r in v.violating_resources])
        for v in report.violations
    ]
    assert violations == []


def test_command_line_overrides_reach_the_template() -> None:
    app = cdk.App(
        context={
            **cdk_json_context(),
            "instanceType": "t3.small",
            "minCapacity": "3",
            "maxCapacity": "6",
            "cpuTargetPercent": "70",
        },
        builtin_cloud_formation_validation=False,
    )
    stack = build_app(app)
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::AutoScaling::AutoScalingGroup", {"MinSize": "3", "MaxSize": "6"}
    )
    template.has_resource_properties(
        "AWS::EC2::LaunchTemplate",
        {"LaunchTemplateData": Match.object_like({"InstanceType": "t3.small"})},
    )


def test_bad_context_fails_before_any_resource_is_built() -> None:
    app = cdk.App(context={**cdk_json_context(), "minCapacity": "-1"})
    with pytest.raises(ConfigError, match="context key 'minCapacity' -1 is out of range"):
        build_app(app)
    assert app.node.try_find_child(STACK_NAME) is None
