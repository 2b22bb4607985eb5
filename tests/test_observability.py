"""WebTierMonitoring: every alarm's metric, statistic, threshold and action; the dashboard."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Template

from constructs_lib import (
    AlarmThresholds,
    Observability,
    WebTier,
    WebTierMonitoring,
)
from constructs_lib.observability import is_burstable
from tests.conftest import new_app, new_vpc


@dataclass
class Built:
    stack: cdk.Stack
    tier: WebTier
    monitoring: WebTierMonitoring
    template: Template

    def resolve(self, value: Any) -> Any:
        return self.stack.resolve(value)

    @property
    def topic_ref(self) -> Any:
        return self.resolve(self.tier.topic.topic_arn)

    def alb_dims(self) -> dict[str, Any]:
        alb = self.tier.load_balancer
        assert isinstance(alb, elbv2.ApplicationLoadBalancer)  # its own, not a shared one
        return {"LoadBalancer": self.resolve(alb.load_balancer_full_name)}

    def tg_dims(self) -> dict[str, Any]:
        # The target group's LoadBalancer dimension is derived from its listener.
        dims = self.tier.target_group.metrics.request_count().dimensions or {}
        assert set(dims) == {"LoadBalancer", "TargetGroup"}
        assert self.resolve(dims["TargetGroup"]) == self.resolve(
            self.tier.target_group.target_group_full_name
        )
        return {name: self.resolve(value) for name, value in dims.items()}

    def asg_dims(self) -> dict[str, Any]:
        name = self.tier.auto_scaling_group.auto_scaling_group_name
        return {"AutoScalingGroupName": self.resolve(name)}

    def alarm(self, alarm: cloudwatch.Alarm | None) -> dict[str, Any]:
        assert alarm is not None
        logical_id = self.stack.get_logical_id(alarm.node.default_child)  # type: ignore[arg-type]
        props: dict[str, Any] = self.template.find_resources("AWS::CloudWatch::Alarm")[logical_id][
            "Properties"
        ]
        return props


def _build(
    *,
    instance_type: str = "t3.micro",
    thresholds: AlarmThresholds | None = None,
    alarm_email: str | None = "ops@example.com",
) -> Built:
    stack = cdk.Stack(new_app(), "Test")
    tier = WebTier(
        stack,
        "Web",
        vpc=new_vpc(stack),
        instance_type=ec2.InstanceType(instance_type),
        observability=None,
    )
    monitoring = WebTierMonitoring(
        stack,
        "Monitoring",
        load_balancer=tier.load_balancer,
        target_group=tier.target_group,
        auto_scaling_group=tier.auto_scaling_group,
        topic=tier.topic,
        instance_type=ec2.InstanceType(instance_type),
        observability=Observability(
            thresholds=thresholds or AlarmThresholds(), alarm_email=alarm_email
        ),
    )
    return Built(stack, tier, monitoring, Template.from_stack(stack))


@pytest.fixture(scope="module")
def default() -> Built:
    return _build()


@pytest.fixture(scope="module")
def custom() -> Built:
    return _build(
        instance_type="m7g.large",
        thresholds=AlarmThresholds(
            alb_5xx_rate_percent=2,
            target_5xx_rate_percent=1.5,
            error_rate_min_requests=50,
            response_time_p95=Duration.millis(400),
            response_time_p99=Duration.millis(1500),
            at_max_capacity_for=Duration.minutes(30),
            cpu_high_percent=90,
            cpu_credit_balance=50,
        ),
        alarm_email=None,
    )


def _stats(props: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The alarm's plain metrics by id: namespace, name, dimensions, statistic, period."""
    found = {}
    for entry in props["Metrics"]:
        if "MetricStat" in entry:
            stat = entry["MetricStat"]
            found[entry["Id"]] = {
                "namespace": stat["Metric"]["Namespace"],
                "name": stat["Metric"]["MetricName"],
                "dims": {d["Name"]: d["Value"] for d in stat["Metric"]["Dimensions"]},
                "stat": stat["Stat"],
                "period": stat["Period"],
                "returned": entry.get("ReturnData", True),
            }
    return found


