"""When scheduled actions fire, in minutes from the start of the simulation.

Auto Scaling reads a recurrence as Unix cron in the action's time zone (so a daily 08:00 in
Europe/Berlin follows daylight saving time) and fires only between StartTime and EndTime.
https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scheduled-scaling.html
A local time skipped by a spring-forward change fires an hour later (Python's fold=0 reading);
a repeated autumn hour fires once, the first time. AWS does not document either case.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from constructs_lib.planner.model import PlannerError, ScheduledAction
from constructs_lib.scaling_schedule import parse_cron


def zone(name: str, field: str) -> ZoneInfo:
    """The IANA time zone ``name``; ``PlannerError`` naming ``field`` when unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise PlannerError(
            f"{field} {name!r} is not an IANA time zone; give a name like 'UTC', "
            "'Europe/Berlin' or 'America/Sao_Paulo'"
        ) from None


def firing_minutes(action: ScheduledAction, start: dt.datetime, minutes: int) -> list[int]:
    """Minutes in ``[0, minutes)`` after ``start`` (aware) at which ``action`` fires."""
    tz = zone(action.time_zone, f"scheduled action {action.name!r} time_zone")
    try:
        cron = parse_cron(action.recurrence)
    except ValueError as problem:
        raise PlannerError(
            f"scheduled action {action.name!r} recurrence {action.recurrence!r} {problem}"
        ) from None
    end = start + dt.timedelta(minutes=minutes)
    day = start.astimezone(tz).date() - dt.timedelta(days=1)
    last = end.astimezone(tz).date() + dt.timedelta(days=1)
    times = [(h, m) for h in sorted(cron.hours) for m in sorted(cron.minutes)]
    found: set[int] = set()
    while day <= last:
        if cron.fires_on(day):
            for hour, minute in times:
                local = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
                moment = local.astimezone(dt.UTC)
                if action.start_time is not None and moment < action.start_time:
                    continue
                if action.end_time is not None and moment > action.end_time:
                    continue
                index = int((moment - start).total_seconds() // 60)
                if 0 <= index < minutes:
                    found.add(index)
        day += dt.timedelta(days=1)
    return sorted(found)
