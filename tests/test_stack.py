"""The deployable stack, synthesized once per variant and read by many tests."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Capture, Match, Template

from stacks.config import WebTierConfig
from stacks.web_tier_stack import WebTierStack
from tests.conftest import new_app

ZONE_ID = "Z0123456789ABCDEFGHIJ"


def _synth(**config: Any) -> tuple[WebTierStack, Template]:
    stack = WebTierStack(new_app(), "Web", config=WebTierConfig(**config))
    return stack, Template.from_stack(stack)


@pytest.fixture(scope="module")
def default() -> tuple[WebTierStack, Template]:
    return _synth()


@pytest.fixture(scope="module")
def with_dns() -> tuple[WebTierStack, Template]:
    return _synth(
        domain_name="shop.example.com", hosted_zone_id=ZONE_ID, hosted_zone_name="example.com"
    )


def test_stack_is_environment_agnostic(default: tuple[WebTierStack, Template]) -> None:
    stack, _ = default
    assert stack.resolve(stack.region) == {"Ref": "AWS::Region"}
    assert stack.resolve(stack.account) == {"Ref": "AWS::AccountId"}


def test_vpc_has_two_azs_public_and_private_and_flow_logs(
    default: tuple[WebTierStack, Template],
) -> None:
    stack, template = default
    assert len(stack.vpc.public_subnets) == 2 and len(stack.vpc.private_subnets) == 2
    for subnet in template.find_resources("AWS::EC2::Subnet").values():
        assert subnet["Properties"]["MapPublicIpOnLaunch"] is False
    template.has_resource_properties(
        "AWS::EC2::FlowLog",
        {"LogDestinationType": "s3", "TrafficType": "ALL", "ResourceType": "VPC"},
    )
    template.resource_count_is("Custom::VpcRestrictDefaultSG", 1)


def test_request_path_is_wired_alb_to_group(default: tuple[WebTierStack, Template]) -> None:
    stack, template = default
    tier = stack.web_tier
    target_group = Capture()
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::Listener",
        {"Port": 80, "DefaultActions": [{"Type": "forward", "TargetGroupArn": target_group}]},
    )
    template.has_resource_properties(
        "AWS::AutoScaling::AutoScalingGroup",
        {
            "TargetGroupARNs": [target_group.as_object()],
            "MinSize": "2",
            "MaxSize": "4",
            "DesiredCapacity": Match.absent(),
        },
    )
    template.has_resource_properties(
        "AWS::AutoScaling::ScalingPolicy",
        {"TargetTrackingConfiguration": Match.object_like({"TargetValue": 50})},
    )
    assert stack.resolve(tier.target_group.target_group_arn) == target_group.as_object()


def test_instances_reachable_only_from_the_load_balancer(
    default: tuple[WebTierStack, Template],
) -> None:
    stack, template = default
    ingress = template.find_resources("AWS::EC2::SecurityGroupIngress")
    assert len(ingress) == 1
    (rule,) = ingress.values()
    groups = stack.web_tier.security_groups
    assert rule["Properties"]["SourceSecurityGroupId"] == stack.resolve(
        groups.load_balancer.security_group_id
    )
    assert rule["Properties"]["GroupId"] == stack.resolve(groups.instances.security_group_id)
    assert rule["Properties"]["FromPort"] == 80


def test_access_logs_and_notifications_are_on(default: tuple[WebTierStack, Template]) -> None:
    stack, template = default
    (alb,) = template.find_resources("AWS::ElasticLoadBalancingV2::LoadBalancer").values()
    attributes = {a["Key"]: a["Value"] for a in alb["Properties"]["LoadBalancerAttributes"]}
    assert attributes["access_logs.s3.bucket"] == stack.resolve(stack.log_buckets.logs.bucket_name)
    template.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": Match.any_value()})
    template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})


def test_outputs_without_dns(default: tuple[WebTierStack, Template]) -> None:
    stack, template = default
    outputs = template.to_json()["Outputs"]
    assert set(outputs) == {"LoadBalancerDnsName", "Url"}
    assert outputs["LoadBalancerDnsName"]["Value"] == stack.resolve(
        stack.web_tier.load_balancer.dns_name
    )
    template.resource_count_is("AWS::Route53::RecordSet", 0)
    template.resource_count_is("AWS::Route53::HostedZone", 0)


def test_imported_zone_gets_an_alias_record(with_dns: tuple[WebTierStack, Template]) -> None:
    stack, template = with_dns
    template.resource_count_is("AWS::Route53::HostedZone", 0)
    template.has_resource_properties(
        "AWS::Route53::RecordSet",
        {
            "Name": "shop.example.com.",
            "Type": "A",
            "HostedZoneId": ZONE_ID,
            "AliasTarget": Match.object_like(
                {
                    "HostedZoneId": stack.resolve(
                        stack.web_tier.load_balancer.load_balancer.load_balancer_canonical_hosted_zone_id
                    )
                }
            ),
        },
    )
    outputs = template.to_json()["Outputs"]
    assert outputs["RecordName"]["Value"] == "shop.example.com"
    assert outputs["Url"]["Value"] == "http://shop.example.com"


def test_created_zone_holds_the_record_and_outputs_name_servers() -> None:
    stack, template = _synth(domain_name="example.org", create_hosted_zone=True)
    template.has_resource_properties("AWS::Route53::HostedZone", {"Name": "example.org."})
    assert stack.created_zone is not None
    template.has_resource_properties(
        "AWS::Route53::RecordSet",
        {
            "Name": "example.org.",
            "Type": "A",
            "HostedZoneId": stack.resolve(stack.created_zone.hosted_zone_id),
        },
    )
    assert "NameServers" in template.to_json()["Outputs"]


def test_admin_cidr_adds_ssh_group_on_the_launch_template() -> None:
    _, template = _synth(admin_cidrs=("203.0.113.10/32",))
    template.has_resource_properties(
        "AWS::EC2::SecurityGroup",
        {
            "SecurityGroupIngress": [
                Match.object_like({"CidrIp": "203.0.113.10/32", "FromPort": 22, "ToPort": 22})
            ]
        },
    )
    (lt,) = template.find_resources("AWS::EC2::LaunchTemplate").values()
    assert len(lt["Properties"]["LaunchTemplateData"]["SecurityGroupIds"]) == 2


def test_logical_ids_of_stateful_and_public_resources_are_pinned(
    with_dns: tuple[WebTierStack, Template],
) -> None:
    # Renaming these replaces the resource in production: the DNS name changes, logs move.
    _, template = with_dns
    ids = set(template.to_json()["Resources"])
    for logical_id in (
        "WebTierLoadBalancerA16A8463",
        "WebTierLoadBalancerTargetGroup7B5C7E55",
        "WebTierDnsAliasBDE32291",
        "Logs71AC9AA5",
        "LogsServerAccessLogsBFF4FD84",
        "Vpc8378EB38",
    ):
        assert logical_id in ids, f"{logical_id} changed: that would replace a live resource"
