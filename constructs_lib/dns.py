"""The seed's DNS step inside AWS: Route 53 alias records pointing at the load balancer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as targets
from constructs import Construct

from constructs_lib._validation import (
    PropErrors,
    check_dns_name,
    is_token,
    is_within_zone,
    parent_checked,
    typed_arguments,
    typed_fields,
    without_root_dot,
)

_ZONE_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def check_hosted_zone_id(errors: PropErrors, arg: str, value: str) -> None:
    """A Route 53 hosted-zone id: 'Z' and upper-case letters and digits."""
    if is_token(value):
        return
    if not value or not value.startswith("Z") or not set(value) <= _ZONE_ID_CHARS:
        errors.add(
            f"{arg} {value!r} is not a Route 53 hosted zone id (upper-case letters and digits "
            "starting with 'Z', e.g. 'Z0123456789ABCDEFGHIJ')"
        )


def check_record_names(errors: PropErrors, record_names: Sequence[str], zone_name: str) -> None:
    """Alias record names: valid DNS names (a wildcard only first), inside the zone when its
    name is known, each given once. ``WebTier`` runs it in its check phase, before it builds
    anything, so a name outside the zone is reported with every other problem."""
    for index, name in enumerate(record_names):
        arg = f"record_names[{index}]"
        if not check_dns_name(errors, arg, name, allow_wildcard=True):
            continue
        if not is_token(zone_name) and not is_within_zone(name, zone_name):
            errors.add(
                f"{arg} {name!r} is not inside the hosted zone {zone_name!r}; use a name "
                f"ending in '.{without_root_dot(zone_name)}' or the zone apex"
            )
    lowered = [without_root_dot(n).lower() for n in record_names if not is_token(n)]
    duplicates = sorted({n for n in lowered if lowered.count(n) > 1})
    if duplicates:
        errors.add(f"record_names repeats {duplicates}; give each name once")


def _is_name_list(errors: PropErrors, record_names: Sequence[str]) -> bool:
    """``record_names`` is a list, not one string (validated character by character)."""
    if isinstance(record_names, str):
        errors.add(
            f"record_names {record_names!r} is a string; give a list, e.g. ['shop.example.com']"
        )
        return False
    return True


class WebDns(Construct):
    """Alias records in ``hosted_zone`` for each of ``record_names``, pointing at the load
    balancer.

    Creates one alias A record per name (``records``), and an AAAA record too when
    ``dual_stack`` is set (a dual-stack load balancer; ``ipv6_records``). Names must lie
    inside the zone.
    """

    @staticmethod
    def from_hosted_zone_attributes(
        scope: Construct, construct_id: str, *, hosted_zone_id: str, zone_name: str
    ) -> route53.IHostedZone:
        """An existing public hosted zone by id and name (as
        ``route53.PublicHostedZone.from_public_hosted_zone_attributes``): no lookup, so synth
        needs no account. The id and name are checked first."""
        errors = PropErrors("WebDns.from_hosted_zone_attributes")
        check_hosted_zone_id(errors, "hosted_zone_id", hosted_zone_id)
        check_dns_name(errors, "zone_name", zone_name, allow_wildcard=False)
        errors.raise_if_any()
        return route53.PublicHostedZone.from_public_hosted_zone_attributes(
            scope, construct_id, hosted_zone_id=hosted_zone_id, zone_name=zone_name
        )

    @staticmethod
    def check(
        errors: PropErrors, *, hosted_zone: route53.IHostedZone, record_names: Sequence[str]
    ) -> None:
        """At least one name, each valid and inside the zone (``check_record_names``): what
        the constructor runs first, and what ``Domain`` runs for ``WebTier``."""
        if not _is_name_list(errors, record_names):
            return
        if not record_names:
            errors.add("record_names is empty; give at least one name, e.g. 'shop.example.com'")
        check_record_names(errors, record_names, hosted_zone.zone_name)

    @typed_arguments
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        hosted_zone: route53.IHostedZone,
        load_balancer: elbv2.ILoadBalancerV2,
        record_names: Sequence[str],
        dual_stack: bool = False,
    ) -> None:
        """
        :param hosted_zone: The hosted zone holding the records (imported or created).
        :param load_balancer: The alias target.
        :param record_names: Fully qualified names, e.g. ``["shop.example.com",
            "www.shop.example.com"]``; the zone apex is allowed.
        :param dual_stack: Add AAAA records too (a dual-stack load balancer). Default: A
            records only.
        """
        super().__init__(scope, construct_id)
        errors = PropErrors("WebDns")
        if not parent_checked():  # a parent (WebTier) ran this check already
            self.check(errors, hosted_zone=hosted_zone, record_names=record_names)
        errors.raise_if_any()

        target = route53.RecordTarget.from_alias(targets.LoadBalancerTarget(load_balancer))
        self.records: list[route53.ARecord] = []
        self.ipv6_records: list[route53.AaaaRecord] = []
        for index, name in enumerate(record_names):
            # Ids stay stable per position: renaming a record updates it in place.
            suffix = "" if index == 0 else str(index + 1)
            self.records.append(
                route53.ARecord(
                    self, f"Alias{suffix}", zone=hosted_zone, record_name=name, target=target
                )
            )
            if dual_stack:
                self.ipv6_records.append(
                    route53.AaaaRecord(
                        self,
                        f"AliasIpv6{suffix}",
                        zone=hosted_zone,
                        record_name=name,
                        target=target,
                    )
                )
        self.record = self.records[0]


@dataclass(frozen=True)
@typed_fields
class Domain:
    """The site's names and certificate, for ``WebTier(domain=...)``.

    :param certificate: ACM certificate: HTTPS on 443, port 80 redirects. Default: none,
        HTTP only on port 80.
    :param hosted_zone: Route 53 zone for alias records (``WebDns``). Default: none; point
        an external DNS at the load balancer's ``load_balancer_dns_name``.
    :param record_names: Names to alias to the load balancer (with ``hosted_zone``), e.g.
        ``["shop.example.com", "www.shop.example.com"]``. Default: none.
    """

    certificate: acm.ICertificate | None = None
    hosted_zone: route53.IHostedZone | None = None
    record_names: Sequence[str] = ()

    def check(self, errors: PropErrors) -> None:
        """Record names with a zone (``WebDns.check``), valid names without one, and a zone
        only with names."""
        names = self.record_names
        if self.hosted_zone is not None:
            if not names and not isinstance(names, str):
                errors.add("hosted_zone is given but record_names is empty; name the records")
            else:
                WebDns.check(errors, hosted_zone=self.hosted_zone, record_names=names)
            return
        if not _is_name_list(errors, names):
            return
        for index, name in enumerate(names):
            check_dns_name(errors, f"record_names[{index}]", name, allow_wildcard=True)
        if names:
            errors.add(
                f"record_names {list(names)} needs hosted_zone; give the zone or "
                "leave record_names empty and point an external DNS at the load balancer"
            )
