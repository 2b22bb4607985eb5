"""Alarms, a dashboard and e-mail notifications for the web tier.

What the seed's flow looks like from CloudWatch: requests and errors at the load balancer,
healthy and unhealthy targets, the Auto Scaling Group's size against its bounds, CPU,
latency percentiles and scaling activity. Alarms notify one SNS topic; the 5xx and
unhealthy-host alarms are the ones an instance refresh rolls back on (``rollback_alarms``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from aws_cdk import Duration
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_sns as sns
from constructs import Construct

from constructs_lib._validation import (
    PropErrors,
    check_email,
    is_token,
    parent_checked,
    typed_arguments,
    typed_fields,
)

# Burstable families that earn and spend CPU credits (t1 is previous-generation, not offered).
_BURSTABLE = re.compile(r"^t(?:2|3|3a|4g)\.")

_ONE_MINUTE = Duration.minutes(1)
_FIVE_MINUTES = Duration.minutes(5)
# CloudWatch limit: evaluation periods x period <= one day.
_MAX_EVALUATION_MINUTES = 24 * 60
# An ALB waits at most its idle timeout (up to 4000 s) for a target's response.
_MAX_RESPONSE_TIME_MS = 4000 * 1000


def is_burstable(instance_type: ec2.InstanceType) -> bool:
    """True for t2, t3, t3a and t4g types, the ones that run on CPU credits."""
    name = instance_type.to_string()
    return not is_token(name) and bool(_BURSTABLE.match(name))


@dataclass(frozen=True)
@typed_fields
class AlarmThresholds:
    """When ``WebTierMonitoring``'s alarms fire. Every field has a default.

    :param alb_5xx_rate_percent: 5xx responses the load balancer itself returns (502/503/504
        when targets fail or are missing), as a percentage of its requests, in (0, 100].
        Alarms when above in 3 of 5 one-minute periods. Default: 5.
    :param target_5xx_rate_percent: 5xx responses the instances return, as a percentage of
        the target group's requests, in (0, 100]. Alarms when above in 3 of 5 one-minute
        periods. Default: 5.
    :param error_rate_min_requests: Requests a minute needs before its 5xx rate counts, at
        least 1, so that 1 failure out of 2 requests at night is not a 50 % outage.
        Default: 10.
    :param response_time_p95: Target response time the 95th percentile may reach; alarms
        when above in 3 of 5 one-minute periods. Default: 1 second.
    :param response_time_p99: Same for the 99th percentile, at least ``response_time_p95``.
        Default: 3 seconds.
    :param at_max_capacity_for: How long the group may sit at its maximum size (in-service
        instances >= max size) before alarming: whole minutes, 1-1440. ``None`` creates no
        alarm (sensible when min = max). Default: 15 minutes.
    :param cpu_high_percent: Average CPU of the group, in (0, 100], that alarms when
        exceeded for three five-minute periods in a row. Default: 80.
    :param cpu_credit_balance: For burstable instance types only: alarms when the lowest
        instance's CPU credit balance is below this many credits and not rising, in 3 of 4
        five-minute periods. Default: 20.
    """

    alb_5xx_rate_percent: float = 5
    target_5xx_rate_percent: float = 5
    error_rate_min_requests: int = 10
    response_time_p95: Duration = Duration.seconds(1)
    response_time_p99: Duration = Duration.seconds(3)
    at_max_capacity_for: Duration | None = Duration.minutes(15)
    cpu_high_percent: float = 80
    cpu_credit_balance: float = 20


def check_alarm_thresholds(errors: PropErrors, thresholds: AlarmThresholds) -> None:
    """Adds an error for every threshold out of its range (see ``AlarmThresholds``)."""
    if not isinstance(thresholds, AlarmThresholds):
        errors.add(f"thresholds {thresholds!r} is not an AlarmThresholds; e.g. AlarmThresholds()")
        return
    t = thresholds
    for name, value in (
        ("alb_5xx_rate_percent", t.alb_5xx_rate_percent),
        ("target_5xx_rate_percent", t.target_5xx_rate_percent),
        ("cpu_high_percent", t.cpu_high_percent),
    ):
        if is_token(value):
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 100:
            errors.add(
                f"thresholds.{name} {value!r} is not a percentage in (0, 100]; e.g. 5 for 5 %"
            )
    requests = t.error_rate_min_requests
    if isinstance(requests, bool) or not isinstance(requests, int) or requests < 1:
        errors.add(
            f"thresholds.error_rate_min_requests {requests!r} is not a whole number of at "
            "least 1; e.g. 10 requests a minute"
        )
    latencies: dict[str, float] = {}
    for name, duration in (
        ("response_time_p95", t.response_time_p95),
        ("response_time_p99", t.response_time_p99),
    ):
        if not isinstance(duration, Duration):
            errors.add(
                f"thresholds.{name} {duration!r} is not a Duration; e.g. Duration.seconds(1)"
            )
            continue
        millis = duration.to_milliseconds(integral=False)
        if is_token(millis):
            continue
        if not 0 < millis <= _MAX_RESPONSE_TIME_MS:
            errors.add(
                f"thresholds.{name} {millis / 1000:g} s is out of range; give a Duration above 0 "
                "and at most 4000 s (the longest an ALB waits), e.g. Duration.seconds(1)"
            )
            continue
        latencies[name] = millis
    if len(latencies) == 2 and latencies["response_time_p99"] < latencies["response_time_p95"]:
        errors.add(
            f"thresholds.response_time_p99 {latencies['response_time_p99'] / 1000:g} s is below "
            f"response_time_p95 {latencies['response_time_p95'] / 1000:g} s; a 99th percentile is "
            "never faster than the 95th, so give p99 >= p95"
        )
    if t.at_max_capacity_for is not None and not isinstance(t.at_max_capacity_for, Duration):
        errors.add(
            f"thresholds.at_max_capacity_for {t.at_max_capacity_for!r} is not a Duration; "
            "e.g. Duration.minutes(15), or None for no alarm"
        )
    elif t.at_max_capacity_for is not None:
        seconds = t.at_max_capacity_for.to_milliseconds(integral=False) / 1000
        if not is_token(seconds) and (
            seconds % 60 or not 60 <= seconds <= _MAX_EVALUATION_MINUTES * 60
        ):
            errors.add(
                f"thresholds.at_max_capacity_for {seconds:g}s is not whole minutes from 1 to "
                "1440; e.g. Duration.minutes(15), or None for no alarm"
            )
    credits = t.cpu_credit_balance
    if not is_token(credits) and (
        isinstance(credits, bool)
        or not isinstance(credits, (int, float))
        or not math.isfinite(credits)
        or credits <= 0
    ):
        errors.add(
            f"thresholds.cpu_credit_balance {credits!r} is not a positive number of credits; "
            "e.g. 20"
        )


@dataclass(frozen=True)
@typed_fields
class Observability:
    """Alarms and a dashboard, for ``WebTier(observability=...)`` (``None`` there: none) and
    ``WebTierMonitoring(observability=...)``.

    :param thresholds: When alarms fire. Default: ``AlarmThresholds()`` (5 % 5xx, p95 1 s,
        p99 3 s, 15 min at max size, 80 % CPU, 20 CPU credits); ``WebTier`` leaves the
        at-max-size alarm out when the group's minimum equals its maximum (a fixed-size group
        is always at its maximum).
    :param alarm_email: One address subscribed to the alarms' topic (it receives everything
        the topic gets, Auto Scaling notifications included, and must confirm the
        subscription). Default: no subscription.
    :param dashboard_name: The dashboard's name. Default: generated by CloudFormation,
        unique per stack.
    """

    thresholds: AlarmThresholds = field(default_factory=lambda: AlarmThresholds())
    alarm_email: str | None = None
    dashboard_name: str | None = None

    def check(self, errors: PropErrors) -> None:
        """The thresholds, the address and the dashboard's name."""
        check_alarm_thresholds(errors, self.thresholds)
        if self.alarm_email is not None:
            check_email(errors, "alarm_email", self.alarm_email)
        name = self.dashboard_name
        if (
            name is not None
            and not is_token(name)
            and not re.fullmatch(r"[A-Za-z0-9_-]{1,255}", name)
        ):
            errors.add(
                f"dashboard_name {name!r} is not a dashboard name; use 1-255 "
                "letters, digits, '-' and '_'"
            )


