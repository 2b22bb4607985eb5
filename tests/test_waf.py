"""WebAcl: AWS WAF web ACL with managed rule groups, logged to an encrypted log group."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk.assertions import Capture, Match, Template

from constructs_lib.waf import DEFAULT_RULE_GROUPS, WafLogStore, WebAcl
from tests.conftest import new_app


def _alb(stack: cdk.Stack, vpc: ec2.Vpc) -> elbv2.ApplicationLoadBalancer:
    return elbv2.ApplicationLoadBalancer(stack, "Alb", vpc=vpc, internet_facing=True)


def test_managed_rule_groups_in_order_with_metrics(stack: cdk.Stack) -> None:
    WebAcl(stack, "Waf")
    template = Template.from_stack(stack)
    (acl,) = template.find_resources("AWS::WAFv2::WebACL").values()
    props = acl["Properties"]
    assert props["Scope"] == "REGIONAL"
    assert props["DefaultAction"] == {"Allow": {}}
    rules = props["Rules"]
    assert [r["Name"] for r in rules] == list(DEFAULT_RULE_GROUPS)
    assert [r["Priority"] for r in rules] == [0, 1, 2]
    for rule in rules:
        assert rule["Statement"] == {
            "ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": rule["Name"]}
        }
        assert rule["OverrideAction"] == {"None": {}}  # the groups' own block actions apply
        assert rule["VisibilityConfig"]["CloudWatchMetricsEnabled"] is True
    assert "AWSManagedRulesKnownBadInputsRuleSet" in [r["Name"] for r in rules]  # Log4j


def test_rate_limit_comes_first_and_blocks(stack: cdk.Stack) -> None:
    WebAcl(stack, "Waf", rate_limit_per_ip=1000, managed_rule_groups=["AWSManagedRulesSQLiRuleSet"])
    (acl,) = Template.from_stack(stack).find_resources("AWS::WAFv2::WebACL").values()
    first, second = acl["Properties"]["Rules"]
    assert first["Priority"] == 0 and first["Action"] == {"Block": {}}
    assert first["Statement"]["RateBasedStatement"] == {"AggregateKeyType": "IP", "Limit": 1000}
    assert second["Name"] == "AWSManagedRulesSQLiRuleSet" and second["Priority"] == 1


def test_logs_go_to_an_encrypted_waf_log_group_kept_a_year(stack: cdk.Stack) -> None:
    waf = WebAcl(stack, "Waf")
    template = Template.from_stack(stack)
    key = Capture()
    name = Capture()
    template.has_resource(
        "AWS::Logs::LogGroup",
        {
            "Properties": {
                "LogGroupName": name,
                "KmsKeyId": {"Fn::GetAtt": [key, "Arn"]},
                "RetentionInDays": 365,
            },
            "DeletionPolicy": "Retain",
        },
    )
    prefix, stack_uuid = name.as_object()["Fn::Join"][1][0], name.as_object()["Fn::Join"][1][-1]
    assert prefix.startswith("aws-waf-logs-")  # WAF refuses other names
    # Unique per stack creation: a re-created stack does not collide with its retained logs.
    assert stack_uuid == {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}
    template.has_resource_properties(
        "AWS::KMS::Key",
        {
            "EnableKeyRotation": True,
            "KeyPolicy": Match.object_like({"Statement": Match.any_value()}),
        },
    )
    assert stack.get_logical_id(waf.key.node.default_child) == key.as_string()  # type: ignore[arg-type]
    logging = template.find_resources("AWS::WAFv2::LoggingConfiguration")
    (config,) = logging.values()
    acl_id = stack.get_logical_id(waf.web_acl)
    assert config["Properties"]["ResourceArn"] == {"Fn::GetAtt": [acl_id, "Arn"]}
    (destination,) = config["Properties"]["LogDestinationConfigs"]
    rendered = str(destination)
    assert ":log-group:" in rendered and ":*" not in rendered  # WAF wants the bare ARN


def test_key_policy_lets_only_cloudwatch_logs_of_this_log_group_use_the_key(
    stack: cdk.Stack,
) -> None:
    WebAcl(stack, "Waf")
    (key,) = Template.from_stack(stack).find_resources("AWS::KMS::Key").values()
    (logs_statement,) = [
        s
        for s in key["Properties"]["KeyPolicy"]["Statement"]
        if s.get("Sid") == "AllowCloudWatchLogs"
    ]
    assert "logs." in str(logs_statement["Principal"]["Service"])
    condition = logs_statement["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
    assert "aws-waf-logs-" in str(condition)


def test_associate_puts_the_acl_in_front_of_each_load_balancer(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    waf = WebAcl(stack, "Waf")
    first = waf.associate(_alb(stack, vpc))
    second = waf.associate(elbv2.ApplicationLoadBalancer(stack, "Alb2", vpc=vpc))
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::WAFv2::WebACLAssociation", 2)
    alb_id = stack.get_logical_id(stack.node.find_child("Alb").node.default_child)  # type: ignore[arg-type]
    template.has_resource_properties(
        "AWS::WAFv2::WebACLAssociation",
        {
            "ResourceArn": {"Ref": alb_id},
            "WebACLArn": {"Fn::GetAtt": [stack.get_logical_id(waf.web_acl), "Arn"]},
        },
    )
    assert waf.associations == [first, second]
    assert first.node.id == "Association" and second.node.id == "Association2"


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"managed_rule_groups": []}, r"managed_rule_groups is empty"),
        (
            {"managed_rule_groups": "AWSManagedRulesCommonRuleSet"},
            r"managed_rule_groups 'AWSManagedRulesCommonRuleSet' is a string; give a list",
        ),
        (
            {
                "managed_rule_groups": [
                    "AWSManagedRulesCommonRuleSet",
                    "AWSManagedRulesCommonRuleSe",
                ]
            },
            r"managed_rule_groups\[1\] 'AWSManagedRulesCommonRuleSe' is not a known AWS managed",
        ),
        (
            {"managed_rule_groups": ["AWSManagedRulesBotControlRuleSet"]},
            r"managed_rule_groups\[0\] 'AWSManagedRulesBotControlRuleSet' is not a known",
        ),
        (
            {"managed_rule_groups": ["AWSManagedRulesSQLiRuleSet"] * 2},
            r"managed_rule_groups repeats \['AWSManagedRulesSQLiRuleSet'\]",
        ),
        ({"rate_limit_per_ip": 5}, r"rate_limit_per_ip 5 is out of range.*from 10 to"),
        ({"rate_limit_per_ip": 0}, r"rate_limit_per_ip 0 is out of range"),
        ({"rate_limit_per_ip": 2.5}, r"rate_limit_per_ip 2.5 is a float; give an int"),
    ],
)
def test_bad_props_are_refused(stack: cdk.Stack, props: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WebAcl(stack, "Waf", **props)
    built = stack.node.try_find_child("Waf")  # a wrong type stops before the construct itself
    assert built is None or built.node.children == []  # nothing built


def test_several_problems_are_reported_together(stack: cdk.Stack) -> None:
    with pytest.raises(ValueError, match="WebAcl: 2 invalid props") as raised:
        WebAcl(stack, "Waf", managed_rule_groups=[], rate_limit_per_ip=1)
    assert "managed_rule_groups" in str(raised.value) and "rate_limit_per_ip" in str(raised.value)


def _log_resources(with_acl: bool) -> dict[str, Any]:
    stack = cdk.Stack(new_app(flags=False), "Test")
    (WebAcl if with_acl else WafLogStore)(stack, "Waf")
    template = Template.from_stack(stack).to_json()
    return {
        logical_id: resource
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] in ("AWS::Logs::LogGroup", "AWS::KMS::Key")
    }


def test_turning_the_web_acl_off_keeps_its_log_group_and_key_unchanged() -> None:
    # GIVEN a web ACL, and the log store that replaces it under the same id when WAF is off
    with_acl, without = _log_resources(with_acl=True), _log_resources(with_acl=False)
    # THEN the retained, named log group and its key are the same resources either way:
    # switching WAF off and on never re-creates a log group under a name its retained
    # predecessor holds, nor a key per switch.
    assert sorted(r["Type"] for r in with_acl.values()) == ["AWS::KMS::Key", "AWS::Logs::LogGroup"]
    assert with_acl == without
    assert all(r["DeletionPolicy"] == "Retain" for r in with_acl.values())
