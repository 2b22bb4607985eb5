from __future__ import annotations

from typing import Any

import pytest

from stacks.config import ConfigError, WebTierConfig
from tests.conftest import cdk_json_context


def test_cdk_json_defaults_are_the_seed_example() -> None:
    config = WebTierConfig.from_context(cdk_json_context())
    assert config == WebTierConfig()
    assert (config.instance_type, config.min_capacity, config.max_capacity) == ("t3.micro", 2, 4)
    assert config.desired_capacity is None
    assert config.cpu_target_percent == 50
    assert config.admin_cidrs == ()
    assert not config.dns_enabled


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
        }
    )
    assert config.instance_type == "m7g.large"
    assert (config.min_capacity, config.max_capacity, config.desired_capacity) == (3, 8, 4)
    assert config.cpu_target_percent == 60.5
    assert config.admin_cidrs == ("203.0.113.10/32", "198.51.100.0/24")
    assert config.dns_enabled and config.zone_name == "example.com"


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
        ({"cpuTargetPercent": 150}, r"context key 'cpuTargetPercent' has value 150.0; expected a"),
        ({"cpuTargetPercent": "abc"}, "context key 'cpuTargetPercent' has value 'abc'"),
        ({"adminCidrs": "0.0.0.0/0"}, "context key 'adminCidrs' item 0 '0.0.0.0/0' opens"),
        ({"adminCidrs": "1.2.3.4"}, "context key 'adminCidrs' item 0 '1.2.3.4' is not an IPv4"),
        ({"createHostedZone": "maybe"}, "context key 'createHostedZone' has value 'maybe'"),
        ({"domainName": "shop.example.com"}, "no hosted zone is given"),
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
