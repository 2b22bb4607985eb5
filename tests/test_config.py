from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from constructs_lib._validation import PropErrors
from constructs_lib.scaling_schedule import OneOffSchedule, RecurringSchedule
from stacks.config import (
    ENV_KEY,
    PROFILES_KEY,
    ConfigError,
    Key,
    WebTierConfig,
    layers,
)
from stacks.config.keys import BY_NAME
from stacks.config.values import parse_str
from tests.conftest import cdk_json_context

ZONE_ID = "Z0123456789ABCDEFGHIJ"
ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
IMPORTED = {
    "domainName": "shop.example.com",
    "hostedZoneId": ZONE_ID,
    "hostedZoneName": "example.com",
}


def test_cdk_json_defaults_are_the_seed_example() -> None:
    config = WebTierConfig.from_context(cdk_json_context())
    assert config == WebTierConfig(
        profile="dev", log_retention_days=30, stack_name="Ec2WebTier-dev"
    )
    assert (config.instance_type, config.min_capacity, config.max_capacity) == ("t3.micro", 2, 4)
    assert config.environment is None and not config.deletion_protection
    assert config.desired_capacity is None
    assert config.cpu_target_percent == 50
    assert config.admin_cidrs == ()
    assert not config.dns_enabled
    assert config.observability is True
    assert config.alarm_email == ""
    assert config.waf is True
    assert config.nag_packs == (
        "AwsSolutions",
        "NIST80053R5",
        "HIPAASecurity",
        "PCIDSS321",
        "ControlTower",
    )


def test_string_values_from_the_command_line_are_parsed() -> None:
    config = WebTierConfig.from_context(
        {
            "instanceType": "m7g.large",
            "minCapacity": "3",
            "maxCapacity": "8",
            "desiredCapacity": "4",
            "cpuTargetPercent": "60.5",
            "adminCidrs": "203.0.113.10/32, 198.51.100.0/24",
            "domainName": "shop.example.com",
            "hostedZoneId": "Z0123456789ABCDEFGHIJ",
            "hostedZoneName": "example.com",
            "createHostedZone": "false",
            "observability": "true",
            "alarmEmail": " ops+web@example.com ",
        }
    )
    assert config.instance_type == "m7g.large"
    assert (config.min_capacity, config.max_capacity, config.desired_capacity) == (3, 8, 4)
    assert config.cpu_target_percent == 60.5
    assert config.admin_cidrs == ("203.0.113.10/32", "198.51.100.0/24")
    assert config.dns_enabled and config.zone_name == "example.com"
    assert config.observability is True
    assert config.alarm_email == "ops+web@example.com"


def test_observability_can_be_switched_off() -> None:
    assert WebTierConfig.from_context({"observability": "false"}).observability is False
    assert WebTierConfig.from_context({"observability": False}).observability is False


def test_https_is_off_without_a_domain_and_on_with_one() -> None:
    assert not WebTierConfig.from_context({}).https_enabled
    route53 = WebTierConfig.from_context(IMPORTED)
    assert route53.https_enabled and route53.route53_enabled and not route53.external_dns
    assert route53.https is None  # unset: the default applies


def test_explicit_http_only_with_a_domain() -> None:
    config = WebTierConfig.from_context({**IMPORTED, "https": "false"})
    assert config.https is False and not config.https_enabled
    external = WebTierConfig.from_context({"domainName": "shop.example.com", "https": False})
    assert external.external_dns and not external.https_enabled


def test_external_dns_with_a_certificate_arn() -> None:
    config = WebTierConfig.from_context(
        {
            "domainName": "shop.example.com",
            "certificateArn": ARN,
            "alternativeNames": "www.shop.example.com., *.shop.example.com",
        }
    )
    assert config.external_dns and not config.route53_enabled and config.https_enabled
    assert config.certificate_arn == ARN
    assert config.record_names == (
        "shop.example.com",
        "www.shop.example.com",
        "*.shop.example.com",
    )


def test_certificate_arn_alone_turns_https_on_for_the_load_balancer_name() -> None:
    config = WebTierConfig.from_context({"certificateArn": ARN})
    assert config.https_enabled and not config.dns_enabled and config.record_names == ()


def test_external_dns_with_a_created_certificate_and_health_check() -> None:
    config = WebTierConfig.from_context(
        {"domainName": "shop.example.com", "createCertificate": "true", "healthCheck": "yes"}
    )
    assert config.create_certificate and config.health_check and config.external_dns


