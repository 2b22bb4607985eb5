"""The site decision: where the domain's records live, where the certificate comes from,
HTTPS or not. Decided once (``decide``), as a small typed value the stack matches on, and
checked (``check_site``) with every problem named by its context key.
"""

from __future__ import annotations

from dataclasses import dataclass

from stacks.config.values import ConfigError


@dataclass(frozen=True)
class NoDomain:
    """No DNS: the site is the load balancer's own name."""


@dataclass(frozen=True)
class ExternalDns:
    """Another DNS provider holds the records: the stack outputs CNAME lines to paste."""


@dataclass(frozen=True)
class ImportedZone:
    """An existing Route 53 zone, imported by id and name (no lookup)."""

    zone_id: str
    zone_name: str


@dataclass(frozen=True)
class CreatedZone:
    """A new Route 53 zone for the domain (delegate to its name servers)."""

    zone_name: str


@dataclass(frozen=True)
class LookedUpZone:
    """A Route 53 zone found by name through the CDK CLI (needs credentials)."""

    zone_name: str


ZoneSource = NoDomain | ExternalDns | ImportedZone | CreatedZone | LookedUpZone
ROUTE53 = (ImportedZone, CreatedZone, LookedUpZone)


@dataclass(frozen=True)
class HttpOnly:
    """No certificate: HTTP on port 80."""


@dataclass(frozen=True)
class ExistingCertificate:
    """An ACM certificate by ARN."""

    arn: str


@dataclass(frozen=True)
class NewCertificate:
    """A certificate the stack requests from ACM, DNS-validated in the Route 53 zone
    (``validated_in_zone``) or by CNAMEs the user adds at an external provider."""

    validated_in_zone: bool


CertificateSource = HttpOnly | ExistingCertificate | NewCertificate


@dataclass(frozen=True)
class Site:
    zone: ZoneSource
    certificate: CertificateSource

    @property
    def route53(self) -> bool:
        return isinstance(self.zone, ROUTE53)

    @property
    def https(self) -> bool:
        return not isinstance(self.certificate, HttpOnly)


def zone_source(
    *, domain: str, zone_id: str, zone_name: str, create_zone: bool, lookup_zone: bool
) -> ZoneSource:
    if not domain:
        return NoDomain()
    if create_zone:
        return CreatedZone(domain)
    if lookup_zone:
        return LookedUpZone(zone_name or domain)
    if zone_id:
        return ImportedZone(zone_id, zone_name)
    return ExternalDns()


def https_wanted(https: bool | None, *, domain: str, certificate_arn: str) -> bool:
    """``https`` as given; unset means on when there is a domain or a certificate."""
    return https if https is not None else bool(domain or certificate_arn)


def decide(
    *,
    domain: str,
    zone_id: str,
    zone_name: str,
    create_zone: bool,
    lookup_zone: bool,
    https: bool | None,
    certificate_arn: str,
    create_certificate: bool,
) -> Site:
    """The site for these keys; raises ``ConfigError`` when HTTPS has no certificate source
    (``check_site`` reports that, naming the keys, before a configuration exists)."""
    zone = zone_source(
        domain=domain,
        zone_id=zone_id,
        zone_name=zone_name,
        create_zone=create_zone,
        lookup_zone=lookup_zone,
    )
    certificate: CertificateSource
    if not https_wanted(https, domain=domain, certificate_arn=certificate_arn):
        certificate = HttpOnly()
    elif certificate_arn:
        certificate = ExistingCertificate(certificate_arn)
    elif isinstance(zone, ROUTE53):
        certificate = NewCertificate(validated_in_zone=True)
    elif domain and create_certificate:
        certificate = NewCertificate(validated_in_zone=False)
    else:
        raise ConfigError(
            "HTTPS needs a certificate: set 'certificateArn', a Route 53 zone for "
            "'domainName', or 'createCertificate=true' (external DNS), or 'https=false'"
        )
    return Site(zone, certificate)
