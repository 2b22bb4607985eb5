from __future__ import annotations

import datetime as dt
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Match, Template

from constructs_lib import WebAutoScalingGroup, WebLaunchTemplate, WebSecurityGroups
from constructs_lib.fleet import InstanceRefresh, SpotCapacity, WarmPoolSettings
from constructs_lib.predictive_scaling import (
    PredictiveMetric,
    PredictiveMode,
    PredictiveScalingOptions,
)
from constructs_lib.scaling_policies import StepScaling
from constructs_lib.scaling_schedule import OneOffSchedule, RecurringSchedule
from tests.support.grouped import grouped_kwargs


def _make(
    stack: cdk.Stack, vpc: ec2.Vpc, **props: Any
) -> tuple[WebAutoScalingGroup, WebLaunchTemplate]:
    groups = WebSecurityGroups(stack, "Sg", vpc=vpc)
    lt = WebLaunchTemplate(
        stack,
        "Lt",
        instance_type=ec2.InstanceType("t3.micro"),
        security_groups=groups.instance_groups,
    )
    asg = WebAutoScalingGroup(
        stack,
        "Asg",
        vpc=vpc,
        launch_template=lt.launch_template,
        **grouped_kwargs("WebAutoScalingGroup", **props),
    )
    return asg, lt


def _build(
    stack: cdk.Stack, vpc: ec2.Vpc, **props: Any
) -> tuple[WebAutoScalingGroup, WebLaunchTemplate, Template]:
    asg, lt = _make(stack, vpc, **props)
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
            r"vpc_subnets selects subnets in 0 Availability Zone\(s\) .*; spread the group",
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


# --- Scaling in depth: every policy, validated together, and safe rollouts -----------------

CPU_METRIC = cloudwatch.Metric(
    namespace="AWS/EC2", metric_name="CPUUtilization", statistic="Average"
)
# An alarm to pass around (its stack is never synthesized).
_ALARM = cloudwatch.Alarm.from_alarm_arn(
    cdk.Stack(cdk.App(), "Alarms"), "Alarm", "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:x"
)
QUEUE_METRIC = cloudwatch.Metric(namespace="Shop", metric_name="QueueDepth", statistic="Average")
QUEUE_STEPS = (
    autoscaling.ScalingInterval(upper=10, change=-1),
    autoscaling.ScalingInterval(lower=50, change=1),
    autoscaling.ScalingInterval(lower=100, change=3),
)


def _group_resource(template: Template) -> dict[str, Any]:
    groups = template.find_resources("AWS::AutoScaling::AutoScalingGroup")
    assert len(groups) == 1
    (resource,) = groups.values()
    return dict(resource)


def _with_alb(stack: cdk.Stack, vpc: ec2.Vpc) -> elbv2.ApplicationTargetGroup:
    alb = elbv2.ApplicationLoadBalancer(stack, "Alb", vpc=vpc, internet_facing=True)
    target_group = elbv2.ApplicationTargetGroup(
        stack, "Tg", vpc=vpc, port=80, target_type=elbv2.TargetType.INSTANCE
    )
    alb.add_listener("Http", port=80, open=False, default_target_groups=[target_group])
    return target_group


