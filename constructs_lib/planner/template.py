"""A policy set read from a synthesized CloudFormation template: the plan of what deploys.

Reads the one ``AWS::AutoScaling::AutoScalingGroup`` (MinSize, MaxSize, DesiredCapacity,
DefaultInstanceWarmup), its launch template's detailed monitoring, its ``WarmPool``, its
target group's health check, and every ``AWS::AutoScaling::ScalingPolicy`` (target tracking,
step scaling with the CloudWatch alarm that invokes it, predictive) and
``AWS::AutoScaling::ScheduledAction``. What it cannot replay (a custom metric, say) is listed
in ``PolicySet.notes`` instead of silently dropped.
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-autoscaling-scalingpolicy.html
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-autoscaling-scheduledaction.html
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

from constructs_lib.planner import aws
from constructs_lib.planner.model import (
    CapacityModel,
    PlannerError,
    PolicySet,
    Predictive,
    ScheduledAction,
    StepScalingPolicy,
    TargetTracking,
)

_TRACKED = {"ASGAverageCPUUtilization": "cpu", "ALBRequestCountPerTarget": "request_count"}
_PREDICTED = {"ASGCPUUtilization": "cpu", "ALBRequestCount": "request_count"}


def load(path: Path) -> dict[str, Any]:
    """The template at ``path`` (JSON, as ``cdk synth`` writes to cdk.out)."""
    try:
        template: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise PlannerError(f"template {path}: cannot read it as JSON ({error})") from None
    return template


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _time(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(dt.UTC)


def _resources(template: dict[str, Any], kind: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (name, resource.get("Properties", {}))
        for name, resource in template.get("Resources", {}).items()
        if resource.get("Type") == kind
    ]


def policy_set(template: dict[str, Any], name: str = "configured") -> PolicySet:
    """The group's scaling as the template deploys it."""
    groups = _resources(template, "AWS::AutoScaling::AutoScalingGroup")
    if len(groups) != 1:
        raise PlannerError(
            f"template has {len(groups)} AWS::AutoScaling::AutoScalingGroup resources; "
            "the planner reads a template with exactly one"
        )
    _, group = groups[0]
    notes: list[str] = []
    detailed = False
    for _, launch in _resources(template, "AWS::EC2::LaunchTemplate"):
        monitoring = launch.get("LaunchTemplateData", {}).get("Monitoring", {})
        detailed = detailed or bool(monitoring.get("Enabled", False))

    alarms_by_policy: dict[str, dict[str, Any]] = {}
    for _, alarm in _resources(template, "AWS::CloudWatch::Alarm"):
        for action in alarm.get("AlarmActions", []):
            if isinstance(action, dict) and "Ref" in action:
                alarms_by_policy[action["Ref"]] = alarm

    tracking: list[TargetTracking] = []
    steps: list[StepScalingPolicy] = []
    predictive: Predictive | None = None
    for policy_id, policy in _resources(template, "AWS::AutoScaling::ScalingPolicy"):
        kind = policy.get("PolicyType", "SimpleScaling")
        if kind == "TargetTrackingScaling":
            config = policy["TargetTrackingConfiguration"]
            metric_type = config.get("PredefinedMetricSpecification", {}).get(
                "PredefinedMetricType"
            )
            if metric_type not in _TRACKED:
                notes.append(f"{policy_id}: target tracking on {metric_type or 'a custom metric'}")
                continue
            warmup = policy.get("EstimatedInstanceWarmup")
            tracking.append(
                TargetTracking(
                    metric=_TRACKED[metric_type],
                    target=float(config["TargetValue"]),
                    disable_scale_in=bool(config.get("DisableScaleIn", False)),
                    warmup_seconds=None if warmup is None else float(warmup),
                )
            )
        elif kind == "StepScaling":
            step = _step_policy(policy_id, policy, alarms_by_policy.get(policy_id), notes)
            if step is not None:
                steps.append(step)
        elif kind == "PredictiveScaling":
            config = policy["PredictiveScalingConfiguration"]
            spec = config["MetricSpecifications"][0]
            pair = spec.get("PredefinedMetricPairSpecification", {}).get("PredefinedMetricType")
            if pair not in _PREDICTED:
                notes.append(f"{policy_id}: predictive scaling on {pair or 'custom metrics'}")
                continue
            predictive = Predictive(
                mode=config.get("Mode", "ForecastOnly"),
                metric=_PREDICTED[pair],
                target=float(spec["TargetValue"]),
                scheduling_buffer_seconds=int(config.get("SchedulingBufferTime", 0)),
                increase_max_capacity=config.get("MaxCapacityBreachBehavior")
                == "IncreaseMaxCapacity",
                max_capacity_buffer_percent=int(config.get("MaxCapacityBuffer", 0)),
            )
        else:
            notes.append(f"{policy_id}: {kind} policies are not replayed")

    scheduled = [
        ScheduledAction(
            name=action_id,
            recurrence=action["Recurrence"],
            time_zone=action.get("TimeZone", "UTC"),
            start_time=_time(action.get("StartTime")),
            end_time=_time(action.get("EndTime")),
            min_capacity=_int(action.get("MinSize")),
            max_capacity=_int(action.get("MaxSize")),
            desired_capacity=_int(action.get("DesiredCapacity")),
        )
        for action_id, action in _resources(template, "AWS::AutoScaling::ScheduledAction")
        if "Recurrence" in action
    ]
    for action_id, action in _resources(template, "AWS::AutoScaling::ScheduledAction"):
        if "Recurrence" not in action:
            notes.append(f"{action_id}: a one-time action without Recurrence is not replayed")

    result = PolicySet(
        name=name,
        min_capacity=int(group["MinSize"]),
        max_capacity=int(group["MaxSize"]),
        desired_capacity=_int(group.get("DesiredCapacity")),
        detailed_monitoring=detailed,
        instance_warmup_seconds=float(group.get("DefaultInstanceWarmup", 0)),
        warm_pool=bool(_resources(template, "AWS::AutoScaling::WarmPool")),
        target_tracking=tuple(tracking),
        step_scaling=tuple(steps),
        predictive=predictive,
        scheduled=tuple(scheduled),
        notes=tuple(notes),
    )
    return result


