"""Scheduled capacity: recurring schedules (cron + time zone) and a calendar of dated events.

Demand follows the hour, the weekday and the season. ``RecurringSchedule`` covers the hour and
the weekday (night scale-in, weekday peaks); ``OneOffSchedule`` covers the season (a toy shop
at Christmas): dated, it expands into a raise at its start and a return to the group's normal
capacity after its last day. Both go in one ``schedules`` list. ``check_schedules`` validates
all of them together against the group's normal capacity; ``ScalingSchedule`` creates the
scheduled actions (L2 ``ScheduledAction``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from aws_cdk import aws_autoscaling as autoscaling
from constructs import Construct

from constructs_lib._acknowledge import acknowledge
from constructs_lib._validation import (
    PropErrors,
    check_int_range,
    parent_checked,
    typed_arguments,
    typed_fields,
)
from constructs_lib.capacity import MAX_GROUP_SIZE, check_capacities

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,62}\Z")
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    )
}
_DAYS = {d: i for i, d in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"])}
# (field, low, high, names) in Unix cron order, as Auto Scaling's Recurrence expects.
_CRON_FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day-of-month", 1, 31, {}),
    ("month", 1, 12, _MONTHS),
    ("day-of-week", 0, 7, _DAYS),
)
# The CDK warns that an end time makes Auto Scaling delete the action once it has passed.
_END_TIME_WARNING = "@aws-cdk/aws-autoscaling:scheduledActionWithEndTime"


@dataclass(frozen=True)
@typed_fields
class RecurringSchedule:
    """A capacity change on a cron schedule, e.g. every weekday at 08:00 in Europe/Berlin.

    :param name: Short id, letters/digits/hyphens starting with a letter (it names the
        construct, so keep it stable), e.g. ``"WeekdayPeak"``.
    :param cron: Five-field Unix cron (minute hour day-of-month month day-of-week), e.g.
        ``"0 8 * * MON-FRI"``.
    :param min_capacity: New minimum. Default: unchanged.
    :param max_capacity: New maximum. Default: unchanged.
    :param desired_capacity: New desired size. Default: unchanged (scaling decides).
    :param time_zone: IANA time zone of ``cron``. Default: ``"UTC"``.
    :param start: First day the schedule may fire (00:00 in ``time_zone``). Default: now.
    :param end: Last day the schedule may fire (inclusive). Default: forever. Auto Scaling
        deletes the action once this has passed; remove it from the code then.
    """

    name: str
    cron: str
    min_capacity: int | None = None
    max_capacity: int | None = None
    desired_capacity: int | None = None
    time_zone: str = "UTC"
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
@typed_fields
class OneOffSchedule:
    """A dated capacity change such as a peak: capacity raised from ``start`` 00:00 through
    the end of ``end``, then back to the group's normal capacity (``yearly`` repeats it on the
    same dates every year).

    :param name: Short id, letters/digits/hyphens starting with a letter, e.g.
        ``"Christmas"``.
    :param start: First day of the raised capacity (00:00 in ``time_zone``).
    :param end: Last day of the raised capacity (inclusive); the group returns to its normal
        capacity at 00:00 the day after.
    :param min_capacity: Minimum during the event.
    :param max_capacity: Maximum during the event.
    :param desired_capacity: Desired size at the start. Default: unset (at least the new
        minimum; scaling decides the rest).
    :param time_zone: IANA time zone of the dates. Default: ``"UTC"``.
    :param yearly: Repeat every year on the same dates (the year is ignored). Default: once,
        in the year given; Auto Scaling deletes the actions afterwards, so remove past events.
    """

    name: str
    start: dt.date
    end: dt.date
    min_capacity: int
    max_capacity: int
    desired_capacity: int | None = None
    time_zone: str = "UTC"
    yearly: bool = False


# One item of a ``schedules`` list.
AnySchedule = RecurringSchedule | OneOffSchedule


@dataclass(frozen=True)
class _Cron:
    """A parsed five-field cron expression (the sets of values each field matches)."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    day_restricted: bool
    weekday_restricted: bool

    def fires_on(self, day: dt.date) -> bool:
        """Whether the schedule fires at some time on ``day`` (Unix day-or-weekday rule)."""
        if day.month not in self.months:
            return False
        by_day = day.day in self.days
        by_weekday = (day.weekday() + 1) % 7 in self.weekdays
        if self.day_restricted and self.weekday_restricted:
            return by_day or by_weekday
        if self.day_restricted:
            return by_day
        if self.weekday_restricted:
            return by_weekday
        return True


