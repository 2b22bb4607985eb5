"""WebImagePipeline and ImageRollout: the golden image built, tested, published and rolled
into the group. One tier with a pipeline is synthesized once for the module; the rollout
handler runs against recording fake AWS clients."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_ec2 as ec2
from aws_cdk.assertions import Capture, Match, Template

from constructs_lib import (
    LoadBalancerOptions,
    LogBuckets,
    Rollout,
    WebImage,
    WebImagePipeline,
    WebTier,
    default_user_data,
)
from constructs_lib import image_rollout_handler as handler_module
from constructs_lib.image_pipeline import health_test_document, web_server_document
from constructs_lib.launch_template import nginx_config
from tests.conftest import new_stack, new_vpc

AL2023_X86 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64"
AL2023_ARM = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64"
HANDLER = Path(handler_module.__file__)


class _Tier:
    def __init__(self) -> None:
        self.stack = new_stack()
        self.vpc = new_vpc(self.stack)
        self.logs = LogBuckets(self.stack, "Logs")
        self.pipeline = WebImagePipeline(
            self.stack,
            "ImagePipeline",
            vpc=self.vpc,
            instance_type=ec2.InstanceType("t3.micro"),
            logs_bucket=self.logs.logs,
            component_documents={"Extra": "schemaVersion: 1.0\nphases: []\n"},
        )
        self.tier = WebTier(
            self.stack,
            "Web",
            vpc=self.vpc,
            image=WebImage.from_image_pipeline(self.pipeline),
            load_balancer_options=LoadBalancerOptions(access_logs_bucket=self.logs.logs),
        )
        self.template = Template.from_stack(self.stack)

    def resource(self, construct: cdk.CfnResource) -> dict[str, Any]:
        logical_id = self.stack.get_logical_id(construct)
        resource: dict[str, Any] = self.template.to_json()["Resources"][logical_id]
        return resource


@cache
def _tier() -> _Tier:
    return _Tier()


@cache
def _bench() -> tuple[ec2.Vpc, LogBuckets]:
    """One VPC and log bucket shared by the small pipelines below (synthesized only by the
    few tests that read a template)."""
    stack = new_stack()
    return new_vpc(stack), LogBuckets(stack, "Logs")


def _pipeline(**props: Any) -> WebImagePipeline:
    vpc, logs = _bench()
    props.setdefault("instance_type", ec2.InstanceType("t3.micro"))
    construct_id = f"Pipeline{len(vpc.stack.node.children)}"
    return WebImagePipeline(vpc.stack, construct_id, vpc=vpc, logs_bucket=logs.logs, **props)


def _document(text: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(text)  # JSON is YAML: Image Builder reads it
    return document


def _script(document: dict[str, Any], phase: str) -> str:
    (step,) = next(p for p in document["phases"] if p["name"] == phase)["steps"]
    assert step["action"] == "ExecuteBash"
    (script,) = step["inputs"]["commands"]
    assert isinstance(script, str)
    return script


# --- the recipe and its components -------------------------------------------------------


def test_recipe_starts_from_the_base_image_webimage_picks_and_encrypts_the_ami() -> None:
    t = _tier()
    t.template.has_resource_properties(
        "AWS::ImageBuilder::ImageRecipe",
        {
            "ParentImage": f"ssm:{AL2023_X86}",
            "BlockDeviceMappings": [
                {
                    "DeviceName": "/dev/xvda",
                    "Ebs": Match.object_like(
                        {"Encrypted": True, "VolumeType": "gp3", "DeleteOnTermination": True}
                    ),
                }
            ],
        },
    )


def test_graviton_instance_type_builds_on_the_arm64_base_image() -> None:
    pipeline = _pipeline(instance_type=ec2.InstanceType("t4g.small"))
    assert pipeline.architecture == ec2.InstanceArchitecture.ARM_64
    assert pipeline.recipe.parent_image == f"ssm:{AL2023_ARM}"


def test_components_run_web_server_then_own_documents_then_the_health_test() -> None:
    t = _tier()
    components = t.pipeline.components
    assert list(components) == ["WebServer", "Extra", "HealthTest"]
    arns = [t.stack.resolve(c.attr_arn) for c in components.values()]
    recipe = t.resource(t.pipeline.recipe)["Properties"]
    assert [c["ComponentArn"] for c in recipe["Components"]] == arns


def test_web_server_component_bakes_the_same_server_the_user_data_installs() -> None:
    build = _script(_document(web_server_document(8080, "/ping")), "build")
    assert "dnf install -y nginx" in build
    assert "\n".join(nginx_config(8080, "/ping")) in build
    assert "systemctl enable nginx" in build
    boot = "\n".join(default_user_data(8080, "/ping").render().splitlines())
    assert "\n".join(nginx_config(8080, "/ping")) in boot
    assert _script(_document(web_server_document()), "validate") == "nginx -t"


def test_health_test_component_starts_the_server_and_requests_the_health_path() -> None:
    document = _document(health_test_document(8080, "/ping"))
    assert [p["name"] for p in document["phases"]] == ["test"]
    script = _script(document, "test")
    assert "systemctl start nginx" in script
    assert "curl -sf http://127.0.0.1:8080/ping" in script
    assert script.rstrip().endswith("exit 1")


def test_component_and_recipe_versions_follow_their_content() -> None:
    same = _pipeline()
    again = _pipeline()
    other = _pipeline(app_port=8080)
    assert same.components["WebServer"].version == again.components["WebServer"].version
    assert same.recipe.version == again.recipe.version
    assert same.components["WebServer"].version != other.components["WebServer"].version
    assert same.recipe.version != other.recipe.version


def test_component_arns_run_after_the_documents() -> None:
    arn = "arn:aws:imagebuilder:eu-west-1:aws:component/update-linux/x.x.x"
    pipeline = _pipeline(component_arns=[arn])
    stack = cdk.Stack.of(pipeline)
    refs = [c.component_arn for c in pipeline.recipe.components]  # type: ignore[union-attr]
    assert stack.resolve(refs[1]) == arn
    assert stack.resolve(refs[-1]) == stack.resolve(pipeline.components["HealthTest"].attr_arn)


# --- build instance, distribution, schedule, lifecycle -----------------------------------


def test_build_instance_is_hardened_like_the_tiers() -> None:
    t = _tier()
    infrastructure = t.resource(t.pipeline.infrastructure)["Properties"]
    assert infrastructure["InstanceMetadataOptions"] == {
        "HttpTokens": "required",
        "HttpPutResponseHopLimit": 2,
    }
    assert infrastructure["TerminateInstanceOnFailure"] is True
    assert infrastructure["InstanceTypes"] == ["t3.micro"]
    private = [t.stack.resolve(s.subnet_id) for s in t.vpc.private_subnets]
    assert infrastructure["SubnetId"] in private
    assert infrastructure["Logging"]["S3Logs"] == {
        "S3BucketName": t.stack.resolve(t.logs.logs.bucket_name),
        "S3KeyPrefix": "image-builder/",
    }
    group = t.resource(t.pipeline.security_group.node.default_child)  # type: ignore[arg-type]
    assert "SecurityGroupIngress" not in group["Properties"]


def test_build_role_has_ssm_image_builder_and_the_log_prefix_only() -> None:
    t = _tier()
    role = t.resource(t.pipeline.role.node.default_child)  # type: ignore[arg-type]
    managed = json.dumps(role["Properties"]["ManagedPolicyArns"])
    assert "AmazonSSMManagedInstanceCore" in managed
    assert "EC2InstanceProfileForImageBuilder" in managed
    statement = Capture()
    t.template.has_resource_properties(
        "AWS::IAM::ManagedPolicy",
        {
            "Description": Match.string_like_regexp("build logs"),
            "PolicyDocument": {"Statement": statement, "Version": Match.any_value()},
        },
    )
    (only,) = statement.as_array()
    assert only["Action"] == "s3:PutObject"
    assert "image-builder/*" in json.dumps(only["Resource"])


def test_distribution_writes_the_ami_id_to_the_parameter() -> None:
    t = _tier()
    assert t.pipeline.parameter_name.startswith("/imagebuilder/")
    (distribution,) = t.resource(t.pipeline.distribution)["Properties"]["Distributions"]
    assert distribution["SsmParameterConfigurations"] == [
        {"ParameterName": t.pipeline.parameter_name, "DataType": "aws:ec2:image"}
    ]
    assert "{{ imagebuilder:buildDate }}" in distribution["AmiDistributionConfiguration"]["Name"]


def test_pipeline_is_scheduled_and_tests_every_image() -> None:
    t = _tier()
    t.template.has_resource_properties(
        "AWS::ImageBuilder::ImagePipeline",
        {
            "Schedule": {
                "ScheduleExpression": "cron(0 4 ? * sun *)",
                "PipelineExecutionStartCondition": "EXPRESSION_MATCH_ONLY",
            },
            "ImageTestsConfiguration": {"ImageTestsEnabled": True, "TimeoutMinutes": 60},
            "Status": "ENABLED",
        },
    )
    on_demand = _pipeline(schedule=None)
    assert on_demand.pipeline.schedule is None


def test_lifecycle_policy_keeps_the_newest_pipeline_images() -> None:
    t = _tier()
    policy = t.resource(t.pipeline.lifecycle_policy)["Properties"]
    (detail,) = policy["PolicyDetails"]
    assert detail["Filter"] == {"Type": "COUNT", "Value": 3}
    assert detail["Action"]["IncludeResources"] == {"Amis": True, "Snapshots": True}
    pipeline_tags = t.resource(t.pipeline.pipeline)["Properties"]["ImageTags"]
    assert policy["ResourceSelection"]["TagMap"] == pipeline_tags
    # The stack's first image carries no such tag: the lifecycle never retires it.
    assert "Tags" not in t.resource(t.pipeline.image)["Properties"]


# --- the loop: first image, golden user data, rollout ------------------------------------


def test_launch_template_boots_the_stacks_first_image_and_only_starts_the_server() -> None:
    t = _tier()
    data = t.resource(t.tier.launch_template.node.default_child)  # type: ignore[arg-type]
    template_data = data["Properties"]["LaunchTemplateData"]
    assert template_data["ImageId"] == t.stack.resolve(t.pipeline.image_id)
    boot = t.tier.launch.user_data.render()
    assert "dnf install" not in boot
    assert "systemctl start nginx" in boot


def test_rollout_starts_a_refresh_with_auto_rollback_and_the_monitoring_alarms() -> None:
    t = _tier()
    rollout = t.tier.image_rollout
    assert rollout is not None
    function = t.resource(rollout.function.node.default_child)  # type: ignore[arg-type]
    properties = function["Properties"]
    assert properties["Code"]["ZipFile"] == HANDLER.read_text()
    assert properties["ReservedConcurrentExecutions"] == 1
    assert properties["DeadLetterConfig"]["TargetArn"] == t.stack.resolve(t.tier.topic.topic_arn)
    variables = properties["Environment"]["Variables"]
    assert variables["PARAMETER_NAME"] == t.pipeline.parameter_name
    preferences = json.dumps(variables["PREFERENCES"])
    for key in ('\\"AutoRollback\\":true', '\\"SkipMatching\\":true', "MinHealthyPercentage"):
        assert key in preferences
    assert t.tier.monitoring is not None
    for alarm in t.tier.monitoring.rollback_alarms:
        assert json.dumps(t.stack.resolve(alarm.alarm_name)) in preferences


def test_rules_fire_on_new_pipeline_images_and_finished_refreshes() -> None:
    t = _tier()
    t.template.has_resource_properties(
        "AWS::Events::Rule",
        {
            "EventPattern": Match.object_like(
                {
                    "source": ["aws.imagebuilder"],
                    "detail": {"state": {"status": ["AVAILABLE"]}},
                }
            )
        },
    )
    t.template.has_resource_properties(
        "AWS::Events::Rule",
        {
            "EventPattern": Match.object_like(
                {"detail-type": ["EC2 Auto Scaling Instance Refresh Succeeded"]}
            )
        },
    )


def test_rollout_handler_fits_an_inline_lambda() -> None:
    assert len(HANDLER.read_text()) <= 4096  # CloudFormation's ZipFile limit


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"schedule": "every sunday"}, "schedule 'every sunday' is not an Image Builder"),
        # A trailing newline or non-ASCII digits would reach the template.
        ({"schedule": "cron(0 4 ? * sun *)\n"}, "schedule 'cron"),
        ({"schedule": "rate(\u0663 days)"}, "schedule 'rate"),
        ({"parameter_name": "/golden/ami\n"}, "parameter_name '/golden/ami"),
        (
            {"component_arns": ["arn:aws:imagebuilder:us-east-1:aws:component/x\n"]},
            r"component_arns\[0\]",
        ),
        ({"keep_images": 1}, "keep_images"),
        ({"parameter_name": "golden ami"}, "parameter_name 'golden ami'"),
        ({"component_documents": {"my-step": "phases: []"}}, "component_documents key"),
        ({"component_documents": {"Step": "echo hi"}}, r"component_documents\['Step'\]"),
        ({"component_arns": ["update-linux"]}, r"component_arns\[0\]"),
        ({"component_arns": "arn:aws:x"}, "component_arns .* is a string"),
        ({"web_server": False}, "web_server is off"),
        ({"test_timeout": Duration.minutes(5)}, "test_timeout"),
        ({"app_port": 0}, "app_port"),
        ({"health_check_path": "health"}, "health_check_path"),
        ({"instance_type": ec2.InstanceType("x9.nope")}, "instance_type"),
        ({"root_volume_size_gib": 4}, "root_volume_size_gib"),
        ({"logs_prefix": "/abs"}, "logs_prefix"),
    ],
)
def test_bad_props_fail_naming_the_prop(props: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _pipeline(**props)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValueError, match="3 invalid props"):
        _pipeline(schedule="x", keep_images=0, app_port=0)


def test_tier_refuses_a_pipeline_image_without_instance_refresh_or_with_another_port() -> None:
    stack = new_stack()
    vpc = new_vpc(stack)
    logs = LogBuckets(stack, "Logs")
    pipeline = WebImagePipeline(
        stack, "P", vpc=vpc, instance_type=ec2.InstanceType("t3.micro"), logs_bucket=logs.logs
    )
    image = WebImage.from_image_pipeline(pipeline)
    with pytest.raises(ValueError, match="instance_refresh is None"):
        WebTier(stack, "A", vpc=vpc, image=image, rollout=Rollout(instance_refresh=None))
    with pytest.raises(ValueError, match="pipeline serving port 80"):
        WebTier(stack, "B", vpc=vpc, image=image, app_port=8080)
    with pytest.raises(ValueError, match=r"x86_64 but instance_type 't4g\.small'"):
        WebTier(stack, "C", vpc=vpc, image=image, instance_type=ec2.InstanceType("t4g.small"))


# --- the rollout handler ---------------------------------------------------------------


class _Fake:
    """Records calls; answers from ``responses`` by method name."""

    def __init__(self, **responses: Any) -> None:
        self.responses = responses
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        def call(**kwargs: Any) -> Any:
            self.calls.append((name, kwargs))
            return self.responses[name]

        return call


_ENV = {
    "AWS_REGION": "eu-west-1",
    "GROUP_NAME": "web",
    "PIPELINE_ARN": "arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/p",
    "PARAMETER_NAME": "/imagebuilder/p/ami",
    "PREFERENCES": json.dumps({"AutoRollback": True, "SkipMatching": True}),
}


def _clients(*, source_pipeline: str, running_image: str, mixed: bool = False) -> dict[str, _Fake]:
    spec = {"LaunchTemplateId": "lt-1", "Version": "4"}
    group: dict[str, Any] = (
        {"MixedInstancesPolicy": {"LaunchTemplate": {"LaunchTemplateSpecification": spec}}}
        if mixed
        else {"LaunchTemplate": spec}
    )
    return {
        "imagebuilder": _Fake(
            get_image={
                "image": {
                    "sourcePipelineArn": source_pipeline,
                    "outputResources": {
                        "amis": [
                            {"region": "us-east-1", "image": "ami-0000000000000000a"},
                            {"region": "eu-west-1", "image": "ami-0000000000000000b"},
                        ]
                    },
                }
            }
        ),
        "ssm": _Fake(get_parameter={"Parameter": {"Value": "ami-0000000000000000b"}}),
        "autoscaling": _Fake(
            describe_auto_scaling_groups={"AutoScalingGroups": [group]},
            start_instance_refresh={"InstanceRefreshId": "r-1"},
        ),
        "ec2": _Fake(
            describe_launch_template_versions={
                "LaunchTemplateVersions": [
                    {"VersionNumber": 4, "LaunchTemplateData": {"ImageId": running_image}}
                ]
            },
            create_launch_template_version={"LaunchTemplateVersion": {"VersionNumber": 5}},
        ),
    }


_IMAGE_EVENT = {
    "source": "aws.imagebuilder",
    "resources": ["arn:aws:imagebuilder:eu-west-1:111122223333:image/r/1.0.1/3"],
}
_REFRESH_EVENT = {"source": "aws.autoscaling", "resources": ["arn:asg"]}


@pytest.mark.parametrize("mixed", [False, True])
def test_handler_rolls_a_new_pipeline_image_in_with_a_numbered_version(
    monkeypatch: pytest.MonkeyPatch, mixed: bool
) -> None:
    for key, value in _ENV.items():
        monkeypatch.setenv(key, value)
    clients = _clients(
        source_pipeline=_ENV["PIPELINE_ARN"], running_image="ami-0000000000000000f", mixed=mixed
    )
    result = handler_module.handler(_IMAGE_EVENT, None, clients)
    assert result == {"image": "ami-0000000000000000b", "version": 5, "refresh": "r-1"}
    (create,) = [c for c in clients["ec2"].calls if c[0] == "create_launch_template_version"]
    assert create[1]["SourceVersion"] == "4"
    assert create[1]["LaunchTemplateData"] == {"ImageId": "ami-0000000000000000b"}
    (start,) = clients["autoscaling"].calls[1:]
    assert start[0] == "start_instance_refresh"
    assert start[1]["Preferences"] == {"AutoRollback": True, "SkipMatching": True}
    new = {"LaunchTemplateId": "lt-1", "Version": "5"}
    desired = (
        {"MixedInstancesPolicy": {"LaunchTemplate": {"LaunchTemplateSpecification": new}}}
        if mixed
        else {"LaunchTemplate": new}
    )
    assert start[1]["DesiredConfiguration"] == desired


def test_handler_leaves_images_it_did_not_build_to_cloudformation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in _ENV.items():
        monkeypatch.setenv(key, value)
    clients = _clients(source_pipeline="", running_image="ami-0000000000000000f")
    assert "skipped" in handler_module.handler(_IMAGE_EVENT, None, clients)
    assert clients["autoscaling"].calls == [] and clients["ec2"].calls == []


def test_handler_after_a_refresh_rolls_in_the_newest_image_only_when_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in _ENV.items():
        monkeypatch.setenv(key, value)
    current = _clients(source_pipeline="", running_image="ami-0000000000000000b")
    assert handler_module.handler(_REFRESH_EVENT, None, current)["refresh"] is None
    assert [c[0] for c in current["autoscaling"].calls] == ["describe_auto_scaling_groups"]
    stale = _clients(source_pipeline="", running_image="ami-0000000000000000f")
    assert handler_module.handler(_REFRESH_EVENT, None, stale)["refresh"] == "r-1"


def test_pipeline_is_connectable_through_its_build_instances_group() -> None:
    t = _tier()
    assert t.pipeline.connections.security_groups == [t.pipeline.security_group]
    t.pipeline.connections.allow_to(ec2.Peer.ipv4("10.0.0.0/16"), ec2.Port.tcp(443))


def test_make_plan_boots_golden_image_instances_without_the_package_install() -> None:
    from constructs_lib.image_checks import PACKAGE_INSTALL_SECONDS
    from constructs_lib.planner.model import CapacityModel
    from stacks.config import WebTierConfig
    from stacks.plan import boot_arguments

    golden = WebTierConfig.from_context({"imagePipeline": "true"})
    plain = WebTierConfig.from_context({})
    faster = CapacityModel.boot_seconds - PACKAGE_INSTALL_SECONDS
    assert boot_arguments(golden, ["--price", "1"]) == [
        "--boot-seconds",
        f"{faster:g}",
        "--price",
        "1",
    ]
    assert boot_arguments(plain, ["--price", "1"]) == ["--price", "1"]
    measured = ["--boot-seconds", "75"]
    assert boot_arguments(golden, measured) == measured
    # 120 s + 2 x 15 s health checks = 3 minutes; 90 s + 30 s = 2 minutes to traffic.
    model = CapacityModel(requests_per_minute=1000)
    assert model.ready_minutes(warm_pool=False) == 3
    fast = CapacityModel(requests_per_minute=1000, boot_seconds=faster)
    assert fast.ready_minutes(warm_pool=False) == 2
