"""The site's keys (domain, Route 53 zone, certificate, HTTPS, health check), part of the key
table in ``keys.py``; ``site.py`` decides what they make together."""

from __future__ import annotations

from stacks.config.values import (
    Key,
    parse_bool,
    parse_list,
    parse_optional_bool,
    parse_str,
)

DOMAIN_NAME = Key(
    "domainName",
    "",
    parse_str,
    "a domain name or empty",
    "site name (e.g. `shop.example.com`); empty = no DNS, the site is the load balancer's "
    "name. Without zone keys: external DNS (the stack outputs CNAME lines)",
)
ALTERNATIVE_NAMES = Key(
    "alternativeNames",
    "",
    parse_list,
    "comma-separated domain names, e.g. 'www.shop.example.com'",
    "comma-separated extra names (e.g. `www.shop.example.com,*.shop.example.com`): alias "
    "records in Route 53 / CNAME lines for external DNS, and names on a created certificate; "
    "inside the zone, wildcard only as first label",
)
HOSTED_ZONE_ID = Key(
    "hostedZoneId",
    "",
    parse_str,
    "a hosted zone id or empty",
    "with `hostedZoneName`: import an existing Route 53 public zone (no lookup)",
)
HOSTED_ZONE_NAME = Key(
    "hostedZoneName",
    "",
    parse_str,
    "a zone name or empty",
    "the Route 53 zone's name, for `hostedZoneId` or `lookupHostedZone`",
)
CREATE_HOSTED_ZONE = Key(
    "createHostedZone",
    False,
    parse_bool,
    "true or false",
    "create the zone for `domainName` instead (delegate to the `NameServers` output)",
)
LOOKUP_HOSTED_ZONE = Key(
    "lookupHostedZone",
    False,
    parse_bool,
    "true or false",
    "look the zone up by `hostedZoneName` (or `domainName`); needs credentials (account + "
    "region from the CDK CLI), makes the stack environment-specific, result cached in "
    "`cdk.context.json`",
)
HTTPS = Key(
    "https",
    "",
    parse_optional_bool,
    "true, false or empty (automatic)",
    "`true`: HTTPS on 443 (TLS 1.3 policy) + permanent 80 → 443 redirect; `false`: HTTP only "
    "on 80. Empty: on when `domainName` or `certificateArn` is set",
)
CERTIFICATE_ARN = Key(
    "certificateArn",
    "",
    parse_str,
    "an ACM certificate ARN or empty",
    "existing ACM certificate (same account and region as the stack) instead of creating one",
)
CREATE_CERTIFICATE = Key(
    "createCertificate",
    False,
    parse_bool,
    "true or false",
    "external DNS: have ACM issue a certificate you validate by adding CNAMEs at your "
    "provider (with Route 53 the certificate is created anyway)",
)
HEALTH_CHECK = Key(
    "healthCheck",
    False,
    parse_bool,
    "true or false",
    "Route 53 health check on the site's `/health` (output `HealthCheckId`)",
)
