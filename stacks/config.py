"""Typed, validated configuration read once from cdk.json context (and ``-c key=value``).

Values arrive as JSON types from cdk.json and as strings from ``-c``; both are accepted.
Every error names the context key, the value and what would be valid, and all errors in
one synth are reported together.

Profiles: context key ``profiles`` maps a name (``dev``, ``prod``) to values for any keys of
``DEFAULTS``, and ``env`` picks one (``-c env=prod``). A key's value is, first found: the key
itself in the context (cdk.json's top level or ``-c``), the selected profile, ``DEFAULTS``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aws_cdk import Environment

from constructs_lib._validation import (
    PropErrors,
    check_alternative_names,
    check_dns_name,
    check_email,
    check_ipv4_cidr,
    is_within_zone,
)
from constructs_lib.auto_scaling import check_capacities
from constructs_lib.certificate import check_certificate_arn, check_certificate_names
from constructs_lib.dns import check_hosted_zone_id
from constructs_lib.instance_types import check_instance_type
from constructs_lib.scaling_schedule import (
    RecurringSchedule,
    ScalingEvent,
    check_schedules,
    check_time_zone,
)
from stacks.nag_packs import ALL_PACKS

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
    "lookupHostedZone": False,
    "alternativeNames": "",
    "https": "",
    "certificateArn": "",
    "createCertificate": False,
    "healthCheck": False,
    "observability": True,
    "alarmEmail": "",
    "deletionProtection": False,
    "waf": True,
    "nagPacks": ",".join(ALL_PACKS),
    "logRetentionDays": 90,
    "account": "",
    "region": "",
    "requestCountTarget": "",
    "predictiveScaling": "off",
    "scalingTimeZone": "UTC",
    "scalingSchedules": [],
    "scalingEvents": [],
    "instanceRefresh": True,
    "maxInstanceLifetimeDays": "",
}

# Context keys that are not settings: which profile to apply, and the profiles themselves.
ENV_KEY = "env"
PROFILES_KEY = "profiles"
# A value of account/region that means "what the CDK CLI found in your credentials".
CLI_ACCOUNT = "CDK_DEFAULT_ACCOUNT"
CLI_REGION = "CDK_DEFAULT_REGION"
_ACCOUNT = re.compile(r"^\d{12}$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")


def context_keys() -> list[str]:
    """Every context key the app reads: the settings, the profile selector, the profiles."""
    return [*DEFAULTS, ENV_KEY, PROFILES_KEY]


PREDICTIVE_MODES = ("off", "forecastOnly", "forecastAndScale")
_EVENT_FIELDS = {"name", "start", "end", "min", "max", "desired", "timeZone", "yearly"}
_SCHEDULE_FIELDS = {"name", "cron", "min", "max", "desired", "timeZone", "start", "end"}


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


def _parse_optional_bool(raw: Any) -> bool | None:
    """Empty means "not set" (the default applies); otherwise a boolean."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return _parse_bool(raw)


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


def apply_profile(context: Mapping[str, Any], errors: PropErrors) -> tuple[str, dict[str, Any]]:
    """The selected profile's name and the context with its values filled in underneath
    the keys given explicitly. Problems with ``env``/``profiles`` go to ``errors``."""
    explicit = {key: value for key, value in context.items() if value is not None}
    profiles = explicit.get(PROFILES_KEY, {})
    if not isinstance(profiles, Mapping) or not all(
        isinstance(values, Mapping) for values in profiles.values()
    ):
        errors.add(
            f"context key '{PROFILES_KEY}' has value {profiles!r}; expected an object of "
            'profiles, each an object of configuration keys, e.g. {"prod": {"minCapacity": 3}}'
        )
        profiles = {}
    for name, values in profiles.items():
        for key in values:
            if key not in DEFAULTS:
                errors.add(
                    f"context key '{PROFILES_KEY}' profile {name!r} sets unknown key {key!r}; "
                    f"expected configuration keys: {', '.join(DEFAULTS)}"
                )
    selected = explicit.get(ENV_KEY, "")
    if not isinstance(selected, str):
        errors.add(f"context key '{ENV_KEY}' has value {selected!r}; expected a profile name")
        return "", explicit
    selected = selected.strip()
    if not selected:
        return "", explicit
    if selected not in profiles:
        known = ", ".join(repr(name) for name in profiles) or "none defined"
        errors.add(
            f"context key '{ENV_KEY}' is {selected!r} but context key '{PROFILES_KEY}' has no "
            f"such profile; expected one of: {known}"
        )
        return selected, explicit
    merged = {key: value for key, value in profiles[selected].items() if key in DEFAULTS}
    merged.update(explicit)
    return selected, merged


