"""Every key read once (``Values``) and checked: ranges through the owning construct's check
function where there is one, and the keys that depend on each other."""

from __future__ import annotations

import re
from collections.abc import Mapping

from constructs_lib import OneOffSchedule, RecurringSchedule, validation
from stacks.config import keys as k
from stacks.config import option_keys as opt
from stacks.config import site_keys as sk
from stacks.config import vpc_keys as vk
from stacks.config.context import Reader
from stacks.config.keys import CLI_ACCOUNT, CLI_REGION, PREDICTIVE_MODES
from stacks.config.scaling import read_events, read_schedules
from stacks.config.site_checks import check_site
from stacks.nag_packs import ALL_PACKS

_ACCOUNT = re.compile(r"^\d{12}$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
# CloudFormation's stack name pattern and length (AWS::CloudFormation CreateStack StackName).
_STACK_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,127}$")


class Values:
    """Every key read once, ``None`` where the value could not be parsed."""

    def __init__(self, r: Reader) -> None:
        self.stack_name = r.get(k.STACK_NAME) or ""
        self.instance_type = r.get(k.INSTANCE_TYPE)
        self.min_capacity = r.get(k.MIN_CAPACITY)
        self.max_capacity = r.get(k.MAX_CAPACITY)
        self.desired = r.get(k.DESIRED_CAPACITY)
        self.cpu = r.get(k.CPU_TARGET_PERCENT)
        self.admin_cidrs = r.get(k.ADMIN_CIDRS) or []
        self.domain = r.get(sk.DOMAIN_NAME) or ""
        self.zone_id = r.get(sk.HOSTED_ZONE_ID) or ""
        self.zone_name = r.get(sk.HOSTED_ZONE_NAME) or ""
        self.create_zone = r.get(sk.CREATE_HOSTED_ZONE) is True
        self.lookup_zone = r.get(sk.LOOKUP_HOSTED_ZONE) is True
        self.alternatives = r.get(sk.ALTERNATIVE_NAMES) or []
        self.https = r.get(sk.HTTPS)
        self.certificate_arn = r.get(sk.CERTIFICATE_ARN) or ""
        self.create_certificate = r.get(sk.CREATE_CERTIFICATE) is True
        self.health_check = r.get(sk.HEALTH_CHECK) is True
        self.observability = r.get(k.OBSERVABILITY)
        self.alarm_email = r.get(k.ALARM_EMAIL) or ""
        self.deletion_protection = r.get(k.DELETION_PROTECTION) is True
        self.retention = r.get(k.LOG_RETENTION_DAYS)
        self.waf = r.get(k.WAF)
        self.nag_packs = r.get(k.NAG_PACKS)
        self.account = r.get(k.ACCOUNT)
        self.region = r.get(k.REGION)
        self.request_target = r.get(k.REQUEST_COUNT_TARGET)
        self.predictive = r.get(k.PREDICTIVE_SCALING)
        self.time_zone = r.get(k.SCALING_TIME_ZONE)
        self.schedule_items = r.get(k.SCALING_SCHEDULES) or []
        self.event_items = r.get(k.SCALING_EVENTS) or []
        self.refresh = r.get(k.INSTANCE_REFRESH)
        self.lifetime = r.get(k.MAX_INSTANCE_LIFETIME_DAYS)
        self.image_pipeline = r.get(opt.IMAGE_PIPELINE) is True
        self.pipeline_schedule = r.get(opt.IMAGE_PIPELINE_SCHEDULE)
        self.pipeline_components = r.get(opt.IMAGE_PIPELINE_COMPONENTS) or []
        self.keep_images = r.get(opt.IMAGE_PIPELINE_KEEP_IMAGES)
        self.warm_pool = r.get(opt.WARM_POOL_MIN_SIZE)
        self.spot_types = r.get(opt.SPOT_INSTANCE_TYPES) or []
        self.rebalance = r.get(opt.CAPACITY_REBALANCE) is True
        self.internal = r.get(opt.INTERNAL_LOAD_BALANCER) is True
        self.stickiness = r.get(opt.STICKINESS_SECONDS)
        self.slow_start = r.get(opt.SLOW_START_SECONDS)
        self.algorithm = r.get(opt.LOAD_BALANCING_ALGORITHM)
        self.health_interval = r.get(opt.HEALTH_CHECK_INTERVAL_SECONDS)
        self.unhealthy_threshold = r.get(opt.UNHEALTHY_THRESHOLD)
        self.vpc_id = r.get(vk.VPC_ID) or ""
        self.lookup_vpc = r.get(vk.LOOKUP_VPC) is True
        self.zones = r.get(vk.AVAILABILITY_ZONES) or []
        self.public_subnets = r.get(vk.PUBLIC_SUBNET_IDS) or []
        self.private_subnets = r.get(vk.PRIVATE_SUBNET_IDS) or []
        self.vpc_cidr = r.get(vk.VPC_CIDR_BLOCK) or ""
        self.schedules: list[RecurringSchedule] = []
        self.events: list[OneOffSchedule] = []


