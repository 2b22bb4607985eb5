"""The seed's own image: a golden AMI built, tested and rolled out by the tier.

The seed says to build an image with the software already configured, from a stopped
machine so that caches and machine-specific files stay out of it. EC2 Image Builder does
exactly that: it installs on a build instance, stops it, cleans it (SSH host keys, logs,
cloud-init state) and takes the AMI, then launches a second instance from the AMI to test it.

Written with the L1 ``aws_imagebuilder`` resources of aws-cdk-lib rather than the
``aws-cdk.aws-imagebuilder-alpha`` module: the alpha module is experimental (its API may
change in any release, without a major version bump), would be a new pinned dependency that
must move in lockstep with aws-cdk-lib, and this construct needs only a handful of
resources whose CloudFormation properties (SSM parameter distribution, lifecycle policies,
test configuration) the L1 exposes completely.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import jsii
from aws_cdk import Aws, Duration, Names, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_imagebuilder as imagebuilder
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from constructs import Construct

from constructs_lib._acknowledge import CT, acknowledge, ignore_cfn_lint, in_packs, skip_checkov
from constructs_lib._validation import (
    PropErrors,
    check_duration_seconds,
    check_http_path,
    check_port,
    is_token,
    typed_arguments,
)
from constructs_lib.auto_scaling import WebAutoScalingGroup, select_subnets
from constructs_lib.image_checks import (
    DEFAULT_SCHEDULE,
    PACKAGE_INSTALL_SECONDS,
    check_component_arns,
    check_keep_images,
    check_schedule,
)
from constructs_lib.instance_types import check_instance_type
from constructs_lib.launch_template import ROOT_DEVICE, check_root_volume_size, nginx_config
from constructs_lib.machine_image import amazon_linux_2023_parameter

_COMPONENT_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]{0,39}")
_PARAMETER = re.compile(r"/[a-zA-Z0-9_.\-/]{1,1000}")
# The tag that selects this pipeline's images for its lifecycle policy.
_IMAGE_TAG = "web-tier:image-pipeline"
_ROLLOUT_HANDLER = Path(__file__).with_name("image_rollout_handler.py")
_IMAGE_BUILDER_POLICY = "EC2InstanceProfileForImageBuilder"
_SSM_POLICY = "AmazonSSMManagedInstanceCore"
_LIFECYCLE_POLICY = "service-role/EC2ImageBuilderLifecycleExecutionPolicy"


def _iam4(policy: str) -> str:
    return f"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/{policy}]"


def _render(value: object) -> str:
    """A resolved CloudFormation value as cdk-nag writes it in a finding id."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Ref" in value:
        return f"<{value['Ref']}>"
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return "<{}.{}>".format(*value["Fn::GetAtt"])
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return str(separator).join(_render(part) for part in parts)
    raise ValueError(f"cannot render {value!r} as a cdk-nag finding id")


def _iam5(scope: Construct, resource: str) -> str:
    """cdk-nag's AwsSolutions-IAM5 finding id for the wildcard ``resource``."""
    return f"AwsSolutions-IAM5[Resource::{_render(Stack.of(scope).resolve(resource))}]"


def _version(*parts: str) -> str:
    """A semantic version that changes with the content: Image Builder components and
    recipes are immutable, so a change must come as a new version (CloudFormation creates
    it before deleting the old one)."""
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()
    return f"1.0.{int(digest[:7], 16)}"


def _bash_document(name: str, phases: Mapping[str, str]) -> str:
    """An AWSTOE component document (JSON is YAML) running one bash script per phase."""
    document = {
        "name": name,
        "schemaVersion": 1.0,
        "phases": [
            {
                "name": phase,
                "steps": [
                    {
                        "name": f"{name}{phase.capitalize()}",
                        "action": "ExecuteBash",
                        "inputs": {"commands": [script]},
                    }
                ],
            }
            for phase, script in phases.items()
        ],
    }
    return json.dumps(document, indent=1)


