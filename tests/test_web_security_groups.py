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
    groups = WebSecurityGroups(stack, "Sg", vpc=vpc, dual_stack=True)
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


@pytest.mark.parametrize(
    ("cidrs", "message"),
    [
        (
            ["0.0.0.0/1", "128.0.0.0/1"],
            r"admin_cidrs\[0\] '0\.0\.0\.0/1' opens SSH to 2,147,483,648",
        ),
        (["203.0.112.0/23"], r"admin_cidrs\[0\] '203\.0\.112\.0/23' opens SSH to 512 public"),
        (
            [f"198.51.{n}.0/24" for n in range(5)],
            r"admin_cidrs together open SSH to 1,280 public addresses",
        ),
        (["8.0.0.0/6"], r"'8\.0\.0\.0/6' opens SSH"),  # holds 10.0.0.0/8 but is mostly public
    ],
)
def test_ssh_is_never_open_to_more_than_a_small_public_range(
    stack: cdk.Stack, vpc: ec2.Vpc, cidrs: list[str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        WebSecurityGroups(stack, "Sg", vpc=vpc, admin_cidrs=cidrs)


def test_private_ranges_of_any_size_and_small_public_ones_may_ssh(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    cidrs = [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        *[f"198.51.{n}.0/24" for n in range(4)],
    ]
    groups = WebSecurityGroups(stack, "Sg", vpc=vpc, admin_cidrs=cidrs)
    assert groups.admin is not None
    rules = _ingress(Template.from_stack(stack), _group_id(stack, groups.admin))
    assert sorted(str(r["CidrIp"]) for r in rules) == sorted(cidrs)


@pytest.mark.parametrize("port", [22, 3389, 5985])
def test_the_app_port_is_never_a_remote_administration_port(
    stack: cdk.Stack, vpc: ec2.Vpc, port: int
) -> None:
    with pytest.raises(ValueError, match=f"app_port {port} is the .* port"):
        WebSecurityGroups(stack, "Sg", vpc=vpc, app_port=port)


@pytest.mark.parametrize("port", [22, 3389, 21, 8, 1023, 5900])
def test_the_public_group_opens_only_web_ports_and_unprivileged_extras(
    stack: cdk.Stack, vpc: ec2.Vpc, port: int
) -> None:
    with pytest.raises(ValueError, match=rf"listener_ports\[2\] {port} would be open"):
        WebSecurityGroups(stack, "Sg", vpc=vpc, listener_ports=(80, 443, port))


def test_an_explicit_unprivileged_listener_port_is_allowed(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    groups = WebSecurityGroups(stack, "Sg", vpc=vpc, listener_ports=(443, 8443))
    rules = _ingress(Template.from_stack(stack), _group_id(stack, groups.load_balancer))
    assert sorted(int(str(r["FromPort"])) for r in rules) == [443, 8443]


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"admin_cidrs": None}, r"admin_cidrs is None; give a list of str"),
        ({"listener_ports": "80"}, r"listener_ports '80' is a string"),
        ({"app_port": "80"}, r"app_port '80' is a string; give an int"),
        ({"admin_cidrs": [10]}, r"admin_cidrs \[10\] is a list; give a list of str"),
    ],
)
def test_python_type_mistakes_are_type_errors_naming_the_argument(
    stack: cdk.Stack, vpc: ec2.Vpc, props: dict[str, object], message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        WebSecurityGroups(stack, "Sg", vpc=vpc, **props)  # type: ignore[arg-type]
