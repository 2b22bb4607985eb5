from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk.assertions import Match, Template

from constructs_lib import WebLaunchTemplate, WebSecurityGroups
from tests.support.grouped import grouped_kwargs


def _build(stack: cdk.Stack, vpc: ec2.Vpc, **props: Any) -> tuple[WebLaunchTemplate, Template]:
    groups = WebSecurityGroups(stack, "Sg", vpc=vpc, admin_cidrs=props.pop("admin_cidrs", ()))
    props.setdefault("instance_type", ec2.InstanceType("t3.micro"))
    lt = WebLaunchTemplate(
        stack,
        "Lt",
        security_groups=groups.instance_groups,
        **grouped_kwargs("WebLaunchTemplate", **props),
    )
    return lt, Template.from_stack(stack)


def _data(template: Template) -> dict[str, Any]:
    (lt,) = template.find_resources("AWS::EC2::LaunchTemplate").values()
    data: dict[str, Any] = lt["Properties"]["LaunchTemplateData"]
    return data


def test_defaults_are_hardened(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    _, template = _build(stack, vpc)
    data = _data(template)

    assert data["InstanceType"] == "t3.micro"
    # Hop limit 1: IMDSv2 tokens never leave the instance (Control Tower CT.EC2.PR.2).
    assert data["MetadataOptions"] == {"HttpTokens": "required", "HttpPutResponseHopLimit": 1}
    assert data["BlockDeviceMappings"] == [
        {
            "DeviceName": "/dev/xvda",
            "Ebs": {
                "DeleteOnTermination": True,
                "Encrypted": True,
                "VolumeSize": 8,
                "VolumeType": "gp3",
            },
        }
    ]
    assert data["Monitoring"] == {"Enabled": True}  # one-minute metrics (CT.EC2.PR.10)
    assert "KeyName" not in data and "KeyPair" not in json.dumps(data)
    assert "IamInstanceProfile" in data


def test_role_allows_session_manager(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    _, template = _build(stack, vpc)
    template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": Match.object_like(
                {"Statement": [Match.object_like({"Principal": {"Service": "ec2.amazonaws.com"}})]}
            ),
            "ManagedPolicyArns": [
                {
                    "Fn::Join": [
                        "",
                        [
                            "arn:",
                            {"Ref": "AWS::Partition"},
                            ":iam::aws:policy/AmazonSSMManagedInstanceCore",
                        ],
                    ]
                }
            ],
        },
    )


def test_default_user_data_serves_nginx_and_the_health_path(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    lt, _ = _build(stack, vpc, app_port=8080, health_check_path="/healthz")
    script = lt.user_data.render()
    assert "dnf install -y nginx" in script
    assert "listen 8080 default_server;" in script
    assert "location = /healthz {" in script
    assert "systemctl enable --now nginx" in script
    assert "X-aws-ec2-metadata-token" in script  # IMDSv2 only


def test_both_instance_and_admin_groups_are_attached(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    _, template = _build(stack, vpc, admin_cidrs=["203.0.113.10/32"])
    assert len(_data(template)["SecurityGroupIds"]) == 2


def test_options_reach_the_template(stack: cdk.Stack, vpc: ec2.Vpc) -> None:
    key = ec2.KeyPair.from_key_pair_name(stack, "Key", "admin-key")
    _, template = _build(
        stack,
        vpc,
        instance_type=ec2.InstanceType("m7i.large"),
        root_volume_size_gib=30,
        root_volume_iops=6000,
        root_volume_throughput_mibps=250,
        detailed_monitoring=False,
        metadata_hop_limit=2,
        key_pair=key,
    )
    data = _data(template)
    assert data["InstanceType"] == "m7i.large"
    ebs = data["BlockDeviceMappings"][0]["Ebs"]
    assert (ebs["VolumeSize"], ebs["Iops"], ebs["Throughput"], ebs["Encrypted"]) == (
        30,
        6000,
        250,
        True,
    )
    assert data["Monitoring"] == {"Enabled": False}
    assert data["MetadataOptions"]["HttpPutResponseHopLimit"] == 2  # containers on the host
    assert data["KeyName"] == "admin-key"


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"instance_type": ec2.InstanceType("t3.mirco")}, "instance_type 't3.mirco' is not an EC2"),
        ({"instance_type": ec2.InstanceType("banana")}, "instance_type 'banana' is not an EC2"),
        ({"root_volume_size_gib": 0}, "root_volume_size_gib 0 is out of range"),
        ({"root_volume_size_gib": 20000}, "root_volume_size_gib 20000 is out of range"),
        ({"root_volume_iops": 100}, "root_volume_iops 100 is out of range.*for gp3"),
        ({"root_volume_throughput_mibps": 50}, "root_volume_throughput_mibps 50 is out of range"),
        (
            {"root_volume_type": ec2.EbsDeviceVolumeType.GP2, "root_volume_iops": 3000},
            "root_volume_iops 3000 cannot be set on gp2",
        ),
        (
            {"root_volume_type": ec2.EbsDeviceVolumeType.IO2},
            "root_volume_iops is required for io2",
        ),
        (
            {"root_volume_type": ec2.EbsDeviceVolumeType.ST1},
            "root_volume_type .* is not supported",
        ),
        ({"health_check_path": "health"}, "health_check_path 'health' must start with '/'"),
        ({"app_port": 0}, "app_port 0 is not a TCP port"),
        ({"root_device_name": "xvda"}, "root_device_name 'xvda' is not a device name"),
    ],
)
def test_bad_props_are_refused(
    stack: cdk.Stack, vpc: ec2.Vpc, props: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _build(stack, vpc, **props)


def test_no_security_groups_is_refused(stack: cdk.Stack) -> None:
    with pytest.raises(ValueError, match="security_groups is empty"):
        WebLaunchTemplate(
            stack, "Lt", instance_type=ec2.InstanceType("t3.micro"), security_groups=[]
        )
