"""WebTier: the whole flow composed, here its monitoring and scaling options (stack tests
cover the rest)."""

from __future__ import annotations

import datetime as dt

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_route53 as route53
from aws_cdk.assertions import Match, Template

from constructs_lib import (
    AlarmThresholds,
    Capacity,
    Domain,
    Fleet,
    Observability,
    OneOffSchedule,
    PredictiveMetric,
    PredictiveMode,
    PredictiveScalingOptions,
    RecurringSchedule,
    Rollout,
    Scaling,
    SpotCapacity,
    WebAutoScalingGroup,
    WebLaunchTemplate,
    WebLoadBalancer,
    WebTier,
)


def test_attributes_named_after_aws_cdk_lib_concepts_hold_the_aws_cdk_lib_objects(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    # GIVEN a default tier
    tier = WebTier(stack, "Web", vpc=vpc)
    # THEN, as in aws-ecs-patterns, its load_balancer, listener, target_group,
    # auto_scaling_group and launch_template are the aws-cdk-lib objects (no L3 in an L3)
    assert isinstance(tier.load_balancer, elbv2.ApplicationLoadBalancer)
    assert isinstance(tier.listener, elbv2.ApplicationListener)
    assert isinstance(tier.target_group, elbv2.ApplicationTargetGroup)
    assert isinstance(tier.auto_scaling_group, autoscaling.AutoScalingGroup)
    assert isinstance(tier.launch_template, ec2.LaunchTemplate)
    # AND the library constructs that build them go by role names that do not repeat them
    assert isinstance(tier.load_balancing, WebLoadBalancer)
    assert tier.load_balancing.load_balancer is tier.load_balancer
    assert tier.load_balancing.listener is tier.listener
    assert tier.load_balancing.target_group is tier.target_group
    assert isinstance(tier.auto_scaling, WebAutoScalingGroup)
    assert tier.auto_scaling.auto_scaling_group is tier.auto_scaling_group
    assert isinstance(tier.launch, WebLaunchTemplate)
    assert tier.launch.launch_template is tier.launch_template


def test_monitoring_is_on_by_default_and_notifies_the_tiers_topic(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    tier = WebTier(stack, "Web", vpc=vpc)
    template = Template.from_stack(stack)
    monitoring = tier.monitoring
    assert monitoring is not None
    assert monitoring.topic is tier.topic
    assert tier.notifications is not None and tier.topic is tier.notifications.topic
    # t3.micro (the default) is burstable: all eight alarms, the credit one included.
    assert monitoring.cpu_credits is not None and monitoring.at_max_capacity is not None
    template.resource_count_is("AWS::CloudWatch::Alarm", 8)
    template.resource_count_is("AWS::CloudWatch::Dashboard", 1)
    template.resource_count_is("AWS::SNS::Subscription", 0)
    topic = stack.resolve(tier.topic.topic_arn)
    for alarm in template.find_resources("AWS::CloudWatch::Alarm").values():
        assert alarm["Properties"]["AlarmActions"] == [topic]
    # The same topic receives the group's launch/terminate notifications.
    (group,) = template.find_resources("AWS::AutoScaling::AutoScalingGroup").values()
    assert [n["TopicARN"] for n in group["Properties"]["NotificationConfigurations"]] == [topic]


def test_thresholds_and_email_are_passed_through(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    tier = WebTier(
        stack,
        "Web",
        vpc=vpc,
        instance_type=ec2.InstanceType("c7i.large"),
        observability=Observability(
            thresholds=AlarmThresholds(cpu_high_percent=70, at_max_capacity_for=Duration.hours(1)),
            alarm_email="ops@example.com",
        ),
    )
    assert tier.monitoring is not None
    assert tier.monitoring.cpu_credits is None  # c7i is not burstable
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm", {"Threshold": 70, "EvaluationPeriods": 3}
    )
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {"ComparisonOperator": "GreaterThanOrEqualToThreshold", "EvaluationPeriods": 60},
    )
    template.has_resource_properties(
        "AWS::SNS::Subscription",
        {
            "Protocol": "email",
            "Endpoint": "ops@example.com",
            "TopicArn": stack.resolve(tier.topic.topic_arn),
        },
    )


def test_fixed_size_group_has_no_at_max_alarm(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    tier = WebTier(stack, "Web", vpc=vpc, capacity=Capacity(min_capacity=3, max_capacity=3))
    assert tier.monitoring is not None
    assert tier.monitoring.at_max_capacity is None
    Template.from_stack(stack).resource_count_is("AWS::CloudWatch::Alarm", 7)


def test_observability_off_creates_no_alarms_or_dashboard(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    tier = WebTier(stack, "Web", vpc=vpc, observability=None)
    assert tier.monitoring is None
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::CloudWatch::Alarm", 0)
    template.resource_count_is("AWS::CloudWatch::Dashboard", 0)


def test_monitoring_props_are_checked_before_anything_is_built(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    with pytest.raises(ValueError) as raised:
        WebTier(
            stack,
            "Web",
            vpc=vpc,
            observability=Observability(
                alarm_email="ops", thresholds=AlarmThresholds(alb_5xx_rate_percent=0)
            ),
        )
    text = str(raised.value)
    assert text.startswith("WebTier: 2 invalid props")
    assert "alarm_email 'ops' is not an e-mail address" in text
    assert "thresholds.alb_5xx_rate_percent 0 is not a percentage" in text
    assert stack.node.find_child("Web").node.children == []


def test_readme_holiday_peak_example(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    tier = WebTier(
        stack,
        "Shop",
        vpc=vpc,
        capacity=Capacity(min_capacity=2, max_capacity=6),
        scaling=Scaling(
            cpu_target_percent=50,
            request_count_target=1000,
            predictive_scaling=PredictiveScalingOptions(
                metric=PredictiveMetric.request_count(),
                target_value=1000,
                mode=PredictiveMode.FORECAST_AND_SCALE,
            ),
            schedules=[
                OneOffSchedule(
                    name="Christmas",
                    start=dt.date(2026, 12, 1),
                    end=dt.date(2026, 12, 26),
                    min_capacity=4,
                    max_capacity=8,
                    time_zone="Europe/Berlin",
                    yearly=True,
                ),
                RecurringSchedule(
                    name="WeekdayMornings",
                    cron="0 8 * * MON-FRI",
                    desired_capacity=4,
                    time_zone="Europe/Berlin",
                ),
            ],
        ),
    )
    errors = cloudwatch.Alarm(
        stack,
        "Errors",
        metric=tier.load_balancer.metrics.http_code_elb(elbv2.HttpCodeElb.ELB_5XX_COUNT),
        threshold=10,
        evaluation_periods=2,
    )
    tier.auto_scaling.add_rollback_alarms(errors)
    template = Template.from_stack(stack)
    group_name = stack.resolve(tier.auto_scaling_group.auto_scaling_group_name)
    template.resource_count_is("AWS::AutoScaling::ScheduledAction", 3)
    template.has_resource_properties(
        "AWS::AutoScaling::ScheduledAction",
        {
            "AutoScalingGroupName": group_name,
            "Recurrence": "0 0 27 12 *",
            "MinSize": 2,
            "MaxSize": 6,
            "StartTime": Match.absent(),
        },
    )
    template.has_resource_properties(
        "AWS::AutoScaling::ScalingPolicy",
        {"AutoScalingGroupName": group_name, "PolicyType": "PredictiveScaling"},
    )
    (group,) = template.find_resources("AWS::AutoScaling::AutoScalingGroup").values()
    preferences = group["UpdatePolicy"]["AutoScalingInstanceRefresh"]["Preferences"]
    assert tier.monitoring is not None
    # The monitoring's 5xx-rate and unhealthy-host alarms first, then the caller's own.
    expected = [*tier.monitoring.rollback_alarms, errors]
    assert preferences["AlarmSpecification"] == {
        "Alarms": [stack.resolve(alarm.alarm_name) for alarm in expected]
    }
    assert len(expected) == 4


def test_no_rollback_alarms_without_monitoring(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    WebTier(stack, "Web", vpc=vpc, observability=None)
    (group,) = (
        Template.from_stack(stack).find_resources("AWS::AutoScaling::AutoScalingGroup").values()
    )
    refresh = group["UpdatePolicy"]["AutoScalingInstanceRefresh"]
    assert refresh["Preferences"]["MinHealthyPercentage"] == 100
    assert "AlarmSpecification" not in refresh["Preferences"]


def test_rollback_alarms_beyond_what_the_refresh_can_watch(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    metric = cloudwatch.Metric(namespace="Shop", metric_name="Errors")
    alarms = [
        cloudwatch.Alarm(stack, f"A{i}", metric=metric, threshold=1, evaluation_periods=1)
        for i in range(8)
    ]
    with pytest.raises(ValueError, match="rollback_alarms has 8 alarms; with the monitoring's 3"):
        WebTier(stack, "Web", vpc=vpc, rollout=Rollout(rollback_alarms=alarms))


def test_spot_types_must_share_the_instance_types_architecture(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    with pytest.raises(ValueError, match=r"spot.instance_types \['m7g.large'\] do not share"):
        WebTier(
            stack,
            "Shop",
            vpc=vpc,
            fleet=Fleet(spot=SpotCapacity(instance_types=(ec2.InstanceType("m7g.large"),))),
        )


def test_scaling_problems_are_reported_with_the_others_before_anything_is_built(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    with pytest.raises(ValueError) as raised:
        WebTier(
            stack,
            "Web",
            vpc=vpc,
            app_port=0,
            scaling=Scaling(
                request_count_target=0,
                schedules=[OneOffSchedule("Sale", dt.date(2026, 6, 9), dt.date(2026, 6, 1), 4, 8)],
            ),
            fleet=Fleet(capacity_rebalance=True),
        )
    text = str(raised.value)
    assert "WebTier: 4 invalid props" in text
    for part in ("app_port 0", "request_count_target 0", "'Sale' ends", "capacity_rebalance"):
        assert part in text
    assert stack.node.try_find_child("Web") is not None
    assert not stack.node.find_child("Web").node.children  # nothing built


def test_a_record_outside_the_zone_is_reported_with_the_others_before_anything_is_built(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    # GIVEN three independent problems, one of them WebDns's zone check (once reported only
    # after the load balancer and the group were built, so alone)
    zone = route53.PublicHostedZone.from_public_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id="Z0123456789ABCDEFGHIJ", zone_name="example.com"
    )
    with pytest.raises(ValueError) as raised:
        WebTier(
            stack,
            "Web",
            vpc=vpc,
            app_port=0,
            domain=Domain(hosted_zone=zone, record_names=["shop.other.org", "bad..example.com"]),
        )
    # THEN one call reports all three, and nothing was built
    text = str(raised.value)
    assert "WebTier: 3 invalid props" in text
    for part in ("app_port 0", "'shop.other.org' is not inside the hosted zone", "empty label"):
        assert part in text
    assert not stack.node.find_child("Web").node.children
