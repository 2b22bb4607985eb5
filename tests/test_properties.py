"""Property-based tests (hypothesis): random arguments, the tier's promises checked on each.

* Random valid ``WebTier`` arguments are synthesized and every security invariant is checked
  on the template: ingress from anywhere only into the load-balancer group on its web ports,
  SSH only from the given ranges (and no SSH rule without them), no public IPs on instances,
  IMDSv2, encrypted volumes, with HTTPS port 80 only redirects, a launch template and never a
  launch configuration, min <= desired <= max on the group and on every scheduled action.
* Random bad arguments raise a ``ValueError``/``TypeError`` naming the argument, before
  anything reaches jsii, and the process's CDK stays usable afterwards (a NaN reaching the
  jsii kernel used to break every later call with BrokenPipe).

Example counts are bounded so the suite keeps its minute: ``HYPOTHESIS_PROFILE=ci`` runs
many more (e.g. ``make unit PYTEST_ARGS=tests/test_properties.py HYPOTHESIS_PROFILE=ci``).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterator, Mapping
from functools import cache
from itertools import count
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from aws_cdk.assertions import Template
from constructs import Construct
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from constructs_lib import Observability, RecurringSchedule, WebTier
from constructs_lib.web_security_groups import ADMIN_PORTS, PRIVATE_RANGES
from tests.conftest import new_stack, new_vpc
from tests.support.grouped import tier_kwargs

settings.register_profile(
    "default",
    max_examples=6,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

_ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
_WEB_PORTS = {80, 443}


# ---------------------------------------------------------------- valid arguments


@st.composite
def _admin_cidr(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        base = draw(st.sampled_from(PRIVATE_RANGES))
        prefix = draw(st.integers(base.prefixlen, 32))
        offset = draw(st.integers(0, base.num_addresses - 1))
        address = ipaddress.IPv4Address(int(base.network_address) + offset)
    else:  # a public range of /24 or narrower (documentation ranges and beyond)
        prefix = draw(st.integers(24, 32))
        address = ipaddress.IPv4Address(draw(st.integers(0x0B000000, 0xDF000000)))
    network = ipaddress.IPv4Network(f"{address}/{prefix}", strict=False)
    if not network.is_global and not any(network.subnet_of(p) for p in PRIVATE_RANGES):
        network = ipaddress.IPv4Network(f"198.51.100.0/{max(prefix, 24)}", strict=False)
    return str(network)


@st.composite
def _capacities(draw: st.DrawFn) -> dict[str, Any]:
    low = draw(st.integers(0, 4))
    high = draw(st.integers(max(low, 1), 8))
    desired = draw(st.none() | st.integers(low, high))
    return {"min_capacity": low, "max_capacity": high, "desired_capacity": desired}


@st.composite
def _tier_args(draw: st.DrawFn) -> dict[str, Any]:
    args: dict[str, Any] = draw(_capacities())
    args["instance_type"] = ec2.InstanceType(
        draw(st.sampled_from(["t3.micro", "t3a.small", "m7g.large", "c7i.xlarge", "t4g.nano"]))
    )
    args["app_port"] = draw(
        st.sampled_from([80, 8080])
        | st.integers(1024, 65535).filter(lambda p: p not in ADMIN_PORTS)
    )
    args["cpu_target_percent"] = draw(st.none() | st.floats(1, 100, allow_nan=False))
    args["admin_cidrs"] = draw(st.lists(_admin_cidr(), max_size=3))
    args["root_volume_size_gib"] = draw(st.integers(8, 200))
    args["detailed_monitoring"] = draw(st.booleans())
    args["https"] = draw(st.booleans())
    args["observability"] = draw(st.booleans())
    args["waf"] = draw(st.booleans())
    if draw(st.booleans()):
        night = RecurringSchedule("Night", "0 22 * * *", max_capacity=args["max_capacity"])
        args["schedules"] = [night]
    return args


def _build(stack: cdk.Stack, vpc: ec2.Vpc, args: dict[str, Any]) -> WebTier:
    args = dict(args)
    if args.pop("https"):
        args["certificate"] = acm.Certificate.from_certificate_arn(stack, "Cert", _ARN)
    args["observability"] = Observability() if args["observability"] else None
    return WebTier(stack, "Tier", vpc=vpc, **tier_kwargs(deletion_protection=False, **args))


def _resources(template: Mapping[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def _ingress_rules(template: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(group logical id, rule) for inline and standalone ingress rules."""
    rules = []
    for group_id, group in _resources(template, "AWS::EC2::SecurityGroup").items():
        for rule in group["Properties"].get("SecurityGroupIngress", []):
            rules.append((group_id, rule))
    for rule in _resources(template, "AWS::EC2::SecurityGroupIngress").values():
        rules.append((rule["Properties"]["GroupId"]["Fn::GetAtt"][0], rule["Properties"]))
    return rules


