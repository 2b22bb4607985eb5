from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_route53 as route53
from aws_cdk.assertions import Template

from constructs_lib import WebDns
from tests.conftest import new_app

ZONE_ID = "Z0123456789ABCDEFGHIJ"


def _alb(stack: cdk.Stack, vpc: ec2.Vpc) -> elbv2.ApplicationLoadBalancer:
    return elbv2.ApplicationLoadBalancer(stack, "Alb", vpc=vpc, internet_facing=True)


def _zone(stack: cdk.Stack) -> route53.IHostedZone:
    return WebDns.from_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id=ZONE_ID, zone_name="example.com"
    )


def test_alias_records_point_at_the_load_balancer(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    alb = _alb(stack, vpc)
    dns = WebDns(
        stack,
        "Dns",
        hosted_zone=_zone(stack),
        load_balancer=alb,
        record_names=["shop.example.com", "www.shop.example.com"],
    )
    template = Template.from_stack(stack)

    template.resource_count_is("AWS::Route53::RecordSet", 2)
    for name in ("shop.example.com.", "www.shop.example.com."):
        template.has_resource_properties(
            "AWS::Route53::RecordSet",
            {
                "Name": name,
                "Type": "A",
                "HostedZoneId": ZONE_ID,
                "AliasTarget": {
                    "DNSName": {
                        "Fn::Join": ["", ["dualstack.", stack.resolve(alb.load_balancer_dns_name)]]
                    },
                    "HostedZoneId": stack.resolve(alb.load_balancer_canonical_hosted_zone_id),
                },
            },
        )
    assert dns.record is dns.records[0]
    assert dns.ipv6_records == []


def test_ipv6_adds_aaaa_records(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    WebDns(
        stack,
        "Dns",
        hosted_zone=_zone(stack),
        load_balancer=_alb(stack, vpc),
        record_names=["example.com"],
        dual_stack=True,
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::Route53::RecordSet", {"Name": "example.com.", "Type": "AAAA"}
    )
    template.has_resource_properties(
        "AWS::Route53::RecordSet", {"Name": "example.com.", "Type": "A"}
    )


def test_record_logical_id_is_stable(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    dns = WebDns(
        stack,
        "Dns",
        hosted_zone=_zone(stack),
        load_balancer=_alb(stack, vpc),
        record_names=["shop.example.com"],
    )
    assert stack.get_logical_id(dns.record.node.default_child).startswith(  # type: ignore[arg-type]
        "DnsAlias"
    )


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ([], "record_names is empty"),
        (["shop.other.org"], r"record_names\[0\] 'shop.other.org' is not inside the hosted zone"),
        (["bad_label.example.com"], r"invalid label 'bad_label'"),
        (["shop.example.com.."], r"record_names\[0\] 'shop.example.com..' has an empty label"),
        ([".example.com"], "has an empty label"),
        (["-shop.example.com"], r"invalid label '-shop'"),
        (["www.*.example.com"], r"wildcard '\*' only as its first label"),
        (["a" * 64 + ".example.com"], "invalid label"),
        (["shop.example.com", "SHOP.example.com."], "record_names repeats"),
    ],
)
def test_bad_record_names_are_refused(
    stack: cdk.Stack, vpc: ec2.Vpc, names: list[str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        WebDns(
            stack,
            "Dns",
            hosted_zone=_zone(stack),
            load_balancer=_alb(stack, vpc),
            record_names=names,
        )


def test_wildcard_first_label_is_allowed(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    WebDns(
        stack,
        "Dns",
        hosted_zone=_zone(stack),
        load_balancer=_alb(stack, vpc),
        record_names=["*.example.com"],
    )
    Template.from_stack(stack).has_resource_properties(
        "AWS::Route53::RecordSet", {"Name": "*.example.com."}
    )


@pytest.mark.parametrize(
    ("zone_id", "zone_name", "message"),
    [
        ("abc", "example.com", "hosted_zone_id 'abc' is not a Route 53 hosted zone id"),
        (ZONE_ID, "localhost", "zone_name 'localhost' needs at least two labels"),
    ],
)
def test_bad_zone_import_is_refused(
    stack: cdk.Stack, zone_id: str, zone_name: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        WebDns.from_hosted_zone_attributes(
            stack, "Zone", hosted_zone_id=zone_id, zone_name=zone_name
        )


def test_from_hosted_zone_attributes_checks_id_and_name() -> None:
    stack = cdk.Stack(new_app(), "FromAttributes")
    zone = WebDns.from_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id="Z0123456789ABCDEFGHIJ", zone_name="example.com"
    )
    assert zone.hosted_zone_id == "Z0123456789ABCDEFGHIJ"
    with pytest.raises(ValueError, match="zone_name"):
        WebDns.from_hosted_zone_attributes(
            stack, "Bad", hosted_zone_id="Z0123456789ABCDEFGHIJ", zone_name="not a name"
        )
