from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template

from constructs_lib import WebLoadBalancer, WebSecurityGroups
from tests.conftest import new_app
from tests.support.grouped import grouped_kwargs

CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"


def _build(stack: cdk.Stack, vpc: ec2.Vpc, **props: Any) -> tuple[WebLoadBalancer, Template]:
    groups = WebSecurityGroups(stack, "Sg", vpc=vpc)
    lb = WebLoadBalancer(
        stack,
        "Web",
        vpc=vpc,
        security_group=groups.load_balancer,
        **grouped_kwargs("WebLoadBalancer", **props),
    )
    return lb, Template.from_stack(stack)


def _attributes(template: Template) -> dict[str, Any]:
    (alb,) = template.find_resources("AWS::ElasticLoadBalancingV2::LoadBalancer").values()
    return {a["Key"]: a["Value"] for a in alb["Properties"]["LoadBalancerAttributes"]}


def test_internet_facing_alb_in_public_subnets_with_safe_attributes(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    _, template = _build(stack, vpc)
    public = [stack.resolve(s.subnet_id) for s in vpc.public_subnets]
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        {"Scheme": "internet-facing", "Type": "application", "Subnets": public},
    )
    attributes = _attributes(template)
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
    assert attributes["deletion_protection.enabled"] == "true"
    assert "access_logs.s3.enabled" not in attributes  # no bucket given


def _acknowledged(construct: Any) -> set[str]:
    return {
        rule
        for entry in construct.node.metadata
        if entry.type == cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY
        for rule in entry.data
    }


def test_deletion_protection_off_is_explicit_and_acknowledged(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    lb, template = _build(stack, vpc, deletion_protection=False)
    assert _attributes(template)["deletion_protection.enabled"] == "false"
    assert _acknowledged(lb.load_balancer) == {
        "Annotation::NIST.800.53.R5-ELBDeletionProtectionEnabled",
        "Annotation::HIPAA.Security-ELBDeletionProtectionEnabled",
        "cdk-validator-cfnguard::elbv2_deletion_protection_enabled_check",  # Control Tower
    }


def test_plain_http_listener_is_an_acknowledged_choice(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    lb, template = _build(stack, vpc)
    assert _acknowledged(lb.load_balancer) == set()  # protected by default
    assert {rule.split("-", 1)[1] for rule in _acknowledged(lb.listener)} == {
        "ALBHttpToHttpsRedirection",
        "ELBv2ACMCertificateRequired",
        "validator-cfnguard::alb_http_to_https_redirection_check",  # Control Tower
    }
    (listener,) = template.find_resources("AWS::ElasticLoadBalancingV2::Listener").values()
    skipped = {skip["id"] for skip in listener["Metadata"]["checkov"]["skip"]}
    assert skipped == {"CKV_AWS_2", "CKV_AWS_103"}


def test_https_listener_needs_no_acknowledgement_but_the_redirect_does(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    cert = acm.Certificate.from_certificate_arn(stack, "Cert", CERT_ARN)
    lb, template = _build(stack, vpc, certificate=cert)
    assert _acknowledged(lb.listener) == set()
    assert lb.redirect_listener is not None
    assert _acknowledged(lb.redirect_listener) == {
        f"Annotation::{pack}-ELBv2ACMCertificateRequired"
        for pack in ("NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321")
    }
    for listener in template.find_resources("AWS::ElasticLoadBalancingV2::Listener").values():
        assert "checkov" not in listener.get("Metadata", {})


def test_http_listener_forwards_to_the_target_group(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    lb, template = _build(stack, vpc)
    template.resource_count_is("AWS::ElasticLoadBalancingV2::Listener", 1)
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::Listener",
        {
            "Port": 80,
            "Protocol": "HTTP",
            "DefaultActions": [
                {
                    "Type": "forward",
                    "TargetGroupArn": stack.resolve(lb.target_group.target_group_arn),
                }
            ],
        },
    )
    assert lb.redirect_listener is None


def test_target_group_health_check_and_draining(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    _, template = _build(stack, vpc)
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        {
            "Port": 80,
            "Protocol": "HTTP",
            "TargetType": "instance",
            "HealthCheckEnabled": True,
            "HealthCheckPath": "/health",
            "HealthCheckProtocol": "HTTP",
            "HealthCheckIntervalSeconds": 15,
            "HealthCheckTimeoutSeconds": 5,
            "HealthyThresholdCount": 2,
            "UnhealthyThresholdCount": 2,
            "Matcher": {"HttpCode": "200"},
            "TargetGroupAttributes": Match.array_with(
                [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}]
            ),
        },
    )


def test_https_listener_with_tls13_policy_and_permanent_redirect(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    cert = acm.Certificate.from_certificate_arn(stack, "Cert", CERT_ARN)
    lb, template = _build(stack, vpc, certificate=cert)

    template.resource_count_is("AWS::ElasticLoadBalancingV2::Listener", 2)
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::Listener",
        {
            "Port": 443,
            "Protocol": "HTTPS",
            "Certificates": [{"CertificateArn": CERT_ARN}],
            "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "DefaultActions": [Match.object_like({"Type": "forward"})],
        },
    )
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::Listener",
        {
            "Port": 80,
            "Protocol": "HTTP",
            "DefaultActions": [
                {
                    "Type": "redirect",
                    "RedirectConfig": {
                        "Port": "443",
                        "Protocol": "HTTPS",
                        "StatusCode": "HTTP_301",
                    },
                }
            ],
        },
    )
    assert lb.redirect_listener is not None


def test_access_logs_without_a_region_pick_the_principal_at_deploy_time(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    bucket = s3.Bucket(stack, "Logs")
    _, template = _build(stack, vpc, access_logs_bucket=bucket, access_logs_prefix="web")
    attributes = _attributes(template)
    assert attributes["access_logs.s3.enabled"] == "true"
    assert attributes["access_logs.s3.bucket"] == stack.resolve(bucket.bucket_name)
    assert attributes["access_logs.s3.prefix"] == "web"
    mapping = template.to_json()["Mappings"]["ElbLogDeliveryAccounts"]
    assert mapping["us-east-1"] == {"account": "127311923021"}
    assert mapping["ap-southeast-5"] == {"account": "none"}
    template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Sid": "AllowAlbLogDelivery",
                                "Principal": {
                                    "Service": "logdelivery.elasticloadbalancing.amazonaws.com"
                                },
                                "Action": "s3:PutObject",
                            }
                        ),
                        Match.object_like({"Sid": "AllowAlbLogDeliveryLegacyRegions"}),
                    ]
                )
            }
        },
    )