def _parse_objects(raw: Any) -> list[dict[str, Any]]:
    """A list of JSON objects: from cdk.json as is, from ``-c`` as a JSON string."""
    if isinstance(raw, str):
        raw = json.loads(raw) if raw.strip() else []
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise ValueError
    return raw


def _parse_date(raw: Any) -> dt.date:
    if isinstance(raw, str) and len(raw.strip()) == 10:
        return dt.date.fromisoformat(raw.strip())
    raise ValueError


def _optional(raw: Any, parse: Callable[[Any], T]) -> T | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return parse(raw)


class _Reader:
    def __init__(self, context: Mapping[str, Any]) -> None:
        self.errors = PropErrors("cdk.json context")
        self.profile, self.context = apply_profile(context, self.errors)

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
    scaling_events: tuple[ScalingEvent, ...] = field(default_factory=tuple)
    instance_refresh: bool = True
    max_instance_lifetime_days: int | None = None

    @property
    def environment(self) -> Environment | None:
        """The stack's account/region, or ``None`` (environment-agnostic) when neither is set."""
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
        return self.dns_enabled and bool(
            self.create_hosted_zone or self.lookup_hosted_zone or self.hosted_zone_id
        )

    @property
    def external_dns(self) -> bool:
        """A domain served by another DNS provider: the user adds a CNAME there."""
        return self.dns_enabled and not self.route53_enabled

    @property
    def https_enabled(self) -> bool:
        """``https`` as given; unset means on when there is a domain or a certificate."""
        if self.https is not None:
            return self.https
        return bool(self.domain_name or self.certificate_arn)

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
        context: Mapping[str, Any], environ: Mapping[str, str] | None = None
    ) -> WebTierConfig:
        """Parse and validate; raises ``ConfigError`` listing every bad key.

        ``environ`` (default: ``os.environ``) is read only for an account/region of
        ``CDK_DEFAULT_ACCOUNT``/``CDK_DEFAULT_REGION``.
        """
        environ = os.environ if environ is None else environ
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
        lookup_zone = r.get("lookupHostedZone", _parse_bool, "true or false")
        alternatives = r.get(
            "alternativeNames",
            _parse_list,
            "comma-separated domain names, e.g. 'www.shop.example.com'",
        )
        https = r.get("https", _parse_optional_bool, "true, false or empty (automatic)")
        certificate_arn = r.get("certificateArn", _parse_str, "an ACM certificate ARN or empty")
        create_certificate = r.get("createCertificate", _parse_bool, "true or false")
        health_check = r.get("healthCheck", _parse_bool, "true or false")
        observability = r.get("observability", _parse_bool, "true or false")
        alarm_email = r.get("alarmEmail", _parse_str, "an e-mail address or empty")
        deletion_protection = r.get("deletionProtection", _parse_bool, "true or false")
        retention = r.get("logRetentionDays", _parse_int, "a whole number of days, e.g. 90")
        # Empty (e.g. `-c waf=`) keeps the default, on: only an explicit false turns WAF off.
        waf = r.get("waf", _parse_optional_bool, "true or false")
        nag_packs = r.get(
            "nagPacks", _parse_list, f"comma-separated cdk-nag pack names from {list(ALL_PACKS)}"
        )
        account = r.get("account", _parse_str, f"a 12-digit account id, '{CLI_ACCOUNT}' or empty")
        region = r.get("region", _parse_str, f"a region like 'eu-west-1', '{CLI_REGION}' or empty")
        request_target = r.optional_int(
            "requestCountTarget", "requests per target per minute (e.g. 1000) or empty (off)"
        )
        predictive = r.get("predictiveScaling", _parse_str, " or ".join(PREDICTIVE_MODES))
        time_zone = r.get("scalingTimeZone", _parse_str, "an IANA time zone, e.g. 'Europe/Berlin'")
        schedule_items = r.get(
            "scalingSchedules", _parse_objects, "a JSON list of objects (name, cron, min, max...)"
        )
        event_items = r.get(
            "scalingEvents", _parse_objects, "a JSON list of objects (name, start, end, min, max)"
        )
        refresh = r.get("instanceRefresh", _parse_bool, "true or false")
        lifetime = r.optional_int("maxInstanceLifetimeDays", "days from 1 to 365 or empty")
        errors = r.errors

        if retention is not None and not 1 <= retention <= 3650:
            errors.add(
                f"context key 'logRetentionDays' has value {retention!r}; expected 1 to 3650 days"
            )
        account = _from_cli(errors, "account", account, CLI_ACCOUNT, _ACCOUNT, environ)
        region = _from_cli(errors, "region", region, CLI_REGION, _REGION, environ)

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
        _check_dns(
            errors,
            domain=domain or "",
            zone_id=zone_id or "",
            zone_name=zone_name or "",
            create_zone=bool(create_zone),
            lookup_zone=bool(lookup_zone),
            alternatives=alternatives or [],
        )
        _check_https(
            errors,
            domain=domain or "",
            route53=bool(domain and (create_zone or lookup_zone or zone_id)),
            alternatives=alternatives or [],
            https=https,
            certificate_arn=certificate_arn or "",
            create_certificate=bool(create_certificate),
        )

        if alarm_email:
            check_email(errors, "context key 'alarmEmail'", alarm_email)
            if observability is False:
                errors.add(
                    f"context key 'alarmEmail' is {alarm_email!r} but 'observability' is false; "
                    "the subscription belongs to the monitoring, so turn it on or clear "
                    "'alarmEmail'"
                )

        for index, pack in enumerate(nag_packs or []):
            if pack not in ALL_PACKS:
                errors.add(
                    f"context key 'nagPacks' item {index} {pack!r} is not a cdk-nag pack this "
                    f"app knows; choose from {list(ALL_PACKS)}"
                )
        repeated = sorted({p for p in nag_packs or [] if (nag_packs or []).count(p) > 1})
        if repeated:
            errors.add(f"context key 'nagPacks' repeats {repeated}; name each pack once")
        if request_target is not None and request_target < 1:
            errors.add(
                f"context key 'requestCountTarget' has value {request_target}; expected "
                "requests per target per minute of at least 1, or empty (off)"
            )
        if predictive is not None and predictive not in PREDICTIVE_MODES:
            errors.add(
                f"context key 'predictiveScaling' has value {predictive!r}; expected one of "
                + ", ".join(PREDICTIVE_MODES)
            )
        zone_ok = time_zone is not None and check_time_zone(
            errors, "context key 'scalingTimeZone'", time_zone
        )
        default_zone = time_zone if zone_ok and time_zone else "UTC"
        schedules = _schedules(errors, schedule_items or [], default_zone)
        events = _events(errors, event_items or [], default_zone)
        if min_capacity is not None and max_capacity is not None and min_capacity <= max_capacity:
            check_schedules(
                errors,
                schedules=schedules,
                events=events,
                min_capacity=min_capacity,
                max_capacity=max_capacity,
                names=("context key 'scalingSchedules'", "context key 'scalingEvents'"),
            )
        if lifetime is not None and not 1 <= lifetime <= 365:
            errors.add(
                f"context key 'maxInstanceLifetimeDays' has value {lifetime}; expected days "
                "from 1 to 365, or empty (no limit)"
            )

        if errors.problems:
            listing = "\n".join(f"  - {p}" for p in errors.problems)
            source = f" (profile {r.profile!r} from context key '{ENV_KEY}')" if r.profile else ""
            raise ConfigError(f"Invalid configuration in cdk.json context / -c{source}:\n{listing}")
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
            lookup_hosted_zone=bool(lookup_zone),
            alternative_names=tuple(n.rstrip(".") for n in alternatives or ()),
            https=https,
            certificate_arn=certificate_arn or "",
            create_certificate=bool(create_certificate),
            health_check=bool(health_check),
            observability=observability is not False,
            alarm_email=alarm_email or "",
            deletion_protection=bool(deletion_protection),
            log_retention_days=retention if retention is not None else DEFAULTS["logRetentionDays"],
            waf=waf is not False,
            nag_packs=ALL_PACKS if nag_packs is None else tuple(nag_packs),
            account=account,
            region=region,
            profile=r.profile,
            request_count_target=request_target,
            predictive_scaling=predictive or "off",
            scaling_schedules=tuple(schedules),
            scaling_events=tuple(events),
            instance_refresh=bool(refresh),
            max_instance_lifetime_days=lifetime,
        )


