"""Amazon EC2 Auto Scaling behaviour the planner replays, one small function per rule.

Each rule cites the AWS page that documents it; the simulator (``simulate.py``) calls these
and nothing else decides capacity. Where AWS documents no number, the value is a named
parameter with its source stated (``SCALE_IN_THRESHOLD_RATIO``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Target tracking: "new capacity is proportional to the metric: current capacity x metric /
# target, rounded up", and the policy manages two alarms: scale out when the metric is above
# the target for 3 data points, scale in when it is below a lower threshold for 15 data
# points; cooldowns do not apply (the instance warm-up does).
# https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html
# Instance warm-up: a new instance's metrics count only once it has warmed up; while any
# instance warms up, policies scale out only on the others' metric and never scale in.
# https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-default-instance-warmup.html
SCALE_OUT_DATAPOINTS = 3
SCALE_IN_DATAPOINTS = 15
# The scale-in alarm's threshold is not documented; the alarms Auto Scaling creates show
# 90 % of the target (e.g. CPU < 45 for a target of 50). A parameter, not a fact.
SCALE_IN_THRESHOLD_RATIO = 0.9

# EC2 basic monitoring sends CPUUtilization every 5 minutes, detailed monitoring every
# minute; the ALB's RequestCountPerTarget is a 1-minute metric.
# https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/manage-monitoring.html
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
BASIC_MONITORING_MINUTES = 5
DETAILED_MONITORING_MINUTES = 1

# Predictive scaling needs at least 24 hours of history, reads up to the last 14 days and
# forecasts hourly, up to 48 hours ahead; it never scales in.
# https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-predictive-scaling.html
PREDICTIVE_MIN_HISTORY_HOURS = 24
PREDICTIVE_MAX_HISTORY_DAYS = 14
PREDICTIVE_HORIZON_HOURS = 48

# Linux On-Demand instances are billed per second, with a minimum of 60 seconds.
# https://aws.amazon.com/ec2/pricing/on-demand/
BILLING_MINIMUM_SECONDS = 60

# CPU above which the planner counts a minute as overloaded.
OVERLOAD_CPU_PERCENT = 90.0

_EPSILON = 1e-9


def metric_period_minutes(*, detailed_monitoring: bool, metric: str) -> int:
    """Minutes between data points of the metric a policy reads (see the links above)."""
    if metric == "request_count":
        return DETAILED_MONITORING_MINUTES
    return DETAILED_MONITORING_MINUTES if detailed_monitoring else BASIC_MONITORING_MINUTES


def target_tracking_capacity(current: int, metric: float, target: float) -> int:
    """ceil(current x metric / target): the capacity that brings the metric to the target.

    https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html
    """
    return max(0, math.ceil(current * metric / target - _EPSILON))


def alarm_fires(breaching_run: int, datapoints: int) -> bool:
    """An "M out of M" alarm: the last ``datapoints`` data points all breached.

    https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation
    """
    return breaching_run >= datapoints


# Step scaling: adjustment types and how PercentChangeInCapacity is rounded.
# https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-simple-step.html#as-scaling-adjustment
CHANGE_IN_CAPACITY = "ChangeInCapacity"
EXACT_CAPACITY = "ExactCapacity"
PERCENT_CHANGE_IN_CAPACITY = "PercentChangeInCapacity"
ADJUSTMENT_TYPES = (CHANGE_IN_CAPACITY, EXACT_CAPACITY, PERCENT_CHANGE_IN_CAPACITY)


def round_percent_change(change: float) -> int:
    """Auto Scaling's rounding of a percentage change in instances.

    Above 1: rounded down (12.7 -> 12); between 0 and 1: 1; between -1 and 0: -1; below -1:
    rounded up (-6.67 -> -6).
    https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-simple-step.html#as-scaling-adjustment
    """
    if change >= 1:
        return math.floor(change)
    if change > 0:
        return 1
    if change == 0:
        return 0
    if change > -1:
        return -1
    return math.ceil(change)


def adjusted_capacity(
    current: int,
    adjustment: float,
    adjustment_type: str,
    min_adjustment_magnitude: int | None = None,
) -> int:
    """The capacity a step adjustment asks for (before the group's min/max).

    ``MinAdjustmentMagnitude`` applies to ``PercentChangeInCapacity`` only: 25 % of 4 is 1,
    with a magnitude of 2 the group changes by 2.
    https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScalingPolicy.html
    """
    if adjustment_type == EXACT_CAPACITY:
        return max(0, int(adjustment))
    if adjustment_type == CHANGE_IN_CAPACITY:
        return max(0, current + int(adjustment))
    if adjustment_type != PERCENT_CHANGE_IN_CAPACITY:
        raise ValueError(
            f"adjustment_type {adjustment_type!r} is not one of {list(ADJUSTMENT_TYPES)}"
        )
    change = round_percent_change(current * adjustment / 100)
    if min_adjustment_magnitude and 0 < abs(change) < min_adjustment_magnitude:
        change = min_adjustment_magnitude if change > 0 else -min_adjustment_magnitude
    return max(0, current + change)


@dataclass(frozen=True)
class Step:
    """One step adjustment: bounds relative to the alarm threshold (``None`` = unbounded).

    Above the threshold the lower bound is inclusive and the upper exclusive; below it the
    lower bound is exclusive and the upper inclusive.
    https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StepAdjustment.html
    """

    lower: float | None
    upper: float | None
    adjustment: float


def step_for(steps: Sequence[Step], metric: float, threshold: float) -> Step | None:
    """The step whose interval holds ``metric - threshold`` (API_StepAdjustment rules)."""
    breach = metric - threshold
    above = breach >= 0
    for step in steps:
        low = -math.inf if step.lower is None else step.lower
        high = math.inf if step.upper is None else step.upper
        if above and low <= breach < high:
            return step
        if not above and low < breach <= high:
            return step
    return None


def combine_scale_out(current: int, proposals: Sequence[int]) -> int | None:
    """Several policies at once: scale out if any asks for more, to the largest proposal.

    https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-multiple-policies.html
    """
    largest = max(proposals, default=current)
    return largest if largest > current else None


def combine_scale_in(current: int, proposals: Sequence[int | None]) -> int | None:
    """Scale in only if every policy is ready to (``None`` = not ready), to the largest.

    https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-multiple-policies.html
    """
    if not proposals or any(p is None for p in proposals):
        return None
    largest = max(p for p in proposals if p is not None)
    return largest if largest < current else None


def with_predictive(dynamic: int, forecast: int) -> int:
    """Predictive and dynamic scaling together: the larger of the two capacities.

    https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-predictive-scaling.html
    """
    return max(dynamic, forecast)


def clamp(capacity: int, min_capacity: int, max_capacity: int) -> int:
    """Desired capacity always stays within the group's minimum and maximum.

    https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-capacity-limits.html
    """
    return min(max(capacity, min_capacity), max_capacity)


def billed_seconds(run_seconds: float) -> float:
    """Per-second billing with a 60-second minimum (Linux On-Demand)."""
    return max(float(BILLING_MINIMUM_SECONDS), run_seconds)
