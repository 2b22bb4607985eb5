"""Predictive scaling: the one L1 CfnScalingPolicy, its metric pairs, modes and limits."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk.assertions import Match, Template

from constructs_lib.predictive_scaling import (
    MaxCapacityBreach,
    PredictiveMetric,
    PredictiveMode,
    PredictiveScaling,
)
from tests.conftest import new_stack, new_vpc


def _build(**props: Any) -> tuple[cdk.Stack, PredictiveScaling, Template]:
    stack = new_stack()
    group = autoscaling.AutoScalingGroup.from_auto_scaling_group_name(stack, "Group", "web")
    policy = PredictiveScaling(stack, "Predictive", auto_scaling_group=group, **props)
    return stack, policy, Template.from_stack(stack)


def test_default_is_cpu_forecast_only_at_fifty_percent() -> None:
    _, policy, template = _build()
    assert policy.options.mode is PredictiveMode.FORECAST_ONLY
    template.resource_count_is("AWS::AutoScaling::ScalingPolicy", 1)
    template.has_resource_properties(
        "AWS::AutoScaling::ScalingPolicy",
        {
            "AutoScalingGroupName": "web",
            "PolicyType": "PredictiveScaling",
            "PredictiveScalingConfiguration": {
                "Mode": "ForecastOnly",
                "MaxCapacityBreachBehavior": "HonorMaxCapacity",
                "MetricSpecifications": [
                    {
                        "TargetValue": 50,
                        "PredefinedMetricPairSpecification": {
                            "PredefinedMetricType": "ASGCPUUtilization"
                        },
                    }
                ],
            },
        },
    )


def test_forecast_and_scale_with_buffer_and_raised_maximum() -> None:
    _, _, template = _build(
        metric=PredictiveMetric.network_in(),
        target_value=5_000_000,
        mode=PredictiveMode.FORECAST_AND_SCALE,
        scheduling_buffer=Duration.minutes(10),
        max_capacity_breach=MaxCapacityBreach.INCREASE_MAX_CAPACITY,
        max_capacity_buffer_percent=20,
    )
    template.has_resource_properties(
        "AWS::AutoScaling::ScalingPolicy",
        {
            "PolicyType": "PredictiveScaling",
            "PredictiveScalingConfiguration": {
                "Mode": "ForecastAndScale",
                "SchedulingBufferTime": 600,
                "MaxCapacityBreachBehavior": "IncreaseMaxCapacity",
                "MaxCapacityBuffer": 20,
                "MetricSpecifications": [
                    {
                        "TargetValue": 5_000_000,
                        "PredefinedMetricPairSpecification": {
                            "PredefinedMetricType": "ASGNetworkIn"
                        },
                    }
                ],
            },
        },
    )


def test_request_count_pair_is_labelled_with_the_load_balancer_and_target_group() -> None:
    stack = new_stack()
    vpc = new_vpc(stack)
    alb = elbv2.ApplicationLoadBalancer(stack, "Alb", vpc=vpc, internet_facing=True)
    target_group = elbv2.ApplicationTargetGroup(
        stack, "Tg", vpc=vpc, port=80, target_type=elbv2.TargetType.INSTANCE
    )
    alb.add_listener("Http", port=80, open=False, default_target_groups=[target_group])
    group = autoscaling.AutoScalingGroup.from_auto_scaling_group_name(stack, "Group", "web")
    PredictiveScaling(
        stack,
        "Predictive",
        auto_scaling_group=group,
        metric=PredictiveMetric.request_count(target_group),
        target_value=1000,
    )
    label = stack.resolve(
        cdk.Fn.join(
            "/",
            [target_group.first_load_balancer_full_name, target_group.target_group_full_name],
        )
    )
    Template.from_stack(stack).has_resource_properties(
        "AWS::AutoScaling::ScalingPolicy",
        {
            "PredictiveScalingConfiguration": Match.object_like(
                {
                    "MetricSpecifications": [
                        {
                            "TargetValue": 1000,
                            "PredefinedMetricPairSpecification": {
                                "PredefinedMetricType": "ALBRequestCount",
                                "ResourceLabel": label,
                            },
                        }
                    ]
                }
            )
        },
    )
    assert "TargetGroupFullName" in str(label)


def test_custom_metric_pair_becomes_metric_data_queries() -> None:
    load = cloudwatch.Metric(
        namespace="Shop",
        metric_name="Orders",
        statistic="Sum",
        dimensions_map={"Site": "toys"},
    )
    per_instance = cloudwatch.Metric(
        namespace="Shop", metric_name="OrdersPerInstance", statistic="Average"
    )
    _, _, template = _build(
        metric=PredictiveMetric.custom(load_metric=load, scaling_metric=per_instance),
        target_value=30,
    )
    template.has_resource_properties(
        "AWS::AutoScaling::ScalingPolicy",
        {
            "PredictiveScalingConfiguration": Match.object_like(
                {
                    "MetricSpecifications": [
                        {
                            "TargetValue": 30,
                            "CustomizedLoadMetricSpecification": {
                                "MetricDataQueries": [
                                    {
                                        "Id": "load",
                                        "ReturnData": True,
                                        "MetricStat": {
                                            "Stat": "Sum",
                                            "Metric": {
                                                "Namespace": "Shop",
                                                "MetricName": "Orders",
                                                "Dimensions": [{"Name": "Site", "Value": "toys"}],
                                            },
                                        },
                                    }
                                ]
                            },
                            "CustomizedScalingMetricSpecification": {
                                "MetricDataQueries": [
                                    {
                                        "Id": "scaling",
                                        "ReturnData": True,
                                        "MetricStat": {
                                            "Stat": "Average",
                                            "Metric": {
                                                "Namespace": "Shop",
                                                "MetricName": "OrdersPerInstance",
                                            },
                                        },
                                    }
                                ]
                            },
                        }
                    ]
                }
            )
        },
    )


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"target_value": 0}, r"target_value 0 is not a percentage in \(0, 100\]"),
        ({"target_value": 101}, r"target_value 101 is not a percentage"),
        (
            {"metric": PredictiveMetric.network_out(), "target_value": -1},
            "target_value -1 must be greater than 0",
        ),
        ({"scheduling_buffer": Duration.hours(2)}, "scheduling_buffer 7200s is out of range"),
        (
            {"max_capacity_buffer_percent": 10},
            "max_capacity_buffer_percent 10 needs max_capacity_breach INCREASE_MAX_CAPACITY",
        ),
        (
            {
                "max_capacity_breach": MaxCapacityBreach.INCREASE_MAX_CAPACITY,
                "max_capacity_buffer_percent": 150,
            },
            "max_capacity_buffer_percent 150 is out of range",
        ),
        (
            {"metric": PredictiveMetric.request_count(), "target_value": 1000},
            r"metric request_count\(\) needs the target group",
        ),
        (
            {"metric": PredictiveMetric(None), "target_value": 10},
            "metric needs both load_metric and scaling_metric",
        ),
    ],
)
def test_bad_props_are_refused(props: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _build(**props)
