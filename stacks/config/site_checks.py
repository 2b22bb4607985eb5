"""The site's keys checked together, each problem named by its context key: where the
domain's records live, and where an HTTPS certificate can come from."""

from __future__ import annotations

from constructs_lib import validation
from stacks.config.site import ROUTE53, https_wanted, zone_source


def check_site(
    errors: validation.PropErrors,
    *,
    domain: str,
    zone_id: str,
    zone_name: str,
    create_zone: bool,
    lookup_zone: bool,
    alternatives: list[str],
    https: bool | None,
    certificate_arn: str,
    create_certificate: bool,
    account: str | None = None,
    region: str | None = None,
) -> None:
    """``account``/``region``: where the stack deploys, when the configuration knows it (an
    existing certificate must be in both)."""
    _check_dns(
        errors,
        domain=domain,
        zone_id=zone_id,
        zone_name=zone_name,
        create_zone=create_zone,
        lookup_zone=lookup_zone,
        alternatives=alternatives,
    )
    _check_https(
        errors,
        domain=domain,
        route53=isinstance(
            zone_source(
                domain=domain,
                zone_id=zone_id,
                zone_name=zone_name,
                create_zone=create_zone,
                lookup_zone=lookup_zone,
            ),
            ROUTE53,
        ),
        alternatives=alternatives,
        https=https,
        certificate_arn=certificate_arn,
        create_certificate=create_certificate,
        account=account,
        region=region,
    )


def _check_dns(
    errors: validation.PropErrors,
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
    domain_ok = validation.check_dns_name(
        errors, "context key 'domainName'", domain, allow_wildcard=False
    )
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
            validation.check_hosted_zone_id(errors, "context key 'hostedZoneId'", zone_id)
        zone_known = zone_name or None
    if zone_name and not create_zone:
        zone_ok = validation.check_dns_name(
            errors, "context key 'hostedZoneName'", zone_name, allow_wildcard=False
        )
        if domain_ok and zone_ok and not validation.is_within_zone(domain, zone_name):
            errors.add(
                f"context key 'domainName' {domain!r} is not inside 'hostedZoneName' {zone_name!r}"
            )
        if not zone_ok:
            zone_known = None
    validation.check_alternative_names(
        errors,
        "context key 'alternativeNames'",
        alternatives,
        primary=domain,
        zone_name=zone_known,
    )


def _check_https(
    errors: validation.PropErrors,
    *,
    domain: str,
    route53: bool,
    alternatives: list[str],
    https: bool | None,
    certificate_arn: str,
    create_certificate: bool,
    account: str | None,
    region: str | None,
) -> None:
    """HTTPS needs a certificate from somewhere: an ARN, a Route 53 zone to validate a new
    one in, or an explicit request for one validated at an external DNS provider."""
    if certificate_arn:
        validation.check_certificate_arn(
            errors,
            "context key 'certificateArn'",
            certificate_arn,
            region=region,
            account=account,
        )
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
    if not https_wanted(https, domain=domain, certificate_arn=certificate_arn) or certificate_arn:
        return
    if domain and (route53 or create_certificate):
        validation.check_certificate_names(  # the stack will request this certificate from ACM
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