def _expression(props: dict[str, Any]) -> str:
    (expression,) = [m for m in props["Metrics"] if "Expression" in m]
    assert expression["ReturnData"] is True
    text: str = expression["Expression"]
    return text


def _assert_common(
    b: Built,
    props: dict[str, Any],
    *,
    threshold: float,
    comparison: str,
    evaluation_periods: int,
    datapoints: int | None,
    missing: str,
) -> None:
    assert props["Threshold"] == threshold
    assert props["ComparisonOperator"] == comparison
    assert props["EvaluationPeriods"] == evaluation_periods
    assert props.get("DatapointsToAlarm") == datapoints
    assert props["TreatMissingData"] == missing
    assert props["AlarmActions"] == [b.topic_ref]
    assert props["OKActions"] == [b.topic_ref]


# --- the alarms, one by one ----------------------------------------------------------------


def test_alb_5xx_rate_is_a_percentage_of_load_balancer_requests(default: Built) -> None:
    props = default.alarm(default.monitoring.alb_5xx_rate)
    _assert_common(
        default,
        props,
        threshold=5,
        comparison="GreaterThanThreshold",
        evaluation_periods=5,
        datapoints=3,
        missing="notBreaching",
    )
    assert _expression(props) == "IF(lbrequests >= 10, 100 * FILL(lb5xx, 0) / lbrequests, 0)"
    alb = default.alb_dims()
    assert _stats(props) == {
        "lb5xx": {
            "namespace": "AWS/ApplicationELB",
            "name": "HTTPCode_ELB_5XX_Count",
            "dims": alb,
            "stat": "Sum",
            "period": 60,
            "returned": False,
        },
        "lbrequests": {
            "namespace": "AWS/ApplicationELB",
            "name": "RequestCount",
            "dims": alb,
            "stat": "Sum",
            "period": 60,
            "returned": False,
        },
    }


def test_target_5xx_rate_is_a_percentage_of_target_group_requests(default: Built) -> None:
    props = default.alarm(default.monitoring.target_5xx_rate)
    _assert_common(
        default,
        props,
        threshold=5,
        comparison="GreaterThanThreshold",
        evaluation_periods=5,
        datapoints=3,
        missing="notBreaching",
    )
    assert _expression(props) == "IF(tgrequests >= 10, 100 * FILL(tg5xx, 0) / tgrequests, 0)"
    tg = default.tg_dims()
    stats = _stats(props)
    assert stats["tg5xx"]["name"] == "HTTPCode_Target_5XX_Count"
    assert stats["tgrequests"]["name"] == "RequestCount"
    for metric in stats.values():
        assert metric["dims"] == tg
        assert (metric["namespace"], metric["stat"], metric["period"]) == (
            "AWS/ApplicationELB",
            "Sum",
            60,
        )


@pytest.mark.parametrize(("percentile", "seconds"), [("p95", 1), ("p99", 3)])
def test_response_time_percentiles(default: Built, percentile: str, seconds: float) -> None:
    alarm = getattr(default.monitoring, f"response_time_{percentile}")
    props = default.alarm(alarm)
    _assert_common(
        default,
        props,
        threshold=seconds,
        comparison="GreaterThanThreshold",
        evaluation_periods=5,
        datapoints=3,
        missing="notBreaching",
    )
    assert props["EvaluateLowSampleCountPercentile"] == "ignore"
    (metric,) = _stats(props).values()
    assert metric == {
        "namespace": "AWS/ApplicationELB",
        "name": "TargetResponseTime",
        "dims": default.tg_dims(),
        "stat": percentile,
        "period": 60,
        "returned": True,
    }


