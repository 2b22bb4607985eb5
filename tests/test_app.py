"""The app as `cdk synth` runs it: cdk.json context, cdk-nag, CDK's own validation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, cast

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_s3 as s3
from aws_cdk import cx_api
from aws_cdk.assertions import Match, Template

from app import STACK_ID, build_app
from stacks.config import ConfigError
from stacks.nag_packs import (
    ALL_PACKS,
    ControlTowerRule,
    TemplatePaths,
    TemplateResources,
    control_tower_plugin,
    control_tower_rules,
    control_tower_runs,
    nag_plugins,
    plugin_package,
    reduced_template,
    rule_texts_in_directory,
    rule_texts_in_tarball,
)
from tests.conftest import ROOT, cdk_json_context
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


def _naive_stack(tmp_path: Path) -> tuple[cdk.App, cdk.Stack]:
    """A small app holding what every rule pack flags: a bucket with no encryption, logging,
    versioning or public-access block, and SSH open to the world."""
    app = cdk.App(builtin_cloud_formation_validation=False, outdir=str(tmp_path))
    stack = cdk.Stack(app, "Naive")
    s3.CfnBucket(stack, "Bucket")
    ec2.CfnSecurityGroup(
        stack,
        "Ssh",
        group_description="SSH from anywhere",
        security_group_ingress=[
            ec2.CfnSecurityGroup.IngressProperty(
                ip_protocol="tcp", from_port=22, to_port=22, cidr_ip="0.0.0.0/0"
            )
        ],
    )
    return app, stack


def _violations(app: cdk.App, plugins: list[Any]) -> dict[str, set[tuple[str, str]]]:
    """Each plugin's findings on ``app``: {plugin name: {(rule, construct path)}}."""
    cdk.Validations.of(app).add_plugins(*plugins)
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    report = json.loads((Path(app.outdir) / "validation-report.json").read_text())
    return {
        plugin["pluginName"]: {
            (violation["ruleName"], construct["constructPath"])
            for violation in plugin["violations"]
            for construct in violation["violatingConstructs"]
        }
        for plugin in report["pluginReports"]
        if plugin["violations"]
    }


def test_every_rule_pack_flags_a_naive_stack(tmp_path: Path) -> None:
    app, _ = _naive_stack(tmp_path)
    assert set(_violations(app, nag_plugins(app, ALL_PACKS))) == {
        "AwsSolutions",
        "NIST.800.53.R5",
        "HIPAA.Security",
        "PCI.DSS.321",
        "cdk-validator-cfnguard",  # the Control Tower proactive controls
    }


# The Control Tower plugin (stacks/nag_packs.py ControlTowerRules) runs cfn-guard a few times,
# each over templates reduced to what its rules can read. Its findings must be cdklabs' own
# plugin's on the whole templates: the checks below compare what CDK reports (rule, message,
# construct path, template path, logical id, property paths), acknowledged or not.
Finding = tuple[str, str, str, str, str, str, tuple[str, ...]]


def _control_tower_findings(outdir: Path) -> list[Finding]:
    """The Control Tower findings in the validation report of a synth into ``outdir``."""
    report = json.loads((outdir / "validation-report.json").read_text())
    (plugin,) = [p for p in report["pluginReports"] if p["pluginName"] == "cdk-validator-cfnguard"]
    return sorted(
        (
            violation["ruleName"],
            violation["description"],
            violation.get("suggestedFix", ""),
            construct["constructPath"],
            construct["cloudFormationResource"]["templatePath"],
            construct["cloudFormationResource"]["logicalId"],
            tuple(construct["cloudFormationResource"]["propertyPaths"]),
        )
        for violation in plugin["violations"] + plugin.get("suppressedViolations", [])
        for construct in violation["violatingConstructs"]
    )


