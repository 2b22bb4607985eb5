"""A real deploy: the synthesized stack created, updated and deleted by CloudFormation.

CloudFormation is moto's (tests/support/moto_patches.py fills its gaps), running in this
process on 127.0.0.1 at a free port. After each deploy the live resources are read back
through the AWS APIs and checked against the configuration (tests/support/verify_live.py);
after the delete nothing may be left but what the stack retains on purpose.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from app import STACK_ID, build_app
from stacks.config import WebTierConfig
from tests.conftest import cdk_json_context
from tests.support.local_aws import (
    LocalAws,
    delete_stack,
    deploy_template,
    prepare_environment,
    publish_file_assets,
    template_object_key,
)
from tests.support.moto_patches import TEMPLATE_BODY_MAX_BYTES
from tests.support.update_safety import HTTP_LISTENER_LOGICAL_ID
from tests.support.verify_live import (
    inventory,
    retained_ids,
    verify_destroyed,
    verify_stack,
)

# Both emulator modules on one worker: the first to use moto in a process pays its import and
# model loading (≈ 2 s), the second reuses them (tests/support/local_aws.py).
pytestmark = pytest.mark.xdist_group("emulator")

# The second deploy changes what a redeploy in production would: size, scaling, SSH access.
UPDATE = {
    "instanceType": "t3.small",
    "maxCapacity": 5,
    "cpuTargetPercent": 60,
    "adminCidrs": "203.0.113.10/32",
}
# Route 53 zone created by the stack; HTTPS is on by default with a domain.
DNS = {
    "domainName": "shop.example.com",
    "alternativeNames": "www.shop.example.com",
    "createHostedZone": True,
}


def synthesize(**overrides: Any) -> tuple[dict[str, Any], Path, WebTierConfig]:
    """The app as `cdk synth` builds it (cdk.json context + overrides), validators aside:
    they only read the template (it is byte-identical with or without them) and
    tests/variants.py runs them all, so here they would only cost time.

    Synthesized once per configuration in this module (several tests deploy the same one);
    each call gets its own copy of the template."""
    template, assembly, config = _synthesize(json.dumps(overrides, sort_keys=True))
    return json.loads(template), assembly, config


@cache
def _synthesize(overrides: str) -> tuple[str, Path, WebTierConfig]:
    app = cdk.App(
        context={**cdk_json_context(), "nagPacks": "", **json.loads(overrides)},
        builtin_cloud_formation_validation=False,
    )
    stack = build_app(app)
    assembly = app.synth()
    template = assembly.get_stack_artifact(STACK_ID).template
    return json.dumps(template), Path(assembly.directory), stack.config


def test_default_stack_deploys_updates_and_deletes_cleanly(fresh: LocalAws) -> None:
    template, assembly, config = synthesize()
    publish_file_assets(fresh, assembly, STACK_ID)
    before = inventory(fresh)

    deploy_template(fresh, STACK_ID, template)
    verify_stack(fresh, STACK_ID, template, config).raise_on_failure()

    updated, assembly, new_config = synthesize(**UPDATE)
    publish_file_assets(fresh, assembly, STACK_ID)
    stack = deploy_template(fresh, STACK_ID, updated)
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    verify_stack(fresh, STACK_ID, updated, new_config).raise_on_failure()

    retained = retained_ids(fresh, STACK_ID, updated)
    delete_stack(fresh, STACK_ID)
    verify_destroyed(fresh, STACK_ID, before, retained).raise_on_failure()


def test_route53_https_variant_deploys_updates_and_deletes_its_zone(fresh: LocalAws) -> None:
    template, assembly, config = synthesize(**DNS, adminCidrs="203.0.113.10/32")
    assert config.create_hosted_zone and config.https_enabled
    publish_file_assets(fresh, assembly, STACK_ID)
    before = inventory(fresh)

    deploy_template(fresh, STACK_ID, template)
    verify_stack(fresh, STACK_ID, template, config).raise_on_failure()
    # Over CloudFormation's inline limit (the emulator refuses it as TemplateBody): by URL.
    body = json.dumps(template)
    assert len(body.encode("utf-8")) > TEMPLATE_BODY_MAX_BYTES
    key = template_object_key(body)
    fresh.client("s3").head_object(Bucket=prepare_environment(fresh), Key=key)

    # SSH access removed (its security group goes), one more instance, a health check.
    updated, assembly, new_config = synthesize(**DNS, minCapacity=3, healthCheck=True)
    publish_file_assets(fresh, assembly, STACK_ID)
    deploy_template(fresh, STACK_ID, updated)
    verify_stack(fresh, STACK_ID, updated, new_config).raise_on_failure()

    retained = retained_ids(fresh, STACK_ID, updated)
    delete_stack(fresh, STACK_ID)
    verify_destroyed(fresh, STACK_ID, before, retained).raise_on_failure()


def test_a_resource_type_moto_cannot_emulate_fails_the_deploy(fresh: LocalAws) -> None:
    # Unpatched moto skips it and reports CREATE_COMPLETE.
    template = {"Resources": {"Pipe": {"Type": "AWS::Pipes::Pipe", "Properties": {}}}}
    with pytest.raises(Exception, match="no CloudFormation support for AWS::Pipes::Pipe"):
        deploy_template(fresh, "Unsupported", template)


def test_an_unknown_lambda_backed_custom_resource_fails_the_deploy(fresh: LocalAws) -> None:
    # Unpatched moto invokes the Lambda in Docker and waits for ever.
    template = {
        "Resources": {"Thing": {"Type": "Custom::Thing", "Properties": {"ServiceToken": "arn:fn"}}}
    }
    with pytest.raises(Exception, match="Lambda-backed custom resource"):
        deploy_template(fresh, "CustomThing", template)


def test_moto_reads_a_json_template_as_json_and_a_yaml_template_as_yaml(aws: LocalAws) -> None:
    # The patch (speed: PyYAML's pure-Python loader took 0.17 s per parse of the web tier's
    # template) must not change what a template means. YAML 1.1 reads 1e1 as a string,
    # JSON as a number: CloudFormation reads a JSON template as JSON.
    from moto.cloudformation import models, responses

    json_text = '{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": '
    json_text += '{"DelaySeconds": 1e1, "QueueName": {"Fn::Sub": "caf\\u00e9-${AWS::Region}"}}}}}'
    properties = {"DelaySeconds": 10.0, "QueueName": {"Fn::Sub": "café-${AWS::Region}"}}
    assert models.Stack.parse_template(json_text)["Resources"]["Q"]["Properties"] == properties
    summary = responses.get_template_summary_response_from_template(json_text)
    assert summary["ResourceTypes"] == ["AWS::SQS::Queue"]

    yaml_text = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n"
    yaml_text += "      QueueName: !Ref Name\n      DelaySeconds: 1e1\n"
    assert models.Stack.parse_template(yaml_text)["Resources"]["Q"]["Properties"] == {
        "QueueName": {"Ref": "Name"},
        "DelaySeconds": "1e1",
    }


def test_the_speed_patches_leave_what_the_tier_reads(fresh: LocalAws) -> None:
    # moto_patches leaves the ECS-optimized images out of moto's AMI catalogue: the image the
    # tier's SSM parameter names is still there, with its architecture.
    template, _, _ = synthesize()
    (name,) = [
        p["Default"]
        for p in template["Parameters"].values()
        if p["Type"] == "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"
    ]
    image_id = fresh.client("ssm").get_parameter(Name=name)["Parameter"]["Value"]
    (image,) = fresh.client("ec2").describe_images(ImageIds=[image_id])["Images"]
    assert image["Architecture"] == "x86_64" and image["RootDeviceName"] == "/dev/xvda"
    # KMS key pairs are generated on first use: an asymmetric key still signs and verifies.
    kms = fresh.client("kms")
    key = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    signed = {"KeyId": key, "Message": b"m", "SigningAlgorithm": "RSASSA_PSS_SHA_256"}
    signature = kms.sign(**signed)["Signature"]
    assert kms.verify(**signed, Signature=signature)["SignatureValid"]
    assert kms.get_public_key(KeyId=key)["PublicKey"]
    # ACM certificates share one key pair: each keeps its own names and ARN.
    acm = fresh.client("acm")
    names = ["a.example.com", "b.example.com"]
    arns = [acm.request_certificate(DomainName=n)["CertificateArn"] for n in names]
    described = [acm.describe_certificate(CertificateArn=a)["Certificate"] for a in arns]
    assert [c["DomainName"] for c in described] == names
    assert len({c["CertificateArn"] for c in described}) == 2


def test_the_stack_deploys_again_after_a_destroy(fresh: LocalAws) -> None:
    template, assembly, _ = synthesize()
    publish_file_assets(fresh, assembly, STACK_ID)
    deploy_template(fresh, STACK_ID, template)
    delete_stack(fresh, STACK_ID)
    deploy_template(fresh, STACK_ID, template)


def test_day_two_https_off_on_off_and_waf_off_on_update_in_place(fresh: LocalAws) -> None:
    # GIVEN a tier with its own Route 53 zone deployed with HTTPS off (the README's advice
    # for a created zone: delegate first, then turn HTTPS on)
    http = synthesize(**DNS, https="false")
    https = synthesize(**DNS)
    no_waf = synthesize(**DNS, https="false", waf="false")
    # Bigger instances, more of them, requests tracked, an alarm e-mail: same group.
    grown = synthesize(
        **DNS,
        https="false",
        instanceType="t3.small",
        minCapacity=3,
        maxCapacity=6,
        requestCountTarget=1000,
        alarmEmail="ops@example.com",
    )
    steps = [("create", http), ("HTTPS on", https), ("HTTPS off", http)]
    steps += [("WAF off", no_waf), ("WAF on", http), ("grow", grown)]
    groups = []
    for step, (template, assembly, config) in steps:
        publish_file_assets(fresh, assembly, STACK_ID)
        stack = deploy_template(fresh, STACK_ID, template)
        # THEN every step is an update that completes, and the live tier matches it
        assert stack["StackStatus"] in ("CREATE_COMPLETE", "UPDATE_COMPLETE"), step
        verify_stack(fresh, STACK_ID, template, config).raise_on_failure()
        (group,) = fresh.client("autoscaling").describe_auto_scaling_groups()["AutoScalingGroups"]
        groups.append((group["AutoScalingGroupName"], group["LaunchTemplate"]["Version"]))
    # One group all along; the instance type change made a new launch-template version.
    assert len({name for name, _ in groups}) == 1
    assert int(groups[-1][1]) > int(groups[-2][1])

    # The port-80 listener as it was before the fix (HTTPS put it under another logical
    # id): the emulator, like ELB, refuses a second port-80 listener and rolls back.
    old_shape = json.loads(
        json.dumps(https[0]).replace(HTTP_LISTENER_LOGICAL_ID, "Redirect80To443")
    )
    with pytest.raises(RuntimeError, match=r"UPDATE_ROLLBACK_COMPLETE.*Redirect80To443"):
        deploy_template(fresh, STACK_ID, old_shape)
