from __future__ import annotations

import json

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk.assertions import Capture, Match, Template

from constructs_lib import WebSecurityGroups


def _ingress(template: Template, group_logical_id: str) -> list[dict[str, object]]:
    group = template.to_json()["Resources"][group_logical_id]
    rules: list[dict[str, object]] = group["Properties"].get("SecurityGroupIngress", [])
    return rules


def _group_id(stack: cdk.Stack, group: ec2.SecurityGroup | None) -> str:
    assert group is not None
    return stack.get_logical_id(group.node.default_child)  # type: ignore[arg-type]


def test_load_balancer_group_opens_80_and_443_to_the_internet_only(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    groups = WebSecurityGroups(stack, "Sg", vpc=vpc)
    template = Template.from_stack(stack)

    rules = _ingress(template, _group_id(stack, groups.load_balancer))
    assert sorted((r["FromPort"], r["ToPort"], r["CidrIp"]) for r in rules) == [
        (80, 80, "0.0.0.0/0"),
        (443, 443, "0.0.0.0/0"),
    ]
    assert all("CidrIpv6" not in r for r in rules)


def test_instances_accept_app_port_only_from_the_load_balancer_group(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    groups = WebSecurityGroups(stack, "Sg", vpc=vpc, app_port=8080)
    template = Template.from_stack(stack)

    assert _ingress(template, _group_id(stack, groups.instances)) == []  # no CIDR rules inline
    source = Capture()
    template.resource_properties_count_is("AWS::EC2::SecurityGroupIngress", Match.any_value(), 1)
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        {
            "IpProtocol": "tcp",
            "FromPort": 8080,
            "ToPort": 8080,
            "GroupId": {"Fn::GetAtt": [_group_id(stack, groups.instances), "GroupId"]},
            "SourceSecurityGroupId": source,
        },
    )
    assert source.as_object() == {"Fn::GetAtt": [_group_id(stack, groups.load_balancer), "GroupId"]}


def test_no_admin_group_and_no_ssh_rule_without_admin_cidrs(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    groups = WebSecurityGroups(stack, "Sg", vpc=vpc)
    template = Template.from_stack(stack)

    assert groups.admin is None
    assert groups.instance_groups == [groups.instances]
    template.resource_count_is("AWS::EC2::SecurityGroup", 2)
    assert '"FromPort": 22' not in json.dumps(template.to_json())


def test_admin_group_allows_ssh_from_each_given_cidr(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    groups = WebSecurityGroups(
        stack, "Sg", vpc=vpc, admin_cidrs=["203.0.113.10/32", "198.51.100.0/24"]
    )
    template = Template.from_stack(stack)

    assert groups.admin is not None
    assert groups.instance_groups == [groups.instances, groups.admin]
    rules = _ingress(template, _group_id(stack, groups.admin))
    assert sorted((r["CidrIp"], r["FromPort"], r["ToPort"]) for r in rules) == [
        ("198.51.100.0/24", 22, 22),
        ("203.0.113.10/32", 22, 22),
    ]


def test_every_group_keeps_open_egress(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    WebSecurityGroups(stack, "Sg", vpc=vpc, admin_cidrs=["203.0.113.10/32"])
    groups = Template.from_stack(stack).find_resources("AWS::EC2::SecurityGroup")
    assert len(groups) == 3
    for group in groups.values():
        egress = group["Properties"]["SecurityGroupEgress"]
        assert [(e["CidrIp"], e["IpProtocol"]) for e in egress] == [("0.0.0.0/0", "-1")]


def test_ipv6_opens_listener_ports_to_any_ipv6(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    groups = WebSecurityGroups(stack, "Sg", vpc=vpc, ipv6=True)
    rules = _ingress(Template.from_stack(stack), _group_id(stack, groups.load_balancer))
    v6 = sorted((r["FromPort"], r["CidrIpv6"]) for r in rules if "CidrIpv6" in r)
    assert v6 == [(80, "::/0"), (443, "::/0")]


@pytest.mark.parametrize(
    ("cidr", "message"),
    [
        ("0.0.0.0/0", r"admin_cidrs\[0\] '0\.0\.0\.0/0' opens the port to the whole internet"),
        ("203.0.113.10", r"admin_cidrs\[0\] '203\.0\.113\.10' is not an IPv4 CIDR"),
        ("300.1.1.1/32", r"admin_cidrs\[0\] '300\.1\.1\.1/32' is not a valid IPv4 CIDR"),
        ("10.0.0.0/33", r"admin_cidrs\[0\] '10\.0\.0\.0/33' is not a valid IPv4 CIDR"),
        ("10.0.0.1/24", r"admin_cidrs\[0\] '10\.0\.0\.1/24' has host bits set.*'10\.0\.0\.0/24'"),
        ("2001:db8::/64", r"admin_cidrs\[0\] '2001:db8::/64' is an IPv6 CIDR"),
    ],
)
def test_bad_admin_cidr_is_refused(stack: cdk.Stack, vpc: ec2.Vpc, cidr: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WebSecurityGroups(stack, "Sg", vpc=vpc, admin_cidrs=[cidr])


def test_admin_cidrs_as_a_plain_string_is_refused(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    with pytest.raises(ValueError, match=r"admin_cidrs '203\.0\.113\.10/32' is a string"):
        WebSecurityGroups(stack, "Sg", vpc=vpc, admin_cidrs="203.0.113.10/32")


@pytest.mark.parametrize("port", [0, 70000, -1])
def test_bad_app_port_is_refused(stack: cdk.Stack, vpc: ec2.Vpc, port: int) -> None:
    with pytest.raises(ValueError, match=f"app_port {port} is not a TCP port"):
        WebSecurityGroups(stack, "Sg", vpc=vpc, app_port=port)


def test_several_problems_are_reported_together(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    with pytest.raises(ValueError) as raised:
        WebSecurityGroups(
            stack,
            "Sg",
            vpc=vpc,
            app_port=0,
            listener_ports=(80, 70000),
            admin_cidrs=["0.0.0.0/0"],
        )
    text = str(raised.value)
    assert "3 invalid props" in text
    for arg in ("app_port 0", "listener_ports[1] 70000", "admin_cidrs[0]"):
        assert arg in text
