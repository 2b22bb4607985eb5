"""An encrypted, TLS-only SNS topic that Auto Scaling and CloudWatch alarms can publish to."""

from __future__ import annotations

from aws_cdk import Aws
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from constructs_lib._kms import restrict_create_grant
from constructs_lib._validation import PropErrors, is_token, typed_arguments

_MAX_DISPLAY_NAME = 100  # SNS's limit
_AUTOSCALING_SLR = (
    "arn:{partition}:iam::{account}:role/aws-service-role/autoscaling.amazonaws.com/"
    "AWSServiceRoleForAutoScaling"
)


class EncryptedTopic(Construct):
    """Creates ``topic`` encrypted with a customer-managed, rotating ``key``.

    The AWS-managed ``aws/sns`` key cannot be used here: its policy cannot grant the Auto
    Scaling service-linked role or CloudWatch, so their notifications would be dropped
    silently. This key's policy grants exactly those two publishers, and the topic's policy
    lets CloudWatch alarms of this account publish. The topic refuses any request not made
    over TLS.
    """

    @typed_arguments
    def __init__(self, scope: Construct, construct_id: str, *, display_name: str = "") -> None:
        """
        :param display_name: The topic's display name (at most 100 characters; the first
            10 are the sender of SMS notifications). Default: none.
        """
        super().__init__(scope, construct_id)
        errors = PropErrors("EncryptedTopic")
        if not is_token(display_name) and (
            not isinstance(display_name, str) or len(display_name) > _MAX_DISPLAY_NAME
        ):
            errors.add(
                f"display_name {display_name!r} is not a string of at most "
                f"{_MAX_DISPLAY_NAME} characters; e.g. 'Web tier'"
            )
        errors.raise_if_any()
        self.key = kms.Key(
            self,
            "Key",
            enable_key_rotation=True,
            description="Encrypts the web tier's notification topic",
        )
        restrict_create_grant(self.key)
        publish_actions = ["kms:Decrypt", "kms:GenerateDataKey*"]
        # The service-linked role may not exist yet in a fresh account (a principal that does
        # not exist makes the key policy invalid), so match it by ARN in a condition instead.
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowAutoScalingNotifications",
                actions=publish_actions,
                principals=[iam.AccountRootPrincipal()],
                resources=["*"],
                conditions={
                    "ArnLike": {
                        "aws:PrincipalArn": _AUTOSCALING_SLR.format(
                            partition=Aws.PARTITION, account=Aws.ACCOUNT_ID
                        )
                    }
                },
            )
        )
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowCloudWatchAlarms",
                actions=publish_actions,
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}},
            )
        )
        self.topic = sns.Topic(
            self,
            "Topic",
            master_key=self.key,
            enforce_ssl=True,
            display_name=display_name or None,
        )
        # enforce_ssl gives the topic a policy holding only the TLS deny, which replaces SNS's
        # default policy: CloudWatch alarm actions then fail with "not authorized to perform
        # SNS:Publish" unless the service is allowed here (Auto Scaling publishes through its
        # service-linked role, an identity in this account, and needs no statement).
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowCloudWatchAlarms",
                actions=["sns:Publish"],
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                resources=[self.topic.topic_arn],
                conditions={
                    "ArnLike": {
                        "aws:SourceArn": f"arn:{Aws.PARTITION}:cloudwatch:{Aws.REGION}:"
                        f"{Aws.ACCOUNT_ID}:alarm:*"
                    }
                },
            )
        )
