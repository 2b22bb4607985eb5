"""Lambda handler: roll the newest golden image into an Auto Scaling group.

Shipped inline (CloudFormation ZipFile: at most 4096 characters, boto3 only). EventBridge
calls it for two events. (1) Image Builder marks an image AVAILABLE: images the pipeline
did not build (the stack's own first image) are left to CloudFormation. (2) An instance
refresh of the group succeeded (CloudFormation's too): if the group's launch template
version does not run the image in the pipeline's parameter (a deploy rolled the stack's
image back in), the newest image is rolled in again. Rolling in = a numbered launch
template version with the AMI id, copied from the version the group runs, and an instance
refresh to it with auto rollback and the group's rollback alarms; numbered versions and
AMI ids (not resolve:ssm) are what Auto Scaling can roll back.
"""

import json
import os
from typing import Any


def handler(
    event: dict[str, Any], context: object, clients: dict[str, Any] | None = None
) -> dict[str, Any]:
    if clients is None:
        import boto3

        kinds = ("imagebuilder", "ec2", "autoscaling", "ssm")
        clients = {k: boto3.client(k) for k in kinds}
    c = clients
    env = os.environ
    if event["source"] == "aws.imagebuilder":
        arn = event["resources"][0]
        image = c["imagebuilder"].get_image(imageBuildVersionArn=arn)["image"]
        if image.get("sourcePipelineArn") != env["PIPELINE_ARN"]:
            return {"skipped": arn}
        amis = image["outputResources"]["amis"]
        ami = next(a["image"] for a in amis if a["region"] == env["AWS_REGION"])
    else:
        ami = c["ssm"].get_parameter(Name=env["PARAMETER_NAME"])["Parameter"]["Value"]
    return roll_out(ami, c["ec2"], c["autoscaling"], env)


def roll_out(ami: str, ec2: Any, autoscaling: Any, env: Any) -> dict[str, Any]:
    name = env["GROUP_NAME"]
    groups = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])
    group = groups["AutoScalingGroups"][0]
    mixed = group.get("MixedInstancesPolicy")
    spec = (
        mixed["LaunchTemplate"]["LaunchTemplateSpecification"] if mixed else group["LaunchTemplate"]
    )
    template = spec["LaunchTemplateId"]
    running = ec2.describe_launch_template_versions(
        LaunchTemplateId=template, Versions=[spec["Version"]]
    )["LaunchTemplateVersions"][0]
    if running["LaunchTemplateData"].get("ImageId") == ami:
        return {"image": ami, "version": running["VersionNumber"], "refresh": None}
    version = ec2.create_launch_template_version(
        LaunchTemplateId=template,
        SourceVersion=str(running["VersionNumber"]),
        VersionDescription="golden image " + ami,
        LaunchTemplateData={"ImageId": ami},
    )["LaunchTemplateVersion"]["VersionNumber"]
    new = {"LaunchTemplateId": template, "Version": str(version)}
    if mixed:
        desired = {"MixedInstancesPolicy": {"LaunchTemplate": {"LaunchTemplateSpecification": new}}}
    else:
        desired = {"LaunchTemplate": new}
    refresh = autoscaling.start_instance_refresh(
        AutoScalingGroupName=name,
        Strategy="Rolling",
        DesiredConfiguration=desired,
        Preferences=json.loads(env["PREFERENCES"]),
    )
    return {"image": ami, "version": version, "refresh": refresh["InstanceRefreshId"]}