def parse_cron(expression: str) -> _Cron:
    """Parses a Unix cron expression; raises ``ValueError`` saying what is wrong."""
    if not isinstance(expression, str):
        raise ValueError("is not a string")
    parts = expression.split()
    if len(parts) != 5:
        raise ValueError(
            f"has {len(parts)} field(s); give five: minute hour day-of-month month "
            "day-of-week, e.g. '0 8 * * MON-FRI'"
        )
    values = [
        _parse_cron_field(part, *spec) for part, spec in zip(parts, _CRON_FIELDS, strict=True)
    ]
    weekdays = frozenset(0 if d == 7 else d for d in values[4])
    cron = _Cron(
        minutes=values[0],
        hours=values[1],
        days=values[2],
        months=values[3],
        weekdays=weekdays,
        day_restricted=parts[2] != "*",
        weekday_restricted=parts[4] != "*",
    )
    leap_year = dt.date(2028, 1, 1)
    if not any(cron.fires_on(leap_year + dt.timedelta(days=n)) for n in range(366)):
        raise ValueError("never fires (no calendar day matches its day and month fields)")
    return cron


def _is_ascii_number(token: str) -> bool:
    """'0'-'9' only: ``str.isdigit`` also takes '٣' or '³', which Auto Scaling does not."""
    return token.isascii() and token.isdigit()


def _parse_cron_field(
    text: str, name: str, low: int, high: int, names: dict[str, int]
) -> frozenset[int]:
    def number(token: str) -> int:
        upper = token.upper()
        if upper in names:
            return names[upper]
        if not _is_ascii_number(token):
            hint = " ('?', 'L', 'W' and '#' are not Unix cron)" if token in "?LW#" else ""
            raise ValueError(f"{name} field {text!r} has {token!r}, not a number{hint}")
        value = int(token)
        if not low <= value <= high:
            raise ValueError(f"{name} field {text!r} has {value}, outside {low}-{high}")
        return value

    result: set[int] = set()
    for item in text.split(","):
        body, _, step_text = item.partition("/")
        step = 1
        if step_text:
            if not _is_ascii_number(step_text) or int(step_text) == 0:
                raise ValueError(f"{name} field {text!r} has step {step_text!r}; give 1 or more")
            step = int(step_text)
        if body == "*":
            first, last = low, high
        elif "-" in body:
            start_text, _, end_text = body.partition("-")
            first, last = number(start_text), number(end_text)
            if first > last:
                raise ValueError(f"{name} field {text!r} has range {body!r} that runs backwards")
        else:
            first = number(body)
            last = high if step_text else first
        result.update(range(first, last + 1, step))
    return frozenset(result)


def check_time_zone(errors: PropErrors, arg: str, value: str) -> bool:
    """An IANA time-zone name that the tz database knows, e.g. ``Europe/Berlin``."""
    if not isinstance(value, str) or value not in _known_time_zones():
        errors.add(
            f"{arg} {value!r} is not an IANA time zone; give a name like 'UTC', "
            "'Europe/Berlin' or 'America/New_York'"
        )
        return False
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        errors.add(f"{arg} {value!r} has no tz data on this machine")
        return False
    return True


@cache
def _known_time_zones() -> frozenset[str]:
    # Read once per process: available_timezones() walks the tz database's files on every
    # call (≈ 16 ms), and configurations are checked many times in one process (tests).
    return frozenset(available_timezones() | {"UTC"})


