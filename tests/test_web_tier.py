"""WebTier: the whole flow composed, here its monitoring (stack tests cover the rest)."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_ec2 as ec2
from aws_cdk.assertions import Template

from constructs_lib import AlarmThresholds, WebTier


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
        alarm_thresholds=AlarmThresholds(
            cpu_high_percent=70, at_max_capacity_for=Duration.hours(1)
        ),
        alarm_email="ops@example.com",
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
    tier = WebTier(stack, "Web", vpc=vpc, min_capacity=3, max_capacity=3)
    assert tier.monitoring is not None
    assert tier.monitoring.at_max_capacity is None
    Template.from_stack(stack).resource_count_is("AWS::CloudWatch::Alarm", 7)


def test_observability_off_creates_no_alarms_or_dashboard(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    tier = WebTier(stack, "Web", vpc=vpc, observability=False)
    assert tier.monitoring is None
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::CloudWatch::Alarm", 0)
    template.resource_count_is("AWS::CloudWatch::Dashboard", 0)


def test_alarm_email_needs_observability(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    with pytest.raises(ValueError, match=r"alarm_email 'ops@example.com' needs observability=True"):
        WebTier(stack, "Web", vpc=vpc, observability=False, alarm_email="ops@example.com")


def test_monitoring_props_are_checked_before_anything_is_built(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    with pytest.raises(ValueError) as raised:
        WebTier(
            stack,
            "Web",
            vpc=vpc,
            alarm_email="ops",
            alarm_thresholds=AlarmThresholds(alb_5xx_rate_percent=0),
        )
    text = str(raised.value)
    assert text.startswith("WebTier: 2 invalid props")
    assert "alarm_email 'ops' is not an e-mail address" in text
    assert "thresholds.alb_5xx_rate_percent 0 is not a percentage" in text
    assert stack.node.find_child("Web").node.children == []

