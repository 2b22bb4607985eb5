"""The constructs' own checks, for a configuration layer of your own (supported API).

Every construct checks its arguments with these functions before it builds anything
(docs/validation.md lists which construct runs which). A layer that reads settings from
elsewhere (cdk.json context, a YAML file, a form) runs the same functions with its own
names for the values, so each problem is reported once, in the user's terms, with every
other problem, before any construct is built:

    errors = PropErrors("settings.yaml")
    check_capacities(
        errors,
        min_capacity=5,
        max_capacity=3,
        desired_capacity=None,
        names=("'min'", "'max'", "'desired'"),
    )
    errors.raise_if_any()  # PropsError "settings.yaml: ..." naming 'min' and 'max'

Each ``check_*`` adds one message per problem to ``errors`` (naming ``arg``, the value and
what would be valid) and skips values that are CDK tokens. The ``MAX_*``/range constants
are the limits those checks apply, for a layer's own documentation and unit conversions
(e.g. days instead of seconds); each is defined once, in the module of the construct that
owns it. This module only gathers them: the definitions stay with their owners.
"""

from constructs_lib._validation import (
    MAX_NUMBER,
    PropErrors,
    PropsError,
    PropsTypeError,
    check_alternative_names,
    check_dns_name,
    check_email,
    check_int_range,
    check_ipv4_cidr,
    check_percentage,
    is_within_zone,
    without_root_dot,
)
from constructs_lib.auto_scaling import MAX_INSTANCE_LIFETIME_SECONDS
from constructs_lib.capacity import MAX_GROUP_SIZE, check_capacities
from constructs_lib.certificate import check_certificate_arn, check_certificate_names
from constructs_lib.dns import check_hosted_zone_id
from constructs_lib.fleet import WARM_POOL_SIZE
from constructs_lib.image_checks import (
    DEFAULT_SCHEDULE as IMAGE_PIPELINE_DEFAULT_SCHEDULE,
)
from constructs_lib.image_checks import check_component_arns, check_keep_images, check_schedule
from constructs_lib.instance_types import check_instance_type
from constructs_lib.load_balancer import (
    HEALTH_CHECK_INTERVAL_SECONDS,
    SLOW_START_SECONDS,
    STICKINESS_SECONDS,
    THRESHOLD_COUNT,
)
from constructs_lib.log_buckets import MAX_RETENTION_DAYS
from constructs_lib.network import (
    MIN_AVAILABILITY_ZONES,
    VPC_CIDR_PREFIX_LENGTHS,
    check_vpc_attributes,
    check_vpc_id,
)
from constructs_lib.scaling_schedule import check_schedules, check_time_zone
from constructs_lib.web_security_groups import check_admin_cidrs

__all__ = [
    "HEALTH_CHECK_INTERVAL_SECONDS",
    "IMAGE_PIPELINE_DEFAULT_SCHEDULE",
    "MAX_GROUP_SIZE",
    "MAX_INSTANCE_LIFETIME_SECONDS",
    "MAX_NUMBER",
    "MAX_RETENTION_DAYS",
    "MIN_AVAILABILITY_ZONES",
    "SLOW_START_SECONDS",
    "STICKINESS_SECONDS",
    "THRESHOLD_COUNT",
    "VPC_CIDR_PREFIX_LENGTHS",
    "WARM_POOL_SIZE",
    "PropErrors",
    "PropsError",
    "PropsTypeError",
    "check_admin_cidrs",
    "check_alternative_names",
    "check_capacities",
    "check_certificate_arn",
    "check_certificate_names",
    "check_component_arns",
    "check_dns_name",
    "check_email",
    "check_hosted_zone_id",
    "check_instance_type",
    "check_int_range",
    "check_ipv4_cidr",
    "check_keep_images",
    "check_percentage",
    "check_schedule",
    "check_schedules",
    "check_time_zone",
    "check_vpc_attributes",
    "check_vpc_id",
    "is_within_zone",
    "without_root_dot",
]
