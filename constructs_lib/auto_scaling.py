"""The seed's Auto Scaling Group: as many instances as demand asks for, within bounds."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import jsii
from aws_cdk import Duration, Stack
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_sns as sns
from constructs import Construct, IConstruct

from constructs_lib._acknowledge import CT, acknowledge, ignore_cfn_lint
from constructs_lib._validation import (
    PropErrors,
    check_duration_seconds,
    check_int_range,
    check_percentage,
    checked_by_parent,
    is_token,
    parent_checked,
    typed_arguments,
    typed_fields,
)
from constructs_lib.capacity import MAX_GROUP_SIZE as MAX_GROUP_SIZE
from constructs_lib.capacity import Capacity
from constructs_lib.capacity import check_capacities as check_capacities
from constructs_lib.fleet import MAX_INSTANCE_LIFETIME_SECONDS as MAX_INSTANCE_LIFETIME_SECONDS
from constructs_lib.fleet import (
    MAX_ROLLBACK_ALARMS,
    Fleet,
    Rollout,
    instance_refresh_policy,
    mixed_instances_policy,
)
from constructs_lib.network import MIN_AVAILABILITY_ZONES
from constructs_lib.predictive_scaling import (
    PredictiveMetric,
    PredictiveMode,
    PredictiveScaling,
    PredictiveScalingOptions,
    check_predictive,
)
from constructs_lib.scaling_policies import (
    TRACKED_METRICS,
    StepScaling,
    check_step_scaling,
    metric_key,
)
from constructs_lib.scaling_schedule import AnySchedule, ScalingSchedule, check_schedules

# Instances run in private subnets with a route out (NAT), one per Availability Zone.
DEFAULT_SUBNETS = ec2.SubnetSelection(
    subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS, one_per_az=True
)


def check_subnets(errors: PropErrors, vpc: ec2.IVpc, selection: ec2.SubnetSelection) -> None:
    """The group's subnets exist and span at least ``MIN_AVAILABILITY_ZONES``."""
    try:
        selected = select_subnets(vpc, selection)
    except RuntimeError as problem:  # aws-cdk-lib: no subnets of the requested type
        errors.add(f"vpc_subnets selects nothing in {vpc.node.path!r}: {problem}")
        return
    zones = count_zones(vpc, selected)
    if zones is not None and zones < MIN_AVAILABILITY_ZONES:
        errors.add(
            f"vpc_subnets selects subnets in {zones} Availability Zone(s) of "
            f"{vpc.node.path!r}; spread the group over at least {MIN_AVAILABILITY_ZONES} so "
            "one zone's failure leaves capacity"
        )


def count_zones(scope: IConstruct, subnets: Sequence[ec2.ISubnet]) -> int | None:
    """How many Availability Zones ``subnets`` span, or ``None`` when it cannot be known yet.

    A VPC built in an environment-agnostic stack names its zones as tokens,
    ``Fn::Select [i, Fn::GetAZs '']``; distinct indices are distinct zones, so those count too.
    """
    zones: set[str] = set()
    for subnet in subnets:
        zone = subnet.availability_zone
        if is_token(zone):
            resolved = Stack.of(scope).resolve(zone)
            if not (isinstance(resolved, dict) and set(resolved) == {"Fn::Select"}):
                return None
            zone = json.dumps(resolved, sort_keys=True)
        zones.add(zone)
    return len(zones)


def select_subnets(vpc: ec2.IVpc, selection: ec2.SubnetSelection) -> list[ec2.ISubnet]:
    """The subnets ``selection`` picks in ``vpc`` (the jsii method wants keywords)."""
    return vpc.select_subnets(
        subnet_type=selection.subnet_type,
        subnet_group_name=selection.subnet_group_name,
        subnets=selection.subnets,
        availability_zones=selection.availability_zones,
        one_per_az=selection.one_per_az,
        subnet_filters=selection.subnet_filters,
    ).subnets


