"""``WebTier`` keyword arguments from flat field names, for tests that vary one field at a
time (bad-input tables, hypothesis): each name goes into the option group that owns it."""

from __future__ import annotations

import dataclasses
from typing import Any

from constructs_lib import (
    Capacity,
    Domain,
    Fleet,
    InstanceOptions,
    LoadBalancerOptions,
    Observability,
    Rollout,
    Scaling,
    TargetGroupOptions,
)

# WebTier argument -> its option group's class
GROUPS: dict[str, type[Any]] = {
    "capacity": Capacity,
    "scaling": Scaling,
    "rollout": Rollout,
    "fleet": Fleet,
    "instance_options": InstanceOptions,
    "domain": Domain,
    "load_balancer_options": LoadBalancerOptions,
    "target_group_options": TargetGroupOptions,
    "observability": Observability,
}
OWNER = {f.name: arg for arg, cls in GROUPS.items() for f in dataclasses.fields(cls)}


# The option groups each construct takes (its other arguments are its own).
TAKES = {
    "WebTier": tuple(GROUPS),
    "WebAutoScalingGroup": ("capacity", "scaling", "rollout", "fleet"),
    "WebLoadBalancer": ("load_balancer_options", "target_group_options"),
    "WebLaunchTemplate": ("instance_options",),
}


def tier_kwargs(**flat: Any) -> dict[str, Any]:
    """``WebTier`` keyword arguments: group fields (``min_capacity``, ``alarm_email``...)
    gathered into their groups; ``WebTier``'s own arguments passed as they are."""
    return grouped_kwargs("WebTier", **flat)


def grouped_kwargs(construct: str, **flat: Any) -> dict[str, Any]:
    """Keyword arguments of ``construct`` with group fields gathered into its groups."""
    grouped: dict[str, dict[str, Any]] = {}
    kwargs: dict[str, Any] = {}
    for name, value in flat.items():
        owner = OWNER.get(name)
        if owner in TAKES[construct] and name != "observability":
            grouped.setdefault(owner, {})[name] = value
        else:
            kwargs[name] = value
    for arg, fields in grouped.items():
        kwargs[arg] = GROUPS[arg](**fields)
    return kwargs
