"""Policy sets side by side: the seed's example, the configured tier, + dated events,
+ predictive, and the oracle; summaries as ratios to the oracle; a small recommendation search.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

from constructs_lib.planner import aws
from constructs_lib.planner.demand import Demand
from constructs_lib.planner.model import (
    CapacityModel,
    PlannerError,
    PolicySet,
    Predictive,
    ScheduledAction,
    TargetTracking,
)
from constructs_lib.planner.simulate import Run, oracle, simulate

# The seed's example: 2 to 4 instances, a new one whenever CPU reaches 50 %, basic monitoring.
SEED_EXAMPLE = PolicySet(
    name="(a) seed example 2-4, CPU 50 %",
    min_capacity=2,
    max_capacity=4,
    target_tracking=(TargetTracking("cpu", 50.0),),
)


@dataclass(frozen=True)
class Event:
    """A dated peak as the app's ``scalingEvents`` key holds it (dates in ``time_zone``)."""

    name: str
    start: dt.date
    end: dt.date
    min_capacity: int
    max_capacity: int
    time_zone: str
    desired_capacity: int | None = None
    yearly: bool = False

    def actions(self, normal: PolicySet) -> tuple[ScheduledAction, ScheduledAction]:
        """Raise at 00:00 on ``start``, back to normal at 00:00 after ``end`` (as the tier)."""
        tz = ZoneInfo(self.time_zone)
        result = []
        for suffix, day, low, high, desired in (
            ("Start", self.start, self.min_capacity, self.max_capacity, self.desired_capacity),
            (
                "End",
                self.end + dt.timedelta(days=1),
                normal.min_capacity,
                normal.max_capacity,
                normal.desired_capacity,
            ),
        ):
            moment = dt.datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(dt.UTC)
            result.append(
                ScheduledAction(
                    name=f"{self.name}{suffix}",
                    recurrence=f"0 0 {day.day} {day.month} *",
                    time_zone=self.time_zone,
                    start_time=None if self.yearly else moment,
                    end_time=None if self.yearly else moment + dt.timedelta(hours=1),
                    min_capacity=low,
                    max_capacity=high,
                    desired_capacity=desired,
                )
            )
        return result[0], result[1]

    def context(self) -> dict[str, object]:
        return {
            "name": self.name,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "min": self.min_capacity,
            "max": self.max_capacity,
            "timeZone": self.time_zone,
            **({"yearly": True} if self.yearly else {}),
        }


@dataclass(frozen=True)
class Summary:
    """One policy set's totals over the demand profile."""

    name: str
    instance_hours: float
    cost: float
    cost_ratio: float  # to the oracle
    over_target_minutes: int
    overload_minutes: int  # CPU above aws.OVERLOAD_CPU_PERCENT
    worst_hour: str
    worst_hour_cpu: float
    actions: int


def has_dated_events(policies: PolicySet) -> bool:
    """Whether the set already holds dated actions (a cron fixed to a day and a month)."""
    for action in policies.scheduled:
        fields = action.recurrence.split()
        if len(fields) == 5 and fields[2].isdigit() and fields[3].isdigit():
            return True
    return False


