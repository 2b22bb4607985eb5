"""Small patches that fill measured gaps in moto 5.2.5's CloudFormation emulation.

Every patch names the gap it fills. `apply()` must run before the first stack is
created (before the moto server starts is simplest); it is idempotent. The patches
target moto 5.2.5 exactly: `apply()` refuses any other version, because each one
replaces or wraps a private function whose shape can change between releases.

Gaps are of four kinds:
* resource types moto skips silently (the stack still says CREATE_COMPLETE);
* resources moto never deletes (DeleteStack leaves them behind or fails on the VPC);
* change-set and update behaviour the CDK CLI relies on (outputs, a second deploy);
* attributes moto leaves unresolved (Fn::GetAtt becomes a literal or vanishes).
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Callable
from importlib.metadata import version
from typing import Any
from urllib.parse import urlparse

PINNED_MOTO_VERSION = "5.2.5"

# CloudFormation's quota "Template body size in a request: 51,200 bytes" (a larger template
# goes by TemplateURL, from S3, up to 1 MB). The API reference of CreateStack, UpdateStack,
# CreateChangeSet, ValidateTemplate and GetTemplateSummary: TemplateBody "with a minimum length
# of 1 byte and a maximum length of 51,200 bytes". The owner of the limit: the emulator refuses
# above it (_refuse_large_template_bodies), tests/support/local_aws.py goes by URL above it.
TEMPLATE_BODY_MAX_BYTES = 51_200

logger = logging.getLogger(__name__)

_applied = False

# Types this module adds to moto's CloudFormation (see _new_models()).
ADDED_RESOURCE_TYPES: frozenset[str] = frozenset(
    {
        "AWS::CDK::Metadata",
        "AWS::EC2::SecurityGroupEgress",
        "AWS::AutoScaling::ScalingPolicy",
        "AWS::AutoScaling::LifecycleHook",
        "AWS::S3::BucketPolicy",
        "AWS::CertificateManager::Certificate",
        "AWS::CloudWatch::Alarm",
        "AWS::SNS::TopicPolicy",
        "AWS::SNS::Subscription",
        "AWS::WAFv2::WebACL",
        "AWS::WAFv2::WebACLAssociation",
        "AWS::WAFv2::LoggingConfiguration",
    }
)


def apply() -> None:
    """Apply every patch once. Call before the first stack is created."""
    global _applied
    if _applied:
        return
    installed = version("moto")
    if installed != PINNED_MOTO_VERSION:
        raise RuntimeError(
            f"tests/support/moto_patches.py targets moto {PINNED_MOTO_VERSION}, found {installed}; "
            "re-measure the gaps before bumping moto"
        )
    _new_models()
    _fail_on_unsupported_types()
    _fail_on_unresolved_getatt()
    _emulate_custom_resources()
    _add_missing_deletes()
    _add_missing_attributes()
    _fix_updates()
    _update_in_cloudformation_order()
    _fix_change_sets()
    _refuse_duplicate_listeners()
    _fix_parameters()
    _fix_template_url()
    _refuse_large_template_bodies()
    _fix_security_group_properties()
    _fix_bucket_policy_conditions()
    _fix_load_balancer_properties()
    _fix_instance_termination()
    _fix_flow_logs()
    _fix_auto_scaling_group_update()
    _fix_kms_key_policy()
    _fix_launch_template_update()
    _parse_json_templates_as_json()
    _skip_ecs_optimized_amis()
    _generate_kms_key_pairs_on_use()
    _one_certificate_key_pair()
    _one_model_loader()
    _applied = True


# --------------------------------------------------------------------------------------
# Gap: unsupported resource types are skipped silently. moto logs a warning, leaves the
# resource out, and the stack still reaches CREATE_COMPLETE; ListStackResources shows it
# with an empty type. We raise instead, so a template that needs a type nobody emulates
# fails its deploy.
# --------------------------------------------------------------------------------------
def _original(owner: Any, name: str) -> Any:
    """The function behind a classmethod of a moto class, to call from its replacement."""
    return owner.__dict__[name].__func__


def _patch(owner: Any, name: str, value: Any) -> None:
    """Replace ``owner.name`` (a moto module function or class attribute)."""
    setattr(owner, name, value)


def _fail_on_unsupported_types() -> None:
    from moto.cloudformation import parsing
    from moto.cloudformation.custom_model import CustomModel
    from moto.cloudformation.exceptions import ValidationError

    def resource_class_from_type(resource_type: str) -> Any:
        if resource_type in parsing.NULL_MODELS:
            return None
        if resource_type.startswith("Custom::") or resource_type == (
            "AWS::CloudFormation::CustomResource"
        ):
            return CustomModel
        model_map = parsing.get_model_map()
        if resource_type not in model_map:
            raise ValidationError(
                message=f"moto {PINNED_MOTO_VERSION} has no CloudFormation support for "
                f"{resource_type} (tests/support/moto_patches.py adds the types it needs)"
            )
        return model_map[resource_type]

    parsing.resource_class_from_type = resource_class_from_type


# --------------------------------------------------------------------------------------
# Gap: an Fn::GetAtt that moto does not implement is logged and resolved to the raw
# {"Fn::GetAtt": ...} dict (or dropped), so wrong values reach resources and outputs.
# We raise instead.
# --------------------------------------------------------------------------------------
def _fail_on_unresolved_getatt() -> None:
    from moto.cloudformation import parsing
    from moto.cloudformation.exceptions import ValidationError

    original = parsing.clean_json

    def clean_json(resource_json: Any, resources_map: Any) -> Any:
        if isinstance(resource_json, dict) and "Fn::GetAtt" in resource_json:
            name, attribute = resource_json["Fn::GetAtt"][:2]
            resource = resources_map.get(name)
            if resource is not None and not isinstance(resource, str):
                try:
                    return resource.get_cfn_attribute(attribute)
                except NotImplementedError:
                    raise ValidationError(
                        message=f"moto cannot resolve Fn::GetAtt {name}.{attribute}"
                    ) from None
        return original(resource_json, resources_map)

    parsing.clean_json = clean_json


# --------------------------------------------------------------------------------------
# Gap: Lambda-backed custom resources hang. moto invokes the provider Lambda, which needs
# Docker; without it no response ever arrives and the stack stays CREATE_IN_PROGRESS (or,
# through a change set, reports CREATE_COMPLETE with the work never done).
# --------------------------------------------------------------------------------------
def _restrict_default_security_group(
    properties: dict[str, Any], account_id: str, region: str
) -> None:
    """What the CDK's VpcRestrictDefaultSG provider does: empty the default group."""
    from moto.ec2.models import ec2_backends

    ec2 = ec2_backends[account_id][region]
    group = ec2.get_security_group_from_id(properties["DefaultSecurityGroupId"])
    if group is None:
        raise ValueError(f"default security group {properties['DefaultSecurityGroupId']} not found")
    group.ingress_rules.clear()
    group.egress_rules.clear()


_CUSTOM_HANDLERS: dict[str, Callable[[dict[str, Any], str, str], None]] = {
    "Custom::VpcRestrictDefaultSG": _restrict_default_security_group,
}
# Custom resources whose effect is emulated; any other Custom:: type fails the deploy.
EMULATED_CUSTOM_RESOURCES: frozenset[str] = frozenset(_CUSTOM_HANDLERS)