@dataclass(frozen=True)
class _Window:
    """Where an event's raised capacity is in force, in dates (end exclusive)."""

    name: str
    start: dt.date
    end: dt.date
    min_capacity: int
    max_capacity: int

    def undone_by(self, schedule: RecurringSchedule) -> bool:
        """Whether ``schedule`` firing inside the window changes the event's capacity."""
        low, high = self.min_capacity, self.max_capacity
        desired = schedule.desired_capacity
        return (
            (schedule.min_capacity is not None and schedule.min_capacity != low)
            or (schedule.max_capacity is not None and schedule.max_capacity != high)
            or (desired is not None and not low <= desired <= high)
        )


def _event_windows(event: OneOffSchedule, years: Sequence[int]) -> list[_Window]:
    if not event.yearly:
        return [
            _Window(
                event.name,
                event.start,
                event.end + dt.timedelta(days=1),
                event.min_capacity,
                event.max_capacity,
            )
        ]
    windows = []
    span = event.end - event.start
    for year in years:
        try:
            start = event.start.replace(year=year)
        except ValueError:  # 29 February in a common year
            continue
        end = start + span + dt.timedelta(days=1)
        windows.append(_Window(event.name, start, end, event.min_capacity, event.max_capacity))
    return windows


def today() -> dt.date:
    """Today's date in UTC, for the "not in the past" rule (tests pin it)."""
    return dt.datetime.now(dt.UTC).date()


def split_schedules(
    schedules: Sequence[AnySchedule],
) -> tuple[list[RecurringSchedule], list[OneOffSchedule]]:
    """The recurring and the one-off schedules of one ``schedules`` list, each in order."""
    recurring = [s for s in schedules if isinstance(s, RecurringSchedule)]
    return recurring, [s for s in schedules if isinstance(s, OneOffSchedule)]


