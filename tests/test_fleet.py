"""Rollout and capacity options on their own (the group's tests cover them in templates)."""

from __future__ import annotations

from constructs_lib._validation import PropErrors
from constructs_lib.fleet import InstanceRefresh, check_instance_refresh


def _refresh_problems(refresh: InstanceRefresh, min_capacity: int) -> list[str]:
    errors = PropErrors("test")
    check_instance_refresh(errors, "instance_refresh", refresh, min_capacity=min_capacity)
    return errors.problems


def test_default_refresh_keeps_every_instance_in_service() -> None:
    refresh = InstanceRefresh()
    assert (refresh.min_healthy_percentage, refresh.max_healthy_percentage) == (100, 110)
    assert _refresh_problems(refresh, min_capacity=2) == []


def test_lower_healthy_share_only_where_it_cannot_breach_the_minimum() -> None:
    half = InstanceRefresh(min_healthy_percentage=50, max_healthy_percentage=150)
    assert _refresh_problems(half, min_capacity=0) == []
    problems = _refresh_problems(half, min_capacity=4)
    assert problems == [
        "instance_refresh.min_healthy_percentage 50 lets a refresh take a group at "
        "min_capacity 4 down to 2 in service; use 100 (replacements launch first, up to "
        "max_healthy_percentage)"
    ]
