"""The seed's "models": the hardware template the Auto Scaling Group launches from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import jsii
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from constructs_lib._acknowledge import CT, acknowledge
from constructs_lib._validation import (
    PropErrors,
    check_http_path,
    check_int_range,
    check_port,
    is_token,
    number_problem,
    parent_checked,
    typed_arguments,
    typed_fields,
)
from constructs_lib.instance_types import check_instance_type
from constructs_lib.machine_image import WebImage, architecture_name

ROOT_DEVICE = "/dev/xvda"
# cdk-nag reports managed policies one by one; each needs its own acknowledgement.
_SSM_POLICY_FINDING = (
    "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]"
)
# EBS limits (gp3 / gp2 / io1 / io2) checked here because CloudFormation only fails on deploy.
MIN_ROOT_VOLUME_GIB = 8  # Amazon Linux 2023's image
_MAX_VOLUME_GIB = 16384
_GP3_IOPS = (3000, 80000)
_GP3_THROUGHPUT = (125, 2000)
_IO_IOPS = (100, 256000)
_GP3_IOPS_PER_GIB = 500
_IO_IOPS_PER_GIB = {"io1": 50, "io2": 1000}
_SUPPORTED_VOLUME_TYPES = {
    ec2.EbsDeviceVolumeType.GP3: "gp3",
    ec2.EbsDeviceVolumeType.GP2: "gp2",
    ec2.EbsDeviceVolumeType.IO1: "io1",
    ec2.EbsDeviceVolumeType.IO2: "io2",
}


def check_root_volume_size(errors: PropErrors, arg: str, value: int) -> None:
    """A root volume the image boots from: 8 GiB (Amazon Linux 2023) to 16 TiB."""
    check_int_range(
        errors,
        arg,
        value,
        low=MIN_ROOT_VOLUME_GIB,
        high=_MAX_VOLUME_GIB,
        hint=f" (Amazon Linux 2023 needs at least {MIN_ROOT_VOLUME_GIB})",
    )


def _check_volume_ratios(
    errors: PropErrors,
    volume: str | None,
    size: int,
    iops: int | None,
    throughput: int | None,
) -> None:
    """The per-volume ratios EBS enforces only at launch (docs.aws.amazon.com/ebs/latest/
    userguide/ebs-volume-types.html): gp3 at most 500 IOPS per GiB (3000 are always allowed)
    and 0.25 MiB/s of throughput per IOPS; io1 50 and io2 1000 IOPS per GiB."""
    values = (size, iops, throughput)
    if any(is_token(v) or (v is not None and number_problem(v)) for v in values):
        return
    if volume == "gp3":
        effective = iops if iops is not None else _GP3_IOPS[0]
        if iops is not None and iops > max(_GP3_IOPS[0], _GP3_IOPS_PER_GIB * size):
            errors.add(
                f"root_volume_iops {iops} is more than gp3 gives a {size} GiB volume "
                f"({_GP3_IOPS_PER_GIB} IOPS per GiB); lower it or grow root_volume_size_gib "
                f"to at least {-(-iops // _GP3_IOPS_PER_GIB)}"
            )
        if throughput is not None and throughput * 4 > effective:
            errors.add(
                f"root_volume_throughput_mibps {throughput} needs at least {throughput * 4} "
                f"IOPS (gp3 allows 0.25 MiB/s per IOPS) but the volume has {effective}; "
                f"raise root_volume_iops or lower the throughput to {effective // 4}"
            )
    elif volume in _IO_IOPS_PER_GIB and iops is not None:
        ratio = _IO_IOPS_PER_GIB[volume]
        if iops > ratio * size:
            errors.add(
                f"root_volume_iops {iops} is more than {volume} gives a {size} GiB volume "
                f"({ratio} IOPS per GiB); lower it or grow root_volume_size_gib to at least "
                f"{-(-iops // ratio)}"
            )


def nginx_config(app_port: int = 80, health_check_path: str = "/health") -> list[str]:
    """Shell lines writing nginx.conf: the page on ``app_port`` and ``health_check_path``.

    One owner for the server's configuration: the boot script writes it on a plain Amazon
    Linux instance and the golden image's build component (``WebImagePipeline``) bakes it in.
    """
    return [
        "cat > /etc/nginx/nginx.conf <<'EOF'",
        "user nginx;",
        "worker_processes auto;",
        "error_log /var/log/nginx/error.log;",
        "pid /run/nginx.pid;",
        "events { worker_connections 1024; }",
        "http {",
        "  include /etc/nginx/mime.types;",
        "  access_log /var/log/nginx/access.log;",
        "  server_tokens off;",
        "  server {",
        f"    listen {app_port} default_server;",
        "    root /usr/share/nginx/html;",
        f"    location = {health_check_path} {{",
        "      access_log off;",
        "      default_type text/plain;",
        '      return 200 "ok\\n";',
        "    }",
        "    location / { index index.html; }",
        "  }",
        "}",
        "EOF",
    ]


def _page_commands() -> list[str]:
    """The page names the instance and its Availability Zone (read with an IMDSv2 token)."""
    return [
        'TOKEN=$(curl -sf -X PUT "http://169.254.169.254/latest/api/token" '
        '-H "X-aws-ec2-metadata-token-ttl-seconds: 300")',
        'meta() { curl -sf -H "X-aws-ec2-metadata-token: $TOKEN" '
        '"http://169.254.169.254/latest/meta-data/$1"; }',
        "INSTANCE_ID=$(meta instance-id)",
        "AZ=$(meta placement/availability-zone)",
        "cat > /usr/share/nginx/html/index.html <<EOF",
        "<!doctype html><html><head><title>EC2 web tier</title></head><body>",
        "<h1>Hello from $INSTANCE_ID</h1><p>Availability Zone: $AZ</p>",
        "</body></html>",
        "EOF",
    ]


def default_user_data(app_port: int = 80, health_check_path: str = "/health") -> ec2.UserData:
    """Boot script for Amazon Linux 2023: nginx serving a page and a health endpoint.

    The page names the instance and its Availability Zone, so reloading the site shows the
    load balancer spreading requests over the group.
    """
    user_data = ec2.UserData.for_linux()
    user_data.add_commands(
        "set -euo pipefail",
        "dnf install -y nginx",
        *_page_commands(),
        *nginx_config(app_port, health_check_path),
        "systemctl enable --now nginx",
    )
    return user_data


def golden_image_user_data() -> ec2.UserData:
    """Boot script for an image from ``WebImagePipeline``: nginx and its configuration are
    baked in, so the boot only writes the per-instance page and starts the service (no
    package download in the scaling path)."""
    user_data = ec2.UserData.for_linux()
    user_data.add_commands("set -euo pipefail", *_page_commands(), "systemctl start nginx")
    return user_data


@dataclass(frozen=True)
@typed_fields
class InstanceOptions:
    """How each instance boots and what it carries, for ``WebTier(instance_options=...)``
    and ``WebLaunchTemplate(instance_options=...)``.

    :param user_data: Boot script. Default: install nginx, serve a page on the app port and
        the health path; for ``WebImage.from_image_pipeline`` only write the page and start
        the baked-in nginx.
    :param key_pair: An EC2 key pair for SSH. Default: none (use Session Manager).
    :param root_volume_size_gib: Root volume size. Default: 8 GiB.
    :param root_volume_type: gp3, gp2, io1 or io2. Default: gp3. Always encrypted.
    :param root_volume_iops: Provisioned IOPS (gp3, io1, io2). Default: the volume type's
        baseline (3000 for gp3).
    :param root_volume_throughput_mibps: gp3 throughput. Default: 125 MiB/s.
    :param root_volume_kms_key: Customer managed key for the volume. Default: the account's
        EBS default key (aws/ebs).
    :param root_device_name: The image's root device. Default: ``/dev/xvda`` (Amazon Linux).
    :param detailed_monitoring: One-minute EC2 metrics, so that target tracking acts on
        one-minute data. Default: on (Control Tower CT.EC2.PR.10); off gives five-minute
        metrics at no charge.
    :param metadata_hop_limit: IMDSv2 token hop limit, 1-64. Default: 1, tokens never leave
        the instance (CT.EC2.PR.2); give 2 only when containers on the instance need
        instance metadata.
    :param role: Instance role. Default: a new role with ``AmazonSSMManagedInstanceCore``.
    """

    user_data: ec2.UserData | None = None
    key_pair: ec2.IKeyPair | None = None
    root_volume_size_gib: int = 8
    root_volume_type: ec2.EbsDeviceVolumeType = ec2.EbsDeviceVolumeType.GP3
    root_volume_iops: int | None = None
    root_volume_throughput_mibps: int | None = None
    root_volume_kms_key: kms.IKey | None = None
    root_device_name: str = ROOT_DEVICE
    detailed_monitoring: bool = True
    metadata_hop_limit: int = 1
    role: iam.IRole | None = None

    def check(self, errors: PropErrors) -> None:
        """The root volume (type, size, IOPS and throughput and their ratios), the device
        name and the hop limit."""
        volume_name = _SUPPORTED_VOLUME_TYPES.get(self.root_volume_type)
        if volume_name is None:
            errors.add(
                f"root_volume_type {self.root_volume_type!r} is not supported for a root volume; "
                "use GP3 (default), GP2, IO1 or IO2"
            )
        check_root_volume_size(errors, "root_volume_size_gib", self.root_volume_size_gib)
        if self.root_volume_iops is not None:
            if volume_name == "gp3":
                check_int_range(
                    errors,
                    "root_volume_iops",
                    self.root_volume_iops,
                    low=_GP3_IOPS[0],
                    high=_GP3_IOPS[1],
                    hint=" for gp3",
                )
            elif volume_name in ("io1", "io2"):
                check_int_range(
                    errors,
                    "root_volume_iops",
                    self.root_volume_iops,
                    low=_IO_IOPS[0],
                    high=_IO_IOPS[1],
                    hint=f" for {volume_name}",
                )
            else:
                errors.add(
                    f"root_volume_iops {self.root_volume_iops!r} cannot be set on {volume_name} "
                    "volumes; omit it or use gp3/io1/io2"
                )
        elif volume_name in ("io1", "io2"):
            errors.add(f"root_volume_iops is required for {volume_name} volumes, e.g. 3000")
        if self.root_volume_throughput_mibps is not None:
            if volume_name == "gp3":
                check_int_range(
                    errors,
                    "root_volume_throughput_mibps",
                    self.root_volume_throughput_mibps,
                    low=_GP3_THROUGHPUT[0],
                    high=_GP3_THROUGHPUT[1],
                    hint=" for gp3",
                )
            else:
                errors.add(
                    f"root_volume_throughput_mibps {self.root_volume_throughput_mibps!r} applies "
                    f"to gp3 only, not {volume_name}; omit it"
                )
        _check_volume_ratios(
            errors,
            volume_name,
            self.root_volume_size_gib,
            self.root_volume_iops,
            self.root_volume_throughput_mibps,
        )
        check_int_range(errors, "metadata_hop_limit", self.metadata_hop_limit, low=1, high=64)
        if not self.root_device_name.startswith("/dev/"):
            errors.add(
                f"root_device_name {self.root_device_name!r} is not a device name, e.g. '/dev/xvda'"
            )


DEFAULT_INSTANCES = InstanceOptions()


@jsii.implements(ec2.IConnectable)
class WebLaunchTemplate(Construct):
    """A launch template for the web instances, secure by default.

    Creates ``launch_template`` with: the instance type and image (their CPU architectures
    must match), an encrypted root volume (gp3 by default), IMDSv2 required, an instance
    ``role`` that allows SSM Session Manager, the given security groups, and ``user_data``
    (by default nginx serving a page and ``/health``). Exposes ``connections``.
    """

    @typed_arguments
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        instance_type: ec2.InstanceType,
        security_groups: Sequence[ec2.ISecurityGroup],
        image: WebImage | None = None,
        app_port: int = 80,
        health_check_path: str = "/health",
        instance_options: InstanceOptions = DEFAULT_INSTANCES,
    ) -> None:
        """
        :param instance_type: The hardware, e.g. ``ec2.InstanceType("t3.micro")``.
        :param security_groups: Groups the instances wear (at least one), e.g.
            ``WebSecurityGroups.instance_groups``.
        :param image: The AMI. Default: latest Amazon Linux 2023 for the instance type's
            architecture, resolved at deploy time from the public SSM parameter.
        :param app_port: Port of the default user data's nginx. Default: 80.
        :param health_check_path: Health path of the default user data. Default: ``/health``.
        :param instance_options: Boot script, key pair, root volume, monitoring, metadata hop limit
            and role (``InstanceOptions``). Default: ``InstanceOptions()``, nginx, no key
            pair, an encrypted 8 GiB gp3 volume, detailed monitoring, hop limit 1, a new role
            for Session Manager.
        """
        super().__init__(scope, construct_id)
        errors = PropErrors("WebLaunchTemplate")
        image = image or WebImage.amazon_linux_2023()
        if not parent_checked():  # a parent (WebTier) ran this check already
            self.check(
                errors,
                instance_type=instance_type,
                security_groups=security_groups,
                image=image,
                app_port=app_port,
                health_check_path=health_check_path,
                instance_options=instance_options,
            )
        errors.raise_if_any()
        # CDK derives the architecture from the name; the check made sure it is known good.
        instance_arch = instance_type.architecture
        user_data, key_pair, role = (
            instance_options.user_data,
            instance_options.key_pair,
            instance_options.role,
        )
        root_volume_size_gib = instance_options.root_volume_size_gib
        root_volume_type = instance_options.root_volume_type
        root_volume_iops = instance_options.root_volume_iops
        root_volume_throughput_mibps = instance_options.root_volume_throughput_mibps
        root_volume_kms_key = instance_options.root_volume_kms_key
        root_device_name = instance_options.root_device_name
        detailed_monitoring = instance_options.detailed_monitoring
        metadata_hop_limit = instance_options.metadata_hop_limit

        if role is None:
            new_role = iam.Role(
                self,
                "Role",
                assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"),
                description="Web instances: SSM Session Manager access",
                managed_policies=[
                    iam.ManagedPolicy.from_aws_managed_policy_name("AmazonSSMManagedInstanceCore")
                ],
            )
            acknowledge(
                new_role,
                {
                    _SSM_POLICY_FINDING: "AmazonSSMManagedInstanceCore is the AWS-maintained "
                    "minimum for Session Manager; a copy would drift from AWS's updates.",
                },
            )
            role = new_role
        self.role = role
        if user_data is None:
            # A golden image has the server baked in: the boot only starts it.
            user_data = (
                golden_image_user_data()
                if image.pipeline is not None
                else default_user_data(app_port, health_check_path)
            )
        self.user_data = user_data
        self.image = image

        self.launch_template = ec2.LaunchTemplate(
            self,
            "LaunchTemplate",
            instance_type=instance_type,
            machine_image=image.for_architecture(instance_arch),
            security_group=security_groups[0],
            role=role,
            user_data=self.user_data,
            key_pair=key_pair,
            require_imdsv2=True,
            http_tokens=ec2.LaunchTemplateHttpTokens.REQUIRED,
            http_put_response_hop_limit=metadata_hop_limit,
            detailed_monitoring=detailed_monitoring,
            block_devices=[
                ec2.BlockDevice(
                    device_name=root_device_name,
                    volume=ec2.BlockDeviceVolume.ebs(
                        root_volume_size_gib,
                        volume_type=root_volume_type,
                        iops=root_volume_iops,
                        throughput=root_volume_throughput_mibps,
                        encrypted=True,
                        kms_key=root_volume_kms_key,
                        delete_on_termination=True,
                    ),
                )
            ],
        )
        if not detailed_monitoring:
            acknowledge(
                self.launch_template,
                {
                    f"{CT}::ec2_launch_template_monitoring_enabled_check": "The caller turned "
                    "detailed monitoring off (detailed_monitoring=False) to save its charge; "
                    "target tracking then acts on five-minute metrics. The default keeps it on.",
                },
            )
        if metadata_hop_limit != 1:
            acknowledge(
                self.launch_template,
                {
                    f"{CT}::ec2_launch_template_token_hop_limit_check": "The caller raised "
                    f"the IMDSv2 hop limit to {metadata_hop_limit} (metadata_hop_limit) so that "
                    "containers on the instance reach instance metadata; tokens stay IMDSv2.",
                },
            )
        for group in security_groups[1:]:
            self.launch_template.add_security_group(group)
        self._connections = self.launch_template.connections

    @staticmethod
    def check(
        errors: PropErrors,
        *,
        instance_type: ec2.InstanceType,
        security_groups: Sequence[ec2.ISecurityGroup] | None,
        image: WebImage | None = None,
        app_port: int = 80,
        health_check_path: str = "/health",
        instance_options: InstanceOptions = DEFAULT_INSTANCES,
    ) -> None:
        """Every argument, the instance options by their own ``check``: what the constructor
        runs first, and what ``WebTier`` runs before it builds anything
        (``security_groups`` ``None``: the caller creates them afterwards)."""
        image = image or WebImage.amazon_linux_2023()
        if check_instance_type(errors, "instance_type", instance_type, name_ok=False) and (
            image.architecture is not None and image.architecture != instance_type.architecture
        ):
            instance_arch = instance_type.architecture
            errors.add(
                f"image is built for {architecture_name(image.architecture)} but instance_type "
                f"{instance_type.to_string()!r} is {architecture_name(instance_arch)}; pick an "
                "instance type of the image's architecture (Graviton types such as 't4g' or "
                "'m7g' are arm64) or an image for the instance type"
            )
        if security_groups is not None and not security_groups:
            errors.add("security_groups is empty; give at least the instances' group")
        instance_options.check(errors)
        check_port(errors, "app_port", app_port)
        check_http_path(errors, "health_check_path", health_check_path)
        pipeline = image.pipeline
        if pipeline is not None and (
            (pipeline.app_port, pipeline.health_check_path) != (app_port, health_check_path)
        ):
            errors.add(
                f"image comes from a pipeline serving port {pipeline.app_port} and "
                f"{pipeline.health_check_path!r} but app_port/health_check_path are "
                f"{app_port}/{health_check_path!r}; give the pipeline and the launch template "
                "the same values"
            )

    @property
    def connections(self) -> ec2.Connections:
        """The security groups the instances wear."""
        return self._connections