DEFAULT_OBSERVABILITY = Observability()


class WebTierMonitoring(Construct):
    """CloudWatch alarms and a dashboard for a load balancer, target group and group.

    Creates one alarm per signal, each notifying ``topic`` when it fires and when it
    clears: ``alb_5xx_rate`` and ``target_5xx_rate`` (5xx responses as a percentage of
    requests, metric math), ``response_time_p95`` and ``response_time_p99``,
    ``unhealthy_hosts`` (any unhealthy target for two minutes), ``at_max_capacity`` (group
    pinned at its maximum size; needs the group's metrics collection, which
    ``WebAutoScalingGroup`` turns on), ``cpu_high``, and for burstable instance types
    ``cpu_credits``. ``alarms`` lists them all, ``rollback_alarms`` the ones an instance
    refresh should roll back on (5xx rates and unhealthy hosts). ``dashboard`` shows the
    request path from load balancer to instances. Add your own alarms with ``add_alarm``.

    The topic's policy must let ``cloudwatch.amazonaws.com`` publish (``EncryptedTopic``
    does).
    """

    @typed_arguments
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        load_balancer: elbv2.IApplicationLoadBalancer,
        target_group: elbv2.IApplicationTargetGroup,
        auto_scaling_group: autoscaling.IAutoScalingGroup,
        topic: sns.ITopic,
        instance_type: ec2.InstanceType | None = None,
        observability: Observability = DEFAULT_OBSERVABILITY,
    ) -> None:
        """
        :param load_balancer: The Application Load Balancer in front of the group.
        :param target_group: The target group the group's instances are registered in.
        :param auto_scaling_group: The group; its metrics collection must be on for the
            group-size alarm and widgets.
        :param topic: Where alarms notify (alarm and OK), e.g. ``EncryptedTopic.topic``.
        :param instance_type: The instances' type; a burstable one (t2, t3, t3a, t4g) adds
            the CPU credit alarm and widget. Default: none, no CPU credit alarm.
        :param observability: Thresholds, an e-mail subscription and the dashboard's name
            (``Observability``). Default: ``Observability()``, the default thresholds, no
            subscription, a generated dashboard name.
        """
        super().__init__(scope, construct_id)
        errors = PropErrors("WebTierMonitoring")
        if not parent_checked():  # a parent (WebTier) ran this check already
            self.check(errors, observability)
        errors.raise_if_any()
        thresholds, alarm_email = observability.thresholds, observability.alarm_email
        dashboard_name = observability.dashboard_name

        self.topic = topic
        self.thresholds = thresholds
        self._action = cloudwatch_actions.SnsAction(topic)
        self.email_subscription: sns.Subscription | None = None
        if alarm_email is not None:
            self.email_subscription = sns.Subscription(
                self,
                "AlarmEmail",
                topic=topic,
                protocol=sns.SubscriptionProtocol.EMAIL,
                endpoint=alarm_email,
            )

        metrics = _Metrics(load_balancer, target_group, auto_scaling_group)
        self._metrics = metrics
        self.alarms: list[cloudwatch.Alarm] = []

        self.alb_5xx_rate = self._alarm(
            "Alb5xxRate",
            metric=metrics.alb_5xx_rate(thresholds.error_rate_min_requests),
            threshold=thresholds.alb_5xx_rate_percent,
            evaluation_periods=5,
            datapoints_to_alarm=3,
            # An idle load balancer publishes nothing: no requests, nothing failing.
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            description=(
                f"Load balancer 5xx above {thresholds.alb_5xx_rate_percent:g} % of requests "
                "in 3 of 5 minutes: targets failing, timing out or missing."
            ),
        )
        self.target_5xx_rate = self._alarm(
            "Target5xxRate",
            metric=metrics.target_5xx_rate(thresholds.error_rate_min_requests),
            threshold=thresholds.target_5xx_rate_percent,
            evaluation_periods=5,
            datapoints_to_alarm=3,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            description=(
                f"Instances answer 5xx to more than {thresholds.target_5xx_rate_percent:g} % "
                "of requests in 3 of 5 minutes: the application is failing."
            ),
        )
        self.response_time_p95 = self._latency_alarm(
            "ResponseTimeP95", "p95", thresholds.response_time_p95
        )
        self.response_time_p99 = self._latency_alarm(
            "ResponseTimeP99", "p99", thresholds.response_time_p99
        )
        self.unhealthy_hosts = self._alarm(
            "UnhealthyHosts",
            metric=metrics.unhealthy_hosts(),
            threshold=0,
            evaluation_periods=2,
            # Published every minute while targets are registered; a gap is no evidence of
            # an unhealthy target (the group-size widgets show an empty group).
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            description=(
                "At least one target failed its load balancer health checks for 2 minutes."
            ),
        )
        self.at_max_capacity: cloudwatch.Alarm | None = None
        if thresholds.at_max_capacity_for is not None:
            minutes = int(thresholds.at_max_capacity_for.to_milliseconds() // 60_000)
            self.at_max_capacity = self._alarm(
                "AtMaxCapacity",
                metric=metrics.at_max_capacity(),
                threshold=1,
                comparison=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                evaluation_periods=minutes,
                # Without group metrics collection this stays INSUFFICIENT_DATA, visibly,
                # instead of reporting OK; short gaps keep the current state.
                treat_missing_data=cloudwatch.TreatMissingData.MISSING,
                description=(
                    f"The group has run at its maximum size for {minutes} minutes: it cannot "
                    "scale out further. Raise the maximum or look at the load."
                ),
            )
        self.cpu_high = self._alarm(
            "CpuHigh",
            metric=metrics.cpu(),
            threshold=thresholds.cpu_high_percent,
            evaluation_periods=3,
            # A gap in five-minute EC2 metrics says nothing about load: keep the state.
            treat_missing_data=cloudwatch.TreatMissingData.MISSING,
            description=(
                f"Average CPU of the group above {thresholds.cpu_high_percent:g} % for 15 "
                "minutes, despite scaling."
            ),
        )
        self.cpu_credits: cloudwatch.Alarm | None = None
        self.burstable = instance_type is not None and is_burstable(instance_type)
        if self.burstable:
            self.cpu_credits = self._alarm(
                "CpuCredits",
                metric=metrics.cpu_credits_exhausted(thresholds.cpu_credit_balance),
                threshold=1,
                comparison=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                # DIFF has no value for the first period of the window it is evaluated over;
                # 3 of 4 still needs 15 minutes of exhaustion whether or not that one counts.
                evaluation_periods=4,
                datapoints_to_alarm=3,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
                description=(
                    f"An instance's CPU credit balance is below "
                    f"{thresholds.cpu_credit_balance:g} and not rising in 3 of 4 five-minute "
                    "periods: "
                    "standard mode throttles it to its baseline, unlimited mode bills the "
                    "surplus. New instances start with few credits but earn them while idle, "
                    "so they alone do not fire this."
                ),
            )

        self.dashboard = cloudwatch.Dashboard(
            self,
            "Dashboard",
            dashboard_name=dashboard_name,
            default_interval=Duration.hours(3),
        )
        self._build_dashboard()

    @property
    def rollback_alarms(self) -> list[cloudwatch.Alarm]:
        """The alarms an instance refresh should roll back on: 5xx rates, unhealthy hosts."""
        return [self.alb_5xx_rate, self.target_5xx_rate, self.unhealthy_hosts]

    @staticmethod
    def check(errors: PropErrors, observability: Observability) -> None:
        """Every argument that can be wrong (``Observability.check``): what the constructor
        runs first, and what ``WebTier`` runs before it builds anything."""
        observability.check(errors)

    def add_alarm(self, alarm: cloudwatch.Alarm) -> None:
        """Notify ``topic`` when ``alarm`` fires and clears, and show it on the dashboard."""
        alarm.add_alarm_action(self._action)
        alarm.add_ok_action(self._action)
        self.alarms.append(alarm)
        self.dashboard.add_widgets(cloudwatch.AlarmWidget(alarm=alarm, width=12, height=6))

    def _alarm(
        self,
        construct_id: str,
        *,
        metric: cloudwatch.IMetric,
        threshold: float,
        evaluation_periods: int,
        treat_missing_data: cloudwatch.TreatMissingData,
        description: str,
        datapoints_to_alarm: int | None = None,
        comparison: cloudwatch.ComparisonOperator = (
            cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD
        ),
        low_sample_percentiles: str | None = None,
    ) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            metric=metric,
            threshold=threshold,
            comparison_operator=comparison,
            evaluation_periods=evaluation_periods,
            datapoints_to_alarm=datapoints_to_alarm,
            treat_missing_data=treat_missing_data,
            evaluate_low_sample_count_percentile=low_sample_percentiles,
            alarm_description=description,
        )
        alarm.add_alarm_action(self._action)
        alarm.add_ok_action(self._action)
        self.alarms.append(alarm)
        return alarm

    def _latency_alarm(
        self, construct_id: str, percentile: str, limit: Duration
    ) -> cloudwatch.Alarm:
        seconds = limit.to_milliseconds(integral=False) / 1000
        return self._alarm(
            construct_id,
            metric=self._metrics.response_time(percentile),
            threshold=seconds,
            evaluation_periods=5,
            datapoints_to_alarm=3,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            # A percentile of a handful of requests is noise: keep the state until there
            # are enough samples for it to mean something.
            low_sample_percentiles="ignore",
            description=(
                f"{percentile} target response time above {seconds:g} s in 3 of 5 minutes."
            ),
        )

    def _build_dashboard(self) -> None:
        m = self._metrics
        t = self.thresholds
        self.dashboard.add_widgets(
            cloudwatch.AlarmStatusWidget(alarms=list(self.alarms), title="Alarms", width=24)
        )
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="Requests and errors at the load balancer",
                left=[m.alb_requests(), m.alb_5xx(), m.target_5xx(), m.alb_4xx()],
                width=12,
            ),
            cloudwatch.GraphWidget(
                title="5xx rate (% of requests)",
                left=[
                    m.alb_5xx_rate(t.error_rate_min_requests),
                    m.target_5xx_rate(t.error_rate_min_requests),
                ],
                left_annotations=[
                    cloudwatch.HorizontalAnnotation(
                        value=t.alb_5xx_rate_percent, label="load balancer alarm"
                    ),
                    cloudwatch.HorizontalAnnotation(
                        value=t.target_5xx_rate_percent, label="target alarm"
                    ),
                ],
                left_y_axis=cloudwatch.YAxisProps(min=0, max=100, show_units=False),
                width=12,
            ),
        )
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="Healthy and unhealthy targets",
                left=[m.healthy_hosts(), m.unhealthy_hosts()],
                left_y_axis=cloudwatch.YAxisProps(min=0),
                width=12,
            ),
            cloudwatch.GraphWidget(
                title="Group size against min, max and desired",
                left=[
                    m.group("GroupInServiceInstances", "Average", "in service"),
                    m.group("GroupDesiredCapacity", "Average", "desired"),
                    m.group("GroupMinSize", "Average", "min"),
                    m.group("GroupMaxSize", "Average", "max"),
                ],
                left_y_axis=cloudwatch.YAxisProps(min=0),
                width=12,
            ),
        )
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="CPU utilisation (%)",
                left=[m.cpu(), m.cpu("Maximum", "busiest instance")],
                left_annotations=[
                    cloudwatch.HorizontalAnnotation(value=t.cpu_high_percent, label="alarm")
                ],
                left_y_axis=cloudwatch.YAxisProps(min=0, max=100, show_units=False),
                width=12,
            ),
            cloudwatch.GraphWidget(
                title="Target response time (seconds)",
                left=[m.response_time("p50"), m.response_time("p95"), m.response_time("p99")],
                left_annotations=[
                    cloudwatch.HorizontalAnnotation(
                        value=t.response_time_p95.to_milliseconds(integral=False) / 1000,
                        label="p95 alarm",
                    ),
                    cloudwatch.HorizontalAnnotation(
                        value=t.response_time_p99.to_milliseconds(integral=False) / 1000,
                        label="p99 alarm",
                    ),
                ],
                left_y_axis=cloudwatch.YAxisProps(min=0),
                width=12,
            ),
        )
        activity = cloudwatch.GraphWidget(
            title="Scaling activity",
            left=[
                m.group("GroupPendingInstances", "Maximum", "launching"),
                m.group("GroupTerminatingInstances", "Maximum", "terminating"),
            ],
            left_y_axis=cloudwatch.YAxisProps(min=0),
            width=12,
        )
        if self.burstable:
            self.dashboard.add_widgets(
                activity,
                cloudwatch.GraphWidget(
                    title="CPU credit balance",
                    left=[m.cpu_credit_balance("Minimum", "lowest instance")],
                    left_annotations=[
                        cloudwatch.HorizontalAnnotation(value=t.cpu_credit_balance, label="alarm")
                    ],
                    left_y_axis=cloudwatch.YAxisProps(min=0),
                    width=12,
                ),
            )
        else:
            self.dashboard.add_widgets(activity)