def test_access_logs_with_a_region_use_the_l2() -> None:
    app = new_app(flags=False)
    stack = cdk.Stack(
        app, "Regional", env=cdk.Environment(account="123456789012", region="eu-west-1")
    )
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2)
    bucket = s3.Bucket(stack, "Logs")
    _, template = _build(stack, vpc, access_logs_bucket=bucket)
    assert _attributes(template)["access_logs.s3.enabled"] == "true"
    assert (
        "Mappings" not in template.to_json()
        or "ElbLogDeliveryAccounts" not in (template.to_json()["Mappings"])
    )


def test_fixed_instances_as_targets(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    instance = ec2.Instance(
        stack,
        "Box",
        vpc=vpc,
        instance_type=ec2.InstanceType("t3.micro"),
        machine_image=ec2.MachineImage.latest_amazon_linux2023(),
    )
    groups = WebSecurityGroups(stack, "Sg", vpc=vpc)
    lb = WebLoadBalancer(stack, "Web", vpc=vpc, security_group=groups.load_balancer)
    lb.add_target(elbv2_targets_instance(instance))
    Template.from_stack(stack).has_resource_properties(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        {"Targets": [{"Id": stack.resolve(instance.instance_id), "Port": 80}]},
    )


def elbv2_targets_instance(instance: ec2.Instance) -> elbv2.IApplicationLoadBalancerTarget:
    from aws_cdk import aws_elasticloadbalancingv2_targets as targets

    return targets.InstanceTarget(instance, 80)


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"health_check_path": "health"}, "health_check_path 'health' must start with '/'"),
        ({"health_check_interval": Duration.seconds(2)}, "health_check_interval 2s is out of"),
        ({"health_check_timeout": Duration.seconds(1)}, "health_check_timeout 1s is out of"),
        (
            {
                "health_check_interval": Duration.seconds(10),
                "health_check_timeout": Duration.seconds(10),
            },
            "health_check_timeout 10s must be shorter than health_check_interval 10s",
        ),
        ({"healthy_threshold": 1}, "healthy_threshold 1 is out of range"),
        ({"unhealthy_threshold": 11}, "unhealthy_threshold 11 is out of range"),
        ({"health_check_matcher": "abc"}, "health_check_matcher 'abc' is not an HTTP code list"),
        ({"health_check_matcher": "200,600"}, "health_check_matcher '200,600' has codes outside"),
        ({"health_check_matcher": "299-200"}, "range '299-200' whose start exceeds its end"),
        ({"deregistration_delay": Duration.seconds(4000)}, "deregistration_delay 4000s is out"),
        ({"idle_timeout": Duration.seconds(5000)}, "idle_timeout 5000s is out of range"),
        ({"app_port": 70000}, "app_port 70000 is not a TCP port"),
        ({"access_logs_prefix": "logs/"}, "access_logs_prefix 'logs/' may not start or end"),
        (
            {"vpc_subnets": ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)},
            "an internet-facing load balancer needs public subnets",
        ),
    ],
)
def test_bad_props_are_refused(
    stack: cdk.Stack, vpc: ec2.Vpc, props: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _build(stack, vpc, **props)


def _port_80_logical_id(certificate: bool) -> str:
    stack = cdk.Stack(new_app(flags=False), "Test")
    cert = acm.Certificate.from_certificate_arn(stack, "Cert", CERT_ARN) if certificate else None
    _, template = _build(stack, ec2.Vpc(stack, "Vpc", max_azs=2), certificate=cert)
    listeners = template.find_resources(
        "AWS::ElasticLoadBalancingV2::Listener", {"Properties": {"Port": 80}}
    )
    (logical_id,) = listeners
    return logical_id


def test_port_80_listener_keeps_its_logical_id_when_https_is_turned_on_or_off() -> None:
    # GIVEN the same load balancer without and with a certificate
    # THEN the port-80 listener is one resource (updated in place): a new logical id would
    # be created before the old one is deleted, and ELB refuses a second port-80 listener.
    assert _port_80_logical_id(certificate=False) == _port_80_logical_id(certificate=True)
    assert _port_80_logical_id(certificate=False).startswith("WebLoadBalancerHttp")