def check_schedules(
    errors: PropErrors,
    *,
    schedules: Sequence[AnySchedule],
    min_capacity: int,
    max_capacity: int,
    arg: str = "schedules",
    item_args: Sequence[str] | None = None,
) -> None:
    """Checks every recurring and one-off schedule, and all of them together.

    ``arg`` names the list in messages (``schedules[2]``); ``item_args`` names each item
    instead, e.g. by the configuration key it came from.

    Each one: valid name, cron and time zone, capacities within [0, 1000], and
    min <= desired <= max once applied (unchanged values are the group's normal ones). Together:
    unique names, no two recurring schedules with the same cron and time zone active on the
    same days, no events that
    overlap, and no recurring schedule firing on a day inside an event with a min/max other than
    the event's (or a desired size outside them): it would undo the event.
    """
    if isinstance(schedules, str | RecurringSchedule | OneOffSchedule):
        errors.add(f"{arg} {schedules!r} is not a list; give a list of schedules")
        return
    labels = list(item_args) if item_args is not None else []
    labels += [f"{arg}[{index}]" for index in range(len(labels), len(schedules))]
    recurring: list[tuple[str, RecurringSchedule]] = []
    events: list[tuple[str, OneOffSchedule]] = []
    for item_arg, item in zip(labels, schedules, strict=False):
        if isinstance(item, RecurringSchedule):
            recurring.append((item_arg, item))
        elif isinstance(item, OneOffSchedule):
            events.append((item_arg, item))
        else:
            errors.add(f"{item_arg} {item!r} is neither a RecurringSchedule nor a OneOffSchedule")
    seen: dict[str, str] = {}
    crons: dict[tuple[str, str], list[RecurringSchedule]] = {}
    parsed: list[tuple[str, RecurringSchedule, _Cron]] = []

    def check_name(arg: str, name: str) -> None:
        if not isinstance(name, str) or not _NAME.match(name):
            errors.add(
                f"{arg}.name {name!r} is not a valid name; use letters, digits and hyphens "
                "starting with a letter (at most 63), e.g. 'WeekdayPeak'"
            )
        elif name in seen:
            errors.add(f"{arg}.name {name!r} is already used by {seen[name]}; names must be unique")
        else:
            seen[name] = arg

    def check_sizes(
        arg: str, new_min: int | None, new_max: int | None, new_desired: int | None
    ) -> None:
        ok = True
        for field_name, value in (
            ("min_capacity", new_min),
            ("max_capacity", new_max),
            ("desired_capacity", new_desired),
        ):
            if value is not None:
                ok = (
                    check_int_range(
                        errors, f"{arg}.{field_name}", value, low=0, high=MAX_GROUP_SIZE
                    )
                    and ok
                )
        if not ok:
            return
        low = min_capacity if new_min is None else new_min
        high = max_capacity if new_max is None else new_max
        if low > high:
            errors.add(
                f"{arg} leaves the group with min {low} > max {high}; give "
                "min_capacity <= max_capacity (unchanged values are the group's normal ones)"
            )
        elif new_desired is not None and not low <= new_desired <= high:
            errors.add(
                f"{arg}.desired_capacity {new_desired} is outside [min {low}, max {high}] "
                "after the change; give a value in that range or leave it unset"
            )

    for arg, schedule in recurring:
        check_name(arg, schedule.name)
        zone_ok = check_time_zone(errors, f"{arg}.time_zone", schedule.time_zone)
        if (
            schedule.min_capacity is None
            and schedule.max_capacity is None
            and schedule.desired_capacity is None
        ):
            errors.add(
                f"{arg} {schedule.name!r} changes nothing; give min_capacity, max_capacity "
                "and/or desired_capacity"
            )
        check_sizes(arg, schedule.min_capacity, schedule.max_capacity, schedule.desired_capacity)
        if schedule.start and schedule.end and schedule.end < schedule.start:
            errors.add(
                f"{arg}.end {schedule.end} is before its start {schedule.start}; "
                "swap them or fix the dates"
            )
        try:
            cron = parse_cron(schedule.cron)
        except ValueError as problem:
            errors.add(f"{arg}.cron {schedule.cron!r} {problem}")
            continue
        key = (" ".join(schedule.cron.split()).upper(), schedule.time_zone)
        twin = next(
            (other for other in crons.get(key, []) if _active_together(schedule, other)), None
        )
        if zone_ok and twin is not None:
            errors.add(
                f"{arg} {schedule.name!r} fires at the same times as {twin.name!r} "
                f"({schedule.cron!r} in {schedule.time_zone}); merge them into one schedule"
            )
        crons.setdefault(key, []).append(schedule)
        parsed.append((arg, schedule, cron))

    windows: list[_Window] = []
    valid_events = [
        e for _, e in events if isinstance(e.start, dt.date) and isinstance(e.end, dt.date)
    ]
    years = sorted({y for e in valid_events for y in (e.start.year, e.end.year)})
    years = list(range(years[0] - 1, years[-1] + 2)) if years else []
    event_label: dict[str, str] = {}
    for arg, event in events:
        event_label.setdefault(event.name, arg)
        check_name(arg, event.name)
        check_time_zone(errors, f"{arg}.time_zone", event.time_zone)
        for field_name in ("min_capacity", "max_capacity"):
            if getattr(event, field_name) is None:
                errors.add(f"{arg}.{field_name} is missing; an event raises both min and max")
        check_sizes(arg, event.min_capacity, event.max_capacity, event.desired_capacity)
        if not isinstance(event.start, dt.date) or not isinstance(event.end, dt.date):
            errors.add(f"{arg} needs start and end dates, e.g. 2026-12-01 and 2026-12-26")
            continue
        if isinstance(event.start, dt.datetime) or isinstance(event.end, dt.datetime):
            errors.add(f"{arg} start/end must be dates (whole days), not date-times")
            continue
        if event.end < event.start:
            errors.add(
                f"{arg} {event.name!r} ends ({event.end}) before it starts ({event.start}); "
                "swap the dates"
            )
            continue
        if not event.yearly and event.end < today():
            errors.add(
                f"{arg} {event.name!r} ended on {event.end}, in the past; Auto Scaling refuses "
                "actions dated in the past: remove it (or make it yearly)"
            )
            continue
        if event.yearly and (event.end - event.start).days >= 365:
            errors.add(f"{arg} {event.name!r} is yearly but lasts a year or more; shorten it")
            continue
        windows.extend(_event_windows(event, years))

    windows.sort(key=lambda w: (w.start, w.name))
    reported: set[tuple[str, str]] = set()
    for i, first in enumerate(windows):
        for second in windows[i + 1 :]:
            if second.start >= first.end:
                break
            pair = (first.name, second.name)
            if first.name != second.name and pair not in reported:
                reported.add(pair)
                errors.add(
                    f"{event_label[second.name]} {first.name!r} and {second.name!r} overlap from "
                    f"{second.start}; events must not overlap (merge them or move one)"
                )

    for schedule_arg, schedule, cron in parsed:
        for window in windows:
            if not window.undone_by(schedule):
                continue
            first_day = max(window.start, schedule.start or window.start)
            last_day = window.end - dt.timedelta(days=1)
            if schedule.end is not None:
                last_day = min(last_day, schedule.end)
            day = first_day
            while day <= last_day:
                if cron.fires_on(day):
                    errors.add(
                        f"{schedule_arg} {schedule.name!r} fires on {day}, during event "
                        f"{window.name!r}, and would undo its capacity; give the schedule "
                        "start/end dates around the event (two schedules) or drop it"
                    )
                    break
                day += dt.timedelta(days=1)
            else:
                continue
            break