def test_unhealthy_hosts_above_zero(default: Built) -> None:
    props = default.alarm(default.monitoring.unhealthy_hosts)
    _assert_common(
        default,
        props,
        threshold=0,
        comparison="GreaterThanThreshold",
        evaluation_periods=2,
        datapoints=None,
        missing="notBreaching",
    )
    (metric,) = _stats(props).values()
    assert (metric["name"], metric["stat"], metric["period"]) == (
        "UnHealthyHostCount",
        "Maximum",
        60,
    )
    assert metric["dims"] == default.tg_dims()


def test_group_at_max_capacity_compares_in_service_with_max_size(default: Built) -> None:
    props = default.alarm(default.monitoring.at_max_capacity)
    _assert_common(
        default,
        props,
        threshold=1,
        comparison="GreaterThanOrEqualToThreshold",
        evaluation_periods=15,
        datapoints=None,
        missing="missing",
    )
    assert _expression(props) == "IF(inservice >= maxsize, 1, 0)"
    stats = _stats(props)
    assert {k: (v["namespace"], v["name"], v["stat"], v["period"]) for k, v in stats.items()} == {
        "inservice": ("AWS/AutoScaling", "GroupInServiceInstances", "Minimum", 60),
        "maxsize": ("AWS/AutoScaling", "GroupMaxSize", "Maximum", 60),
    }
    assert all(v["dims"] == default.asg_dims() for v in stats.values())


def test_cpu_high_on_the_group_average(default: Built) -> None:
    props = default.alarm(default.monitoring.cpu_high)
    _assert_common(
        default,
        props,
        threshold=80,
        comparison="GreaterThanThreshold",
        evaluation_periods=3,
        datapoints=None,
        missing="missing",
    )
    (metric,) = _stats(props).values()
    assert metric == {
        "namespace": "AWS/EC2",
        "name": "CPUUtilization",
        "dims": default.asg_dims(),
        "stat": "Average",
        "period": 300,
        "returned": True,
    }


def test_cpu_credits_low_and_not_rising_for_burstable_types(default: Built) -> None:
    props = default.alarm(default.monitoring.cpu_credits)
    _assert_common(
        default,
        props,
        threshold=1,
        comparison="GreaterThanOrEqualToThreshold",
        evaluation_periods=4,
        datapoints=3,
        missing="notBreaching",
    )
    assert _expression(props) == "IF(credits < 20 AND DIFF(credits) <= 0, 1, 0)"
    assert _stats(props) == {
        "credits": {
            "namespace": "AWS/EC2",
            "name": "CPUCreditBalance",
            "dims": default.asg_dims(),
            "stat": "Minimum",
            "period": 300,
            "returned": False,
        }
    }


def test_every_alarm_notifies_the_topic_and_is_listed(default: Built) -> None:
    m = default.monitoring
    alarms = default.template.find_resources("AWS::CloudWatch::Alarm")
    assert len(alarms) == len(m.alarms) == 8
    for props in (a["Properties"] for a in alarms.values()):
        assert props["AlarmActions"] == [default.topic_ref]
        assert props["OKActions"] == [default.topic_ref]
        assert "AlarmName" not in props  # generated: two stacks never collide
        assert len(props["AlarmDescription"]) > 30
    assert m.topic is default.tier.topic


def test_rollback_alarms_are_the_5xx_rates_and_unhealthy_hosts(default: Built) -> None:
    m = default.monitoring
    assert m.rollback_alarms == [m.alb_5xx_rate, m.target_5xx_rate, m.unhealthy_hosts]


def test_custom_thresholds_reach_the_alarms(custom: Built) -> None:
    m = custom.monitoring
    assert custom.alarm(m.alb_5xx_rate)["Threshold"] == 2
    assert _expression(custom.alarm(m.alb_5xx_rate)).startswith("IF(lbrequests >= 50,")
    assert custom.alarm(m.target_5xx_rate)["Threshold"] == 1.5
    assert _expression(custom.alarm(m.target_5xx_rate)).startswith("IF(tgrequests >= 50,")
    assert custom.alarm(m.response_time_p95)["Threshold"] == 0.4
    assert custom.alarm(m.response_time_p99)["Threshold"] == 1.5
    assert custom.alarm(m.at_max_capacity)["EvaluationPeriods"] == 30
    assert custom.alarm(m.cpu_high)["Threshold"] == 90


