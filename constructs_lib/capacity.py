"""The group's size: one owner for the capacity limits and the min <= desired <= max rule.

``Capacity`` (the option group ``WebTier`` and ``WebAutoScalingGroup`` take),
``ScalingSchedule`` (its normal capacities and each schedule's) and the configuration all
check capacities here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from constructs_lib._validation import PropErrors, check_int_range, typed_fields

MAX_GROUP_SIZE = 1000  # instances per group this library accepts (Auto Scaling's quota is higher)


@dataclass(frozen=True)
@typed_fields
class Capacity:
    """How many instances the group runs, for ``WebTier(capacity=...)`` and
    ``WebAutoScalingGroup(capacity=...)``.

    :param min_capacity: Fewest instances. Default: 2 (one per Availability Zone).
    :param max_capacity: Most instances. Default: 4.
    :param desired_capacity: Fixed starting size. Default: unset; the group starts at
        ``min_capacity`` and deploys never reset what scaling has done.
    """

    min_capacity: int = 2
    max_capacity: int = 4
    desired_capacity: int | None = None

    def check(self, errors: PropErrors) -> None:
        """0 <= min <= desired <= max, max >= 1 (``check_capacities``)."""
        check_capacities(
            errors,
            min_capacity=self.min_capacity,
            max_capacity=self.max_capacity,
            desired_capacity=self.desired_capacity,
        )

    @property
    def sizes_ok(self) -> bool:
        """Whether min and max are whole numbers with min <= max (rules that compare other
        values with them run only then)."""
        low, high = self.min_capacity, self.max_capacity
        return (
            isinstance(low, int)
            and isinstance(high, int)
            and not isinstance(low, bool)
            and not isinstance(high, bool)
            and low <= high
        )


def check_capacities(
    errors: PropErrors,
    *,
    min_capacity: Any,
    max_capacity: Any,
    desired_capacity: Any,
    names: tuple[str, str, str] = ("min_capacity", "max_capacity", "desired_capacity"),
) -> None:
    """0 <= min <= desired <= max, max >= 1; ``names`` lets callers report their own keys."""
    min_name, max_name, desired_name = names
    min_ok = check_int_range(errors, min_name, min_capacity, low=0, high=MAX_GROUP_SIZE)
    max_ok = check_int_range(
        errors,
        max_name,
        max_capacity,
        low=1,
        high=MAX_GROUP_SIZE,
        hint=" (a group of at most 0 instances serves nothing)",
    )
    if min_ok and max_ok and min_capacity > max_capacity:
        errors.add(
            f"{min_name} {min_capacity} is greater than {max_name} {max_capacity}; "
            f"the group needs {min_name} <= {max_name}"
        )
    if desired_capacity is not None:
        desired_ok = check_int_range(
            errors, desired_name, desired_capacity, low=0, high=MAX_GROUP_SIZE
        )
        if (
            desired_ok
            and min_ok
            and max_ok
            and not (min_capacity <= desired_capacity <= max_capacity)
        ):
            errors.add(
                f"{desired_name} {desired_capacity} is outside [{min_name} {min_capacity}, "
                f"{max_name} {max_capacity}]; give a value in that range or leave it unset"
            )