@dataclass(frozen=True)
@typed_fields
class Scaling:
    """How the group follows demand, for ``WebTier(scaling=...)`` and
    ``WebAutoScalingGroup(scaling=...)``; all of it is checked together (two policies on one
    metric, schedules against the capacity...). More later with the group's ``scale_on_*``.

    :param cpu_target_percent: Average CPU the group tracks, in (0, 100]. Default: 50;
        ``None`` creates no CPU policy.
    :param request_count_target: ALB requests per target per minute to track (needs exactly
        one target group). Default: none, no request-count policy.
    :param network_in_target: Average bytes received per instance per second to track.
        Default: none.
    :param network_out_target: Average bytes sent per instance per second to track.
        Default: none.
    :param target_tracking_warmup: Estimated instance warm-up of the target-tracking
        policies, 0-3600 s. Default: unset, the group's ``default_instance_warmup`` applies.
    :param disable_scale_in: Target-tracking policies only scale out (scale in by schedule,
        step policy or by hand). Default: false, they scale both ways.
    :param step_scaling: Step policies on any CloudWatch metric, alarms included.
        Default: none.
    :param schedules: Capacity changes in one list: ``RecurringSchedule`` (cron + time zone)
        and ``OneOffSchedule`` (dated peaks, raised at the start, back to normal after the
        end). Default: none.
    :param predictive_scaling: Forecast-based scaling (``ForecastOnly`` unless you switch the
        mode). A ``PredictiveMetric.request_count()`` without a target group uses the group's
        single target group. Default: none.
    """

    cpu_target_percent: float | None = 50
    request_count_target: int | None = None
    network_in_target: int | None = None
    network_out_target: int | None = None
    target_tracking_warmup: Duration | None = None
    disable_scale_in: bool = False
    step_scaling: Sequence[StepScaling] = ()
    schedules: Sequence[AnySchedule] = ()
    predictive_scaling: PredictiveScalingOptions | None = None

    def check(
        self,
        errors: PropErrors,
        capacity: Capacity,
        target_groups: Sequence[elbv2.IApplicationTargetGroup] | None,
    ) -> None:
        """All policies, each and together (duplicates, conflicts), and the schedules against
        ``capacity``. ``target_groups`` ``None``: one group the caller creates later."""
        if self.cpu_target_percent is not None:
            check_percentage(errors, "cpu_target_percent", self.cpu_target_percent)
        if self.request_count_target is not None:
            check_int_range(errors, "request_count_target", self.request_count_target, low=1)
            if target_groups is not None and len(target_groups) != 1:
                errors.add(
                    f"request_count_target {self.request_count_target} needs exactly one target "
                    f"group to count requests in, got {len(target_groups)}; give target_groups"
                )
        for arg, value in (
            ("network_in_target", self.network_in_target),
            ("network_out_target", self.network_out_target),
        ):
            if value is not None:
                check_int_range(errors, arg, value, low=1, hint=" (bytes per second)")
        if self.target_tracking_warmup is not None:
            check_duration_seconds(
                errors, "target_tracking_warmup", self.target_tracking_warmup, low=0, high=3600
            )
        tracked = {
            kind
            for kind, value in (
                ("cpu", self.cpu_target_percent),
                ("request_count", self.request_count_target),
                ("network_in", self.network_in_target),
                ("network_out", self.network_out_target),
            )
            if value is not None
        }
        tracked_metrics = {TRACKED_METRICS[kind]: kind for kind in tracked}
        names: set[str] = set()
        step_metrics: dict[tuple[str, str], str] = {}
        for index, step in enumerate(self.step_scaling):
            arg = f"step_scaling[{index}]"
            check_step_scaling(errors, arg, step)
            if step.name in names:
                errors.add(f"{arg}.name {step.name!r} is used twice; names must be unique")
            names.add(step.name)
            key = metric_key(step.metric)
            if key is None:
                continue
            if key in tracked_metrics:
                errors.add(
                    f"{arg} {step.name!r} scales on {key[1]}, which target tracking "
                    f"({tracked_metrics[key]}) already tracks; two policies on one metric fight, "
                    "keep one"
                )
            if key in step_metrics:
                errors.add(
                    f"{arg} {step.name!r} scales on {key[1]} like {step_metrics[key]!r}; "
                    "merge their steps into one policy"
                )
            step_metrics.setdefault(key, step.name)
        if capacity.sizes_ok:
            check_schedules(
                errors,
                schedules=self.schedules,
                min_capacity=capacity.min_capacity,
                max_capacity=capacity.max_capacity,
            )
        if self.predictive_scaling is not None:
            check_predictive(errors, "predictive_scaling.", self.predictive_scaling)
            metric = self.predictive_scaling.metric
            needs_group = metric.predefined == "ALBRequestCount" and metric.target_group is None
            if (
                needs_group
                and target_groups is not None
                and (
                    len(target_groups) != 1
                    or not isinstance(target_groups[0], elbv2.ApplicationTargetGroup)
                )
            ):
                errors.add(
                    "predictive_scaling.metric request_count() without a target group "
                    "needs exactly one ApplicationTargetGroup in target_groups; pass one"
                )
            if (
                self.predictive_scaling.mode is PredictiveMode.FORECAST_AND_SCALE
                and not tracked
                and not self.step_scaling
            ):
                errors.add(
                    "predictive_scaling in FORECAST_AND_SCALE mode only adds capacity ahead "
                    "of the forecast; pair it with target tracking (e.g. self.cpu_target_percent) "
                    "so the group also follows unforecast load and scales in"
                )


