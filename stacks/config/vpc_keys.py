"""The keys of an existing VPC for the tier (by id with a lookup, or by attributes without
one), part of the key table in ``keys.py``. Unset, the stack creates its own VPC."""

from __future__ import annotations

from stacks.config.values import Key, parse_bool, parse_list, parse_str

_BY_ATTRIBUTES = "with `vpcId`, no lookup:"

VPC_ID = Key(
    "vpcId",
    "",
    parse_str,
    "a VPC id like 'vpc-0123456789abcdef0' or empty",
    "an existing VPC for the tier instead of the stack's own: imported from "
    "`availabilityZones` + `publicSubnetIds` + `privateSubnetIds` (no lookup), or looked up "
    "with `lookupVpc`. The stack then creates no VPC, NAT gateway or flow logs: those are "
    "the VPC owner's. Empty = a new VPC (2 AZs, NAT gateway, flow logs)",
)
LOOKUP_VPC = Key(
    "lookupVpc",
    False,
    parse_bool,
    "true or false",
    "look `vpcId` up (`ec2.Vpc.from_lookup`; its subnets by type); needs credentials "
    "(account + region from the CDK CLI), makes the stack environment-specific, result "
    "cached in `cdk.context.json`",
)
AVAILABILITY_ZONES = Key(
    "availabilityZones",
    "",
    parse_list,
    "comma-separated Availability Zones, e.g. 'eu-west-1a,eu-west-1b'",
    f"{_BY_ATTRIBUTES} the VPC's zones the tier uses, at least two",
)
PUBLIC_SUBNET_IDS = Key(
    "publicSubnetIds",
    "",
    parse_list,
    "comma-separated subnet ids, one per zone",
    f"{_BY_ATTRIBUTES} one public subnet per zone, in `availabilityZones`' order, for the "
    "load balancer (none with `internalLoadBalancer`)",
)
PRIVATE_SUBNET_IDS = Key(
    "privateSubnetIds",
    "",
    parse_list,
    "comma-separated subnet ids, one per zone",
    f"{_BY_ATTRIBUTES} one private subnet per zone with a route out (NAT), same order, for "
    "the instances",
)
VPC_CIDR_BLOCK = Key(
    "vpcCidrBlock",
    "",
    parse_str,
    "the VPC's IPv4 CIDR, e.g. '10.0.0.0/16', or empty",
    f"{_BY_ATTRIBUTES} the VPC's IPv4 CIDR; needed by `internalLoadBalancer` (its clients)",
)
