"""``make plan`` / ``python -m stacks.plan``: the capacity planner on the app's configuration.

Reads cdk.json (context, the selected profile, ``-c key=value`` overrides) through the app's
own ``WebTierConfig``, so the plan is of the configuration ``cdk synth`` would deploy; or,
with ``--template``, of a synthesized template. Everything else is
``constructs_lib.planner.cli`` (``--help``).
"""

from __future__ import annotations

import datetime as dt
import inspect
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from constructs_lib import (
    InstanceOptions,
    TargetGroupOptions,
    WebAutoScalingGroup,
    WebImagePipeline,
)
from constructs_lib.planner import (
    CapacityModel,
    Event,
    PolicySet,
    Predictive,
    ScheduledAction,
    TargetTracking,
)
from constructs_lib.planner import main as planner_main
from stacks.config import WebTierConfig
from stacks.config.cli import project_context

ROOT = Path(__file__).resolve().parent.parent
_MODES = {"forecastOnly": "ForecastOnly", "forecastAndScale": "ForecastAndScale"}


def _default(function: Any, name: str) -> Any:
    """A construct argument's default: the construct owns the value, the planner reads it."""
    return inspect.signature(function).parameters[name].default


def _midnight_utc(day: dt.date, time_zone: str) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(time_zone)).astimezone(dt.UTC)


def policy_set(config: WebTierConfig, name: str = "configured") -> PolicySet:
    """The tier's scaling as ``WebTierStack`` builds it from ``config``."""
    tracking = [TargetTracking("cpu", config.cpu_target_percent)]
    if config.request_count_target is not None:
        tracking.append(TargetTracking("request_count", float(config.request_count_target)))
    predictive = None
    if config.predictive_scaling in _MODES:
        request = config.request_count_target is not None
        predictive = Predictive(
            mode=_MODES[config.predictive_scaling],
            metric="request_count" if request else "cpu",
            target=float(config.request_count_target)
            if config.request_count_target is not None
            else config.cpu_target_percent,
        )
    normal = PolicySet(
        name=name,
        min_capacity=config.min_capacity,
        max_capacity=config.max_capacity,
        desired_capacity=config.desired_capacity,
    )
    scheduled: list[ScheduledAction] = [
        ScheduledAction(
            name=schedule.name,
            recurrence=" ".join(schedule.cron.split()),
            time_zone=schedule.time_zone,
            start_time=_midnight_utc(schedule.start, schedule.time_zone)
            if schedule.start
            else None,
            end_time=_midnight_utc(schedule.end + dt.timedelta(days=1), schedule.time_zone)
            if schedule.end
            else None,
            min_capacity=schedule.min_capacity,
            max_capacity=schedule.max_capacity,
            desired_capacity=schedule.desired_capacity,
        )
        for schedule in config.scaling_schedules
    ]
    for event in config.scaling_events:
        scheduled.extend(
            Event(
                name=event.name,
                start=event.start,
                end=event.end,
                min_capacity=event.min_capacity,
                max_capacity=event.max_capacity,
                time_zone=event.time_zone,
                desired_capacity=event.desired_capacity,
                yearly=event.yearly,
            ).actions(normal)
        )
    warmup = _default(WebAutoScalingGroup.__init__, "default_instance_warmup")
    return PolicySet(
        name=name,
        min_capacity=config.min_capacity,
        max_capacity=config.max_capacity,
        desired_capacity=config.desired_capacity,
        detailed_monitoring=InstanceOptions().detailed_monitoring,
        instance_warmup_seconds=float(warmup.to_seconds()),
        target_tracking=tuple(tracking),
        predictive=predictive,
        scheduled=tuple(scheduled),
    )


def read_config(overrides: Mapping[str, str]) -> WebTierConfig:
    """The app's configuration: cdk.json's context with ``-c key=value`` overrides (strings,
    as the CDK CLI passes them), checked as ``cdk synth`` checks it."""
    project = project_context(ROOT / "cdk.json") or {}
    return WebTierConfig.from_context({**project, **overrides}, project=project)


def boot_arguments(config: WebTierConfig, rest: Sequence[str]) -> list[str]:
    """``rest`` with the launch time the configuration implies: golden-image instances
    (``imagePipeline``) skip the package installation, so unless ``--boot-seconds`` is given
    they boot ``WebImagePipeline.PACKAGE_INSTALL_SECONDS`` faster than the planner's default."""
    if not config.image_pipeline or any(a.startswith("--boot-seconds") for a in rest):
        return list(rest)
    boot = CapacityModel.boot_seconds - WebImagePipeline.PACKAGE_INSTALL_SECONDS
    return ["--boot-seconds", f"{boot:g}", *rest]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    overrides: dict[str, str] = {}
    rest: list[str] = []
    while args:
        item = args.pop(0)
        if item in ("-c", "--context") and args:
            key, _, value = args.pop(0).partition("=")
            overrides[key] = value
        else:
            rest.append(item)
    config = read_config(overrides)
    zone = config.scaling_schedules[0].time_zone if config.scaling_schedules else None
    zone = zone or (config.scaling_events[0].time_zone if config.scaling_events else "UTC")
    probe = TargetGroupOptions()
    interval, threshold = probe.health_check_interval, probe.healthy_threshold
    return planner_main(
        boot_arguments(config, rest),
        configured=policy_set(config),
        health_check=(float(interval.to_seconds()), int(threshold)),
        time_zone=zone,
        prog="python -m stacks.plan",
    )


if __name__ == "__main__":
    sys.exit(main())
