"""``WebTierConfig``: the app's settings, typed and validated, read once from the context.

Every error names the context key, the value and what would be valid, and all errors in one
synth are reported together (``checks.py``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from aws_cdk import Environment

from constructs_lib import OneOffSchedule, RecurringSchedule, validation
from stacks.config.checks import Values, check
from stacks.config.context import Reader, layers
from stacks.config.keys import BASE_STACK_NAME, DEFAULTS
from stacks.config.site import ExternalDns, Site, decide
from stacks.config.values import ConfigError
from stacks.nag_packs import ALL_PACKS


@dataclass(frozen=True)
class WebTierConfig:
    """The app's settings; defaults are the seed's example (t3.micro, 2/4/2, CPU 50%)."""

    stack_name: str = BASE_STACK_NAME
    instance_type: str = DEFAULTS["instanceType"]
    min_capacity: int = DEFAULTS["minCapacity"]
    max_capacity: int = DEFAULTS["maxCapacity"]
    desired_capacity: int | None = None
    cpu_target_percent: float = DEFAULTS["cpuTargetPercent"]
    admin_cidrs: tuple[str, ...] = field(default_factory=tuple)
    domain_name: str = ""
    hosted_zone_id: str = ""
    hosted_zone_name: str = ""
    create_hosted_zone: bool = False
    lookup_hosted_zone: bool = False
    alternative_names: tuple[str, ...] = field(default_factory=tuple)
    https: bool | None = None
    certificate_arn: str = ""
    create_certificate: bool = False
    health_check: bool = False
    observability: bool = True
    alarm_email: str = ""
    deletion_protection: bool = DEFAULTS["deletionProtection"]
    log_retention_days: int = DEFAULTS["logRetentionDays"]
    waf: bool = True
    nag_packs: tuple[str, ...] = ALL_PACKS
    account: str = ""
    region: str = ""
    profile: str = ""
    request_count_target: int | None = None
    predictive_scaling: str = DEFAULTS["predictiveScaling"]
    scaling_schedules: tuple[RecurringSchedule, ...] = field(default_factory=tuple)
    scaling_events: tuple[OneOffSchedule, ...] = field(default_factory=tuple)
    instance_refresh: bool = True
    max_instance_lifetime_days: int | None = None
    image_pipeline: bool = False
    image_pipeline_schedule: str = DEFAULTS["imagePipelineSchedule"]
    image_pipeline_components: tuple[str, ...] = field(default_factory=tuple)
    image_pipeline_keep_images: int = DEFAULTS["imagePipelineKeepImages"]
    warm_pool_min_size: int | None = None
    spot_instance_types: tuple[str, ...] = field(default_factory=tuple)
    capacity_rebalance: bool = False
    internal_load_balancer: bool = False
    stickiness_seconds: int | None = None
    slow_start_seconds: int | None = None
    load_balancing_algorithm: str = DEFAULTS["loadBalancingAlgorithm"]
    health_check_interval_seconds: int | None = None
    unhealthy_threshold: int | None = None
    vpc_id: str = ""
    lookup_vpc: bool = False
    availability_zones: tuple[str, ...] = field(default_factory=tuple)
    public_subnet_ids: tuple[str, ...] = field(default_factory=tuple)
    private_subnet_ids: tuple[str, ...] = field(default_factory=tuple)
    vpc_cidr_block: str = ""

    @cached_property
    def site(self) -> Site:
        """Zone source, certificate source, HTTPS or not: decided once, matched on by the
        stack. Raises ``ConfigError`` when HTTPS has no certificate source."""
        return decide(
            domain=self.domain_name,
            zone_id=self.hosted_zone_id,
            zone_name=self.hosted_zone_name,
            create_zone=self.create_hosted_zone,
            lookup_zone=self.lookup_hosted_zone,
            https=self.https,
            certificate_arn=self.certificate_arn,
            create_certificate=self.create_certificate,
        )

    @property
    def environment(self) -> Environment | None:
        """The stack's account/region (``account``/``region``; with ``lookupHostedZone`` the
        CDK CLI's where they are empty), or ``None`` (environment-agnostic) when neither is
        known. ``from_context`` has checked it against the certificate and the lookup."""
        if not self.account and not self.region:
            return None
        return Environment(account=self.account or None, region=self.region or None)

    @property
    def dns_enabled(self) -> bool:
        """A domain is configured (Route 53 or external DNS)."""
        return bool(self.domain_name)

    @property
    def route53_enabled(self) -> bool:
        """The domain lives in a Route 53 zone the stack imports, creates or looks up."""
        return self.site.route53

    @property
    def external_dns(self) -> bool:
        """A domain served by another DNS provider: the user adds a CNAME there."""
        return isinstance(self.site.zone, ExternalDns)

    @property
    def https_enabled(self) -> bool:
        """``https`` as given; unset means on when there is a domain or a certificate."""
        return self.site.https

    @property
    def record_names(self) -> tuple[str, ...]:
        """Every site name, the domain first: DNS records and certificate names."""
        return (self.domain_name, *self.alternative_names) if self.dns_enabled else ()

    @property
    def zone_name(self) -> str:
        """The hosted zone's name: given, or the domain itself when the stack creates it."""
        return self.hosted_zone_name or self.domain_name

    @staticmethod
    def from_context(
        context: Mapping[str, Any],
        environ: Mapping[str, str] | None = None,
        *,
        project: Mapping[str, Any] | None = None,
    ) -> WebTierConfig:
        """Parse and validate; raises ``ConfigError`` listing every problem.

        ``context`` is every context key the app sees; ``project`` is cdk.json's ``context``
        as written, which tells its top level from ``-c`` (``context.py``). Profiles that are
        not selected are checked too. ``environ`` (default: ``os.environ``) is read only for
        an account/region of ``CDK_DEFAULT_ACCOUNT``/``CDK_DEFAULT_REGION`` (the value of
        ``account``/``region``, or a hosted-zone lookup's environment when they are empty).
        """
        environ = os.environ if environ is None else environ
        errors = validation.PropErrors("cdk.json context")
        found = layers(context, errors, project=project)
        values = Values(Reader(found.values, errors))
        check(errors, values, environ)
        for name, settings in found.profiles.items():
            if name != found.profile:
                unselected = validation.PropErrors(name)
                check(unselected, Values(Reader(settings, unselected)), None)
                for problem in unselected.problems:
                    errors.add(f"profile {name!r} (not selected): {problem}")
        if errors.problems:
            raise ConfigError(errors.problems, profile=found.profile)
        return _build(values, found.profile)


