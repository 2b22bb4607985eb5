"""Step-scaling options: every check on one policy (the group checks them as a set)."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Duration
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_cloudwatch as cloudwatch

from constructs_lib._validation import PropErrors
from constructs_lib.scaling_policies import StepScaling, check_step_scaling, metric_key

METRIC = cloudwatch.Metric(namespace="Shop", metric_name="QueueDepth")
STEPS = (
    autoscaling.ScalingInterval(upper=10, change=-1),
    autoscaling.ScalingInterval(lower=50, change=1),
)


def _problems(**changes: Any) -> list[str]:
    props: dict[str, Any] = {"name": "Queue", "metric": METRIC, "steps": STEPS, **changes}
    errors = PropErrors("test")
    check_step_scaling(errors, "step", StepScaling(**props))
    return errors.problems


def test_a_valid_policy_passes() -> None:
    assert _problems() == []
    assert _problems(evaluation_periods=3, datapoints_to_alarm=2) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "queue depth"}, "step.name 'queue depth' is not a PascalCase id"),
        ({"steps": STEPS[:1]}, "step.steps has 1 interval(s); give at least two"),
        (
            {"steps": (*STEPS, autoscaling.ScalingInterval(change=2))},
            "step.steps[2] has neither lower nor upper",
        ),
        (
            {"steps": (*STEPS, autoscaling.ScalingInterval(lower=80, upper=60, change=2))},
            "step.steps[2] lower 80 is not below upper 60",
        ),
        ({"evaluation_periods": 0}, "step.evaluation_periods 0 is out of range"),
        (
            {"evaluation_periods": 2, "datapoints_to_alarm": 3},
            "step.datapoints_to_alarm 3 exceeds evaluation_periods 2",
        ),
        (
            {"estimated_instance_warmup": Duration.hours(2)},
            "step.estimated_instance_warmup 7200s is out of range",
        ),
    ],
)
def test_bad_step_policies_are_reported(changes: dict[str, Any], message: str) -> None:
    assert any(message in p for p in _problems(**changes)), _problems(**changes)


def test_metric_key_identifies_plain_metrics_only() -> None:
    assert metric_key(METRIC) == ("Shop", "QueueDepth")
    expression = cloudwatch.MathExpression(expression="m * 2", using_metrics={"m": METRIC})
    assert metric_key(expression) is None
