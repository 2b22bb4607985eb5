"""Replay a demand profile, minute by minute, through one policy set.

The state changes only at metric data points (every 1 or 5 minutes), scheduled actions and
launches becoming ready, so the loop visits only those moments and records capacity changes
as events; the per-minute series (instances billed and serving, CPU) are then built with
numpy. Every capacity decision is a call into ``aws.py``.

Simplifications (stated in the report): requests spread evenly over serving instances and
CPU is proportional to requests; a data point is the period's mean demand over the instances
serving at its end; CloudWatch's publication delay is not modelled; "M of N" alarms are read
as M consecutive breaching points; scheduled actions apply at the next data point (at most
4 minutes late with 5-minute metrics).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from constructs_lib.planner import aws
from constructs_lib.planner.model import (
    CapacityModel,
    PlannerError,
    PolicySet,
    StepScalingPolicy,
)
from constructs_lib.planner.predictive import (
    capacity_floor,
    forecast_capacity,
    forecast_load,
    hourly_load,
)
from constructs_lib.planner.schedule import firing_minutes

_TT_CPU, _TT_REQUESTS, _STEP = 0, 1, 2


@dataclass
class Run:
    """One policy set's replay: per-minute series and the scaling actions taken."""

    name: str
    billed: NDArray[np.int32]  # instances running (billed), launching ones included
    serving: NDArray[np.int32]  # instances the load balancer sends traffic to
    cpu: NDArray[np.float32]  # percent; above 100 means requests beyond capacity
    actions: int
    forecast: NDArray[np.int64] | None = None  # hourly capacity forecast (predictive)
    notes: list[str] = field(default_factory=list)


def cpu_percent(
    demand: NDArray[np.float64], serving: NDArray[np.int32], requests_per_minute: float
) -> NDArray[np.float32]:
    """Per-minute CPU of the serving instances; infinite when none serve a positive demand."""
    with np.errstate(divide="ignore", invalid="ignore"):
        cpu = demand * (100.0 / requests_per_minute) / serving
    cpu = np.where(demand <= 0, 0.0, cpu)
    result: NDArray[np.float32] = cpu.astype(np.float32)
    return result


def oracle(
    demand: NDArray[np.float64],
    model: CapacityModel,
    *,
    cpu_target: float,
    min_capacity: int,
    max_capacity: int,
) -> Run:
    """Perfect foresight: each minute just enough instances for the target, within min/max."""
    per_instance = model.requests_per_minute * cpu_target / 100
    need = np.ceil(demand / per_instance - 1e-9)
    capacity = np.clip(need, min_capacity, max_capacity).astype(np.int32)
    actions = int(np.count_nonzero(np.diff(capacity)))
    return Run(
        "oracle",
        billed=capacity,
        serving=capacity,
        cpu=cpu_percent(demand, capacity, model.requests_per_minute),
        actions=actions,
    )