def _build(v: Values, profile: str) -> WebTierConfig:
    assert v.instance_type is not None and v.min_capacity is not None
    assert v.max_capacity is not None and v.cpu is not None
    return WebTierConfig(
        stack_name=v.stack_name or "-".join(filter(None, (BASE_STACK_NAME, profile))),
        instance_type=v.instance_type,
        min_capacity=v.min_capacity,
        max_capacity=v.max_capacity,
        desired_capacity=v.desired,
        cpu_target_percent=v.cpu,
        admin_cidrs=tuple(v.admin_cidrs),
        domain_name=validation.without_root_dot(v.domain),
        hosted_zone_id=v.zone_id,
        hosted_zone_name=validation.without_root_dot(v.zone_name),
        create_hosted_zone=v.create_zone,
        lookup_hosted_zone=v.lookup_zone,
        alternative_names=tuple(validation.without_root_dot(n) for n in v.alternatives),
        https=v.https,
        certificate_arn=v.certificate_arn,
        create_certificate=v.create_certificate,
        health_check=v.health_check,
        observability=v.observability is not False,
        alarm_email=v.alarm_email,
        deletion_protection=v.deletion_protection,
        log_retention_days=v.retention if v.retention is not None else DEFAULTS["logRetentionDays"],
        waf=v.waf is not False,
        nag_packs=ALL_PACKS if v.nag_packs is None else tuple(v.nag_packs),
        account=v.account or "",
        region=v.region or "",
        profile=profile,
        request_count_target=v.request_target,
        predictive_scaling=v.predictive or "off",
        scaling_schedules=tuple(v.schedules),
        scaling_events=tuple(v.events),
        instance_refresh=bool(v.refresh),
        max_instance_lifetime_days=v.lifetime,
        image_pipeline=v.image_pipeline,
        image_pipeline_schedule=v.pipeline_schedule or "",
        image_pipeline_components=tuple(v.pipeline_components),
        image_pipeline_keep_images=v.keep_images or DEFAULTS["imagePipelineKeepImages"],
        warm_pool_min_size=v.warm_pool,
        spot_instance_types=tuple(v.spot_types),
        capacity_rebalance=v.rebalance,
        internal_load_balancer=v.internal,
        stickiness_seconds=v.stickiness,
        slow_start_seconds=v.slow_start,
        load_balancing_algorithm=v.algorithm or DEFAULTS["loadBalancingAlgorithm"],
        health_check_interval_seconds=v.health_interval,
        unhealthy_threshold=v.unhealthy_threshold,
        vpc_id=v.vpc_id,
        lookup_vpc=v.lookup_vpc,
        availability_zones=tuple(v.zones),
        public_subnet_ids=tuple(v.public_subnets),
        private_subnet_ids=tuple(v.private_subnets),
        vpc_cidr_block=v.vpc_cidr,
    )