def _check_dns(
    errors: PropErrors,
    *,
    domain: str,
    zone_id: str,
    zone_name: str,
    create_zone: bool,
    lookup_zone: bool,
    alternatives: list[str],
) -> None:
    """Where the domain's records live: an imported, created or looked-up Route 53 zone,
    or (no zone keys) an external DNS provider."""
    if not domain:
        unused = [
            key
            for key, value in (
                ("hostedZoneId", zone_id),
                ("hostedZoneName", zone_name),
                ("createHostedZone", create_zone),
                ("lookupHostedZone", lookup_zone),
                ("alternativeNames", alternatives),
            )
            if value
        ]
        if unused:
            keys = ", ".join(f"'{key}'" for key in unused)
            errors.add(f"context keys {keys} need 'domainName'; set the domain or clear them")
        return
    domain_ok = check_dns_name(errors, "context key 'domainName'", domain, allow_wildcard=False)
    zone_known: str | None = None
    if create_zone:
        clashing = [
            key
            for key, value in (
                ("hostedZoneId", zone_id),
                ("hostedZoneName", zone_name),
                ("lookupHostedZone", lookup_zone),
            )
            if value
        ]
        if clashing:
            keys = "/".join(f"'{key}'" for key in clashing)
            errors.add(
                f"context keys 'createHostedZone' and {keys} exclude each other; create a "
                "zone, import one (id + name) or look one up (name)"
            )
        zone_known = domain if domain_ok else None
    elif lookup_zone:
        if zone_id:
            errors.add(
                f"context keys 'lookupHostedZone' and 'hostedZoneId' ({zone_id!r}) exclude "
                "each other; with the id, import the zone and drop the lookup"
            )
        zone_known = zone_name or domain
    elif zone_id or zone_name:
        if not zone_id:
            errors.add(
                f"context key 'hostedZoneName' is {zone_name!r} but 'hostedZoneId' is empty; "
                "give the id to import the zone, set 'lookupHostedZone=true' to look it up by "
                "name, or clear 'hostedZoneName' for an external DNS provider"
            )
        elif not zone_name:
            errors.add(
                f"context key 'hostedZoneId' is {zone_id!r} but 'hostedZoneName' is empty; "
                "give the zone's name, e.g. 'example.com'"
            )
        else:
            check_hosted_zone_id(errors, "context key 'hostedZoneId'", zone_id)
        zone_known = zone_name or None
    if zone_name and not create_zone:
        zone_ok = check_dns_name(
            errors, "context key 'hostedZoneName'", zone_name, allow_wildcard=False
        )
        if domain_ok and zone_ok and not is_within_zone(domain, zone_name):
            errors.add(
                f"context key 'domainName' {domain!r} is not inside 'hostedZoneName' {zone_name!r}"
            )
        if not zone_ok:
            zone_known = None
    check_alternative_names(
        errors,
        "context key 'alternativeNames'",
        alternatives,
        primary=domain,
        zone_name=zone_known,
    )


