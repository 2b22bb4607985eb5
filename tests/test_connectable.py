"""Every construct with security groups is an ``ec2.IConnectable``, usable the CDK way.

GIVEN a web tier and a database security group in one stack
WHEN the database is connected to the tier and to each of its children, both ways, by passing
     the constructs themselves where aws-cdk-lib expects an IConnectable
THEN each connection is a security-group rule between the database's group and the group that
     construct's ``connections`` stands for (the instances', or the load balancer's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk.assertions import Template

from constructs_lib import (
    WebAutoScalingGroup,
    WebLaunchTemplate,
    WebLoadBalancer,
    WebSecurityGroups,
    WebTier,
)
from tests.conftest import new_stack, new_vpc


@dataclass(frozen=True)
class Case:
    name: str
    construct: Callable[[WebTier], Any]
    group: Callable[[WebTier], ec2.SecurityGroup | None]  # the group its connections stand for
    port: int  # the database lets this in from the construct; +1000 the other way


CASES = [
    Case("WebTier", lambda t: t, lambda t: t.security_groups.instances, 5432),
    Case(
        "WebLoadBalancer",
        lambda t: t.load_balancing,
        lambda t: t.security_groups.load_balancer,
        5433,
    ),
    Case(
        "WebAutoScalingGroup", lambda t: t.auto_scaling, lambda t: t.security_groups.instances, 5434
    ),
    Case(
        "WebLaunchTemplate",
        lambda t: t.launch,
        lambda t: t.security_groups.instances,
        5435,
    ),
    Case(
        "WebSecurityGroups",
        lambda t: t.security_groups,
        lambda t: t.security_groups.instances,
        5436,
    ),
]


@dataclass(frozen=True)
class Built:
    stack: cdk.Stack
    tier: WebTier
    database: ec2.SecurityGroup
    template: Template


@pytest.fixture(scope="module")
def built() -> Built:
    stack = new_stack()
    vpc = new_vpc(stack)
    tier = WebTier(stack, "Web", vpc=vpc, waf=False, observability=None)
    database = ec2.SecurityGroup(stack, "Database", vpc=vpc, allow_all_outbound=False)
    for case in CASES:
        construct = case.construct(tier)
        # Into Node as an IConnectable: the database lets the construct in...
        database.connections.allow_from(construct, ec2.Port.tcp(case.port), case.name)
        # ...and the construct's groups let the database in.
        database.connections.allow_to(construct, ec2.Port.tcp(case.port + 1000), case.name)
    return Built(stack, tier, database, Template.from_stack(stack))


def _group_id(built: Built, group: ec2.SecurityGroup | None) -> dict[str, Any]:
    assert group is not None
    return {"Fn::GetAtt": [built.stack.get_logical_id(group.node.default_child), "GroupId"]}  # type: ignore[arg-type]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_construct_is_an_iconnectable(built: Built, case: Case) -> None:
    construct = case.construct(built.tier)
    assert ec2.IConnectable in type(construct).__jsii_ifaces__
    assert isinstance(construct.connections, ec2.Connections)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_database_lets_the_construct_in(built: Built, case: Case) -> None:
    built.template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        {
            "GroupId": _group_id(built, built.database),
            "SourceSecurityGroupId": _group_id(built, case.group(built.tier)),
            "FromPort": case.port,
            "ToPort": case.port,
        },
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_construct_lets_the_database_in(built: Built, case: Case) -> None:
    built.template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        {
            "GroupId": _group_id(built, case.group(built.tier)),
            "SourceSecurityGroupId": _group_id(built, built.database),
            "FromPort": case.port + 1000,
        },
    )


def test_the_tiers_default_port_is_the_app_port(built: Built) -> None:
    """``db.connections.allow_default_port_from(tier)`` needs the database's port, and
    ``allow_default_port_to(tier)`` the tier's: the application port."""
    assert built.tier.connections.default_port is not None
    assert built.tier.connections.default_port.to_string() == "80"


def test_standalone_constructs_are_iconnectable() -> None:
    for cls in (
        WebTier,
        WebLoadBalancer,
        WebAutoScalingGroup,
        WebLaunchTemplate,
        WebSecurityGroups,
    ):
        assert ec2.IConnectable in getattr(cls, "__jsii_ifaces__", []), cls.__name__
        assert isinstance(cls.__dict__["connections"], property), cls.__name__