def web_server_document(app_port: int = 80, health_check_path: str = "/health") -> str:
    """Build component: nginx with the tier's configuration, enabled at boot (the same
    server the default user data installs at every launch)."""
    build = "\n".join(
        [
            "set -euo pipefail",
            "dnf install -y nginx",
            *nginx_config(app_port, health_check_path),
            "systemctl enable nginx",
            "dnf clean all",
        ]
    )
    return _bash_document("WebServer", {"build": build, "validate": "nginx -t"})


def health_test_document(app_port: int = 80, health_check_path: str = "/health") -> str:
    """Test component: on an instance launched from the new image, start the server and
    request the health path; the image is accepted only if it answers within a minute."""
    url = f"http://127.0.0.1:{app_port}{health_check_path}"
    test = "\n".join(
        [
            "set -uo pipefail",
            "systemctl start nginx",
            "for attempt in $(seq 1 30); do",
            f"  if curl -sf {url}; then exit 0; fi",
            "  sleep 2",
            "done",
            f'echo "{url} did not answer" >&2',
            "exit 1",
        ]
    )
    return _bash_document("HealthTest", {"test": test})


@jsii.implements(ec2.IConnectable)
class WebImagePipeline(Construct):
    """An EC2 Image Builder pipeline producing the web tier's golden AMI.

    Creates: build components (``components``: by default ``WebServer``, nginx configured
    like the default user data, then your own documents and component ARNs) and the
    ``HealthTest`` test component; an image ``recipe`` from the same Amazon Linux 2023 base
    ``WebImage`` picks for the instance type's architecture (resolved by Image Builder at
    each build, so every build starts from the newest base) with an encrypted gp3 root
    volume, hence an encrypted AMI; an ``infrastructure`` configuration whose build
    instance is hardened like the tier's (IMDSv2 required, encrypted volume, a ``role``
    with SSM and Image Builder's instance policy only, an egress-only ``security_group``,
    a private subnet, logs to ``logs_bucket``); a ``distribution`` writing each new AMI id
    to the SSM parameter ``parameter_name``; the scheduled ``pipeline``; the stack's first
    ``image`` (built during the deploy, so the first deploy waits for it; ``image_id``);
    and a ``lifecycle_policy`` that deletes all but the newest ``keep_images`` pipeline
    images with their snapshots.

    ``WebImage.from_image_pipeline(pipeline)`` makes a launch template boot ``image_id``;
    ``ImageRollout`` (created by ``WebTier`` for such an image) rolls every later image into
    the group. ``connections`` is the build instances' security group (e.g. to let them reach
    a private package mirror).
    """

    # Public spellings of the module's constants: ``schedule``'s default (a configuration
    # layer states it as its own default) and the boot time a golden image saves.
    DEFAULT_SCHEDULE = DEFAULT_SCHEDULE
    PACKAGE_INSTALL_SECONDS = PACKAGE_INSTALL_SECONDS

    @typed_arguments
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        instance_type: ec2.InstanceType,
        logs_bucket: s3.IBucket,
        app_port: int = 80,
        health_check_path: str = "/health",
        vpc_subnets: ec2.SubnetSelection | None = None,
        web_server: bool = True,
        component_documents: Mapping[str, str] | None = None,
        component_arns: Sequence[str] = (),
        schedule: str | None = DEFAULT_SCHEDULE,
        keep_images: int = 3,
        parameter_name: str | None = None,
        root_volume_size_gib: int = 8,
        volume_kms_key: kms.IKey | None = None,
        test_timeout: Duration = Duration.minutes(60),
        logs_prefix: str = "image-builder/",
    ) -> None:
        """
        :param vpc: The VPC the build and test instances run in.
        :param instance_type: Build and test instance type; its CPU architecture picks the
            base image, so give the tier's instance type.
        :param logs_bucket: Where Image Builder writes the build logs, e.g. the tier's
            ``LogBuckets.logs``.
        :param app_port: Port the server listens on. Default: 80.
        :param health_check_path: Path the test component requests. Default: ``/health``.
        :param vpc_subnets: Where the build instance runs (one subnet is used). Default: the
            first private subnet with egress (it downloads packages through the NAT).
        :param web_server: Include the ``WebServer`` build component. Default: true; turn it
            off when your own components install a server answering ``health_check_path``.
        :param component_documents: Your own AWSTOE component documents (YAML), by
            component name (letters and digits), run after ``WebServer`` in name order.
            Default: none.
        :param component_arns: Existing components to run after those, e.g. AWS's
            ``arn:aws:imagebuilder:eu-west-1:aws:component/update-linux/x.x.x``.
            Default: none.
        :param schedule: Image Builder schedule, ``cron(...)`` with six fields in UTC, or
            ``None`` for builds on demand only. Default: ``cron(0 4 ? * sun *)`` (weekly).
        :param keep_images: Pipeline images kept (the running one and the one a rollback
            returns to at least); older ones and their snapshots are deleted. Default: 3.
        :param parameter_name: SSM parameter receiving each new AMI id. Default:
            ``/imagebuilder/<unique name>/ami``.
        :param root_volume_size_gib: The image's root volume. Default: 8 GiB.
        :param volume_kms_key: Key encrypting the image's volumes. Default: the account's
            EBS key (aws/ebs); a customer managed key must allow the Auto Scaling
            service-linked role to use it.
        :param test_timeout: How long the image tests may run, 60-1440 minutes.
            Default: 60 minutes.
        :param logs_prefix: Key prefix of the build logs in ``logs_bucket``.
            Default: ``image-builder/``.
        """
        super().__init__(scope, construct_id)
        errors = PropErrors("WebImagePipeline")
        check_instance_type(errors, "instance_type", instance_type)
        # CDK derives the architecture from the name; only ask once the name is known good.
        type_ok = not errors.problems
        check_port(errors, "app_port", app_port)
        check_http_path(errors, "health_check_path", health_check_path)
        documents = dict(component_documents or {})
        for name, document in documents.items():
            errors.check(
                bool(_COMPONENT_NAME.fullmatch(name)),
                f"component_documents key {name!r} is not a component name (a letter, then "
                "up to 39 letters or digits), e.g. 'Monitoring'",
            )
            errors.check(
                isinstance(document, str) and "phases" in document,
                f"component_documents[{name!r}] is not an AWSTOE document (no 'phases'); "
                "give the YAML text with schemaVersion and phases",
            )
        check_component_arns(errors, "component_arns", component_arns)
        if not web_server and not documents and not component_arns:
            errors.add(
                "web_server is off and no component_documents or component_arns install "
                "anything; the image would be the bare base image"
            )
        check_schedule(errors, "schedule", schedule)
        check_keep_images(errors, "keep_images", keep_images)
        if parameter_name is not None:
            errors.check(
                is_token(parameter_name) or bool(_PARAMETER.fullmatch(parameter_name)),
                f"parameter_name {parameter_name!r} is not a full SSM parameter name, "
                "e.g. '/golden/web/ami'",
            )
        check_root_volume_size(errors, "root_volume_size_gib", root_volume_size_gib)
        check_duration_seconds(errors, "test_timeout", test_timeout, low=3600, high=86400)
        errors.check(
            bool(logs_prefix) and not logs_prefix.startswith("/"),
            f"logs_prefix {logs_prefix!r} must be a key prefix like 'image-builder/'",
        )
        errors.raise_if_any()

        self.architecture = (
            instance_type.architecture if type_ok else ec2.InstanceArchitecture.X86_64
        )
        base = Names.unique_resource_name(self, max_length=60, separator="-").lower()
        self.parameter_name = parameter_name or f"/imagebuilder/{base}/ami"
        self.app_port = app_port
        self.health_check_path = health_check_path
        tags = {_IMAGE_TAG: base}

        # Build instance: the tier's hardening, and only what Image Builder needs.
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"),
            description="Image Builder build and test instances of the web tier's image",
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(_SSM_POLICY),
                iam.ManagedPolicy.from_aws_managed_policy_name(_IMAGE_BUILDER_POLICY),
            ],
        )
        # A managed policy, not the role's inline default policy (NIST/HIPAA/PCI
        # IAMNoInlinePolicy): build logs may be written under the prefix and nowhere else.
        policy = iam.ManagedPolicy(
            self,
            "Policy",
            description="Image Builder instances: write build logs under one prefix",
            roles=[self.role],
            statements=[
                iam.PolicyStatement(
                    actions=["s3:PutObject"],
                    resources=[logs_bucket.arn_for_objects(f"{logs_prefix}*")],
                )
            ],
        )
        acknowledge(
            policy,
            {
                _iam5(
                    self, logs_bucket.arn_for_objects(f"{logs_prefix}*")
                ): "Build logs have generated "
                "keys under one prefix of the log bucket; the role writes there and nowhere "
                "else.",
            },
        )
        acknowledge(
            self.role,
            {
                _iam4(_SSM_POLICY): "Image Builder drives the build instance through Systems "
                "Manager; AmazonSSMManagedInstanceCore is AWS's maintained minimum for it.",
                _iam4(_IMAGE_BUILDER_POLICY): "AWS's maintained minimum for an Image Builder "
                "instance (fetch components, report status); a copy would drift from it.",
            },
        )
        self.instance_profile = iam.InstanceProfile(self, "InstanceProfile", role=self.role)
        self.security_group = ec2.SecurityGroup(
            self,
            "SecurityGroup",
            vpc=vpc,
            description="Image Builder build instance: no inbound, outbound for packages/SSM",
            allow_all_outbound=True,
        )
        self._connections = self.security_group.connections
        subnets = select_subnets(
            vpc,
            vpc_subnets or ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
        )
        self.infrastructure = imagebuilder.CfnInfrastructureConfiguration(
            self,
            "Infrastructure",
            name=f"{base}-infrastructure",
            description="Web tier image builds: private subnet, IMDSv2, logs to S3",
            instance_profile_name=self.instance_profile.instance_profile_name,
            instance_types=[instance_type.to_string()],
            subnet_id=subnets[0].subnet_id,
            security_group_ids=[self.security_group.security_group_id],
            terminate_instance_on_failure=True,
            instance_metadata_options=imagebuilder.CfnInfrastructureConfiguration.InstanceMetadataOptionsProperty(
                http_tokens="required", http_put_response_hop_limit=2
            ),
            logging=imagebuilder.CfnInfrastructureConfiguration.LoggingProperty(
                s3_logs=imagebuilder.CfnInfrastructureConfiguration.S3LogsProperty(
                    s3_bucket_name=logs_bucket.bucket_name, s3_key_prefix=logs_prefix
                )
            ),
            resource_tags=tags,
        )

        # Components: immutable, so each content gets its own version.
        component_specs: list[tuple[str, str]] = []
        if web_server:
            component_specs.append(("WebServer", web_server_document(app_port, health_check_path)))
        component_specs.extend(sorted(documents.items()))
        component_specs.append(("HealthTest", health_test_document(app_port, health_check_path)))
        self.components: dict[str, imagebuilder.CfnComponent] = {}
        for name, document in component_specs:
            self.components[name] = imagebuilder.CfnComponent(
                self,
                name,
                name=f"{base}-{name.lower()}",
                platform="Linux",
                version=_version(document),
                data=document,
                description=f"Web tier image: {name}",
            )
        ordered = [self.components[name] for name, _ in component_specs if name != "HealthTest"]
        component_refs = [c.attr_arn for c in ordered] + list(component_arns)
        component_refs.append(self.components["HealthTest"].attr_arn)

        base_image = f"ssm:{amazon_linux_2023_parameter(self.architecture)}"
        recipe_name = f"{base}-recipe"
        self.recipe_name = recipe_name
        self.recipe = imagebuilder.CfnImageRecipe(
            self,
            "Recipe",
            name=recipe_name,
            version=_version(
                base_image,
                *(document for _, document in component_specs),
                *(str(arn) for arn in component_arns),
                str(root_volume_size_gib),
                str(volume_kms_key is not None),
            ),
            parent_image=base_image,
            components=[
                imagebuilder.CfnImageRecipe.ComponentConfigurationProperty(component_arn=ref)
                for ref in component_refs
            ],
            block_device_mappings=[
                imagebuilder.CfnImageRecipe.InstanceBlockDeviceMappingProperty(
                    device_name=ROOT_DEVICE,
                    ebs=imagebuilder.CfnImageRecipe.EbsInstanceBlockDeviceSpecificationProperty(
                        encrypted=True,
                        kms_key_id=volume_kms_key.key_arn if volume_kms_key else None,
                        volume_size=root_volume_size_gib,
                        volume_type="gp3",
                        delete_on_termination=True,
                    ),
                )
            ],
            description="Web tier golden image: Amazon Linux 2023 with the web server",
        )
        self.distribution = imagebuilder.CfnDistributionConfiguration(
            self,
            "Distribution",
            name=f"{base}-distribution",
            description="Web tier image: this region, AMI id to an SSM parameter",
            distributions=[
                imagebuilder.CfnDistributionConfiguration.DistributionProperty(
                    region=Aws.REGION,
                    # A plain dict: the L1 types this property as JSON and would not
                    # capitalise the keys of its property class.
                    ami_distribution_configuration={
                        "Name": f"{base}-{{{{ imagebuilder:buildDate }}}}",
                        "Description": "Web tier golden image",
                        "AmiTags": tags,
                    },
                    ssm_parameter_configurations=[
                        imagebuilder.CfnDistributionConfiguration.SsmParameterConfigurationProperty(
                            parameter_name=self.parameter_name, data_type="aws:ec2:image"
                        )
                    ],
                )
            ],
        )
        tests = imagebuilder.CfnImagePipeline.ImageTestsConfigurationProperty(
            image_tests_enabled=True, timeout_minutes=int(test_timeout.to_minutes())
        )
        self.pipeline = imagebuilder.CfnImagePipeline(
            self,
            "Pipeline",
            name=f"{base}-pipeline",
            description="Web tier golden image: build, test, distribute",
            image_recipe_arn=self.recipe.attr_arn,
            infrastructure_configuration_arn=self.infrastructure.attr_arn,
            distribution_configuration_arn=self.distribution.attr_arn,
            image_tests_configuration=tests,
            enhanced_image_metadata_enabled=True,
            schedule=imagebuilder.CfnImagePipeline.ScheduleProperty(
                schedule_expression=schedule,
                pipeline_execution_start_condition="EXPRESSION_MATCH_ONLY",
            )
            if schedule is not None
            else None,
            status="ENABLED",
            image_tags=tags,
        )
        # The stack's own first image: CloudFormation waits for it (build, test, distribute,
        # so the parameter exists too) before anything that boots it.
        self.image = imagebuilder.CfnImage(
            self,
            "Image",
            image_recipe_arn=self.recipe.attr_arn,
            infrastructure_configuration_arn=self.infrastructure.attr_arn,
            distribution_configuration_arn=self.distribution.attr_arn,
            image_tests_configuration=imagebuilder.CfnImage.ImageTestsConfigurationProperty(
                image_tests_enabled=True, timeout_minutes=int(test_timeout.to_minutes())
            ),
            enhanced_image_metadata_enabled=True,
        )
        self.image_id = self.image.attr_image_id

        lifecycle_role = iam.Role(
            self,
            "LifecycleRole",
            assumed_by=iam.ServicePrincipal("imagebuilder.amazonaws.com"),
            description="Image Builder lifecycle policy of the web tier's images",
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(_LIFECYCLE_POLICY)],
        )
        acknowledge(
            lifecycle_role,
            {
                _iam4(_LIFECYCLE_POLICY): "AWS's maintained policy for Image Builder "
                "lifecycle actions; it only acts on resources a lifecycle policy selects.",
            },
        )
        self.lifecycle_policy = imagebuilder.CfnLifecyclePolicy(
            self,
            "Lifecycle",
            name=f"{base}-lifecycle",
            description=f"Keep the newest {keep_images} web tier images, delete older ones",
            execution_role=lifecycle_role.role_arn,
            resource_type="AMI_IMAGE",
            policy_details=[
                imagebuilder.CfnLifecyclePolicy.PolicyDetailProperty(
                    action=imagebuilder.CfnLifecyclePolicy.ActionProperty(
                        type="DELETE",
                        include_resources=imagebuilder.CfnLifecyclePolicy.IncludeResourcesProperty(
                            amis=True, snapshots=True
                        ),
                    ),
                    filter=imagebuilder.CfnLifecyclePolicy.FilterProperty(
                        type="COUNT", value=keep_images
                    ),
                )
            ],
            # Pipeline images only: the stack's first image (untagged) stays as long as the
            # launch template names it.
            resource_selection=imagebuilder.CfnLifecyclePolicy.ResourceSelectionProperty(
                tag_map=tags
            ),
            status="ENABLED",
        )

    @property
    def connections(self) -> ec2.Connections:
        """The build and test instances' security group (egress only by default)."""
        return self._connections