def _step_policy(
    policy_id: str,
    policy: dict[str, Any],
    alarm: dict[str, Any] | None,
    notes: list[str],
) -> StepScalingPolicy | None:
    if alarm is None or alarm.get("MetricName") != "CPUUtilization":
        notes.append(f"{policy_id}: step scaling on a metric other than the group's CPU")
        return None
    operator = alarm.get("ComparisonOperator", "")
    scale_out = operator.startswith("GreaterThan")
    periods = int(alarm.get("EvaluationPeriods", 1))
    return StepScalingPolicy(
        name=policy_id,
        threshold=float(alarm["Threshold"]),
        scale_out=scale_out,
        steps=tuple(
            aws.Step(
                lower=_float(step.get("MetricIntervalLowerBound")),
                upper=_float(step.get("MetricIntervalUpperBound")),
                adjustment=float(step["ScalingAdjustment"]),
            )
            for step in policy.get("StepAdjustments", [])
        ),
        adjustment_type=policy.get("AdjustmentType", aws.CHANGE_IN_CAPACITY),
        evaluation_periods=periods,
        datapoints_to_alarm=int(alarm.get("DatapointsToAlarm", periods)),
        min_adjustment_magnitude=_int(policy.get("MinAdjustmentMagnitude")),
    )


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def capacity_model(template: dict[str, Any], model: CapacityModel) -> CapacityModel:
    """``model`` with the target group's health-check interval and threshold from the template."""
    groups = _resources(template, "AWS::ElasticLoadBalancingV2::TargetGroup")
    if len(groups) != 1:
        return model
    _, group = groups[0]
    interval = group.get("HealthCheckIntervalSeconds")
    threshold = group.get("HealthyThresholdCount")
    return dataclasses.replace(
        model,
        health_check_interval_seconds=float(interval)
        if interval is not None
        else model.health_check_interval_seconds,
        healthy_threshold=int(threshold) if threshold is not None else model.healthy_threshold,
    )