def check(errors: validation.PropErrors, v: Values, environ: Mapping[str, str] | None) -> None:
    """The checks that span a value's parse: ranges (the owning construct's limit and check
    function, with the context key's name) and keys that depend on each other. ``environ``
    ``None``: leave ``CDK_DEFAULT_ACCOUNT``/``CDK_DEFAULT_REGION`` unresolved (a profile not
    selected)."""
    if v.retention is not None:
        validation.check_int_range(
            errors,
            "context key 'logRetentionDays'",
            v.retention,
            low=1,
            high=validation.MAX_RETENTION_DAYS,
            hint=" (days)",
        )
    if v.stack_name and not _STACK_NAME.match(v.stack_name):
        errors.add(
            f"context key 'stackName' has value {v.stack_name!r}; expected {k.STACK_NAME.expected}"
            ", at most 128 characters, e.g. 'Ec2WebTier-prod'"
        )
    v.account = _from_cli(errors, "account", v.account, CLI_ACCOUNT, _ACCOUNT, environ)
    v.region = _from_cli(errors, "region", v.region, CLI_REGION, _REGION, environ)
    _check_lookup_environment(errors, v, environ)
    if v.instance_type is not None:
        validation.check_instance_type(errors, "context key 'instanceType'", v.instance_type)
    if v.min_capacity is not None and v.max_capacity is not None:
        validation.check_capacities(
            errors,
            min_capacity=v.min_capacity,
            max_capacity=v.max_capacity,
            desired_capacity=v.desired,
            names=(
                "context key 'minCapacity'",
                "context key 'maxCapacity'",
                "context key 'desiredCapacity'",
            ),
        )
    if v.cpu is not None:
        validation.check_percentage(errors, "context key 'cpuTargetPercent'", v.cpu)
    validation.check_admin_cidrs(
        errors, "context key 'adminCidrs'", list(v.admin_cidrs), item="{arg} item {index}"
    )
    check_site(
        errors,
        domain=v.domain,
        zone_id=v.zone_id,
        zone_name=v.zone_name,
        create_zone=v.create_zone,
        lookup_zone=v.lookup_zone,
        alternatives=v.alternatives,
        https=v.https,
        certificate_arn=v.certificate_arn,
        create_certificate=v.create_certificate,
        account=_concrete(v.account, _ACCOUNT),
        region=_concrete(v.region, _REGION),
    )
    if v.alarm_email:
        validation.check_email(errors, "context key 'alarmEmail'", v.alarm_email)
        if v.observability is False:
            errors.add(
                f"context key 'alarmEmail' is {v.alarm_email!r} but 'observability' is false; "
                "the subscription belongs to the monitoring, so turn it on or clear "
                "'alarmEmail'"
            )
    _check_scaling(errors, v)
    _check_image_pipeline(errors, v)
    _check_load_balancing(errors, v)
    _check_vpc(errors, v)


def _check_image_pipeline(errors: validation.PropErrors, v: Values) -> None:
    if v.pipeline_schedule:
        validation.check_schedule(
            errors, "context key 'imagePipelineSchedule'", v.pipeline_schedule
        )
    if v.keep_images is not None:
        validation.check_keep_images(errors, "context key 'imagePipelineKeepImages'", v.keep_images)
    validation.check_component_arns(
        errors, "context key 'imagePipelineComponents'", v.pipeline_components
    )
    if v.pipeline_components and not v.image_pipeline:
        errors.add(
            "context key 'imagePipelineComponents' is set but 'imagePipeline' is false; "
            "turn the pipeline on or clear 'imagePipelineComponents'"
        )
    if v.image_pipeline and v.refresh is False:
        errors.add(
            "context key 'imagePipeline' is true but 'instanceRefresh' is false; new images "
            "reach the fleet only through an instance refresh, so turn it on"
        )