def test_deploys_never_reset_a_scaled_out_group_and_refresh_never_drops_below_min(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    asg, _, template = _build(stack, vpc)
    group = _group_resource(template)
    assert "DesiredCapacity" not in group["Properties"]
    assert group["UpdatePolicy"] == {
        "AutoScalingInstanceRefresh": {
            "Strategy": "Rolling",
            "Preferences": {
                "MinHealthyPercentage": 100,
                "MaxHealthyPercentage": 110,
                "SkipMatching": True,
            },
        },
        # Scheduled actions' sizes survive a deploy that leaves MinSize/MaxSize unchanged.
        "AutoScalingScheduledAction": {"IgnoreUnmodifiedGroupSizeProperties": True},
    }
    assert asg.instance_refresh is not None and asg.rollback_alarms == []


def test_instance_refresh_checkpoints_warmup_and_rollback_alarms(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    first = cloudwatch.Alarm(
        stack, "Errors", metric=QUEUE_METRIC, threshold=1, evaluation_periods=1
    )
    second = cloudwatch.Alarm(
        stack, "Unhealthy", metric=QUEUE_METRIC, threshold=2, evaluation_periods=1
    )
    asg, _ = _make(
        stack,
        vpc,
        instance_refresh=InstanceRefresh(
            max_healthy_percentage=150,
            instance_warmup=Duration.minutes(4),
            checkpoint_percentages=(50, 100),
            checkpoint_delay=Duration.minutes(15),
            bake_time=Duration.minutes(10),
        ),
        rollback_alarms=[first],
    )
    asg.add_rollback_alarms(second)  # e.g. from the observability construct, built later
    group = _group_resource(Template.from_stack(stack))
    assert group["UpdatePolicy"]["AutoScalingInstanceRefresh"] == {
        "Strategy": "Rolling",
        "Preferences": {
            "MinHealthyPercentage": 100,
            "MaxHealthyPercentage": 150,
            "InstanceWarmup": 240,
            "CheckpointPercentages": [50, 100],
            "CheckpointDelay": 900,
            "BakeTime": 600,
            "SkipMatching": True,
            "AlarmSpecification": {
                "Alarms": [stack.resolve(first.alarm_name), stack.resolve(second.alarm_name)]
            },
        },
    }
    assert asg.rollback_alarms == [first, second]


def test_instance_refresh_can_be_turned_off(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    asg, _ = _make(stack, vpc, instance_refresh=None)
    alarm = cloudwatch.Alarm(stack, "A", metric=QUEUE_METRIC, threshold=1, evaluation_periods=1)
    with pytest.raises(ValueError, match="rollback alarms need instance_refresh"):
        asg.add_rollback_alarms(alarm)
    assert (
        "AutoScalingInstanceRefresh"
        not in _group_resource(Template.from_stack(stack))["UpdatePolicy"]
    )


def test_every_dynamic_policy_with_warmup_and_scale_in_disabled(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    target_group = _with_alb(stack, vpc)
    asg, _, template = _build(
        stack,
        vpc,
        target_groups=[target_group],
        request_count_target=1000,
        network_in_target=4_000_000,
        network_out_target=6_000_000,
        target_tracking_warmup=Duration.minutes(2),
        disable_scale_in=True,
        step_scaling=[StepScaling(name="QueueDepth", metric=QUEUE_METRIC, steps=QUEUE_STEPS)],
    )
    assert set(asg.target_tracking) == {"cpu", "request_count", "network_in", "network_out"}
    assert asg.request_count_scaling is asg.target_tracking["request_count"]
    group_name = stack.resolve(asg.auto_scaling_group.auto_scaling_group_name)
    for metric_type, target in (
        ("ASGAverageCPUUtilization", 50),
        ("ALBRequestCountPerTarget", 1000),
        ("ASGAverageNetworkIn", 4_000_000),
        ("ASGAverageNetworkOut", 6_000_000),
    ):
        template.has_resource_properties(
            "AWS::AutoScaling::ScalingPolicy",
            {
                "AutoScalingGroupName": group_name,
                "PolicyType": "TargetTrackingScaling",
                "EstimatedInstanceWarmup": 120,
                "TargetTrackingConfiguration": {
                    "DisableScaleIn": True,
                    "PredefinedMetricSpecification": Match.object_like(
                        {"PredefinedMetricType": metric_type}
                    ),
                    "TargetValue": target,
                },
            },
        )
    # Step scaling: one policy per direction, each triggered by an alarm created for it.
    upper = asg.step_policies["QueueDepth"].upper_action
    assert upper is not None
    template.has_resource_properties(
        "AWS::AutoScaling::ScalingPolicy",
        {
            "PolicyType": "StepScaling",
            "AdjustmentType": "ChangeInCapacity",
            "StepAdjustments": [
                {
                    "MetricIntervalLowerBound": 0,
                    "MetricIntervalUpperBound": 50,
                    "ScalingAdjustment": 1,
                },
                {"MetricIntervalLowerBound": 50, "ScalingAdjustment": 3},
            ],
        },
    )
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Namespace": "Shop",
            "MetricName": "QueueDepth",
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "Threshold": 50,
            "AlarmActions": [stack.resolve(upper.scaling_policy_arn)],
        },
    )
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Namespace": "Shop",
            "MetricName": "QueueDepth",
            "ComparisonOperator": "LessThanOrEqualToThreshold",
            "Threshold": 10,
        },
    )