@given(args=_tier_args())
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_any_valid_tier_keeps_the_security_invariants(args: dict[str, Any]) -> None:
    stack = new_stack()
    vpc = new_vpc(stack)
    tier = _build(stack, vpc, args)
    template = Template.from_stack(stack).to_json()
    lb_security_group = tier.security_groups.load_balancer
    assert lb_security_group is not None  # the tier's own load balancer
    lb_group = stack.resolve(lb_security_group.security_group_id)["Fn::GetAtt"][0]

    admin = {str(ipaddress.IPv4Network(c)) for c in args["admin_cidrs"]}
    ssh_from: set[str] = set()
    for group_id, rule in _ingress_rules(template):
        cidr = rule.get("CidrIp") or rule.get("CidrIpv6")
        if cidr in ("0.0.0.0/0", "::/0"):
            assert group_id == lb_group, rule
            assert rule["FromPort"] == rule["ToPort"] and rule["FromPort"] in _WEB_PORTS, rule
        elif cidr is not None:
            assert (rule["FromPort"], rule["ToPort"]) == (22, 22), rule
            ssh_from.add(cidr)
        else:  # from a security group: the load balancer's, to the app port only
            assert rule["FromPort"] == rule["ToPort"] == args["app_port"], rule
    assert ssh_from == admin

    assert not _resources(template, "AWS::AutoScaling::LaunchConfiguration")
    (launch_template,) = _resources(template, "AWS::EC2::LaunchTemplate").values()
    data = launch_template["Properties"]["LaunchTemplateData"]
    assert data["MetadataOptions"]["HttpTokens"] == "required"
    for interface in data.get("NetworkInterfaces", []):
        assert not interface.get("AssociatePublicIpAddress"), interface
    for device in data["BlockDeviceMappings"]:
        assert device["Ebs"]["Encrypted"] is True

    (group,) = _resources(template, "AWS::AutoScaling::AutoScalingGroup").values()
    props = group["Properties"]
    low, high = int(props["MinSize"]), int(props["MaxSize"])
    assert low <= int(props.get("DesiredCapacity", low)) <= high
    for action in _resources(template, "AWS::AutoScaling::ScheduledAction").values():
        a = action["Properties"]
        a_low, a_high = int(a.get("MinSize", low)), int(a.get("MaxSize", high))
        assert a_low <= a_high
        if "DesiredCapacity" in a:
            assert a_low <= int(a["DesiredCapacity"]) <= a_high

    if args["https"]:
        for listener in _resources(template, "AWS::ElasticLoadBalancingV2::Listener").values():
            if listener["Properties"]["Port"] == 80:
                assert [a["Type"] for a in listener["Properties"]["DefaultActions"]] == ["redirect"]


# ---------------------------------------------------------------- bad arguments

_TEXT = st.text(max_size=12)
_NOT_FINITE = st.sampled_from([float("nan"), float("inf"), float("-inf"), 10**400])

# argument -> strategy of values WebTier must refuse for it
_BAD: dict[str, st.SearchStrategy[Any]] = {
    "app_port": st.integers(max_value=0)
    | st.integers(min_value=65536)
    | st.sampled_from(sorted(ADMIN_PORTS))
    | _TEXT
    | st.none(),
    "min_capacity": st.integers(max_value=-1) | st.integers(min_value=1001) | _TEXT | _NOT_FINITE,
    "max_capacity": st.integers(max_value=0) | st.integers(min_value=1001) | _NOT_FINITE,
    "cpu_target_percent": st.floats(max_value=0) | st.floats(min_value=100.001) | _NOT_FINITE,
    "admin_cidrs": st.just(["0.0.0.0/1", "128.0.0.0/1"])
    | st.builds(lambda n: [f"{n}.0.0.0/8"], st.integers(11, 126))
    | _TEXT.map(lambda t: [t])
    | st.none(),
    "instance_type": _TEXT.map(lambda t: ec2.InstanceType(f"x9{t}.micro")) | _TEXT,
    "health_check_path": _TEXT.filter(lambda t: not t.startswith("/")) | st.none(),
    "root_volume_size_gib": st.integers(max_value=7) | st.integers(min_value=16385) | _NOT_FINITE,
    "request_count_target": st.integers(max_value=0) | st.just(10**400),
}


@cache
def _host() -> tuple[ec2.Vpc, Iterator[int]]:
    """One stack and VPC for every bad-argument example (never synthesized): each example
    builds in a scope of its own, so a stack and a VPC per example (≈ 20 ms each) buy nothing."""
    return new_vpc(new_stack()), count()


@given(argument=st.sampled_from(sorted(_BAD)), data=st.data())
@settings(max_examples=40)
def test_any_bad_argument_is_refused_by_name_before_jsii(
    argument: str, data: st.DataObject
) -> None:
    value = data.draw(_BAD[argument], label=argument)
    vpc, examples = _host()
    scope = Construct(vpc.stack, f"Example{next(examples)}")
    with pytest.raises((ValueError, TypeError)) as raised:
        WebTier(scope, "Tier", vpc=vpc, **tier_kwargs(**{argument: value}))
    assert argument in str(raised.value)
    built = scope.node.try_find_child("Tier")  # wrong types stop before the construct itself
    assert built is None or built.node.children == []  # nothing was built
    # jsii is still alive: a NaN or 10**400 that reached the kernel would break this call.
    ec2.SecurityGroup(scope, "After", vpc=vpc)