class _Metrics:
    """The metrics of one web tier, built fresh for each use (a widget may restyle them)."""

    def __init__(
        self,
        load_balancer: elbv2.IApplicationLoadBalancer,
        target_group: elbv2.IApplicationTargetGroup,
        auto_scaling_group: autoscaling.IAutoScalingGroup,
    ) -> None:
        self._lb = load_balancer.metrics
        self._tg = target_group.metrics
        self._group_name = auto_scaling_group.auto_scaling_group_name

    def alb_requests(self) -> cloudwatch.Metric:
        return self._lb.request_count(period=_ONE_MINUTE, statistic="Sum", label="requests")

    def alb_5xx(self) -> cloudwatch.Metric:
        return self._lb.http_code_elb(
            elbv2.HttpCodeElb.ELB_5XX_COUNT,
            period=_ONE_MINUTE,
            statistic="Sum",
            label="load balancer 5xx",
        )

    def alb_4xx(self) -> cloudwatch.Metric:
        return self._lb.http_code_elb(
            elbv2.HttpCodeElb.ELB_4XX_COUNT,
            period=_ONE_MINUTE,
            statistic="Sum",
            label="load balancer 4xx",
        )

    def target_requests(self) -> cloudwatch.Metric:
        return self._tg.request_count(period=_ONE_MINUTE, statistic="Sum")

    def target_5xx(self) -> cloudwatch.Metric:
        return self._tg.http_code_target(
            elbv2.HttpCodeTarget.TARGET_5XX_COUNT,
            period=_ONE_MINUTE,
            statistic="Sum",
            label="target 5xx",
        )

    def alb_5xx_rate(self, min_requests: int) -> cloudwatch.MathExpression:
        return _error_rate(
            "load balancer 5xx %",
            errors=("lb5xx", self.alb_5xx()),
            requests=("lbrequests", self.alb_requests()),
            min_requests=min_requests,
        )

    def target_5xx_rate(self, min_requests: int) -> cloudwatch.MathExpression:
        return _error_rate(
            "target 5xx %",
            errors=("tg5xx", self.target_5xx()),
            requests=("tgrequests", self.target_requests()),
            min_requests=min_requests,
        )

    def response_time(self, percentile: str) -> cloudwatch.Metric:
        return self._tg.target_response_time(
            period=_ONE_MINUTE, statistic=percentile, label=percentile
        )

    def healthy_hosts(self) -> cloudwatch.Metric:
        return self._tg.healthy_host_count(period=_ONE_MINUTE, statistic="Minimum", label="healthy")

    def unhealthy_hosts(self) -> cloudwatch.Metric:
        return self._tg.unhealthy_host_count(
            period=_ONE_MINUTE, statistic="Maximum", label="unhealthy"
        )

    def group(self, name: str, statistic: str, label: str) -> cloudwatch.Metric:
        return cloudwatch.Metric(
            namespace="AWS/AutoScaling",
            metric_name=name,
            dimensions_map={"AutoScalingGroupName": self._group_name},
            statistic=statistic,
            period=_ONE_MINUTE,
            label=label,
        )

    def at_max_capacity(self) -> cloudwatch.MathExpression:
        # Minimum in service over the minute: at max for the whole minute, not a blip.
        return cloudwatch.MathExpression(
            expression="IF(inservice >= maxsize, 1, 0)",
            using_metrics={
                "inservice": self.group("GroupInServiceInstances", "Minimum", "in service"),
                "maxsize": self.group("GroupMaxSize", "Maximum", "max"),
            },
            label="at max size (1 = yes)",
            period=_ONE_MINUTE,
        )

    def _ec2(self, name: str, statistic: str, label: str) -> cloudwatch.Metric:
        return cloudwatch.Metric(
            namespace="AWS/EC2",
            metric_name=name,
            dimensions_map={"AutoScalingGroupName": self._group_name},
            statistic=statistic,
            period=_FIVE_MINUTES,
            label=label,
        )

    def cpu(self, statistic: str = "Average", label: str = "average") -> cloudwatch.Metric:
        return self._ec2("CPUUtilization", statistic, label)

    def cpu_credit_balance(self, statistic: str, label: str) -> cloudwatch.Metric:
        return self._ec2("CPUCreditBalance", statistic, label)

    def cpu_credits_exhausted(self, balance: float) -> cloudwatch.MathExpression:
        # Low alone would fire on every launch (t3/t3a/t4g start with no credits in
        # unlimited mode); low and not rising means an instance spends what it earns.
        return cloudwatch.MathExpression(
            expression=f"IF(credits < {balance:g} AND DIFF(credits) <= 0, 1, 0)",
            using_metrics={"credits": self.cpu_credit_balance("Minimum", "lowest balance")},
            label="credits exhausted (1 = yes)",
            period=_FIVE_MINUTES,
        )


def _error_rate(
    label: str,
    *,
    errors: tuple[str, cloudwatch.IMetric],
    requests: tuple[str, cloudwatch.IMetric],
    min_requests: int,
) -> cloudwatch.MathExpression:
    # The ALB publishes no 5xx datapoint in a minute without 5xx (FILL makes it 0), and
    # minutes below min_requests count as 0 % so a single failure at night is not an outage.
    (errors_id, errors_metric), (requests_id, requests_metric) = errors, requests
    return cloudwatch.MathExpression(
        expression=(
            f"IF({requests_id} >= {min_requests}, 100 * FILL({errors_id}, 0) / {requests_id}, 0)"
        ),
        using_metrics={errors_id: errors_metric, requests_id: requests_metric},
        label=label,
        period=_ONE_MINUTE,
    )