def _cfn_guard_findings(plugin: Any, templates: list[Path], outdir: Path) -> list[Finding]:
    """``plugin``'s findings on ``templates`` (the synthesized ones in ``outdir``), with the
    construct paths CDK's assembly metadata gives the logical ids."""
    report = plugin.validate(TemplatePaths([str(t) for t in templates], cdk.App()))
    assembly = cx_api.CloudAssembly(str(outdir))
    construct = {
        (stack.template_file, cast("str", entry.data)): entry.path.lstrip("/")
        for stack in assembly.stacks_recursively
        for entry in stack.find_metadata_by_type("aws:cdk:logicalId")
    }
    return sorted(
        (
            violation.rule_name,
            violation.description,
            violation.fix or "",
            construct[(Path(resource.template_path).name, resource.resource_logical_id)],
            str(Path(resource.template_path).relative_to(outdir)),
            resource.resource_logical_id,
            tuple(resource.locations),
        )
        for violation in report.violations
        for resource in violation.violating_resources
    )


def _applicable_rules_only(templates: list[dict[str, Any]], among: set[str] | None = None) -> Any:
    """cdklabs' plugin with the bundled rules (``among`` them) naming a resource type the
    templates hold (a rule whose types are absent can only skip; the naive stack's test runs
    every rule)."""
    from cdklabs.cdk_validator_cfnguard import CfnGuardValidator

    present = {r["Type"] for t in templates for r in t["Resources"].values()}
    idle = [
        rule.id
        for rule in control_tower_rules().values()
        if not rule.types & present or (among is not None and rule.id not in among)
    ]
    return CfnGuardValidator(control_tower_rules_enabled=True, disabled_rules=idle)


def test_control_tower_findings_on_a_naive_stack_are_the_plugins(tmp_path: Path) -> None:
    # Unacknowledged findings, through CDK's synth: every bundled rule against the app's runs.
    from cdklabs.cdk_validator_cfnguard import CfnGuardValidator

    every_rule = cast("Any", CfnGuardValidator(control_tower_rules_enabled=True))
    full_app, _ = _naive_stack(tmp_path / "every-rule")
    app, _ = _naive_stack(tmp_path / "app")
    assert _violations(app, [control_tower_plugin()]) == _violations(full_app, [every_rule])
    findings = _control_tower_findings(tmp_path / "app")
    assert findings == _control_tower_findings(tmp_path / "every-rule")
    assert {f[0] for f in findings} >= {"s3_bucket_versioning_enabled_check"}
    # The reduced templates went elsewhere and are gone: the assemblies hold the same files.
    listing = [sorted(p.name for p in (tmp_path / d).iterdir()) for d in ("app", "every-rule")]
    assert listing[0] == listing[1]


def test_control_tower_findings_on_the_variants_are_the_plugins() -> None:
    # The report each variant's synth wrote (through the app's plugin; the findings are there,
    # acknowledged) against cdklabs' plugin on the whole template. The image pipeline's variant
    # (most resource types) runs all but four of the rules any variant runs; production's runs
    # those: each rule is compared once (rules run independently of each other).
    variants = synthesize_variants()
    rules = control_tower_rules()

    def applicable(name: str) -> set[str]:
        types = {r["Type"] for r in variants[name].template["Resources"].values()}
        return {rule.id for rule in rules.values() if rule.types & types}

    compared: set[str] = set()
    for name in ("image-pipeline", "prod-route53-https"):
        variant, among = variants[name], applicable(name) - compared
        template = variant.outdir / f"{STACK_ID}.template.json"
        plugin = _applicable_rules_only([variant.template], among)
        expected = _cfn_guard_findings(plugin, [template], variant.outdir)
        names = {rules[rule].name for rule in among}
        found = [f for f in _control_tower_findings(variant.outdir) if f[0] in names]
        assert found == expected, name
        assert expected or compared, name  # findings to compare: the acknowledged ones
        compared |= among
    assert compared == set().union(*map(applicable, VARIANTS))