def test_no_credit_alarm_or_widget_for_non_burstable_types(custom: Built) -> None:
    assert custom.monitoring.cpu_credits is None
    assert len(custom.monitoring.alarms) == 7
    custom.template.resource_count_is("AWS::CloudWatch::Alarm", 7)
    widgets, _ = _dashboard(custom.template)
    assert "CPU credit balance" not in [w["properties"].get("title") for w in widgets]


@pytest.mark.parametrize(
    ("name", "burstable"),
    [
        ("t2.micro", True),
        ("t3.small", True),
        ("t3a.large", True),
        ("t4g.medium", True),
        ("m7g.large", False),
        ("c7i.xlarge", False),
        ("m5.large", False),
    ],
)
def test_burstable_families(name: str, burstable: bool) -> None:
    assert is_burstable(ec2.InstanceType(name)) is burstable


def test_email_subscription(default: Built, custom: Built) -> None:
    default.template.has_resource_properties(
        "AWS::SNS::Subscription",
        {"Protocol": "email", "Endpoint": "ops@example.com", "TopicArn": default.topic_ref},
    )
    assert default.monitoring.email_subscription is not None
    custom.template.resource_count_is("AWS::SNS::Subscription", 0)
    assert custom.monitoring.email_subscription is None


def test_no_at_max_alarm_when_switched_off(stack: cdk.Stack) -> None:
    monitoring = _imported_monitoring(
        stack, thresholds=AlarmThresholds(at_max_capacity_for=None), instance_type=None
    )
    assert monitoring.at_max_capacity is None
    assert len(monitoring.alarms) == 6
    Template.from_stack(stack).resource_count_is("AWS::CloudWatch::Alarm", 6)


def test_add_alarm_wires_the_topic_and_the_dashboard(stack: cdk.Stack) -> None:
    monitoring = _imported_monitoring(stack)
    own = cloudwatch.Alarm(
        stack,
        "Own",
        metric=cloudwatch.Metric(namespace="Shop", metric_name="Orders"),
        threshold=1,
        evaluation_periods=1,
        comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    )
    monitoring.add_alarm(own)
    template = Template.from_stack(stack)
    topic = stack.resolve(monitoring.topic.topic_arn)
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {"MetricName": "Orders", "AlarmActions": [topic], "OKActions": [topic]},
    )
    assert monitoring.alarms[-1] is own
    widgets, tokens = _dashboard(template)
    assert widgets[-1]["type"] == "metric"
    assert tokens[widgets[-1]["properties"]["annotations"]["alarms"][0]] == stack.resolve(
        own.alarm_arn
    )


# --- the dashboard -------------------------------------------------------------------------


def _dashboard(template: Template) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The dashboard's widgets, with every CloudFormation token replaced by a placeholder."""
    (dashboard,) = template.find_resources("AWS::CloudWatch::Dashboard").values()
    body = dashboard["Properties"]["DashboardBody"]
    parts = body["Fn::Join"][1] if isinstance(body, dict) else [body]
    tokens: dict[str, Any] = {}
    text = ""
    for part in parts:
        if isinstance(part, str):
            text += part
        else:
            key = f"@@{len(tokens)}@@"
            tokens[key] = part
            text += key
    widgets: list[dict[str, Any]] = json.loads(text)["widgets"]
    return widgets, tokens


def _detokenize(value: str, tokens: dict[str, Any]) -> Any:
    pieces = [p for p in re.split(r"(@@\d+@@)", value) if p]
    resolved = [tokens.get(p, p) for p in pieces]
    return resolved[0] if len(resolved) == 1 else {"Fn::Join": ["", resolved]}


