"""The load-balancing and fleet keys reach the tier.

GIVEN cdk.json keys for an internal load balancer, a tuned target group, a warm pool and Spot
WHEN the stack is synthesized
THEN the load balancer is internal and open to the VPC only, the target group carries the
     attributes, and the group has a warm pool, a Spot mix above the minimum and capacity
     rebalancing.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from stacks.config import WebTierConfig
from stacks.web_tier_stack import WebTierStack
from tests.conftest import new_app

KEYS = {
    "internalLoadBalancer": "true",
    "stickinessSeconds": "600",
    "slowStartSeconds": "60",
    "loadBalancingAlgorithm": "leastOutstandingRequests",
    "healthCheckIntervalSeconds": "10",
    "unhealthyThreshold": "3",
    "warmPoolMinSize": "1",
}
SPOT = {"spotInstanceTypes": "t3.micro,t3a.micro", "capacityRebalance": "true"}


def _template(keys: dict[str, str]) -> Template:
    stack = WebTierStack(new_app(), "Shapes", config=WebTierConfig.from_context(keys))
    return Template.from_stack(stack)


@pytest.fixture(scope="module")
def template() -> Template:
    return _template(KEYS)


def test_internal_load_balancer_open_to_the_vpc_only(template: Template) -> None:
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::LoadBalancer", {"Scheme": "internal"}
    )
    for group in template.find_resources("AWS::EC2::SecurityGroup").values():
        for rule in group["Properties"].get("SecurityGroupIngress", []):
            assert rule.get("CidrIp") != "0.0.0.0/0", rule


def test_target_group_keys(template: Template) -> None:
    (group,) = template.find_resources("AWS::ElasticLoadBalancingV2::TargetGroup").values()
    props: dict[str, Any] = group["Properties"]
    attributes = {a["Key"]: a["Value"] for a in props["TargetGroupAttributes"]}
    assert attributes["stickiness.lb_cookie.duration_seconds"] == "600"
    assert attributes["slow_start.duration_seconds"] == "60"
    assert attributes["load_balancing.algorithm.type"] == "least_outstanding_requests"
    assert (props["HealthCheckIntervalSeconds"], props["UnhealthyThresholdCount"]) == (10, 3)


def test_warm_pool_key(template: Template) -> None:
    template.has_resource_properties("AWS::AutoScaling::WarmPool", {"MinSize": 1})


def test_spot_keys() -> None:
    _template(SPOT).has_resource_properties(
        "AWS::AutoScaling::AutoScalingGroup",
        {
            "CapacityRebalance": True,
            "MixedInstancesPolicy": Match.object_like(
                {
                    "InstancesDistribution": Match.object_like(
                        {"OnDemandBaseCapacity": 2, "OnDemandPercentageAboveBaseCapacity": 0}
                    ),
                    "LaunchTemplate": Match.object_like(
                        {
                            "Overrides": [
                                {"InstanceType": "t3.micro"},
                                {"InstanceType": "t3a.micro"},
                            ]
                        }
                    ),
                }
            ),
        },
    )


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({"slowStartSeconds": "10"}, "'slowStartSeconds' 10 is out of range; .* 30 to 900"),
        ({"stickinessSeconds": "0"}, "'stickinessSeconds' 0 is out of range"),
        ({"loadBalancingAlgorithm": "random"}, "'loadBalancingAlgorithm' has value 'random'"),
        (
            {"loadBalancingAlgorithm": "weightedRandom", "slowStartSeconds": "60"},
            "cannot be combined with loadBalancingAlgorithm 'weightedRandom'",
        ),
        ({"capacityRebalance": "true"}, "'spotInstanceTypes' is empty"),
        ({"spotInstanceTypes": "t3.nope"}, "'spotInstanceTypes' item 0 't3.nope'"),
        ({"warmPoolMinSize": "-1"}, "'warmPoolMinSize' -1 is out of range"),
        ({"warmPoolMinSize": "1001"}, "'warmPoolMinSize' 1001 is out of range; .* 0 to 1000"),
        ({"unhealthyThreshold": "11"}, "'unhealthyThreshold' 11 is out of range; .* 2 to 10"),
        ({**SPOT, "warmPoolMinSize": "1"}, "exclude each other"),
        ({"healthCheckIntervalSeconds": "1"}, "'healthCheckIntervalSeconds' 1 is out of range"),
    ],
)
def test_bad_keys_name_the_key(keys: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WebTierConfig.from_context(keys)
