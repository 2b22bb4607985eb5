"""The seed's Auto Scaling Group: as many instances as demand asks for, within bounds."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_sns as sns
from constructs import Construct

from constructs_lib._acknowledge import acknowledge
from constructs_lib._validation import (
    PropErrors,
    check_duration_seconds,
    check_int_range,
    check_percentage,
    is_token,
)

MAX_GROUP_SIZE = 1000


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


def check_capacities(
    errors: PropErrors,
    *,
    min_capacity: int,
    max_capacity: int,
    desired_capacity: int | None,
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


class WebAutoScalingGroup(Construct):
    """An Auto Scaling Group of web instances launched from a launch template.

    Creates ``auto_scaling_group`` in private subnets across at least two Availability
    Zones, always from ``launch_template`` (never a deprecated launch configuration,
    whatever feature flags the app sets), with ELB health checks and a grace period, group
    metrics, optional notifications, registered in ``target_groups``, and a target-tracking
    policy on average CPU (``cpu_scaling``). ``desired_capacity`` is unset by default so a
    deploy never resets a scaled-out group; the group starts at ``min_capacity``.
    Add more policies with ``scale_on_cpu``/``scale_on_request_count`` or directly on
    ``auto_scaling_group``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        launch_template: ec2.ILaunchTemplate,
        min_capacity: int = 2,
        max_capacity: int = 4,
        desired_capacity: int | None = None,
        cpu_target_percent: float | None = 50,
        vpc_subnets: ec2.SubnetSelection | None = None,
        target_groups: Sequence[elbv2.IApplicationTargetGroup] = (),
        health_check_grace_period: Duration = Duration.minutes(5),
        default_instance_warmup: Duration = Duration.minutes(3),
        notifications_topic: sns.ITopic | None = None,
    ) -> None:
        """
        :param vpc: The VPC of the instances.
        :param launch_template: What to launch, e.g. ``WebLaunchTemplate.launch_template``.
        :param min_capacity: Fewest instances. Default: 2 (one per Availability Zone).
        :param max_capacity: Most instances. Default: 4.
        :param desired_capacity: Fixed starting size. Default: unset; the group starts at
            ``min_capacity`` and deploys never reset what scaling has done.
        :param cpu_target_percent: Average CPU the group tracks, in (0, 100]. Default: 50;
            ``None`` creates no CPU policy.
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
        check_capacities(
            errors,
            min_capacity=min_capacity,
            max_capacity=max_capacity,
            desired_capacity=desired_capacity,
        )
        if cpu_target_percent is not None:
            check_percentage(errors, "cpu_target_percent", cpu_target_percent)
        check_duration_seconds(
            errors, "health_check_grace_period", health_check_grace_period, low=0, high=7200
        )
        check_duration_seconds(
            errors, "default_instance_warmup", default_instance_warmup, low=0, high=3600
        )
        subnets = vpc_subnets or ec2.SubnetSelection(
            subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS, one_per_az=True
        )
        if not errors.problems:
            selected = select_subnets(vpc, subnets)
            if not any(is_token(s.subnet_id) for s in selected) and len(selected) < 2:
                errors.add(
                    f"vpc_subnets selects {len(selected)} subnet(s); spread the group over at "
                    "least two Availability Zones so one zone's failure leaves capacity"
                )
        errors.raise_if_any()

        self.auto_scaling_group = autoscaling.AutoScalingGroup(
            self,
            "Group",
            vpc=vpc,
            vpc_subnets=subnets,
            launch_template=launch_template,
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

        self.cpu_scaling: autoscaling.TargetTrackingScalingPolicy | None = None
        if cpu_target_percent is not None:
            self.cpu_scaling = self.scale_on_cpu(cpu_target_percent)
        self.connections = self.auto_scaling_group.connections

    def scale_on_cpu(
        self, target_percent: float, *, policy_id: str = "CpuScaling"
    ) -> autoscaling.TargetTrackingScalingPolicy:
        """Track an average CPU utilisation, e.g. 50 adds instances above 50% CPU."""
        errors = PropErrors("WebAutoScalingGroup.scale_on_cpu")
        check_percentage(errors, "target_percent", target_percent)
        errors.raise_if_any()
        return self.auto_scaling_group.scale_on_cpu_utilization(
            policy_id, target_utilization_percent=target_percent
        )

    def scale_on_request_count(
        self, requests_per_target_per_minute: int, *, policy_id: str = "RequestCountScaling"
    ) -> autoscaling.TargetTrackingScalingPolicy:
        """Track ALB requests per target per minute (the group must be in a target group)."""
        errors = PropErrors("WebAutoScalingGroup.scale_on_request_count")
        check_int_range(
            errors, "requests_per_target_per_minute", requests_per_target_per_minute, low=1
        )
        errors.raise_if_any()
        return self.auto_scaling_group.scale_on_request_count(
            policy_id, target_requests_per_minute=requests_per_target_per_minute
        )
