"""Security settings of the app's templates, read from the variants synthesized once for the
validators (tests/variants.py): what is on by default and what turning it off removes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.variants import synthesize_variants

# Shares the variants synthesized once per session with the other validator modules.
pytestmark = pytest.mark.xdist_group("variants")


def _resources(name: str, kind: str) -> dict[str, Any]:
    template = synthesize_variants()[name].template
    return {k: r for k, r in template["Resources"].items() if r["Type"] == kind}


def _alb_attributes(name: str) -> dict[str, str]:
    (alb,) = _resources(name, "AWS::ElasticLoadBalancingV2::LoadBalancer").values()
    return {a["Key"]: a["Value"] for a in alb["Properties"]["LoadBalancerAttributes"]}


def test_waf_is_associated_with_the_load_balancer_by_default() -> None:
    (alb_id,) = _resources("default", "AWS::ElasticLoadBalancingV2::LoadBalancer")
    (acl_id,) = _resources("default", "AWS::WAFv2::WebACL")
    (association,) = _resources("default", "AWS::WAFv2::WebACLAssociation").values()
    assert association["Properties"] == {
        "ResourceArn": {"Ref": alb_id},
        "WebACLArn": {"Fn::GetAtt": [acl_id, "Arn"]},
    }
    (logging,) = _resources("default", "AWS::WAFv2::LoggingConfiguration").values()
    assert logging["Properties"]["ResourceArn"] == {"Fn::GetAtt": [acl_id, "Arn"]}


def test_waf_off_removes_every_waf_resource() -> None:
    for kind in ("WebACL", "WebACLAssociation", "LoggingConfiguration"):
        assert _resources("opt-outs", f"AWS::WAFv2::{kind}") == {}


def test_deletion_protection_follows_the_profile() -> None:
    assert _alb_attributes("prod-route53-https")["deletion_protection.enabled"] == "true"
    assert _alb_attributes("default")["deletion_protection.enabled"] == "false"  # dev profile


def test_hardening_holds_in_every_variant() -> None:
    for name in synthesize_variants():
        attributes = _alb_attributes(name)
        assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true", name
        assert attributes["access_logs.s3.enabled"] == "true", name
        (template,) = _resources(name, "AWS::EC2::LaunchTemplate").values()
        data = template["Properties"]["LaunchTemplateData"]
        assert data["MetadataOptions"]["HttpTokens"] == "required", name
        (volume,) = data["BlockDeviceMappings"]
        assert volume["Ebs"]["Encrypted"] is True and volume["Ebs"]["VolumeType"] == "gp3", name
        for subnet in _resources(name, "AWS::EC2::Subnet").values():
            assert subnet["Properties"]["MapPublicIpOnLaunch"] is False, name
