"""TLS for the site: an ACM certificate created for its names, or an existing one by ARN.

An Application Load Balancer can only use an ACM certificate from its own account and
region; both are checked here whenever the stack's environment is concrete (an
environment-agnostic stack only learns its region at deploy time, when CloudFormation
rejects a foreign certificate on the HTTPS listener).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aws_cdk import Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_route53 as route53
from constructs import Construct

from constructs_lib._validation import (
    PropErrors,
    check_alternative_names,
    check_dns_name,
    is_token,
    is_within_zone,
    typed_arguments,
    without_root_dot,
)

_CERTIFICATE_ARN = re.compile(
    r"^arn:(?P<partition>aws(-[a-z]+)*):acm:(?P<region>[a-z]{2}(-[a-z]+)+-[0-9]+):"
    r"(?P<account>[0-9]{12}):certificate/"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z"
)
_ARN_EXAMPLE = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
# ACM: the certificate's DomainName (CN) is at most 64 characters; a certificate holds at
# most 100 names (the default quota is 10 and can be raised up to 100).
MAX_PRIMARY_NAME_LENGTH = 64
MAX_NAMES = 100


def check_certificate_arn(
    errors: PropErrors,
    arg: str,
    value: str,
    *,
    region: str | None = None,
    account: str | None = None,
) -> None:
    """An ACM certificate ARN, in ``region`` and ``account`` when those are known."""
    if is_token(value):
        return
    match = _CERTIFICATE_ARN.match(value) if isinstance(value, str) else None
    if match is None:
        errors.add(f"{arg} {value!r} is not an ACM certificate ARN; expected e.g. '{_ARN_EXAMPLE}'")
        return
    if region is not None and not is_token(region) and match["region"] != region:
        errors.add(
            f"{arg} {value!r} is in region {match['region']!r} but the stack deploys to "
            f"{region!r}; a load balancer can only use an ACM certificate from its own region: "
            f"request or import the certificate in {region!r}"
        )
    if account is not None and not is_token(account) and match["account"] != account:
        errors.add(
            f"{arg} {value!r} belongs to account {match['account']!r} but the stack deploys to "
            f"{account!r}; a load balancer can only use an ACM certificate from its own account"
        )


def check_certificate_names(
    errors: PropErrors,
    *,
    domain_name: str,
    alternative_names: Sequence[str],
    names: tuple[str, str] = ("domain_name", "alternative_names"),
) -> None:
    """ACM's own limits on a certificate's names: the primary name (the certificate's
    subject) at most 64 characters, at most 100 names in all. ``names`` label the two
    inputs in messages."""
    domain_arg, alternatives_arg = names
    if not is_token(domain_name) and len(without_root_dot(domain_name)) > MAX_PRIMARY_NAME_LENGTH:
        errors.add(
            f"{domain_arg} {domain_name!r} is longer than {MAX_PRIMARY_NAME_LENGTH} "
            "characters, ACM's limit for a certificate's primary name; use a shorter "
            f"primary name and list this one in {alternatives_arg}"
        )
    if 1 + len(alternative_names) > MAX_NAMES:
        errors.add(
            f"{alternatives_arg} has {len(alternative_names)} names; an ACM certificate holds "
            f"at most {MAX_NAMES} names in all"
        )


class WebCertificate(Construct):
    """A public ACM certificate for the site's names, validated through DNS.

    Creates ``certificate`` for ``domain_name`` plus ``alternative_names`` (``names`` lists
    them all, primary first). With ``hosted_zone``, CloudFormation writes ACM's validation
    CNAME records into that Route 53 zone itself, and the certificate is issued during the
    deploy (once the zone answers for the domain). Without one (external DNS,
    ``validated_in_zone`` is False), the deploy waits on the certificate until you add the
    validation CNAMEs at your DNS provider: CloudFormation shows them in the certificate's
    stack event ("Content of DNS Record is: ...", also printed by ``cdk deploy``), and
    ``aws acm describe-certificate`` lists them. CloudFormation cannot return them as
    stack outputs, because the certificate resource only completes after validation.
    """

    @staticmethod
    def from_certificate_arn(
        scope: Construct, construct_id: str, *, certificate_arn: str
    ) -> acm.ICertificate:
        """An existing ACM certificate by ARN (as ``acm.Certificate.from_certificate_arn``),
        checked first: the ARN's format, and its region and account against the stack's when
        those are concrete (a load balancer needs a certificate of its own region/account)."""
        stack = Stack.of(scope)
        errors = PropErrors("WebCertificate.from_certificate_arn")
        check_certificate_arn(
            errors, "certificate_arn", certificate_arn, region=stack.region, account=stack.account
        )
        errors.raise_if_any()
        return acm.Certificate.from_certificate_arn(scope, construct_id, certificate_arn)

    @typed_arguments
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        domain_name: str,
        alternative_names: Sequence[str] = (),
        hosted_zone: route53.IHostedZone | None = None,
    ) -> None:
        """
        :param domain_name: The certificate's primary name, e.g. ``shop.example.com``
            (at most 64 characters; ``*.`` allowed as the first label).
        :param alternative_names: More names on the same certificate, e.g.
            ``["www.shop.example.com"]``. Default: none.
        :param hosted_zone: Route 53 zone that holds every name; validation records are
            created there automatically. Default: none, you add the validation records at
            your DNS provider while the deploy waits.
        """
        super().__init__(scope, construct_id)
        errors = PropErrors("WebCertificate")
        zone_name = hosted_zone.zone_name if hosted_zone is not None else None
        if check_dns_name(errors, "domain_name", domain_name, allow_wildcard=True):
            if (
                zone_name is not None
                and not is_token(zone_name)
                and not is_within_zone(domain_name, zone_name)
            ):
                zone = without_root_dot(zone_name)
                errors.add(
                    f"domain_name {domain_name!r} is not inside the hosted zone {zone!r}; "
                    f"use a name ending in '.{zone}' or the zone apex"
                )
            check_certificate_names(
                errors, domain_name=domain_name, alternative_names=alternative_names
            )
        check_alternative_names(
            errors,
            "alternative_names",
            alternative_names,
            primary=domain_name,
            zone_name=zone_name,
        )
        errors.raise_if_any()

        self.names: list[str] = [without_root_dot(n) for n in (domain_name, *alternative_names)]
        self.validated_in_zone = hosted_zone is not None
        self.certificate = acm.Certificate(
            self,
            "Certificate",
            domain_name=self.names[0],
            subject_alternative_names=self.names[1:] or None,
            validation=acm.CertificateValidation.from_dns(hosted_zone),
        )

    @property
    def certificate_arn(self) -> str:
        return self.certificate.certificate_arn
