from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Match, Template

from constructs_lib import WebAutoScalingGroup, WebLaunchTemplate, WebSecurityGroups


def _build(
    stack: cdk.Stack, vpc: ec2.Vpc, **props: Any
) -> tuple[WebAutoScalingGroup, WebLaunchTemplate, Template]:
    groups = WebSecurityGroups(stack, "Sg", vpc=vpc)
    lt = WebLaunchTemplate(
        stack,
        "Lt",
        instance_type=ec2.InstanceType("t3.micro"),
        security_groups=groups.instance_groups,
    )
    asg = WebAutoScalingGroup(stack, "Asg", vpc=vpc, launch_template=lt.launch_template, **props)
    return asg, lt, Template.from_stack(stack)


def test_seed_defaults_two_to_four_from_the_launch_template(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    _, lt, template = _build(stack, vpc)
    private = [stack.resolve(s.subnet_id) for s in vpc.private_subnets]
    template.has_resource_properties(
        "AWS::AutoScaling::AutoScalingGroup",
        {
            "MinSize": "2",
            "MaxSize": "4",
            "DesiredCapacity": Match.absent(),
            "HealthCheckType": "ELB",
            "HealthCheckGracePeriod": 300,
            "DefaultInstanceWarmup": 180,
            "VPCZoneIdentifier": private,
            "LaunchTemplate": {
                "LaunchTemplateId": stack.resolve(lt.launch_template.launch_template_id),
                "Version": Match.any_value(),
            },
            "LaunchConfigurationName": Match.absent(),
        },
    )
    template.resource_count_is("AWS::AutoScaling::LaunchConfiguration", 0)


def test_cpu_target_tracking_at_fifty_percent(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    asg, _, template = _build(stack, vpc)
    assert asg.cpu_scaling is not None
    template.has_resource_properties(
        "AWS::AutoScaling::ScalingPolicy",
        {
            "AutoScalingGroupName": stack.resolve(asg.auto_scaling_group.auto_scaling_group_name),
            "PolicyType": "TargetTrackingScaling",
            "TargetTrackingConfiguration": {
                "PredefinedMetricSpecification": {
                    "PredefinedMetricType": "ASGAverageCPUUtilization"
                },
                "TargetValue": 50,
            },
        },
    )


def test_no_cpu_policy_when_disabled(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    asg, _, template = _build(stack, vpc, cpu_target_percent=None)
    assert asg.cpu_scaling is None
    template.resource_count_is("AWS::AutoScaling::ScalingPolicy", 0)


def test_registration_in_target_groups_and_notifications(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    target_group = elbv2.ApplicationTargetGroup(stack, "Tg", vpc=vpc, port=80)
    topic = sns.Topic(stack, "Topic")
    _, _, template = _build(
        stack,
        vpc,
        target_groups=[target_group],
        notifications_topic=topic,
        desired_capacity=3,
        min_capacity=1,
        max_capacity=6,
    )
    template.has_resource_properties(
        "AWS::AutoScaling::AutoScalingGroup",
        {
            "MinSize": "1",
            "MaxSize": "6",
            "DesiredCapacity": "3",
            "TargetGroupARNs": [stack.resolve(target_group.target_group_arn)],
            "NotificationConfigurations": [
                Match.object_like({"TopicARN": stack.resolve(topic.topic_arn)})
            ],
        },
    )


def test_request_count_policy(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    groups = WebSecurityGroups(stack, "Sg", vpc=vpc)
    alb = elbv2.ApplicationLoadBalancer(
        stack, "Alb", vpc=vpc, internet_facing=True, security_group=groups.load_balancer
    )
    listener = alb.add_listener("Http", port=80, open=False)
    lt = WebLaunchTemplate(
        stack,
        "Lt",
        instance_type=ec2.InstanceType("t3.micro"),
        security_groups=groups.instance_groups,
    )
    asg = WebAutoScalingGroup(stack, "Asg", vpc=vpc, launch_template=lt.launch_template)
    listener.add_targets("Web", port=80, targets=[asg.auto_scaling_group])
    asg.scale_on_request_count(1000)
    Template.from_stack(stack).has_resource_properties(
        "AWS::AutoScaling::ScalingPolicy",
        {
            "TargetTrackingConfiguration": Match.object_like(
                {
                    "PredefinedMetricSpecification": Match.object_like(
                        {"PredefinedMetricType": "ALBRequestCountPerTarget"}
                    ),
                    "TargetValue": 1000,
                }
            )
        },
    )


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"min_capacity": -1}, "min_capacity -1 is out of range"),
        ({"max_capacity": 0}, "max_capacity 0 is out of range.*serves nothing"),
        ({"min_capacity": 5, "max_capacity": 4}, "min_capacity 5 is greater than max_capacity 4"),
        (
            {"desired_capacity": 9},
            r"desired_capacity 9 is outside \[min_capacity 2, max_capacity 4\]",
        ),
        ({"desired_capacity": 1}, r"desired_capacity 1 is outside"),
        ({"cpu_target_percent": 0}, r"cpu_target_percent 0 is not a percentage in \(0, 100\]"),
        ({"cpu_target_percent": 150}, "cpu_target_percent 150 is not a percentage"),
        ({"cpu_target_percent": -5}, "cpu_target_percent -5 is not a percentage"),
        ({"health_check_grace_period": Duration.hours(3)}, "health_check_grace_period 10800s"),
        (
            {
                "vpc_subnets": ec2.SubnetSelection(
                    subnet_group_name="Public", one_per_az=True, availability_zones=["dummy1a"]
                )
            },
            r"vpc_subnets selects \d subnet\(s\); spread the group over at least two",
        ),
    ],
)
def test_bad_props_are_refused(
    stack: cdk.Stack, vpc: ec2.Vpc, props: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _build(stack, vpc, **props)


def test_scale_on_cpu_validates_its_target(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    asg, _, _ = _build(stack, vpc, cpu_target_percent=None)
    with pytest.raises(ValueError, match="target_percent 101 is not a percentage"):
        asg.scale_on_cpu(101)
