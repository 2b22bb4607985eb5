from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_route53 as route53
from aws_cdk.assertions import Match, Template

from constructs_lib import WebCertificate, WebDns
from tests.conftest import new_app

ZONE_ID = "Z0123456789ABCDEFGHIJ"
ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"


def _zone(stack: cdk.Stack) -> route53.IHostedZone:
    return WebDns.from_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id=ZONE_ID, zone_name="example.com"
    )


def _stack_in(region: str, account: str = "123456789012") -> cdk.Stack:
    return cdk.Stack(new_app(), "Pinned", env=cdk.Environment(account=account, region=region))


def test_certificate_in_a_zone_validates_every_name_there(stack: cdk.Stack) -> None:
    cert = WebCertificate(
        stack,
        "Cert",
        domain_name="shop.example.com",
        alternative_names=["www.shop.example.com", "*.shop.example.com"],
        hosted_zone=_zone(stack),
    )
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::CertificateManager::Certificate", 1)
    template.has_resource_properties(
        "AWS::CertificateManager::Certificate",
        {
            "DomainName": "shop.example.com",
            "SubjectAlternativeNames": ["www.shop.example.com", "*.shop.example.com"],
            "ValidationMethod": "DNS",
            # ACM validates '*.shop.example.com' through the same CNAME as
            # 'shop.example.com', so CDK lists that name once.
            "DomainValidationOptions": [
                {"DomainName": "shop.example.com", "HostedZoneId": ZONE_ID},
                {"DomainName": "www.shop.example.com", "HostedZoneId": ZONE_ID},
            ],
        },
    )
    assert cert.validated_in_zone
    assert cert.names == ["shop.example.com", "www.shop.example.com", "*.shop.example.com"]
    assert stack.resolve(cert.certificate_arn) == {
        "Ref": stack.get_logical_id(cert.certificate.node.default_child)  # type: ignore[arg-type]
    }


def test_certificate_without_zone_leaves_validation_to_the_dns_provider(
    stack: cdk.Stack,
) -> None:
    cert = WebCertificate(stack, "Cert", domain_name="shop.example.com.")
    Template.from_stack(stack).has_resource_properties(
        "AWS::CertificateManager::Certificate",
        {
            "DomainName": "shop.example.com",
            "ValidationMethod": "DNS",
            "DomainValidationOptions": Match.absent(),
            "SubjectAlternativeNames": Match.absent(),
        },
    )
    assert not cert.validated_in_zone


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (
            {"domain_name": "shop.other.org"},
            "domain_name 'shop.other.org' is not inside the hosted",
        ),
        ({"domain_name": "bad_label.example.com"}, "domain_name .* invalid label 'bad_label'"),
        # One root dot is the fully qualified form; a second was once stripped before the check
        # and reached ACM raw.
        ({"domain_name": "shop.example.com.."}, "domain_name .* has an empty label"),
        ({"domain_name": "shop..example.com"}, "domain_name .* has an empty label"),
        ({"domain_name": "www.*.example.com"}, r"domain_name .* wildcard '\*' only as its first"),
        (
            {"domain_name": "a" * 60 + ".example.com"},
            "domain_name 'a{60}.example.com' is longer than 64 characters",
        ),
        (
            {"domain_name": "shop.example.com", "alternative_names": ["www.other.org"]},
            "alternative_names item 0 'www.other.org' is not inside the hosted zone 'example.com'",
        ),
        (
            {"domain_name": "shop.example.com", "alternative_names": ["-x.example.com"]},
            "alternative_names item 0 '-x.example.com' has an invalid label '-x'",
        ),
        (
            {"domain_name": "shop.example.com", "alternative_names": ["SHOP.example.com."]},
            r"alternative_names repeats \['shop.example.com'\]",
        ),
        (
            {
                "domain_name": "shop.example.com",
                "alternative_names": [f"n{i}.example.com" for i in range(100)],
            },
            "alternative_names has 100 names; an ACM certificate holds at most 100",
        ),
    ],
)
def test_bad_names_are_refused(stack: cdk.Stack, props: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WebCertificate(stack, "Cert", hosted_zone=_zone(stack), **props)  # type: ignore[arg-type]


def test_every_name_problem_is_reported_at_once(stack: cdk.Stack) -> None:
    with pytest.raises(ValueError) as raised:
        WebCertificate(
            stack,
            "Cert",
            domain_name="shop.other.org",
            alternative_names=["x_y.example.com"],
            hosted_zone=_zone(stack),
        )
    text = str(raised.value)
    assert "2 invalid props" in text
    assert "domain_name 'shop.other.org'" in text and "alternative_names item 0" in text


def test_external_certificate_accepts_names_in_any_domain(stack: cdk.Stack) -> None:
    cert = WebCertificate(
        stack, "Cert", domain_name="shop.example.com", alternative_names=["shop.example.net"]
    )
    assert cert.names == ["shop.example.com", "shop.example.net"]


def test_imported_certificate_is_used_by_arn(stack: cdk.Stack) -> None:
    cert = WebCertificate.from_certificate_arn(stack, "Cert", certificate_arn=ARN)
    assert cert.certificate_arn == ARN


def test_imported_certificate_in_the_stacks_region_is_accepted() -> None:
    stack = _stack_in("eu-west-1")
    assert (
        WebCertificate.from_certificate_arn(stack, "Cert", certificate_arn=ARN).certificate_arn
        == ARN
    )


@pytest.mark.parametrize(
    ("arn", "region", "account", "message"),
    [
        (
            ARN,
            "us-east-1",
            "123456789012",
            "certificate_arn .* is in region 'eu-west-1' but the stack deploys to 'us-east-1'",
        ),
        (
            ARN,
            "eu-west-1",
            "210987654321",
            "certificate_arn .* belongs to account '123456789012' but the stack deploys to "
            "'210987654321'",
        ),
        (
            "arn:aws:iam::123456789012:server-certificate/shop",
            "eu-west-1",
            "123456789012",
            "certificate_arn 'arn:aws:iam::123456789012:server-certificate/shop' is not an "
            "ACM certificate ARN",
        ),
        (
            "arn:aws:acm::123456789012:certificate/11111111-2222-3333-4444-555555555555",
            "eu-west-1",
            "123456789012",
            "is not an ACM certificate ARN",
        ),
        (
            "arn:aws:acm:eu-west-1:123456789012:certificate/shop",
            "eu-west-1",
            "123456789012",
            "is not an ACM certificate ARN",
        ),
    ],
)
def test_bad_or_foreign_certificate_arn_is_refused(
    arn: str, region: str, account: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        WebCertificate.from_certificate_arn(_stack_in(region, account), "Cert", certificate_arn=arn)


def test_from_certificate_arn_checks_the_arn() -> None:
    stack = cdk.Stack(
        new_app(), "FromArn", env=cdk.Environment(account="123456789012", region="eu-west-1")
    )
    arn = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
    assert (
        WebCertificate.from_certificate_arn(stack, "Cert", certificate_arn=arn).certificate_arn
        == arn
    )
    with pytest.raises(ValueError, match="certificate_arn"):
        WebCertificate.from_certificate_arn(stack, "Bad", certificate_arn="not-an-arn")
