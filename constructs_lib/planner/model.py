"""What the planner replays: a capacity model per instance and a set of scaling policies.

Plain frozen dataclasses, validated by ``check()``: every problem names its field, and all
problems are reported together (``PlannerError``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from constructs_lib.planner import aws


class PlannerError(ValueError):
    """Bad planner input; the message names every field at fault."""


def _raise(problems: list[str], what: str) -> None:
    if problems:
        listing = "\n".join(f"  - {p}" for p in problems)
        raise PlannerError(f"{what}:\n{listing}")


@dataclass(frozen=True)
class CapacityModel:
    """How much one instance serves and how long it takes to start.

    :param requests_per_minute: Requests per minute one instance serves at 100 % CPU (CPU is
        taken as proportional to requests).
    :param boot_seconds: Launch to application ready: boot plus user data.
    :param health_check_interval_seconds: The target group's health-check interval.
    :param healthy_threshold: Consecutive passing checks before the load balancer sends traffic.
    :param warm_pool_boot_seconds: Launch time from a warm pool (stopped, initialised
        instances), used instead of ``boot_seconds`` when the group has a warm pool.
        Default: no warm pool.
    """

    requests_per_minute: float
    boot_seconds: float = 120.0
    health_check_interval_seconds: float = 15.0
    healthy_threshold: int = 2
    warm_pool_boot_seconds: float | None = None

    def check(self) -> None:
        problems = []
        if not (math.isfinite(self.requests_per_minute) and self.requests_per_minute > 0):
            problems.append(
                f"requests_per_minute is {self.requests_per_minute!r}; give the requests per "
                "minute one instance serves at 100 % CPU (more than 0)"
            )
        for name in ("boot_seconds", "health_check_interval_seconds"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                problems.append(f"{name} is {value!r}; give seconds (0 or more)")
        if self.healthy_threshold < 1:
            problems.append(f"healthy_threshold is {self.healthy_threshold!r}; give 1 or more")
        if self.warm_pool_boot_seconds is not None and not self.warm_pool_boot_seconds >= 0:
            problems.append(
                f"warm_pool_boot_seconds is {self.warm_pool_boot_seconds!r}; give seconds"
            )
        _raise(problems, "Invalid capacity model")

    def ready_minutes(self, *, warm_pool: bool) -> int:
        """Whole minutes from launch until the load balancer sends the instance traffic."""
        boot = self.boot_seconds
        if warm_pool and self.warm_pool_boot_seconds is not None:
            boot = self.warm_pool_boot_seconds
        seconds = boot + self.health_check_interval_seconds * self.healthy_threshold
        return max(1, math.ceil(seconds / 60))


@dataclass(frozen=True)
class TargetTracking:
    """A target-tracking policy on average CPU (percent) or requests per target per minute."""

    metric: str  # "cpu" or "request_count"
    target: float
    disable_scale_in: bool = False
    warmup_seconds: float | None = None  # EstimatedInstanceWarmup; default: the group's


@dataclass(frozen=True)
class StepScalingPolicy:
    """A step policy with its alarm on the group's average CPU (percent).

    :param threshold: The alarm threshold.
    :param scale_out: True for an alarm on ``CPU >= threshold``, False for ``CPU <=``.
    :param steps: Bounds relative to the threshold, as in ``StepAdjustments``.
    """

    name: str
    threshold: float
    scale_out: bool
    steps: tuple[aws.Step, ...]
    adjustment_type: str = aws.CHANGE_IN_CAPACITY
    evaluation_periods: int = 1
    datapoints_to_alarm: int = 1
    min_adjustment_magnitude: int | None = None


@dataclass(frozen=True)
class Predictive:
    """A predictive scaling policy (the forecaster is an approximation, see predictive.py)."""

    mode: str  # "ForecastOnly" or "ForecastAndScale"
    metric: str  # "cpu" or "request_count"
    target: float
    scheduling_buffer_seconds: int = 0
    increase_max_capacity: bool = False
    max_capacity_buffer_percent: int = 0


@dataclass(frozen=True)
class ScheduledAction:
    """One scheduled action as Auto Scaling stores it (cron in ``time_zone``, UTC bounds)."""

    name: str
    recurrence: str
    time_zone: str = "UTC"
    start_time: dt.datetime | None = None
    end_time: dt.datetime | None = None
    min_capacity: int | None = None
    max_capacity: int | None = None
    desired_capacity: int | None = None


@dataclass(frozen=True)
class PolicySet:
    """Everything that decides the group's capacity, as it would be deployed."""

    name: str
    min_capacity: int
    max_capacity: int
    desired_capacity: int | None = None
    detailed_monitoring: bool = False
    instance_warmup_seconds: float = 0.0
    warm_pool: bool = False
    target_tracking: tuple[TargetTracking, ...] = ()
    step_scaling: tuple[StepScalingPolicy, ...] = ()
    predictive: Predictive | None = None
    scheduled: tuple[ScheduledAction, ...] = ()
    scale_out_datapoints: int = aws.SCALE_OUT_DATAPOINTS
    scale_in_datapoints: int = aws.SCALE_IN_DATAPOINTS
    scale_in_threshold_ratio: float = aws.SCALE_IN_THRESHOLD_RATIO
    notes: tuple[str, ...] = field(default=())

    @property
    def cpu_target(self) -> float | None:
        """The CPU target of its target-tracking policy, if it has one."""
        return next((p.target for p in self.target_tracking if p.metric == "cpu"), None)

    def check(self) -> None:
        problems = []
        if not 0 <= self.min_capacity <= self.max_capacity:
            problems.append(
                f"{self.name}: min_capacity {self.min_capacity} / max_capacity "
                f"{self.max_capacity}; give 0 <= min <= max"
            )
        if self.desired_capacity is not None and not (
            self.min_capacity <= self.desired_capacity <= self.max_capacity
        ):
            problems.append(
                f"{self.name}: desired_capacity {self.desired_capacity} is outside "
                f"[{self.min_capacity}, {self.max_capacity}]"
            )
        for policy in self.target_tracking:
            if policy.metric not in ("cpu", "request_count"):
                problems.append(f"{self.name}: target_tracking metric {policy.metric!r} unknown")
            if not policy.target > 0:
                problems.append(f"{self.name}: target_tracking target {policy.target!r} <= 0")
        for step in self.step_scaling:
            if step.adjustment_type not in aws.ADJUSTMENT_TYPES:
                problems.append(
                    f"{self.name}: step policy {step.name!r} adjustment_type "
                    f"{step.adjustment_type!r}; expected one of {list(aws.ADJUSTMENT_TYPES)}"
                )
        if self.predictive is not None:
            if self.predictive.mode not in ("ForecastOnly", "ForecastAndScale"):
                problems.append(f"{self.name}: predictive mode {self.predictive.mode!r} unknown")
            if not 0 <= self.predictive.scheduling_buffer_seconds <= 3600:
                problems.append(
                    f"{self.name}: predictive scheduling_buffer_seconds "
                    f"{self.predictive.scheduling_buffer_seconds}; expected 0-3600"
                )
        _raise(problems, "Invalid policy set")