def _emulate_custom_resources() -> None:
    from moto.cloudformation.custom_model import CustomModel
    from moto.cloudformation.exceptions import ValidationError
    from moto.moto_api._internal import mock_random

    custom_model: Any = CustomModel

    def create_from_cloudformation_json(
        cls: Any,
        /,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        resource_type = kwargs["ResourceType"]
        handler = _CUSTOM_HANDLERS.get(resource_type)
        if handler is None:
            raise ValidationError(
                message=f"{resource_type} is a Lambda-backed custom resource; moto can only run "
                "it in Docker. Emulate it in tests/support/moto_patches.py or avoid it."
            )
        handler(cloudformation_json["Properties"], account_id, region_name)
        resource = custom_model(
            region_name, str(mock_random.uuid4()), kwargs["LogicalId"], resource_name
        )
        resource.set_data({})
        return resource

    _patch(
        CustomModel, "create_from_cloudformation_json", classmethod(create_from_cloudformation_json)
    )

    def update_from_cloudformation_json(
        cls: Any,
        /,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> Any:
        handler = _CUSTOM_HANDLERS[cloudformation_json["Type"]]
        handler(cloudformation_json["Properties"], account_id, region_name)
        return original_resource

    _patch(
        CustomModel, "update_from_cloudformation_json", classmethod(update_from_cloudformation_json)
    )


# --------------------------------------------------------------------------------------
# Gap: resource types moto 5.2.5 does not know at all (skipped silently before the patch
# above made them fail). Each model below does what CloudFormation would do through the
# service's own moto backend, so the result can be read back through the service API.
# --------------------------------------------------------------------------------------
def _new_models() -> None:
    from moto.cloudformation import parsing

    # moto finds models through CloudFormationModel.__subclasses__() (direct subclasses
    # only, cached); ours derive from _Base, so extend the list explicitly.
    added = _model_classes()
    assert {m.cloudformation_type() for m in added} == ADDED_RESOURCE_TYPES
    original = parsing.get_model_list.__wrapped__

    @functools.lru_cache
    def get_model_list() -> list[type[Any]]:
        return [m for m in original() if m is not _Base] + added

    parsing.get_model_list = get_model_list
    parsing.get_model_map.cache_clear()
    parsing.get_name_type_map.cache_clear()


def _model_classes() -> list[type[Any]]:
    return [
        _CdkMetadata,
        _SecurityGroupEgress,
        _ScalingPolicy,
        _LifecycleHook,
        _BucketPolicy,
        _Certificate,
        _Alarm,
        _TopicPolicy,
        _Subscription,
        _WebAcl,
        _WebAclAssociation,
        _WafLogging,
    ]


from moto.core.common_models import CloudFormationModel  # noqa: E402


class _Base(CloudFormationModel):
    """Common plumbing: physical id, no name property, created at once."""

    cfn_type = ""

    def __init__(self, physical_id: str, properties: dict[str, Any]) -> None:
        self._physical_id = physical_id
        self.properties = properties

    @property
    def physical_resource_id(self) -> str:
        return self._physical_id

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return False

    def is_created(self) -> bool:
        return True

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str
    ) -> None:
        return None

    def delete(self, account_id: str, region_name: str) -> None:
        return None


class _CdkMetadata(_Base):
    # AWS::CDK::Metadata records the CDK version (analytics); it has no effect in AWS.
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CDK::Metadata"

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> _CdkMetadata:
        return cls(resource_name, cloudformation_json.get("Properties", {}))

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        return original_resource


def _ec2(account_id: str, region: str) -> Any:
    from moto.ec2.models import ec2_backends

    return ec2_backends[account_id][region]


def _sg_rule_args(p: dict[str, Any], peer_id_key: str) -> dict[str, Any]:
    ip_ranges: list[dict[str, Any]] = []
    if p.get("CidrIp"):
        ip_ranges.append(
            {
                "CidrIp": p["CidrIp"],
                **({"Description": p["Description"]} if p.get("Description") else {}),
            }
        )
    if p.get("CidrIpv6"):
        ip_ranges.append(
            {
                "CidrIpv6": p["CidrIpv6"],
                **({"Description": p["Description"]} if p.get("Description") else {}),
            }
        )
    groups = [{"GroupId": p[peer_id_key]}] if p.get(peer_id_key) else []
    if groups and p.get("Description"):
        groups[0]["Description"] = p["Description"]
    return {
        "ip_protocol": str(p["IpProtocol"]),
        "from_port": p.get("FromPort", -1),
        "to_port": p.get("ToPort", -1),
        "ip_ranges": ip_ranges,
        "source_groups": groups,
        "prefix_list_ids": [{"PrefixListId": p["DestinationPrefixListId"]}]
        if p.get("DestinationPrefixListId")
        else [],
    }


class _SecurityGroupEgress(_Base):
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::EC2::SecurityGroupEgress"

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> _SecurityGroupEgress:
        p = cloudformation_json["Properties"]
        rules, _ = _ec2(account_id, region_name).authorize_security_group_egress(
            p["GroupId"], **_sg_rule_args(p, "DestinationSecurityGroupId")
        )
        ids = [r.id for r in rules]
        resource = cls(ids[0], p)
        resource.rule_ids = ids
        return resource

    rule_ids: list[str]

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(
            new_resource_name, cloudformation_json, account_id, region_name
        )

    def delete(self, account_id: str, region_name: str) -> None:
        ec2 = _ec2(account_id, region_name)
        if ec2.get_security_group_from_id(self.properties["GroupId"]) is not None:
            ec2.revoke_security_group_egress(
                self.properties["GroupId"], None, None, None, [], security_rule_ids=self.rule_ids
            )


def _autoscaling(account_id: str, region: str) -> Any:
    from moto.autoscaling.models import autoscaling_backends

    return autoscaling_backends[account_id][region]


class _ScalingPolicy(_Base):
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::AutoScaling::ScalingPolicy"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in ("Arn", "PolicyName")

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name == "Arn":
            return self.policy.arn
        if attribute_name == "PolicyName":
            return self.policy.name
        raise NotImplementedError(attribute_name)

    policy: Any

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> _ScalingPolicy:
        p = cloudformation_json["Properties"]
        policy = _autoscaling(account_id, region_name).put_scaling_policy(
            name=resource_name,
            policy_type=p.get("PolicyType", "SimpleScaling"),
            metric_aggregation_type=p.get("MetricAggregationType"),
            adjustment_type=p.get("AdjustmentType"),
            as_name=p["AutoScalingGroupName"],
            min_adjustment_magnitude=p.get("MinAdjustmentMagnitude"),
            scaling_adjustment=p.get("ScalingAdjustment"),
            cooldown=p.get("Cooldown"),
            target_tracking_config=p.get("TargetTrackingConfiguration"),
            step_adjustments=p.get("StepAdjustments"),
            estimated_instance_warmup=p.get("EstimatedInstanceWarmup"),
            predictive_scaling_configuration=p.get("PredictiveScalingConfiguration"),
        )
        # Ref of a ScalingPolicy is its ARN.
        resource = cls(policy.arn, p)
        resource.policy = policy
        return resource

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        original_resource.delete(account_id, region_name)
        # CloudFormation keeps the generated policy name on update.
        return cls.create_from_cloudformation_json(
            original_resource.policy.name, cloudformation_json, account_id, region_name
        )

    def delete(self, account_id: str, region_name: str) -> None:
        _autoscaling(account_id, region_name).delete_policy(self.policy.name)


class _LifecycleHook(_Base):
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::AutoScaling::LifecycleHook"

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> _LifecycleHook:
        p = cloudformation_json["Properties"]
        name = p.get("LifecycleHookName", resource_name)
        _autoscaling(account_id, region_name).create_lifecycle_hook(
            name=name,
            as_name=p["AutoScalingGroupName"],
            transition=p["LifecycleTransition"],
            timeout=p.get("HeartbeatTimeout"),
            result=p.get("DefaultResult", "ABANDON"),
        )
        return cls(name, p)

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(
            original_resource.physical_resource_id, cloudformation_json, account_id, region_name
        )

    def delete(self, account_id: str, region_name: str) -> None:
        _autoscaling(account_id, region_name).delete_lifecycle_hook(
            self.properties["AutoScalingGroupName"], self.physical_resource_id
        )


def _s3(account_id: str) -> Any:
    from moto.s3.models import s3_backends

    return s3_backends[account_id]["aws"]


class _BucketPolicy(_Base):
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::S3::BucketPolicy"

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> _BucketPolicy:
        p = cloudformation_json["Properties"]
        document = p["PolicyDocument"]
        _s3(account_id).put_bucket_policy(p["Bucket"], json.dumps(document).encode())
        return cls(p["Bucket"], p)

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        return cls.create_from_cloudformation_json(
            new_resource_name, cloudformation_json, account_id, region_name
        )

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _s3(account_id)
        if self.physical_resource_id in backend.buckets:
            backend.delete_bucket_policy(self.physical_resource_id)


class _Certificate(_Base):
    # DNS validation needs a real resolver; CloudFormation waits for ISSUED, so we
    # issue the certificate at once. The validation record is not written.
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CertificateManager::Certificate"

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> _Certificate:
        from moto.acm.models import acm_backends

        p = cloudformation_json["Properties"]
        backend: Any = acm_backends[account_id][region_name]
        arn = backend.request_certificate(
            domain_name=p["DomainName"],
            idempotency_token=None,
            subject_alt_names=p.get("SubjectAlternativeNames") or [],
            tags=p.get("Tags") or [],
        )
        cert = backend.get_certificate(arn)
        cert.status = "ISSUED"
        cert.validation_options = p.get("DomainValidationOptions") or []
        return cls(arn, p)

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        created = cls.create_from_cloudformation_json(
            new_resource_name, cloudformation_json, account_id, region_name
        )
        original_resource.delete(account_id, region_name)
        return created

    def delete(self, account_id: str, region_name: str) -> None:
        from moto.acm.models import acm_backends

        acm_backends[account_id][region_name].delete_certificate(self.physical_resource_id)


class _Alarm(_Base):
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudWatch::Alarm"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "AlarmName"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == "Arn"

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name == "Arn":
            return self.alarm.alarm_arn
        raise NotImplementedError(attribute_name)

    alarm: Any

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> _Alarm:
        from moto.cloudwatch.models import cloudwatch_backends

        p = cloudformation_json["Properties"]
        alarm = cloudwatch_backends[account_id][region_name].put_metric_alarm(
            name=resource_name,
            namespace=p.get("Namespace"),
            metric_name=p.get("MetricName"),
            comparison_operator=p["ComparisonOperator"],
            evaluation_periods=p["EvaluationPeriods"],
            period=p.get("Period"),
            threshold=p.get("Threshold"),
            statistic=p.get("Statistic"),
            description=p.get("AlarmDescription"),
            dimensions=[{"name": d["Name"], "value": d["Value"]} for d in p.get("Dimensions", [])],
            alarm_actions=p.get("AlarmActions", []),
            ok_actions=p.get("OKActions", []),
            insufficient_data_actions=p.get("InsufficientDataActions", []),
            datapoints_to_alarm=p.get("DatapointsToAlarm"),
            extended_statistic=p.get("ExtendedStatistic"),
            unit=p.get("Unit"),
            actions_enabled=p.get("ActionsEnabled", True),
            treat_missing_data=p.get("TreatMissingData"),
        )
        resource = cls(resource_name, p)
        resource.alarm = alarm
        return resource

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        name = (
            cloudformation_json["Properties"].get("AlarmName")
            or original_resource.physical_resource_id
        )
        if name != original_resource.physical_resource_id:
            original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(
            name, cloudformation_json, account_id, region_name
        )

    def delete(self, account_id: str, region_name: str) -> None:
        from moto.cloudwatch.models import cloudwatch_backends

        cloudwatch_backends[account_id][region_name].delete_alarms([self.physical_resource_id])


def _sns(account_id: str, region: str) -> Any:
    from moto.sns.models import sns_backends

    return sns_backends[account_id][region]


class _TopicPolicy(_Base):
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SNS::TopicPolicy"

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> _TopicPolicy:
        p = cloudformation_json["Properties"]
        backend = _sns(account_id, region_name)
        for arn in p["Topics"]:
            backend.set_topic_attribute(arn, "Policy", json.dumps(p["PolicyDocument"]))
        return cls(resource_name, p)

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        return cls.create_from_cloudformation_json(
            original_resource.physical_resource_id, cloudformation_json, account_id, region_name
        )


class _Subscription(_Base):
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SNS::Subscription"

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> _Subscription:
        p = cloudformation_json["Properties"]
        sub = _sns(account_id, region_name).subscribe(p["TopicArn"], p["Endpoint"], p["Protocol"])
        return cls(sub.arn, p)

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(
            new_resource_name, cloudformation_json, account_id, region_name
        )

    def delete(self, account_id: str, region_name: str) -> None:
        _sns(account_id, region_name).unsubscribe(self.physical_resource_id)


def _wafv2(account_id: str, region: str) -> Any:
    from moto.wafv2.models import wafv2_backends

    return wafv2_backends[account_id][region]


class _WebAcl(_Base):
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::WAFv2::WebACL"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "Name"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in ("Arn", "Id", "LabelNamespace", "Capacity")

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        acl = self.acl
        values = {
            "Arn": acl.arn,
            "Id": acl.id,
            "Capacity": acl.capacity,
            "LabelNamespace": f"awswaf:{acl.account}:webacl:{acl.name}:",
        }
        if attribute_name in values:
            return values[attribute_name]
        raise NotImplementedError(attribute_name)

    acl: Any

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> _WebAcl:
        p = cloudformation_json["Properties"]
        acl = _wafv2(account_id, region_name).create_web_acl(
            name=resource_name,
            visibility_config=p["VisibilityConfig"],
            default_action=p["DefaultAction"],
            scope=p["Scope"],
            description=p.get("Description", ""),
            tags=p.get("Tags", []),
            rules=p.get("Rules", []),
            association_config=p.get("AssociationConfig"),
            captcha_config=p.get("CaptchaConfig"),
            challenge_config=p.get("ChallengeConfig"),
            custom_response_bodies=p.get("CustomResponseBodies"),
            token_domains=p.get("TokenDomains"),
        )
        # Ref of a WebACL is "name|id|scope".
        resource = cls(f"{acl.name}|{acl.id}|{p['Scope']}", p)
        resource.acl = acl
        return resource

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        p = cloudformation_json["Properties"]
        acl = original_resource.acl
        _wafv2(account_id, region_name).update_web_acl(
            name=acl.name,
            _id=acl.id,
            default_action=p["DefaultAction"],
            rules=p.get("Rules", []),
            description=p.get("Description"),
            visibility_config=p["VisibilityConfig"],
            lock_token=acl.lock_token,
            custom_response_bodies=p.get("CustomResponseBodies"),
            captcha_config=p.get("CaptchaConfig"),
            challenge_config=p.get("ChallengeConfig"),
            token_domains=p.get("TokenDomains"),
            association_config=p.get("AssociationConfig"),
        )
        original_resource.properties = p
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _wafv2(account_id, region_name)
        if self.acl.arn in backend.wacls:
            backend.delete_web_acl(
                self.acl.name, self.properties["Scope"], self.acl.id, self.acl.lock_token
            )


class _WebAclAssociation(_Base):
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::WAFv2::WebACLAssociation"

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> _WebAclAssociation:
        p = cloudformation_json["Properties"]
        _wafv2(account_id, region_name).associate_web_acl(p["WebACLArn"], p["ResourceArn"])
        return cls(f"{p['WebACLArn']}|{p['ResourceArn']}", p)

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(
            new_resource_name, cloudformation_json, account_id, region_name
        )

    def delete(self, account_id: str, region_name: str) -> None:
        _wafv2(account_id, region_name).disassociate_web_acl(self.properties["ResourceArn"])


class _WafLogging(_Base):
    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::WAFv2::LoggingConfiguration"

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> _WafLogging:
        p = cloudformation_json["Properties"]
        _wafv2(account_id, region_name).put_logging_configuration(
            arn=p["ResourceArn"],
            log_destination_configs=p["LogDestinationConfigs"],
            redacted_fields=p.get("RedactedFields"),
            managed_gy_firewall_manager=False,
            logging_filter=p.get("LoggingFilter") or {},
        )
        return cls(p["ResourceArn"], p)

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        return cls.create_from_cloudformation_json(
            new_resource_name, cloudformation_json, account_id, region_name
        )

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _wafv2(account_id, region_name)
        if self.physical_resource_id in backend.logging_configurations:
            backend.delete_logging_configuration(self.physical_resource_id)


# --------------------------------------------------------------------------------------
# Gap: DeleteStack leaves resources behind. These moto models have neither a delete()
# nor a delete_from_cloudformation_json(), so moto silently skips them; the VPC then
# fails with DependencyViolation (attached internet gateway, route tables) or, for the
# ones nothing depends on (hosted zone, health check, listener, target group, flow log),
# they simply stay.
# --------------------------------------------------------------------------------------
def _delete_route_table(r: Any, account_id: str, region: str) -> None:
    ec2 = _ec2(account_id, region)
    if r.id in ec2.route_tables:
        ec2.delete_route_table(r.id)


def _delete_route(r: Any, account_id: str, region: str) -> None:
    ec2 = _ec2(account_id, region)
    table = ec2.route_tables.get(r.route_table.id)
    if table is not None and r.id in table.routes:
        del table.routes[r.id]


def _delete_association(r: Any, account_id: str, region: str) -> None:
    ec2 = _ec2(account_id, region)
    for table in ec2.route_tables.values():
        table._associations.pop(getattr(r, "association_id", ""), None)
    ec2.subnet_associations.pop(f"{r.route_table_id}:{r.subnet_id}", None)


def _delete_eip(r: Any, account_id: str, region: str) -> None:
    ec2 = _ec2(account_id, region)
    if r in ec2.addresses:
        ec2.release_address(allocation_id=r.allocation_id)


def _delete_nat_gateway(r: Any, account_id: str, region: str) -> None:
    ec2 = _ec2(account_id, region)
    nat = ec2.nat_gateways.pop(r.id, None)
    if nat is not None:
        # The NAT gateway's network interface and EIP association go with it.
        eni = getattr(nat, "_eni", None)
        if eni is not None:
            ec2.enis.pop(eni.id, None)
        for address in ec2.addresses:
            if address.eni is eni and eni is not None:
                address.eni = None
                address.association_id = None


def _delete_internet_gateway(r: Any, account_id: str, region: str) -> None:
    ec2 = _ec2(account_id, region)
    if r.id in ec2.internet_gateways:
        if r.vpc is not None:
            ec2.detach_internet_gateway(r.id, r.vpc.id)
        ec2.delete_internet_gateway(r.id)


def _delete_gateway_attachment(r: Any, account_id: str, region: str) -> None:
    ec2 = _ec2(account_id, region)
    igw = ec2.internet_gateways.get(r.gateway_id)
    if igw is not None and igw.vpc is not None and igw.vpc.id == r.vpc_id:
        ec2.detach_internet_gateway(r.gateway_id, r.vpc_id)


def _delete_security_group_ingress(r: Any, account_id: str, region: str) -> None:
    ec2 = _ec2(account_id, region)
    group = r.security_group
    if ec2.get_security_group_from_id(group.id) is None:
        return
    ids = getattr(r, "rule_ids", None)
    if ids:
        ec2.revoke_security_group_ingress(group.id, None, None, None, [], security_rule_ids=ids)


def _delete_listener(r: Any, account_id: str, region: str) -> None:
    from moto.elbv2.models import elbv2_backends

    backend = elbv2_backends[account_id][region]
    for lb in backend.load_balancers.values():
        lb.listeners.pop(r.arn, None)


def _delete_target_group(r: Any, account_id: str, region: str) -> None:
    from moto.elbv2.models import elbv2_backends

    backend = elbv2_backends[account_id][region]
    if r.arn in backend.target_groups:
        backend.delete_target_group(r.arn)


def _delete_hosted_zone(r: Any, account_id: str, region: str) -> None:
    from moto.route53.models import route53_backends

    backend = route53_backends[account_id]["aws"]
    if r.resource_id in backend.zones:
        backend.delete_hosted_zone(r.resource_id)


def _delete_flow_log(r: Any, account_id: str, region: str) -> None:
    ec2 = _ec2(account_id, region)
    if r.id in ec2.flow_logs:
        ec2.delete_flow_logs([r.id])


def _delete_health_check(r: Any, account_id: str, region: str) -> None:
    from moto.route53.models import route53_backends

    backend = route53_backends[account_id]["aws"]
    if r.id in backend.health_checks:
        backend.delete_health_check(r.id)


_DELETERS: dict[str, Callable[[Any, str, str], None]] = {
    "AWS::Route53::HealthCheck": _delete_health_check,
    "AWS::EC2::FlowLog": _delete_flow_log,
    "AWS::EC2::RouteTable": _delete_route_table,
    "AWS::EC2::Route": _delete_route,
    "AWS::EC2::SubnetRouteTableAssociation": _delete_association,
    "AWS::EC2::EIP": _delete_eip,
    "AWS::EC2::NatGateway": _delete_nat_gateway,
    "AWS::EC2::InternetGateway": _delete_internet_gateway,
    "AWS::EC2::VPCGatewayAttachment": _delete_gateway_attachment,
    "AWS::EC2::SecurityGroupIngress": _delete_security_group_ingress,
    "AWS::ElasticLoadBalancingV2::Listener": _delete_listener,
    "AWS::ElasticLoadBalancingV2::TargetGroup": _delete_target_group,
    "AWS::Route53::HostedZone": _delete_hosted_zone,
}


def _add_missing_deletes() -> None:
    from moto.cloudformation.parsing import ResourceMap
    from moto.ec2.models.security_groups import SecurityGroupIngress
    from moto.ec2.models.subnets import SubnetRouteTableAssociation

    original = ResourceMap._delete_resource

    def _delete_resource(self: Any, parsed_resource: Any, resource_json: dict[str, Any]) -> None:
        deleter = _DELETERS.get(resource_json["Type"])
        if deleter is not None:
            deleter(parsed_resource, self._account_id, self._region_name)
            return
        original(self, parsed_resource, resource_json)

    _patch(ResourceMap, "_delete_resource", _delete_resource)

    # Remember which rules a SecurityGroupIngress created, so that deleting it revokes
    # exactly those (moto's model keeps no rule ids). Also the gap: it has no physical id.
    original_ingress = _original(SecurityGroupIngress, "create_from_cloudformation_json")

    def create_ingress(
        cls: Any,
        /,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        group_id = cloudformation_json["Properties"].get("GroupId")
        ec2 = _ec2(account_id, region_name)
        before = set()
        group = ec2.get_security_group_from_id(group_id) if group_id else None
        if group is not None:
            before = {rule.id for rule in group.ingress_rules}
        resource = original_ingress(
            cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
        )
        resource.rule_ids = [
            rule.id for rule in resource.security_group.ingress_rules if rule.id not in before
        ]
        return resource

    # Gap: AWS::EC2::SubnetRouteTableAssociation only records the pair; the route table
    # is never associated with the subnet, so DescribeRouteTables shows no association.
    association_original = _original(SubnetRouteTableAssociation, "create_from_cloudformation_json")

    def create_association(
        cls: Any,
        /,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        resource = association_original(
            cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
        )
        resource.association_id = _ec2(account_id, region_name).associate_route_table(
            resource.route_table_id, subnet_id=resource.subnet_id
        )
        return resource

    _patch(
        SubnetRouteTableAssociation,
        "create_from_cloudformation_json",
        classmethod(create_association),
    )
    _patch(
        SubnetRouteTableAssociation,
        "physical_resource_id",
        property(lambda self: getattr(self, "association_id", self.route_table_id)),
    )

    _patch(SecurityGroupIngress, "create_from_cloudformation_json", classmethod(create_ingress))
    _patch(
        SecurityGroupIngress,
        "physical_resource_id",
        property(lambda self: (getattr(self, "rule_ids", None) or [""])[0]),
    )


# --------------------------------------------------------------------------------------
# Gap: Fn::GetAtt attributes moto does not implement. The ALB's CanonicalHostedZoneID is
# what a Route 53 alias record needs; LoadBalancerFullName/TargetGroupFullName feed
# CloudWatch metrics; the hosted zone's NameServers are a common output.
# --------------------------------------------------------------------------------------
def _add_missing_attributes() -> None:
    from moto.elbv2.models import FakeLoadBalancer, FakeTargetGroup
    from moto.route53.models import FakeZone

    lb_original = FakeLoadBalancer.get_cfn_attribute

    def lb_attribute(self: Any, attribute_name: str) -> Any:
        if attribute_name == "CanonicalHostedZoneID":
            return self.canonical_hosted_zone_id
        if attribute_name == "LoadBalancerFullName":
            return self.arn.split(":loadbalancer/", 1)[1]
        if attribute_name == "SecurityGroups":
            return list(self.security_groups)
        if attribute_name == "LoadBalancerArn":
            return self.arn
        return lb_original(self, attribute_name)

    _patch(FakeLoadBalancer, "get_cfn_attribute", lb_attribute)

    def tg_attribute(self: Any, attribute_name: str) -> Any:
        if attribute_name == "TargetGroupFullName":
            return self.arn.split(":", 5)[5]
        if attribute_name == "TargetGroupName":
            return self.name
        if attribute_name == "TargetGroupArn":
            return self.arn
        if attribute_name == "LoadBalancerArns":
            return list(self.load_balancer_arns)
        raise NotImplementedError(attribute_name)

    _patch(FakeTargetGroup, "get_cfn_attribute", tg_attribute)
    tg_attributes = ("TargetGroupFullName", "TargetGroupName", "TargetGroupArn", "LoadBalancerArns")
    _patch(FakeTargetGroup, "has_cfn_attr", classmethod(lambda cls, attr: attr in tg_attributes))

    def zone_attribute(self: Any, attribute_name: str) -> Any:
        if attribute_name == "Id":
            return self.id
        if attribute_name == "NameServers":
            return [r for rrset in self.rrsets if rrset.type == "NS" for r in rrset.records]
        raise NotImplementedError(attribute_name)

    _patch(FakeZone, "get_cfn_attribute", zone_attribute)
    _patch(FakeZone, "has_cfn_attr", classmethod(lambda cls, attr: attr in ("Id", "NameServers")))


# --------------------------------------------------------------------------------------
# Gap: stack updates. moto (1) updates only resources whose template text changed, so a
# resource that Refs/GetAtts a changed one keeps stale values (an ASG keeps launch
# template version 1 after the launch template changed); (2) processes them in template
# order, not dependency order; (3) for types without update support it stores None in
# place of the resource, which then is never deleted.
# --------------------------------------------------------------------------------------
def _references(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                found.add(value)
            elif key == "Fn::GetAtt":
                target = value[0] if isinstance(value, list) else str(value).split(".")[0]
                found.add(target)
            elif key == "Fn::Sub":
                text = value[0] if isinstance(value, list) else value
                found.update(m.split(".")[0] for m in re.findall(r"\$\{([^!}][^}]*)\}", text))
                if isinstance(value, list):
                    found |= _references(value[1])
            else:
                found |= _references(value)
    elif isinstance(node, list):
        for item in node:
            found |= _references(item)
    return found


def _dependencies(resources: dict[str, Any], name: str) -> set[str]:
    body = resources[name]
    deps = _references(body.get("Properties", {}))
    depends_on = body.get("DependsOn", [])
    deps |= {depends_on} if isinstance(depends_on, str) else set(depends_on)
    return {d for d in deps if d in resources}


def _topological(resources: dict[str, Any], names: set[str]) -> list[str]:
    ordered: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        for dep in sorted(_dependencies(resources, name)):
            if dep in names:
                visit(dep)
        ordered.append(name)

    for name in sorted(names):
        visit(name)
    return ordered


def _fix_updates() -> None:
    from moto.cloudformation import parsing
    from moto.cloudformation.parsing import ResourceMap

    original_diff = ResourceMap.build_resource_diff

    def build_resource_diff(
        self: Any, other_template: dict[str, Any], parameters: Any = None
    ) -> dict[str, Any]:
        # moto adds "Properties": {} to the stored template of a resource without
        # properties, which made every such resource look modified (and replaced).
        for body in other_template["Resources"].values():
            body.setdefault("Properties", {})
        result: dict[str, Any] = original_diff(self, other_template, parameters)
        new = other_template["Resources"]
        modified = set(result["Modify"])
        changed = True
        while changed:
            changed = False
            for name in new:
                if name in modified or name not in self._resource_json_map:
                    continue
                if _dependencies(new, name) & modified:
                    modified.add(name)
                    changed = True
        result["Modify"] = _topological(new, modified)
        return result

    _patch(ResourceMap, "build_resource_diff", build_resource_diff)

    original_update = parsing.parse_and_update_resource

    def parse_and_update_resource(
        logical_id: str,
        resource_json: dict[str, Any],
        resources_map: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        resource_class = parsing.resource_class_from_type(resource_json["Type"])
        if resource_class is not None and hasattr(
            resource_class.update_from_cloudformation_json, "__isabstractmethod__"
        ):
            # No update support in moto: replace the resource, as CloudFormation does
            # for properties that require replacement.
            old = resources_map[logical_id]
            old_json = resources_map._previous_json.get(logical_id, resource_json)
            resources_map._parsed_resources.pop(logical_id, None)
            new = parsing.parse_and_create_resource(
                logical_id, resource_json, resources_map, account_id, region_name
            )
            if old is not None and not isinstance(old, str):
                # The old one goes in the cleanup phase (see _update_in_cloudformation_order).
                cleanup = getattr(resources_map, "_cleanup", None)
                if cleanup is not None:
                    cleanup.append((logical_id, old, old_json, "UpdateReplacePolicy"))
                else:
                    resources_map._delete_resource(old, old_json)
            return new
        return original_update(logical_id, resource_json, resources_map, account_id, region_name)

    parsing.parse_and_update_resource = parse_and_update_resource

    original_map_update = ResourceMap.update

    def update(self: Any, template: dict[str, Any], parameters: Any = None) -> None:
        self._previous_json = dict(self._resource_json_map)
        original_map_update(self, template, parameters)

    _patch(ResourceMap, "update", update)


# --------------------------------------------------------------------------------------
# Gap: change sets, which every `cdk deploy` uses.
# * ExecuteChangeSet of a CREATE change set builds resources through the update path on
#   an empty template: DependsOn order is ignored and the stack's Outputs stay empty (the
#   output map was built from the empty template). UPDATE change sets also keep the old
#   outputs and template.
# * DescribeChangeSet of an unknown change set answers ValidationError ("Stack with id
#   ... does not exist"), and DeleteChangeSet of an unknown one fails with a 500; the CLI
#   expects ChangeSetNotFound and a quiet delete, so the second `cdk deploy` fails.
# * Looked up by name, a change set of a deleted stack shadows the new one (KeyError, 500
#   on ExecuteChangeSet when a stack is deployed again after `cdk destroy`).
# --------------------------------------------------------------------------------------
def _fix_change_sets() -> None:
    from moto.cloudformation.exceptions import CloudFormationError
    from moto.cloudformation.models import CloudFormationBackend

    class ChangeSetNotFoundError(CloudFormationError):
        code = "ChangeSetNotFoundException"

        def __init__(self, name: str) -> None:
            super().__init__(f"ChangeSet [{name}] does not exist")

    def find(self: Any, name: str) -> Any:
        # By ARN, or by name among the change sets of stacks that still exist (moto keeps
        # change sets of deleted stacks, and its lookup by name returned the first one).
        if name in self.change_sets:
            return self.change_sets[name]
        matches = [
            cs
            for cs in self.change_sets.values()
            if cs.change_set_name == name and cs.stack_id in self.stacks
        ]
        return matches[-1] if matches else None

    def describe_change_set(self: Any, change_set_name: str) -> Any:
        change_set = find(self, change_set_name)
        if change_set is None:
            raise ChangeSetNotFoundError(change_set_name)
        return change_set

    def delete_change_set(self: Any, change_set_name: str) -> None:
        change_set = find(self, change_set_name)
        if change_set is not None:
            del self.change_sets[change_set.change_set_id]

    def execute_change_set(self: Any, change_set_name: str, stack_name: str | None = None) -> None:
        change_set = find(self, change_set_name)
        if change_set is None:
            raise ChangeSetNotFoundError(change_set_name)
        stack = self.stacks[change_set.stack_id]
        if change_set.change_set_type == "CREATE":
            # Exactly what CreateStack does, with the change set's template.
            stack.template = change_set.template
            stack._parse_template()
            stack.description = stack.template_dict.get("Description")
            stack.parameters = change_set.parameters
            stack.resource_map = stack._create_resource_map()
            stack.output_map = stack._create_output_map()
            stack._add_stack_event("CREATE_IN_PROGRESS", resource_status_reason="User Initiated")
            stack.create_resources()
            for export in stack.exports:
                self.exports[export.name] = export
        else:
            stack._add_stack_event("UPDATE_IN_PROGRESS", resource_status_reason="User Initiated")
            try:
                change_set.apply()
            except UpdateRolledBackError as failure:
                _report_rollback(stack, failure)
                change_set.execution_status = "EXECUTE_FAILED"
                return
            stack.template = change_set.template
            stack._parse_template()
            stack.parameters = change_set.parameters
            stack.output_map = stack._create_output_map()
            stack._add_stack_event("UPDATE_COMPLETE")
            stack.status = "UPDATE_COMPLETE"
        change_set.execution_status = "EXECUTE_COMPLETE"

    _patch(CloudFormationBackend, "describe_change_set", describe_change_set)
    _patch(CloudFormationBackend, "delete_change_set", delete_change_set)
    _patch(CloudFormationBackend, "execute_change_set", execute_change_set)


# --------------------------------------------------------------------------------------
# Gap: parameters. DescribeStacks reports the *resolved* value of SSM-typed parameters
# (an AMI id instead of /aws/service/ami-...), and UsePreviousValue copies that resolved
# value back in, so the next update looks up an SSM parameter named "ami-..." and fails.
# AWS reports the parameter as given plus ResolvedValue; we keep the value as given.
# UpdateStack's UsePreviousValue also fails (KeyError) for a parameter left at default.
# --------------------------------------------------------------------------------------
def _fix_parameters() -> None:
    from moto.cloudformation.models import CloudFormationBackend, Stack
    from moto.cloudformation.parsing import ResourceMap

    original_load = ResourceMap.load_parameters

    def load_parameters(self: Any) -> None:
        given: dict[str, Any] = {}
        for name, slot in self._template.get("Parameters", {}).items():
            given[name] = self.input_parameters.get(name, slot.get("Default"))
        self.given_parameters = given
        original_load(self)

    _patch(ResourceMap, "load_parameters", load_parameters)

    def stack_parameters(self: Any) -> dict[str, Any]:
        return dict(getattr(self.resource_map, "given_parameters", {}))

    def parameter_list(self: Any) -> list[dict[str, Any]]:
        rm = self.resource_map
        given = getattr(rm, "given_parameters", {})
        result = []
        for key, resolved in rm.resolved_parameters.items():
            hidden = key in rm.no_echo_parameter_keys
            entry: dict[str, Any] = {
                "ParameterKey": key,
                "ParameterValue": "****" if hidden else given.get(key, resolved),
            }
            if not hidden and given.get(key) != resolved:
                entry["ResolvedValue"] = (
                    resolved if isinstance(resolved, str) else ",".join(map(str, resolved))
                )
            result.append(entry)
        return result

    _patch(Stack, "stack_parameters", property(stack_parameters))
    _patch(Stack, "parameter_list", property(parameter_list))

    def _resolve_update_parameters(
        self: Any, instance: Any, incoming_params: list[dict[str, str]]
    ) -> dict[str, str]:
        previous = instance.stack_parameters if isinstance(instance, Stack) else instance.parameters
        result: dict[str, str] = {}
        for p in incoming_params:
            if "ParameterValue" in p:
                result[p["ParameterKey"]] = p["ParameterValue"]
            elif p.get("UsePreviousValue"):
                result[p["ParameterKey"]] = previous[p["ParameterKey"]]
        return result

    _patch(CloudFormationBackend, "_resolve_update_parameters", _resolve_update_parameters)


# --------------------------------------------------------------------------------------
# Gap: template URLs. moto reads a bucket from the URL path only when the host contains
# "localhost" (or is s3*.amazonaws.com); a URL on http://127.0.0.1:PORT/bucket/key is
# read as virtual-hosted ("127" is the bucket), so the CLI's deploy fails with
# "The specified bucket does not exist".
# --------------------------------------------------------------------------------------
def _fix_template_url() -> None:
    from moto.cloudformation import models, responses, utils

    original = utils.get_stack_from_s3_url

    def get_stack_from_s3_url(template_url: str, account_id: str, partition: str) -> str:
        host = urlparse(template_url).hostname or ""
        if host.startswith("127.") or host == "::1":
            parts = urlparse(template_url)
            bucket, key = parts.path.lstrip("/").split("/", 1)
            obj = _s3(account_id).get_object(bucket, key)
            return str(obj.value.decode("utf-8"))
        return original(template_url, account_id, partition)

    utils.get_stack_from_s3_url = get_stack_from_s3_url
    _patch(models, "get_stack_from_s3_url", get_stack_from_s3_url)
    _patch(responses, "get_stack_from_s3_url", get_stack_from_s3_url)


# --------------------------------------------------------------------------------------
# Gap: template size. moto accepts a TemplateBody of any size; CloudFormation refuses one
# over 51,200 bytes (TEMPLATE_BODY_MAX_BYTES) before anything else, with the API's member
# constraint error. The wording is the one users report (1 validation error detected: Value
# at 'templateBody' failed to satisfy constraint: Member must have length less than or
# equal to 51200); the reports we found elide the value, so whether AWS echoes the body
# could not be confirmed: we leave it out. A TemplateURL is not limited here.
# --------------------------------------------------------------------------------------
def _refuse_large_template_bodies() -> None:
    from moto.cloudformation.exceptions import ValidationError
    from moto.cloudformation.responses import CloudFormationResponse

    def limited(method: Callable[[Any], Any]) -> Callable[[Any], Any]:
        @functools.wraps(method)
        def wrapper(self: Any) -> Any:
            body = self._get_param("TemplateBody")
            if body and len(body.encode("utf-8")) > TEMPLATE_BODY_MAX_BYTES:
                raise ValidationError(
                    message="1 validation error detected: Value at 'templateBody' failed to "
                    "satisfy constraint: Member must have length less than or equal to "
                    f"{TEMPLATE_BODY_MAX_BYTES}"
                )
            return method(self)

        return wrapper

    for name in (
        "create_stack",
        "update_stack",
        "create_change_set",
        "validate_template",
        "get_template_summary",
    ):
        _patch(CloudFormationResponse, name, limited(getattr(CloudFormationResponse, name)))


# --------------------------------------------------------------------------------------
# Gap: AWS::EC2::SecurityGroup ignores its inline SecurityGroupEgress (the default
# allow-all egress rule stays even when the template restricts egress) and drops rule
# descriptions from inline ingress.
# --------------------------------------------------------------------------------------
def _fix_security_group_properties() -> None:
    from moto.ec2.models.security_groups import SecurityGroup

    original = _original(SecurityGroup, "create_from_cloudformation_json")

    def create(
        cls: Any,
        /,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        p = cloudformation_json["Properties"]
        inline_ingress = p.get("SecurityGroupIngress", [])
        stripped = {
            **cloudformation_json,
            "Properties": {k: v for k, v in p.items() if k != "SecurityGroupIngress"},
        }
        group = original(cls, resource_name, stripped, account_id, region_name, **kwargs)
        ec2 = _ec2(account_id, region_name)
        for rule in inline_ingress:
            ec2.authorize_security_group_ingress(
                group.id, **_sg_rule_args(rule, "SourceSecurityGroupId")
            )
        if "SecurityGroupEgress" in p:
            group.egress_rules.clear()
            for rule in p["SecurityGroupEgress"]:
                ec2.authorize_security_group_egress(
                    group.id, **_sg_rule_args(rule, "DestinationSecurityGroupId")
                )
        return group

    _patch(SecurityGroup, "create_from_cloudformation_json", classmethod(create))


# --------------------------------------------------------------------------------------
# Gap: S3 bucket policies are evaluated without their Conditions. Once the BucketPolicy
# model above stores a policy, a Deny conditioned on aws:SecureTransport=false (the CDK
# bootstrap bucket's and `enforce_ssl=True`) would deny every request. Statements with a
# Condition are left out of moto's evaluation; the stored policy is unchanged.
# --------------------------------------------------------------------------------------
def _fix_bucket_policy_conditions() -> None:
    from moto.iam.access_control import IAMPolicy, PermissionResult
    from moto.s3.models import FakeBucket

    def get_permission(self: Any, action: str, resource: str) -> Any:
        if self.policy is None:
            return PermissionResult.NEUTRAL
        document = json.loads(self.policy.decode())
        statements = document.get("Statement", [])
        if isinstance(statements, dict):
            statements = [statements]
        document["Statement"] = [s for s in statements if "Condition" not in s]
        if not document["Statement"]:
            return PermissionResult.NEUTRAL
        return IAMPolicy(json.dumps(document)).is_action_permitted(action, resource)

    _patch(FakeBucket, "get_permission", get_permission)


# --------------------------------------------------------------------------------------
# Gap: AWS::ElasticLoadBalancingV2::LoadBalancer ignores LoadBalancerAttributes (access
# logs, drop invalid headers, ...) and TargetGroup ignores TargetGroupAttributes, so the
# configured values cannot be read back.
# --------------------------------------------------------------------------------------
def _fix_load_balancer_properties() -> None:
    from moto.elbv2.models import FakeLoadBalancer, FakeTargetGroup, elbv2_backends

    lb_original = _original(FakeLoadBalancer, "create_from_cloudformation_json")

    def create_lb(
        cls: Any,
        /,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        lb = lb_original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        attributes = cloudformation_json["Properties"].get("LoadBalancerAttributes", [])
        if attributes:
            elbv2_backends[account_id][region_name].modify_load_balancer_attributes(
                lb.arn, {a["Key"]: a["Value"] for a in attributes}
            )
        return lb

    _patch(FakeLoadBalancer, "create_from_cloudformation_json", classmethod(create_lb))

    tg_original = _original(FakeTargetGroup, "create_from_cloudformation_json")

    def create_tg(
        cls: Any,
        /,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        tg = tg_original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        attributes = cloudformation_json["Properties"].get("TargetGroupAttributes", [])
        if attributes:
            elbv2_backends[account_id][region_name].modify_target_group_attributes(
                tg.arn, {a["Key"]: a["Value"] for a in attributes}
            )
        return tg

    _patch(FakeTargetGroup, "create_from_cloudformation_json", classmethod(create_tg))


# --------------------------------------------------------------------------------------
# Gap: an instance's implicit primary network interface survives termination (moto
# creates it with DeleteOnTermination false; EC2's default is true), so every instance
# the ASG ever launched leaves an ENI behind in a subnet that no longer exists.
# --------------------------------------------------------------------------------------
def _fix_instance_termination() -> None:
    from moto.ec2.models.instances import Instance

    original = Instance.terminate

    def terminate(self: Any) -> Any:
        primary = self.nics.get(0)
        if primary is not None and primary.description == "Primary network interface":
            primary.delete_on_termination = True
        return original(self)

    _patch(Instance, "terminate", terminate)


# --------------------------------------------------------------------------------------
# Gap: AWS::EC2::FlowLog to S3 with a key prefix (arn:aws:s3:::bucket/prefix/) - what the
# CDK writes for FlowLogDestination.to_s3(bucket, "prefix/") - is checked as a bucket
# named "bucket/prefix/", reported unsuccessful, and the CloudFormation model then fails
# with IndexError (HTTP 500). Validate the bucket alone, keep the full destination.
# --------------------------------------------------------------------------------------
def _fix_flow_logs() -> None:
    from moto.ec2.models.flow_logs import FlowLogs

    original = _original(FlowLogs, "create_from_cloudformation_json")

    def create(
        cls: Any,
        /,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        p = cloudformation_json["Properties"]
        destination = p.get("LogDestination") or ""
        if p.get("LogDestinationType") != "s3" or destination.count("/") == 0:
            return original(cls, resource_name, cloudformation_json, account_id, region_name)
        bucket_arn = destination.split("/", 1)[0]
        stripped = {**cloudformation_json, "Properties": {**p, "LogDestination": bucket_arn}}
        flow_log = original(cls, resource_name, stripped, account_id, region_name)
        flow_log.log_destination = destination
        return flow_log

    _patch(FlowLogs, "create_from_cloudformation_json", classmethod(create))


# --------------------------------------------------------------------------------------
# Gap: updating an AWS::AutoScaling::AutoScalingGroup deletes the group and creates a new
# one (new name, new instances) where CloudFormation updates it in place; the replaced
# group's terminated instances also stay registered in its target groups.
# --------------------------------------------------------------------------------------
def _fix_auto_scaling_group_update() -> None:
    from moto.autoscaling.models import FakeAutoScalingGroup

    original = _original(FakeAutoScalingGroup, "update_from_cloudformation_json")

    def update(
        cls: Any,
        /,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        p = cloudformation_json["Properties"]
        name = original_resource.name
        if p.get("AutoScalingGroupName", name) != name or "LaunchConfigurationName" in p:
            return original(
                cls,
                original_resource,
                new_resource_name,
                cloudformation_json,
                account_id,
                region_name,
            )
        backend = _autoscaling(account_id, region_name)
        desired = p.get("DesiredCapacity")
        backend.update_auto_scaling_group(
            name=name,
            availability_zones=p.get("AvailabilityZones", []),
            desired_capacity=int(desired) if desired is not None else None,
            max_size=int(p["MaxSize"]),
            min_size=int(p["MinSize"]),
            launch_config_name=None,
            launch_template=p.get("LaunchTemplate", {}),
            vpc_zone_identifier=",".join(p.get("VPCZoneIdentifier", [])) or None,
            health_check_period=p.get("HealthCheckGracePeriod"),
            health_check_type=p.get("HealthCheckType"),
        )
        wanted = set(p.get("TargetGroupARNs", []))
        current = set(original_resource.target_group_arns)
        if current - wanted:
            backend.detach_load_balancer_target_groups(name, sorted(current - wanted))
        if wanted - current:
            backend.attach_load_balancer_target_groups(name, sorted(wanted - current))
        return backend.autoscaling_groups[name]

    _patch(FakeAutoScalingGroup, "update_from_cloudformation_json", classmethod(update))


# --------------------------------------------------------------------------------------
# Gap: AWS::KMS::Key stores its KeyPolicy as the template's JSON object; moto's KMS API
# expects a string, so DescribeKey/GetKeyPolicy on the key fail with HTTP 500.
# --------------------------------------------------------------------------------------
def _fix_kms_key_policy() -> None:
    from moto.kms.models import Key

    original = _original(Key, "create_from_cloudformation_json")

    def create(
        cls: Any,
        /,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        p = cloudformation_json["Properties"]
        if isinstance(p.get("KeyPolicy"), dict):
            p = {**p, "KeyPolicy": json.dumps(p["KeyPolicy"])}
        fixed = {**cloudformation_json, "Properties": p}
        return original(cls, resource_name, fixed, account_id, region_name, **kwargs)

    _patch(Key, "create_from_cloudformation_json", classmethod(create))


# --------------------------------------------------------------------------------------
# Gap: updating an AWS::EC2::LaunchTemplate adds a version but leaves the default at 1;
# CloudFormation makes the new version the default. moto's Auto Scaling launches through
# the template's default version, so after an update that removes a security group new
# instances still ask for it (InvalidGroup.NotFound) or get the old instance type.
# --------------------------------------------------------------------------------------
def _fix_launch_template_update() -> None:
    from moto.ec2.models.launch_templates import LaunchTemplate

    original = _original(LaunchTemplate, "update_from_cloudformation_json")

    def update(
        cls: Any,
        /,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        template = original(
            cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name
        )
        template.default_version_number = template.latest_version_number
        return template

    _patch(LaunchTemplate, "update_from_cloudformation_json", classmethod(update))


# --------------------------------------------------------------------------------------
# Speed, not a gap: moto parses every template with PyYAML's pure-Python loader, JSON
# templates included (JSON is YAML): 0.17 s for the web tier's 85 kB template, parsed
# about eight times per deploy and update (create/describe/execute change set, compare).
# CloudFormation reads a JSON template as JSON; so do we, with json (under 1 ms), and a
# YAML template (json rejects it at once) goes to moto's YAML loader as before.
# --------------------------------------------------------------------------------------
def _parse_json_templates_as_json() -> None:
    import types

    import yaml
    from moto.cloudformation import models, responses

    def load(stream: Any, Loader: Any) -> Any:  # noqa: N803 - yaml.load's own argument name
        if isinstance(stream, str | bytes):
            try:
                return json.loads(stream)
            except ValueError:
                pass
        return yaml.load(stream, Loader=Loader)

    # The only parts of yaml those two modules use (yaml.parser/yaml.scanner errors are
    # imported by name and stay as they are).
    json_first = types.SimpleNamespace(
        load=load, add_multi_constructor=yaml.add_multi_constructor, Loader=yaml.Loader
    )
    _patch(models, "yaml", json_first)
    _patch(responses, "yaml", json_first)


# --------------------------------------------------------------------------------------
# Speed, not a gap: every EC2 backend (one per region, built again at every reset of the
# emulator) loads moto's AMI catalogue, 1,227 of its 1,301 images in us-east-1 being
# ECS-optimized ones, each with a snapshot and volume of random ids: ≈ 0.15 s CPU per reset.
# The web tier launches Amazon Linux 2023 (its SSM parameter names an image of the catalogue
# kept: moto's default and latest Amazon Linux images); nothing here runs ECS.
# --------------------------------------------------------------------------------------
def _skip_ecs_optimized_amis() -> None:
    from moto.ec2.models import amis
    from moto.utilities.utils import load_resource as original

    def load_resource(path: str, *args: Any, **kwargs: Any) -> Any:
        if path.startswith("ec2/resources/ecs/optimized_amis/"):
            raise FileNotFoundError(path)  # what moto's loader does for a region it lacks
        return original(path, *args, **kwargs)

    _patch(amis, "load_resource", load_resource)


# --------------------------------------------------------------------------------------
# Speed, not a gap: moto generates an RSA-2048 private key for every KMS key it creates,
# symmetric ones included, for Sign/Verify/GetPublicKey: ≈ 0.05 s CPU per key, and a deploy
# of the tier creates one or two. The key pair is generated when first used instead.
# --------------------------------------------------------------------------------------
class _KeyPairOnUse:
    """Stands in for moto's private key object; generates it when it is first used."""

    def __init__(self, generate: Callable[[str], Any], key_spec: str) -> None:
        self._generate = generate
        self._key_spec = key_spec
        self._key: Any = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # copy/pickle probes and our own fields: never generate
            raise AttributeError(name)
        if self._key is None:
            self._key = self._generate(self._key_spec)
        return getattr(self._key, name)


def _generate_kms_key_pairs_on_use() -> None:
    from moto.kms import models
    from moto.kms.utils import generate_private_key

    _patch(
        models,
        "generate_private_key",
        lambda key_spec: _KeyPairOnUse(generate_private_key, key_spec),
    )


# --------------------------------------------------------------------------------------
# Speed, not a gap: moto generates a fresh RSA-2048 key pair for every certificate ACM
# issues (≈ 0.1-0.3 s CPU each, a random time; the HTTPS deploys request several), then loads
# its PEM back to check it (≈ 0.05 s). An Amazon-issued certificate's key never leaves ACM:
# one key pair per process serves every certificate (each keeps its own names, serial and
# ARN). Only a private CA's certificates can be exported, with the key; none are used here.
# --------------------------------------------------------------------------------------
def _one_certificate_key_pair() -> None:
    import types

    import cryptography.x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from moto.acm import models

    @functools.cache
    def generate_private_key(public_exponent: int, key_size: int, backend: Any = None) -> Any:
        return rsa.generate_private_key(public_exponent=public_exponent, key_size=key_size)

    # The names models.py reaches through ``cryptography.`` (x509, the RSA key generator).
    rsa_once = types.SimpleNamespace(generate_private_key=generate_private_key)
    hazmat = types.SimpleNamespace(
        primitives=types.SimpleNamespace(asymmetric=types.SimpleNamespace(rsa=rsa_once))
    )
    _patch(models, "cryptography", types.SimpleNamespace(x509=cryptography.x509, hazmat=hazmat))

    # validate_pk loads each certificate's PEM key back: the same bytes, loaded once.
    @functools.cache
    def load_pem_private_key(data: bytes, password: Any = None, backend: Any = None) -> Any:
        return serialization.load_pem_private_key(data, password=password)

    _patch(
        models,
        "serialization",
        types.SimpleNamespace(
            Encoding=serialization.Encoding,
            PrivateFormat=serialization.PrivateFormat,
            NoEncryption=serialization.NoEncryption,
            BestAvailableEncryption=serialization.BestAvailableEncryption,
            load_pem_private_key=load_pem_private_key,
        ),
    )


# --------------------------------------------------------------------------------------
# Speed, not a gap: moto builds a new botocore loader for each service model it reads (the
# model of each service it answers, once per process), and each new loader lists every
# service directory of botocore's data again first: ≈ 0.03 s per service. One loader serves.
# --------------------------------------------------------------------------------------
def _one_model_loader() -> None:
    from moto.core import utils
    from moto.core.loaders import create_loader

    _patch(utils, "create_loader", functools.cache(create_loader))


# --------------------------------------------------------------------------------------
# Gap: the order of a stack update. moto deletes removed resources first, then creates,
# then modifies; CloudFormation creates and updates first and deletes removed (and
# replaced) resources in a cleanup phase after everything else succeeded
# (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS). moto also deletes a removed resource whose
# DeletionPolicy (or, on replacement, UpdateReplacePolicy) is Retain, never creates again
# a logical id that an earlier update removed (the stale entry stays in its map), and
# leaves a failed update half-applied with the stack UPDATE_IN_PROGRESS. Here: create,
# update, then clean up honouring Retain; a failure rolls the update back (resources it
# created deleted, updated ones set back) and the stack ends UPDATE_ROLLBACK_COMPLETE with
# the failed resource's event and reason, as CloudFormation reports it.
# --------------------------------------------------------------------------------------
class UpdateRolledBackError(Exception):
    """An update failed and was rolled back; carries the failed resource and reason."""

    def __init__(self, logical_id: str, resource_type: str, action: str, reason: str) -> None:
        super().__init__(f"{logical_id} ({resource_type}) {action} failed: {reason}")
        self.logical_id = logical_id
        self.resource_type = resource_type
        self.action = action
        self.reason = reason


def _report_rollback(stack: Any, failure: UpdateRolledBackError) -> None:
    from moto.cloudformation.models import Event

    stack.events.append(
        Event(
            stack_id=stack.stack_id,
            stack_name=stack.name,
            logical_resource_id=failure.logical_id,
            physical_resource_id="",
            resource_type=failure.resource_type,
            resource_status=f"{failure.action}_FAILED",
            resource_status_reason=failure.reason,
            resource_properties=None,
        )
    )
    stack._add_stack_event(
        "UPDATE_ROLLBACK_IN_PROGRESS",
        resource_status_reason=f"The following resource(s) failed to "
        f"{failure.action.lower()}: [{failure.logical_id}]. {failure.reason}",
    )
    stack._add_stack_event("UPDATE_ROLLBACK_COMPLETE")
    stack.status = "UPDATE_ROLLBACK_COMPLETE"


def _update_in_cloudformation_order() -> None:
    from moto.cloudformation import parsing
    from moto.cloudformation.models import Stack
    from moto.cloudformation.parsing import ResourceMap

    def retained(body: dict[str, Any], policy: str) -> bool:
        return body.get(policy) in ("Retain", "RetainExceptOnCreate")

    def update(self: Any, template: dict[str, Any], parameters: Any = None) -> None:
        self._previous_json = dict(self._resource_json_map)
        previous = {
            "_template": self._template,
            "input_parameters": self.input_parameters,
            "_resource_json_map": self._resource_json_map,
        }
        actions = self.build_resource_diff(template, parameters)
        removed = {
            name: (self._parsed_resources.get(name), self._resource_json_map[name])
            for name in actions["Remove"]
        }
        self._template = template
        if parameters:
            self.input_parameters = parameters
        self.load_mapping()
        self.load_parameters()
        self.load_conditions()
        self._resource_json_map = template["Resources"]
        self._cleanup = []
        created: list[str] = []
        updated: list[str] = []
        try:
            for name in actions["Add"]:
                # A logical id removed by an earlier update: forget the deleted resource.
                self._parsed_resources.pop(name, None)
                try:
                    _ = self[name]
                except Exception as error:
                    raise UpdateRolledBackError(
                        name, template["Resources"][name]["Type"], "CREATE", _reason(error)
                    ) from error
                created.append(name)
            for name in actions["Modify"]:  # dependency order (see _fix_updates)
                try:
                    self._parsed_resources[name] = parsing.parse_and_update_resource(
                        name,
                        self._resource_json_map[name],
                        self,
                        account_id=self._account_id,
                        region_name=self._region_name,
                    )
                except Exception as error:
                    raise UpdateRolledBackError(
                        name, template["Resources"][name]["Type"], "UPDATE", _reason(error)
                    ) from error
                updated.append(name)
        except UpdateRolledBackError:
            cleanup, self._cleanup = self._cleanup, None
            for name in reversed(created):
                resource = self._parsed_resources.pop(name, None)
                if resource is not None and not isinstance(resource, str):
                    try:
                        self._delete_resource(resource, template["Resources"][name])
                    except Exception:  # best effort, as a rollback
                        logger.warning("rollback: could not delete %s", name)
            for name, value in previous.items():
                setattr(self, name, value)
            self.load_mapping()
            self.load_parameters()
            self.load_conditions()
            for name in updated:
                try:
                    self._parsed_resources[name] = parsing.parse_and_update_resource(
                        name,
                        self._resource_json_map[name],
                        self,
                        account_id=self._account_id,
                        region_name=self._region_name,
                    )
                except Exception:  # best effort, as a rollback
                    logger.warning("rollback: could not restore %s", name)
            del cleanup
            raise
        # Cleanup phase: removed resources, then the old halves of replacements.
        cleanup, self._cleanup = self._cleanup, None
        pending = [(n, r, body, "DeletionPolicy") for n, (r, body) in removed.items()]
        pending += cleanup
        for _ in range(len(pending) + 1):
            failed = []
            for name, resource, body, policy in pending:
                if policy == "DeletionPolicy":
                    self._parsed_resources.pop(name, None)
                if resource is None or isinstance(resource, str) or retained(body, policy):
                    continue
                try:
                    self._delete_resource(resource, body)
                except Exception:  # a dependency still being deleted: next pass
                    failed.append((name, resource, body, policy))
            if not failed:
                break
            pending = failed

    _patch(ResourceMap, "update", update)

    original_stack_update = Stack.update

    def stack_update(self: Any, *args: Any, **kwargs: Any) -> None:
        try:
            original_stack_update(self, *args, **kwargs)
        except UpdateRolledBackError as failure:
            self._parse_template()
            _report_rollback(self, failure)

    _patch(Stack, "update", stack_update)


def _reason(error: Exception) -> str:
    message = getattr(error, "message", None) or str(error)
    code = getattr(error, "error_type", None) or getattr(error, "code", None)
    return f"{message} (Service: {code})" if code else str(message)


# --------------------------------------------------------------------------------------
# Gap: moto's CreateListener checks ``port in balancer.listeners``, a dict keyed by listener
# ARN, so a second listener on a port is never refused. Elastic Load Balancing refuses it
# with DuplicateListener ("A listener with the specified port already exists").
# --------------------------------------------------------------------------------------
def _refuse_duplicate_listeners() -> None:
    from moto.elbv2.exceptions import DuplicateListenerError
    from moto.elbv2.models import ELBv2Backend

    original = ELBv2Backend.create_listener

    def create_listener(self: Any, *args: Any, **kwargs: Any) -> Any:
        arn = kwargs.get("load_balancer_arn", args[0] if args else None)
        port = kwargs.get("port", args[2] if len(args) > 2 else None)
        balancer = self.load_balancers.get(arn)
        if balancer is not None and any(
            str(listener.port) == str(port) for listener in balancer.listeners.values()
        ):
            raise DuplicateListenerError()
        return original(self, *args, **kwargs)

    _patch(ELBv2Backend, "create_listener", create_listener)
