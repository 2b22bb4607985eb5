"""The items of ``scalingSchedules`` and ``scalingEvents``: JSON objects to typed values.

The values themselves (cron, capacities, overlaps) are checked by their owner,
``constructs_lib.scaling_schedule.check_schedules``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from constructs_lib import OneOffSchedule, RecurringSchedule, validation
from stacks.config.values import is_blank, parse_bool, parse_date, parse_int, parse_str

_SCHEDULE_PARSERS: dict[str, Callable[[Any], Any]] = {
    "name": parse_str,
    "cron": parse_str,
    "min": parse_int,
    "max": parse_int,
    "desired": parse_int,
    "timeZone": parse_str,
    "start": parse_date,
    "end": parse_date,
}
_EVENT_PARSERS: dict[str, Callable[[Any], Any]] = {
    "name": parse_str,
    "start": parse_date,
    "end": parse_date,
    "min": parse_int,
    "max": parse_int,
    "desired": parse_int,
    "timeZone": parse_str,
    "yearly": parse_bool,
}


def _fields(
    errors: validation.PropErrors,
    arg: str,
    item: dict[str, Any],
    allowed: set[str],
    required: set[str],
) -> bool:
    unknown = sorted(set(item) - allowed)
    missing = sorted(required - set(item))
    if unknown:
        errors.add(f"{arg} has unknown field(s) {unknown}; allowed: {sorted(allowed)}")
    if missing:
        errors.add(f"{arg} is missing {missing}")
    return not unknown and not missing


def _field(
    errors: validation.PropErrors,
    arg: str,
    item: dict[str, Any],
    name: str,
    parse: Callable[[Any], Any],
) -> Any:
    raw = item.get(name)
    if is_blank(raw):
        return None
    try:
        return parse(raw)
    except (ValueError, TypeError):
        errors.add(f"{arg} field '{name}' has value {raw!r}; expected {parse.__doc__}")
        return None


def read_schedules(
    errors: validation.PropErrors, items: list[dict[str, Any]], time_zone: str
) -> list[RecurringSchedule]:
    result = []
    for index, item in enumerate(items):
        arg = f"context key 'scalingSchedules' item {index}"
        if not _fields(errors, arg, item, set(_SCHEDULE_PARSERS), {"name", "cron"}):
            continue
        values = {k: _field(errors, arg, item, k, p) for k, p in _SCHEDULE_PARSERS.items()}
        result.append(
            RecurringSchedule(
                name=values["name"] or "",
                cron=values["cron"] or "",
                min_capacity=values["min"],
                max_capacity=values["max"],
                desired_capacity=values["desired"],
                time_zone=values["timeZone"] or time_zone,
                start=values["start"],
                end=values["end"],
            )
        )
    return result


def read_events(
    errors: validation.PropErrors, items: list[dict[str, Any]], time_zone: str
) -> list[OneOffSchedule]:
    result = []
    required = {"name", "start", "end", "min", "max"}
    for index, item in enumerate(items):
        arg = f"context key 'scalingEvents' item {index}"
        if not _fields(errors, arg, item, set(_EVENT_PARSERS), required):
            continue
        values = {k: _field(errors, arg, item, k, p) for k, p in _EVENT_PARSERS.items()}
        for key in sorted(required):
            if is_blank(item[key]):  # an empty required field would drop the event silently
                errors.add(f"{arg} field '{key}' is empty; give a value")
        if any(values[k] is None for k in required):
            continue
        result.append(
            OneOffSchedule(
                name=values["name"],
                start=values["start"],
                end=values["end"],
                min_capacity=values["min"],
                max_capacity=values["max"],
                desired_capacity=values["desired"],
                time_zone=values["timeZone"] or time_zone,
                yearly=bool(values["yearly"]),
            )
        )
    return result
