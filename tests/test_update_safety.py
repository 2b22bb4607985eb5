"""Update safety: every template variant updated to every other, computed offline from the
two templates (tests/support/update_safety.py says which CloudFormation rule each check
encodes), and the rules themselves on small hand-written templates.

The toggles of each boolean/enum key are in tests/test_update_toggles.py.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tests.conftest import cdk_json_context
from tests.support.update_safety import (
    HTTP_LISTENER_LOGICAL_ID,
    RULES,
    Transition,
    changed_keys,
    check,
    create_only_properties,
    diff,
    retained_keys,
    same_stack,
    table,
)
from tests.variants import VARIANTS, synthesize_variants

pytestmark = pytest.mark.xdist_group("variants")

HTTP_LISTENER = HTTP_LISTENER_LOGICAL_ID
LB = {"Ref": "Lb"}


def _listener(port: int, action: str = "forward", lb: Any = LB) -> dict[str, Any]:
    return {
        "Type": "AWS::ElasticLoadBalancingV2::Listener",
        "Properties": {"LoadBalancerArn": lb, "Port": port, "DefaultActions": [{"Type": action}]},
    }


def _template(**resources: Any) -> dict[str, Any]:
    return {"Resources": {"Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer"}, **resources}}


def _log_group(name: str, retain: bool = True) -> dict[str, Any]:
    policy = {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"} if retain else {}
    return {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": name}, **policy}


def _context(name: str) -> dict[str, Any]:
    return {**cdk_json_context(), **VARIANTS[name]}


def test_create_only_properties_come_from_the_cloudformation_schemas() -> None:
    assert create_only_properties("AWS::ElasticLoadBalancingV2::Listener") == (
        ("LoadBalancerArn",),
    )
    assert ("DomainName",) in create_only_properties("AWS::CertificateManager::Certificate")
    assert ("LogGroupName",) in create_only_properties("AWS::Logs::LogGroup")
    assert create_only_properties("Custom::Anything") == ()


def test_the_old_port_80_listener_swap_collides_and_the_new_one_updates_in_place() -> None:
    http_only = _template(Http=_listener(80))
    # Before: HTTPS on added a port-80 listener under another logical id; CloudFormation
    # creates it before deleting the old one (cleanup), and ELB refuses the second port 80.
    old_https = _template(Redirect80To443=_listener(80, "redirect"), Https=_listener(443))
    for old, new in ((http_only, old_https), (old_https, http_only)):
        (collision,) = check("a", old, "b", new, ["https"]).collisions
        assert collision.rule == "duplicate-listener" and "port 80" in collision.key
    # Now: the same logical id, its default action changed: an in-place update.
    new_https = _template(Http=_listener(80, "redirect"), Https=_listener(443))
    transition = check("a", http_only, "b", new_https, ["https"])
    assert transition.ok and transition.collisions == []
    assert {(c.logical_id, c.action) for c in transition.changes} == {
        ("Http", "modify"),
        ("Https", "add"),
    }


def test_a_replaced_load_balancer_takes_its_listeners_along_without_collision() -> None:
    old = _template(Http=_listener(80))
    new = _template(Http=_listener(80, lb={"Ref": "Lb2"}))
    new["Resources"]["Lb2"] = new["Resources"].pop("Lb")
    actions = {c.logical_id: c.action for c in diff(old, new)}
    assert actions == {"Http": "replace", "Lb": "remove", "Lb2": "add"}
    assert check("a", old, "b", new, []).collisions == []


def test_a_named_resource_under_a_new_logical_id_collides_with_its_old_self() -> None:
    old = _template(Logs=_log_group("app-logs", retain=False))
    new = _template(AppLogs=_log_group("app-logs", retain=False))
    (collision,) = check("a", old, "b", new, []).collisions
    assert collision.created == "AppLogs" and collision.rule == "cleanup"


def test_a_named_resource_replaced_in_place_keeps_nothing_else_named() -> None:
    old = _template(Logs=_log_group("app-logs"))
    new = _template(Logs=_log_group("app-logs-2"))
    transition = check("a", old, "b", new, [])
    assert [(c.action, c.retained) for c in transition.changes] == [("replace", True)]
    assert transition.collisions == []
    assert [c.logical_id for c in transition.unexpected] == ["Logs"]  # a log group: state


def test_re_adding_a_retained_named_resource_collides_with_its_predecessor() -> None:
    # The old WAF design: the log group left with the web ACL (retained), came back with it.
    on = _template(WafLogs=_log_group("aws-waf-logs-x"))
    off = _template()
    retained = retained_keys({"waf on": on})
    (collision,) = check("off", off, "on", on, ["waf"], retained).collisions
    assert collision.rule == "retain" and "waf on" in collision.held_by
    # Updating from the configuration that still holds it is no re-creation.
    assert check("on", on, "on", on, [], retained).collisions == []


def test_a_new_launch_template_version_rolls_the_group() -> None:
    def tier(instance_type: str) -> dict[str, Any]:
        return {
            "Resources": {
                "Lt": {
                    "Type": "AWS::EC2::LaunchTemplate",
                    "Properties": {"LaunchTemplateData": {"InstanceType": instance_type}},
                },
                "Asg": {
                    "Type": "AWS::AutoScaling::AutoScalingGroup",
                    "Properties": {
                        "LaunchTemplate": {
                            "LaunchTemplateId": {"Ref": "Lt"},
                            "Version": {"Fn::GetAtt": ["Lt", "LatestVersionNumber"]},
                        }
                    },
                    "UpdatePolicy": {"AutoScalingInstanceRefresh": {}},
                },
            }
        }

    transition = check("a", tier("t3.micro"), "b", tier("t3.small"), ["instanceType"])
    assert {c.logical_id: c.action for c in transition.changes} == {
        "Lt": "modify",
        "Asg": "rolling",
    }
    assert transition.effect == "rolling instance refresh" and transition.ok


def test_every_rule_cites_the_aws_documentation() -> None:
    assert all(rule.url.startswith("https://docs.aws.amazon.com/") for rule in RULES.values())


@pytest.fixture(scope="module")
def matrix() -> list[Transition]:
    """Every variant updated to every other one deployed to the same stack."""
    variants = synthesize_variants()
    templates = {name: v.template for name, v in variants.items()}
    retained = retained_keys(templates)
    transitions = []
    for source, target in itertools.permutations(VARIANTS, 2):
        old, new = _context(source), _context(target)
        if not same_stack(old, new):
            continue  # e.g. dev -> prod: two stacks (stackName), not an update
        transitions.append(
            check(
                source,
                templates[source],
                target,
                templates[target],
                changed_keys(old, new),
                retained,
            )
        )
    return transitions


def test_every_variant_updates_safely_to_every_other(matrix: list[Transition]) -> None:
    print("\nUpdate safety, variant -> variant (same stack):")
    for line in table(matrix):
        print(f"  {line}")
    print("Rules:")
    for name, rule in RULES.items():
        print(f"  {name}: {rule.text} ({rule.url})")
    # Only prod-route53-https (env=prod) is a stack of its own: the other 9 variants, 72 pairs.
    assert len(matrix) == 9 * 8
    failing = [line for t, line in zip(matrix, table(matrix), strict=True) if not t.ok]
    assert failing == []


def test_https_on_and_off_keeps_the_port_80_listener(matrix: list[Transition]) -> None:
    for variant in synthesize_variants().values():
        listeners = {
            logical_id
            for logical_id, r in variant.template["Resources"].items()
            if r["Type"] == "AWS::ElasticLoadBalancingV2::Listener"
            and r["Properties"]["Port"] == 80
        }
        assert listeners == {HTTP_LISTENER}, variant.name
    https_off = next(t for t in matrix if (t.source, t.target) == ("created-zone", "default"))
    assert ("WebTierLoadBalancerHttps0468B7CE", "remove") in {
        (c.logical_id, c.action) for c in https_off.changes
    }
    assert (HTTP_LISTENER, "modify") in {(c.logical_id, c.action) for c in https_off.changes}