DEFAULT_CAPACITY = Capacity()
DEFAULT_SCALING = Scaling()
DEFAULT_ROLLOUT = Rollout()
DEFAULT_FLEET = Fleet()


@jsii.implements(ec2.IConnectable)
class WebAutoScalingGroup(Construct):
    """An Auto Scaling Group of web instances launched from a launch template.

    Creates ``auto_scaling_group`` in private subnets across at least two Availability
    Zones, always from ``launch_template`` (never a deprecated launch configuration,
    whatever feature flags the app sets), with ELB health checks and a grace period, group
    metrics, optional notifications, registered in ``target_groups``, and a target-tracking
    policy on average CPU (``cpu_scaling``). ``desired_capacity`` is unset by default so a
    deploy never resets a scaled-out group; the group starts at ``min_capacity``.

    Scaling, all validated together: target tracking on CPU, ALB requests per target and
    network in/out (``target_tracking[kind]``), step scaling on any metric with its alarms
    (``step_policies[name]``), recurring and one-off schedules (``schedule``),
    predictive scaling (``predictive``). Rollouts: an instance refresh on every launch
    template change that never drops below the minimum and fails (CloudFormation rolls back)
    when a rollback alarm fires (``add_rollback_alarms``). Optional warm pool (``warm_pool``),
    capacity rebalancing, maximum instance lifetime and Spot with an On-Demand base.
    Add policies later with the ``scale_on_*`` methods.
    """

    @typed_arguments
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        launch_template: ec2.ILaunchTemplate,
        capacity: Capacity = DEFAULT_CAPACITY,
        scaling: Scaling = DEFAULT_SCALING,
        rollout: Rollout = DEFAULT_ROLLOUT,
        fleet: Fleet = DEFAULT_FLEET,
        vpc_subnets: ec2.SubnetSelection | None = None,
        target_groups: Sequence[elbv2.IApplicationTargetGroup] = (),
        health_check_grace_period: Duration = Duration.minutes(5),
        default_instance_warmup: Duration = Duration.minutes(3),
        notifications_topic: sns.ITopic | None = None,
    ) -> None:
        """
        :param vpc: The VPC of the instances.
        :param launch_template: What to launch, e.g. ``WebLaunchTemplate.launch_template``.
        :param capacity: Fewest, most and starting instances (``Capacity``). Default:
            ``Capacity()``, 2-4 instances, desired unset.
        :param scaling: The scaling policies and schedules (``Scaling``). Default:
            ``Scaling()``, target tracking at 50 % CPU only.
        :param rollout: How changes reach the fleet (``Rollout``). Default: ``Rollout()``, an
            instance refresh that never drops below the minimum, no rollback alarms.
        :param fleet: Spot, capacity rebalancing, warm pool and lifecycle hooks (``Fleet``).
            Default: ``Fleet()``, all On-Demand, no warm pool, no hooks.
        :param vpc_subnets: Where instances run. Default: private subnets with egress, one
            per Availability Zone.
        :param target_groups: Target groups to register in. Default: none.
        :param health_check_grace_period: Time after launch before health checks count,
            0-7200 s. Default: 5 minutes.
        :param default_instance_warmup: Time before a new instance's metrics count towards
            scaling, 0-3600 s. Default: 3 minutes.
        :param notifications_topic: Topic receiving launch/terminate notifications.
            Default: none.
        """
        super().__init__(scope, construct_id)
        errors = PropErrors("WebAutoScalingGroup")
        if not parent_checked():  # a parent (WebTier) ran this check already
            self.check(
                errors,
                vpc=vpc,
                capacity=capacity,
                scaling=scaling,
                rollout=rollout,
                fleet=fleet,
                vpc_subnets=vpc_subnets,
                target_groups=target_groups,
                health_check_grace_period=health_check_grace_period,
                default_instance_warmup=default_instance_warmup,
            )
        errors.raise_if_any()
        subnets = vpc_subnets or DEFAULT_SUBNETS
        min_capacity, max_capacity = capacity.min_capacity, capacity.max_capacity
        desired_capacity = capacity.desired_capacity
        spot, instance_refresh = fleet.spot, rollout.instance_refresh
        capacity_rebalance = fleet.capacity_rebalance
        max_instance_lifetime = rollout.max_instance_lifetime

        self.auto_scaling_group = autoscaling.AutoScalingGroup(
            self,
            "Group",
            vpc=vpc,
            vpc_subnets=subnets,
            launch_template=launch_template if spot is None else None,
            mixed_instances_policy=mixed_instances_policy(
                spot, launch_template, min_capacity=min_capacity
            )
            if spot is not None
            else None,
            min_capacity=min_capacity,
            max_capacity=max_capacity,
            desired_capacity=desired_capacity,
            health_checks=autoscaling.HealthChecks.with_additional_checks(
                additional_types=[autoscaling.AdditionalHealthCheckType.ELB],
                grace_period=health_check_grace_period,
            ),
            default_instance_warmup=default_instance_warmup,
            group_metrics=[autoscaling.GroupMetrics.all()],
            notifications=[autoscaling.NotificationConfiguration(topic=notifications_topic)]
            if notifications_topic is not None
            else None,
            update_policy=instance_refresh_policy(instance_refresh)
            if instance_refresh is not None
            else None,
            capacity_rebalance=capacity_rebalance or None,
            max_instance_lifetime=max_instance_lifetime,
        )
        acknowledge(
            self.auto_scaling_group,
            {
                f"{CT}::autoscaling_multiple_az_check": "The group spans at least two "
                "Availability Zones through VPCZoneIdentifier (its subnets, checked when the "
                "group is built); the rule reads only the AvailabilityZones property.",
            },
        )
        if spot is None or len(spot.instance_types) < 2:
            acknowledge(
                self.auto_scaling_group,
                {
                    f"{CT}::autoscaling_mixed_instances_policy_multiple_instance_types_check": (
                        "One On-Demand instance type by default: the fleet is sized for it and "
                        "the image built for its architecture; spot=SpotCapacity(...) with "
                        "several types spreads capacity risk when the caller wants it."
                    ),
                },
            )
        if desired_capacity is not None:
            acknowledge(
                self.auto_scaling_group,
                {
                    "@aws-cdk/aws-autoscaling:desiredCapacitySet": "The caller set "
                    "desired_capacity explicitly and so accepts that every deploy resets the "
                    "group to it; the default leaves it unset.",
                },
            )
        for target_group in target_groups:
            self.auto_scaling_group.attach_to_application_target_group(target_group)
        self._connections = self.auto_scaling_group.connections
        self.instance_refresh = instance_refresh
        self.rollback_alarms: list[cloudwatch.IAlarm] = []
        self._target_groups = list(target_groups)
        self._disable_scale_in = scaling.disable_scale_in
        self._target_tracking_warmup = scaling.target_tracking_warmup
        self.target_tracking: dict[str, autoscaling.TargetTrackingScalingPolicy] = {}
        self._policy_ids: dict[str, str] = {}
        self.step_policies: dict[str, autoscaling.StepScalingPolicy] = {}

        self.cpu_scaling: autoscaling.TargetTrackingScalingPolicy | None = None
        if scaling.cpu_target_percent is not None:
            self.cpu_scaling = self.scale_on_cpu(scaling.cpu_target_percent)
        self.request_count_scaling: autoscaling.TargetTrackingScalingPolicy | None = None
        if scaling.request_count_target is not None:
            self.request_count_scaling = self.scale_on_request_count(scaling.request_count_target)
        if scaling.network_in_target is not None:
            self.scale_on_network_in(scaling.network_in_target)
        if scaling.network_out_target is not None:
            self.scale_on_network_out(scaling.network_out_target)
        for step in scaling.step_scaling:
            self.scale_on_metric(step)

        self.schedule: ScalingSchedule | None = None
        if scaling.schedules:
            with checked_by_parent():  # Scaling.check ran ScalingSchedule's rules
                self.schedule = ScalingSchedule(
                    self,
                    "Schedule",
                    auto_scaling_group=self.auto_scaling_group,
                    min_capacity=min_capacity,
                    max_capacity=max_capacity,
                    desired_capacity=desired_capacity,
                    schedules=scaling.schedules,
                )

        self.predictive: PredictiveScaling | None = None
        predictive_scaling = scaling.predictive_scaling
        if predictive_scaling is not None:
            metric = predictive_scaling.metric
            if metric.predefined == "ALBRequestCount" and metric.target_group is None:
                group = self._target_groups[0]
                assert isinstance(group, elbv2.ApplicationTargetGroup)
                metric = PredictiveMetric.request_count(group)
            self.predictive = PredictiveScaling(
                self,
                "PredictiveScaling",
                auto_scaling_group=self.auto_scaling_group,
                metric=metric,
                target_value=predictive_scaling.target_value,
                mode=predictive_scaling.mode,
                scheduling_buffer=predictive_scaling.scheduling_buffer,
                max_capacity_breach=predictive_scaling.max_capacity_breach,
                max_capacity_buffer_percent=predictive_scaling.max_capacity_buffer_percent,
            )

        self.warm_pool: autoscaling.WarmPool | None = None
        warm_pool = fleet.warm_pool
        if warm_pool is not None:
            self.warm_pool = self.auto_scaling_group.add_warm_pool(
                min_size=warm_pool.min_size,
                max_group_prepared_capacity=warm_pool.max_prepared_capacity,
                pool_state=warm_pool.pool_state,
                reuse_on_scale_in=warm_pool.reuse_on_scale_in,
            )
        if rollout.rollback_alarms:
            self.add_rollback_alarms(*rollout.rollback_alarms)
        self.lifecycle_hooks: dict[str, autoscaling.LifecycleHook] = {
            hook_id: self.auto_scaling_group.add_lifecycle_hook(
                hook_id,
                lifecycle_transition=props.lifecycle_transition,
                default_result=props.default_result,
                heartbeat_timeout=props.heartbeat_timeout,
                lifecycle_hook_name=props.lifecycle_hook_name,
                notification_metadata=props.notification_metadata,
                notification_target=props.notification_target,
                role=props.role,
            )
            for hook_id, props in fleet.lifecycle_hooks.items()
        }

    @property
    def connections(self) -> ec2.Connections:
        """The group's: the security groups of its launch template."""
        return self._connections

    @staticmethod
    def check(
        errors: PropErrors,
        *,
        vpc: ec2.IVpc,
        capacity: Capacity = DEFAULT_CAPACITY,
        scaling: Scaling = DEFAULT_SCALING,
        rollout: Rollout = DEFAULT_ROLLOUT,
        fleet: Fleet = DEFAULT_FLEET,
        vpc_subnets: ec2.SubnetSelection | None = None,
        target_groups: Sequence[elbv2.IApplicationTargetGroup] | None = (),
        health_check_grace_period: Duration = Duration.minutes(5),
        default_instance_warmup: Duration = Duration.minutes(3),
    ) -> None:
        """Every argument of the group, each option group by its own ``check``: what the
        constructor runs first, and what ``WebTier`` runs before it builds anything.
        ``target_groups`` ``None`` means one ApplicationTargetGroup that the caller creates
        later (``WebTier``); the checks that need the groups are then skipped."""
        capacity.check(errors)
        scaling.check(errors, capacity, target_groups)
        rollout.check(errors, capacity)
        fleet.check(errors, capacity)
        check_duration_seconds(
            errors, "health_check_grace_period", health_check_grace_period, low=0, high=7200
        )
        check_duration_seconds(
            errors, "default_instance_warmup", default_instance_warmup, low=0, high=3600
        )
        check_subnets(errors, vpc, vpc_subnets or DEFAULT_SUBNETS)

    def _check_not_tracked(self, errors: PropErrors, kind: str, policy_id: str) -> None:
        if kind in self.target_tracking:
            existing = self._policy_ids[kind]
            errors.add(
                f"the group already tracks {TRACKED_METRICS[kind][1]} with policy "
                f"{existing!r}; a second target-tracking policy {policy_id!r} on the same metric "
                "fights the first, keep one"
            )

    def _scale_in(self, disable_scale_in: bool | None) -> bool:
        return self._disable_scale_in if disable_scale_in is None else disable_scale_in

    def scale_on_cpu(
        self,
        target_percent: float,
        *,
        policy_id: str = "CpuScaling",
        disable_scale_in: bool | None = None,
    ) -> autoscaling.TargetTrackingScalingPolicy:
        """Track an average CPU utilisation, e.g. 50 adds instances above 50% CPU."""
        errors = PropErrors("WebAutoScalingGroup.scale_on_cpu")
        check_percentage(errors, "target_percent", target_percent)
        self._check_not_tracked(errors, "cpu", policy_id)
        errors.raise_if_any()
        policy = self.auto_scaling_group.scale_on_cpu_utilization(
            policy_id,
            target_utilization_percent=target_percent,
            disable_scale_in=self._scale_in(disable_scale_in) or None,
            estimated_instance_warmup=self._target_tracking_warmup,
        )
        self.target_tracking["cpu"] = policy
        self._policy_ids["cpu"] = policy_id
        return policy

    def scale_on_request_count(
        self,
        requests_per_target_per_minute: int,
        *,
        policy_id: str = "RequestCountScaling",
        disable_scale_in: bool | None = None,
    ) -> autoscaling.TargetTrackingScalingPolicy:
        """Track ALB requests per target per minute (the group must be in a target group)."""
        errors = PropErrors("WebAutoScalingGroup.scale_on_request_count")
        check_int_range(
            errors, "requests_per_target_per_minute", requests_per_target_per_minute, low=1
        )
        self._check_not_tracked(errors, "request_count", policy_id)
        errors.raise_if_any()
        policy = self.auto_scaling_group.scale_on_request_count(
            policy_id,
            target_requests_per_minute=requests_per_target_per_minute,
            disable_scale_in=self._scale_in(disable_scale_in) or None,
            estimated_instance_warmup=self._target_tracking_warmup,
        )
        self.target_tracking["request_count"] = policy
        self._policy_ids["request_count"] = policy_id
        ignore_cfn_lint(
            policy,
            {
                "W3005": "The L2 request-count policy both depends on the listener (so the "
                "target group has a load balancer) and names it in ResourceLabel; the "
                "redundant DependsOn is aws-cdk-lib's and harmless.",
            },
        )
        return policy

    def scale_on_network_in(
        self,
        bytes_per_second: int,
        *,
        policy_id: str = "NetworkInScaling",
        disable_scale_in: bool | None = None,
    ) -> autoscaling.TargetTrackingScalingPolicy:
        """Track average bytes received per instance per second."""
        return self._scale_on_network("network_in", bytes_per_second, policy_id, disable_scale_in)

    def scale_on_network_out(
        self,
        bytes_per_second: int,
        *,
        policy_id: str = "NetworkOutScaling",
        disable_scale_in: bool | None = None,
    ) -> autoscaling.TargetTrackingScalingPolicy:
        """Track average bytes sent per instance per second."""
        return self._scale_on_network("network_out", bytes_per_second, policy_id, disable_scale_in)

    def _scale_on_network(
        self, kind: str, target: int, policy_id: str, disable_scale_in: bool | None
    ) -> autoscaling.TargetTrackingScalingPolicy:
        errors = PropErrors(f"WebAutoScalingGroup.scale_on_{kind}")
        check_int_range(errors, "bytes_per_second", target, low=1)
        self._check_not_tracked(errors, kind, policy_id)
        errors.raise_if_any()
        scale = (
            self.auto_scaling_group.scale_on_incoming_bytes
            if kind == "network_in"
            else self.auto_scaling_group.scale_on_outgoing_bytes
        )
        policy = scale(
            policy_id,
            target_bytes_per_second=target,
            disable_scale_in=self._scale_in(disable_scale_in) or None,
            estimated_instance_warmup=self._target_tracking_warmup,
        )
        self.target_tracking[kind] = policy
        self._policy_ids[kind] = policy_id
        return policy

    def scale_on_metric(self, step: StepScaling) -> autoscaling.StepScalingPolicy:
        """Step scaling on any metric: creates the policy and its upper/lower alarms."""
        errors = PropErrors("WebAutoScalingGroup.scale_on_metric")
        check_step_scaling(errors, "step", step)
        if step.name in self.step_policies:
            errors.add(f"step.name {step.name!r} is already a step policy of this group")
        key = metric_key(step.metric)
        for kind, policy_id in self._policy_ids.items():
            if key == TRACKED_METRICS[kind]:
                errors.add(
                    f"step {step.name!r} scales on {key[1]}, which target tracking "
                    f"({policy_id}) already tracks; two policies on one metric fight"
                )
        errors.raise_if_any()
        step_policy = self.auto_scaling_group.scale_on_metric(
            step.name,
            metric=step.metric,
            scaling_steps=list(step.steps),
            adjustment_type=step.adjustment_type,
            evaluation_periods=step.evaluation_periods,
            datapoints_to_alarm=step.datapoints_to_alarm,
            estimated_instance_warmup=step.estimated_instance_warmup,
        )
        self.step_policies[step.name] = step_policy
        return step_policy

    def add_rollback_alarms(self, *alarms: cloudwatch.IAlarm) -> None:
        """Fail (and so roll back) an instance refresh when any of these alarms fires.

        For alarms created after the group, e.g. by an observability construct watching the
        load balancer's 5xx rate and unhealthy hosts. At most 10 alarms in total; an alarm
        already watched is not added twice.
        """
        errors = PropErrors("WebAutoScalingGroup.add_rollback_alarms")
        alarms = tuple(a for a in dict.fromkeys(alarms) if a not in self.rollback_alarms)
        if self.instance_refresh is None:
            errors.add("rollback alarms need instance_refresh; the group was built without it")
        total = len(self.rollback_alarms) + len(alarms)
        if total > MAX_ROLLBACK_ALARMS:
            errors.add(
                f"alarms would make {total} rollback alarms; an instance refresh watches at "
                f"most {MAX_ROLLBACK_ALARMS} (combine some with a composite alarm)"
            )
        errors.raise_if_any()
        self.rollback_alarms.extend(alarms)
        # Escape hatch on purpose: UpdatePolicy.instance_refresh(alarms=...) renders its alarm
        # list once, when the group is built, but rollback alarms usually come later (they watch
        # the group and its load balancer). Each call rewrites the whole list.
        cfn_group = self.auto_scaling_group.node.default_child
        assert isinstance(cfn_group, autoscaling.CfnAutoScalingGroup)
        cfn_group.add_override(
            "UpdatePolicy.AutoScalingInstanceRefresh.Preferences.AlarmSpecification",
            {"Alarms": [alarm.alarm_name for alarm in self.rollback_alarms]},
        )
