"""Shapes of the tier: two tiers sharing one load balancer, an internal load balancer, and
target-group tuning.

GIVEN one stack with a tier "Shop" (its own load balancer), a tier "Blog" joining Shop's
      listener by host name with a tuned target group, and an internal tier
WHEN it is synthesized
THEN Blog adds a listener rule and a target group (no load balancer, security group or web
     ACL of its own) and its instances accept Shop's load balancer only; the internal load
     balancer is reachable from the VPC alone; bad shapes are refused before anything is built.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk.assertions import Match, Template

from constructs_lib import (
    Fleet,
    LoadBalancerOptions,
    SharedListener,
    TargetGroupOptions,
    WebTier,
)
from tests.conftest import new_stack, new_vpc

LOR = elbv2.TargetGroupLoadBalancingAlgorithmType.LEAST_OUTSTANDING_REQUESTS


@dataclass(frozen=True)
class Built:
    stack: cdk.Stack
    shop: WebTier
    blog: WebTier
    internal: WebTier
    template: Template


def _shared(shop: WebTier, **overrides: object) -> SharedListener:
    props: dict[str, object] = {
        "load_balancer": shop.load_balancer,
        "listener": shop.listener,
        "priority": 10,
        "host_headers": ["blog.example.com"],
    }
    props.update(overrides)
    return SharedListener(**props)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def built() -> Built:
    stack = new_stack()
    vpc = new_vpc(stack)
    shop = WebTier(stack, "Shop", vpc=vpc, observability=None)
    blog = WebTier(
        stack,
        "Blog",
        vpc=vpc,
        listener=_shared(shop),
        fleet=Fleet(
            lifecycle_hooks={
                "Drain": autoscaling.BasicLifecycleHookProps(
                    lifecycle_transition=autoscaling.LifecycleTransition.INSTANCE_TERMINATING,
                    default_result=autoscaling.DefaultResult.CONTINUE,
                    heartbeat_timeout=Duration.minutes(5),
                )
            }
        ),
        target_group_options=TargetGroupOptions(
            stickiness=Duration.hours(1),
            slow_start=Duration.seconds(60),
            load_balancing_algorithm=LOR,
            health_check_interval=Duration.seconds(10),
        ),
        observability=None,
    )
    internal = WebTier(
        stack,
        "Internal",
        vpc=vpc,
        waf=False,
        load_balancer_options=LoadBalancerOptions(internet_facing=False),
        observability=None,
    )
    return Built(stack, shop, blog, internal, Template.from_stack(stack))


def _ref(built: Built, construct: object) -> str:
    return built.stack.get_logical_id(construct.node.default_child)  # type: ignore[attr-defined]


def test_the_joining_tier_adds_a_rule_on_the_shared_listener(built: Built) -> None:
    built.template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        {
            "ListenerArn": {"Ref": _ref(built, built.shop.listener)},
            "Priority": 10,
            "Conditions": [
                {"Field": "host-header", "HostHeaderConfig": {"Values": ["blog.example.com"]}}
            ],
            "Actions": [
                Match.object_like(
                    {
                        "Type": "forward",
                        "TargetGroupArn": {"Ref": _ref(built, built.blog.target_group)},
                    }
                )
            ],
        },
    )
    assert built.blog.load_balancer is built.shop.load_balancer
    assert built.blog.listener is built.shop.listener
    assert built.blog.load_balancing.rule is not None


def test_the_joining_tier_has_no_load_balancer_group_log_bucket_or_web_acl(built: Built) -> None:
    built.template.resource_count_is("AWS::ElasticLoadBalancingV2::LoadBalancer", 2)
    built.template.resource_count_is("AWS::WAFv2::WebACLAssociation", 1)  # Shop's
    assert built.blog.security_groups.load_balancer is None
    assert built.blog.waf is None and built.blog.log_buckets is None


def test_the_joining_tiers_instances_accept_the_shared_load_balancer(built: Built) -> None:
    shop_group = built.shop.security_groups.load_balancer
    assert shop_group is not None
    built.template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        {
            "GroupId": {
                "Fn::GetAtt": [_ref(built, built.blog.security_groups.instances), "GroupId"]
            },
            "SourceSecurityGroupId": {"Fn::GetAtt": [_ref(built, shop_group), "GroupId"]},
            "FromPort": 80,
        },
    )


def test_target_group_options_reach_the_target_group(built: Built) -> None:
    group = built.template.to_json()["Resources"][_ref(built, built.blog.target_group)]
    attributes = {a["Key"]: a["Value"] for a in group["Properties"]["TargetGroupAttributes"]}
    assert attributes == {
        "deregistration_delay.timeout_seconds": "30",
        "stickiness.enabled": "true",
        "stickiness.type": "lb_cookie",
        "stickiness.lb_cookie.duration_seconds": "3600",
        "slow_start.duration_seconds": "60",
        "load_balancing.algorithm.type": "least_outstanding_requests",
    }
    assert group["Properties"]["HealthCheckIntervalSeconds"] == 10


def test_lifecycle_hooks_reach_the_group(built: Built) -> None:
    built.template.has_resource_properties(
        "AWS::AutoScaling::LifecycleHook",
        {
            "AutoScalingGroupName": {"Ref": _ref(built, built.blog.auto_scaling_group)},
            "LifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING",
            "DefaultResult": "CONTINUE",
            "HeartbeatTimeout": 300,
        },
    )
    assert set(built.blog.auto_scaling.lifecycle_hooks) == {"Drain"}


def test_internal_load_balancer_is_reachable_from_the_vpc_only(built: Built) -> None:
    built.template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::LoadBalancer", {"Scheme": "internal"}
    )
    group = built.internal.security_groups.load_balancer
    assert group is not None
    rules = built.template.to_json()["Resources"][_ref(built, group)]["Properties"][
        "SecurityGroupIngress"
    ]
    assert {rule["FromPort"] for rule in rules} == {80, 443}
    assert all(rule["CidrIp"] == {"Fn::GetAtt": ["Vpc8378EB38", "CidrBlock"]} for rule in rules)


@pytest.mark.parametrize(
    ("shared", "target_group", "message"),
    [
        ({"host_headers": []}, None, "neither host_headers nor path_patterns"),
        ({"priority": 0}, None, r"listener.priority 0"),
        ({"path_patterns": ["blog/*"]}, None, r"path_patterns\[0\] 'blog/\*'"),
        ({"host_headers": ["a.example.com"] * 3, "path_patterns": ["/a"] * 3}, None, "at most 5"),
        ({}, TargetGroupOptions(slow_start=Duration.seconds(10)), "slow_start 10s is out of range"),
        (
            {},
            TargetGroupOptions(
                slow_start=Duration.seconds(60),
                load_balancing_algorithm=elbv2.TargetGroupLoadBalancingAlgorithmType.WEIGHTED_RANDOM,
            ),
            "WEIGHTED_RANDOM",
        ),
        ({}, TargetGroupOptions(stickiness=Duration.days(8)), "stickiness 691200s is out of range"),
    ],
)
def test_bad_shapes_are_refused(
    built: Built, shared: dict[str, object], target_group: TargetGroupOptions | None, message: str
) -> None:
    stack = cdk.Stack(built.stack.node.scope, f"Bad{abs(hash(message))}")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=message):
        WebTier(
            stack,
            "Web",
            vpc=new_vpc(stack),
            listener=_shared(built.shop, **shared),
            target_group_options=target_group or TargetGroupOptions(),
        )


@pytest.mark.parametrize(
    "options",
    [
        LoadBalancerOptions(internet_facing=False),
        LoadBalancerOptions(deletion_protection=False),
        LoadBalancerOptions(access_logs_prefix="blog"),
        LoadBalancerOptions(idle_timeout=Duration.seconds(120)),
    ],
)
def test_load_balancer_settings_with_a_shared_listener_are_refused(
    built: Built, options: LoadBalancerOptions
) -> None:
    """The shared load balancer is its owner's: a setting written for it would be ignored."""
    (name,) = [
        f.name
        for f in dataclasses.fields(LoadBalancerOptions)
        if getattr(options, f.name) != getattr(LoadBalancerOptions(), f.name)
    ]
    stack = cdk.Stack(built.stack.node.scope, "Owner" + name.replace("_", ""))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=rf"load_balancer_options\.{name} .* has no effect"):
        WebTier(
            stack,
            "Web",
            vpc=new_vpc(stack),
            listener=_shared(built.shop),
            load_balancer_options=options,
        )


def test_dual_stack_still_applies_with_a_shared_listener(built: Built) -> None:
    """dual_stack says whether the shared load balancer serves IPv6: accepted, not refused."""
    stack = cdk.Stack(built.stack.node.scope, "SharedDualStack")  # type: ignore[arg-type]
    tier = WebTier(
        stack,
        "Web",
        vpc=new_vpc(stack),
        listener=_shared(built.shop),
        load_balancer_options=LoadBalancerOptions(dual_stack=True),
    )
    assert tier.load_balancer is built.shop.load_balancer
