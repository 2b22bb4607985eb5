"""Recurring schedules and the calendar of dated events: cron, time zones, overlaps, actions."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk.assertions import Annotations, Match, Template

from constructs_lib._validation import PropErrors
from constructs_lib.scaling_schedule import (
    OneOffSchedule,
    RecurringSchedule,
    ScalingSchedule,
    check_schedules,
    parse_cron,
)
from tests.conftest import new_stack

CHRISTMAS = OneOffSchedule(
    name="Christmas",
    start=dt.date(2026, 12, 1),
    end=dt.date(2026, 12, 26),
    min_capacity=4,
    max_capacity=8,
    time_zone="Europe/Berlin",
)


def _build(
    *,
    schedules: tuple[RecurringSchedule, ...] = (),
    events: tuple[OneOffSchedule, ...] = (),
    desired: int | None = None,
) -> tuple[cdk.Stack, ScalingSchedule, Template]:
    stack = new_stack()
    group = autoscaling.AutoScalingGroup.from_auto_scaling_group_name(stack, "Group", "web")
    schedule = ScalingSchedule(
        stack,
        "Schedule",
        auto_scaling_group=group,
        min_capacity=2,
        max_capacity=4,
        desired_capacity=desired,
        schedules=(*schedules, *events),
    )
    return stack, schedule, Template.from_stack(stack)


def _problems(**kwargs: Any) -> list[str]:
    errors = PropErrors("test")
    check_schedules(
        errors,
        schedules=(*kwargs.get("schedules", ()), *kwargs.get("events", ())),
        min_capacity=kwargs.get("min_capacity", 2),
        max_capacity=kwargs.get("max_capacity", 4),
    )
    return errors.problems


def test_event_expands_into_a_raise_and_a_return_to_normal() -> None:
    _, schedule, template = _build(events=(CHRISTMAS,))
    assert set(schedule.one_off) == {"Christmas"}
    template.resource_count_is("AWS::AutoScaling::ScheduledAction", 2)
    # 00:00 on 1 December in Berlin (UTC+1) is 23:00 UTC the day before.
    template.has_resource_properties(
        "AWS::AutoScaling::ScheduledAction",
        {
            "AutoScalingGroupName": "web",
            "Recurrence": "0 0 1 12 *",
            "TimeZone": "Europe/Berlin",
            "StartTime": "2026-11-30T23:00:00Z",
            "EndTime": "2026-12-01T00:00:00Z",
            "MinSize": 4,
            "MaxSize": 8,
            "DesiredCapacity": Match.absent(),
        },
    )
    # Back to the normal 2-4 at 00:00 after the last day (26 December inclusive).
    template.has_resource_properties(
        "AWS::AutoScaling::ScheduledAction",
        {
            "Recurrence": "0 0 27 12 *",
            "TimeZone": "Europe/Berlin",
            "StartTime": "2026-12-26T23:00:00Z",
            "MinSize": 2,
            "MaxSize": 4,
            "DesiredCapacity": Match.absent(),
        },
    )


def test_yearly_event_has_no_start_or_end_time_and_restores_a_fixed_desired() -> None:
    yearly = OneOffSchedule(
        name="Christmas",
        start=dt.date(2026, 12, 1),
        end=dt.date(2026, 12, 26),
        min_capacity=4,
        max_capacity=8,
        desired_capacity=5,
        yearly=True,
    )
    _, _, template = _build(events=(yearly,), desired=3)
    template.has_resource_properties(
        "AWS::AutoScaling::ScheduledAction",
        {
            "Recurrence": "0 0 1 12 *",
            "TimeZone": "UTC",
            "StartTime": Match.absent(),
            "EndTime": Match.absent(),
            "MinSize": 4,
            "MaxSize": 8,
            "DesiredCapacity": 5,
        },
    )
    template.has_resource_properties(
        "AWS::AutoScaling::ScheduledAction",
        {"Recurrence": "0 0 27 12 *", "MinSize": 2, "MaxSize": 4, "DesiredCapacity": 3},
    )


def test_recurring_schedules_keep_their_cron_and_time_zone() -> None:
    peak = RecurringSchedule(
        name="WeekdayPeak",
        cron="0 8 * * MON-FRI",
        min_capacity=3,
        time_zone="America/New_York",
    )
    night = RecurringSchedule(
        name="NightScaleIn",
        cron="0  22 * * *",
        max_capacity=2,
        time_zone="America/New_York",
        start=dt.date(2026, 1, 5),
        end=dt.date(2026, 11, 30),
    )
    _, schedule, template = _build(schedules=(peak, night))
    assert set(schedule.recurring) == {"WeekdayPeak", "NightScaleIn"}
    template.has_resource_properties(
        "AWS::AutoScaling::ScheduledAction",
        {
            "Recurrence": "0 8 * * MON-FRI",
            "TimeZone": "America/New_York",
            "MinSize": 3,
            "MaxSize": Match.absent(),
            "StartTime": Match.absent(),
        },
    )
    # New York is UTC-5 in winter: the window is 5 Jan 00:00 to the end of 30 Nov, local.
    template.has_resource_properties(
        "AWS::AutoScaling::ScheduledAction",
        {
            "Recurrence": "0 22 * * *",
            "MaxSize": 2,
            "StartTime": "2026-01-05T05:00:00Z",
            "EndTime": "2026-12-01T05:00:00Z",
        },
    )


def test_cron_parser_understands_ranges_steps_lists_and_names() -> None:
    cron = parse_cron("*/15 8-18/2 1,15 JAN-MAR mon-fri")
    assert cron.minutes == frozenset({0, 15, 30, 45})
    assert cron.hours == frozenset({8, 10, 12, 14, 16, 18})
    assert cron.months == frozenset({1, 2, 3})
    assert cron.weekdays == frozenset({1, 2, 3, 4, 5})
    # Day-of-month and day-of-week both restricted: either matches (Unix cron).
    assert cron.fires_on(dt.date(2026, 1, 3)) is False  # Saturday the 3rd
    assert cron.fires_on(dt.date(2026, 1, 5)) is True  # Monday
    assert cron.fires_on(dt.date(2026, 2, 15)) is True  # Sunday the 15th
    assert cron.fires_on(dt.date(2026, 4, 1)) is False  # April
    assert parse_cron("0 0 * * 7").weekdays == frozenset({0})


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("0 8 * *", "has 4 field"),
        ("60 8 * * *", "minute field '60' has 60, outside 0-59"),
        ("0 24 * * *", "hour field '24' has 24"),
        ("0 8 ? * MON", r"'\?' .* not Unix cron"),
        ("0 8 * * FUN", "day-of-week field 'FUN' has 'FUN', not a number"),
        ("0 8 5-1 * *", "runs backwards"),
        ("*/0 8 * * *", "step '0'"),
        ("0 0 31 2 *", "never fires"),
    ],
)
def test_bad_cron_expressions_are_refused(expression: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_cron(expression)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"schedules": (RecurringSchedule(name="Peak", cron="0 8 * *", min_capacity=3),)},
            r"schedules\[0\].cron '0 8 \* \*' has 4 field",
        ),
        (
            {
                "schedules": (
                    RecurringSchedule(
                        name="Peak", cron="0 8 * * *", min_capacity=3, time_zone="Mars/Olympus"
                    ),
                )
            },
            r"schedules\[0\].time_zone 'Mars/Olympus' is not an IANA time zone",
        ),
        (
            {"schedules": (RecurringSchedule(name="Peak", cron="0 8 * * *"),)},
            "'Peak' changes nothing",
        ),
        (
            {"schedules": (RecurringSchedule(name="Peak", cron="0 8 * * *", min_capacity=6),)},
            r"schedules\[0\] leaves the group with min 6 > max 4",
        ),
        (
            {
                "schedules": (
                    RecurringSchedule(
                        name="Peak", cron="0 8 * * *", max_capacity=6, desired_capacity=7
                    ),
                )
            },
            r"desired_capacity 7 is outside \[min 2, max 6\] after the change",
        ),
        (
            {"schedules": (RecurringSchedule(name="Peak", cron="0 8 * * *", max_capacity=-1),)},
            r"schedules\[0\].max_capacity -1 is out of range",
        ),
        (
            {
                "schedules": (
                    RecurringSchedule(
                        name="Peak",
                        cron="0 8 * * *",
                        min_capacity=3,
                        start=dt.date(2026, 5, 1),
                        end=dt.date(2026, 4, 1),
                    ),
                )
            },
            r"schedules\[0\].end 2026-04-01 is before its start 2026-05-01",
        ),
        (
            {"schedules": (RecurringSchedule(name="9am", cron="0 9 * * *", min_capacity=3),)},
            r"schedules\[0\].name '9am' is not a valid name",
        ),
        (
            {
                "schedules": (
                    RecurringSchedule(name="Peak", cron="0 8 * * *", min_capacity=3),
                    RecurringSchedule(name="Peak", cron="0 9 * * *", min_capacity=3),
                )
            },
            r"schedules\[1\].name 'Peak' is already used by schedules\[0\]",
        ),
        (
            {
                "schedules": (
                    RecurringSchedule(name="Peak", cron="0 8 * * mon", min_capacity=3),
                    RecurringSchedule(name="Again", cron="0 8 * * MON", max_capacity=3),
                )
            },
            "'Again' fires at the same times as 'Peak'",
        ),
        (
            {
                "events": (
                    CHRISTMAS,
                    OneOffSchedule("Christmas", CHRISTMAS.start, CHRISTMAS.end, 4, 8),
                )
            },
            r"schedules\[1\].name 'Christmas' is already used",
        ),
        (
            {"events": (OneOffSchedule("Sale", dt.date(2026, 6, 9), dt.date(2026, 6, 1), 4, 8),)},
            r"'Sale' ends \(2026-06-01\) before it starts \(2026-06-09\)",
        ),
        (
            {"events": (OneOffSchedule("Sale", dt.date(2026, 6, 1), dt.date(2026, 6, 9), 9, 8),)},
            r"schedules\[0\] leaves the group with min 9 > max 8",
        ),
        (
            {
                "events": (
                    OneOffSchedule("Sale", dt.date(2026, 6, 1), dt.date(2026, 6, 9), 4, 8, 9),
                )
            },
            r"schedules\[0\].desired_capacity 9 is outside \[min 4, max 8\]",
        ),
        (
            {
                "events": (
                    OneOffSchedule(
                        "Sale", dt.date(2026, 6, 1), dt.date(2026, 6, 9), 4, 8, None, "Utc"
                    ),
                )
            },
            r"schedules\[0\].time_zone 'Utc' is not an IANA time zone",
        ),
        (
            {
                "events": (
                    CHRISTMAS,
                    OneOffSchedule("BoxingDay", dt.date(2026, 12, 26), dt.date(2026, 12, 28), 3, 6),
                )
            },
            "'Christmas' and 'BoxingDay' overlap from 2026-12-26",
        ),
        (
            {
                "events": (
                    OneOffSchedule(
                        "NewYear", dt.date(2026, 12, 30), dt.date(2027, 1, 2), 3, 6, yearly=True
                    ),
                    OneOffSchedule("January", dt.date(2028, 1, 1), dt.date(2028, 1, 5), 3, 6),
                )
            },
            "'NewYear' and 'January' overlap from 2028-01-01",
        ),
        (
            {
                "events": (CHRISTMAS,),
                "schedules": (
                    RecurringSchedule(name="SundayQuiet", cron="0 20 * * SUN", max_capacity=2),
                ),
            },
            "'SundayQuiet' fires on 2026-12-06, during event 'Christmas', and would undo",
        ),
    ],
)
def test_invalid_schedules_are_reported(kwargs: dict[str, Any], message: str) -> None:
    problems = _problems(**kwargs)
    assert any(re.search(message, p) for p in problems), problems


def test_schedule_that_keeps_the_events_capacity_does_not_conflict() -> None:
    same = RecurringSchedule(name="Morning", cron="0 8 * * *", min_capacity=4, max_capacity=8)
    inside = RecurringSchedule(name="Evening", cron="0 20 * * *", desired_capacity=4)
    assert _problems(events=(CHRISTMAS,), schedules=(same, inside), max_capacity=8) == []
    outside = RecurringSchedule(name="Late", cron="0 23 * * *", desired_capacity=2)
    assert any(
        "'Late' fires on 2026-12-01, during event 'Christmas'" in p
        for p in _problems(events=(CHRISTMAS,), schedules=(outside,))
    )


def test_schedule_bounded_around_an_event_does_not_conflict() -> None:
    before = RecurringSchedule(
        name="SundayQuiet",
        cron="0 20 * * SUN",
        max_capacity=2,
        end=dt.date(2026, 11, 30),
    )
    after = RecurringSchedule(
        name="SundayQuietAgain",
        cron="0 20 * * SUN",
        max_capacity=2,
        start=dt.date(2026, 12, 27),
    )
    assert _problems(events=(CHRISTMAS,), schedules=(before, after)) == []
    overlapping = RecurringSchedule(
        name="SundayQuietOverlap", cron="0 20 * * SUN", max_capacity=2, start=dt.date(2026, 11, 1)
    )
    assert any(
        "'SundayQuietOverlap' fires at the same times as 'SundayQuiet'" in p
        for p in _problems(schedules=(before, overlapping))
    )


def test_one_list_takes_both_kinds_and_its_order_does_not_move_the_template() -> None:
    # GIVEN the same recurring and one-off schedules, listed in both orders
    night = RecurringSchedule("Night", "0 22 * 1-11 *", max_capacity=3)
    templates = []
    for order in ((night, CHRISTMAS), (CHRISTMAS, night)):
        stack = new_stack()
        group = autoscaling.AutoScalingGroup.from_auto_scaling_group_name(stack, "Group", "web")
        ScalingSchedule(
            stack,
            "Schedule",
            auto_scaling_group=group,
            min_capacity=2,
            max_capacity=4,
            schedules=order,
        )
        templates.append(Template.from_stack(stack).to_json())
    # THEN the actions (ids and order) are the same: recurring first, then one-off
    assert templates[0] == templates[1]
    ids = [logical_id.rstrip("0123456789ABCDEF") for logical_id in templates[0]["Resources"]]
    assert ids == ["ScheduleNight", "ScheduleChristmasStart", "ScheduleChristmasEnd"]


def test_a_schedules_item_of_another_type_is_named() -> None:
    problems = _problems(schedules=("0 8 * * *",))
    assert any("schedules[0] '0 8 * * *' is neither" in p for p in problems), problems


def test_every_problem_is_reported_at_once_by_the_construct() -> None:
    with pytest.raises(ValueError) as raised:
        _build(
            schedules=(RecurringSchedule(name="Peak", cron="bad", min_capacity=3),),
            events=(OneOffSchedule("Sale", dt.date(2026, 6, 9), dt.date(2026, 6, 1), 4, 8),),
        )
    text = str(raised.value)
    assert "ScalingSchedule: 2 invalid props" in text
    assert "schedules[0].cron 'bad'" in text and "'Sale' ends (2026-06-01)" in text


def test_only_actions_with_an_end_acknowledge_the_cdks_end_time_warning() -> None:
    # GIVEN a one-off event, a yearly one and an end-dated schedule (no variant holds dated
    # things, so the acknowledgement is checked here rather than in test_acknowledgements.py)
    easter = OneOffSchedule("Easter", dt.date(2027, 4, 1), dt.date(2027, 4, 5), 3, 6, yearly=True)
    night = RecurringSchedule("Night", "0 22 * 5-11 *", max_capacity=3, end=dt.date(2027, 11, 1))
    stack, _, _ = _build(events=(CHRISTMAS, easter), schedules=(night,))
    # THEN the CDK's warning (Auto Scaling deletes such actions) is acknowledged on exactly the
    # actions that have an end time, with the reason, and none is left unacknowledged
    acknowledged = {
        child.node.path.removeprefix(f"{stack.node.path}/Schedule/")
        for child in stack.node.find_all()
        for entry in child.node.metadata
        if entry.type == "aws:cdk:acknowledged-rules" and "WithEndTime" in str(entry.data)
    }
    assert acknowledged == {"Night", "Christmas/Start", "Christmas/End"}
    assert Annotations.from_stack(stack).find_warning("*", Match.any_value()) == []
