"""The configuration keys: the single source of each key's name, type, default and meaning.

The reader (``settings.py``), the profile checks (``context.py``) and the README's
configuration table (``readme_table.py``) all read ``KEYS``; the site's keys are in
``site_keys.py``, those of the optional shapes (golden image, load balancer tuning, fleet)
in ``option_keys.py``, an existing VPC's in ``vpc_keys.py``. A default is the value
as cdk.json would hold it; a profile (cdk.json ``profiles``) may set another.
"""

from __future__ import annotations

from typing import Any, TypeVar

from constructs_lib import validation
from stacks.config import option_keys as opt
from stacks.config import site_keys as site
from stacks.config import vpc_keys as vpc
from stacks.config.values import (
    Key as Key,
)
from stacks.config.values import (
    parse_bool,
    parse_int,
    parse_list,
    parse_number,
    parse_objects,
    parse_optional_bool,
    parse_optional_int,
    parse_str,
)
from stacks.nag_packs import ALL_PACKS

T = TypeVar("T")

# A value of account/region that means "what the CDK CLI found in your credentials".
CLI_ACCOUNT = "CDK_DEFAULT_ACCOUNT"
CLI_REGION = "CDK_DEFAULT_REGION"
# Limits the constructs own, restated in the keys' docs only through these names.
_MAX_LIFETIME_DAYS = validation.MAX_INSTANCE_LIFETIME_SECONDS[1] // 86400
PREDICTIVE_MODES = ("off", "forecastOnly", "forecastAndScale")
# The stack's name without a profile; with one (``env``) the default is ``<this>-<profile>``.
BASE_STACK_NAME = "Ec2WebTier"


