"""Dynamic scaling options checked as a set: target tracking and step scaling.

``StepScaling`` describes a step policy on any CloudWatch metric (the L2 ``scale_on_metric``
creates its alarms). ``check_step_scaling`` validates one; ``metric_key`` lets the group
refuse two policies that act on the same metric (they would fight each other).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_cloudwatch as cloudwatch

from constructs_lib._validation import (
    PropErrors,
    check_duration_seconds,
    check_int_range,
    check_number,
    typed_fields,
)

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,62}\Z")

# The metric each target-tracking policy of the group acts on.
TRACKED_METRICS = {
    "cpu": ("AWS/EC2", "CPUUtilization"),
    "network_in": ("AWS/EC2", "NetworkIn"),
    "network_out": ("AWS/EC2", "NetworkOut"),
    "request_count": ("AWS/ApplicationELB", "RequestCountPerTarget"),
}


@dataclass(frozen=True)
@typed_fields
class StepScaling:
    """Step scaling on any CloudWatch metric; its alarms are created for you.

    :param name: PascalCase id of the policy, e.g. ``"QueueDepth"`` (keep it stable).
    :param metric: The metric to watch, e.g. ``cloudwatch.Metric(namespace="Shop",
        metric_name="CheckoutQueueDepth", statistic="Average")``.
    :param steps: At least two intervals, e.g. ``[ScalingInterval(upper=10, change=-1),
        ScalingInterval(lower=50, change=+1), ScalingInterval(lower=100, change=+3)]``:
        below the lowest ``upper`` an alarm scales in, above the lowest ``lower`` one scales out.
    :param adjustment_type: How ``change`` is read. Default: ``CHANGE_IN_CAPACITY`` (instances).
    :param evaluation_periods: Periods evaluated before an alarm fires, 1-100. Default: 1.
    :param datapoints_to_alarm: Breaching periods out of ``evaluation_periods``. Default:
        all of them.
    :param estimated_instance_warmup: Default: the group's default instance warm-up.
    """

    name: str
    metric: cloudwatch.IMetric
    steps: Sequence[autoscaling.ScalingInterval]
    adjustment_type: autoscaling.AdjustmentType = autoscaling.AdjustmentType.CHANGE_IN_CAPACITY
    evaluation_periods: int = 1
    datapoints_to_alarm: int | None = None
    estimated_instance_warmup: Duration | None = None


def metric_key(metric: cloudwatch.IMetric) -> tuple[str, str] | None:
    """(namespace, name) of a plain metric; ``None`` for math expressions."""
    if isinstance(metric, cloudwatch.Metric):
        return (metric.namespace, metric.metric_name)
    return None


def check_step_scaling(errors: PropErrors, arg: str, step: StepScaling) -> None:
    """Name, at least two intervals each with a bound, no overlapping bounds, alarm periods."""
    if not isinstance(step.name, str) or not _NAME.match(step.name):
        errors.add(
            f"{arg}.name {step.name!r} is not a PascalCase id; use letters and digits "
            "starting with a letter, e.g. 'QueueDepth'"
        )
    steps = list(step.steps)
    if len(steps) < 2:
        errors.add(
            f"{arg}.steps has {len(steps)} interval(s); give at least two (e.g. one "
            "scaling in below a bound, one scaling out above another)"
        )
    for index, interval in enumerate(steps):
        bounds_ok = all(
            check_number(errors, f"{arg}.steps[{index}].{side}", bound)
            for side, bound in (("lower", interval.lower), ("upper", interval.upper))
            if bound is not None
        )
        if not bounds_ok:
            continue
        if interval.lower is None and interval.upper is None:
            errors.add(f"{arg}.steps[{index}] has neither lower nor upper; bound it")
        elif (
            interval.lower is not None
            and interval.upper is not None
            and interval.lower >= interval.upper
        ):
            errors.add(
                f"{arg}.steps[{index}] lower {interval.lower} is not below upper {interval.upper}"
            )
    periods_ok = check_int_range(
        errors, f"{arg}.evaluation_periods", step.evaluation_periods, low=1, high=100
    )
    if (
        step.datapoints_to_alarm is not None
        and check_int_range(
            errors, f"{arg}.datapoints_to_alarm", step.datapoints_to_alarm, low=1, high=100
        )
        and periods_ok
        and step.datapoints_to_alarm > step.evaluation_periods
    ):
        errors.add(
            f"{arg}.datapoints_to_alarm {step.datapoints_to_alarm} exceeds "
            f"evaluation_periods {step.evaluation_periods}"
        )
    if step.estimated_instance_warmup is not None:
        check_duration_seconds(
            errors,
            f"{arg}.estimated_instance_warmup",
            step.estimated_instance_warmup,
            low=0,
            high=3600,
        )
