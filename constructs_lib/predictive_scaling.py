"""Predictive scaling: capacity scheduled ahead from the group's own history.

aws-cdk-lib has no L2 for predictive scaling policies, so this module is the one place that
builds an L1 ``CfnScalingPolicy`` (PolicyType ``PredictiveScaling``). It starts in
``ForecastOnly`` mode (forecasts are visible in the console, nothing scales) and switches to
``ForecastAndScale`` with one argument. Combine it with target tracking on the same metric:
predictive scaling raises capacity ahead of the daily/weekly pattern, target tracking
handles what the forecast missed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from aws_cdk import Duration, Fn
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from constructs import Construct

from constructs_lib._validation import (
    PropErrors,
    check_duration_seconds,
    check_number,
    typed_arguments,
    typed_fields,
)


class PredictiveMode(enum.Enum):
    """Whether the forecast only shows (``ForecastOnly``) or also scales."""

    FORECAST_ONLY = "ForecastOnly"
    FORECAST_AND_SCALE = "ForecastAndScale"


class MaxCapacityBreach(enum.Enum):
    """What happens when the forecast exceeds the group's maximum."""

    HONOR_MAX_CAPACITY = "HonorMaxCapacity"
    INCREASE_MAX_CAPACITY = "IncreaseMaxCapacity"


@dataclass(frozen=True)
@typed_fields
class PredictiveMetric:
    """The load/scaling metric pair the forecast uses; build with the static methods.

    ``predefined`` is an Auto Scaling predefined pair (``ASGCPUUtilization``,
    ``ASGNetworkIn``, ``ASGNetworkOut``, ``ALBRequestCount``) or ``None`` for a custom pair.
    """

    predefined: str | None
    target_group: elbv2.ApplicationTargetGroup | None = None
    load_metric: cloudwatch.Metric | None = None
    scaling_metric: cloudwatch.Metric | None = None
    capacity_metric: cloudwatch.Metric | None = None

    @staticmethod
    def cpu() -> PredictiveMetric:
        """Average CPU utilisation of the group (target in percent)."""
        return PredictiveMetric("ASGCPUUtilization")

    @staticmethod
    def network_in() -> PredictiveMetric:
        """Average bytes received per instance (target in bytes)."""
        return PredictiveMetric("ASGNetworkIn")

    @staticmethod
    def network_out() -> PredictiveMetric:
        """Average bytes sent per instance (target in bytes)."""
        return PredictiveMetric("ASGNetworkOut")

    @staticmethod
    def request_count(
        target_group: elbv2.ApplicationTargetGroup | None = None,
    ) -> PredictiveMetric:
        """ALB requests per target (target in requests per target per minute).

        Without ``target_group``, ``WebAutoScalingGroup`` uses the group's one target group.
        """
        return PredictiveMetric("ALBRequestCount", target_group=target_group)

    @staticmethod
    def custom(
        *,
        load_metric: cloudwatch.Metric,
        scaling_metric: cloudwatch.Metric,
        capacity_metric: cloudwatch.Metric | None = None,
    ) -> PredictiveMetric:
        """Your own pair: ``load_metric`` is the group's total load (statistic Sum),
        ``scaling_metric`` the per-instance average the target applies to; optionally
        ``capacity_metric``, the group's capacity."""
        return PredictiveMetric(
            None,
            load_metric=load_metric,
            scaling_metric=scaling_metric,
            capacity_metric=capacity_metric,
        )

    @property
    def is_percentage(self) -> bool:
        return self.predefined == "ASGCPUUtilization"


@dataclass(frozen=True)
@typed_fields
class PredictiveScalingOptions:
    """Settings of a ``PredictiveScaling`` policy (see its parameters)."""

    metric: PredictiveMetric = field(default_factory=PredictiveMetric.cpu)
    target_value: float = 50
    mode: PredictiveMode = PredictiveMode.FORECAST_ONLY
    scheduling_buffer: Duration | None = None
    max_capacity_breach: MaxCapacityBreach = MaxCapacityBreach.HONOR_MAX_CAPACITY
    max_capacity_buffer_percent: int | None = None