STACK_NAME = Key(
    "stackName",
    "",
    parse_str,
    "a CloudFormation stack name (letters, digits, hyphens; starts with a letter) or empty",
    f"the CloudFormation stack the app deploys; empty = `{BASE_STACK_NAME}-<env>` "
    f"(e.g. `{BASE_STACK_NAME}-dev`, `{BASE_STACK_NAME}-prod`), `{BASE_STACK_NAME}` without "
    "a profile. Each environment is its own stack; renaming creates a new stack",
)
INSTANCE_TYPE = Key(
    "instanceType",
    "t3.micro",
    parse_str,
    "an instance type like 't3.micro'",
    "EC2 instance type; a Graviton type (`t4g.*`, `m7g.*`) picks the arm64 image",
)
MIN_CAPACITY = Key("minCapacity", 2, parse_int, "a whole number, e.g. 2", "fewest instances")
MAX_CAPACITY = Key("maxCapacity", 4, parse_int, "a whole number, e.g. 4", "most instances")
DELETION_PROTECTION = Key(
    "deletionProtection",
    False,
    parse_bool,
    "true or false",
    "refuse deletion of the load balancer; the constructs default to on",
)
WAF = Key(
    "waf",
    True,
    # Empty (e.g. `-c waf=`) keeps the default, on: only an explicit false turns WAF off.
    parse_optional_bool,
    "true or false",
    "AWS WAF web ACL (AWS managed rule groups, logged) in front of the load balancer; "
    "`false` when e.g. Firewall Manager attaches one",
)
NAG_PACKS = Key(
    "nagPacks",
    ",".join(ALL_PACKS),
    parse_list,
    f"comma-separated rule-pack names from {list(ALL_PACKS)}",
    "comma-separated rule packs run on every synth: the cdk-nag packs "
    + ", ".join(f"`{p}`" for p in ALL_PACKS if p != "ControlTower")
    + " and `ControlTower` (AWS Control Tower proactive controls, cfn-guard) (empty = none)",
)
LOG_RETENTION_DAYS = Key(
    "logRetentionDays",
    90,
    parse_int,
    "a whole number of days, e.g. 90",
    f"days the log buckets keep access logs and flow logs (1–{validation.MAX_RETENTION_DAYS})",
)
ACCOUNT = Key(
    "account",
    "",
    parse_str,
    f"a 12-digit account id, '{CLI_ACCOUNT}' or empty",
    f"AWS account id of the stack; `{CLI_ACCOUNT}` = the one the CDK CLI finds in your "
    "credentials; empty = environment-agnostic",
)
REGION = Key(
    "region",
    "",
    parse_str,
    f"a region like 'eu-west-1', '{CLI_REGION}' or empty",
    f"region of the stack, e.g. `eu-west-1`; `{CLI_REGION}` = the CLI's; "
    "empty = environment-agnostic",
)
DESIRED_CAPACITY = Key(
    "desiredCapacity",
    "",
    parse_optional_int,
    "a whole number or empty (unset)",
    "fixed starting size; empty = start at `minCapacity` and never reset on deploy",
)
CPU_TARGET_PERCENT = Key(
    "cpuTargetPercent",
    50,
    parse_number,
    "a percentage in (0, 100], e.g. 50",
    "average CPU the group tracks, in (0, 100]",
)
ADMIN_CIDRS = Key(
    "adminCidrs",
    "",
    parse_list,
    "comma-separated IPv4 CIDRs, e.g. '203.0.113.10/32'",
    "comma-separated IPv4 CIDRs allowed to SSH (e.g. `203.0.113.10/32`); empty = no SSH, "
    "use Session Manager",
)
OBSERVABILITY = Key(
    "observability",
    True,
    parse_bool,
    "true or false",
    "CloudWatch alarms (to the notification topic) and dashboard (`DashboardName` output)",
)
ALARM_EMAIL = Key(
    "alarmEmail",
    "",
    parse_str,
    "an e-mail address or empty",
    "one address subscribed to the notification topic (alarms and Auto Scaling events; "
    "confirm the e-mail AWS sends); needs `observability`",
)
REQUEST_COUNT_TARGET = Key(
    "requestCountTarget",
    "",
    parse_optional_int,
    "requests per target per minute (e.g. 1000) or empty (off)",
    "ALB requests per target per minute to track as well as CPU; empty = off",
)
PREDICTIVE_SCALING = Key(
    "predictiveScaling",
    "off",
    parse_str,
    " or ".join(PREDICTIVE_MODES),
    "`off`, `forecastOnly` (forecast visible, no scaling) or `forecastAndScale`; forecasts "
    "requests per target when `requestCountTarget` is set, else CPU at `cpuTargetPercent`",
)
SCALING_TIME_ZONE = Key(
    "scalingTimeZone",
    "UTC",
    parse_str,
    "an IANA time zone, e.g. 'Europe/Berlin'",
    "IANA time zone for `scalingEvents`/`scalingSchedules` items without `timeZone`",
)
SCALING_EVENTS = Key(
    "scalingEvents",
    [],
    parse_objects,
    "a JSON list of objects (name, start, end, min, max)",
    "dated peaks: objects `{name, start, end, min, max, desired?, timeZone?, yearly?}`, "
    "dates `YYYY-MM-DD`, `end` inclusive; best given in a `CONTEXT_FILE` (see Scaling)",
)
SCALING_SCHEDULES = Key(
    "scalingSchedules",
    [],
    parse_objects,
    "a JSON list of objects (name, cron, min, max...)",
    "recurring changes: objects `{name, cron, min?, max?, desired?, timeZone?, start?, end?}` "
    "(five-field Unix cron)",
)
INSTANCE_REFRESH = Key(
    "instanceRefresh",
    True,
    parse_bool,
    "true or false",
    "roll the fleet on launch-template/AMI changes (100 % kept healthy, up to 110 % running)",
)
MAX_INSTANCE_LIFETIME_DAYS = Key(
    "maxInstanceLifetimeDays",
    "",
    parse_optional_int,
    f"days from 1 to {_MAX_LIFETIME_DAYS} or empty",
    f"replace instances older than this (1–{_MAX_LIFETIME_DAYS}); empty = no limit",
)
# In the README's order.
KEYS: tuple[Key[Any], ...] = (
    STACK_NAME,
    INSTANCE_TYPE,
    MIN_CAPACITY,
    MAX_CAPACITY,
    DELETION_PROTECTION,
    WAF,
    NAG_PACKS,
    LOG_RETENTION_DAYS,
    ACCOUNT,
    REGION,
    DESIRED_CAPACITY,
    CPU_TARGET_PERCENT,
    ADMIN_CIDRS,
    vpc.VPC_ID,
    vpc.LOOKUP_VPC,
    vpc.AVAILABILITY_ZONES,
    vpc.PUBLIC_SUBNET_IDS,
    vpc.PRIVATE_SUBNET_IDS,
    vpc.VPC_CIDR_BLOCK,
    site.DOMAIN_NAME,
    site.ALTERNATIVE_NAMES,
    site.HOSTED_ZONE_ID,
    site.HOSTED_ZONE_NAME,
    site.CREATE_HOSTED_ZONE,
    site.LOOKUP_HOSTED_ZONE,
    site.HTTPS,
    site.CERTIFICATE_ARN,
    site.CREATE_CERTIFICATE,
    site.HEALTH_CHECK,
    OBSERVABILITY,
    ALARM_EMAIL,
    REQUEST_COUNT_TARGET,
    PREDICTIVE_SCALING,
    SCALING_TIME_ZONE,
    SCALING_EVENTS,
    SCALING_SCHEDULES,
    INSTANCE_REFRESH,
    MAX_INSTANCE_LIFETIME_DAYS,
    opt.IMAGE_PIPELINE,
    opt.IMAGE_PIPELINE_SCHEDULE,
    opt.IMAGE_PIPELINE_COMPONENTS,
    opt.IMAGE_PIPELINE_KEEP_IMAGES,
    opt.WARM_POOL_MIN_SIZE,
    opt.SPOT_INSTANCE_TYPES,
    opt.CAPACITY_REBALANCE,
    opt.INTERNAL_LOAD_BALANCER,
    opt.STICKINESS_SECONDS,
    opt.SLOW_START_SECONDS,
    opt.LOAD_BALANCING_ALGORITHM,
    opt.HEALTH_CHECK_INTERVAL_SECONDS,
    opt.UNHEALTHY_THRESHOLD,
)
BY_NAME: dict[str, Key[Any]] = {key.name: key for key in KEYS}
# Every key the app reads, with its default (as cdk.json would hold it).
DEFAULTS: dict[str, Any] = {key.name: key.default for key in KEYS}
