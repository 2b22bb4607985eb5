"""The constructs keep their security properties whatever feature flags the host app sets.

GIVEN the same web tiers (HTTP only, and HTTPS with an admin group) in a stack
WHEN synthesized under an app with no feature flags and under one with cdk.json's flags
THEN the security-relevant parts of both templates are identical, and each is secure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2

from constructs_lib import (
    Domain,
    LoadBalancerOptions,
    WebTier,
)
from tests.conftest import feature_flags, new_app

CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
ADMIN_CIDR = "203.0.113.10/32"


def _synth(flags: bool) -> dict[str, Any]:
    app = new_app(flags=flags)
    stack = cdk.Stack(app, "Host")
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=1)
    WebTier(
        stack, "Http", vpc=vpc, load_balancer_options=LoadBalancerOptions(deletion_protection=False)
    )
    WebTier(
        stack,
        "Https",
        vpc=vpc,
        admin_cidrs=[ADMIN_CIDR],
        domain=Domain(certificate=acm.Certificate.from_certificate_arn(stack, "Cert", CERT_ARN)),
        load_balancer_options=LoadBalancerOptions(deletion_protection=True),
    )
    template: dict[str, Any] = app.synth().get_stack_by_name("Host").template
    return template


@pytest.fixture(scope="module")
def templates() -> dict[str, dict[str, Any]]:
    return {"none": _synth(flags=False), "recommended": _synth(flags=True)}


def _of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource.get("Properties", {})
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == kind
    }


def _source(rule: dict[str, Any]) -> str:
    for key in ("CidrIp", "CidrIpv6"):
        if key in rule:
            return str(rule[key])
    group = rule.get("SourceSecurityGroupId") or rule.get("DestinationSecurityGroupId")
    if isinstance(group, dict) and "Fn::GetAtt" in group:
        return f"sg:{group['Fn::GetAtt'][0]}"
    return repr(group)


def _rule(group_id: str, rule: dict[str, Any]) -> tuple[str, str, Any, Any, str]:
    return (group_id, rule["IpProtocol"], rule.get("FromPort"), rule.get("ToPort"), _source(rule))


def _ingress(template: dict[str, Any]) -> list[tuple[str, str, Any, Any, str]]:
    """Every ingress rule, inline or separate, as (group, protocol, from, to, source)."""
    rules = []
    for group_id, props in _of_type(template, "AWS::EC2::SecurityGroup").items():
        rules += [_rule(group_id, rule) for rule in props.get("SecurityGroupIngress", [])]
    for props in _of_type(template, "AWS::EC2::SecurityGroupIngress").values():
        rules.append(_rule(props["GroupId"]["Fn::GetAtt"][0], props))
    return sorted(rules)


def _security_summary(template: dict[str, Any]) -> dict[str, Any]:
    """What a security review reads, keyed so that two templates can be compared."""
    templates = _of_type(template, "AWS::EC2::LaunchTemplate")
    load_balancers = _of_type(template, "AWS::ElasticLoadBalancingV2::LoadBalancer")
    buckets = _of_type(template, "AWS::S3::Bucket")
    bucket_policies = _of_type(template, "AWS::S3::BucketPolicy")
    return {
        "launch_configurations": sorted(
            _of_type(template, "AWS::AutoScaling::LaunchConfiguration")
        ),
        "groups": {
            group_id: {
                "launch_template": "LaunchTemplate" in props,
                "launch_configuration": "LaunchConfigurationName" in props,
                "health_check": props.get("HealthCheckType"),
                "notifications": len(props.get("NotificationConfigurations", [])),
            }
            for group_id, props in _of_type(template, "AWS::AutoScaling::AutoScalingGroup").items()
        },
        "launch_templates": {
            template_id: {
                "metadata": props["LaunchTemplateData"].get("MetadataOptions"),
                "volumes": [
                    {
                        "encrypted": mapping["Ebs"].get("Encrypted"),
                        "type": mapping["Ebs"].get("VolumeType"),
                    }
                    for mapping in props["LaunchTemplateData"].get("BlockDeviceMappings", [])
                ],
                "instance_profile": "IamInstanceProfile" in props["LaunchTemplateData"],
                "public_ip": any(
                    nic.get("AssociatePublicIpAddress")
                    for nic in props["LaunchTemplateData"].get("NetworkInterfaces", [])
                ),
            }
            for template_id, props in templates.items()
        },
        "ingress": _ingress(template),
        "load_balancers": {
            lb_id: {
                "scheme": props.get("Scheme"),
                "attributes": {a["Key"]: a["Value"] for a in props["LoadBalancerAttributes"]},
            }
            for lb_id, props in load_balancers.items()
        },
        "listeners": sorted(
            (
                props["Port"],
                props["Protocol"],
                props.get("SslPolicy", ""),
                props["DefaultActions"][0]["Type"],
            )
            for props in _of_type(template, "AWS::ElasticLoadBalancingV2::Listener").values()
        ),
        "buckets": {
            bucket_id: {
                "encryption": props.get("BucketEncryption"),
                "public_access_block": props.get("PublicAccessBlockConfiguration"),
                "versioning": props.get("VersioningConfiguration"),
                "ownership": props.get("OwnershipControls"),
                "access_control": props.get("AccessControl"),
                "server_access_logs": "LoggingConfiguration" in props,
            }
            for bucket_id, props in buckets.items()
        },
        "tls_only_buckets": sorted(
            props["Bucket"]["Ref"]
            for props in bucket_policies.values()
            if any(
                statement["Effect"] == "Deny"
                and statement.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport")
                == "false"
                for statement in props["PolicyDocument"]["Statement"]
            )
        ),
        "topics_encrypted": sorted(
            topic_id
            for topic_id, props in _of_type(template, "AWS::SNS::Topic").items()
            if "KmsMasterKeyId" in props
        ),
        "keys_rotated": sorted(
            key_id
            for key_id, props in _of_type(template, "AWS::KMS::Key").items()
            if props.get("EnableKeyRotation") is True
        ),
    }


def test_security_properties_do_not_depend_on_feature_flags(
    templates: dict[str, dict[str, Any]],
) -> None:
    assert feature_flags(), "cdk.json has no feature flags: the comparison would be vacuous"
    # The flags do change the template (the host VPC's default-group custom resource, ...).
    assert templates["none"] != templates["recommended"]
    assert _security_summary(templates["none"]) == _security_summary(templates["recommended"])


Check = Callable[[dict[str, Any]], None]


def _launch_templates_not_configurations(summary: dict[str, Any]) -> None:
    assert summary["launch_configurations"] == []
    assert len(summary["groups"]) == 2
    for group in summary["groups"].values():
        assert group == {
            "launch_template": True,
            "launch_configuration": False,
            "health_check": "ELB",
            "notifications": 1,
        }


def _imdsv2_and_encrypted_volumes(summary: dict[str, Any]) -> None:
    assert len(summary["launch_templates"]) == 2
    for launch_template in summary["launch_templates"].values():
        assert launch_template["metadata"]["HttpTokens"] == "required"
        assert launch_template["volumes"] == [{"encrypted": True, "type": "gp3"}]
        assert launch_template["instance_profile"] and not launch_template["public_ip"]


def _only_the_intended_ingress(summary: dict[str, Any]) -> None:
    rules = summary["ingress"]
    public = [rule for rule in rules if rule[4] == "0.0.0.0/0"]
    # Only load-balancer groups take traffic from anywhere, and only on 80/443.
    assert {(rule[1], rule[2], rule[3]) for rule in public} == {("tcp", 80, 80), ("tcp", 443, 443)}
    assert len({rule[0] for rule in public}) == 2
    ssh = [rule for rule in rules if rule[2] == 22]
    assert [(rule[1], rule[4]) for rule in ssh] == [("tcp", ADMIN_CIDR)]
    # Instances: the app port, from the load balancer's group only. (The ASG also opens
    # its admin group to the load balancer on the app port: CDK wires every group of the
    # launch template to the target group.)
    from_groups = [rule for rule in rules if rule[4].startswith("sg:")]
    assert {rule[0] for rule in from_groups if "Instances" in rule[0]} == {
        "HttpSecurityGroupsInstances6EA28EAF",
        "HttpsSecurityGroupsInstances1E338607",
    }
    for rule in from_groups:
        assert rule[1:4] == ("tcp", 80, 80) and "SecurityGroupsLoadBalancer" in rule[4]
    assert len(rules) == len(public) + len(ssh) + len(from_groups)


def _load_balancers_hardened(summary: dict[str, Any]) -> None:
    balancers = summary["load_balancers"].values()
    assert len(balancers) == 2
    for balancer in balancers:
        assert balancer["scheme"] == "internet-facing"
        assert balancer["attributes"]["access_logs.s3.enabled"] == "true"
        assert balancer["attributes"]["routing.http.drop_invalid_header_fields.enabled"] == "true"
    assert sorted(b["attributes"]["deletion_protection.enabled"] for b in balancers) == [
        "false",
        "true",
    ]
    assert summary["listeners"] == [
        (80, "HTTP", "", "forward"),
        (80, "HTTP", "", "redirect"),
        (443, "HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06", "forward"),
    ]


def _log_buckets_locked_down(summary: dict[str, Any]) -> None:
    buckets = summary["buckets"]
    assert len(buckets) == 4  # access logs + their server access logs, per tier
    for bucket in buckets.values():
        sse = bucket["encryption"]["ServerSideEncryptionConfiguration"]
        assert sse[0]["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
        assert bucket["public_access_block"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }
        assert bucket["versioning"] == {"Status": "Enabled"}
        assert bucket["ownership"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
        assert bucket["access_control"] is None
    assert sum(bucket["server_access_logs"] for bucket in buckets.values()) == 2
    assert summary["tls_only_buckets"] == sorted(buckets)


def _notifications_encrypted(summary: dict[str, Any]) -> None:
    assert len(summary["topics_encrypted"]) == 2
    assert len(summary["keys_rotated"]) == 4  # per tier: the topic's and the WAF logs' key


@pytest.mark.parametrize(
    "check",
    [
        _launch_templates_not_configurations,
        _imdsv2_and_encrypted_volumes,
        _only_the_intended_ingress,
        _load_balancers_hardened,
        _log_buckets_locked_down,
        _notifications_encrypted,
    ],
    ids=lambda check: check.__name__.strip("_"),
)
@pytest.mark.parametrize("flags", ["none", "recommended"])
def test_each_app_is_secure(templates: dict[str, dict[str, Any]], flags: str, check: Check) -> None:
    check(_security_summary(templates[flags]))