def _check_https(
    errors: PropErrors,
    *,
    domain: str,
    route53: bool,
    alternatives: list[str],
    https: bool | None,
    certificate_arn: str,
    create_certificate: bool,
) -> None:
    """HTTPS needs a certificate from somewhere: an ARN, a Route 53 zone to validate a new
    one in, or an explicit request for one validated at an external DNS provider."""
    if certificate_arn:
        check_certificate_arn(errors, "context key 'certificateArn'", certificate_arn)
    if certificate_arn and create_certificate:
        errors.add(
            "context keys 'certificateArn' and 'createCertificate' exclude each other; use "
            "the existing certificate or have one created"
        )
    if https is False and (certificate_arn or create_certificate):
        key = "certificateArn" if certificate_arn else "createCertificate"
        errors.add(
            f"context key 'https' is false but '{key}' is set; clear '{key}' for HTTP only, "
            "or drop 'https=false'"
        )
        return
    if create_certificate and not domain:
        errors.add(
            "context key 'createCertificate' needs 'domainName' (the certificate's name); "
            "set the domain or clear it"
        )
    enabled = https if https is not None else bool(domain or certificate_arn)
    if not enabled or certificate_arn:
        return
    if domain and (route53 or create_certificate):
        check_certificate_names(  # the stack will request this certificate from ACM
            errors,
            domain_name=domain,
            alternative_names=alternatives,
            names=("context key 'domainName'", "context key 'alternativeNames'"),
        )
        return
    if create_certificate:
        return  # no domain: reported above
    if not domain:
        errors.add(
            "context key 'https' is true but no certificate can be had: set 'certificateArn' "
            "to an ACM certificate in the stack's region, or 'domainName' (with a Route 53 "
            "zone, or with 'createCertificate=true'), or set 'https=false'"
        )
    else:
        errors.add(
            f"context key 'domainName' is {domain!r} with external DNS (no hosted zone keys) "
            "and HTTPS ('https' defaults to true with a domain), but no certificate is "
            "given: set 'certificateArn' to an existing ACM certificate in the stack's "
            "region, or 'createCertificate=true' to have ACM issue one validated by CNAME "
            "records you add at your DNS provider, or 'https=false' for HTTP only; or give "
            "a Route 53 zone ('hostedZoneId' + 'hostedZoneName', 'createHostedZone' or "
            "'lookupHostedZone')"
        )