def check_predictive(errors: PropErrors, prefix: str, options: PredictiveScalingOptions) -> None:
    """Target value (a percentage for CPU), buffer 0-3600 s, breach buffer only with increase.

    ``prefix`` names the options in messages (``"predictive_scaling."``, or ``""`` for flat props).
    """
    metric, target = options.metric, options.target_value
    if check_number(errors, f"{prefix}target_value", target):
        if metric.is_percentage and not 0 < target <= 100:
            errors.add(
                f"{prefix}target_value {target!r} is not a percentage in (0, 100]; "
                "the CPU pair's target is average CPU, e.g. 50"
            )
        elif target <= 0:
            errors.add(f"{prefix}target_value {target!r} must be greater than 0")
    if metric.predefined is None and (metric.load_metric is None or metric.scaling_metric is None):
        errors.add(f"{prefix}metric needs both load_metric and scaling_metric for a custom pair")
    if options.scheduling_buffer is not None:
        check_duration_seconds(
            errors, f"{prefix}scheduling_buffer", options.scheduling_buffer, low=0, high=3600
        )
    buffer = options.max_capacity_buffer_percent
    if buffer is not None:
        if options.max_capacity_breach is not MaxCapacityBreach.INCREASE_MAX_CAPACITY:
            errors.add(
                f"{prefix}max_capacity_buffer_percent {buffer!r} needs max_capacity_breach "
                "INCREASE_MAX_CAPACITY; with HONOR_MAX_CAPACITY the maximum never moves"
            )
        elif isinstance(buffer, bool) or not isinstance(buffer, int) or not 0 <= buffer <= 100:
            errors.add(
                f"{prefix}max_capacity_buffer_percent {buffer!r} is out of range; give a whole "
                "number from 0 to 100"
            )


def _metric_stat(
    query_id: str, metric: cloudwatch.Metric
) -> autoscaling.CfnScalingPolicy.MetricDataQueryProperty:
    dimensions = [
        autoscaling.CfnScalingPolicy.MetricDimensionProperty(name=name, value=str(value))
        for name, value in sorted((metric.dimensions or {}).items())
    ]
    return autoscaling.CfnScalingPolicy.MetricDataQueryProperty(
        id=query_id,
        return_data=True,
        metric_stat=autoscaling.CfnScalingPolicy.MetricStatProperty(
            stat=metric.statistic,
            metric=autoscaling.CfnScalingPolicy.MetricProperty(
                metric_name=metric.metric_name,
                namespace=metric.namespace,
                dimensions=dimensions or None,
            ),
        ),
    )


def _metric_specification(
    metric: PredictiveMetric, target_value: float
) -> autoscaling.CfnScalingPolicy.PredictiveScalingMetricSpecificationProperty:
    policy = autoscaling.CfnScalingPolicy
    if metric.predefined is not None:
        label = None
        if metric.target_group is not None:
            # app/<alb>/<id>/targetgroup/<tg>/<id>, as the L2 request-count policy builds it
            label = Fn.join(
                "/",
                [
                    metric.target_group.first_load_balancer_full_name,
                    metric.target_group.target_group_full_name,
                ],
            )
        return policy.PredictiveScalingMetricSpecificationProperty(
            target_value=target_value,
            predefined_metric_pair_specification=policy.PredictiveScalingPredefinedMetricPairProperty(
                predefined_metric_type=metric.predefined, resource_label=label
            ),
        )
    assert metric.load_metric is not None and metric.scaling_metric is not None
    capacity = None
    if metric.capacity_metric is not None:
        capacity = policy.PredictiveScalingCustomizedCapacityMetricProperty(
            metric_data_queries=[_metric_stat("capacity", metric.capacity_metric)]
        )
    return policy.PredictiveScalingMetricSpecificationProperty(
        target_value=target_value,
        customized_load_metric_specification=policy.PredictiveScalingCustomizedLoadMetricProperty(
            metric_data_queries=[_metric_stat("load", metric.load_metric)]
        ),
        customized_scaling_metric_specification=policy.PredictiveScalingCustomizedScalingMetricProperty(
            metric_data_queries=[_metric_stat("scaling", metric.scaling_metric)]
        ),
        customized_capacity_metric_specification=capacity,
    )


