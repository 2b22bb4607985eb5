"""The Auto Scaling rules the planner replays, each against a hand-computed case.

GIVEN the numbers of the AWS documentation's examples (cited in constructs_lib/planner/aws.py)
WHEN the rule computes THEN it gives the documented result.
"""

from __future__ import annotations

import pytest

from constructs_lib.planner import aws


@pytest.mark.parametrize(
    ("current", "metric", "target", "expected"),
    [
        (2, 90.0, 50.0, 4),  # 2 x 90 / 50 = 3.6 -> 4
        (3, 40.0, 50.0, 3),  # 2.4 -> 3
        (4, 20.0, 50.0, 2),  # 1.6 -> 2
        (10, 50.0, 50.0, 10),  # exactly at the target: no change (no float creep)
        (4, 1500.0, 1000.0, 6),  # requests per target: 4 x 1.5 = 6
    ],
)
def test_target_tracking_capacity_is_proportional_and_rounded_up(
    current: int, metric: float, target: float, expected: int
) -> None:
    assert aws.target_tracking_capacity(current, metric, target) == expected


def test_target_tracking_alarms_3_points_out_15_points_in_at_90_percent() -> None:
    assert (aws.SCALE_OUT_DATAPOINTS, aws.SCALE_IN_DATAPOINTS) == (3, 15)
    assert aws.SCALE_IN_THRESHOLD_RATIO == 0.9
    assert not aws.alarm_fires(2, aws.SCALE_OUT_DATAPOINTS)
    assert aws.alarm_fires(3, aws.SCALE_OUT_DATAPOINTS)


def test_basic_monitoring_gives_5_minute_cpu_points_the_alb_metric_is_per_minute() -> None:
    assert aws.metric_period_minutes(detailed_monitoring=False, metric="cpu") == 5
    assert aws.metric_period_minutes(detailed_monitoring=True, metric="cpu") == 1
    assert aws.metric_period_minutes(detailed_monitoring=False, metric="request_count") == 1


@pytest.mark.parametrize(
    ("change", "expected"), [(12.7, 12), (0.67, 1), (-0.58, -1), (-6.67, -6), (0.0, 0)]
)
def test_percent_change_rounding_as_documented(change: float, expected: int) -> None:
    assert aws.round_percent_change(change) == expected


def test_adjustment_types_and_min_adjustment_magnitude() -> None:
    # 25 % of 4 is 1; MinAdjustmentMagnitude 2 makes it 2 (the API reference's example).
    assert aws.adjusted_capacity(4, 25, aws.PERCENT_CHANGE_IN_CAPACITY, 2) == 6
    assert aws.adjusted_capacity(4, 25, aws.PERCENT_CHANGE_IN_CAPACITY) == 5
    assert aws.adjusted_capacity(10, -33, aws.PERCENT_CHANGE_IN_CAPACITY) == 7  # -3.3 -> -3
    assert aws.adjusted_capacity(4, -1, aws.CHANGE_IN_CAPACITY) == 3
    assert aws.adjusted_capacity(4, 7, aws.EXACT_CAPACITY) == 7
    with pytest.raises(ValueError, match="adjustment_type 'Double'"):
        aws.adjusted_capacity(4, 1, "Double")


def test_step_bounds_inclusive_above_the_threshold_exclusive_below() -> None:
    steps = [
        aws.Step(lower=None, upper=-10, adjustment=-1),
        aws.Step(lower=0, upper=10, adjustment=1),
        aws.Step(lower=10, upper=None, adjustment=3),
    ]
    # Threshold 50: 60 is in [10, inf) (lower inclusive above the threshold).
    assert aws.step_for(steps, 60, 50) == steps[2]
    assert aws.step_for(steps, 59.9, 50) == steps[1]
    assert aws.step_for(steps, 50, 50) == steps[1]
    # Below: (-inf, -10] holds 40 (upper inclusive below the threshold).
    assert aws.step_for(steps, 40, 50) == steps[0]
    assert aws.step_for(steps, 45, 50) is None


def test_combined_policies_out_if_any_in_only_if_all_predictive_the_larger() -> None:
    assert aws.combine_scale_out(4, [3, 6, 5]) == 6
    assert aws.combine_scale_out(4, [3, 4]) is None
    assert aws.combine_scale_in(6, [3, 4]) == 4  # the largest of the proposals
    assert aws.combine_scale_in(6, [3, None]) is None  # one policy not ready: no scale-in
    assert aws.with_predictive(3, 5) == 5
    assert aws.with_predictive(7, 5) == 7
    assert aws.clamp(9, 2, 6) == 6
    assert aws.clamp(1, 2, 6) == 2


def test_per_second_billing_has_a_60_second_minimum() -> None:
    assert aws.billed_seconds(30) == 60
    assert aws.billed_seconds(61.5) == 61.5