def _from_cli(
    errors: PropErrors,
    key: str,
    value: str | None,
    variable: str,
    pattern: re.Pattern[str],
    environ: Mapping[str, str],
) -> str:
    """An account/region as given, or from the CDK CLI's variable when the value names it."""
    if not value:
        return ""
    if value == variable:
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


def _fields(
    errors: PropErrors, arg: str, item: dict[str, Any], allowed: set[str], required: set[str]
) -> bool:
    unknown = sorted(set(item) - allowed)
    missing = sorted(required - set(item))
    if unknown:
        errors.add(f"{arg} has unknown field(s) {unknown}; allowed: {sorted(allowed)}")
    if missing:
        errors.add(f"{arg} is missing {missing}")
    return not unknown and not missing


def _field(errors: PropErrors, arg: str, item: dict[str, Any], name: str, parse: Any) -> Any:
    try:
        return _optional(item.get(name), parse)
    except (ValueError, TypeError):
        errors.add(f"{arg} field '{name}' has value {item.get(name)!r}; expected {parse.__doc__}")
        return None


def _int(raw: Any) -> int:
    """a whole number"""
    return _parse_int(raw)


def _date(raw: Any) -> dt.date:
    """a date YYYY-MM-DD"""
    return _parse_date(raw)


def _text(raw: Any) -> str:
    """a string"""
    return _parse_str(raw)


def _flag(raw: Any) -> bool:
    """true or false"""
    return _parse_bool(raw)


def _schedules(
    errors: PropErrors, items: list[dict[str, Any]], time_zone: str
) -> list[RecurringSchedule]:
    result = []
    for index, item in enumerate(items):
        arg = f"context key 'scalingSchedules' item {index}"
        if not _fields(errors, arg, item, _SCHEDULE_FIELDS, {"name", "cron"}):
            continue
        values = {k: _field(errors, arg, item, k, p) for k, p in _SCHEDULE_PARSERS.items()}
        result.append(
            RecurringSchedule(
                name=values["name"] or "",
                cron=values["cron"] or "",
                min_capacity=values["min"],
                max_capacity=values["max"],
                desired_capacity=values["desired"],
                time_zone=values["timeZone"] or time_zone,
                start=values["start"],
                end=values["end"],
            )
        )
    return result


def _events(errors: PropErrors, items: list[dict[str, Any]], time_zone: str) -> list[ScalingEvent]:
    result = []
    for index, item in enumerate(items):
        arg = f"context key 'scalingEvents' item {index}"
        required = {"name", "start", "end", "min", "max"}
        if not _fields(errors, arg, item, _EVENT_FIELDS, required):
            continue
        values = {k: _field(errors, arg, item, k, p) for k, p in _EVENT_PARSERS.items()}
        if any(values[k] is None for k in required):
            continue
        result.append(
            ScalingEvent(
                name=values["name"],
                start=values["start"],
                end=values["end"],
                min_capacity=values["min"],
                max_capacity=values["max"],
                desired_capacity=values["desired"],
                time_zone=values["timeZone"] or time_zone,
                yearly=bool(values["yearly"]),
            )
        )
    return result


_SCHEDULE_PARSERS: dict[str, Callable[[Any], Any]] = {
    "name": _text,
    "cron": _text,
    "min": _int,
    "max": _int,
    "desired": _int,
    "timeZone": _text,
    "start": _date,
    "end": _date,
}
_EVENT_PARSERS: dict[str, Callable[[Any], Any]] = {
    "name": _text,
    "start": _date,
    "end": _date,
    "min": _int,
    "max": _int,
    "desired": _int,
    "timeZone": _text,
    "yearly": _flag,
}