def test_predictive_request_count_uses_the_groups_target_group_with_target_tracking(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    target_group = _with_alb(stack, vpc)
    asg, _, template = _build(
        stack,
        vpc,
        target_groups=[target_group],
        request_count_target=800,
        predictive_scaling=PredictiveScalingOptions(
            metric=PredictiveMetric.request_count(),
            target_value=800,
            mode=PredictiveMode.FORECAST_AND_SCALE,
        ),
    )
    assert asg.predictive is not None
    label = stack.resolve(
        cdk.Fn.join(
            "/",
            [target_group.first_load_balancer_full_name, target_group.target_group_full_name],
        )
    )
    template.has_resource_properties(
        "AWS::AutoScaling::ScalingPolicy",
        {
            "AutoScalingGroupName": stack.resolve(asg.auto_scaling_group.auto_scaling_group_name),
            "PolicyType": "PredictiveScaling",
            "PredictiveScalingConfiguration": {
                "Mode": "ForecastAndScale",
                "MaxCapacityBreachBehavior": "HonorMaxCapacity",
                "MetricSpecifications": [
                    {
                        "TargetValue": 800,
                        "PredefinedMetricPairSpecification": {
                            "PredefinedMetricType": "ALBRequestCount",
                            "ResourceLabel": label,
                        },
                    }
                ],
            },
        },
    )
    # Combined with target tracking on the same signal, as the seed suggests.
    template.has_resource_properties(
        "AWS::AutoScaling::ScalingPolicy",
        {
            "PolicyType": "TargetTrackingScaling",
            "TargetTrackingConfiguration": Match.object_like({"TargetValue": 800}),
        },
    )


def test_schedules_and_events_are_created_on_the_group(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    asg, _, template = _build(
        stack,
        vpc,
        schedules=[
            RecurringSchedule(
                name="WeekdayPeak",
                cron="0 8 * * MON-FRI",
                desired_capacity=4,  # within normal (2-4) and Christmas (4-8) capacity alike
                time_zone="Europe/Berlin",
            ),
            OneOffSchedule(
                name="Christmas",
                start=dt.date(2026, 12, 1),
                end=dt.date(2026, 12, 26),
                min_capacity=4,
                max_capacity=8,
                yearly=True,
            ),
        ],
    )
    assert asg.schedule is not None
    group_name = stack.resolve(asg.auto_scaling_group.auto_scaling_group_name)
    template.resource_count_is("AWS::AutoScaling::ScheduledAction", 3)
    template.has_resource_properties(
        "AWS::AutoScaling::ScheduledAction",
        {
            "AutoScalingGroupName": group_name,
            "Recurrence": "0 8 * * MON-FRI",
            "TimeZone": "Europe/Berlin",
            "DesiredCapacity": 4,
            "MinSize": Match.absent(),
        },
    )
    template.has_resource_properties(
        "AWS::AutoScaling::ScheduledAction",
        {
            "AutoScalingGroupName": group_name,
            "Recurrence": "0 0 27 12 *",
            "MinSize": 2,
            "MaxSize": 4,
        },
    )


def test_spot_above_an_on_demand_base_with_rebalance_and_lifetime(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    _, lt, template = _build(
        stack,
        vpc,
        spot=SpotCapacity(
            instance_types=(ec2.InstanceType("t3.micro"), ec2.InstanceType("t3a.micro"))
        ),
        capacity_rebalance=True,
        max_instance_lifetime=Duration.days(7),
    )
    properties = _group_resource(template)["Properties"]
    assert "LaunchTemplate" not in properties
    assert properties["CapacityRebalance"] is True
    assert properties["MaxInstanceLifetime"] == 604800
    policy = properties["MixedInstancesPolicy"]
    assert policy["InstancesDistribution"] == {
        "OnDemandBaseCapacity": 2,  # the minimum never depends on Spot
        "OnDemandPercentageAboveBaseCapacity": 0,
        "SpotAllocationStrategy": "price-capacity-optimized",
    }
    assert policy["LaunchTemplate"]["LaunchTemplateSpecification"]["LaunchTemplateId"] == (
        stack.resolve(lt.launch_template.launch_template_id)
    )
    assert policy["LaunchTemplate"]["Overrides"] == [
        {"InstanceType": "t3.micro"},
        {"InstanceType": "t3a.micro"},
    ]


def test_warm_pool(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    asg, _, template = _build(
        stack, vpc, warm_pool=WarmPoolSettings(min_size=1, max_prepared_capacity=6)
    )
    assert asg.warm_pool is not None
    template.has_resource_properties(
        "AWS::AutoScaling::WarmPool",
        {
            "AutoScalingGroupName": stack.resolve(asg.auto_scaling_group.auto_scaling_group_name),
            "MinSize": 1,
            "MaxGroupPreparedCapacity": 6,
            "PoolState": "Stopped",
        },
    )


def _alarms(stack: cdk.Stack, count: int) -> list[cloudwatch.IAlarm]:
    return [
        cloudwatch.Alarm(stack, f"Alarm{i}", metric=QUEUE_METRIC, threshold=i, evaluation_periods=1)
        for i in range(count)
    ]


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (
            {"request_count_target": 1000},
            "request_count_target 1000 needs exactly one target group",
        ),
        ({"request_count_target": 0}, "request_count_target 0 is out of range"),
        ({"network_in_target": 0}, r"network_in_target 0 is out of range.*bytes per second"),
        ({"target_tracking_warmup": Duration.hours(2)}, "target_tracking_warmup 7200s"),
        (
            {"step_scaling": [StepScaling(name="Cpu", metric=CPU_METRIC, steps=QUEUE_STEPS)]},
            r"step_scaling\[0\] 'Cpu' scales on CPUUtilization, which target tracking \(cpu\)",
        ),
        (
            {
                "step_scaling": [
                    StepScaling(name="Queue", metric=QUEUE_METRIC, steps=QUEUE_STEPS),
                    StepScaling(name="Queue2", metric=QUEUE_METRIC, steps=QUEUE_STEPS),
                ]
            },
            r"step_scaling\[1\] 'Queue2' scales on QueueDepth like 'Queue'",
        ),
        (
            {
                "step_scaling": [
                    StepScaling(name="Queue", metric=QUEUE_METRIC, steps=QUEUE_STEPS),
                    StepScaling(name="Queue", metric=CPU_METRIC, steps=QUEUE_STEPS),
                ],
                "cpu_target_percent": None,
            },
            r"step_scaling\[1\].name 'Queue' is used twice",
        ),
        (
            {"schedules": [OneOffSchedule("Sale", dt.date(2026, 6, 1), dt.date(2026, 6, 9), 4, 3)]},
            r"schedules\[0\] leaves the group with min 4 > max 3",
        ),
        (
            {"predictive_scaling": PredictiveScalingOptions(target_value=120)},
            r"predictive_scaling.target_value 120 is not a percentage in \(0, 100\]",
        ),
        (
            {
                "cpu_target_percent": None,
                "predictive_scaling": PredictiveScalingOptions(
                    mode=PredictiveMode.FORECAST_AND_SCALE
                ),
            },
            "FORECAST_AND_SCALE mode only adds capacity.*pair it with target tracking",
        ),
        (
            {
                "predictive_scaling": PredictiveScalingOptions(
                    metric=PredictiveMetric.request_count()
                )
            },
            r"request_count\(\) without a target group needs exactly one ApplicationTargetGroup",
        ),
        (
            {"instance_refresh": InstanceRefresh(min_healthy_percentage=90)},
            "min_healthy_percentage 90 lets a refresh take a group at min_capacity 2 down to 1",
        ),
        (
            {"instance_refresh": InstanceRefresh(max_healthy_percentage=100)},
            "min and max healthy 100 % leaves no room",
        ),
        (
            {"instance_refresh": InstanceRefresh(max_healthy_percentage=250)},
            "instance_refresh.max_healthy_percentage 250 is out of range",
        ),
        (
            {
                "min_capacity": 0,
                "instance_refresh": InstanceRefresh(
                    min_healthy_percentage=50, max_healthy_percentage=200
                ),
            },
            "max_healthy_percentage 200 is more than 100 above min_healthy_percentage 50",
        ),
        (
            {"instance_refresh": InstanceRefresh(checkpoint_percentages=(50, 20))},
            r"checkpoint_percentages \[50, 20\] must be unique, ascending and end at 100",
        ),
        (
            {"instance_refresh": InstanceRefresh(checkpoint_percentages=(0, 100))},
            r"checkpoint_percentages \[0, 100\] must be whole numbers in 1-100",
        ),
        (
            {"instance_refresh": InstanceRefresh(checkpoint_delay=Duration.minutes(5))},
            "checkpoint_delay needs checkpoint_percentages",
        ),
        (
            {"instance_refresh": InstanceRefresh(bake_time=Duration.hours(49))},
            "instance_refresh.bake_time 176400s is out of range",
        ),
        (
            {"instance_refresh": InstanceRefresh(instance_warmup=Duration.hours(2))},
            "instance_refresh.instance_warmup 7200s is out of range",
        ),
        ({"capacity_rebalance": True}, "capacity_rebalance only acts on Spot instances"),
        (
            {"max_instance_lifetime": Duration.hours(12)},
            "max_instance_lifetime 43200s is out of range",
        ),
        (
            {"warm_pool": WarmPoolSettings(), "spot": SpotCapacity()},
            "warm_pool and spot exclude each other",
        ),
        (
            {"warm_pool": WarmPoolSettings(max_prepared_capacity=3)},
            "warm_pool.max_prepared_capacity 3 is below max_capacity 4",
        ),
        ({"warm_pool": WarmPoolSettings(min_size=-1)}, "warm_pool.min_size -1 is out of range"),
        (
            {
                "spot": SpotCapacity(
                    instance_types=(ec2.InstanceType("t3.micro"), ec2.InstanceType("t4g.micro"))
                )
            },
            "spot.instance_types .* mix CPU architectures",
        ),
        (
            {
                "spot": SpotCapacity(
                    instance_types=(ec2.InstanceType("t3.micro"), ec2.InstanceType("t3.micro"))
                )
            },
            "lists a type twice",
        ),
        (
            {"spot": SpotCapacity(on_demand_percentage_above_base=101)},
            "spot.on_demand_percentage_above_base 101 is out of range",
        ),
        (
            {"spot": SpotCapacity(instance_types=(ec2.InstanceType("t3.mirco"),))},
            r"spot.instance_types\[0\] 't3.mirco' is not an EC2 instance type",
        ),
        (
            {"instance_refresh": None, "rollback_alarms": [_ALARM]},
            "rollback_alarms need instance_refresh",
        ),
    ],
)
def test_bad_scaling_props_are_refused(
    stack: cdk.Stack, vpc: ec2.Vpc, props: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _build(stack, vpc, **props)


def test_more_than_ten_rollback_alarms_are_refused(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    with pytest.raises(ValueError, match=r"rollback_alarms has 11 alarms; .* at most 10"):
        _build(stack, vpc, rollback_alarms=_alarms(stack, 11))


def test_adding_alarms_beyond_ten_is_refused(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    alarms = _alarms(stack, 11)
    asg, _ = _make(stack, vpc, rollback_alarms=alarms[:9])
    with pytest.raises(ValueError, match="alarms would make 11 rollback alarms"):
        asg.add_rollback_alarms(*alarms[9:])
    asg.add_rollback_alarms(alarms[9])
    assert len(asg.rollback_alarms) == 10


def test_policies_added_later_are_checked_against_the_existing_ones(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    asg, _ = _make(stack, vpc, step_scaling=[StepScaling("Queue", QUEUE_METRIC, QUEUE_STEPS)])
    with pytest.raises(ValueError, match="already tracks CPUUtilization with policy 'CpuScaling'"):
        asg.scale_on_cpu(60, policy_id="CpuAgain")
    with pytest.raises(ValueError, match="'Cpu' scales on CPUUtilization, which target tracking"):
        asg.scale_on_metric(StepScaling("Cpu", CPU_METRIC, QUEUE_STEPS))
    with pytest.raises(ValueError, match=r"step.name 'Queue' is already a step policy"):
        asg.scale_on_metric(StepScaling("Queue", QUEUE_METRIC, QUEUE_STEPS))
    with pytest.raises(ValueError, match="bytes_per_second 0 is out of range"):
        asg.scale_on_network_out(0)
    asg.scale_on_network_in(1_000_000)
    with pytest.raises(ValueError, match="already tracks NetworkIn"):
        asg.scale_on_network_in(2_000_000, policy_id="NetworkInAgain")