def test_lookup_by_zone_name_or_domain() -> None:
    cli = {"CDK_DEFAULT_ACCOUNT": "123456789012", "CDK_DEFAULT_REGION": "eu-west-1"}
    named = WebTierConfig.from_context(
        {
            "domainName": "shop.example.com",
            "hostedZoneName": "example.com",
            "lookupHostedZone": True,
        },
        environ=cli,
    )
    assert named.route53_enabled and named.lookup_hosted_zone
    assert named.zone_name == "example.com"
    apex = WebTierConfig.from_context(
        {"domainName": "example.com", "lookupHostedZone": "true"}, environ=cli
    )
    assert apex.zone_name == "example.com"


def test_waf_and_packs_from_the_command_line() -> None:
    config = WebTierConfig.from_context({"waf": "0", "nagPacks": " PCIDSS321 , AwsSolutions "})
    assert config.waf is False
    assert config.nag_packs == ("PCIDSS321", "AwsSolutions")
    assert WebTierConfig.from_context({"nagPacks": ""}).nag_packs == ()
    assert WebTierConfig.from_context({"waf": ""}).waf is True  # blank is not "off"


def test_created_zone_is_named_after_the_domain() -> None:
    config = WebTierConfig.from_context({"domainName": "example.org", "createHostedZone": True})
    assert config.create_hosted_zone and config.zone_name == "example.org"


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"instanceType": "t3.mirco"}, "context key 'instanceType' 't3.mirco' is not an EC2"),
        ({"minCapacity": "two"}, "context key 'minCapacity' has value 'two'; expected a whole"),
        ({"minCapacity": -1}, "context key 'minCapacity' -1 is out of range"),
        ({"maxCapacity": 0}, "context key 'maxCapacity' 0 is out of range"),
        (
            {"minCapacity": 5},
            "context key 'minCapacity' 5 is greater than context key 'maxCapacity'",
        ),
        ({"desiredCapacity": "9"}, "context key 'desiredCapacity' 9 is outside"),
        ({"cpuTargetPercent": 150}, r"'cpuTargetPercent' 150.0 is not a percentage in \(0, 100\]"),
        ({"cpuTargetPercent": "abc"}, "context key 'cpuTargetPercent' has value 'abc'"),
        ({"adminCidrs": "0.0.0.0/0"}, "context key 'adminCidrs' item 0 '0.0.0.0/0' opens"),
        ({"adminCidrs": "1.2.3.4"}, "context key 'adminCidrs' item 0 '1.2.3.4' is not an IPv4"),
        ({"createHostedZone": "maybe"}, "context key 'createHostedZone' has value 'maybe'"),
        ({"domainName": "bad_name.example.com", "createHostedZone": True}, "invalid label"),
        (
            {
                "domainName": "shop.example.com",
                "hostedZoneId": "Z0123456789ABCDEFGHIJ",
                "hostedZoneName": "example.org",
            },
            "'domainName' 'shop.example.com' is not inside 'hostedZoneName' 'example.org'",
        ),
        (
            {
                "domainName": "shop.example.com",
                "hostedZoneId": "nope",
                "hostedZoneName": "example.com",
            },
            "context key 'hostedZoneId' 'nope' is not a Route 53 hosted zone id",
        ),
        (
            {
                "domainName": "example.com",
                "createHostedZone": True,
                "hostedZoneId": "Z0123456789ABCDEFGHIJ",
            },
            "exclude each other",
        ),
        ({"hostedZoneId": "Z0123456789ABCDEFGHIJ"}, "need 'domainName'"),
        # HTTPS and certificates
        ({"https": "maybe"}, "context key 'https' has value 'maybe'; expected true, false"),
        (
            {"https": "true"},
            "context key 'https' is true but no certificate can be had: set 'certificateArn'",
        ),
        (
            {"domainName": "shop.example.com"},
            "context key 'domainName' is 'shop.example.com' with external DNS .* no certificate "
            "is given: set 'certificateArn' .* or 'createCertificate=true'",
        ),
        (
            {"domainName": "shop.example.com", "certificateArn": "arn:aws:acm:eu-west-1:1:cert"},
            "context key 'certificateArn' 'arn:aws:acm:eu-west-1:1:cert' is not an ACM "
            "certificate ARN",
        ),
        (
            {"domainName": "shop.example.com", "certificateArn": ARN, "createCertificate": True},
            "context keys 'certificateArn' and 'createCertificate' exclude each other",
        ),
        (
            {"domainName": "shop.example.com", "certificateArn": ARN, "https": "false"},
            "context key 'https' is false but 'certificateArn' is set",
        ),
        (
            {"domainName": "shop.example.com", "createCertificate": True, "https": "false"},
            "context key 'https' is false but 'createCertificate' is set",
        ),
        (
            {"createCertificate": "true"},
            "context key 'createCertificate' needs 'domainName'",
        ),
        ({"createCertificate": "maybe"}, "context key 'createCertificate' has value 'maybe'"),
        (
            {**IMPORTED, "domainName": "a" * 60 + ".example.com"},
            "context key 'domainName' 'a{60}.example.com' is longer than 64 characters",
        ),
        # Alternative names
        (
            {"alternativeNames": "www.shop.example.com"},
            "context keys 'alternativeNames' need 'domainName'",
        ),
        (
            {**IMPORTED, "alternativeNames": "www.shop.example.com,bad_name.example.com"},
            "context key 'alternativeNames' item 1 'bad_name.example.com' has an invalid label",
        ),
        (
            {**IMPORTED, "alternativeNames": "www.other.org"},
            "context key 'alternativeNames' item 0 'www.other.org' is not inside the hosted "
            "zone 'example.com'",
        ),
        (
            {"domainName": "example.org", "createHostedZone": True, "alternativeNames": "x.y.com"},
            "context key 'alternativeNames' item 0 'x.y.com' is not inside the hosted zone "
            "'example.org'",
        ),
        (
            {**IMPORTED, "alternativeNames": "www.*.example.com"},
            r"context key 'alternativeNames' item 0 'www.\*.example.com' may hold a wildcard",
        ),
        (
            {**IMPORTED, "alternativeNames": "SHOP.example.com"},
            r"context key 'alternativeNames' repeats \['shop.example.com'\]",
        ),
        (
            {**IMPORTED, "alternativeNames": ",".join(f"n{i}.example.com" for i in range(100))},
            "context key 'alternativeNames' has 100 names; an ACM certificate holds at most 100",
        ),
        # Zone lookup and zone keys
        ({"lookupHostedZone": "maybe"}, "context key 'lookupHostedZone' has value 'maybe'"),
        ({"lookupHostedZone": True}, "context keys 'lookupHostedZone' need 'domainName'"),
        (
            {**IMPORTED, "lookupHostedZone": True},
            "context keys 'lookupHostedZone' and 'hostedZoneId' .* exclude each other",
        ),
        (
            {"domainName": "example.com", "createHostedZone": True, "lookupHostedZone": True},
            "context keys 'createHostedZone' and 'lookupHostedZone' exclude each other",
        ),
        (
            {"domainName": "shop.example.com", "hostedZoneName": "example.com"},
            "context key 'hostedZoneName' is 'example.com' but 'hostedZoneId' is empty",
        ),
        (
            {"domainName": "shop.example.com", "hostedZoneId": ZONE_ID},
            "context key 'hostedZoneId' is 'Z0123456789ABCDEFGHIJ' but 'hostedZoneName' is empty",
        ),
        ({"healthCheck": "sometimes"}, "context key 'healthCheck' has value 'sometimes'"),
        ({"observability": "maybe"}, "context key 'observability' has value 'maybe'"),
        ({"alarmEmail": "ops"}, "context key 'alarmEmail' 'ops' is not an e-mail address"),
        ({"alarmEmail": "ops@localhost"}, "domain 'localhost' needs at least two labels"),
        ({"alarmEmail": ["ops@example.com"]}, "context key 'alarmEmail' has value"),
        (
            {"alarmEmail": "ops@example.com", "observability": "false"},
            "context key 'alarmEmail' is 'ops@example.com' but 'observability' is false",
        ),
        (
            {"adminCidrs": "2001:db8::/64"},
            r"context key 'adminCidrs' item 0 '2001:db8::/64' is an IPv6 CIDR where an IPv4",
        ),
        (
            {"adminCidrs": "203.0.113.10/32,10.0.0.1/24"},
            r"context key 'adminCidrs' item 1 '10.0.0.1/24' has host bits set",
        ),
        ({"minCapacity": 2.5}, r"context key 'minCapacity' has value 2.5; expected a whole"),
        ({"cpuTargetPercent": -5}, r"context key 'cpuTargetPercent' -5.0 is not a percentage"),
        ({"waf": "enabled"}, r"context key 'waf' has value 'enabled'; expected true or false"),
        ({"nagPacks": "AwsSolutions,NIST"}, r"context key 'nagPacks' item 1 'NIST' is not a"),
        ({"nagPacks": ["HIPAASecurity", "HIPAASecurity"]}, "context key 'nagPacks' repeats"),
        ({"nagPacks": {"AwsSolutions": True}}, r"context key 'nagPacks' has value \{"),
    ],
)
def test_bad_values_name_the_context_key(context: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        WebTierConfig.from_context(context)


def test_all_bad_keys_are_reported_at_once() -> None:
    with pytest.raises(ConfigError) as raised:
        WebTierConfig.from_context(
            {"instanceType": "banana", "cpuTargetPercent": 0, "adminCidrs": "0.0.0.0/0"}
        )
    text = str(raised.value)
    for key in ("instanceType", "cpuTargetPercent", "adminCidrs"):
        assert f"context key '{key}'" in text


# Profiles: cdk.json's `profiles`, selected with `env` (-c env=prod).


def test_prod_profile_is_bigger_and_protected() -> None:
    config = WebTierConfig.from_context({**cdk_json_context(), "env": "prod"})
    assert config.profile == "prod"
    assert (config.instance_type, config.min_capacity, config.max_capacity) == ("t3.small", 3, 9)
    assert config.deletion_protection and config.log_retention_days == 365
    assert config.environment is None  # still environment-agnostic


def test_explicit_keys_override_the_profile() -> None:
    config = WebTierConfig.from_context(
        {**cdk_json_context(), "env": "prod", "minCapacity": "4", "deletionProtection": "false"}
    )
    assert (config.min_capacity, config.max_capacity) == (4, 9)
    assert not config.deletion_protection and config.log_retention_days == 365


def test_without_a_profile_the_defaults_apply() -> None:
    context = {**cdk_json_context(), "env": ""}
    assert WebTierConfig.from_context(context) == WebTierConfig()


def test_each_environment_is_its_own_stack() -> None:
    # GIVEN cdk.json's profiles WHEN one is selected THEN its stack has a name of its own.
    names = {
        name: WebTierConfig.from_context({**cdk_json_context(), "env": name}).stack_name
        for name in cdk_json_context()[PROFILES_KEY]
    }
    assert names["dev"] == "Ec2WebTier-dev" and names["prod"] == "Ec2WebTier-prod"
    assert len(set(names.values())) == len(names)
    assert WebTierConfig.from_context({}).stack_name == "Ec2WebTier"  # no profile
    # A stack deployed before stackName existed keeps its name when given explicitly.
    kept = {**cdk_json_context(), "env": "prod", "stackName": "Ec2WebTier"}
    assert WebTierConfig.from_context(kept).stack_name == "Ec2WebTier"


@pytest.mark.parametrize("name", ["1stack", "web_tier", "web tier", "a" * 129])
def test_bad_stack_name_names_the_key(name: str) -> None:
    with pytest.raises(ConfigError, match=r"context key 'stackName' has value .*letters"):
        WebTierConfig.from_context({"stackName": name})


def test_every_cdk_json_profile_is_valid() -> None:
    profiles = cdk_json_context()[PROFILES_KEY]
    assert set(profiles) >= {"dev", "prod"}
    for name in profiles:
        assert WebTierConfig.from_context({**cdk_json_context(), "env": name}).profile == name


def test_profiles_work_for_any_configuration_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys added to the key table later are settable per profile without further code."""
    future = Key("futureKey", "default", parse_str, "a string", "a key added later")
    monkeypatch.setitem(BY_NAME, "futureKey", future)
    errors = PropErrors("test")
    found = layers({ENV_KEY: "prod", PROFILES_KEY: {"prod": {"futureKey": "from-profile"}}}, errors)
    assert (found.profile, found.values["futureKey"], errors.problems) == (
        "prod",
        "from-profile",
        [],
    )


def test_account_and_region_from_the_profile() -> None:
    config = WebTierConfig.from_context(
        {
            "env": "prod",
            "profiles": {"prod": {"account": "123456789012", "region": "eu-west-1"}},
        },
        environ={},
    )
    assert (config.account, config.region) == ("123456789012", "eu-west-1")
    assert config.environment is not None
    assert (config.environment.account, config.environment.region) == (
        "123456789012",
        "eu-west-1",
    )


def test_account_and_region_from_the_cdk_cli_only_when_asked() -> None:
    environ = {"CDK_DEFAULT_ACCOUNT": "210987654321", "CDK_DEFAULT_REGION": "us-west-2"}
    asked = WebTierConfig.from_context(
        {"account": "CDK_DEFAULT_ACCOUNT", "region": "CDK_DEFAULT_REGION"}, environ=environ
    )
    assert (asked.account, asked.region) == ("210987654321", "us-west-2")
    not_asked = WebTierConfig.from_context({}, environ=environ)
    assert not_asked.environment is None


def test_region_alone_binds_only_the_region() -> None:
    config = WebTierConfig.from_context({"region": "ap-southeast-2"}, environ={})
    assert config.environment is not None
    assert (config.environment.account, config.environment.region) == (None, "ap-southeast-2")


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"env": "staging", "profiles": {"dev": {}}}, r"'env' is 'staging' .* one of: 'dev'"),
        ({"env": "dev"}, r"'env' is 'dev' but context key 'profiles' has no such .* none"),
        ({"env": 3}, "context key 'env' has value 3; expected a profile name"),
        ({"profiles": ["dev"]}, "context key 'profiles' has value \\['dev'\\]; expected an"),
        ({"profiles": {"dev": "t3.micro"}}, "context key 'profiles' has value"),
        (
            {"profiles": {"prod": {"minCapcity": 3}}},
            "profile 'prod' sets unknown key 'minCapcity'",
        ),
        (
            {"env": "prod", "profiles": {"prod": {"minCapacity": "three"}}},
            r"\(profile 'prod' from context key 'env'\):\n.*'minCapacity' has value 'three'",
        ),
        ({"logRetentionDays": 0}, "'logRetentionDays' 0 is out of range; .* from 1 to 3650"),
        ({"logRetentionDays": "a week"}, "context key 'logRetentionDays' has value 'a week'"),
        ({"deletionProtection": "maybe"}, "context key 'deletionProtection' has value 'maybe'"),
        ({"account": "12345"}, "context key 'account' has value '12345'; expected e.g."),
        ({"region": "Europe"}, "context key 'region' has value 'Europe'; expected e.g."),
        ({"account": "CDK_DEFAULT_ACCOUNT"}, "CDK_DEFAULT_ACCOUNT is not set"),
        ({"region": "CDK_DEFAULT_REGION"}, "CDK_DEFAULT_REGION is not set"),
    ],
)
def test_bad_profiles_and_environments_name_the_key(context: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        WebTierConfig.from_context(context, environ={})


HOLIDAY_EVENTS = [
    {
        "name": "Christmas",
        "start": "2026-12-01",
        "end": "2026-12-26",
        "min": 4,
        "max": 8,
        "timeZone": "Europe/Berlin",
    }
]


def test_scaling_keys_default_to_the_seed_example() -> None:
    config = WebTierConfig.from_context(cdk_json_context())
    assert config.request_count_target is None
    assert config.predictive_scaling == "off"
    assert config.scaling_schedules == () and config.scaling_events == ()
    assert config.instance_refresh is True
    assert config.max_instance_lifetime_days is None


def test_scaling_events_and_schedules_from_cdk_json_objects() -> None:
    config = WebTierConfig.from_context(
        {
            "maxCapacity": 8,
            "requestCountTarget": 1000,
            "predictiveScaling": "forecastAndScale",
            "scalingTimeZone": "Europe/Berlin",
            "scalingEvents": [
                *HOLIDAY_EVENTS,
                {"name": "Easter", "start": "2027-03-26", "end": "2027-03-29", "min": 3, "max": 6},
            ],
            "scalingSchedules": [
                {"name": "NightScaleIn", "cron": "0 22 * * *", "max": 3, "end": "2026-11-30"}
            ],
            "instanceRefresh": "false",
            "maxInstanceLifetimeDays": "30",
        }
    )
    assert config.request_count_target == 1000
    assert config.predictive_scaling == "forecastAndScale"
    christmas, easter = config.scaling_events
    assert christmas == OneOffSchedule(
        name="Christmas",
        start=dt.date(2026, 12, 1),
        end=dt.date(2026, 12, 26),
        min_capacity=4,
        max_capacity=8,
        time_zone="Europe/Berlin",
    )
    assert easter.time_zone == "Europe/Berlin"  # scalingTimeZone is the default
    assert config.scaling_schedules == (
        RecurringSchedule(
            name="NightScaleIn",
            cron="0 22 * * *",
            max_capacity=3,
            time_zone="Europe/Berlin",
            end=dt.date(2026, 11, 30),
        ),
    )
    assert config.instance_refresh is False and config.max_instance_lifetime_days == 30


def test_scaling_events_as_json_from_the_command_line() -> None:
    config = WebTierConfig.from_context(
        {"maxCapacity": "8", "scalingEvents": json.dumps(HOLIDAY_EVENTS)}
    )
    assert [e.name for e in config.scaling_events] == ["Christmas"]


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"requestCountTarget": "lots"}, "context key 'requestCountTarget' has value 'lots'"),
        ({"requestCountTarget": 0}, "context key 'requestCountTarget' 0 is out of range"),
        ({"requestCountTarget": 2**60}, "'requestCountTarget' 1152921504606846976 is too large"),
        ({"predictiveScaling": "on"}, "context key 'predictiveScaling' has value 'on'; expected"),
        ({"scalingTimeZone": "CET+1"}, "context key 'scalingTimeZone' 'CET\\+1' is not an IANA"),
        ({"scalingEvents": "not json"}, "context key 'scalingEvents' has value 'not json'"),
        ({"scalingEvents": [["Christmas"]]}, "context key 'scalingEvents' has value"),
        (
            {"scalingEvents": [{**HOLIDAY_EVENTS[0], "minimum": 4}]},
            r"'scalingEvents' item 0 has unknown field\(s\) \['minimum'\]",
        ),
        (
            {"scalingEvents": [{"name": "Christmas", "start": "2026-12-01"}]},
            r"'scalingEvents' item 0 is missing \['end', 'max', 'min'\]",
        ),
        (
            {"scalingEvents": [{**HOLIDAY_EVENTS[0], "start": "1 Dec 2026"}]},
            "'scalingEvents' item 0 field 'start' has value '1 Dec 2026'; expected a date",
        ),
        (
            {"scalingEvents": [{**HOLIDAY_EVENTS[0], "min": "four"}]},
            "'scalingEvents' item 0 field 'min' has value 'four'; expected a whole number",
        ),
        (
            {"scalingEvents": [{**HOLIDAY_EVENTS[0], "min": 9}]},
            r"context key 'scalingEvents'\[0\] leaves the group with min 9 > max 8",
        ),
        (
            {"maxCapacity": 8, "scalingEvents": [{**HOLIDAY_EVENTS[0], "end": "2026-11-01"}]},
            r"'Christmas' ends \(2026-11-01\) before it starts",
        ),
        (
            {"maxCapacity": 8, "scalingEvents": [{**HOLIDAY_EVENTS[0], "timeZone": "Berlin"}]},
            r"context key 'scalingEvents'\[0\].time_zone 'Berlin' is not an IANA time zone",
        ),
        (
            {"maxCapacity": 8, "scalingEvents": HOLIDAY_EVENTS + HOLIDAY_EVENTS},
            r"context key 'scalingEvents'\[1\].name 'Christmas' is already used",
        ),
        (
            {"scalingSchedules": [{"name": "Night", "cron": "0 25 * * *", "max": 2}]},
            r"context key 'scalingSchedules'\[0\].cron '0 25 \* \* \*' hour field",
        ),
        (
            {"scalingSchedules": [{"name": "Night", "max": 2}]},
            r"'scalingSchedules' item 0 is missing \['cron'\]",
        ),
        ({"instanceRefresh": "sometimes"}, "context key 'instanceRefresh' has value 'sometimes'"),
        ({"maxInstanceLifetimeDays": 400}, r"'maxInstanceLifetimeDays' 400 is out of range"),
    ],
)
def test_bad_scaling_values_name_the_context_key(context: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        WebTierConfig.from_context(context)


_COMPONENT = "arn:aws:imagebuilder:eu-west-1:aws:component/update-linux/x.x.x"


def test_image_pipeline_keys_reach_the_config() -> None:
    config = WebTierConfig.from_context(
        {
            "imagePipeline": "true",
            "imagePipelineSchedule": "cron(0 2 ? * mon *)",
            "imagePipelineComponents": _COMPONENT,
            "imagePipelineKeepImages": "5",
        }
    )
    assert config.image_pipeline is True
    assert config.image_pipeline_schedule == "cron(0 2 ? * mon *)"
    assert config.image_pipeline_components == (_COMPONENT,)
    assert config.image_pipeline_keep_images == 5
    default = WebTierConfig.from_context({})
    assert default.image_pipeline is False
    assert default.image_pipeline_schedule == "cron(0 4 ? * sun *)"
    on_demand = WebTierConfig.from_context({"imagePipeline": True, "imagePipelineSchedule": ""})
    assert on_demand.image_pipeline_schedule == ""


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"imagePipeline": "maybe"}, "context key 'imagePipeline' has value 'maybe'"),
        (
            {"imagePipeline": "true", "imagePipelineSchedule": "weekly"},
            "context key 'imagePipelineSchedule' 'weekly' is not an Image Builder schedule",
        ),
        (
            {"imagePipeline": "true", "imagePipelineKeepImages": 1},
            "context key 'imagePipelineKeepImages' 1 is out of range",
        ),
        (
            {"imagePipeline": "true", "imagePipelineComponents": "update-linux"},
            r"context key 'imagePipelineComponents'\[0\] 'update-linux' is not an Image Builder",
        ),
        (
            {"imagePipelineComponents": _COMPONENT},
            "context key 'imagePipelineComponents' is set but 'imagePipeline' is false",
        ),
        (
            {"imagePipeline": "true", "instanceRefresh": "false"},
            "context key 'imagePipeline' is true but 'instanceRefresh' is false",
        ),
    ],
)
def test_bad_image_pipeline_values_name_the_context_key(
    context: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        WebTierConfig.from_context(context)


def test_every_problem_at_once_with_the_environment_checks() -> None:
    # GIVEN a misspelt key, a certificate from another region and a capacity problem
    context = {
        "minCapcity": 2,
        "region": "us-east-1",
        "domainName": "shop.example.com",
        "certificateArn": ARN,
        "minCapacity": 5,
        "maxCapacity": 3,
    }
    # WHEN the configuration is read THEN one error lists all three, each by its key
    with pytest.raises(ConfigError) as raised:
        WebTierConfig.from_context(context, environ={})
    problems = raised.value.problems
    assert len(problems) == 3, problems
    assert "context key 'minCapcity' is unknown; did you mean 'minCapacity'?" in problems
    assert any(
        p.startswith(
            f"context key 'certificateArn' {ARN!r} is in region "
            "'eu-west-1' but the stack deploys to 'us-east-1'"
        )
        for p in problems
    )
    assert any("'minCapacity'" in p and "'maxCapacity'" in p for p in problems)


@pytest.mark.parametrize(
    ("context", "environ", "message"),
    [
        ({"account": "210987654321"}, {}, "belongs to account '123456789012' but the stack"),
        (  # the CLI's region, asked for by name
            {"region": "CDK_DEFAULT_REGION"},
            {"CDK_DEFAULT_REGION": "us-east-1"},
            "is in region 'eu-west-1' but the stack deploys to 'us-east-1'",
        ),
        (  # a lookup binds the stack to the CLI's environment
            {"lookupHostedZone": True},
            {"CDK_DEFAULT_ACCOUNT": "123456789012", "CDK_DEFAULT_REGION": "us-east-1"},
            "is in region 'eu-west-1' but the stack deploys to 'us-east-1'",
        ),
    ],
)
def test_a_certificate_outside_the_stacks_environment_names_the_key(
    context: dict[str, Any], environ: dict[str, str], message: str
) -> None:
    context = {"domainName": "shop.example.com", "certificateArn": ARN, **context}
    with pytest.raises(ConfigError, match=f"context key 'certificateArn' .* {message}"):
        WebTierConfig.from_context(context, environ=environ)


def test_a_certificate_of_an_environment_agnostic_stack_is_checked_at_deploy() -> None:
    context = {"domainName": "shop.example.com", "certificateArn": ARN}
    assert WebTierConfig.from_context(context, environ={}).environment is None


def test_a_lookup_takes_the_cli_environment_or_names_the_key() -> None:
    lookup = {"domainName": "example.com", "lookupHostedZone": True}
    cli = {"CDK_DEFAULT_ACCOUNT": "123456789012", "CDK_DEFAULT_REGION": "eu-west-1"}
    env = WebTierConfig.from_context(lookup, environ=cli).environment
    assert env is not None and (env.account, env.region) == ("123456789012", "eu-west-1")
    assert WebTierConfig.from_context({}, environ=cli).environment is None
    own = WebTierConfig.from_context({**lookup, "region": "us-west-2"}, environ=cli)
    assert (own.account, own.region) == ("123456789012", "us-west-2")
    with pytest.raises(ConfigError) as raised:
        WebTierConfig.from_context({**lookup, "maxCapacity": 0}, environ={})
    [lookup_problem] = [p for p in raised.value.problems if "'lookupHostedZone'" in p]
    assert lookup_problem.startswith(
        "context key 'lookupHostedZone' is true but the stack has no concrete account and "
        "region to look the zone up in; set 'account' and 'region'"
    )
    assert len(raised.value.problems) == 2  # reported with the capacity problem


EXISTING_VPC = {
    "vpcId": "vpc-0a1b2c3d4e5f67890",
    "availabilityZones": "eu-west-1a,eu-west-1b",
    "publicSubnetIds": "subnet-0a00000000000000a,subnet-0a00000000000000b",
    "privateSubnetIds": "subnet-0b00000000000000a,subnet-0b00000000000000b",
}


def test_an_existing_vpc_by_attributes_needs_no_lookup_nor_environment() -> None:
    config = WebTierConfig.from_context(EXISTING_VPC, environ={})
    assert config.environment is None and not config.lookup_vpc
    assert config.availability_zones == ("eu-west-1a", "eu-west-1b")
    assert config.private_subnet_ids == ("subnet-0b00000000000000a", "subnet-0b00000000000000b")
    internal = {**EXISTING_VPC, "publicSubnetIds": "", "internalLoadBalancer": True}
    config = WebTierConfig.from_context({**internal, "vpcCidrBlock": "10.20.0.0/16"}, environ={})
    assert config.public_subnet_ids == () and config.vpc_cidr_block == "10.20.0.0/16"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"vpcId": "vpc-12"}, "context key 'vpcId' 'vpc-12' is not a VPC id"),
        ({"availabilityZones": "eu-west-1a"}, "'availabilityZones' has 1 zone\\(s\\); give at"),
        ({"availabilityZones": "eu-west-1a,eu-west-1a"}, "'availabilityZones' repeats"),
        ({"availabilityZones": "eu-west-1a,west"}, "'availabilityZones' item 1 'west' is not"),
        (
            {"availabilityZones": "eu-west-1a,eu-west-1b", "region": "us-east-1"},
            "'availabilityZones' item 0 'eu-west-1a' is not in the stack's region 'us-east-1'",
        ),
        (
            {"privateSubnetIds": "subnet-0b00000000000000a"},
            "'privateSubnetIds' has 1 subnet id\\(s\\) for the 2 zone\\(s\\) of context key "
            "'availabilityZones'",
        ),
        ({"publicSubnetIds": ""}, "'publicSubnetIds' has 0 subnet id"),
        (
            {"publicSubnetIds": "subnet-0a00000000000000a,sn-1"},
            "'publicSubnetIds' item 1 'sn-1' is not a subnet id",
        ),
        (
            {"privateSubnetIds": "subnet-0a00000000000000a,subnet-0b00000000000000b"},
            "'privateSubnetIds' item 0 'subnet-0a00000000000000a' is given twice",
        ),
        ({"vpcCidrBlock": "10.0.0.0/8"}, "'vpcCidrBlock' '10.0.0.0/8' is a /8; a VPC's"),
        ({"vpcCidrBlock": "10.0.0.1/16"}, "'vpcCidrBlock' '10.0.0.1/16' has host bits set"),
        (
            {"internalLoadBalancer": True},
            "'internalLoadBalancer' is true with an imported VPC .* 'vpcCidrBlock' is empty",
        ),
        (
            {"lookupVpc": True, "account": "123456789012", "region": "eu-west-1"},
            "context keys 'lookupVpc' and 'availabilityZones', 'publicSubnetIds', "
            "'privateSubnetIds' exclude each other",
        ),
        ({"vpcId": ""}, "context keys 'availabilityZones', .* need 'vpcId'"),
    ],
)
def test_bad_existing_vpc_keys_are_named(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        WebTierConfig.from_context({**EXISTING_VPC, **overrides}, environ={})


def test_a_vpc_lookup_takes_the_cli_environment_or_names_the_key() -> None:
    lookup = {"vpcId": "vpc-0a1b2c3d4e5f67890", "lookupVpc": True}
    cli = {"CDK_DEFAULT_ACCOUNT": "123456789012", "CDK_DEFAULT_REGION": "eu-west-1"}
    env = WebTierConfig.from_context(lookup, environ=cli).environment
    assert env is not None and (env.account, env.region) == ("123456789012", "eu-west-1")
    with pytest.raises(ConfigError, match="context key 'lookupVpc' is true but the stack has no"):
        WebTierConfig.from_context(lookup, environ={})
    with pytest.raises(ConfigError, match="context keys 'lookupVpc' need 'vpcId'"):
        WebTierConfig.from_context({"lookupVpc": True}, environ=cli)
