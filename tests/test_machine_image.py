from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk.assertions import Template

from constructs_lib import WebImage, WebLaunchTemplate, WebSecurityGroups

AL2023_X86 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64"
AL2023_ARM = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64"


def _template_for(
    stack: cdk.Stack, vpc: ec2.Vpc, instance_type: str, image: WebImage | None = None
) -> Template:
    groups = WebSecurityGroups(stack, "Sg", vpc=vpc)
    WebLaunchTemplate(
        stack,
        "Lt",
        instance_type=ec2.InstanceType(instance_type),
        image=image,
        security_groups=groups.instance_groups,
    )
    return Template.from_stack(stack)


def _ssm_parameter_defaults(template: Template) -> list[str]:
    params = template.to_json().get("Parameters", {})
    return [p["Default"] for p in params.values() if "AWS::EC2::Image::Id" in p["Type"]]


def test_default_image_is_amazon_linux_2023_from_the_public_parameter(
    stack: cdk.Stack, vpc: ec2.Vpc
) -> None:
    template = _template_for(stack, vpc, "t3.micro")
    assert _ssm_parameter_defaults(template) == [AL2023_X86]


def test_default_image_follows_a_graviton_instance_type(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    template = _template_for(stack, vpc, "t4g.small")
    assert _ssm_parameter_defaults(template) == [AL2023_ARM]


def test_own_image_from_ssm_parameter(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    template = _template_for(
        stack,
        vpc,
        "m7g.large",
        WebImage.from_ssm_parameter(
            "/golden/web/ami", architecture=ec2.InstanceArchitecture.ARM_64
        ),
    )
    assert _ssm_parameter_defaults(template) == ["/golden/web/ami"]


def test_pinned_image_uses_a_region_mapping(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    template = _template_for(
        stack, vpc, "t3.micro", WebImage.pinned({"eu-west-1": "ami-0123456789abcdef0"})
    )
    mappings = template.to_json()["Mappings"]
    assert any(
        m.get("eu-west-1", {}).get("ami") == "ami-0123456789abcdef0" for m in mappings.values()
    )


def test_architecture_mismatch_is_refused(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    image = WebImage.amazon_linux_2023(architecture=ec2.InstanceArchitecture.ARM_64)
    with pytest.raises(ValueError, match=r"image is built for arm64 but instance_type 't3.micro'"):
        _template_for(stack, vpc, "t3.micro", image)


def test_x86_image_on_graviton_is_refused(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    image = WebImage.pinned({"us-east-1": "ami-0123456789abcdef0"})
    with pytest.raises(ValueError, match=r"x86_64 but instance_type 'm7g.large' is arm64"):
        _template_for(stack, vpc, "m7g.large", image)


@pytest.mark.parametrize(
    ("ami_ids", "message"),
    [
        ({}, "ami_ids is empty"),
        ({"us-east-1": "ami-123"}, r"ami_ids\['us-east-1'\] 'ami-123' is not an AMI id"),
        ({"mars-1": "ami-0123456789abcdef0"}, "ami_ids key 'mars-1' is not an AWS region"),
    ],
)
def test_bad_pinned_images_are_refused(ami_ids: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WebImage.pinned(ami_ids)


def test_bad_ssm_parameter_name_is_refused() -> None:
    with pytest.raises(ValueError, match="parameter_name 'no spaces please' is not an SSM"):
        WebImage.from_ssm_parameter("no spaces please")


def test_lookup_needs_a_name() -> None:
    with pytest.raises(ValueError, match="name is empty"):
        WebImage.lookup(name="")
