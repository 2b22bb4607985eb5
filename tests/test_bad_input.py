"""Bad input, all in one table: every case must fail at construct (or configuration) time
with a ValueError that names the offending argument (or cdk.json key) and the value.

The per-module tests check the wording of each message; this table checks the contract
across the whole public surface, including what aws-cdk-lib and CloudFormation would accept
silently (see /docs/validation.md). Each row: id, a call that must fail, the argument's name
as the message gives it, and the value as the message shows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import cache
from itertools import count
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_route53 as route53

from constructs_lib import (
    Capacity,
    EncryptedTopic,
    InstanceOptions,
    InstanceRefresh,
    LogBuckets,
    OneOffSchedule,
    PredictiveMetric,
    PredictiveScalingOptions,
    RecurringSchedule,
    Scaling,
    ScalingSchedule,
    TargetGroupOptions,
    WebAcl,
    WebAutoScalingGroup,
    WebDns,
    WebImage,
    WebLaunchTemplate,
    WebLoadBalancer,
    WebSecurityGroups,
    WebTier,
)
from stacks.config import WebTierConfig
from tests.conftest import new_app, new_stack, new_vpc
from tests.support.grouped import grouped_kwargs, tier_kwargs
from tests.test_auto_scaling import _make

Build = Callable[[cdk.Stack, ec2.Vpc], object]
_DAY_1, _DAY_9 = dt.date(2026, 6, 1), dt.date(2026, 6, 9)


def _tier(**props: Any) -> Build:
    return lambda stack, vpc: WebTier(stack, "Tier", vpc=vpc, **tier_kwargs(**props))


def _lb(**props: Any) -> Build:
    def build(stack: cdk.Stack, vpc: ec2.Vpc) -> object:
        groups = WebSecurityGroups(stack, "Groups", vpc=vpc)
        return WebLoadBalancer(
            stack,
            "Lb",
            vpc=vpc,
            security_group=groups.load_balancer,
            **grouped_kwargs("WebLoadBalancer", **props),
        )

    return build


def _lt(**props: Any) -> Build:
    def build(stack: cdk.Stack, vpc: ec2.Vpc) -> object:
        groups = WebSecurityGroups(stack, "Groups", vpc=vpc)
        merged = {"instance_type": ec2.InstanceType("t3.micro"), **props}
        return WebLaunchTemplate(
            stack,
            "Lt",
            security_groups=groups.instance_groups,
            **grouped_kwargs("WebLaunchTemplate", **merged),
        )

    return build


def _config(**context: Any) -> Build:
    return lambda stack, vpc: WebTierConfig.from_context(context)


def _zone(stack: cdk.Stack) -> route53.IHostedZone:
    return route53.PublicHostedZone.from_public_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id="Z0123456789ABCDEFGHIJ", zone_name="example.com"
    )


def _dns(names: list[str]) -> Build:
    def build(stack: cdk.Stack, vpc: ec2.Vpc) -> object:
        groups = WebSecurityGroups(stack, "Groups", vpc=vpc)
        lb = WebLoadBalancer(stack, "Lb", vpc=vpc, security_group=groups.load_balancer)
        return WebDns(
            stack,
            "Dns",
            hosted_zone=_zone(stack),
            load_balancer=lb.load_balancer,
            record_names=names,
        )

    return build


def _scale_on_cpu(target: float) -> Build:
    def build(stack: cdk.Stack, vpc: ec2.Vpc) -> object:
        groups = WebSecurityGroups(stack, "Groups", vpc=vpc)
        lt = WebLaunchTemplate(
            stack,
            "Lt",
            instance_type=ec2.InstanceType("t3.micro"),
            security_groups=groups.instance_groups,
        )
        group = WebAutoScalingGroup(
            stack,
            "Group",
            vpc=vpc,
            launch_template=lt.launch_template,
            scaling=Scaling(cpu_target_percent=None),
        )
        return group.scale_on_cpu(target)

    return build


def _predictive(target: float) -> Build:
    metric = PredictiveMetric.request_count()
    return _tier(predictive_scaling=PredictiveScalingOptions(metric=metric, target_value=target))


def _one_zone_tier(stack: cdk.Stack) -> WebTier:
    return WebTier(stack, "Tier", vpc=ec2.Vpc(stack, "OneZone", max_azs=1))


ARM = ec2.InstanceArchitecture.ARM_64
CASES: list[tuple[str, Build, str, str]] = [
    # CIDRs
    ("cidr-without-mask", _tier(admin_cidrs=["10.0.0.0"]), "admin_cidrs[0]", "'10.0.0.0'"),
    ("cidr-host-bits", _tier(admin_cidrs=["10.0.0.1/24"]), "admin_cidrs[0]", "'10.0.0.1/24'"),
    ("cidr-ssh-from-anywhere", _tier(admin_cidrs=["0.0.0.0/0"]), "admin_cidrs[0]", "/0'"),
    ("cidr-ipv6-for-ipv4", _tier(admin_cidrs=["2001:db8::/64"]), "admin_cidrs[0]", "'2001:db8"),
    ("cidr-octet-300", _tier(admin_cidrs=["300.1.1.1/32"]), "admin_cidrs[0]", "'300.1.1.1/32'"),
    ("cidr-mask-33", _tier(admin_cidrs=["10.0.0.0/33"]), "admin_cidrs[0]", "'10.0.0.0/33'"),
    ("cidrs-as-string", _tier(admin_cidrs="203.0.113.10/32"), "admin_cidrs", "'203.0.113.10/32'"),
    ("cidr-second-item", _tier(admin_cidrs=["203.0.113.10/32", "x"]), "admin_cidrs[1]", "'x'"),
    ("key-cidr-ipv6-any", _config(adminCidrs="::/0"), "context key 'adminCidrs' item 0", "'::/0'"),
    ("cidrs-two-halves", _tier(admin_cidrs=["0.0.0.0/1", "128.0.0.0/1"]), "admin_cidrs[1]", "/1'"),
    ("cidr-public-wide", _tier(admin_cidrs=["198.51.0.0/16"]), "admin_cidrs[0]", "/16'"),
    ("cidrs-none", _tier(admin_cidrs=None), "admin_cidrs", "None"),
    ("app-port-ssh", _tier(app_port=22), "app_port", "22"),
    ("app-port-rdp", _tier(app_port=3389), "app_port", "3389"),
    (
        "listener-port-rdp",
        lambda stack, vpc: WebSecurityGroups(stack, "G", vpc=vpc, listener_ports=(80, 3389)),
        "listener_ports[1]",
        "3389",
    ),
    (
        "listener-port-ssh",
        lambda stack, vpc: WebSecurityGroups(stack, "G", vpc=vpc, listener_ports=(22,)),
        "listener_ports[0]",
        "22",
    ),
    # Ports (no prop takes a port range, so there is no from > to to check)
    ("port-zero", _tier(app_port=0), "app_port", "0"),
    ("port-above-65535", _tier(app_port=65536), "app_port", "65536"),
    ("port-negative", _tier(app_port=-1), "app_port", "-1"),
    ("port-bool", _tier(app_port=True), "app_port", "True"),
    (
        "listener-port-zero",
        lambda stack, vpc: WebSecurityGroups(stack, "G", vpc=vpc, listener_ports=(80, 0)),
        "listener_ports[1]",
        "0",
    ),
    # Capacities
    ("min-negative", _tier(min_capacity=-1), "min_capacity", "-1"),
    ("max-zero", _tier(max_capacity=0), "max_capacity", "0"),
    ("min-above-max", _tier(min_capacity=5), "min_capacity", "5"),
    ("desired-above-max", _tier(desired_capacity=9), "desired_capacity", "9"),
    ("desired-below-min", _tier(desired_capacity=1), "desired_capacity", "1"),
    ("min-as-string", _tier(min_capacity="2"), "min_capacity", "'2'"),
    ("key-min-negative", _config(minCapacity="-3"), "context key 'minCapacity'", "-3"),
    # Percentages
    ("cpu-zero", _tier(cpu_target_percent=0), "cpu_target_percent", "0"),
    ("cpu-above-100", _tier(cpu_target_percent=101), "cpu_target_percent", "101"),
    ("cpu-negative", _tier(cpu_target_percent=-5), "cpu_target_percent", "-5"),
    ("scale-on-cpu-zero", _scale_on_cpu(0), "target_percent", "0"),
    ("key-cpu-150", _config(cpuTargetPercent="150"), "context key 'cpuTargetPercent'", "150"),
    # Instance types
    ("type-typo", _tier(instance_type=ec2.InstanceType("t3.mirco")), "instance_type", "mirco"),
    ("type-family", _tier(instance_type=ec2.InstanceType("q9.large")), "instance_type", "q9"),
    ("type-size", _tier(instance_type=ec2.InstanceType("t3.2large")), "instance_type", "2large"),
    (
        "type-vs-image",
        _tier(image=WebImage.amazon_linux_2023(architecture=ARM)),
        "instance_type",
        "'t3.micro'",
    ),
    ("key-type", _config(instanceType="m7g.larg"), "context key 'instanceType'", "'m7g.larg'"),
    ("type-no-family", _tier(instance_type=ec2.InstanceType("t9.micro")), "instance_type", "t9"),
    ("type-no-size", _tier(instance_type=ec2.InstanceType("c5.nano")), "instance_type", "nano"),
    ("type-as-string", _tier(instance_type="t3.micro"), "instance_type", "'t3.micro'"),
    # Volumes
    ("volume-zero", _tier(root_volume_size_gib=0), "root_volume_size_gib", "0"),
    ("volume-huge", _tier(root_volume_size_gib=20000), "root_volume_size_gib", "20000"),
    ("gp3-iops-low", _lt(root_volume_iops=100), "root_volume_iops", "100"),
    ("gp3-throughput", _lt(root_volume_throughput_mibps=50), "root_volume_throughput_mibps", "50"),
    (
        "gp3-throughput-above-iops-ratio",
        _lt(root_volume_throughput_mibps=1000),
        "root_volume_throughput_mibps",
        "1000 needs at least 4000 IOPS",
    ),
    ("gp3-iops-above-size-ratio", _lt(root_volume_iops=16000), "root_volume_iops", "16000"),
    (
        "io2-iops-above-size-ratio",
        _lt(root_volume_type=ec2.EbsDeviceVolumeType.IO2, root_volume_iops=9000),
        "root_volume_iops",
        "9000",
    ),
    # Numbers that JSON (jsii, templates) cannot carry
    ("predictive-target-nan", _predictive(float("nan")), "predictive_scaling.target_value", "nan"),
    ("predictive-target-inf", _predictive(float("inf")), "predictive_scaling.target_value", "inf"),
    ("request-target-huge", _tier(request_count_target=10**400), "request_count_target", "1000"),
    ("cpu-target-nan", _tier(cpu_target_percent=float("nan")), "cpu_target_percent", "nan"),
    # VPC shape
    ("vpc-one-zone", lambda stack, vpc: _one_zone_tier(stack), "vpc_subnets", "1 Availability"),
    ("dual-stack-ipv4-vpc", _tier(dual_stack=True), "dual_stack", "no IPv6"),
    # Health checks
    ("path-no-slash", _tier(health_check_path="health"), "health_check_path", "'health'"),
    ("path-space", _tier(health_check_path="/he alth"), "health_check_path", "'/he alth'"),
    ("matcher-letters", _lb(health_check_matcher="abc"), "health_check_matcher", "'abc'"),
    ("matcher-600", _lb(health_check_matcher="200,600"), "health_check_matcher", "'200,600'"),
    ("matcher-newline", _lb(health_check_matcher="200\n"), "health_check_matcher", "'200\\n'"),
    ("matcher-arabic-digits", _lb(health_check_matcher="٢٠٠"), "health_check_matcher", "'٢٠٠'"),
    (
        "timeout-not-below-interval",
        _lb(health_check_interval=Duration.seconds(10), health_check_timeout=Duration.seconds(10)),
        "health_check_timeout",
        "10s",
    ),
    (
        "interval-fractional",
        _lb(health_check_interval=Duration.millis(1500)),
        "health_check_interval",
        "1.5s",
    ),
    ("healthy-threshold-1", _lb(healthy_threshold=1), "healthy_threshold", "1"),
    ("unhealthy-threshold-11", _lb(unhealthy_threshold=11), "unhealthy_threshold", "11"),
    # Deregistration delay
    (
        "deregistration-4000s",
        _tier(deregistration_delay=Duration.seconds(4000)),
        "deregistration_delay",
        "4000s",
    ),
    ("deregistration-int", _tier(deregistration_delay=30), "deregistration_delay", "30"),
    # Domain and record names
    (
        "record-bad-label",
        _tier(hosted_zone=None, record_names=["bad_name.example.com"]),
        "record_names[0]",
        "'bad_name.example.com'",
    ),
    ("records-as-string", _tier(record_names="shop.example.com"), "record_names", "'shop.ex"),
    ("record-outside-zone", _dns(["shop.example.org"]), "record_names[0]", "'shop.example.org'"),
    ("key-domain", _config(domainName="-shop.example.com"), "context key 'domainName'", "-shop"),
    # Logs, WAF, app keys
    (
        "retention-hours",
        lambda stack, vpc: LogBuckets(stack, "Logs", retention=Duration.hours(36)),
        "retention",
        "1.5 days",
    ),
    (
        "retention-zero",
        lambda stack, vpc: LogBuckets(stack, "Logs", retention=Duration.days(0)),
        "retention",
        "0 days",
    ),
    (
        "waf-rate-limit",
        lambda stack, vpc: WebAcl(stack, "Waf", rate_limit_per_ip=5),
        "rate_limit_per_ip",
        "5",
    ),
    (
        "waf-rule-group-typo",
        lambda stack, vpc: WebAcl(stack, "Waf", managed_rule_groups=["AWSManagedRulesSQLi"]),
        "managed_rule_groups[0]",
        "'AWSManagedRulesSQLi'",
    ),
    (
        "topic-display-name",
        lambda stack, vpc: EncryptedTopic(stack, "Topic", display_name="x" * 101),
        "display_name",
        "'xxxxxxxx",
    ),
    ("key-nag-pack", _config(nagPacks="CIS"), "context key 'nagPacks' item 0", "'CIS'"),
    ("key-waf", _config(waf="maybe"), "context key 'waf'", "'maybe'"),
    ("key-retention", _config(logRetentionDays="0"), "context key 'logRetentionDays'", "0"),
    # Scaling: schedules, events, time zones, predictive scaling, rollouts.
    (
        "cron-four-fields",
        _tier(schedules=[RecurringSchedule("Peak", "0 8 * *", min_capacity=3)]),
        "schedules[0].cron",
        "'0 8 * *'",
    ),
    (
        "cron-hour-24",
        _tier(schedules=[RecurringSchedule("Peak", "0 24 * * *", min_capacity=3)]),
        "schedules[0].cron",
        "'0 24 * * *'",
    ),
    (
        "cron-arabic-digit",
        _tier(schedules=[RecurringSchedule("Peak", "0 ٨ * * *", min_capacity=3)]),
        "schedules[0].cron",
        "'0 ٨ * * *'",
    ),
    (
        "schedule-name-newline",
        _tier(schedules=[RecurringSchedule("Peak\n", "0 8 * * *", min_capacity=3)]),
        "schedules[0].name",
        "'Peak\\n'",
    ),
    (
        "event-in-the-past",
        _tier(schedules=[OneOffSchedule("Sale", _DAY_1, _DAY_9, 4, 8)]),
        "schedules[0]",
        "ended on 2026-06-09, in the past",
    ),
    (
        "schedule-own-min-above-max",
        lambda stack, vpc: ScalingSchedule(
            stack,
            "S",
            auto_scaling_group=_make(stack, vpc)[0].auto_scaling_group,
            min_capacity=5,
            max_capacity=2,
        ),
        "min_capacity",
        "5",
    ),
    (
        "time-zone-unknown",
        _tier(
            schedules=[RecurringSchedule("Peak", "0 8 * * *", min_capacity=3, time_zone="Berlin")]
        ),
        "schedules[0].time_zone",
        "'Berlin'",
    ),
    (
        "event-ends-before-start",
        _tier(schedules=[OneOffSchedule("Sale", _DAY_9, _DAY_1, 4, 8)]),
        "schedules[0]",
        "(2026-06-01) before it starts (2026-06-09)",
    ),
    (
        "event-min-above-max",
        _tier(schedules=[OneOffSchedule("Sale", _DAY_1, _DAY_9, 9, 8)]),
        "schedules[0]",
        "min 9 > max 8",
    ),
    (
        "predictive-cpu-target-120",
        _tier(predictive_scaling=PredictiveScalingOptions(target_value=120)),
        "predictive_scaling.target_value",
        "120",
    ),
    (
        "refresh-below-min",
        _tier(instance_refresh=InstanceRefresh(min_healthy_percentage=90)),
        "instance_refresh.min_healthy_percentage",
        "90",
    ),
    ("request-target-0", _tier(request_count_target=0), "request_count_target", "0"),
    (
        "key-events-bad-date",
        _config(
            scalingEvents=[{"name": "X", "start": "1 Dec", "end": "2026-12-26", "min": 4, "max": 8}]
        ),
        "context key 'scalingEvents' item 0 field 'start'",
        "'1 Dec'",
    ),
    ("key-predictive", _config(predictiveScaling="on"), "context key 'predictiveScaling'", "'on'"),
    (
        "key-event-empty-name",
        _config(
            scalingEvents=[
                {"name": "", "start": "2026-12-01", "end": "2026-12-26", "min": 4, "max": 8}
            ]
        ),
        "context key 'scalingEvents' item 0 field 'name'",
        "empty",
    ),
    ("key-cpu-nan", _config(cpuTargetPercent="nan"), "context key 'cpuTargetPercent'", "'nan'"),
    ("key-min-arabic", _config(minCapacity="٣"), "context key 'minCapacity'", "'٣'"),
    ("key-cidrs-wide", _config(adminCidrs="0.0.0.0/1"), "context key 'adminCidrs' item 0", "/1'"),
]


@cache
def _host() -> tuple[cdk.App, ec2.Vpc, Iterator[int]]:
    """One VPC, in a stack of its own, for every case (nothing here is synthesized): each case
    builds in a new stack of the same app, so a VPC per case (≈ 20 ms, ~100 cases) buys
    nothing."""
    app = new_app()
    return app, new_vpc(cdk.Stack(app, "Host")), count()


@pytest.mark.parametrize(
    ("build", "argument", "value"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_names_the_argument_and_the_value(
    build: Build, argument: str, value: str
) -> None:
    app, vpc, cases = _host()
    stack = cdk.Stack(app, f"Case{next(cases)}")
    with pytest.raises(ValueError) as raised:
        build(stack, vpc)
    message = str(raised.value)
    assert argument in message
    assert value in message


def test_the_table_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert len({c[0] for c in CASES}) == len(CASES)


def test_web_tier_reports_every_problem_at_once_and_builds_nothing() -> None:
    stack = new_stack()
    vpc = new_vpc(stack)
    with pytest.raises(ValueError) as raised:
        WebTier(
            stack,
            "Tier",
            vpc=vpc,
            instance_type=ec2.InstanceType("t3.mirco"),
            app_port=0,
            admin_cidrs=["0.0.0.0/0"],
            capacity=Capacity(min_capacity=5),
            scaling=Scaling(cpu_target_percent=150),
            instance_options=InstanceOptions(root_volume_size_gib=4),
            target_group_options=TargetGroupOptions(
                health_check_path="health", deregistration_delay=Duration.seconds(4000)
            ),
        )
    message = str(raised.value)
    assert message.startswith("WebTier: 8 invalid props:")
    for argument in (
        "instance_type 't3.mirco'",
        "app_port 0",
        "min_capacity 5 is greater than max_capacity 4",
        "cpu_target_percent 150",
        "admin_cidrs[0] '0.0.0.0/0'",
        "root_volume_size_gib 4",
        "health_check_path 'health'",
        "deregistration_delay 4000s",
    ):
        assert argument in message
    assert stack.node.find_child("Tier").node.children == []  # nothing reached the template
