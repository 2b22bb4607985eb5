"""How the fleet is replaced and what it is made of: instance refresh, warm pool, Spot.

Option groups for ``WebTier`` and ``WebAutoScalingGroup`` (``Rollout``: how changes reach
the fleet; ``Fleet``: what it is made of) and their checks; the group turns them into L2
settings (``UpdatePolicy.instance_refresh``, ``add_warm_pool``, ``MixedInstancesPolicy``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from aws_cdk import Duration
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2

from constructs_lib._validation import (
    PropErrors,
    check_duration_seconds,
    check_int_range,
    typed_fields,
)
from constructs_lib.capacity import MAX_GROUP_SIZE, Capacity
from constructs_lib.instance_types import check_instance_type

MAX_ROLLBACK_ALARMS = 10  # Auto Scaling's limit for an instance refresh's alarm specification
# ``max_instance_lifetime``'s range in seconds, (low, high): 1 to 365 days. Auto Scaling's
# own (AWS::AutoScaling::AutoScalingGroup MaxInstanceLifetime: 86,400 to 31,536,000 seconds,
# or 0 to clear). Public: a configuration layer names the range in its own units and keys.
MAX_INSTANCE_LIFETIME_SECONDS = (86400, 31536000)


@dataclass(frozen=True)
@typed_fields
class InstanceRefresh:
    """Roll the fleet when the launch template or image changes, never below the minimum.

    CloudFormation starts an instance refresh whenever the group's launch template version
    (a new image, instance type, user data...) changes. With the defaults, replacements launch
    before old instances stop (100 % stays healthy, up to 110 % run), so the group never drops
    below its desired capacity, hence never below ``min_capacity``. If a rollback alarm goes
    into ALARM, the refresh fails and CloudFormation rolls the stack, and the fleet, back.

    :param min_healthy_percentage: Share of desired capacity kept in service, 0-100.
        Default: 100. Lower values are refused when they could take a group at its minimum
        below ``min_capacity``.
    :param max_healthy_percentage: Share of desired capacity allowed to run during the
        refresh, 100-200, at most 100 above the minimum. Default: 110 (one extra instance).
    :param instance_warmup: Time a new instance gets before the next batch. Default: the
        group's ``default_instance_warmup``.
    :param checkpoint_percentages: Pause at these shares of the fleet replaced, ascending,
        unique, ending at 100, e.g. ``(50, 100)``. Default: no checkpoints.
    :param checkpoint_delay: Pause length at each checkpoint (with checkpoints), up to 2 days.
        Default: 1 hour.
    :param bake_time: Time after the refresh before the update counts as done (alarms are
        still watched), up to 48 hours (the API's limit). Default: 0.
    :param skip_matching: Skip instances already on the new template. Default: true.
    """

    min_healthy_percentage: int = 100
    max_healthy_percentage: int = 110
    instance_warmup: Duration | None = None
    checkpoint_percentages: Sequence[int] = ()
    checkpoint_delay: Duration | None = None
    bake_time: Duration | None = None
    skip_matching: bool = True


@dataclass(frozen=True)
@typed_fields
class WarmPoolSettings:
    """Pre-initialised stopped instances that join faster than fresh launches.

    :param min_size: Instances always kept in the pool. Default: 0.
    :param max_prepared_capacity: Cap on group + pool instances. Default: the group's max.
    :param pool_state: ``STOPPED`` (pay for volumes only), ``RUNNING`` or ``HIBERNATED``.
        Default: ``STOPPED``.
    :param reuse_on_scale_in: Return instances to the pool on scale-in. Default: false.
    """

    min_size: int = 0
    max_prepared_capacity: int | None = None
    pool_state: autoscaling.PoolState = autoscaling.PoolState.STOPPED
    reuse_on_scale_in: bool = False


@dataclass(frozen=True)
@typed_fields
class SpotCapacity:
    """Mixed instances: an On-Demand base, Spot above it, several instance types.

    :param instance_types: Types to launch, the launch template's first when you list it;
        at least two spread the Spot risk. Default: the launch template's type only.
    :param on_demand_base_capacity: On-Demand instances before any Spot. Default: the group's
        ``min_capacity`` (the minimum never depends on Spot).
    :param on_demand_percentage_above_base: On-Demand share above the base, 0-100.
        Default: 0 (all Spot).
    :param allocation_strategy: Default: ``PRICE_CAPACITY_OPTIMIZED``.
    """

    instance_types: Sequence[ec2.InstanceType] = field(default_factory=tuple)
    on_demand_base_capacity: int | None = None
    on_demand_percentage_above_base: int = 0
    allocation_strategy: autoscaling.SpotAllocationStrategy = (
        autoscaling.SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED
    )


def check_instance_refresh(
    errors: PropErrors, arg: str, refresh: InstanceRefresh, *, min_capacity: int
) -> None:
    """Percentages, the 'never below min' rule, checkpoints and durations."""
    low, high = refresh.min_healthy_percentage, refresh.max_healthy_percentage
    low_ok = check_int_range(errors, f"{arg}.min_healthy_percentage", low, low=0, high=100)
    high_ok = check_int_range(errors, f"{arg}.max_healthy_percentage", high, low=100, high=200)
    if low_ok and high_ok and high - low > 100:
        errors.add(
            f"{arg}.max_healthy_percentage {high} is more than 100 above "
            f"min_healthy_percentage {low}; Auto Scaling allows a spread of at most 100"
        )
    if low_ok and high_ok and low == 100 and high == 100:
        errors.add(
            f"{arg} min and max healthy 100 % leaves no room to replace anything; "
            "raise max_healthy_percentage (e.g. 110)"
        )
    if low_ok and isinstance(min_capacity, int) and 0 < min_capacity <= MAX_GROUP_SIZE:
        in_service = math.floor(min_capacity * low / 100)
        if in_service < min_capacity:
            errors.add(
                f"{arg}.min_healthy_percentage {low} lets a refresh take a group at "
                f"min_capacity {min_capacity} down to {in_service} in service; use 100 "
                "(replacements launch first, up to max_healthy_percentage)"
            )
    points = list(refresh.checkpoint_percentages)
    if points:
        if not all(isinstance(p, int) and not isinstance(p, bool) and 0 < p <= 100 for p in points):
            errors.add(f"{arg}.checkpoint_percentages {points} must be whole numbers in 1-100")
        elif points != sorted(set(points)) or points[-1] != 100:
            errors.add(
                f"{arg}.checkpoint_percentages {points} must be unique, ascending and end "
                "at 100, e.g. [50, 100]"
            )
    elif refresh.checkpoint_delay is not None:
        errors.add(f"{arg}.checkpoint_delay needs checkpoint_percentages, e.g. [50, 100]")
    if refresh.checkpoint_delay is not None:
        check_duration_seconds(
            errors, f"{arg}.checkpoint_delay", refresh.checkpoint_delay, low=0, high=172800
        )
    if refresh.instance_warmup is not None:
        check_duration_seconds(
            errors, f"{arg}.instance_warmup", refresh.instance_warmup, low=0, high=3600
        )
    if refresh.bake_time is not None:
        check_duration_seconds(errors, f"{arg}.bake_time", refresh.bake_time, low=0, high=172800)


def instance_refresh_policy(refresh: InstanceRefresh) -> autoscaling.UpdatePolicy:
    """The L2 update policy for ``refresh`` (rollback alarms are added by the group)."""
    return autoscaling.UpdatePolicy.instance_refresh(
        strategy=autoscaling.InstanceRefreshStrategy.ROLLING,
        min_healthy_percentage=refresh.min_healthy_percentage,
        max_healthy_percentage=refresh.max_healthy_percentage,
        instance_warmup=refresh.instance_warmup,
        checkpoint_percentages=list(refresh.checkpoint_percentages) or None,
        checkpoint_delay=refresh.checkpoint_delay,
        bake_time=refresh.bake_time,
        skip_matching=refresh.skip_matching,
    )


# A warm pool's sizes (min_size, max_prepared_capacity): within the group's own limit.
WARM_POOL_SIZE = (0, MAX_GROUP_SIZE)


def check_warm_pool(
    errors: PropErrors, arg: str, pool: WarmPoolSettings, *, max_capacity: int
) -> None:
    """Pool sizes within the group's limit; prepared capacity at least the group's maximum."""
    low, high = WARM_POOL_SIZE
    check_int_range(errors, f"{arg}.min_size", pool.min_size, low=low, high=high)
    if pool.max_prepared_capacity is not None and (
        check_int_range(
            errors, f"{arg}.max_prepared_capacity", pool.max_prepared_capacity, low=low, high=high
        )
        and pool.max_prepared_capacity < max_capacity
    ):
        errors.add(
            f"{arg}.max_prepared_capacity {pool.max_prepared_capacity} is below max_capacity "
            f"{max_capacity}; the pool would hold nothing when the group is at its maximum"
        )


def check_spot(errors: PropErrors, arg: str, spot: SpotCapacity) -> None:
    """Real, distinct instance types of one CPU architecture; On-Demand base and share."""
    types = list(spot.instance_types)
    names = [t.to_string() for t in types]
    for index, instance_type in enumerate(types):
        check_instance_type(errors, f"{arg}.instance_types[{index}]", instance_type, name_ok=False)
    if len(set(names)) != len(names):
        errors.add(f"{arg}.instance_types {names} lists a type twice")
    architectures = {t.architecture for t in types}
    if len(architectures) > 1:
        errors.add(
            f"{arg}.instance_types {names} mix CPU architectures; one image cannot boot on "
            "all of them (pick x86_64 or arm64 types only)"
        )
    if spot.on_demand_base_capacity is not None:
        check_int_range(
            errors, f"{arg}.on_demand_base_capacity", spot.on_demand_base_capacity, low=0
        )
    check_int_range(
        errors,
        f"{arg}.on_demand_percentage_above_base",
        spot.on_demand_percentage_above_base,
        low=0,
        high=100,
    )


def mixed_instances_policy(
    spot: SpotCapacity, launch_template: ec2.ILaunchTemplate, *, min_capacity: int
) -> autoscaling.MixedInstancesPolicy:
    base = min_capacity if spot.on_demand_base_capacity is None else spot.on_demand_base_capacity
    return autoscaling.MixedInstancesPolicy(
        launch_template=launch_template,
        instances_distribution=autoscaling.InstancesDistribution(
            on_demand_base_capacity=base,
            on_demand_percentage_above_base_capacity=spot.on_demand_percentage_above_base,
            spot_allocation_strategy=spot.allocation_strategy,
        ),
        launch_template_overrides=[
            autoscaling.LaunchTemplateOverrides(instance_type=t) for t in spot.instance_types
        ]
        or None,
    )


# Roll the fleet on every launch-template change, never below the minimum (see InstanceRefresh).
DEFAULT_INSTANCE_REFRESH = InstanceRefresh()


@dataclass(frozen=True)
@typed_fields
class Rollout:
    """How changes reach running instances, for ``WebTier(rollout=...)`` and
    ``WebAutoScalingGroup(rollout=...)``.

    :param instance_refresh: How a launch-template change rolls the fleet. Default:
        ``InstanceRefresh()``, 100 % kept healthy, up to 110 % running; ``None`` leaves
        running instances alone (only new launches use the new template).
    :param rollback_alarms: Alarms that fail (and so roll back) an instance refresh, at most
        10 in all (``WebTier`` adds its monitoring's three); more later with
        ``add_rollback_alarms``. Default: none.
    :param max_instance_lifetime: Replace instances older than this, 1-365 days.
        Default: no limit.
    """

    instance_refresh: InstanceRefresh | None = DEFAULT_INSTANCE_REFRESH
    rollback_alarms: Sequence[cloudwatch.IAlarm] = ()
    max_instance_lifetime: Duration | None = None

    def check(self, errors: PropErrors, capacity: Capacity) -> None:
        """The refresh against the group's minimum, the alarms, the lifetime."""
        if self.instance_refresh is not None:
            check_instance_refresh(
                errors,
                "instance_refresh",
                self.instance_refresh,
                min_capacity=capacity.min_capacity,
            )
        elif self.rollback_alarms:
            errors.add(
                "rollback_alarms need instance_refresh; keep the default InstanceRefresh() "
                "or drop the alarms"
            )
        if len(self.rollback_alarms) > MAX_ROLLBACK_ALARMS:
            errors.add(
                f"rollback_alarms has {len(self.rollback_alarms)} alarms; an instance refresh "
                f"watches at most {MAX_ROLLBACK_ALARMS} (combine some with a composite alarm)"
            )
        if self.max_instance_lifetime is not None:
            low, high = MAX_INSTANCE_LIFETIME_SECONDS
            check_duration_seconds(
                errors, "max_instance_lifetime", self.max_instance_lifetime, low=low, high=high
            )


@dataclass(frozen=True)
@typed_fields
class Fleet:
    """What the fleet is made of and how instances join and leave it, for
    ``WebTier(fleet=...)`` and ``WebAutoScalingGroup(fleet=...)``.

    :param spot: Mixed instances with Spot above an On-Demand base (``WebTier``: its
        ``instance_type`` first among the types). Default: none, all On-Demand from the
        launch template.
    :param capacity_rebalance: Replace Spot instances at elevated interruption risk before
        they are reclaimed (needs ``spot``). Default: false.
    :param warm_pool: Pre-initialised instances for faster scale-out (not with ``spot``).
        Default: none.
    :param lifecycle_hooks: Hooks that hold instances in a wait state on launch or
        termination (e.g. to drain or register them), by construct id; each becomes an
        ``AWS::AutoScaling::LifecycleHook``; more with
        ``auto_scaling_group.add_lifecycle_hook``. Default: none.
    """

    spot: SpotCapacity | None = None
    capacity_rebalance: bool = False
    warm_pool: WarmPoolSettings | None = None
    lifecycle_hooks: Mapping[str, autoscaling.BasicLifecycleHookProps] = field(default_factory=dict)

    def check(self, errors: PropErrors, capacity: Capacity) -> None:
        """Spot, warm pool (against the group's maximum) and how they combine."""
        if self.warm_pool is not None:
            check_warm_pool(errors, "warm_pool", self.warm_pool, max_capacity=capacity.max_capacity)
            if self.spot is not None:
                errors.add(
                    "warm_pool and spot exclude each other: Auto Scaling has no warm pools "
                    "for groups with a mixed instances policy; drop one"
                )
        if self.spot is not None:
            check_spot(errors, "spot", self.spot)
        elif self.capacity_rebalance:
            errors.add(
                "capacity_rebalance only acts on Spot instances; give spot=SpotCapacity(...) "
                "or leave capacity_rebalance off"
            )
