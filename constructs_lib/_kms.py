"""Key-policy hardening shared by the customer managed keys the constructs create."""

from __future__ import annotations

from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms


def restrict_create_grant(key: kms.Key) -> None:
    """Only AWS services may create grants on ``key`` (Control Tower CT.KMS.PR.3).

    A grant hands the key's use to another principal; the services that encrypt with these
    keys (SNS, CloudWatch Logs) use the key directly, so no person or role ever needs one.
    docs.aws.amazon.com/controltower/latest/controlreference/kms-rules.html#ct-kms-pr-3
    """
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="DenyCreateGrantUnlessForAwsService",
            effect=iam.Effect.DENY,
            principals=[iam.AnyPrincipal()],
            actions=["kms:CreateGrant"],
            resources=["*"],
            conditions={
                "BoolIfExists": {
                    "kms:GrantIsForAWSResource": "false",
                    "aws:PrincipalIsAWSService": "false",
                }
            },
        )
    )
