from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk.assertions import Template

from constructs_lib import SiteHealthCheck


def test_https_health_check_probes_the_site_with_sni(stack: cdk.Stack) -> None:
    check = SiteHealthCheck(stack, "Check", domain_name="shop.example.com")
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::Route53::HealthCheck", 1)
    template.has_resource_properties(
        "AWS::Route53::HealthCheck",
        {
            "HealthCheckConfig": {
                "Type": "HTTPS",
                "FullyQualifiedDomainName": "shop.example.com",
                "Port": 443,
                "ResourcePath": "/health",
                "EnableSNI": True,
                "FailureThreshold": 3,
                "RequestInterval": 30,
                "Inverted": False,
                "MeasureLatency": False,
            }
        },
    )
    assert stack.resolve(check.health_check_id) == {
        "Ref": stack.get_logical_id(check.health_check.node.default_child)  # type: ignore[arg-type]
    }


def test_http_health_check_on_port_80(stack: cdk.Stack) -> None:
    SiteHealthCheck(
        stack,
        "Check",
        domain_name="shop.example.com",
        https=False,
        path="/",
        failure_threshold=2,
        request_interval=Duration.seconds(10),
    )
    config = Template.from_stack(stack).to_json()["Resources"]
    (check,) = config.values()
    assert check["Properties"]["HealthCheckConfig"] == {
        "Type": "HTTP",
        "FullyQualifiedDomainName": "shop.example.com",
        "Port": 80,
        "ResourcePath": "/",
        "FailureThreshold": 2,
        "RequestInterval": 10,
        "Inverted": False,
        "MeasureLatency": False,
    }


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"domain_name": "bad_name.example.com"}, "domain_name 'bad_name.example.com'"),
        ({"path": "health"}, "path 'health' must start with '/'"),
        ({"path": "/" + "a" * 255}, "path .* at most 255 characters"),
        ({"failure_threshold": 0}, "failure_threshold 0 is out of range"),
        ({"failure_threshold": 11}, "failure_threshold 11 is out of range"),
        ({"request_interval": Duration.seconds(20)}, "request_interval 20s is not one Route 53"),
    ],
)
def test_bad_props_are_refused(stack: cdk.Stack, props: dict[str, Any], message: str) -> None:
    props = {"domain_name": "shop.example.com", **props}
    with pytest.raises(ValueError, match=message):
        SiteHealthCheck(stack, "Check", **props)
