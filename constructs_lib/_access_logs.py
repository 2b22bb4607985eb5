"""ALB access logging that works in an environment-agnostic stack.

aws-cdk-lib's ``ApplicationLoadBalancer.log_access_logs`` needs the stack's region at
synth time ("Region is required to enable ELBv2 access logging") because the principal that
writes the logs depends on it: regions older than August 2022 use a regional Elastic Load
Balancing account, newer ones the ``logdelivery.elasticloadbalancing.amazonaws.com``
service principal. With a concrete region we use the L2; without one we ship the same
choice into the template: a mapping of every region CDK knows to its ELB account (or
``none``) and a condition that picks the principal at deploy time.
"""

from __future__ import annotations

import functools

from aws_cdk import Aws, CfnCondition, CfnMapping, Fn, Stack, Token
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk.region_info import RegionInfo

_NO_ACCOUNT = "none"
_LOG_DELIVERY = "logdelivery.elasticloadbalancing.amazonaws.com"


def enable_access_logs(
    load_balancer: elbv2.ApplicationLoadBalancer, bucket: s3.IBucket, prefix: str
) -> None:
    stack = Stack.of(load_balancer)
    if not Token.is_unresolved(stack.region):
        load_balancer.log_access_logs(bucket, prefix)
        return

    mapping = _elb_accounts_mapping(stack)
    account = mapping.find_in_map(Aws.REGION, "account")
    legacy = _legacy_region_condition(stack, account)
    objects = bucket.arn_for_objects(f"{prefix}/AWSLogs/{Aws.ACCOUNT_ID}/*")
    bucket.add_to_resource_policy(
        iam.PolicyStatement(
            sid="AllowAlbLogDelivery",
            actions=["s3:PutObject"],
            principals=[iam.ServicePrincipal(_LOG_DELIVERY)],
            resources=[objects],
        )
    )
    # In regions without an ELB account the statement names this account instead, which
    # grants nothing new (its own principals are governed by IAM) and keeps the policy valid.
    elb_account_arn = Fn.condition_if(
        legacy.logical_id,
        Fn.join("", ["arn:", Aws.PARTITION, ":iam::", account, ":root"]),
        Fn.join("", ["arn:", Aws.PARTITION, ":iam::", Aws.ACCOUNT_ID, ":root"]),
    ).to_string()
    bucket.add_to_resource_policy(
        iam.PolicyStatement(
            sid="AllowAlbLogDeliveryLegacyRegions",
            actions=["s3:PutObject"],
            principals=[iam.ArnPrincipal(elb_account_arn)],
            resources=[objects],
        )
    )
    load_balancer.set_attribute("access_logs.s3.enabled", "true")
    load_balancer.set_attribute("access_logs.s3.bucket", bucket.bucket_name)
    load_balancer.set_attribute("access_logs.s3.prefix", prefix)
    # The ALB checks write access when logging is switched on: the policy must exist first.
    if bucket.policy is not None:
        load_balancer.node.add_dependency(bucket.policy)


def _elb_accounts_mapping(stack: Stack) -> CfnMapping:
    existing = stack.node.try_find_child("ElbLogDeliveryAccounts")
    if isinstance(existing, CfnMapping):
        return existing
    return CfnMapping(stack, "ElbLogDeliveryAccounts", mapping=_elb_accounts())


@functools.cache
def _elb_accounts() -> dict[str, dict[str, str]]:
    """Every region aws-cdk-lib knows -> its ELB log-delivery account (``none``: the service
    principal). Facts of the installed aws-cdk-lib, read once per process: two jsii calls per
    region (≈ 90 round trips to Node.js) for every stack that logs access without a region."""
    return {
        region.name: {"account": region.elbv2_account or _NO_ACCOUNT}
        for region in RegionInfo.regions
    }


def _legacy_region_condition(stack: Stack, account: str) -> CfnCondition:
    existing = stack.node.try_find_child("ElbLegacyLogDeliveryRegion")
    if isinstance(existing, CfnCondition):
        return existing
    return CfnCondition(
        stack,
        "ElbLegacyLogDeliveryRegion",
        expression=Fn.condition_not(Fn.condition_equals(account, _NO_ACCOUNT)),
    )