class PredictiveScaling(Construct):
    """A predictive scaling policy on a group (``policy``, an L1 ``CfnScalingPolicy``).

    Forecasts load from up to 14 days of the metric's history and, in
    ``ForecastAndScale`` mode, raises the group's capacity ahead of it so instances are warm
    when the load arrives. It never scales in: pair it with target tracking.
    """

    @typed_arguments
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        auto_scaling_group: autoscaling.IAutoScalingGroup,
        metric: PredictiveMetric | None = None,
        target_value: float = 50,
        mode: PredictiveMode = PredictiveMode.FORECAST_ONLY,
        scheduling_buffer: Duration | None = None,
        max_capacity_breach: MaxCapacityBreach = MaxCapacityBreach.HONOR_MAX_CAPACITY,
        max_capacity_buffer_percent: int | None = None,
    ) -> None:
        """
        :param auto_scaling_group: The group to forecast for.
        :param metric: Load/scaling metric pair. Default: ``PredictiveMetric.cpu()``.
        :param target_value: Per-instance value capacity is planned for (percent for CPU,
            requests per target per minute for request count). Default: 50.
        :param mode: Default: ``FORECAST_ONLY`` (forecast visible, no scaling); use
            ``FORECAST_AND_SCALE`` once the forecast looks right.
        :param scheduling_buffer: How long before the forecast load instances launch,
            0-3600 s. Default: Auto Scaling's (300 s).
        :param max_capacity_breach: Default: ``HONOR_MAX_CAPACITY`` (the maximum is a hard
            limit); ``INCREASE_MAX_CAPACITY`` lets the forecast raise it.
        :param max_capacity_buffer_percent: With ``INCREASE_MAX_CAPACITY``, headroom above the
            forecast in percent, 0-100. Default: none (the maximum rises to the forecast).
        """
        super().__init__(scope, construct_id)
        self.options = PredictiveScalingOptions(
            metric=metric or PredictiveMetric.cpu(),
            target_value=target_value,
            mode=mode,
            scheduling_buffer=scheduling_buffer,
            max_capacity_breach=max_capacity_breach,
            max_capacity_buffer_percent=max_capacity_buffer_percent,
        )
        errors = PropErrors("PredictiveScaling")
        check_predictive(errors, "", self.options)
        if self.options.metric.predefined == "ALBRequestCount" and metric is not None:
            errors.check(
                metric.target_group is not None,
                "metric request_count() needs the target group whose requests it counts",
            )
        errors.raise_if_any()

        buffer_seconds = None
        if scheduling_buffer is not None:
            buffer_seconds = int(scheduling_buffer.to_seconds())
        # L1 on purpose: aws-cdk-lib 2.275 has no L2 for PredictiveScaling policies.
        self.policy = autoscaling.CfnScalingPolicy(
            self,
            "Resource",
            auto_scaling_group_name=auto_scaling_group.auto_scaling_group_name,
            policy_type="PredictiveScaling",
            predictive_scaling_configuration=autoscaling.CfnScalingPolicy.PredictiveScalingConfigurationProperty(
                metric_specifications=[_metric_specification(self.options.metric, target_value)],
                mode=mode.value,
                scheduling_buffer_time=buffer_seconds,
                max_capacity_breach_behavior=max_capacity_breach.value,
                max_capacity_buffer=max_capacity_buffer_percent,
            ),
        )