def _check_load_balancing(errors: validation.PropErrors, v: Values) -> None:
    """Ranges of the target-group and warm-pool keys, from the constants of their owners
    (load_balancer.py, fleet.py), named by key; fleet keys that depend on each other."""
    ranges = (
        ("stickinessSeconds", v.stickiness, validation.STICKINESS_SECONDS),
        ("slowStartSeconds", v.slow_start, validation.SLOW_START_SECONDS),
        ("healthCheckIntervalSeconds", v.health_interval, validation.HEALTH_CHECK_INTERVAL_SECONDS),
        ("unhealthyThreshold", v.unhealthy_threshold, validation.THRESHOLD_COUNT),
        ("warmPoolMinSize", v.warm_pool, validation.WARM_POOL_SIZE),
    )
    for key, value, (low, high) in ranges:
        if value is not None:
            validation.check_int_range(errors, f"context key '{key}'", value, low=low, high=high)
    if v.algorithm is not None and v.algorithm not in opt.LOAD_BALANCING_ALGORITHMS:
        errors.add(
            f"context key 'loadBalancingAlgorithm' has value {v.algorithm!r}; expected one of "
            + ", ".join(opt.LOAD_BALANCING_ALGORITHMS)
        )
    if v.algorithm == "weightedRandom" and v.slow_start is not None:
        errors.add(
            "context key 'slowStartSeconds' cannot be combined with loadBalancingAlgorithm "
            "'weightedRandom'; choose another algorithm or clear 'slowStartSeconds'"
        )
    for index, name in enumerate(v.spot_types):
        validation.check_instance_type(
            errors, f"context key 'spotInstanceTypes' item {index}", name
        )
    if v.warm_pool is not None and v.spot_types:
        errors.add(
            "context keys 'warmPoolMinSize' and 'spotInstanceTypes' exclude each other: Auto "
            "Scaling has no warm pools for groups with a mixed instances policy; clear one"
        )
    if v.rebalance and not v.spot_types:
        errors.add(
            "context key 'capacityRebalance' is true but 'spotInstanceTypes' is empty; "
            "capacity rebalancing replaces Spot instances, so name the Spot types or turn it off"
        )


