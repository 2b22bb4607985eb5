"""The app as `cdk synth` runs it: cdk.json context, cdk-nag, CDK's own validation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3
from aws_cdk import cx_api
from aws_cdk.assertions import Match, Template

from app import STACK_ID, build_app
from stacks.config import ConfigError
from tests.conftest import cdk_json_context
from tests.variants import VARIANTS, synthesize_variants

# Reads tests/variants.py: on the xdist worker that synthesizes them (tests/scheduling.py).
pytestmark = pytest.mark.xdist_group("variants")


def _app(**overrides: Any) -> cdk.App:
    context = cdk_json_context()
    context.update(overrides)
    # Built-in CloudFormation validation on, as `cdk synth` has it (validateAgainstDefaultRules).
    return cdk.App(context=context)


def test_holiday_peak_variant_has_its_schedules_and_policies() -> None:
    # Synthesized with every cdk-nag pack and CloudFormation validation (tests/variants.py);
    # tests/test_template_scanners.py checks that nothing is left unacknowledged.
    template = synthesize_variants()["holiday-peak"].template
    types = [r["Type"] for r in template["Resources"].values()]
    assert types.count("AWS::AutoScaling::ScheduledAction") == 3
    policies = [
        r["Properties"]["PolicyType"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::AutoScaling::ScalingPolicy"
    ]
    # CPU and requests tracked, requests forecast.
    assert sorted(policies) == [
        "PredictiveScaling",
        "TargetTrackingScaling",
        "TargetTrackingScaling",
    ]


def test_default_app_synthesizes_clean() -> None:
    # tests/variants.py synthesizes cdk.json's configuration with every validator on.
    variant = synthesize_variants()["default"]
    stack = variant.app.node.find_child(STACK_ID)
    # cdk.json's env is dev: the dev profile's own stack.
    assert isinstance(stack, cdk.Stack) and stack.stack_name == "Ec2WebTier-dev"
    assert "AWS::AutoScaling::AutoScalingGroup" in {
        r["Type"] for r in variant.template["Resources"].values()
    }


# Whether any variant leaves a finding unacknowledged (all packs, built-in validation, cfn-lint,
# checkov) is tested over tests/variants.py in tests/test_template_scanners.py.


def _packs_reporting_a_naive_bucket(tmp_path: Path, **overrides: Any) -> set[str]:
    """Names of the cdk-nag packs that flag a deliberately naive bucket added to the app."""
    app = cdk.App(
        context={**cdk_json_context(), **overrides},
        builtin_cloud_formation_validation=False,
        outdir=str(tmp_path),
    )
    s3.Bucket(build_app(app), "Naive")
    try:
        app.synth()
    except RuntimeError as error:
        assert "ValidationFailed" in str(error)
    else:
        return set()
    report = json.loads((tmp_path / "validation-report.json").read_text())
    return {plugin["pluginName"] for plugin in report["pluginReports"] if plugin["violations"]}


def test_every_rule_pack_runs_by_default(tmp_path: Path) -> None:
    assert _packs_reporting_a_naive_bucket(tmp_path) == {
        "AwsSolutions",
        "NIST.800.53.R5",
        "HIPAA.Security",
        "PCI.DSS.321",
        "cdk-validator-cfnguard",  # the Control Tower proactive controls
    }


def test_nag_packs_are_configurable(tmp_path: Path) -> None:
    assert _packs_reporting_a_naive_bucket(tmp_path / "hipaa", nagPacks="HIPAASecurity") == {
        "HIPAA.Security"
    }
    assert _packs_reporting_a_naive_bucket(tmp_path / "none", nagPacks="") == set()


@pytest.mark.parametrize("variant", ["prod-route53-https", "external-created-certificate"])
def test_https_variants_pass_cloudformation_validation(variant: str) -> None:
    # Synthesized with every validator on (tests/variants.py): any finding raised there.
    template = synthesize_variants()[variant].template
    types = [r["Type"] for r in template["Resources"].values()]
    assert types.count("AWS::CertificateManager::Certificate") == 1
    assert types.count("AWS::ElasticLoadBalancingV2::Listener") == 2


def test_lookup_without_credentials_names_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CDK_DEFAULT_ACCOUNT", raising=False)
    monkeypatch.delenv("CDK_DEFAULT_REGION", raising=False)
    app = _app(domainName="example.com", lookupHostedZone="true")
    with pytest.raises(ConfigError, match="context key 'lookupHostedZone' is true"):
        build_app(app)


def test_command_line_overrides_reach_the_template() -> None:
    app = cdk.App(
        context={
            **cdk_json_context(),
            "instanceType": "t3.small",
            "minCapacity": "3",
            "maxCapacity": "6",
            "cpuTargetPercent": "70",
            "nagPacks": "",  # not what this test is about; tests/variants.py runs them all
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
    assert app.node.try_find_child(STACK_ID) is None


def test_prod_profile_reaches_the_template() -> None:
    # The variant selects the prod profile (env=prod); its other keys (domain, SSH, email)
    # touch none of the values below.
    variant = synthesize_variants()["prod-route53-https"]
    assert variant.app.node.try_get_context("env") == "prod"
    stack = variant.app.node.find_child(STACK_ID)
    assert isinstance(stack, cdk.Stack) and stack.stack_name == "Ec2WebTier-prod"
    template = Template.from_json(variant.template)
    template.has_resource_properties(
        "AWS::AutoScaling::AutoScalingGroup", {"MinSize": "3", "MaxSize": "9"}
    )
    template.has_resource_properties(
        "AWS::EC2::LaunchTemplate",
        {"LaunchTemplateData": Match.object_like({"InstanceType": "t3.small"})},
    )
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        {
            "LoadBalancerAttributes": Match.array_with(
                [{"Key": "deletion_protection.enabled", "Value": "true"}]
            )
        },
    )
    retention = {
        rule["ExpirationInDays"]
        for bucket in template.find_resources("AWS::S3::Bucket").values()
        for rule in bucket["Properties"]["LifecycleConfiguration"]["Rules"]
    }
    assert retention == {365}
    assert stack.resolve(stack.account) == {"Ref": "AWS::AccountId"}


def test_dev_profile_is_the_default() -> None:
    assert VARIANTS["default"] == {}  # cdk.json as it is
    template = Template.from_json(synthesize_variants()["default"].template)
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        {
            "LoadBalancerAttributes": Match.array_with(
                [{"Key": "deletion_protection.enabled", "Value": "false"}]
            )
        },
    )
    template.has_resource_properties(
        "AWS::S3::Bucket",
        {"LifecycleConfiguration": {"Rules": [Match.object_like({"ExpirationInDays": 30})]}},
    )


def test_a_profile_with_account_and_region_binds_the_stack() -> None:
    context = cdk_json_context()
    context["profiles"]["prod"].update({"account": "123456789012", "region": "eu-west-1"})
    app = cdk.App(context={**context, "env": "prod"}, builtin_cloud_formation_validation=False)
    stack = build_app(app)
    assert (stack.account, stack.region) == ("123456789012", "eu-west-1")


def test_cdk_ls_names_the_environments_stack() -> None:
    # `cdk ls` prints each stack artifact's display name: the construct id and, when it
    # differs, the CloudFormation stack the command will touch.
    for name, stack_name in (
        ("default", "Ec2WebTier-dev"),
        ("prod-route53-https", "Ec2WebTier-prod"),
    ):
        assembly = cx_api.CloudAssembly(str(synthesize_variants()[name].outdir))
        artifact = assembly.get_stack_artifact(STACK_ID)
        assert artifact.stack_name == stack_name
        assert artifact.display_name == f"{STACK_ID} ({stack_name})"
