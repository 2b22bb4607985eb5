"""The seed's Application Load Balancer and its target group."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields

import jsii
from aws_cdk import Duration
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_s3 as s3
from constructs import Construct

from constructs_lib._access_logs import enable_access_logs
from constructs_lib._acknowledge import CT, HIPAA, NIST, acknowledge, in_packs, skip_checkov
from constructs_lib._validation import (
    PropErrors,
    check_dns_name,
    check_duration_seconds,
    check_http_path,
    check_int_range,
    check_port,
    is_token,
    parent_checked,
    typed_arguments,
    typed_fields,
    without_root_dot,
)

_MATCHER = re.compile(r"^[0-9]{3}(-[0-9]{3})?(,[0-9]{3}(-[0-9]{3})?)*\Z")
MAX_DEREGISTRATION_DELAY_SECONDS = 3600
TLS_POLICY = elbv2.SslPolicy.RECOMMENDED_TLS  # ELBSecurityPolicy-TLS13-1-2-2021-06: TLS 1.3 and 1.2
# Construct id of the port-80 listener, forwarding or redirecting: a public contract (its
# logical id must not change with the certificate; see the listeners below).
HTTP_LISTENER_ID = "Http"
# Elastic Load Balancing quotas: rule priorities 1-50000, and five match evaluations (condition
# values) per rule (docs.aws.amazon.com/elasticloadbalancing/latest/application/
# load-balancer-limits.html); slow start 30-900 s, stickiness 1 s-7 days (target group
# attributes, .../application/edit-target-group-attributes.html); health-check interval 5-300 s,
# timeout 2-120 s, healthy/unhealthy threshold counts 2-10 (CreateTargetGroup, Elastic Load
# Balancing API Reference).
MAX_RULE_PRIORITY = 50000
MAX_RULE_CONDITION_VALUES = 5
SLOW_START_SECONDS = (30, 900)
STICKINESS_SECONDS = (1, 7 * 24 * 3600)
HEALTH_CHECK_INTERVAL_SECONDS = (5, 300)
HEALTH_CHECK_TIMEOUT_SECONDS = (2, 120)
THRESHOLD_COUNT = (2, 10)  # healthy and unhealthy threshold counts


@dataclass(frozen=True)
@typed_fields
class TargetGroupOptions:
    """How the target group probes and balances, for
    ``WebTier(target_group_options=...)`` and ``WebLoadBalancer(target_group_options=...)``.

    :param health_check_path: Path the target group probes. Default: ``/health``.
    :param health_check_interval: Between probes, 5-300 s. Default: 15 s.
    :param health_check_timeout: Per probe, 2-120 s, below the interval. Default: 5 s.
    :param healthy_threshold: Successes before healthy, 2-10. Default: 2.
    :param unhealthy_threshold: Failures before unhealthy, 2-10. Default: 2.
    :param health_check_matcher: Success codes, e.g. ``"200,302"`` or ``"200-299"``.
        Default: ``"200"``.
    :param deregistration_delay: Connection draining time, 0-3600 s. Default: 30 s.
    :param stickiness: Keep a client on one instance with the load balancer's cookie for this
        long, 1 s-7 days. Default: off (every request balanced).
    :param slow_start: Ramp a new instance's share of requests up over this time, 30-900 s.
        Default: off (full share once healthy).
    :param load_balancing_algorithm: Round robin, least outstanding requests or weighted
        random. Default: round robin.
    """

    health_check_path: str = "/health"
    health_check_interval: Duration = Duration.seconds(15)
    health_check_timeout: Duration = Duration.seconds(5)
    healthy_threshold: int = 2
    unhealthy_threshold: int = 2
    health_check_matcher: str = "200"
    deregistration_delay: Duration = Duration.seconds(30)
    stickiness: Duration | None = None
    slow_start: Duration | None = None
    load_balancing_algorithm: elbv2.TargetGroupLoadBalancingAlgorithmType | None = None

    def check(self, errors: PropErrors) -> None:
        """Probe path, timings and thresholds, success codes, draining, stickiness, slow
        start (not with weighted random)."""
        check_http_path(errors, "health_check_path", self.health_check_path)
        interval = check_duration_seconds(
            errors,
            "health_check_interval",
            self.health_check_interval,
            low=HEALTH_CHECK_INTERVAL_SECONDS[0],
            high=HEALTH_CHECK_INTERVAL_SECONDS[1],
        )
        timeout = check_duration_seconds(
            errors,
            "health_check_timeout",
            self.health_check_timeout,
            low=HEALTH_CHECK_TIMEOUT_SECONDS[0],
            high=HEALTH_CHECK_TIMEOUT_SECONDS[1],
        )
        if interval is not None and timeout is not None and timeout >= interval:
            errors.add(
                f"health_check_timeout {timeout}s must be shorter than health_check_interval "
                f"{interval}s"
            )
        for name, count in (
            ("healthy_threshold", self.healthy_threshold),
            ("unhealthy_threshold", self.unhealthy_threshold),
        ):
            check_int_range(errors, name, count, low=THRESHOLD_COUNT[0], high=THRESHOLD_COUNT[1])
        check_matcher(errors, "health_check_matcher", self.health_check_matcher)
        check_duration_seconds(
            errors,
            "deregistration_delay",
            self.deregistration_delay,
            low=0,
            high=MAX_DEREGISTRATION_DELAY_SECONDS,
        )
        if self.stickiness is not None:
            check_duration_seconds(
                errors,
                "stickiness",
                self.stickiness,
                low=STICKINESS_SECONDS[0],
                high=STICKINESS_SECONDS[1],
            )
        if self.slow_start is not None:
            check_duration_seconds(
                errors,
                "slow_start",
                self.slow_start,
                low=SLOW_START_SECONDS[0],
                high=SLOW_START_SECONDS[1],
            )
            if (
                self.load_balancing_algorithm
                == elbv2.TargetGroupLoadBalancingAlgorithmType.WEIGHTED_RANDOM
            ):
                errors.add(
                    "slow_start cannot be combined with load_balancing_algorithm WEIGHTED_RANDOM; "
                    "use ROUND_ROBIN or LEAST_OUTSTANDING_REQUESTS, or leave slow_start unset"
                )


@dataclass(frozen=True)
@typed_fields
class LoadBalancerOptions:
    """The load balancer's own settings, for ``WebTier(load_balancer_options=...)`` and
    ``WebLoadBalancer(load_balancer_options=...)``; a tier on a shared listener leaves them to
    the load balancer's owner (one set there is an error, except ``dual_stack``: whether the
    shared load balancer serves IPv6).

    :param internet_facing: A public load balancer in the public subnets, open to the
        internet; ``False`` for an internal one in the private subnets (``WebTier``: open to
        the VPC's IPv4 range only). Default: True.
    :param dual_stack: IPv4 and IPv6 (the VPC needs an IPv6 block; ``WebTier`` adds AAAA
        records). Default: IPv4 only.
    :param deletion_protection: Refuse deletion of the load balancer (turn it off first, then
        delete). Default: True; set False only for disposable environments.
    :param access_logs_bucket: Bucket for access logs (SSE-S3, same region). Default:
        ``WebTier`` creates ``LogBuckets``; ``WebLoadBalancer`` alone leaves access logs off.
    :param access_logs_prefix: Key prefix of the access logs. Default: ``alb``.
    :param idle_timeout: Connection idle timeout, 1-4000 s. Default: 60 s.
    """

    internet_facing: bool = True
    dual_stack: bool = False
    deletion_protection: bool = True
    access_logs_bucket: s3.IBucket | None = None
    access_logs_prefix: str = "alb"
    idle_timeout: Duration = Duration.seconds(60)

    def check(self, errors: PropErrors, vpc: ec2.IVpc) -> None:
        """Idle timeout, the access-log prefix, IPv6 in the VPC for dual stack."""
        check_duration_seconds(errors, "idle_timeout", self.idle_timeout, low=1, high=4000)
        prefix = self.access_logs_prefix
        if not is_token(prefix) and (
            prefix.startswith("/") or prefix.endswith("/") or "AWSLogs" in prefix
        ):
            errors.add(
                f"access_logs_prefix {prefix!r} may not start or end with '/' "
                "nor contain 'AWSLogs'; e.g. 'alb'"
            )
        check_dual_stack(errors, "dual_stack True", vpc, self.dual_stack)


DEFAULT_TARGET_GROUP = TargetGroupOptions()
DEFAULT_LOAD_BALANCER = LoadBalancerOptions()
# What a tier on a shared listener still uses of its load_balancer_options: whether the shared
# load balancer serves IPv6 (WebTier adds AAAA records for it).
SHARED_LOAD_BALANCER_OPTIONS = ("dual_stack",)


def check_options_of_owner(errors: PropErrors, options: LoadBalancerOptions) -> None:
    """With a shared listener the load balancer is its owner's: a setting written for it
    would be ignored, so one set away from its default is an error (``dual_stack`` excepted)."""
    for field in fields(LoadBalancerOptions):
        name = field.name
        if name in SHARED_LOAD_BALANCER_OPTIONS:
            continue
        value = getattr(options, name)
        if value != getattr(DEFAULT_LOAD_BALANCER, name):
            errors.add(
                f"load_balancer_options.{name} {value!r} has no effect with a listener: the "
                "shared load balancer's settings are its owner's; leave it out (only "
                "dual_stack applies, saying whether that load balancer serves IPv6)"
            )


@dataclass(frozen=True)
@typed_fields
class SharedListener:
    """An existing load balancer's listener that a tier joins with a listener rule, so that
    several tiers share one Application Load Balancer (by host name or path).

    :param load_balancer: The shared load balancer (e.g. another tier's
        ``load_balancer``, or ``ApplicationLoadBalancer.from_lookup``).
    :param listener: Its listener the rule goes on (e.g. another tier's ``listener``).
    :param priority: The rule's priority, 1-50000, unique on the listener (lower wins).
    :param host_headers: Host names the rule matches, e.g. ``["blog.example.com"]``.
        Default: any host (then give ``path_patterns``).
    :param path_patterns: Paths the rule matches, e.g. ``["/blog/*"]``. Default: any path
        (then give ``host_headers``).
    """

    load_balancer: elbv2.IApplicationLoadBalancer
    listener: elbv2.IApplicationListener
    priority: int
    host_headers: Sequence[str] = ()
    path_patterns: Sequence[str] = ()

    def check(self, errors: PropErrors, arg: str) -> None:
        """Priority 1-50000, host names and/or path patterns (at most five values), each
        valid."""
        check_int_range(errors, f"{arg}.priority", self.priority, low=1, high=MAX_RULE_PRIORITY)
        for name in ("host_headers", "path_patterns"):
            if isinstance(getattr(self, name), str):
                errors.add(f"{arg}.{name} {getattr(self, name)!r} is a string; give a list")
                return
        if not self.host_headers and not self.path_patterns:
            errors.add(
                f"{arg} has neither host_headers nor path_patterns; a rule that matches "
                "every request would take the listener's default; name the hosts or paths"
            )
        values = len(self.host_headers) + len(self.path_patterns)
        if values > MAX_RULE_CONDITION_VALUES:
            errors.add(
                f"{arg} has {values} host headers and path patterns; a listener rule matches "
                f"at most {MAX_RULE_CONDITION_VALUES}"
            )
        for index, host in enumerate(self.host_headers):
            check_dns_name(errors, f"{arg}.host_headers[{index}]", host, allow_wildcard=True)
        for index, path in enumerate(self.path_patterns):
            if not is_token(path) and (not path.startswith("/") or len(path) > 128):
                errors.add(
                    f"{arg}.path_patterns[{index}] {path!r} is not a path pattern; give one "
                    "that starts with '/', at most 128 characters, e.g. '/blog/*'"
                )

    def conditions(self) -> list[elbv2.ListenerCondition]:
        conditions = []
        if self.host_headers:
            # The names as checked: a browser's Host header has no root dot.
            hosts = [without_root_dot(h) for h in self.host_headers]
            conditions.append(elbv2.ListenerCondition.host_headers(hosts))
        if self.path_patterns:
            conditions.append(elbv2.ListenerCondition.path_patterns(list(self.path_patterns)))
        return conditions


def check_matcher(errors: PropErrors, arg: str, value: str) -> None:
    """ALB success codes: '200', '200,302' or '200-299', each code within 200-499."""
    if is_token(value):
        return
    codes = re.findall(r"[0-9]{3}", value) if isinstance(value, str) else []
    if not isinstance(value, str) or not _MATCHER.match(value) or not codes:
        errors.add(f"{arg} {value!r} is not an HTTP code list; e.g. '200', '200,302', '200-299'")
        return
    if any(not 200 <= int(code) <= 499 for code in codes):
        errors.add(f"{arg} {value!r} has codes outside 200-499, which an ALB cannot match")
        return
    for part in value.split(","):
        if "-" in part:
            low, high = part.split("-")
            if int(low) > int(high):
                errors.add(f"{arg} {value!r} has a range {part!r} whose start exceeds its end")


def vpc_has_ipv6(vpc: ec2.IVpc) -> bool | None:
    """Whether ``vpc`` has an IPv6 block; ``None`` when it cannot tell (an imported VPC)."""
    if not isinstance(vpc, ec2.Vpc):
        return None
    return any(
        isinstance(child, ec2.CfnVPCCidrBlock)
        and (
            child.amazon_provided_ipv6_cidr_block
            or child.ipv6_pool
            or child.ipv6_ipam_pool_id
            or child.ipv6_cidr_block
        )
        for child in vpc.node.children
    )


def check_dual_stack(errors: PropErrors, arg: str, vpc: ec2.IVpc, dual_stack: bool) -> None:
    """A dual-stack load balancer needs a VPC with IPv6 (else CloudFormation fails)."""
    if dual_stack and vpc_has_ipv6(vpc) is False:
        errors.add(
            f"{arg} asks for a dual-stack load balancer but the VPC {vpc.node.path!r} has no "
            "IPv6 block; build it with ip_protocol=IpProtocol.DUAL_STACK or stay on IPv4"
        )


@jsii.implements(ec2.IConnectable)
class WebLoadBalancer(Construct):
    """An Application Load Balancer with a target group of web instances.

    Creates ``load_balancer`` (internet-facing by default, in public subnets across the
    VPC's Availability Zones, invalid headers dropped, access logs on), ``target_group``
    (HTTP to ``app_port`` with a real health check and a short deregistration delay),
    and the listeners: with a ``certificate``, HTTPS on 443 (TLS 1.3 policy) forwarding to
    the target group and HTTP on 80 redirecting permanently to HTTPS (``redirect_listener``);
    without one, HTTP on 80 forwarding to the target group. ``listener`` is the one that
    forwards; ``http_listener`` is the port-80 one, under the same construct id (``Http``)
    either way, so that adding or removing the certificate updates it in place. Targets are
    an Auto Scaling Group or a fixed set of instances: pass them in ``targets`` or call
    ``add_target``. With ``listener`` (a ``SharedListener``) it joins another load balancer
    instead: see there.
    """

    load_balancer: elbv2.IApplicationLoadBalancer
    listener: elbv2.IApplicationListener
    http_listener: elbv2.ApplicationListener | None
    redirect_listener: elbv2.ApplicationListener | None

    @typed_arguments
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        security_group: ec2.ISecurityGroup | None = None,
        app_port: int = 80,
        targets: Sequence[elbv2.IApplicationLoadBalancerTarget] = (),
        certificate: acm.ICertificate | None = None,
        vpc_subnets: ec2.SubnetSelection | None = None,
        load_balancer_options: LoadBalancerOptions = DEFAULT_LOAD_BALANCER,
        target_group_options: TargetGroupOptions = DEFAULT_TARGET_GROUP,
        listener: SharedListener | None = None,
    ) -> None:
        """
        :param vpc: Where the load balancer and targets live.
        :param security_group: The load balancer's group, e.g. ``WebSecurityGroups.load_balancer``;
            needed unless ``listener`` is given.
        :param app_port: Port the targets serve on. Default: 80.
        :param targets: Initial targets. Default: none (call ``add_target`` later).
        :param certificate: ACM certificate for HTTPS. Default: none, plain HTTP on port 80.
        :param vpc_subnets: Subnets of the load balancer. Default: public subnets when
            internet-facing, private otherwise; at least two Availability Zones.
        :param load_balancer_options: The load balancer's own settings (``LoadBalancerOptions``).
            Default: ``LoadBalancerOptions()``, internet-facing, IPv4, deletion protection
            on, access logs off unless a bucket is given, 60 s idle timeout.
        :param target_group_options: Health check, draining and balancing (``TargetGroupOptions``).
            Default: ``TargetGroupOptions()``, ``/health`` every 15 s, 30 s draining, round
            robin, no stickiness, no slow start.
        :param listener: Join an existing load balancer's listener with a rule (by host name
            or path) instead of creating a load balancer: only the target group, the rule
            (``rule``) and, with ``certificate``, the certificate on that listener are
            created; the load balancer's own settings (``load_balancer_options``, subnets) belong to
            its owner. Default: a load balancer of its own.
        """
        super().__init__(scope, construct_id)
        errors = PropErrors("WebLoadBalancer")
        if not parent_checked():  # a parent (WebTier) ran this check already
            self.check(
                errors,
                vpc=vpc,
                security_group=security_group,
                app_port=app_port,
                vpc_subnets=vpc_subnets,
                load_balancer_options=load_balancer_options,
                target_group_options=target_group_options,
                listener=listener,
            )
        errors.raise_if_any()
        options, shared_listener = target_group_options, listener
        load_balancer = load_balancer_options
        health_check_path = options.health_check_path
        internet_facing = load_balancer.internet_facing
        deletion_protection = load_balancer.deletion_protection
        access_logs_bucket = load_balancer.access_logs_bucket

        self.target_group = self._new_target_group(
            vpc=vpc,
            app_port=app_port,
            deregistration_delay=options.deregistration_delay,
            health_check=elbv2.HealthCheck(
                enabled=True,
                path=health_check_path,
                protocol=elbv2.Protocol.HTTP,
                interval=options.health_check_interval,
                timeout=options.health_check_timeout,
                healthy_threshold_count=options.healthy_threshold,
                unhealthy_threshold_count=options.unhealthy_threshold,
                healthy_http_codes=options.health_check_matcher,
            ),
            targets=targets,
            stickiness=options.stickiness,
            slow_start=options.slow_start,
            load_balancing_algorithm=options.load_balancing_algorithm,
        )
        self.rule: elbv2.ApplicationListenerRule | None = None
        if shared_listener is not None:
            self._join(shared_listener, certificate)
            return

        subnets = vpc_subnets or ec2.SubnetSelection(
            subnet_type=ec2.SubnetType.PUBLIC
            if internet_facing
            else ec2.SubnetType.PRIVATE_WITH_EGRESS,
            one_per_az=True,
        )
        alb = elbv2.ApplicationLoadBalancer(
            self,
            "LoadBalancer",
            vpc=vpc,
            internet_facing=internet_facing,
            vpc_subnets=subnets,
            security_group=security_group,
            ip_address_type=elbv2.IpAddressType.DUAL_STACK
            if load_balancer.dual_stack
            else elbv2.IpAddressType.IPV4,
            drop_invalid_header_fields=True,
            deletion_protection=deletion_protection,
            idle_timeout=load_balancer.idle_timeout,
            http2_enabled=True,
        )
        self.load_balancer = alb
        if not deletion_protection:
            acknowledge(
                alb,
                in_packs(
                    "ELBDeletionProtectionEnabled",
                    "Deletion protection is off because the caller asked for it "
                    "(deletion_protection=False; in the app: the dev profile or "
                    "deletionProtection=false) for a disposable, non-production environment. "
                    "The prod profile and the constructs' default keep it on.",
                    (NIST, HIPAA),
                )
                | {
                    f"{CT}::elbv2_deletion_protection_enabled_check": "Deletion protection is "
                    "off because the caller asked for it (deletion_protection=False, the dev "
                    "profile) for a disposable environment; the default keeps it on.",
                },
            )
        if access_logs_bucket is not None:
            enable_access_logs(alb, access_logs_bucket, load_balancer.access_logs_prefix)

        # One port-80 listener under one construct id ("Http", the id of the HTTP-only
        # default, the configuration most likely deployed) whatever the certificate: its
        # default action switches between forward and redirect. Two ids (the L2's
        # ``add_redirect`` names its listener "Redirect80To443") would make turning HTTPS on
        # or off create the new port-80 listener before CloudFormation deletes the old one
        # in its cleanup phase, and Elastic Load Balancing refuses a second listener on a
        # port (DuplicateListener), so the update would roll back.
        if certificate is not None:
            self.listener = alb.add_listener(
                "Https",
                port=443,
                protocol=elbv2.ApplicationProtocol.HTTPS,
                certificates=[elbv2.ListenerCertificate.from_certificate_manager(certificate)],
                ssl_policy=TLS_POLICY,
                default_target_groups=[self.target_group],
                open=False,
            )
        if certificate is not None:
            self.http_listener = alb.add_listener(
                HTTP_LISTENER_ID,
                port=80,
                protocol=elbv2.ApplicationProtocol.HTTP,
                default_action=elbv2.ListenerAction.redirect(
                    protocol="HTTPS", port="443", permanent=True
                ),
                open=False,
            )
        else:
            self.http_listener = alb.add_listener(
                HTTP_LISTENER_ID,
                port=80,
                protocol=elbv2.ApplicationProtocol.HTTP,
                default_target_groups=[self.target_group],
                open=False,
            )
        self.redirect_listener = None
        if certificate is not None:
            self.redirect_listener = self.http_listener
            acknowledge(
                self.http_listener,
                in_packs(
                    "ELBv2ACMCertificateRequired",
                    "This port-80 listener only answers with a permanent redirect to HTTPS "
                    "on 443, which carries the ACM certificate; it never serves content.",
                ),
            )
        else:
            self.listener = self.http_listener
            plain_http = (
                "No certificate was given, so the caller chose plain HTTP on port 80 (without "
                "a domain name ACM cannot issue one: the load balancer's own "
                "*.elb.amazonaws.com name is not eligible). Give a certificate to get HTTPS "
                "on 443 and a redirect on this port."
            )
            acknowledge(
                self.http_listener,
                {
                    **in_packs("ALBHttpToHttpsRedirection", plain_http),
                    **in_packs("ELBv2ACMCertificateRequired", plain_http),
                    f"{CT}::alb_http_to_https_redirection_check": plain_http,
                },
            )
            skip_checkov(self.http_listener, {"CKV_AWS_2": plain_http, "CKV_AWS_103": plain_http})
        self._connections = alb.connections

    def _new_target_group(
        self,
        *,
        vpc: ec2.IVpc,
        app_port: int,
        deregistration_delay: Duration,
        health_check: elbv2.HealthCheck,
        targets: Sequence[elbv2.IApplicationLoadBalancerTarget],
        stickiness: Duration | None,
        slow_start: Duration | None,
        load_balancing_algorithm: elbv2.TargetGroupLoadBalancingAlgorithmType | None,
    ) -> elbv2.ApplicationTargetGroup:
        return elbv2.ApplicationTargetGroup(
            self,
            "TargetGroup",
            vpc=vpc,
            port=app_port,
            protocol=elbv2.ApplicationProtocol.HTTP,
            target_type=elbv2.TargetType.INSTANCE,
            deregistration_delay=deregistration_delay,
            health_check=health_check,
            targets=list(targets) or None,
            stickiness_cookie_duration=stickiness,
            slow_start=slow_start,
            load_balancing_algorithm_type=load_balancing_algorithm,
        )

    def _join(self, shared: SharedListener, certificate: acm.ICertificate | None) -> None:
        """The target group behind a rule on someone else's listener."""
        self.load_balancer = shared.load_balancer
        self.listener = shared.listener
        self.http_listener = None
        self.redirect_listener = None
        self.rule = elbv2.ApplicationListenerRule(
            self,
            "Rule",
            listener=shared.listener,
            priority=shared.priority,
            conditions=shared.conditions(),
            target_groups=[self.target_group],
        )
        if certificate is not None:
            elbv2.ApplicationListenerCertificate(
                self,
                "Certificate",
                listener=shared.listener,
                certificates=[elbv2.ListenerCertificate.from_certificate_manager(certificate)],
            )
        self._connections = shared.listener.connections

    @staticmethod
    def check(
        errors: PropErrors,
        *,
        vpc: ec2.IVpc,
        security_group: ec2.ISecurityGroup | None = None,
        security_group_later: bool = False,
        app_port: int = 80,
        vpc_subnets: ec2.SubnetSelection | None = None,
        load_balancer_options: LoadBalancerOptions = DEFAULT_LOAD_BALANCER,
        target_group_options: TargetGroupOptions = DEFAULT_TARGET_GROUP,
        listener: SharedListener | None = None,
    ) -> None:
        """Every argument, each option group by its own ``check``: what the constructor runs
        first, and what ``WebTier`` runs before it builds anything (``security_group_later``:
        the caller creates the group afterwards)."""
        check_port(errors, "app_port", app_port)
        target_group_options.check(errors)
        if listener is not None:
            listener.check(errors, "listener")
            check_options_of_owner(errors, load_balancer_options)
            return  # the load balancer and its settings are its owner's
        load_balancer_options.check(errors, vpc)
        if security_group is None and not security_group_later:
            errors.add("security_group is missing; give the load balancer's group (or a listener)")
        subnet_type = vpc_subnets.subnet_type if vpc_subnets is not None else None
        internet_facing = load_balancer_options.internet_facing
        if internet_facing and subnet_type not in (None, ec2.SubnetType.PUBLIC):
            errors.add(
                f"vpc_subnets selects {subnet_type} subnets but an internet-facing "
                "load balancer needs public subnets; select SubnetType.PUBLIC or set "
                "internet_facing=False"
            )

    @property
    def connections(self) -> ec2.Connections:
        """The load balancer's security group(s)."""
        return self._connections

    @property
    def dns_name(self) -> str:
        return self.load_balancer.load_balancer_dns_name

    def add_target(self, *targets: elbv2.IApplicationLoadBalancerTarget) -> None:
        """Register Auto Scaling Groups or instances in the target group."""
        self.target_group.add_target(*targets)