def _check_scaling(errors: validation.PropErrors, v: Values) -> None:
    packs = v.nag_packs or []
    for index, pack in enumerate(packs):
        if pack not in ALL_PACKS:
            errors.add(
                f"context key 'nagPacks' item {index} {pack!r} is not a cdk-nag pack this "
                f"app knows; choose from {list(ALL_PACKS)}"
            )
    repeated = sorted({p for p in packs if packs.count(p) > 1})
    if repeated:
        errors.add(f"context key 'nagPacks' repeats {repeated}; name each pack once")
    if v.request_target is not None:
        validation.check_int_range(
            errors,
            "context key 'requestCountTarget'",
            v.request_target,
            low=1,
            hint=" (requests per target per minute), or empty (off)",
        )
    if v.predictive is not None and v.predictive not in PREDICTIVE_MODES:
        errors.add(
            f"context key 'predictiveScaling' has value {v.predictive!r}; expected one of "
            + ", ".join(PREDICTIVE_MODES)
        )
    zone_ok = v.time_zone is not None and validation.check_time_zone(
        errors, "context key 'scalingTimeZone'", v.time_zone
    )
    default_zone = v.time_zone if zone_ok and v.time_zone else "UTC"
    v.schedules = read_schedules(errors, v.schedule_items, default_zone)
    v.events = read_events(errors, v.event_items, default_zone)
    if (
        v.min_capacity is not None
        and v.max_capacity is not None
        and v.min_capacity <= v.max_capacity
    ):
        validation.check_schedules(
            errors,
            schedules=[*v.schedules, *v.events],
            min_capacity=v.min_capacity,
            max_capacity=v.max_capacity,
            item_args=[
                *(f"context key 'scalingSchedules'[{i}]" for i in range(len(v.schedules))),
                *(f"context key 'scalingEvents'[{i}]" for i in range(len(v.events))),
            ],
        )
    if v.lifetime is not None:
        low, high = (seconds // 86400 for seconds in validation.MAX_INSTANCE_LIFETIME_SECONDS)
        validation.check_int_range(
            errors,
            "context key 'maxInstanceLifetimeDays'",
            v.lifetime,
            low=low,
            high=high,
            hint=" (days), or empty (no limit)",
        )


def _check_lookup_environment(
    errors: validation.PropErrors, v: Values, environ: Mapping[str, str] | None
) -> None:
    """A lookup (``lookupHostedZone``, ``lookupVpc``) needs a concrete account and region: the
    ``account``/``region`` keys, else the CDK CLI's (``CDK_DEFAULT_ACCOUNT``/
    ``CDK_DEFAULT_REGION``, as the stack gets them). Resolved into ``v`` so that the stack's
    environment is the configuration's. ``environ`` ``None`` (a profile not selected):
    resolved only once it is selected."""
    lookups = [
        key
        for key, asked in (
            ("lookupHostedZone", v.lookup_zone and v.domain),
            ("lookupVpc", v.lookup_vpc and v.vpc_id),
        )
        if asked
    ]
    if not lookups or environ is None:
        return
    v.account = v.account or environ.get(CLI_ACCOUNT, "").strip()
    v.region = v.region or environ.get(CLI_REGION, "").strip()
    if not v.account or not v.region:
        for key in lookups:
            instead = (
                "import the zone with 'hostedZoneId' + 'hostedZoneName'"
                if key == "lookupHostedZone"
                else "import the VPC with 'availabilityZones' + 'publicSubnetIds' + "
                "'privateSubnetIds'"
            )
            what = "zone" if key == "lookupHostedZone" else "VPC"
            errors.add(
                f"context key '{key}' is true but the stack has no concrete account "
                f"and region to look the {what} up in; set 'account' and 'region', or run "
                f"through the CDK CLI with credentials (it sets {CLI_ACCOUNT}/{CLI_REGION}), "
                f"or {instead} instead"
            )


def _check_vpc(errors: validation.PropErrors, v: Values) -> None:
    """An existing VPC: by id with ``lookupVpc``, else by its attributes (checked by the
    library's owner of those rules, named by key); without ``vpcId`` none of the others."""
    attributes = (
        ("availabilityZones", v.zones),
        ("publicSubnetIds", v.public_subnets),
        ("privateSubnetIds", v.private_subnets),
        ("vpcCidrBlock", v.vpc_cidr),
    )
    if not v.vpc_id:
        unused = [key for key, value in (("lookupVpc", v.lookup_vpc), *attributes) if value]
        if unused:
            keys = ", ".join(f"'{key}'" for key in unused)
            errors.add(
                f"context keys {keys} need 'vpcId' (an existing VPC); set it or clear them "
                "for the stack's own VPC"
            )
        return
    if v.lookup_vpc:
        validation.check_vpc_id(errors, "context key 'vpcId'", v.vpc_id)
        given = [key for key, value in attributes if value]
        if given:
            keys = ", ".join(f"'{key}'" for key in given)
            errors.add(
                f"context keys 'lookupVpc' and {keys} exclude each other: the lookup finds "
                "the zones, subnets and CIDR; drop the lookup to give them yourself"
            )
        return
    validation.check_vpc_attributes(
        errors,
        vpc_id=v.vpc_id,
        availability_zones=v.zones,
        public_subnet_ids=v.public_subnets,
        private_subnet_ids=v.private_subnets,
        vpc_cidr_block=v.vpc_cidr or None,
        region=_concrete(v.region, _REGION),
        public_subnets_needed=not v.internal,
        names=(
            "context key 'vpcId'",
            "context key 'availabilityZones'",
            "context key 'publicSubnetIds'",
            "context key 'privateSubnetIds'",
            "context key 'vpcCidrBlock'",
        ),
    )
    if v.internal and not v.vpc_cidr:
        errors.add(
            "context key 'internalLoadBalancer' is true with an imported VPC ('vpcId') but "
            "'vpcCidrBlock' is empty; an internal load balancer admits the VPC's IPv4 range, "
            "so give the VPC's CIDR (e.g. '10.0.0.0/16')"
        )


def _concrete(value: str | None, pattern: re.Pattern[str]) -> str | None:
    """An account/region the stack will deploy to, or ``None`` while unknown (empty, or the
    CLI's variable name in a profile not selected)."""
    return value if value and pattern.match(value) else None


def _from_cli(
    errors: validation.PropErrors,
    key: str,
    value: str | None,
    variable: str,
    pattern: re.Pattern[str],
    environ: Mapping[str, str] | None,
) -> str:
    """An account/region as given, or from the CDK CLI's variable when the value names it."""
    if not value:
        return ""
    if value == variable:
        if environ is None:
            return value
        found = environ.get(variable, "").strip()
        if not found:
            errors.add(
                f"context key '{key}' is {value!r} but {variable} is not set (the CDK CLI sets "
                f"it from your AWS credentials); run through the CLI with credentials, give the "
                f"{key} itself, or leave it empty for an environment-agnostic stack"
            )
        return found
    if not pattern.match(value):
        example = "'123456789012'" if key == "account" else "'eu-west-1'"
        errors.add(
            f"context key '{key}' has value {value!r}; expected e.g. {example}, "
            f"'{variable}' or empty"
        )
    return value
