"""The seed's whole flow as one construct: DNS -> ALB -> target group -> ASG -> instances."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

import jsii
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_sns as sns
from constructs import Construct

from constructs_lib._acknowledge import NIST, PCI, acknowledge, in_packs
from constructs_lib._validation import PropErrors, checked_by_parent, typed_arguments
from constructs_lib.auto_scaling import (
    DEFAULT_CAPACITY,
    DEFAULT_FLEET,
    DEFAULT_ROLLOUT,
    DEFAULT_SCALING,
    Scaling,
    WebAutoScalingGroup,
)
from constructs_lib.capacity import Capacity
from constructs_lib.dns import Domain, WebDns
from constructs_lib.fleet import MAX_ROLLBACK_ALARMS, Fleet, Rollout
from constructs_lib.launch_template import DEFAULT_INSTANCES, InstanceOptions, WebLaunchTemplate
from constructs_lib.load_balancer import (
    DEFAULT_LOAD_BALANCER,
    DEFAULT_TARGET_GROUP,
    LoadBalancerOptions,
    SharedListener,
    TargetGroupOptions,
    WebLoadBalancer,
)
from constructs_lib.log_buckets import LogBuckets
from constructs_lib.machine_image import WebImage
from constructs_lib.notifications import EncryptedTopic
from constructs_lib.observability import DEFAULT_OBSERVABILITY, Observability, WebTierMonitoring
from constructs_lib.waf import WafLogStore, WebAcl
from constructs_lib.web_security_groups import WEB_PORTS, WebSecurityGroups

if TYPE_CHECKING:
    from constructs_lib.image_pipeline import ImageRollout

DEFAULT_DOMAIN = Domain()
DEFAULT_INSTANCE_TYPE = "t3.micro"
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

    @typed_arguments
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        instance_type: ec2.InstanceType | None = None,
        image: WebImage | None = None,
        app_port: int = 80,
        admin_cidrs: Sequence[str] = (),
        capacity: Capacity = DEFAULT_CAPACITY,
        scaling: Scaling = DEFAULT_SCALING,
        rollout: Rollout = DEFAULT_ROLLOUT,
        fleet: Fleet = DEFAULT_FLEET,
        instance_options: InstanceOptions = DEFAULT_INSTANCES,
        domain: Domain = DEFAULT_DOMAIN,
        load_balancer_options: LoadBalancerOptions = DEFAULT_LOAD_BALANCER,
        target_group_options: TargetGroupOptions = DEFAULT_TARGET_GROUP,
        listener: SharedListener | None = None,
        waf: bool = True,
        observability: Observability | None = DEFAULT_OBSERVABILITY,
        notifications_topic: sns.ITopic | None = None,
    ) -> None:
        """
        :param vpc: VPC with public subnets (load balancer) and private subnets with egress
            (instances) in at least two Availability Zones.
        :param instance_type: The instances' hardware. Default: t3.micro.
        :param image: The AMI. Default: latest Amazon Linux 2023 for the instance type's
            CPU architecture. With ``WebImage.from_image_pipeline`` the instances boot the
            golden image and ``image_rollout`` rolls each new one in.
        :param app_port: Port the application serves on (never 22 or 3389). Default: 80.
        :param admin_cidrs: IPv4 CIDRs allowed to SSH (see ``WebSecurityGroups``). Default:
            none, no SSH at all (use SSM Session Manager).
        :param capacity: Fewest, most and starting instances (``Capacity``). Default:
            ``Capacity()``, 2-4, desired unset (deploys never reset a scaled-out group).
        :param scaling: Target tracking, step scaling, schedules and predictive scaling
            (``Scaling``); ``PredictiveMetric.request_count()`` counts the tier's target group.
            Default: ``Scaling()``, 50 % CPU only. More with ``auto_scaling.scale_on_*``.
        :param rollout: Instance refresh, rollback alarms (besides the monitoring's 5xx-rate
            and unhealthy-host alarms, added when ``observability`` is on) and maximum
            instance lifetime (``Rollout``). Default: ``Rollout()``, a refresh that never
            drops below the minimum.
        :param fleet: Spot above an On-Demand base (``instance_type`` first among the
            types), capacity rebalancing, warm pool, lifecycle hooks (``Fleet``). Default:
            ``Fleet()``, all On-Demand.
        :param instance_options: Boot script, key pair, root volume, detailed monitoring, hop
            limit, role (``InstanceOptions``). Default: ``InstanceOptions()``, nginx serving a
            page and the health path, an encrypted 8 GiB gp3 volume, detailed monitoring on.
        :param domain: Certificate (HTTPS on 443, port 80 redirects), Route 53 zone and
            record names (``Domain``). Default: ``Domain()``, HTTP only on port 80 and no
            records; point an external DNS at ``load_balancer.load_balancer_dns_name``.
        :param load_balancer_options: Internet-facing or internal, dual stack (with AAAA
            records), deletion protection, access-log bucket, idle timeout
            (``LoadBalancerOptions``). Default: ``LoadBalancerOptions()``, internet-facing,
            IPv4, deletion protection on, access logs to new ``LogBuckets``. An internal load
            balancer is open to the VPC's IPv4 range only.
        :param target_group_options: Health check (path, timings, codes), draining,
            stickiness, slow start, algorithm (``TargetGroupOptions``). Default:
            ``TargetGroupOptions()``, ``/health`` every 15 s, 30 s draining, round robin.
        :param listener: Join another load balancer's listener with a rule (host names or
            paths, ``SharedListener``) instead of creating a load balancer, so that several
            tiers share one: the instances accept traffic from that load balancer's groups, a
            certificate is added to that listener, and the load balancer's own settings
            (``load_balancer_options``, ``waf``, access logs) stay its owner's: a
            ``load_balancer_options`` field other than ``dual_stack`` set here is an error.
            Default: a load balancer of its own.
        :param waf: Put an AWS WAF web ACL (``WebAcl``: AWS managed rule groups, logged) in
            front of the load balancer. Default: on; turn it off only when a web ACL is
            attached by other means (e.g. AWS Firewall Manager). Off keeps the web ACL's
            retained log group and its key (``waf_logs``, a KMS key costs about 1 USD a
            month) so that switching it off and on again never collides on the log group's
            name nor leaves a key behind per switch.
        :param observability: CloudWatch alarms notifying the topic and a dashboard
            (``monitoring``), with their thresholds and an e-mail subscription
            (``Observability``). Default: ``Observability()``; ``None`` for none.
        :param notifications_topic: Where Auto Scaling notifications and alarms go.
            Default: a new encrypted, TLS-only topic (``notifications``).
        """
        super().__init__(scope, construct_id)
        errors = PropErrors("WebTier")
        self.check(
            errors,
            vpc=vpc,
            instance_type=instance_type,
            image=image,
            app_port=app_port,
            admin_cidrs=admin_cidrs,
            capacity=capacity,
            scaling=scaling,
            rollout=rollout,
            fleet=fleet,
            instance_options=instance_options,
            domain=domain,
            load_balancer_options=load_balancer_options,
            target_group_options=target_group_options,
            listener=listener,
            observability=observability,
        )
        errors.raise_if_any()
        instance_type = instance_type or ec2.InstanceType(DEFAULT_INSTANCE_TYPE)
        shared_listener, lb_options = listener, load_balancer_options
        dual_stack, internet_facing = lb_options.dual_stack, lb_options.internet_facing
        hosted_zone, record_names = domain.hosted_zone, domain.record_names

        with checked_by_parent():  # WebTier.check ran WebSecurityGroups.check
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
        with checked_by_parent():  # WebTier.check ran WebLaunchTemplate.check
            self.launch = WebLaunchTemplate(
                self,
                "LaunchTemplate",
                instance_type=instance_type,
                image=image,
                security_groups=self.security_groups.instance_groups,
                app_port=app_port,
                health_check_path=target_group_options.health_check_path,
                instance_options=instance_options,
            )
        self.launch_template: ec2.LaunchTemplate = self.launch.launch_template

        self.log_buckets: LogBuckets | None = None
        if lb_options.access_logs_bucket is None and shared_listener is None:
            self.log_buckets = LogBuckets(self, "Logs")
            lb_options = dataclasses.replace(lb_options, access_logs_bucket=self.log_buckets.logs)
        with checked_by_parent():  # WebTier.check ran WebLoadBalancer.check
            self.load_balancing = WebLoadBalancer(
                self,
                "LoadBalancer",
                vpc=vpc,
                security_group=self.security_groups.load_balancer,
                app_port=app_port,
                certificate=domain.certificate,
                load_balancer_options=lb_options,
                target_group_options=target_group_options,
                listener=shared_listener,
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

        with checked_by_parent():  # WebTier.check ran WebAutoScalingGroup.check
            self.auto_scaling = WebAutoScalingGroup(
                self,
                "AutoScaling",
                vpc=vpc,
                launch_template=self.launch_template,
                capacity=capacity,
                scaling=scaling,
                rollout=rollout,
                fleet=fleet,
                target_groups=[self.target_group],
                notifications_topic=notifications_topic,
            )
        self.auto_scaling_group: autoscaling.AutoScalingGroup = self.auto_scaling.auto_scaling_group

        self.monitoring: WebTierMonitoring | None = None
        if observability is not None:
            if capacity.min_capacity == capacity.max_capacity:
                thresholds = dataclasses.replace(observability.thresholds, at_max_capacity_for=None)
                observability = dataclasses.replace(observability, thresholds=thresholds)
            with checked_by_parent():  # WebTier.check ran WebTierMonitoring.check
                self.monitoring = WebTierMonitoring(
                    self,
                    "Monitoring",
                    load_balancer=self.load_balancer,
                    target_group=self.target_group,
                    auto_scaling_group=self.auto_scaling_group,
                    topic=notifications_topic,
                    instance_type=instance_type,
                    observability=observability,
                )
            if rollout.instance_refresh is not None:
                # A rollout that raises the 5xx rate or leaves hosts unhealthy rolls back.
                self.auto_scaling.add_rollback_alarms(*self.monitoring.rollback_alarms)

        self.image_rollout: ImageRollout | None = None
        if image is not None and image.pipeline is not None:
            # Imported here: only a tier booting a pipeline's image loads Image Builder & co.
            from constructs_lib.image_pipeline import ImageRollout

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
            with checked_by_parent():  # Domain.check ran WebDns.check
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

    @staticmethod
    def check(
        errors: PropErrors,
        *,
        vpc: ec2.IVpc,
        instance_type: ec2.InstanceType | None = None,
        image: WebImage | None = None,
        app_port: int = 80,
        admin_cidrs: Sequence[str] = (),
        capacity: Capacity = DEFAULT_CAPACITY,
        scaling: Scaling = DEFAULT_SCALING,
        rollout: Rollout = DEFAULT_ROLLOUT,
        fleet: Fleet = DEFAULT_FLEET,
        instance_options: InstanceOptions = DEFAULT_INSTANCES,
        domain: Domain = DEFAULT_DOMAIN,
        load_balancer_options: LoadBalancerOptions = DEFAULT_LOAD_BALANCER,
        target_group_options: TargetGroupOptions = DEFAULT_TARGET_GROUP,
        listener: SharedListener | None = None,
        observability: Observability | None = DEFAULT_OBSERVABILITY,
    ) -> None:
        """Every problem of one ``WebTier`` call, before anything is built: each child's own
        check with the arguments the tier will give it, then the rules that span children."""
        tier_type = (
            ec2.InstanceType(DEFAULT_INSTANCE_TYPE) if instance_type is None else instance_type
        )
        WebSecurityGroups.check(
            errors, app_port=app_port, listener_ports=_LISTENER_PORTS, admin_cidrs=admin_cidrs
        )
        WebLaunchTemplate.check(
            errors,
            instance_type=tier_type,
            security_groups=None,  # WebSecurityGroups makes them
            image=image,
            app_port=app_port,
            health_check_path=target_group_options.health_check_path,
            instance_options=instance_options,
        )
        WebLoadBalancer.check(
            errors,
            vpc=vpc,
            security_group_later=True,  # WebSecurityGroups makes it
            app_port=app_port,
            load_balancer_options=load_balancer_options,
            target_group_options=target_group_options,
            listener=listener,
        )
        WebAutoScalingGroup.check(
            errors,
            vpc=vpc,
            capacity=capacity,
            scaling=scaling,
            rollout=rollout,
            fleet=fleet,
            target_groups=None,  # the one target group WebLoadBalancer makes
        )
        domain.check(errors)  # WebDns.check when there is a zone
        if observability is not None:
            WebTierMonitoring.check(errors, observability)
        # Rules that span children.
        monitoring_alarms = _MONITORING_ROLLBACK_ALARMS if observability is not None else 0
        rollback_alarms = rollout.rollback_alarms
        if rollout.instance_refresh is not None and (
            len(rollback_alarms) + monitoring_alarms > MAX_ROLLBACK_ALARMS
        ):
            errors.add(
                f"rollback_alarms has {len(rollback_alarms)} alarms; with the monitoring's "
                f"{monitoring_alarms} an instance refresh would watch more than "
                f"{MAX_ROLLBACK_ALARMS} (combine some with a composite alarm)"
            )
        if image is not None and image.pipeline is not None and rollout.instance_refresh is None:
            errors.add(
                "image comes from a WebImagePipeline but instance_refresh is None; new images "
                "reach the fleet only through an instance refresh (keep InstanceRefresh())"
            )
        if fleet.spot is not None and not errors.problems:
            wrong = [
                t.to_string()
                for t in fleet.spot.instance_types
                if t.architecture != tier_type.architecture
            ]
            if wrong:
                errors.add(
                    f"spot.instance_types {wrong} do not share instance_type "
                    f"{tier_type.to_string()!r}'s CPU architecture; the image boots on one"
                )

    @property
    def connections(self) -> ec2.Connections:
        """The instances' security group; default port: the application port."""
        return self._connections
