"""The simulator on short hand-computed horizons.

One instance serves 100 requests/min at 100 % CPU and takes 3 minutes from launch to traffic
(boot 120 s + 2 health checks 30 s apart), so the arithmetic stays in the head.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

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
from constructs_lib.planner.predictive import forecast_load, hourly_load
from constructs_lib.planner.schedule import firing_minutes
from constructs_lib.planner.simulate import oracle, simulate

START = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
MODEL = CapacityModel(
    requests_per_minute=100.0,
    boot_seconds=120.0,
    health_check_interval_seconds=30.0,
    healthy_threshold=2,
    warm_pool_boot_seconds=0.0,
)
CPU_50 = (TargetTracking("cpu", 50.0),)


def _flat(rpm: float, minutes: int) -> np.ndarray:
    return np.full(minutes, rpm, dtype=np.float64)


def _group(**changes: object) -> PolicySet:
    base = PolicySet(
        name="test",
        min_capacity=2,
        max_capacity=10,
        detailed_monitoring=True,
        target_tracking=CPU_50,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_scale_out_after_3_one_minute_points_to_ceil_of_current_times_metric_over_target() -> None:
    # GIVEN 2 instances at 90 % CPU (180 requests/min) and a 50 % target
    run = simulate(_flat(180, 30), START, _group(), MODEL)
    # THEN the 3rd data point (minute 3) asks for ceil(2 x 90 / 50) = 4, serving 3 min later
    assert run.billed[2] == 2 and run.billed[3] == 4
    assert run.serving[5] == 2 and run.serving[6] == 4
    # and at 45 % (not below 0.9 x 50) it stays: one scaling action
    assert run.actions == 1
    assert run.cpu[10] == pytest.approx(45.0)


def test_basic_monitoring_needs_3_five_minute_points() -> None:
    run = simulate(_flat(180, 30), START, _group(detailed_monitoring=False), MODEL)
    assert run.billed[14] == 2 and run.billed[15] == 4


def test_scale_in_after_15_points_below_90_percent_of_the_target() -> None:
    # GIVEN 4 instances at 20 % CPU: ceil(4 x 20 / 50) = 2 after 15 one-minute points
    run = simulate(_flat(80, 40), START, _group(min_capacity=1, desired_capacity=4), MODEL)
    assert run.billed[14] == 4 and run.billed[15] == 2
    assert run.actions == 1  # 40 % on 2 still rounds up to 2


def test_warm_up_blocks_scale_in_and_cooldowns_do_not_apply() -> None:
    # GIVEN a burst that scales out at minute 3, then almost no demand; warm-up 30 minutes
    demand = np.concatenate([_flat(180, 3), _flat(10, 57)])
    run = simulate(demand, START, _group(instance_warmup_seconds=1800), MODEL)
    assert run.billed[3] == 4
    # THEN the new instances warm up until 3 + 3 + 30 = minute 36: no scale-in before
    assert run.billed[35] == 4 and run.billed[36] == 2
    # without warm-up the scale-in comes as soon as 15 low points are in (minute 18)
    quick = simulate(demand, START, _group(instance_warmup_seconds=0), MODEL)
    assert quick.billed[17] == 4 and quick.billed[18] == 2


def test_no_cooldown_between_target_tracking_scale_outs() -> None:
    # GIVEN 360 requests/min on 2 instances: CPU is capped at 100 %, so the first scale-out
    # (minute 3) asks for ceil(2 x 100 / 50) = 4; once they serve (minute 6) CPU reads
    # 90 % on 4: ceil(4 x 90 / 50) = 8, three minutes later (a 300 s cooldown would wait)
    run = simulate(_flat(360, 20), START, _group(), MODEL)
    assert run.billed[3] == 4 and run.billed[5] == 4 and run.billed[6] == 8


def test_min_and_max_bound_every_decision() -> None:
    run = simulate(_flat(180, 20), START, _group(max_capacity=3), MODEL)
    assert run.billed.max() == 3


def test_warm_pool_shortens_the_launch() -> None:
    assert MODEL.ready_minutes(warm_pool=False) == 3
    assert MODEL.ready_minutes(warm_pool=True) == 1  # 0 s boot + 60 s of health checks
    run = simulate(_flat(180, 20), START, _group(warm_pool=True), MODEL)
    assert run.serving[3] == 2 and run.serving[4] == 4


def test_step_scaling_counts_warming_instances_out_so_repeated_breaches_act_once() -> None:
    step = StepScalingPolicy(
        name="HighCpu",
        threshold=70.0,
        scale_out=True,
        steps=(aws.Step(lower=0.0, upper=None, adjustment=2),),
    )
    policies = _group(target_tracking=(), step_scaling=(step,), instance_warmup_seconds=600)
    run = simulate(_flat(180, 20), START, policies, MODEL)
    # 90 % >= 70 at minute 1: 2 + 2 = 4; minutes 2-3 breach again while they warm: no more
    assert run.billed[0] == 2 and run.billed[1] == 4
    assert run.actions == 1 and run.billed.max() == 4


def test_scheduled_action_raises_the_minimum_and_desired_follows() -> None:
    action = ScheduledAction(
        name="Morning", recurrence="10 0 * * *", time_zone="UTC", min_capacity=5
    )
    run = simulate(_flat(10, 20), START, _group(scheduled=(action,)), MODEL)
    assert run.billed[9] == 2 and run.billed[10] == 5


def test_schedules_follow_their_time_zone_across_daylight_saving() -> None:
    action = ScheduledAction(name="Open", recurrence="0 8 * * *", time_zone="Europe/Berlin")
    start = dt.datetime(2026, 3, 28, tzinfo=dt.UTC)  # Berlin moves to CEST on 29 March
    fired = firing_minutes(action, start, 3 * 1440)
    assert fired == [7 * 60, 1440 + 6 * 60, 2 * 1440 + 6 * 60]  # 07:00 UTC, then 06:00 UTC


def test_schedule_start_and_end_times_bound_the_recurrence() -> None:
    action = ScheduledAction(
        name="Once",
        recurrence="0 0 6 1 *",
        start_time=dt.datetime(2026, 1, 6, tzinfo=dt.UTC),
        end_time=dt.datetime(2026, 1, 6, 1, tzinfo=dt.UTC),
    )
    assert firing_minutes(action, START, 3 * 1440) == [1440]
    later = dataclasses.replace(action, start_time=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    assert firing_minutes(later, START, 3 * 1440) == []


def test_unknown_time_zone_is_an_error_naming_it() -> None:
    action = ScheduledAction(name="Open", recurrence="0 8 * * *", time_zone="Mars/Olympus")
    with pytest.raises(PlannerError, match="'Open' time_zone 'Mars/Olympus'"):
        simulate(_flat(10, 20), START, _group(scheduled=(action,)), MODEL)


def test_forecast_needs_24_hours_of_history_and_reads_the_same_hour_before() -> None:
    hourly = hourly_load(np.repeat(np.arange(1.0, 73.0), 60))  # hour h has load h + 1
    forecast = forecast_load(hourly)
    # Issued every 6 h; a forecast exists once the issue time has 24 h behind it (hour 25)
    assert np.isnan(forecast[:25]).all() and not np.isnan(forecast[25:]).any()
    # hour 30 (issued at hour 24): the same hour 1 day before (load 7) -> 7
    assert forecast[30] == pytest.approx(7.0)
    # hour 60: days 1 and 2 before (loads 37 and 13) -> 25
    assert forecast[60] == pytest.approx(25.0)


def test_forecast_reads_the_same_hour_one_and_two_weeks_back_within_14_days() -> None:
    load = np.arange(1.0, 24 * 21 + 1.0)  # hour h has load h + 1, three weeks
    forecast = forecast_load(load)
    # hour 400 (issued at 396, a week of history): hours 232 and 64 -> (233 + 65) / 2
    assert forecast[400] == pytest.approx(149.0)
    # hour 200 (one week back only within reach of two): 33 and nothing at -136 -> 33
    assert forecast[200] == pytest.approx(33.0)


def test_increase_max_capacity_lets_the_forecast_pass_the_maximum() -> None:
    demand = _flat(180, 2 * 1440)  # forecast 4 from hour 25
    honor = Predictive(mode="ForecastAndScale", metric="cpu", target=50.0)
    raise_max = dataclasses.replace(honor, increase_max_capacity=True)
    capped = simulate(
        demand, START, _group(target_tracking=(), max_capacity=3, predictive=honor), MODEL
    )
    raised = simulate(
        demand, START, _group(target_tracking=(), max_capacity=3, predictive=raise_max), MODEL
    )
    assert capped.billed.max() == 3 and raised.billed.max() == 4


def test_predictive_forecast_and_scale_launches_a_buffer_early_and_never_scales_in() -> None:
    # 3 days at 180 requests/min: the forecast is ceil(180 / 50) = 4 from hour 25 on
    demand = _flat(180, 3 * 1440)
    demand[2 * 1440 :] = 10.0  # the last day is quiet: the forecast drops, capacity stays
    predictive = Predictive(
        mode="ForecastAndScale", metric="cpu", target=50.0, scheduling_buffer_seconds=600
    )
    policies = _group(target_tracking=(), predictive=predictive)
    run = simulate(demand, START, policies, MODEL)
    assert run.billed[25 * 60 - 11] == 2 and run.billed[25 * 60 - 10] == 4
    assert run.billed[-1] == 4 and run.actions == 1
    only = simulate(
        demand,
        START,
        _group(target_tracking=(), predictive=dataclasses.replace(predictive, mode="ForecastOnly")),
        MODEL,
    )
    assert only.billed.max() == 2 and only.forecast is not None and only.forecast[30] == 4


def test_predictive_and_dynamic_together_take_the_larger() -> None:
    demand = _flat(180, 2 * 1440)
    demand[-60:] = 420.0  # the forecast says 4, demand needs ceil(2... ) more: dynamic adds
    predictive = Predictive(mode="ForecastAndScale", metric="cpu", target=50.0)
    run = simulate(demand, START, _group(predictive=predictive), MODEL)
    assert run.billed[30 * 60] == 4  # predictive holds 4 (dynamic alone would settle at 4 too)
    assert run.billed[-1] > 4  # dynamic scaled beyond the forecast when demand rose


def test_oracle_is_just_enough_each_minute_within_min_max_billed_per_minute() -> None:
    run = oracle(
        np.array([0.0, 0.0, 150.0, 150.0, 999.0]),
        MODEL,
        cpu_target=50.0,
        min_capacity=1,
        max_capacity=4,
    )
    assert run.billed.tolist() == [1, 1, 3, 3, 4]
    assert run.actions == 2
    assert run.billed.sum() / 60 == pytest.approx(12 / 60)  # instance-hours


def test_bad_capacity_model_and_policy_set_are_errors_naming_the_field() -> None:
    with pytest.raises(PlannerError, match="requests_per_minute is 0"):
        simulate(_flat(1, 5), START, _group(), dataclasses.replace(MODEL, requests_per_minute=0))
    with pytest.raises(PlannerError, match="min_capacity 5 / max_capacity 2"):
        simulate(_flat(1, 5), START, _group(min_capacity=5, max_capacity=2), MODEL)