def _widget_metrics(widget: dict[str, Any], tokens: dict[str, Any]) -> list[Any]:
    """(namespace, name, dims, stat) per plain metric; the expression text per expression."""
    found: list[Any] = []
    for row in widget["properties"]["metrics"]:
        options = row[-1] if isinstance(row[-1], dict) else {}
        if "expression" in options:
            found.append(options["expression"])
            continue
        namespace, name, *flat = row[:-1]
        dims = {flat[i]: _detokenize(flat[i + 1], tokens) for i in range(0, len(flat), 2)}
        # Average is the dashboard's default statistic: CDK leaves it out.
        found.append((namespace, name, dims, options.get("stat", "Average")))
    return found


def _by_title(widgets: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {w["properties"]["title"]: w for w in widgets}


def test_dashboard_starts_with_the_status_of_every_alarm(default: Built) -> None:
    widgets, tokens = _dashboard(default.template)
    status = widgets[0]
    assert status["type"] == "alarm" and status["width"] == 24
    arns = [tokens[a] for a in status["properties"]["alarms"]]
    assert arns == [default.resolve(a.alarm_arn) for a in default.monitoring.alarms]


def test_dashboard_follows_the_request_path(default: Built) -> None:
    widgets, _ = _dashboard(default.template)
    titles = [w["properties"]["title"] for w in widgets[1:]]
    assert titles == [
        "Requests and errors at the load balancer",
        "5xx rate (% of requests)",
        "Healthy and unhealthy targets",
        "Group size against min, max and desired",
        "CPU utilisation (%)",
        "Target response time (seconds)",
        "Scaling activity",
        "CPU credit balance",
    ]


def test_dashboard_widgets_graph_the_tiers_metrics(default: Built) -> None:
    widgets, tokens = _dashboard(default.template)
    by_title = _by_title(widgets[1:])
    alb, tg, asg = default.alb_dims(), default.tg_dims(), default.asg_dims()
    ns_alb, ns_asg = "AWS/ApplicationELB", "AWS/AutoScaling"

    def metrics(title: str) -> list[Any]:
        return _widget_metrics(by_title[title], tokens)

    assert metrics("Requests and errors at the load balancer") == [
        (ns_alb, "RequestCount", alb, "Sum"),
        (ns_alb, "HTTPCode_ELB_5XX_Count", alb, "Sum"),
        (ns_alb, "HTTPCode_Target_5XX_Count", tg, "Sum"),
        (ns_alb, "HTTPCode_ELB_4XX_Count", alb, "Sum"),
    ]
    assert metrics("5xx rate (% of requests)") == [
        "IF(lbrequests >= 10, 100 * FILL(lb5xx, 0) / lbrequests, 0)",
        (ns_alb, "HTTPCode_ELB_5XX_Count", alb, "Sum"),
        (ns_alb, "RequestCount", alb, "Sum"),
        "IF(tgrequests >= 10, 100 * FILL(tg5xx, 0) / tgrequests, 0)",
        (ns_alb, "HTTPCode_Target_5XX_Count", tg, "Sum"),
        (ns_alb, "RequestCount", tg, "Sum"),
    ]
    assert metrics("Healthy and unhealthy targets") == [
        (ns_alb, "HealthyHostCount", tg, "Minimum"),
        (ns_alb, "UnHealthyHostCount", tg, "Maximum"),
    ]
    assert metrics("Group size against min, max and desired") == [
        (ns_asg, name, asg, "Average")
        for name in (
            "GroupInServiceInstances",
            "GroupDesiredCapacity",
            "GroupMinSize",
            "GroupMaxSize",
        )
    ]
    assert metrics("CPU utilisation (%)") == [
        ("AWS/EC2", "CPUUtilization", asg, "Average"),
        ("AWS/EC2", "CPUUtilization", asg, "Maximum"),
    ]
    assert metrics("Target response time (seconds)") == [
        (ns_alb, "TargetResponseTime", tg, p) for p in ("p50", "p95", "p99")
    ]
    assert metrics("Scaling activity") == [
        (ns_asg, "GroupPendingInstances", asg, "Maximum"),
        (ns_asg, "GroupTerminatingInstances", asg, "Maximum"),
    ]
    assert metrics("CPU credit balance") == [("AWS/EC2", "CPUCreditBalance", asg, "Minimum")]


def test_dashboard_marks_the_alarm_thresholds(custom: Built) -> None:
    widgets, _ = _dashboard(custom.template)
    by_title = _by_title(widgets[1:])

    def lines(title: str) -> list[float]:
        return [a["value"] for a in by_title[title]["properties"]["annotations"]["horizontal"]]

    assert lines("5xx rate (% of requests)") == [2, 1.5]
    assert lines("CPU utilisation (%)") == [90]
    assert lines("Target response time (seconds)") == [0.4, 1.5]


# --- validation ----------------------------------------------------------------------------


def _imported_monitoring(
    stack: cdk.Stack,
    *,
    thresholds: AlarmThresholds | None = None,
    alarm_email: str | None = None,
    dashboard_name: str | None = None,
    instance_type: str | None = "t3.micro",
) -> WebTierMonitoring:
    """Monitoring of resources that live elsewhere: cheap, and proves imports work."""
    alb_arn = (
        "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/0123456789abcdef"
    )
    alb = elbv2.ApplicationLoadBalancer.from_application_load_balancer_attributes(
        stack, "Alb", load_balancer_arn=alb_arn, security_group_id="sg-0123456789abcdef0"
    )
    target_group = elbv2.ApplicationTargetGroup.from_target_group_attributes(
        stack,
        "Tg",
        target_group_arn="arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/web/0123456789abcdef",
        load_balancer_arns=alb_arn,
    )
    return WebTierMonitoring(
        stack,
        "Monitoring",
        load_balancer=alb,
        target_group=target_group,
        auto_scaling_group=autoscaling.AutoScalingGroup.from_auto_scaling_group_name(
            stack, "Asg", "web"
        ),
        topic=sns.Topic.from_topic_arn(stack, "Topic", "arn:aws:sns:eu-west-1:111111111111:ops"),
        instance_type=ec2.InstanceType(instance_type) if instance_type else None,
        observability=Observability(
            thresholds=thresholds or AlarmThresholds(),
            alarm_email=alarm_email,
            dashboard_name=dashboard_name,
        ),
    )


@pytest.mark.parametrize(
    ("thresholds", "message"),
    [
        (AlarmThresholds(alb_5xx_rate_percent=0), r"thresholds.alb_5xx_rate_percent 0 is not a"),
        (AlarmThresholds(alb_5xx_rate_percent=101), r"alb_5xx_rate_percent 101 is not a percent"),
        (AlarmThresholds(target_5xx_rate_percent=-1), r"target_5xx_rate_percent -1 is not a"),
        (AlarmThresholds(cpu_high_percent=150), r"thresholds.cpu_high_percent 150 is not a"),
        (AlarmThresholds(error_rate_min_requests=0), r"error_rate_min_requests 0 is not a whole"),
        (
            AlarmThresholds(response_time_p95=Duration.seconds(0)),
            r"thresholds.response_time_p95 0 s is out of range",
        ),
        (
            AlarmThresholds(response_time_p99=Duration.seconds(4001)),
            r"thresholds.response_time_p99 4001 s is out of range",
        ),
        (
            AlarmThresholds(
                response_time_p95=Duration.seconds(2), response_time_p99=Duration.seconds(1)
            ),
            r"response_time_p99 1 s is below response_time_p95 2 s",
        ),
        (
            AlarmThresholds(at_max_capacity_for=Duration.seconds(90)),
            r"at_max_capacity_for 90s is not whole minutes",
        ),
        (
            AlarmThresholds(at_max_capacity_for=Duration.days(2)),
            r"at_max_capacity_for 172800s is not whole minutes from 1 to 1440",
        ),
        (
            AlarmThresholds(at_max_capacity_for=Duration.seconds(0)),
            r"at_max_capacity_for 0s is not whole minutes",
        ),
        (
            AlarmThresholds(at_max_capacity_for=Duration.millis(61500)),
            r"at_max_capacity_for 61.5s is not whole minutes",
        ),
        (AlarmThresholds(cpu_credit_balance=0), r"cpu_credit_balance 0 is not a positive"),
        (
            AlarmThresholds(cpu_credit_balance=float("nan")),
            r"cpu_credit_balance nan is not a positive",
        ),
    ],
)
def test_bad_thresholds_are_refused(
    stack: cdk.Stack, thresholds: AlarmThresholds, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _imported_monitoring(stack, thresholds=thresholds)


def test_thresholds_must_be_alarm_thresholds(stack: cdk.Stack) -> None:
    with pytest.raises(TypeError, match=r"thresholds \{'cpu_high_percent': 90\} is a dict; give"):
        _imported_monitoring(stack, thresholds={"cpu_high_percent": 90})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"error_rate_min_requests": 2.5}, r"error_rate_min_requests 2.5 is a float; give an int"),
        ({"at_max_capacity_for": 15}, r"at_max_capacity_for 15 is an int; give Duration or None"),
        ({"response_time_p95": 1}, r"response_time_p95 1 is an int; give Duration"),
    ],
)
def test_wrong_threshold_types_fail_where_the_thresholds_are_written(
    fields: dict[str, object], message: str
) -> None:
    with pytest.raises(TypeError, match="AlarmThresholds: " + message):
        AlarmThresholds(**fields)  # type: ignore[arg-type]


