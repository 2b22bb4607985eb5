"""An existing VPC's attributes, checked before the VPC is imported.

``ec2.Vpc.from_vpc_attributes`` takes ids as they come: a mistyped subnet id, a zone
missing its subnet or a single Availability Zone surface only at deploy time (or never,
as an unbalanced group). A configuration layer runs ``check_vpc_attributes`` with its own
names for the values; ``WebTier`` itself checks the subnets it is given
(``auto_scaling.check_subnets``, at least ``MIN_AVAILABILITY_ZONES``).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence

from constructs_lib._validation import PropErrors, check_ipv4_cidr, is_token

# The group and the load balancer span at least this many Availability Zones, so that one
# zone's failure leaves capacity (an Application Load Balancer needs two anyway).
MIN_AVAILABILITY_ZONES = 2
# A VPC's IPv4 CIDR block is between a /16 and a /28 (Amazon VPC User Guide, "VPC CIDR
# blocks": IPv4 VPC CIDR block sizes).
VPC_CIDR_PREFIX_LENGTHS = (16, 28)
# EC2 resource ids: the type's prefix and 8 (older) or 17 lower-case hex digits.
_VPC_ID = re.compile(r"vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})", re.ASCII)
_SUBNET_ID = re.compile(r"subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})", re.ASCII)
# An Availability Zone name: its region and a letter ('eu-west-1a'); a Local Zone's has its
# location between them ('us-west-2-lax-1a').
_ZONE = re.compile(r"[a-z]{2}(?:-[a-z]+)+-[0-9]+(?:-[a-z]+-[0-9]+)?[a-z]", re.ASCII)


def check_vpc_id(errors: PropErrors, arg: str, value: str) -> None:
    """A VPC id: 'vpc-' and 8 or 17 lower-case hex digits."""
    if is_token(value):
        return
    if not isinstance(value, str) or not _VPC_ID.fullmatch(value):
        errors.add(
            f"{arg} {value!r} is not a VPC id; expected 'vpc-' and 8 or 17 hex digits, "
            "e.g. 'vpc-0123456789abcdef0'"
        )


def check_vpc_attributes(
    errors: PropErrors,
    *,
    vpc_id: str,
    availability_zones: Sequence[str],
    public_subnet_ids: Sequence[str],
    private_subnet_ids: Sequence[str],
    vpc_cidr_block: str | None = None,
    region: str | None = None,
    public_subnets_needed: bool = True,
    names: tuple[str, str, str, str, str] = (
        "vpc_id",
        "availability_zones",
        "public_subnet_ids",
        "private_subnet_ids",
        "vpc_cidr_block",
    ),
) -> None:
    """What ``ec2.Vpc.from_vpc_attributes`` needs for a web tier: the VPC's id, at least
    ``MIN_AVAILABILITY_ZONES`` distinct zones (in ``region`` when it is known), one private
    subnet per zone (the instances) and one public subnet per zone unless
    ``public_subnets_needed`` is off (an internal load balancer), in the zones' order, every
    subnet id well-formed and given once; the VPC's IPv4 CIDR when given. ``names`` label
    the five values in messages, in the order of the arguments."""
    id_name, zones_name, public_name, private_name, cidr_name = names
    check_vpc_id(errors, id_name, vpc_id)
    zones = [zone for zone in availability_zones if not is_token(zone)]
    for index, zone in enumerate(zones):
        if not _ZONE.fullmatch(zone):
            errors.add(
                f"{zones_name} item {index} {zone!r} is not an Availability "
                "Zone name; expected e.g. 'eu-west-1a'"
            )
        elif region and not is_token(region) and not zone.startswith(f"{region}"):
            errors.add(
                f"{zones_name} item {index} {zone!r} is not in the stack's region {region!r}"
            )
    repeated = sorted({zone for zone in zones if zones.count(zone) > 1})
    if repeated:
        errors.add(f"{zones_name} repeats {repeated}; name each zone once")
    if len(set(zones)) < MIN_AVAILABILITY_ZONES:
        errors.add(
            f"{zones_name} has {len(set(zones))} zone(s); give at least "
            f"{MIN_AVAILABILITY_ZONES}, so that one zone's failure leaves capacity"
        )
    lists = [(private_name, private_subnet_ids)]
    if public_subnet_ids or public_subnets_needed:
        lists.insert(0, (public_name, public_subnet_ids))
    seen: set[str] = set()
    for arg, ids in lists:
        for index, subnet_id in enumerate(ids):
            if is_token(subnet_id):
                continue
            if not _SUBNET_ID.fullmatch(subnet_id):
                errors.add(
                    f"{arg} item {index} {subnet_id!r} is not a subnet id; expected "
                    "'subnet-' and 8 or 17 hex digits, e.g. 'subnet-0123456789abcdef0'"
                )
            elif subnet_id in seen:
                errors.add(
                    f"{arg} item {index} {subnet_id!r} is given twice; a subnet is in one zone"
                )
            seen.add(subnet_id)
        if len(ids) != len(availability_zones):
            errors.add(
                f"{arg} has {len(ids)} subnet id(s) for the {len(availability_zones)} zone(s) "
                f"of {zones_name}; give one subnet per zone, "
                "in the zones' order"
            )
    if vpc_cidr_block:
        before = len(errors.problems)
        check_ipv4_cidr(errors, cidr_name, vpc_cidr_block, allow_any=False)
        low, high = VPC_CIDR_PREFIX_LENGTHS
        if len(errors.problems) == before and not is_token(vpc_cidr_block):
            prefix = ipaddress.IPv4Network(vpc_cidr_block).prefixlen
            if not low <= prefix <= high:
                errors.add(
                    f"{cidr_name} {vpc_cidr_block!r} is a /{prefix}; a VPC's IPv4 "
                    f"CIDR block is a /{low} to a /{high}"
                )