def _small_template(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A bucket with nothing set (findings), and a Lambda permission whose SourceArn is an
    EventBridge rule of the same template: CT.LAMBDA.PR.2 passes it only by looking the rule
    up, a resource of a type that rule does not name."""
    template = {
        "Resources": {
            "Bucket": {"Type": "AWS::S3::Bucket"},
            "Schedule": {
                "Type": "AWS::Events::Rule",
                "Properties": {"ScheduleExpression": "rate(1 hour)"},
            },
            "Invoke": {
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": "handler",
                    "Principal": "events.amazonaws.com",
                    "SourceArn": {"Fn::GetAtt": ["Schedule", "Arn"]},
                },
            },
        }
    }
    path = tmp_path / "Small.template.json"
    path.write_text(json.dumps(template))
    return path, template


def test_control_tower_runs_keep_what_each_rule_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, template = _small_template(tmp_path)

    def findings(plugin: Any) -> list[tuple[str, str, str, tuple[str, ...]]]:
        report = plugin.validate(TemplatePaths([str(path)], cdk.App()))
        return [
            (v.rule_name, r.resource_logical_id, r.template_path, tuple(r.locations))
            for v in report.violations
            for r in v.violating_resources
        ]

    expected = findings(_applicable_rules_only([template]))
    assert {f[1] for f in expected} == {"Bucket"}  # the permission passes: its rule is found
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    assert findings(control_tower_plugin()) == expected
    assert not list(temp.iterdir())  # the reduced templates are removed
    # The comparison catches a reduction that drops what a rule reads: the bucket...
    read_by = TemplateResources.read_by
    monkeypatch.setattr(
        TemplateResources,
        "read_by",
        lambda self, rule: read_by(self, rule) - {(0, "Bucket")},
    )
    assert not findings(control_tower_plugin())
    # ...or the rule a permission refers to (the lookup fails, and cdklabs' plugin cannot
    # even read cfn-guard's output then).
    monkeypatch.setattr(
        TemplateResources, "read_by", lambda self, rule: frozenset(self.of_types(rule.types))
    )
    with pytest.raises(RuntimeError, match="failed processing cfn-guard results"):
        findings(control_tower_plugin())


def test_control_tower_rules_are_read_where_jsii_unpacked_the_plugin() -> None:
    # The files the plugin's cfn-guard reads, without unpacking the 12 MB tarball again.
    tarball, unpacked = plugin_package()
    if os.environ.get("JSII_RUNTIME_PACKAGE_CACHE", "enabled").lower() == "enabled":
        assert unpacked is not None  # jsii's package cache is where stacks/nag_packs.py looks
    if unpacked is not None:
        assert rule_texts_in_directory(unpacked) == rule_texts_in_tarball(tarball)


def test_control_tower_runs_cover_each_applicable_rule_once() -> None:
    rules = control_tower_rules()
    assert len(rules) > 200 and all(rule.types for rule in rules.values())
    assert rules["ct-lambda-pr-2"].reads == "references"  # looks resources up by logical id
    assert rules["ct-s3-pr-1"].reads == "types"
    assert rules["ct-eks-pr-2"].reads == "all"  # reads a property named Resources
    template = {
        "Resources": {
            "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"Key": {"Ref": "Key"}}},
            "Key": {"Type": "AWS::KMS::Key"},
            "Topic": {"Type": "AWS::SNS::Topic"},
        }
    }
    resources = TemplateResources([template])

    def rule(id_: str, types: set[str], reads: Any = "types") -> ControlTowerRule:
        return ControlTowerRule(id_, id_, frozenset(types), reads, 0)

    fake = [
        rule("bucket", {"AWS::S3::Bucket"}),
        rule("bucket-and-references", {"AWS::S3::Bucket"}, "references"),
        rule("absent", {"AWS::RDS::DBInstance"}),
        rule("names-none", set()),
    ]
    runs = control_tower_runs(fake, resources)
    assert sorted(r for run in runs for r in run.rules) == [
        "bucket",
        "bucket-and-references",
        "names-none",
    ]
    assert resources.read_by(fake[0]) == {(0, "Bucket")}
    assert resources.read_by(fake[1]) == {(0, "Bucket"), (0, "Key")}
    assert resources.read_by(fake[3]) == {(0, "Bucket"), (0, "Key"), (0, "Topic")}
    # Each run keeps every resource its rules read.
    assert all(
        resources.read_by(rule) <= run.resources
        for run in runs
        for rule in fake
        if rule.id in run.rules
    )
    assert reduced_template({"Outputs": {"A": 1}, **template}, ["Key"]) == {
        "Outputs": {"A": 1},
        "Resources": {"Key": {"Type": "AWS::KMS::Key"}},
    }


def _registered_packs(app: cdk.App) -> list[str]:
    # The plugins Validations.of(app).add_plugins registered (the non-deprecated getter,
    # Validations.of(stage).plugins, is not in aws-cdk-lib's Python bindings yet).
    return [plugin.name for plugin in app.policy_validation_beta1]


def test_every_rule_pack_runs_by_default() -> None:
    # What each pack flags is above; here: the app registers all of them by default.
    app = cdk.App(context=cdk_json_context(), builtin_cloud_formation_validation=False)
    build_app(app)
    assert _registered_packs(app) == [
        "AwsSolutions",
        "NIST.800.53.R5",
        "HIPAA.Security",
        "PCI.DSS.321",
        "cdk-validator-cfnguard",
    ]


@pytest.mark.parametrize(("packs", "names"), [("HIPAASecurity", ["HIPAA.Security"]), ("", [])])
def test_nag_packs_are_configurable(
    packs: str, names: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The key reaches the registration; the stack itself is not what this is about.
    monkeypatch.setattr(
        "app.WebTierStack", lambda scope, construct_id, **_: cdk.Stack(scope, construct_id)
    )
    app = cdk.App(context={**cdk_json_context(), "nagPacks": packs})
    build_app(app)
    assert _registered_packs(app) == names


@pytest.mark.parametrize("variant", ["prod-route53-https", "external-created-certificate"])
def test_https_variants_pass_cloudformation_validation(variant: str) -> None:
    # Synthesized with every validator on (tests/variants.py): any finding raised there.
    template = synthesize_variants()[variant].template
    types = [r["Type"] for r in template["Resources"].values()]
    assert types.count("AWS::CertificateManager::Certificate") == 1
    assert types.count("AWS::ElasticLoadBalancingV2::Listener") == 2


def test_existing_vpc_variant_builds_no_network_and_uses_the_given_subnets() -> None:
    # GIVEN an existing VPC by attributes (tests/variants.py; synthesized through every rule
    # pack and CloudFormation validation, scanned by cfn-lint/checkov, update-safety checked)
    keys = VARIANTS["existing-vpc"]
    template = synthesize_variants()["existing-vpc"].template
    resources = template["Resources"].values()
    # THEN the stack owns no network: no VPC, subnets, NAT gateway or flow logs
    types = {r["Type"] for r in resources}
    assert not {t for t in types if t.startswith(("AWS::EC2::VPC", "AWS::EC2::Subnet"))}
    assert not types & {"AWS::EC2::NatGateway", "AWS::EC2::FlowLog", "AWS::EC2::InternetGateway"}
    # AND the instances run in the given private subnets, the load balancer in the public ones
    [group] = [r for r in resources if r["Type"] == "AWS::AutoScaling::AutoScalingGroup"]
    assert group["Properties"]["VPCZoneIdentifier"] == keys["privateSubnetIds"].split(",")
    [alb] = [r for r in resources if r["Type"] == "AWS::ElasticLoadBalancingV2::LoadBalancer"]
    assert alb["Properties"]["Subnets"] == keys["publicSubnetIds"].split(",")
    vpc_ids = {
        r["Properties"]["VpcId"]
        for r in resources
        if r["Type"] in ("AWS::EC2::SecurityGroup", "AWS::ElasticLoadBalancingV2::TargetGroup")
    }
    assert vpc_ids == {keys["vpcId"]}


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


def test_the_app_loads_the_golden_image_and_pack_modules_only_when_asked() -> None:
    # Each costs every synth (Image Builder + Lambda + EventBridge ≈ 0.09 s, cdk-nag ≈ 0.16 s;
    # docs/development.md): `import app` must load neither; they load when a pipeline is
    # built (constructs_lib's lazy WebImagePipeline) or a pack is registered (nag_plugins).
    watched = ("aws_cdk.aws_imagebuilder", "constructs_lib.image_pipeline", "cdk_nag")
    code = f"import sys, app; print([m for m in {watched!r} if m in sys.modules])"
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "[]", run.stderr
    import constructs_lib

    assert constructs_lib.WebImagePipeline.__module__ == "constructs_lib.image_pipeline"
