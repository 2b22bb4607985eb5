"""Every intended validator finding, listed: cdk-nag and CDK acknowledgements, checkov
skips and cfn-lint ignores, by construct path and rule id, over all template variants.

A new acknowledgement (or skip) fails this test until it is added here, where a reviewer
sees it; one that disappears fails too, so the list never goes stale. Reasons live next to
the resource in the construct that owns it; this test checks that they are substantial.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import Validations

from app import STACK_ID
from tests.variants import synthesize_variants

# Shares the variants synthesized once per session with the other validator modules.
pytestmark = pytest.mark.xdist_group("variants")

_NIST, _HIPAA, _PCI = "NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321"
_CT = "cdk-validator-cfnguard::"


def _packs(rule: str, *packs: str) -> list[str]:
    return [f"Annotation::{pack}-{rule}" for pack in packs or (_NIST, _HIPAA, _PCI)]


# Construct path below the stack -> acknowledged rule ids (cdk-nag packs, CDK annotations
# and CDK's built-in validation), grouped by the construct that owns the resource.
ACKNOWLEDGEMENTS: dict[str, list[str]] = {
    # aws-cdk-lib acknowledges these itself (built-in CloudFormation validation).
    "": ["CloudFormation-Validate::W3010"],
    "Vpc/FlowLogs": ["CloudFormation-Validate::F3002", "CloudFormation-Validate::F3003"],
    # WebTierStack: public subnets route to the internet gateway (ALB and NAT live there).
    "Vpc/PublicSubnet1": _packs("VPCNoUnrestrictedRouteToIGW"),
    "Vpc/PublicSubnet2": _packs("VPCNoUnrestrictedRouteToIGW"),
    # LogBuckets: SSE-S3 (log delivery refuses KMS keys), nowhere to replicate to.
    # Control Tower: SSE-S3 as above; log sinks need no event notifications.
    "Logs/Logs": _packs("S3DefaultEncryptionKMS")
    + _packs("S3BucketReplicationEnabled")
    + [
        f"{_CT}s3_bucket_default_encryption_kms_check",
        f"{_CT}s3_event_notifications_enabled_check",
    ],
    # The final sink of S3 server access logs: not logged itself, and S3 refuses Object Lock
    # on a server-access-log destination.
    "Logs/ServerAccessLogs": [
        "Annotation::AwsSolutions-S1",
        *_packs("S3DefaultEncryptionKMS"),
        *_packs("S3BucketReplicationEnabled"),
        f"{_CT}s3_bucket_default_encryption_kms_check",
        f"{_CT}s3_event_notifications_enabled_check",
        f"{_CT}s3_bucket_logging_enabled_check",
        f"{_CT}s3_bucket_object_lock_enabled_check",
    ],
    # WebSecurityGroups: the public web load balancer's group.
    "WebTier/SecurityGroups/LoadBalancer": ["Annotation::AwsSolutions-EC23"],
    # WebLaunchTemplate: Session Manager's AWS-managed policy.
    "WebTier/LaunchTemplate/Role": [
        "Annotation::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/"
        "AmazonSSMManagedInstanceCore]"
    ],
    # WebLoadBalancer's port-80 listener: plain HTTP without a certificate (both rules); with
    # one it only redirects to 443 (ELBv2ACMCertificateRequired alone).
    "WebTier/LoadBalancer/LoadBalancer/Http": _packs("ALBHttpToHttpsRedirection")
    + _packs("ELBv2ACMCertificateRequired")
    + [f"{_CT}alb_http_to_https_redirection_check"],
    # Only in variants that opt out: deletion protection off (dev profile; WebLoadBalancer),
    # waf=false (WebTier), desiredCapacity set (WebAutoScalingGroup).
    "WebTier/LoadBalancer/LoadBalancer": _packs("ELBDeletionProtectionEnabled", _NIST, _HIPAA)
    + _packs("ALBWAFEnabled", _NIST, _PCI)
    + [f"{_CT}elbv2_deletion_protection_enabled_check"],
    # WebAutoScalingGroup: AZs via subnets (the rule reads only AvailabilityZones), one
    # On-Demand instance type unless Spot is configured.
    "WebTier/AutoScaling/Group": [
        "Annotation::@aws-cdk/aws-autoscaling:desiredCapacitySet",
        f"{_CT}autoscaling_multiple_az_check",
        f"{_CT}autoscaling_mixed_instances_policy_multiple_instance_types_check",
    ],
    # WebTierStack: CDK's restrict-default-security-group handler, not in the VPC.
    "Custom::VpcRestrictDefaultSGCustomResourceProvider/Handler": [f"{_CT}lambda_inside_vpc_check"],
    # WebImagePipeline (image-pipeline variant): AWS's maintained policies for Image Builder
    # instances and lifecycle actions; build logs under one prefix of the log bucket.
    "ImagePipeline/Role": [
        f"Annotation::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/{p}]"
        for p in ("AmazonSSMManagedInstanceCore", "EC2InstanceProfileForImageBuilder")
    ],
    "ImagePipeline/Policy": [
        "Annotation::AwsSolutions-IAM5[Resource::<Logs71AC9AA5.Arn>/image-builder/*]"
    ],
    "ImagePipeline/LifecycleRole": [
        "Annotation::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/"
        "service-role/EC2ImageBuilderLifecycleExecutionPolicy]"
    ],
    # ImageRollout: a log without secrets, an API-only function outside the VPC, and the
    # wildcards its policy cannot avoid (generated ids, actions without resource ARNs).
    "WebTier/ImageRollout/Logs": [
        *_packs("CloudWatchLogGroupEncrypted"),
        f"{_CT}cloudwatch_log_group_encrypted_check",
    ],
    "WebTier/ImageRollout/Function": [*_packs("LambdaInsideVPC"), f"{_CT}lambda_inside_vpc_check"],
    "WebTier/ImageRollout/Policy": [
        f"Annotation::AwsSolutions-IAM5[{finding}]"
        for finding in (
            "Action::kms:GenerateDataKey*",
            "Resource::<WebTierImageRolloutLogsFA0686B9.Arn>",
            "Resource::arn:<AWS::Partition>:imagebuilder:<AWS::Region>:<AWS::AccountId>:"
            "image/ec2webtierdev-imagepipeline-9fa9ee78-recipe/*",
            "Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:"
            "autoScalingGroup:*:autoScalingGroupName/<WebTierAutoScalingGroupASGE22D10FB>",
            "Resource::*",
        )
    ],
    # No variant holds a one-off event or a schedule end (examples must not go stale, see
    # test_examples_stay_current.py), so none acknowledges scheduledActionWithEndTime here;
    # ScalingSchedule's own tests cover that acknowledgement.
}
# Construct path of a CloudFormation resource -> checkov checks skipped in its Metadata.
CHECKOV_SKIPS: dict[str, list[str]] = {
    # WebTierStack: the Lambda function CDK generates for restrict_default_security_group.
    "Custom::VpcRestrictDefaultSGCustomResourceProvider/Handler": [
        "CKV_AWS_115",
        "CKV_AWS_116",
        "CKV_AWS_117",
    ],
    "Logs/ServerAccessLogs/Resource": ["CKV_AWS_18"],
    "WebTier/SecurityGroups/LoadBalancer/Resource": ["CKV_AWS_260"],
    "WebTier/LoadBalancer/LoadBalancer/Http/Resource": ["CKV_AWS_2", "CKV_AWS_103"],
    "WebTier/ImageRollout/Logs/Resource": ["CKV_AWS_158"],
    "WebTier/ImageRollout/Function/Resource": ["CKV_AWS_117", "CKV_AWS_173"],
}
# Construct path of a CloudFormation resource -> cfn-lint rules ignored in its Metadata.
CFN_LINT_IGNORES: dict[str, list[str]] = {
    "Custom::VpcRestrictDefaultSGCustomResourceProvider/Handler": ["W3005"],
    # WebAutoScalingGroup.scale_on_request_count: the L2's DependsOn on the listener.
    "WebTier/AutoScaling/Group/ScalingPolicyRequestCountScaling/Resource": ["W3005"],
    # ImageRollout: the Lambda L2's DependsOn on the role it reads with GetAtt.
    "WebTier/ImageRollout/Function/Resource": ["W3005"],
}


def _expected() -> set[tuple[str, str, str]]:
    expected: set[tuple[str, str, str]] = set()
    tables = (("ack", ACKNOWLEDGEMENTS), ("checkov", CHECKOV_SKIPS), ("cfn-lint", CFN_LINT_IGNORES))
    for kind, table in tables:
        for path, rules in table.items():
            full = "/".join(part for part in ("Ec2WebTier", path) if part)
            expected.update((kind, full, rule) for rule in rules)
    return expected


def collect(outdir: Path, template: dict[str, Any]) -> Iterator[tuple[str, str, str, str]]:
    """(kind, path, rule, reason) for every acknowledgement of a synthesized stack.

    Read from the cloud assembly, not the construct tree (a jsii round trip per construct):
    the stack's metadata file holds each construct's acknowledged rules and each resource's
    logical id; the template holds the checkov and cfn-lint Metadata of each resource."""
    manifest = json.loads((outdir / "manifest.json").read_text())
    metadata_file = manifest["artifacts"][STACK_ID]["additionalMetadataFile"]
    metadata: dict[str, list[dict[str, Any]]] = json.loads((outdir / metadata_file).read_text())
    paths: dict[str, str] = {}
    for path, entries in metadata.items():
        for entry in entries:
            if entry["type"] == Validations.ACKNOWLEDGED_RULES_METADATA_KEY:
                for rule, reason in entry["data"].items():
                    yield "ack", path.lstrip("/"), rule, reason
            elif entry["type"] == "aws:cdk:logicalId":
                paths[entry["data"]] = path.lstrip("/")
    for logical_id, resource in template["Resources"].items():
        resource_metadata = resource.get("Metadata", {})
        for skip in resource_metadata.get("checkov", {}).get("skip", []):
            yield "checkov", paths[logical_id], skip["id"], skip.get("comment", "")
        cfn_lint = resource_metadata.get("cfn-lint", {}).get("config", {})
        for rule in cfn_lint.get("ignore_checks", []):
            # cfn-lint metadata has no reason field: ignore_cfn_lint demands one in code.
            yield (
                "cfn-lint",
                paths[logical_id],
                rule,
                "reason required by ignore_cfn_lint() in code",
            )


@cache
def _found() -> dict[tuple[str, str, str], str]:
    found: dict[tuple[str, str, str], str] = {}
    for variant in synthesize_variants().values():
        for kind, path, rule, reason in collect(variant.outdir, variant.template):
            found[(kind, path, rule)] = reason
    return found


def test_every_acknowledgement_is_listed() -> None:
    unlisted = sorted(set(_found()) - _expected())
    assert unlisted == [], "new acknowledgements: review them, then list them in this test"


def test_every_listed_acknowledgement_still_exists() -> None:
    stale = sorted(_expected() - set(_found()))
    assert stale == [], "listed but no longer made: remove them from this test"


def test_every_acknowledgement_has_a_reviewable_reason() -> None:
    thin = sorted(key for key, reason in _found().items() if len(reason.strip()) < 40)
    assert thin == []