def _active_together(first: RecurringSchedule, second: RecurringSchedule) -> bool:
    """Whether the two schedules' start/end windows share a day (unset = unbounded)."""
    latest_start = max(first.start or dt.date.min, second.start or dt.date.min)
    earliest_end = min(first.end or dt.date.max, second.end or dt.date.max)
    return latest_start <= earliest_end


def _utc(day: dt.date, time_zone: str) -> dt.datetime:
    """00:00 on ``day`` in ``time_zone``, as an aware UTC datetime (Auto Scaling wants UTC)."""
    local = dt.datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(time_zone))
    return local.astimezone(dt.UTC)


class ScalingSchedule(Construct):
    """Scheduled actions of one group, from recurring and one-off (dated) schedules.

    Each ``RecurringSchedule`` becomes one ``ScheduledAction`` (``recurring[name]``); each
    ``OneOffSchedule`` becomes a child construct named after it with two actions
    (``one_off[name]`` = (``Start``, ``End``)): at 00:00 on ``start`` its capacity, at 00:00
    after ``end``
    the group's normal ``min_capacity``/``max_capacity`` (and ``desired_capacity`` when the group
    fixes one; otherwise desired stays where scaling put it, within the bounds). A one-off event
    is a yearly cron bounded by start/end times to its year; a ``yearly`` event is unbounded.
    """

    @typed_arguments
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        auto_scaling_group: autoscaling.IAutoScalingGroup,
        min_capacity: int,
        max_capacity: int,
        desired_capacity: int | None = None,
        schedules: Sequence[AnySchedule] = (),
    ) -> None:
        """
        :param auto_scaling_group: The group the actions change.
        :param min_capacity: The group's normal minimum (restored after each event).
        :param max_capacity: The group's normal maximum (restored after each event).
        :param desired_capacity: The group's fixed desired size. Default: unset (not restored).
        :param schedules: ``RecurringSchedule`` and ``OneOffSchedule`` items, in one list.
            Default: none.
        """
        super().__init__(scope, construct_id)
        errors = PropErrors("ScalingSchedule")
        if not parent_checked():  # a parent (WebAutoScalingGroup) ran this check already
            self.check(
                errors,
                min_capacity=min_capacity,
                max_capacity=max_capacity,
                desired_capacity=desired_capacity,
                schedules=schedules,
            )
        errors.raise_if_any()
        recurring, one_off = split_schedules(schedules)

        # Recurring first, then one-off, whatever the list's order: the template (and so the
        # deployed stack) does not depend on how the caller ordered the list.
        self.recurring: dict[str, autoscaling.ScheduledAction] = {}
        for schedule in recurring:
            self.recurring[schedule.name] = autoscaling.ScheduledAction(
                self,
                schedule.name,
                auto_scaling_group=auto_scaling_group,
                schedule=autoscaling.Schedule.expression(" ".join(schedule.cron.split())),
                time_zone=schedule.time_zone,
                start_time=_utc(schedule.start, schedule.time_zone) if schedule.start else None,
                end_time=_utc(schedule.end + dt.timedelta(days=1), schedule.time_zone)
                if schedule.end
                else None,
                min_capacity=schedule.min_capacity,
                max_capacity=schedule.max_capacity,
                desired_capacity=schedule.desired_capacity,
            )
            if schedule.end:
                self._acknowledge_end_time(self.recurring[schedule.name])

        self.one_off: dict[
            str, tuple[autoscaling.ScheduledAction, autoscaling.ScheduledAction]
        ] = {}
        for event in one_off:
            holder = Construct(self, event.name)
            back = event.end + dt.timedelta(days=1)
            start = self._dated_action(
                holder,
                "Start",
                auto_scaling_group,
                event.start,
                event,
                min_capacity=event.min_capacity,
                max_capacity=event.max_capacity,
                desired_capacity=event.desired_capacity,
            )
            end = self._dated_action(
                holder,
                "End",
                auto_scaling_group,
                back,
                event,
                min_capacity=min_capacity,
                max_capacity=max_capacity,
                desired_capacity=desired_capacity,
            )
            self.one_off[event.name] = (start, end)

    @staticmethod
    def check(
        errors: PropErrors,
        *,
        min_capacity: int,
        max_capacity: int,
        desired_capacity: int | None = None,
        schedules: Sequence[AnySchedule] = (),
    ) -> None:
        """The group's normal capacity (``check_capacities``), then every schedule against
        it (``check_schedules``): what the constructor runs first."""
        before = len(errors.problems)
        check_capacities(
            errors,
            min_capacity=min_capacity,
            max_capacity=max_capacity,
            desired_capacity=desired_capacity,
        )
        if len(errors.problems) == before:
            check_schedules(
                errors,
                schedules=schedules,
                min_capacity=min_capacity,
                max_capacity=max_capacity,
            )

    def _dated_action(
        self,
        scope: Construct,
        construct_id: str,
        group: autoscaling.IAutoScalingGroup,
        day: dt.date,
        event: OneOffSchedule,
        *,
        min_capacity: int,
        max_capacity: int,
        desired_capacity: int | None,
    ) -> autoscaling.ScheduledAction:
        # Midnight on that day every year; a one-off event is bounded to its year.
        schedule = autoscaling.Schedule.cron(
            minute="0", hour="0", day=str(day.day), month=str(day.month)
        )
        moment = _utc(day, event.time_zone)
        action = autoscaling.ScheduledAction(
            scope,
            construct_id,
            auto_scaling_group=group,
            schedule=schedule,
            time_zone=event.time_zone,
            start_time=None if event.yearly else moment,
            end_time=None if event.yearly else moment + dt.timedelta(hours=1),
            min_capacity=min_capacity,
            max_capacity=max_capacity,
            desired_capacity=desired_capacity,
        )
        if not event.yearly:
            self._acknowledge_end_time(action)
        return action

    @staticmethod
    def _acknowledge_end_time(action: autoscaling.ScheduledAction) -> None:
        acknowledge(
            action,
            {
                _END_TIME_WARNING: "A dated action is meant to run once (or until its end "
                "date); Auto Scaling deleting it afterwards is the intent, and the README says "
                "to remove past events from the configuration.",
            },
        )