class ImageRollout(Construct):
    """Rolls each new pipeline image into an Auto Scaling group, with its rollback alarms.

    An EventBridge ``rule`` on Image Builder's "image AVAILABLE" events and a second one on
    the group's successful instance refreshes invoke ``function`` (see
    ``image_rollout_handler.py``). It writes a numbered launch template version with the
    new AMI id and starts an instance refresh to it with the group's ``InstanceRefresh``
    settings, auto rollback and the group's rollback alarms (read when this construct is
    created, so create it after the alarms). A launch template resolving ``resolve:ssm:``
    at launch would never change version (skip-matching refreshes would replace nothing)
    and Auto Scaling cannot roll it back, hence the numbered versions. Failed invocations
    go to ``failure_topic``.
    """

    @typed_arguments
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        pipeline: WebImagePipeline,
        auto_scaling: WebAutoScalingGroup,
        launch_template: ec2.LaunchTemplate,
        launch_role: iam.IRole | None,
        failure_topic: sns.ITopic,
    ) -> None:
        """
        :param pipeline: The pipeline whose images to roll out.
        :param auto_scaling: The group to refresh; it needs ``instance_refresh``.
        :param launch_template: The group's launch template; new versions are written to it.
        :param launch_role: The instances' role (passed to EC2 by the new launch template
            version). Default: none.
        :param failure_topic: Receives the events whose rollout failed (dead-letter topic).
        """
        super().__init__(scope, construct_id)
        errors = PropErrors("ImageRollout")
        refresh = auto_scaling.instance_refresh
        if refresh is None:
            errors.add(
                "auto_scaling has no instance_refresh; a new image reaches the fleet only "
                "through one (keep the default InstanceRefresh())"
            )
        errors.raise_if_any()
        assert refresh is not None
        stack = Stack.of(self)
        group = auto_scaling.auto_scaling_group
        preferences: dict[str, object] = {
            "MinHealthyPercentage": refresh.min_healthy_percentage,
            "MaxHealthyPercentage": refresh.max_healthy_percentage,
            "SkipMatching": True,
            "AutoRollback": True,
            "AlarmSpecification": {"Alarms": [a.alarm_name for a in auto_scaling.rollback_alarms]},
        }
        if refresh.instance_warmup is not None:
            preferences["InstanceWarmup"] = int(refresh.instance_warmup.to_seconds())
        if refresh.checkpoint_percentages:
            preferences["CheckpointPercentages"] = list(refresh.checkpoint_percentages)
            preferences["CheckpointDelay"] = int(
                (refresh.checkpoint_delay or Duration.hours(1)).to_seconds()
            )
        if refresh.bake_time is not None:
            preferences["BakeTime"] = int(refresh.bake_time.to_seconds())

        self.log_group = logs.LogGroup(self, "Logs", retention=logs.RetentionDays.ONE_YEAR)
        log_reason = (
            "The rollout log holds AMI ids, launch template versions and refresh ids, "
            "nothing confidential; CloudWatch Logs encrypts it at rest with its own keys."
        )
        acknowledge(
            self.log_group,
            {
                **in_packs("CloudWatchLogGroupEncrypted", log_reason),
                f"{CT}::cloudwatch_log_group_encrypted_check": log_reason,
            },
        )
        skip_checkov(self.log_group, {"CKV_AWS_158": log_reason})
        role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Rolls new golden images into the web tier's Auto Scaling group",
        )
        partition, region, account = Aws.PARTITION, Aws.REGION, Aws.ACCOUNT_ID
        template_id = launch_template.launch_template_id or ""
        template_arn = stack.format_arn(
            service="ec2", resource="launch-template", resource_name=template_id
        )
        images = f"arn:{partition}:imagebuilder:{region}:{account}:image/{pipeline.recipe_name}/*"
        # The group's ARN holds a generated id; its name is what a policy can pin.
        group_arn = (
            f"arn:{partition}:autoscaling:{region}:{account}:autoScalingGroup:*:"
            f"autoScalingGroupName/{group.auto_scaling_group_name}"
        )
        statements = [
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[self.log_group.log_group_arn],
            ),
            iam.PolicyStatement(actions=["imagebuilder:GetImage"], resources=[images]),
            iam.PolicyStatement(
                actions=["ssm:GetParameter"],
                resources=[
                    stack.format_arn(
                        service="ssm",
                        resource="parameter",
                        resource_name=pipeline.parameter_name.lstrip("/"),
                    )
                ],
            ),
            iam.PolicyStatement(
                actions=["ec2:CreateLaunchTemplateVersion"], resources=[template_arn]
            ),
            iam.PolicyStatement(
                actions=["autoscaling:StartInstanceRefresh"], resources=[group_arn]
            ),
            # Auto Scaling checks that whoever points the group at a launch template version
            # may launch it: RunInstances through this template only.
            iam.PolicyStatement(
                actions=["ec2:RunInstances"],
                resources=["*"],
                conditions={"ArnLike": {"ec2:LaunchTemplate": template_arn}},
            ),
            iam.PolicyStatement(
                actions=[
                    "autoscaling:DescribeAutoScalingGroups",
                    "ec2:DescribeLaunchTemplateVersions",
                ],
                resources=["*"],
            ),
        ]
        # Dead-letter topic, in this policy rather than the role's inline one (the L2's
        # dead_letter_topic would grant there): publish, and use the topic's key if any.
        statements.append(
            iam.PolicyStatement(actions=["sns:Publish"], resources=[failure_topic.topic_arn])
        )
        if failure_topic.master_key is not None:
            statements.append(
                iam.PolicyStatement(
                    actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                    resources=[failure_topic.master_key.key_arn],
                )
            )
        if launch_role is not None:
            statements.append(
                iam.PolicyStatement(
                    actions=["iam:PassRole"],
                    resources=[launch_role.role_arn],
                    conditions={"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
                )
            )
        policy = iam.ManagedPolicy(
            self,
            "Policy",
            description="Roll golden images into one Auto Scaling group",
            roles=[role],
            statements=statements,
        )
        if failure_topic.master_key is not None:
            acknowledge(
                policy,
                {
                    "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]": "The data-key variants "
                    "SNS asks for when publishing to an encrypted topic, on its key only.",
                },
            )
        acknowledge(
            policy,
            {
                _iam5(self, self.log_group.log_group_arn): "A log group's ARN ends in ':*' "
                "(its streams); the statement names this function's log group only.",
                _iam5(self, images): "Image build versions of this pipeline's recipe only; "
                "their ARNs end in a version and build number the policy cannot know.",
                _iam5(self, group_arn): "The Auto Scaling group's ARN holds an id generated "
                "at creation; the statement pins the group by name.",
                "AwsSolutions-IAM5[Resource::*]": "DescribeAutoScalingGroups and "
                "DescribeLaunchTemplateVersions have no resource-level permissions; "
                "RunInstances is limited to this launch template by the ec2:LaunchTemplate "
                "condition (its instance, volume and network resources have no ARN known "
                "in advance).",
            },
        )
        self.role = role

        self.function = lambda_.Function(
            self,
            "Function",
            runtime=lambda_.Runtime.PYTHON_3_14,
            handler="index.handler",
            code=lambda_.Code.from_inline(_ROLLOUT_HANDLER.read_text()),
            role=role,
            timeout=Duration.seconds(60),
            # One rollout at a time; a second one while a refresh runs fails and retries.
            reserved_concurrent_executions=1,
            log_group=self.log_group,
            description="Rolls new golden images into the web tier's Auto Scaling group",
            environment={
                "GROUP_NAME": group.auto_scaling_group_name,
                "PIPELINE_ARN": pipeline.pipeline.attr_arn,
                "PARAMETER_NAME": pipeline.parameter_name,
                "PREFERENCES": stack.to_json_string(preferences),
            },
        )
        self.function.node.add_dependency(policy)
        cfn_function = self.function.node.default_child
        assert isinstance(cfn_function, lambda_.CfnFunction)
        cfn_function.dead_letter_config = lambda_.CfnFunction.DeadLetterConfigProperty(
            target_arn=failure_topic.topic_arn
        )
        outside_vpc = (
            "The function only calls AWS APIs (Image Builder, SSM, EC2, Auto Scaling) and "
            "serves no network clients; inside the VPC it would reach them through the NAT "
            "gateway anyway and gain no isolation."
        )
        acknowledge(
            self.function,
            {
                **in_packs("LambdaInsideVPC", outside_vpc),
                f"{CT}::lambda_inside_vpc_check": outside_vpc,
            },
        )
        skip_checkov(
            self.function,
            {
                "CKV_AWS_117": outside_vpc,
                "CKV_AWS_173": "The environment holds names and ARNs (group, pipeline, "
                "parameter, alarms), no secrets; Lambda encrypts it at rest with its AWS "
                "managed key.",
            },
        )
        ignore_cfn_lint(
            self.function,
            {
                "W3005": "The Lambda L2 states DependsOn on the role it also reads with "
                "GetAtt (so the role's policies exist first); the duplicate is harmless.",
            },
        )
        self.rule = events.Rule(
            self,
            "ImageAvailable",
            description="A new web tier image is available: roll it into the group",
            event_pattern=events.EventPattern(
                source=["aws.imagebuilder"],
                detail_type=["EC2 Image Builder Image State Change"],
                detail={"state": {"status": ["AVAILABLE"]}},
                resources=events.Match.prefix(
                    f"arn:{partition}:imagebuilder:{region}:{account}:image/{pipeline.recipe_name}/"
                ),
            ),
            targets=[targets.LambdaFunction(self.function, retry_attempts=4)],
        )
        self.refresh_rule = events.Rule(
            self,
            "RefreshSucceeded",
            description="An instance refresh finished: make sure the group runs the newest image",
            event_pattern=events.EventPattern(
                source=["aws.autoscaling"],
                detail_type=["EC2 Auto Scaling Instance Refresh Succeeded"],
                detail={"AutoScalingGroupName": [group.auto_scaling_group_name]},
            ),
            targets=[targets.LambdaFunction(self.function, retry_attempts=4)],
        )
