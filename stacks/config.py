"""Typed, validated configuration read once from cdk.json context (and ``-c key=value``).

Values arrive as JSON types from cdk.json and as strings from ``-c``; both are accepted.
Every error names the context key, the value and what would be valid, and all errors in
one synth are reported together.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from constructs_lib._validation import PropErrors, check_dns_name, check_ipv4_cidr
from constructs_lib.auto_scaling import check_capacities
from constructs_lib.dns import check_hosted_zone_id
from constructs_lib.instance_types import check_instance_type

T = TypeVar("T")

# Every key the app reads, with its default: the configuration contract (see README).
DEFAULTS: dict[str, Any] = {
    "instanceType": "t3.micro",
    "minCapacity": 2,
    "maxCapacity": 4,
    "desiredCapacity": "",
    "cpuTargetPercent": 50,
    "adminCidrs": "",
    "domainName": "",
    "hostedZoneId": "",
    "hostedZoneName": "",
    "createHostedZone": False,
}


class ConfigError(ValueError):
    """A cdk.json / ``-c`` value is invalid; the message names the key."""


def _parse_int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        return int(raw.strip())
    raise ValueError


def _parse_number(raw: Any) -> float:
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, (int, float)):
        return float(raw)
    return float(str(raw).strip())


def _parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off", ""):
        return False
    raise ValueError


def _parse_list(raw: Any) -> list[str]:
    if isinstance(raw, list):
        return [str(item).strip() for item in raw if str(item).strip()]
    if isinstance(raw, str):
        return [item.strip() for item in raw.split(",") if item.strip()]
    raise ValueError


def _parse_str(raw: Any) -> str:
    if isinstance(raw, (dict, list)):
        raise ValueError
    return "" if raw is None else str(raw).strip()


class _Reader:
    def __init__(self, context: Mapping[str, Any]) -> None:
        self.context = context
        self.errors = PropErrors("cdk.json context")

    def get(self, key: str, parse: Callable[[Any], T], expected: str) -> T | None:
        raw = self.context.get(key, DEFAULTS[key])
        if raw is None:
            raw = DEFAULTS[key]
        try:
            return parse(raw)
        except (ValueError, TypeError):
            self.errors.add(f"context key '{key}' has value {raw!r}; expected {expected}")
            return None

    def optional_int(self, key: str, expected: str) -> int | None:
        raw = self.context.get(key, DEFAULTS[key])
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        return self.get(key, _parse_int, expected)


@dataclass(frozen=True)
class WebTierConfig:
    """The app's settings; defaults are the seed's example (t3.micro, 2/4/2, CPU 50%)."""

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

    @property
    def dns_enabled(self) -> bool:
        return bool(self.domain_name)

    @property
    def zone_name(self) -> str:
        """The hosted zone's name: given, or the domain itself when the stack creates it."""
        return self.hosted_zone_name or self.domain_name

    @staticmethod
    def from_context(context: Mapping[str, Any]) -> WebTierConfig:
        """Parse and validate; raises ``ConfigError`` listing every bad key."""
        r = _Reader(context)
        instance_type = r.get("instanceType", _parse_str, "an instance type like 't3.micro'")
        min_capacity = r.get("minCapacity", _parse_int, "a whole number, e.g. 2")
        max_capacity = r.get("maxCapacity", _parse_int, "a whole number, e.g. 4")
        desired = r.optional_int("desiredCapacity", "a whole number or empty (unset)")
        cpu = r.get("cpuTargetPercent", _parse_number, "a percentage in (0, 100], e.g. 50")
        admin_cidrs = r.get(
            "adminCidrs", _parse_list, "comma-separated IPv4 CIDRs, e.g. '203.0.113.10/32'"
        )
        domain = r.get("domainName", _parse_str, "a domain name or empty")
        zone_id = r.get("hostedZoneId", _parse_str, "a hosted zone id or empty")
        zone_name = r.get("hostedZoneName", _parse_str, "a zone name or empty")
        create_zone = r.get("createHostedZone", _parse_bool, "true or false")
        errors = r.errors

        if instance_type is not None:
            check_instance_type(errors, "context key 'instanceType'", instance_type)
        if min_capacity is not None and max_capacity is not None:
            check_capacities(
                errors,
                min_capacity=min_capacity,
                max_capacity=max_capacity,
                desired_capacity=desired,
                names=(
                    "context key 'minCapacity'",
                    "context key 'maxCapacity'",
                    "context key 'desiredCapacity'",
                ),
            )
        if cpu is not None and not 0 < cpu <= 100:
            errors.add(
                f"context key 'cpuTargetPercent' has value {cpu!r}; expected a percentage "
                "in (0, 100], e.g. 50"
            )
        for index, cidr in enumerate(admin_cidrs or []):
            check_ipv4_cidr(errors, f"context key 'adminCidrs' item {index}", cidr, allow_any=False)
        if domain:
            check_dns_name(errors, "context key 'domainName'", domain, allow_wildcard=False)
            if create_zone and (zone_id or zone_name):
                errors.add(
                    "context keys 'createHostedZone' and 'hostedZoneId'/'hostedZoneName' "
                    "exclude each other; create a zone or import one"
                )
            elif not create_zone:
                if not zone_id or not zone_name:
                    errors.add(
                        f"context key 'domainName' is {domain!r} but no hosted zone is given; "
                        "set 'hostedZoneId' and 'hostedZoneName' to import one, or "
                        "'createHostedZone=true' to create it"
                    )
                else:
                    check_hosted_zone_id(errors, "context key 'hostedZoneId'", zone_id)
                    if check_dns_name(
                        errors, "context key 'hostedZoneName'", zone_name, allow_wildcard=False
                    ):
                        name, zone = domain.rstrip(".").lower(), zone_name.rstrip(".").lower()
                        if name != zone and not name.endswith("." + zone):
                            errors.add(
                                f"context key 'domainName' {domain!r} is not inside "
                                f"'hostedZoneName' {zone_name!r}"
                            )
        elif zone_id or zone_name or create_zone:
            errors.add(
                "context keys 'hostedZoneId'/'hostedZoneName'/'createHostedZone' need "
                "'domainName'; set the domain or clear them"
            )

        if errors.problems:
            listing = "\n".join(f"  - {p}" for p in errors.problems)
            raise ConfigError(f"Invalid configuration in cdk.json context / -c:\n{listing}")
        assert instance_type is not None and min_capacity is not None
        assert max_capacity is not None and cpu is not None
        return WebTierConfig(
            instance_type=instance_type,
            min_capacity=min_capacity,
            max_capacity=max_capacity,
            desired_capacity=desired,
            cpu_target_percent=cpu,
            admin_cidrs=tuple(admin_cidrs or ()),
            domain_name=(domain or "").rstrip("."),
            hosted_zone_id=zone_id or "",
            hosted_zone_name=(zone_name or "").rstrip("."),
            create_hosted_zone=bool(create_zone),
        )
