"""The keys of the tier's optional shapes (golden image, load-balancer tuning, fleet), part of
the key table in ``keys.py``."""

from __future__ import annotations

from constructs_lib import validation
from stacks.config.values import (
    Key,
    parse_bool,
    parse_int,
    parse_list,
    parse_optional_int,
    parse_str,
)

IMAGE_PIPELINE = Key(
    "imagePipeline",
    False,
    parse_bool,
    "true or false",
    "golden AMI: EC2 Image Builder bakes nginx in, tests `/health`, and each new image rolls "
    "into the group (instance refresh, rollback alarms); the first deploy waits for the "
    "first image. Needs `instanceRefresh`",
)
IMAGE_PIPELINE_SCHEDULE = Key(
    "imagePipelineSchedule",
    validation.IMAGE_PIPELINE_DEFAULT_SCHEDULE,
    parse_str,
    "an Image Builder schedule like 'cron(0 4 ? * sun *)' or empty",
    "when `imagePipeline` rebuilds the image: six-field cron in UTC; empty = on demand only",
)
IMAGE_PIPELINE_COMPONENTS = Key(
    "imagePipelineComponents",
    "",
    parse_list,
    "comma-separated Image Builder component ARNs",
    "comma-separated extra build components (ARNs) run after the web server's, e.g. AWS's "
    "`update-linux`; needs `imagePipeline`",
)
IMAGE_PIPELINE_KEEP_IMAGES = Key(
    "imagePipelineKeepImages",
    3,
    parse_int,
    "a whole number from 2 to 1000",
    "pipeline images kept (2–1000); older ones and their snapshots are deleted",
)

LOAD_BALANCING_ALGORITHMS = ("roundRobin", "leastOutstandingRequests", "weightedRandom")
INTERNAL_LOAD_BALANCER = Key(
    "internalLoadBalancer",
    False,
    parse_bool,
    "true or false",
    "an internal load balancer in the private subnets, open to the VPC's IPv4 range only; "
    "switching it replaces the load balancer (its scheme is fixed at creation)",
)
STICKINESS_SECONDS = Key(
    "stickinessSeconds",
    "",
    parse_optional_int,
    "seconds from 1 to 604800 or empty (off)",
    "keep a client on one instance with the load balancer's cookie for this long; empty = off",
)
SLOW_START_SECONDS = Key(
    "slowStartSeconds",
    "",
    parse_optional_int,
    "seconds from 30 to 900 or empty (off)",
    "ramp a new instance's share of requests up over this time; empty = off",
)
LOAD_BALANCING_ALGORITHM = Key(
    "loadBalancingAlgorithm",
    "roundRobin",
    parse_str,
    " or ".join(LOAD_BALANCING_ALGORITHMS),
    "`roundRobin`, `leastOutstandingRequests` or `weightedRandom` (not with `slowStartSeconds`)",
)
HEALTH_CHECK_INTERVAL_SECONDS = Key(
    "healthCheckIntervalSeconds",
    "",
    parse_optional_int,
    "seconds from 5 to 300 or empty (15)",
    "seconds between the target group's health probes; empty = 15",
)
UNHEALTHY_THRESHOLD = Key(
    "unhealthyThreshold",
    "",
    parse_optional_int,
    "a count from 2 to 10 or empty (2)",
    "failed probes before an instance is taken out of service; empty = 2",
)
WARM_POOL_MIN_SIZE = Key(
    "warmPoolMinSize",
    "",
    parse_optional_int,
    "a whole number or empty (no warm pool)",
    "keep this many stopped, pre-initialised instances in a warm pool; empty = no warm pool",
)
SPOT_INSTANCE_TYPES = Key(
    "spotInstanceTypes",
    "",
    parse_list,
    "comma-separated instance types, e.g. 't3.micro,t3a.micro'",
    "Spot instances of these types above an On-Demand base of `minCapacity`; empty = all On-Demand",
)
CAPACITY_REBALANCE = Key(
    "capacityRebalance",
    False,
    parse_bool,
    "true or false",
    "replace Spot instances at elevated risk of interruption early (needs `spotInstanceTypes`)",
)
