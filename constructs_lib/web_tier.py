"""The seed's whole flow as one construct: DNS -> ALB -> target group -> ASG -> instances."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import jsii
from aws_cdk import Duration
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from constructs import Construct

from constructs_lib._acknowledge import NIST, PCI, acknowledge, in_packs
from constructs_lib._validation import (
    PropErrors,
    check_dns_name,
    check_duration_seconds,
    check_email,
    check_http_path,
    check_percentage,
)
from constructs_lib.auto_scaling import (
    DEFAULT_INSTANCE_REFRESH,
    DEFAULT_SUBNETS,
    WebAutoScalingGroup,
    check_capacities,
    check_subnets,
)
from constructs_lib.dns import WebDns, check_record_names
from constructs_lib.fleet import (
    MAX_ROLLBACK_ALARMS,
    InstanceRefresh,
    SpotCapacity,
    WarmPoolSettings,
)
from constructs_lib.image_pipeline import ImageRollout
from constructs_lib.instance_types import check_instance_type
from constructs_lib.launch_template import WebLaunchTemplate, check_root_volume_size
from constructs_lib.load_balancer import (
    MAX_DEREGISTRATION_DELAY_SECONDS,
    SharedListener,
    TargetGroupOptions,
    WebLoadBalancer,
    check_dual_stack,
)
from constructs_lib.log_buckets import LogBuckets
from constructs_lib.machine_image import WebImage
from constructs_lib.notifications import EncryptedTopic
from constructs_lib.observability import (
    AlarmThresholds,
    WebTierMonitoring,
    check_alarm_thresholds,
)
from constructs_lib.predictive_scaling import PredictiveScalingOptions
from constructs_lib.scaling_schedule import AnySchedule
from constructs_lib.waf import WafLogStore, WebAcl
from constructs_lib.web_security_groups import WEB_PORTS, WebSecurityGroups, check_security_groups

# WebTierMonitoring.rollback_alarms: ALB 5xx rate, target 5xx rate, unhealthy hosts.
_MONITORING_ROLLBACK_ALARMS = 3
_LISTENER_PORTS = WEB_PORTS


@jsii.implements(ec2.IConnectable)
class WebTier(Construct):
    """A load-balanced, auto-scaled EC2 web tier in an existing VPC, secure by default.

    Wires, in the order a request travels: optional Route 53 alias records (``dns``) ->
    an internet-facing Application Load Balancer (``load_balancer``, with ``listener`` and
    ``target_group``) -> an Auto Scaling Group (``auto_scaling_group``) launched from a
    hardened launch template (``launch_template``) -> instances that accept traffic only
    from the load balancer (``security_groups``). Those attributes are the aws-cdk-lib
    objects themselves, as in aws-ecs-patterns; the library constructs that build them are
    ``load_balancing`` (``WebLoadBalancer``: also ``http_listener`` and, on a shared
    listener, ``rule``), ``auto_scaling`` (``WebAutoScalingGroup``: ``scale_on_*``, the
    policies and schedules) and ``launch`` (``WebLaunchTemplate``: the instance ``role``
    and ``user_data``). Access logs go to ``log_buckets`` (or the
    bucket you pass) and Auto Scaling notifications to ``topic`` (by default
    ``notifications``, an encrypted topic). ``monitoring`` holds the CloudWatch alarms
    (notifying ``topic``) and dashboard. ``waf`` is the AWS WAF web ACL in front of the load
    balancer (unless turned off; then ``waf_logs`` keeps its log group and key).
    ``connections`` (an ``ec2.IConnectable``) is the instances' security group with the
    application port as default port, so ``db.connections.allow_default_port_from(tier)``
    lets the instances reach a database; the load balancer's is ``load_balancer.connections``.
    With ``image=WebImage.from_image_pipeline(pipeline)`` the instances boot the golden image
    (the boot script only starts nginx) and ``image_rollout`` rolls each later pipeline image
    into the group with the same rollback alarms.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        instance_type: ec2.InstanceType | None = None,
        image: WebImage | None = None,
        app_port: int = 80,
        min_capacity: int = 2,
        max_capacity: int = 4,
        desired_capacity: int | None = None,
        cpu_target_percent: float | None = 50,
        admin_cidrs: Sequence[str] = (),
        key_pair: ec2.IKeyPair | None = None,
        user_data: ec2.UserData | None = None,
        root_volume_size_gib: int = 8,
        detailed_monitoring: bool = True,
        health_check_path: str = "/health",
        certificate: acm.ICertificate | None = None,
        hosted_zone: route53.IHostedZone | None = None,
        record_names: Sequence[str] = (),
        dual_stack: bool = False,
        access_logs_bucket: s3.IBucket | None = None,
        notifications_topic: sns.ITopic | None = None,
        deletion_protection: bool = True,
        deregistration_delay: Duration = Duration.seconds(30),
        observability: bool = True,
        alarm_thresholds: AlarmThresholds | None = None,
        alarm_email: str | None = None,
        waf: bool = True,
        request_count_target: int | None = None,
        schedules: Sequence[AnySchedule] = (),
        predictive_scaling: PredictiveScalingOptions | None = None,
        instance_refresh: InstanceRefresh | None = DEFAULT_INSTANCE_REFRESH,
        rollback_alarms: Sequence[cloudwatch.IAlarm] = (),
        warm_pool: WarmPoolSettings | None = None,
        spot: SpotCapacity | None = None,
        capacity_rebalance: bool = False,
        max_instance_lifetime: Duration | None = None,
        internet_facing: bool = True,
        shared_listener: SharedListener | None = None,
        target_group: TargetGroupOptions | None = None,
        lifecycle_hooks: Mapping[str, autoscaling.BasicLifecycleHookProps] | None = None,
    ) -> None:
        """
        :param vpc: VPC with public subnets (load balancer) and private subnets with egress
            (instances) in at least two Availability Zones.
        :param instance_type: The instances' hardware. Default: t3.micro.
        :param image: The AMI. Default: latest Amazon Linux 2023 for the instance type's
            CPU architecture. With ``WebImage.from_image_pipeline`` the instances boot the
            golden image and ``image_rollout`` rolls each new one in.
        :param app_port: Port the application serves on. Default: 80.
        :param min_capacity: Fewest instances. Default: 2.
        :param max_capacity: Most instances. Default: 4.
        :param desired_capacity: Starting size. Default: unset (starts at ``min_capacity``;
            deploys never reset a scaled-out group).
        :param cpu_target_percent: Average CPU to track. Default: 50; ``None`` for no policy.
        :param admin_cidrs: IPv4 CIDRs allowed to SSH. Default: none, no SSH at all (use
            SSM Session Manager).
        :param key_pair: EC2 key pair for SSH. Default: none.
        :param user_data: Boot script. Default: nginx serving a page and the health path.
        :param root_volume_size_gib: Encrypted gp3 root volume size. Default: 8 GiB.
        :param detailed_monitoring: One-minute EC2 metrics (target tracking acts on them).
            Default: on; off saves its charge.
        :param health_check_path: Path the load balancer probes. Default: ``/health``.
        :param certificate: ACM certificate: HTTPS on 443, port 80 redirects. Default: none,
            HTTP only on port 80.
        :param hosted_zone: Route 53 zone for alias records. Default: none; point an
            external DNS at ``load_balancer.load_balancer_dns_name``.
        :param record_names: Names to alias to the load balancer (with ``hosted_zone``).
            Default: none.
        :param dual_stack: IPv4 and IPv6 load balancer (the VPC needs IPv6), with AAAA
            records. Default: IPv4 only.
        :param access_logs_bucket: Where ALB access logs go. Default: new ``LogBuckets``.
        :param notifications_topic: Auto Scaling notifications. Default: a new encrypted,
            TLS-only topic.
        :param deletion_protection: Protect the load balancer from deletion. Default: on;
            turn it off for disposable environments.
        :param deregistration_delay: Connection draining time. Default: 30 s.
        :param observability: CloudWatch alarms notifying the topic and a dashboard
            (``monitoring``). Default: on.
        :param alarm_thresholds: When the alarms fire. Default: ``AlarmThresholds()``; the
            at-max-size alarm is left out when ``min_capacity`` equals ``max_capacity`` (a
            fixed-size group is always at its maximum).
        :param alarm_email: An address subscribed to the topic (alarms and Auto Scaling
            notifications); needs ``observability``. Default: no subscription.
        :param waf: Put an AWS WAF web ACL (``WebAcl``: AWS managed rule groups, logged) in
            front of the load balancer. Default: on; turn it off only when a web ACL is
            attached by other means (e.g. AWS Firewall Manager). Off keeps the web ACL's
            retained log group and its key (``waf_logs``, a KMS key costs about 1 USD a
            month) so that switching it off and on again never collides on the log group's
            name nor leaves a key behind per switch.
        :param request_count_target: ALB requests per target per minute to track.
            Default: none (CPU only).
        :param schedules: Capacity changes, in one list: ``RecurringSchedule`` (cron + time
            zone) and ``OneOffSchedule`` (dated peaks such as Christmas). Default: none.
        :param predictive_scaling: Forecast-based scaling; ``PredictiveMetric.request_count()``
            counts the tier's target group. Default: none.
        :param instance_refresh: How launch-template changes roll the fleet. Default:
            ``InstanceRefresh()`` (never below the minimum); ``None`` to turn it off.
        :param rollback_alarms: Alarms that fail and roll back an instance refresh, besides the
            monitoring's 5xx-rate and unhealthy-host alarms (added when ``observability`` is
            on); more with ``auto_scaling.add_rollback_alarms``. Default: none.
        :param warm_pool: Pre-initialised instances. Default: none.
        :param spot: Spot above an On-Demand base, with ``instance_type`` first among the
            types. Default: none (all On-Demand).
        :param capacity_rebalance: Replace Spot instances at risk early (with ``spot``).
            Default: false.
        :param max_instance_lifetime: Replace instances older than this. Default: no limit.
        :param internet_facing: A public load balancer in the public subnets, open to the
            internet; ``False`` for an internal one in the private subnets, open to the VPC's
            IPv4 range only. Default: True.
        :param shared_listener: Join another load balancer's listener with a rule (host
            names or paths) instead of creating a load balancer, so that several tiers share
            one: the instances accept traffic from that load balancer's groups, a
            ``certificate`` is added to that listener, and the load balancer's own settings
            (``internet_facing``, ``dual_stack``, ``deletion_protection``, ``waf``, access
            logs) stay its owner's. Default: a load balancer of its own.
        :param target_group: Stickiness, slow start, the balancing algorithm and health-check
            tuning (``TargetGroupOptions``). Default: ``WebLoadBalancer``'s (round robin,
            no stickiness, no slow start, a probe every 15 s).
        :param lifecycle_hooks: Lifecycle hooks of the group, by construct id (see
            ``WebAutoScalingGroup``). Default: none.
        More policies: ``auto_scaling.scale_on_network_in/out``, ``scale_on_metric``.
        """
        super().__init__(scope, construct_id)
        errors = PropErrors("WebTier")
        # The children check these props again; checking them here first reports every
        # problem of one WebTier call together, not one child's at a time.
        type_ok = instance_type is None or check_instance_type(
            errors, "instance_type", instance_type, name_ok=False
        )
        check_security_groups(
            errors, app_port=app_port, listener_ports=_LISTENER_PORTS, admin_cidrs=admin_cidrs
        )
        check_capacities(
            errors,
            min_capacity=min_capacity,
            max_capacity=max_capacity,
            desired_capacity=desired_capacity,
        )
        if cpu_target_percent is not None:
            check_percentage(errors, "cpu_target_percent", cpu_target_percent)
        check_root_volume_size(errors, "root_volume_size_gib", root_volume_size_gib)
        check_http_path(errors, "health_check_path", health_check_path)
        check_duration_seconds(
            errors,
            "deregistration_delay",
            deregistration_delay,
            low=0,
            high=MAX_DEREGISTRATION_DELAY_SECONDS,
        )
        if isinstance(record_names, str):
            errors.add(
                f"record_names {record_names!r} is a string; give a list, e.g. ['shop.example.com']"
            )
        elif hosted_zone is not None:
            check_record_names(errors, record_names, hosted_zone.zone_name)
        else:
            for index, name in enumerate(record_names):
                check_dns_name(errors, f"record_names[{index}]", name, allow_wildcard=True)
        if record_names and hosted_zone is None and not isinstance(record_names, str):
            errors.add(
                f"record_names {list(record_names)} needs hosted_zone; give the zone or "
                "leave record_names empty and point an external DNS at the load balancer"
            )
        if hosted_zone is not None and not record_names:
            errors.add("hosted_zone is given but record_names is empty; name the records")
        if alarm_email is not None and not observability:
            errors.add(
                f"alarm_email {alarm_email!r} needs observability=True (the subscription is "
                "part of the monitoring); turn it on or leave alarm_email unset"
            )
        if observability:
            # Checked here too so that nothing is built before the problems are reported.
            if alarm_email is not None:
                check_email(errors, "alarm_email", alarm_email)
            if alarm_thresholds is not None:
                check_alarm_thresholds(errors, alarm_thresholds)
        # The scaling and rollout options, against the one target group this tier creates.
        WebAutoScalingGroup.check_scaling(
            errors,
            min_capacity=min_capacity,
            max_capacity=max_capacity,
            cpu_target_percent=cpu_target_percent,
            target_groups=None,
            request_count_target=request_count_target,
            network_in_target=None,
            network_out_target=None,
            target_tracking_warmup=None,
            step_scaling=(),
            schedules=schedules,
            predictive_scaling=predictive_scaling,
        )
        WebAutoScalingGroup.check_rollout(
            errors,
            min_capacity=min_capacity,
            max_capacity=max_capacity,
            instance_refresh=instance_refresh,
            rollback_alarms=rollback_alarms,
            warm_pool=warm_pool,
            capacity_rebalance=capacity_rebalance,
            max_instance_lifetime=max_instance_lifetime,
            spot=spot,
        )
        monitoring_alarms = _MONITORING_ROLLBACK_ALARMS if observability else 0
        if instance_refresh is not None and (
            len(rollback_alarms) + monitoring_alarms > MAX_ROLLBACK_ALARMS
        ):
            errors.add(
                f"rollback_alarms has {len(rollback_alarms)} alarms; with the monitoring's "
                f"{monitoring_alarms} an instance refresh would watch more than "
                f"{MAX_ROLLBACK_ALARMS} (combine some with a composite alarm)"
            )
        if image is not None and image.pipeline is not None and instance_refresh is None:
            errors.add(
                "image comes from a WebImagePipeline but instance_refresh is None; new images "
                "reach the fleet only through an instance refresh (keep InstanceRefresh())"
            )
        if spot is not None and type_ok and not errors.problems:
            tier_type = instance_type or ec2.InstanceType("t3.micro")
            wrong = [
                t.to_string()
                for t in spot.instance_types
                if t.architecture != tier_type.architecture
            ]
            if wrong:
                errors.add(
                    f"spot.instance_types {wrong} do not share instance_type "
                    f"{tier_type.to_string()!r}'s CPU architecture; the image boots on one"
                )
        if shared_listener is not None:
            shared_listener.check(errors, "shared_listener")
        check_dual_stack(errors, "dual_stack True", vpc, dual_stack)
        check_subnets(errors, vpc, DEFAULT_SUBNETS)
        errors.raise_if_any()
        instance_type = instance_type or ec2.InstanceType("t3.micro")

        self.security_groups = WebSecurityGroups(
            self,
            "SecurityGroups",
            vpc=vpc,
            app_port=app_port,
            listener_ports=_LISTENER_PORTS,
            admin_cidrs=admin_cidrs,
            dual_stack=dual_stack,
            clients=None if internet_facing else ec2.Peer.ipv4(vpc.vpc_cidr_block),
            shared_load_balancer=shared_listener.listener if shared_listener else None,
        )
        self.launch = WebLaunchTemplate(
            self,
            "LaunchTemplate",
            instance_type=instance_type,
            image=image,
            security_groups=self.security_groups.instance_groups,
            key_pair=key_pair,
            user_data=user_data,
            app_port=app_port,
            health_check_path=health_check_path,
            root_volume_size_gib=root_volume_size_gib,
            detailed_monitoring=detailed_monitoring,
        )
        self.launch_template: ec2.LaunchTemplate = self.launch.launch_template

        self.log_buckets: LogBuckets | None = None
        if access_logs_bucket is None and shared_listener is None:
            self.log_buckets = LogBuckets(self, "Logs")
            access_logs_bucket = self.log_buckets.logs
        self.load_balancing = WebLoadBalancer(
            self,
            "LoadBalancer",
            vpc=vpc,
            security_group=self.security_groups.load_balancer,
            app_port=app_port,
            certificate=certificate,
            dual_stack=dual_stack,
            health_check_path=health_check_path,
            access_logs_bucket=access_logs_bucket,
            deletion_protection=deletion_protection,
            deregistration_delay=deregistration_delay,
            internet_facing=internet_facing,
            shared_listener=shared_listener,
            **(target_group or TargetGroupOptions()).given(),
        )
        self.load_balancer: elbv2.IApplicationLoadBalancer = self.load_balancing.load_balancer
        self.listener: elbv2.IApplicationListener = self.load_balancing.listener
        self.target_group: elbv2.ApplicationTargetGroup = self.load_balancing.target_group

        self.waf: WebAcl | None = None
        self.waf_logs: WafLogStore | None = None
        if shared_listener is not None:
            pass  # A load balancer has one web ACL: the shared one's belongs to its owner.
        elif waf:
            self.waf = WebAcl(self, "Waf")
            self.waf.associate(self.load_balancer)
        else:
            # The web ACL's log group and key stay (same ids, names and properties) when the
            # web ACL is off: turning it on again must not create a log group whose name the
            # retained one still holds, nor a new key per toggle (WafLogStore).
            self.waf_logs = WafLogStore(self, "Waf")
            acknowledge(
                self.load_balancer,
                in_packs(
                    "ALBWAFEnabled",
                    "The caller turned the web tier's AWS WAF web ACL off (waf=False, "
                    "cdk.json waf=false), e.g. because AWS Firewall Manager attaches the "
                    "organisation's web ACL to every load balancer.",
                    (NIST, PCI),
                ),
            )

        self.notifications: EncryptedTopic | None = None
        if notifications_topic is None:
            self.notifications = EncryptedTopic(self, "Notifications")
            notifications_topic = self.notifications.topic
        self.topic = notifications_topic

        self.auto_scaling = WebAutoScalingGroup(
            self,
            "AutoScaling",
            vpc=vpc,
            launch_template=self.launch_template,
            min_capacity=min_capacity,
            max_capacity=max_capacity,
            desired_capacity=desired_capacity,
            cpu_target_percent=cpu_target_percent,
            target_groups=[self.target_group],
            notifications_topic=notifications_topic,
            request_count_target=request_count_target,
            schedules=schedules,
            predictive_scaling=predictive_scaling,
            instance_refresh=instance_refresh,
            rollback_alarms=rollback_alarms,
            warm_pool=warm_pool,
            spot=spot,
            capacity_rebalance=capacity_rebalance,
            max_instance_lifetime=max_instance_lifetime,
            lifecycle_hooks=lifecycle_hooks,
        )
        self.auto_scaling_group: autoscaling.AutoScalingGroup = self.auto_scaling.auto_scaling_group

        self.monitoring: WebTierMonitoring | None = None
        if observability:
            thresholds = alarm_thresholds or AlarmThresholds()
            if min_capacity == max_capacity:
                thresholds = dataclasses.replace(thresholds, at_max_capacity_for=None)
            self.monitoring = WebTierMonitoring(
                self,
                "Monitoring",
                load_balancer=self.load_balancer,
                target_group=self.target_group,
                auto_scaling_group=self.auto_scaling_group,
                topic=notifications_topic,
                instance_type=instance_type,
                thresholds=thresholds,
                alarm_email=alarm_email,
            )
            if instance_refresh is not None:
                # A rollout that raises the 5xx rate or leaves hosts unhealthy rolls back.
                self.auto_scaling.add_rollback_alarms(*self.monitoring.rollback_alarms)

        self.image_rollout: ImageRollout | None = None
        if image is not None and image.pipeline is not None:
            # After the monitoring: the rollout reads the group's rollback alarms.
            self.image_rollout = ImageRollout(
                self,
                "ImageRollout",
                pipeline=image.pipeline,
                auto_scaling=self.auto_scaling,
                launch_template=self.launch_template,
                launch_role=self.launch.role,
                failure_topic=notifications_topic,
            )

        self.dns: WebDns | None = None
        if hosted_zone is not None:
            self.dns = WebDns(
                self,
                "Dns",
                hosted_zone=hosted_zone,
                load_balancer=self.load_balancer,
                record_names=record_names,
                dual_stack=dual_stack,
            )
        self._connections = ec2.Connections(
            security_groups=[self.security_groups.instances], default_port=ec2.Port.tcp(app_port)
        )

    @property
    def connections(self) -> ec2.Connections:
        """The instances' security group; default port: the application port."""
        return self._connections