def test_sub_second_latency_thresholds(stack: cdk.Stack) -> None:
    monitoring = _imported_monitoring(
        stack,
        thresholds=AlarmThresholds(
            response_time_p95=Duration.millis(250.5), response_time_p99=Duration.millis(900)
        ),
    )
    template = Template.from_stack(stack)
    for alarm, seconds in (
        (monitoring.response_time_p95, 0.2505),
        (monitoring.response_time_p99, 0.9),
    ):
        logical_id = stack.get_logical_id(alarm.node.default_child)  # type: ignore[arg-type]
        props = template.find_resources("AWS::CloudWatch::Alarm")[logical_id]["Properties"]
        assert props["Threshold"] == seconds


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("ops", r"alarm_email 'ops' is not an e-mail address"),
        ("a@b@example.com", r"alarm_email 'a@b@example.com' is not an e-mail address"),
        ("ops@example.com, dev@example.com", r"is not an e-mail address; give one address"),
        ("Ops <ops@example.com>", r"has an invalid part before '@'"),
        ("ops..team@example.com", r"has an invalid part before '@'"),
        ("ops@localhost", r"domain 'localhost' needs at least two labels"),
        ("ops@exa_mple.com", r"invalid label 'exa_mple'"),
    ],
)
def test_bad_alarm_email_is_refused(stack: cdk.Stack, email: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _imported_monitoring(stack, alarm_email=email)


def test_bad_dashboard_name_is_refused(stack: cdk.Stack) -> None:
    with pytest.raises(ValueError, match=r"dashboard_name 'web tier' is not a dashboard name"):
        _imported_monitoring(stack, dashboard_name="web tier")


def test_all_problems_are_reported_together(stack: cdk.Stack) -> None:
    with pytest.raises(ValueError) as raised:
        _imported_monitoring(
            stack,
            thresholds=AlarmThresholds(cpu_high_percent=0, cpu_credit_balance=-1),
            alarm_email="nope",
        )
    text = str(raised.value)
    assert "3 invalid props" in text
    for arg in ("cpu_high_percent", "cpu_credit_balance", "alarm_email"):
        assert arg in text
    assert stack.node.try_find_child("Monitoring") is not None  # raised before any child
    assert stack.node.find_child("Monitoring").node.children == []


def test_imported_resources_and_a_named_dashboard(stack: cdk.Stack) -> None:
    _imported_monitoring(stack, dashboard_name="web-tier")
    template = Template.from_stack(stack)
    template.has_resource_properties("AWS::CloudWatch::Dashboard", {"DashboardName": "web-tier"})
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {"AlarmActions": ["arn:aws:sns:eu-west-1:111111111111:ops"], "Threshold": 80},
    )