def simulate(
    demand: NDArray[np.float64],
    start: dt.datetime,
    policies: PolicySet,
    model: CapacityModel,
) -> Run:
    """Replay ``demand`` (requests per minute, one value a minute from ``start``)."""
    policies.check()
    model.check()
    if start.tzinfo is None:
        raise PlannerError("start must be timezone-aware (UTC)")
    minutes = len(demand)
    rpm = model.requests_per_minute
    ready = model.ready_minutes(warm_pool=policies.warm_pool)
    notes: list[str] = []

    # Dynamic policies as tuples the loop reads fast: (kind, period, target or threshold,
    # votes to scale in); step policies by index.
    dynamic: list[tuple[int, int, float, bool]] = []
    steps: dict[int, StepScalingPolicy] = {}
    for tracking in policies.target_tracking:
        period = aws.metric_period_minutes(
            detailed_monitoring=policies.detailed_monitoring, metric=tracking.metric
        )
        kind = _TT_REQUESTS if tracking.metric == "request_count" else _TT_CPU
        dynamic.append((kind, period, tracking.target, not tracking.disable_scale_in))
    for step in policies.step_scaling:
        period = aws.metric_period_minutes(
            detailed_monitoring=policies.detailed_monitoring, metric="cpu"
        )
        steps[len(dynamic)] = step
        dynamic.append((_STEP, period, step.threshold, not step.scale_out))
    stride = min((d[1] for d in dynamic), default=aws.BASIC_MONITORING_MINUTES)
    warmups = [t.warmup_seconds for t in policies.target_tracking if t.warmup_seconds is not None]
    warmup_seconds = max(warmups) if warmups else policies.instance_warmup_seconds
    warm = ready + int(np.ceil(warmup_seconds / 60))

    actions_at: list[tuple[int, int, int | None, int | None, int | None]] = []
    for index, action in enumerate(policies.scheduled):
        for minute in firing_minutes(action, start, minutes):
            actions_at.append(
                (
                    minute,
                    index,
                    action.min_capacity,
                    action.max_capacity,
                    action.desired_capacity,
                )
            )
    actions_at.sort()

    floor: list[int] | None = None
    forecast: NDArray[np.int64] | None = None
    raise_max = False
    if policies.predictive is not None:
        forecast = forecast_capacity(forecast_load(hourly_load(demand)), policies.predictive, rpm)
        if policies.predictive.mode == "ForecastAndScale":
            floor = capacity_floor(
                forecast, policies.predictive, minutes, policies.max_capacity
            ).tolist()
            raise_max = policies.predictive.increase_max_capacity
        else:
            notes.append("predictive scaling in ForecastOnly mode: forecast shown, not applied")

    # Each data point's value for one serving instance, indexed by the minute it ends:
    # CPU percent (the period's mean demand over one instance) or requests per minute.
    cumulative = np.concatenate(([0.0], np.cumsum(demand)))
    per_period: dict[tuple[int, int], list[float]] = {}
    for kind, period, _, _ in dynamic:
        if (kind == _TT_REQUESTS, period) in per_period:
            continue
        values = np.zeros(minutes + 1)
        values[period:] = (cumulative[period:] - cumulative[:-period]) / period
        if kind != _TT_REQUESTS:
            values *= 100.0 / rpm
        per_period[(kind == _TT_REQUESTS, period)] = values.tolist()
    point_values = [per_period[(kind == _TT_REQUESTS, period)] for kind, period, _, _ in dynamic]

    lo, hi = policies.min_capacity, policies.max_capacity
    desired = aws.clamp(
        policies.desired_capacity if policies.desired_capacity is not None else lo, lo, hi
    )
    serving = desired
    warming = 0
    pending: deque[list[int]] = deque()  # [ready minute, count], launch order
    warming_q: deque[list[int]] = deque()  # [warm-up end minute, count], launch order
    bill_events: list[tuple[int, int]] = []
    serve_events: list[tuple[int, int]] = []
    out_runs = [0] * len(dynamic)
    in_runs = [0] * len(dynamic)
    n_dynamic = len(dynamic)
    in_votes: list[int | None] = [None] * len(dynamic)
    in_voters = [i for i, entry in enumerate(dynamic) if entry[3]]
    ratio = policies.scale_in_threshold_ratio
    out_points = policies.scale_out_datapoints
    in_points = policies.scale_in_datapoints
    actions = 0
    next_action = 0
    n_actions = len(actions_at)

    def resize(new: int, now: int) -> None:
        nonlocal desired, serving, warming, actions
        if new == desired:
            return
        actions += 1
        if new > desired:
            count = new - desired
            bill_events.append((now, count))
            pending.append([now + ready, count])
            warming_q.append([now + warm, count])
            warming += count
        else:
            count = desired - new
            bill_events.append((now, -count))
            # Instances still launching go first, newest first.
            while count and pending:
                take = min(count, pending[-1][1])
                pending[-1][1] -= take
                warming_q[-1][1] -= take
                warming -= take
                count -= take
                if pending[-1][1] == 0:
                    pending.pop()
                if warming_q[-1][1] == 0:
                    warming_q.pop()
            if count:
                serve_events.append((now, -count))
                # No instance is launching any more: the oldest go first, then warming ones.
                extra = max(0, count - (serving - warming))
                serving -= count
                while extra and warming_q:
                    take = min(extra, warming_q[0][1])
                    warming_q[0][1] -= take
                    warming -= take
                    extra -= take
                    if warming_q[0][1] == 0:
                        warming_q.popleft()
        desired = new

    for now in range(stride, minutes + 1, stride):
        while pending and pending[0][0] <= now:
            at, count = pending.popleft()
            serving += count
            serve_events.append((at, count))
        while warming_q and warming_q[0][0] <= now:
            warming -= warming_q.popleft()[1]

        while next_action < n_actions and actions_at[next_action][0] <= now:
            _, _, new_min, new_max, new_desired = actions_at[next_action]
            next_action += 1
            lo = lo if new_min is None else new_min
            hi = hi if new_max is None else new_max
            target = desired if new_desired is None else new_desired
            resize(aws.clamp(target, lo, hi), now)

        upper = hi
        held = 0
        if floor is not None:
            held = floor[now if now < minutes else minutes - 1]
            if raise_max and held > upper:
                upper = held
            if held > desired:
                resize(aws.clamp(aws.with_predictive(desired, held), lo, upper), now)

        settled = desired - warming  # instances past warm-up: the metric's contributors
        if settled <= 0 or serving <= 0:
            continue
        any_point = False
        grow = 0
        for i in range(n_dynamic):
            kind, period, level, _ = dynamic[i]
            if now % period:
                continue
            any_point = True
            value = point_values[i][now] / serving
            if kind != _STEP:
                if kind == _TT_CPU and value > 100.0:
                    value = 100.0
                if value > level:
                    out_runs[i] += 1
                    in_runs[i] = 0
                    in_votes[i] = None
                    if out_runs[i] >= out_points:
                        proposal = aws.target_tracking_capacity(serving, value, level)
                        if proposal > grow:
                            grow = proposal
                    continue
                out_runs[i] = 0
                if value < level * ratio:
                    in_runs[i] += 1
                    if in_runs[i] >= in_points and desired > lo:
                        in_votes[i] = aws.target_tracking_capacity(serving, value, level)
                        continue
                else:
                    in_runs[i] = 0
                in_votes[i] = None
                continue
            if value > 100.0:
                value = 100.0
            step = steps[i]
            breach = value >= level if step.scale_out else value <= level
            out_runs[i] = out_runs[i] + 1 if breach else 0
            fired = aws.alarm_fires(out_runs[i], step.datapoints_to_alarm)
            chosen = aws.step_for(step.steps, value, level) if fired else None
            in_votes[i] = None
            if chosen is None:
                continue
            if step.scale_out:
                # Warming instances are not current capacity for a step scale-out, so
                # repeated breaches of one step make one activity.
                proposal = aws.adjusted_capacity(
                    settled, chosen.adjustment, step.adjustment_type, step.min_adjustment_magnitude
                )
                if proposal > grow:
                    grow = proposal
            else:
                in_votes[i] = aws.adjusted_capacity(
                    desired, chosen.adjustment, step.adjustment_type, step.min_adjustment_magnitude
                )
        if not any_point:
            continue
        if grow:  # the largest proposal of the policies whose scale-out alarm fired
            bigger = aws.combine_scale_out(desired, [grow])
            if bigger is not None:
                resize(aws.clamp(bigger, lo, upper), now)
                continue
        if warming or not in_voters or desired <= lo:
            continue  # warm-up blocks scale-in; nothing below the minimum
        if in_votes[in_voters[0]] is None:
            continue
        shrink = aws.combine_scale_in(desired, [in_votes[i] for i in in_voters])
        if shrink is not None:
            resize(aws.clamp(max(shrink, held), lo, upper), now)

    start_count = aws.clamp(
        policies.desired_capacity
        if policies.desired_capacity is not None
        else policies.min_capacity,
        policies.min_capacity,
        policies.max_capacity,
    )
    billed = _series(start_count, bill_events, minutes)
    serving_series = _series(start_count, serve_events, minutes)
    return Run(
        policies.name,
        billed=billed,
        serving=serving_series,
        cpu=cpu_percent(demand, serving_series, rpm),
        actions=actions,
        forecast=forecast,
        notes=notes,
    )


def _series(start: int, events: list[tuple[int, int]], minutes: int) -> NDArray[np.int32]:
    delta = np.zeros(minutes + 1, dtype=np.int64)
    if events:
        at = np.array([e[0] for e in events], dtype=np.int64)
        change = np.array([e[1] for e in events], dtype=np.int64)
        np.add.at(delta, np.minimum(at, minutes), change)
    delta[0] += start
    series: NDArray[np.int32] = np.cumsum(delta[:minutes]).astype(np.int32)
    return series