def derive_events(
    demand: Demand,
    model: CapacityModel,
    normal: PolicySet,
    *,
    cpu_target: float,
    time_zone: str,
    min_days: int = 3,
) -> list[Event]:
    """Dated events for the stretches of days whose need exceeds the normal maximum.

    A day is busy when an hour's mean demand needs more than ``max_capacity`` instances at
    ``cpu_target``; busy days (local dates) up to three days apart form one stretch, and
    stretches of at least ``min_days`` become yearly events with min = the median hourly need over
    the stretch and max = its peak need in any minute, both at least the normal values.
    """
    tz = ZoneInfo(time_zone)
    per_instance = model.requests_per_minute * cpu_target / 100
    offset = demand.start.astimezone(tz).utcoffset() or dt.timedelta()
    first_local = (demand.start + offset).date()
    shift = int(offset.total_seconds() // 60)
    hours = demand.minutes // 60
    hourly = demand.requests[: hours * 60].reshape(hours, 60).mean(axis=1)
    need = np.ceil(hourly / per_instance - 1e-9).astype(np.int64)
    local_day = (np.arange(hours) * 60 + shift) // 1440
    peaks = np.zeros(int(local_day[-1]) + 1 if hours else 0, dtype=np.int64)
    np.maximum.at(peaks, local_day, need)
    busy = np.flatnonzero(peaks > normal.max_capacity)
    groups: list[list[int]] = []
    for day in busy.tolist():
        if groups and day - groups[-1][-1] <= 3:
            groups[-1].append(day)
        else:
            groups.append([day])
    names = {10: "ChildrensMonth", 11: "BlackFriday", 12: "Christmas"}
    events: list[Event] = []
    for group in groups:
        first, last = group[0], group[-1]
        if last - first + 1 < min_days:
            continue
        mask = (local_day >= first) & (local_day <= last)
        first_hour = int(np.argmax(mask))
        minutes = slice(first_hour * 60, (first_hour + int(mask.sum())) * 60)
        start = first_local + dt.timedelta(days=first)
        end = first_local + dt.timedelta(days=last)
        name = names.get(end.month, f"Peak{end.strftime('%b')}")
        if any(e.name == name for e in events):
            name = f"{name}{len(events) + 1}"
        events.append(
            Event(
                name=name,
                start=start,
                end=end,
                min_capacity=max(normal.min_capacity, int(np.median(need[mask]))),
                max_capacity=max(normal.max_capacity, _peak_need(demand, per_instance, minutes)),
                time_zone=time_zone,
                # The demand year's seasons recur: a yearly event never goes stale (a one-off
                # dated in the demand year would be refused once it has passed).
                yearly=True,
            )
        )
    return events


def _peak_need(demand: Demand, per_instance: float, minutes: slice) -> int:
    return int(np.ceil(np.max(demand.requests[minutes]) / per_instance - 1e-9))


def with_events(policies: PolicySet, events: list[Event], name: str) -> PolicySet:
    actions = [a for event in events for a in event.actions(policies)]
    return dataclasses.replace(policies, name=name, scheduled=(*policies.scheduled, *actions))


def with_predictive(policies: PolicySet, name: str, *, cpu_target: float) -> PolicySet:
    predictive = policies.predictive
    if predictive is None or predictive.mode != "ForecastAndScale":
        predictive = Predictive(mode="ForecastAndScale", metric="cpu", target=cpu_target)
    return dataclasses.replace(policies, name=name, predictive=predictive)


def summarize(
    run: Run,
    demand: Demand,
    *,
    price: float,
    cpu_target: float,
    oracle_hours: float | None,
) -> Summary:
    """Totals of one run; the cost ratio is to ``oracle_hours`` (1 for the oracle itself)."""
    hours = float(run.billed.sum(dtype=np.int64)) / 60
    cpu = run.cpu
    whole = len(cpu) // 60 * 60
    hourly = np.minimum(cpu[:whole], 1000.0).reshape(-1, 60).mean(axis=1)
    worst = int(np.argmax(hourly)) if len(hourly) else 0
    when = demand.start + dt.timedelta(hours=worst)
    return Summary(
        name=run.name,
        instance_hours=hours,
        cost=hours * price,
        cost_ratio=hours / oracle_hours if oracle_hours else 1.0,
        over_target_minutes=int(np.count_nonzero(cpu > cpu_target)),
        overload_minutes=int(np.count_nonzero(cpu > aws.OVERLOAD_CPU_PERCENT)),
        worst_hour=when.strftime("%Y-%m-%d %H:00 UTC"),
        worst_hour_cpu=float(hourly[worst]) if len(hourly) else 0.0,
        actions=run.actions,
    )


@dataclass
class Comparison:
    runs: list[Run]
    summaries: list[Summary]
    events: list[Event]
    cpu_target: float


def compare(
    demand: Demand,
    configured: PolicySet,
    model: CapacityModel,
    *,
    price: float,
    time_zone: str,
) -> Comparison:
    """The five sets (a)-(e) replayed over ``demand``."""
    if not (math.isfinite(price) and price > 0):
        raise PlannerError(
            f"price {price!r} per instance-hour must be more than 0; there is no maintained "
            "offline price source, so give your region's On-Demand price"
        )
    cpu_target = configured.cpu_target or 50.0
    b = dataclasses.replace(configured, name="(b) configured tier")
    if has_dated_events(b):
        events: list[Event] = []
        c = dataclasses.replace(b, name="(c) b + dated events (already configured)")
    else:
        events = derive_events(demand, model, b, cpu_target=cpu_target, time_zone=time_zone)
        c = with_events(b, events, "(c) b + dated events")
    d = with_predictive(b, "(d) b + predictive", cpu_target=cpu_target)
    runs = [simulate(demand.requests, demand.start, s, model) for s in (SEED_EXAMPLE, b, c, d)]
    best = oracle(
        demand.requests,
        model,
        cpu_target=cpu_target,
        min_capacity=b.min_capacity,
        max_capacity=max(b.max_capacity, *(e.max_capacity for e in events))
        if events
        else b.max_capacity,
    )
    best.name = "(e) oracle (perfect foresight)"
    runs.append(best)
    oracle_hours = float(best.billed.sum(dtype=np.int64)) / 60
    summaries = [
        summarize(r, demand, price=price, cpu_target=cpu_target, oracle_hours=oracle_hours)
        for r in runs
    ]
    return Comparison(runs=runs, summaries=summaries, events=events, cpu_target=cpu_target)


@dataclass(frozen=True)
class Recommendation:
    summary: Summary
    context: dict[str, object]
    tried: int


def recommend(
    demand: Demand,
    configured: PolicySet,
    model: CapacityModel,
    *,
    price: float,
    overload_budget_minutes: int,
    time_zone: str,
    targets: tuple[float, ...] = (40.0, 50.0, 60.0, 70.0),
    minimums: tuple[int, ...] = (2, 3),
) -> Recommendation | None:
    """The cheapest min/max/CPU target/dated events within the overload budget, or None."""
    best: tuple[float, Summary, dict[str, object]] | None = None
    tried = 0
    peak = float(np.max(demand.requests))
    for target in targets:
        need = math.ceil(peak / (model.requests_per_minute * target / 100) - 1e-9)
        for low in minimums:
            high = max(low, need)
            base = dataclasses.replace(
                configured,
                name=f"target {target:g} min {low} max {high}",
                min_capacity=low,
                max_capacity=high,
                desired_capacity=None,
                target_tracking=tuple(
                    dataclasses.replace(t, target=target) if t.metric == "cpu" else t
                    for t in configured.target_tracking
                )
                or (TargetTracking("cpu", target),),
            )
            normal = dataclasses.replace(base, max_capacity=max(low, configured.max_capacity))
            candidates: list[tuple[PolicySet, list[Event]]] = [(base, [])]
            events = derive_events(demand, model, normal, cpu_target=target, time_zone=time_zone)
            if events and not has_dated_events(configured):
                candidates.append((with_events(normal, events, f"{base.name} + events"), events))
            for policies, chosen in candidates:
                tried += 1
                run = simulate(demand.requests, demand.start, policies, model)
                summary = summarize(run, demand, price=price, cpu_target=target, oracle_hours=None)
                if summary.overload_minutes > overload_budget_minutes:
                    continue
                if best is None or summary.cost < best[0]:
                    context: dict[str, object] = {
                        "minCapacity": policies.min_capacity,
                        "maxCapacity": policies.max_capacity,
                        "cpuTargetPercent": target,
                    }
                    if chosen:
                        context["scalingEvents"] = [e.context() for e in chosen]
                    best = (summary.cost, summary, context)
    if best is None:
        return None
    return Recommendation(summary=best[1], context=best[2], tried=tried)
