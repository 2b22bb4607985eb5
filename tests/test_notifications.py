"""EncryptedTopic: who may publish, and only over TLS."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk.assertions import Template

from constructs_lib import EncryptedTopic


def _statements(template: Template) -> dict[str, dict[str, Any]]:
    (policy,) = template.find_resources("AWS::SNS::TopicPolicy").values()
    return {s["Sid"]: s for s in policy["Properties"]["PolicyDocument"]["Statement"]}


def test_cloudwatch_alarms_of_this_account_may_publish(stack: cdk.Stack) -> None:
    # Without this statement the TLS-only policy replaces SNS's default one and every
    # alarm action fails with "not authorized to perform: SNS:Publish".
    notifications = EncryptedTopic(stack, "Notifications")
    statements = _statements(Template.from_stack(stack))
    allow = statements["AllowCloudWatchAlarms"]
    assert allow["Effect"] == "Allow"
    assert allow["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert allow["Action"] == "sns:Publish"
    assert allow["Resource"] == stack.resolve(notifications.topic.topic_arn)
    assert allow["Condition"] == {
        "ArnLike": {
            "aws:SourceArn": {
                "Fn::Join": [
                    "",
                    [
                        "arn:",
                        {"Ref": "AWS::Partition"},
                        ":cloudwatch:",
                        {"Ref": "AWS::Region"},
                        ":",
                        {"Ref": "AWS::AccountId"},
                        ":alarm:*",
                    ],
                ]
            }
        }
    }


def test_topic_is_tls_only_and_encrypted_with_a_rotating_key(stack: cdk.Stack) -> None:
    notifications = EncryptedTopic(stack, "Notifications")
    template = Template.from_stack(stack)
    deny = _statements(template)["AllowPublishThroughSSLOnly"]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    template.has_resource_properties(
        "AWS::SNS::Topic", {"KmsMasterKeyId": stack.resolve(notifications.key.key_arn)}
    )
    template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})


def test_key_lets_cloudwatch_and_the_auto_scaling_role_encrypt(stack: cdk.Stack) -> None:
    EncryptedTopic(stack, "Notifications")
    (key,) = Template.from_stack(stack).find_resources("AWS::KMS::Key").values()
    statements = {s.get("Sid"): s for s in key["Properties"]["KeyPolicy"]["Statement"]}
    cloudwatch = statements["AllowCloudWatchAlarms"]
    assert cloudwatch["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert cloudwatch["Action"] == ["kms:Decrypt", "kms:GenerateDataKey*"]
    autoscaling = statements["AllowAutoScalingNotifications"]
    assert "AWSServiceRoleForAutoScaling" in str(autoscaling["Condition"])
