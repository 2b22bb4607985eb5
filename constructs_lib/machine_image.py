"""The seed's "images": which AMI the instances boot, and its CPU architecture.

An AMI carries the software (OS, nginx, docker, ...); the instance type carries the
hardware. They must agree on the CPU architecture: an arm64 (Graviton) image cannot boot on
an x86_64 instance type, and vice versa. ``WebImage`` keeps the image together with the
architecture it was built for so the launch template can check the pair at construct time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import jsii
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from constructs_lib._validation import PropErrors, is_token

if TYPE_CHECKING:
    from constructs_lib.image_pipeline import WebImagePipeline

_AMI_ID = re.compile(r"^ami-([0-9a-f]{8}|[0-9a-f]{17})\Z")
_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]\Z")
_SSM_NAME = re.compile(r"^/?[A-Za-z0-9_.\-/]{1,2048}\Z")

_ARCHITECTURES = {
    "x86_64": ec2.InstanceArchitecture.X86_64,
    "arm64": ec2.InstanceArchitecture.ARM_64,
}


def architecture_name(architecture: ec2.InstanceArchitecture) -> str:
    return "arm64" if architecture == ec2.InstanceArchitecture.ARM_64 else "x86_64"


def parse_architecture(arg: str, value: str) -> ec2.InstanceArchitecture:
    """``'x86_64'`` or ``'arm64'`` to the CDK enum, with an error naming ``arg``."""
    try:
        return _ARCHITECTURES[value]
    except KeyError:
        raise ValueError(
            f"{arg} {value!r} is not a CPU architecture; give 'x86_64' or 'arm64'"
        ) from None


# CDK's own choice of kernel (the one ``latest_amazon_linux2023()`` boots by default), named
# so that the instances and the image pipeline's base image cannot drift apart.
_KERNEL = ec2.AmazonLinux2023Kernel.CDK_LATEST


def _cpu(architecture: ec2.InstanceArchitecture) -> ec2.AmazonLinuxCpuType:
    return (
        ec2.AmazonLinuxCpuType.ARM_64
        if architecture == ec2.InstanceArchitecture.ARM_64
        else ec2.AmazonLinuxCpuType.X86_64
    )


def _amazon_linux_2023(architecture: ec2.InstanceArchitecture) -> ec2.IMachineImage:
    return ec2.MachineImage.latest_amazon_linux2023(cpu_type=_cpu(architecture), kernel=_KERNEL)


def amazon_linux_2023_parameter(architecture: ec2.InstanceArchitecture) -> str:
    """AWS's public SSM parameter of the latest Amazon Linux 2023 for ``architecture``: the
    default image of the launch template and the base of ``WebImagePipeline``'s recipe."""
    return ec2.AmazonLinux2023ImageSsmParameter.ssm_parameter_name(
        cpu_type=_cpu(architecture), kernel=_KERNEL
    )


@jsii.implements(ec2.IMachineImage)
class _ImageId:
    """An AMI id known only at deploy time (e.g. an Image Builder image built in-stack)."""

    def __init__(self, image_id: str) -> None:
        self._image_id = image_id

    def get_image(self, scope: Construct) -> ec2.MachineImageConfig:
        return ec2.MachineImageConfig(
            image_id=self._image_id,
            os_type=ec2.OperatingSystemType.LINUX,
            user_data=ec2.UserData.for_linux(),
        )


class WebImage:
    """An AMI choice plus the CPU architecture it runs on.

    Build one with a static method:

    * ``WebImage.amazon_linux_2023()``: the latest Amazon Linux 2023, resolved at deploy
      time from AWS's public SSM parameter (no lookup, no account needed to synthesize).
    * ``WebImage.pinned({"us-east-1": "ami-..."})``: fixed AMI ids per region.
    * ``WebImage.from_ssm_parameter("/golden/web/ami")``: your own image whose id you publish
      in an SSM parameter (a golden-AMI pipeline).
    * ``WebImage.from_image_pipeline(pipeline)``: the golden image a ``WebImagePipeline``
      builds in the stack, then each newer one it publishes (``WebTier`` rolls them in).
    * ``WebImage.lookup(name="my-web-*", owners=["self"])``: a lookup by name at synth time.
      Opt-in only: it needs an account and region on the stack and writes cdk.context.json.

    ``architecture`` is ``None`` only for ``amazon_linux_2023()`` without an explicit
    architecture: the launch template then picks the image that matches its instance type.
    """

    def __init__(
        self,
        *,
        kind: str,
        architecture: ec2.InstanceArchitecture | None,
        machine_image: ec2.IMachineImage | None,
    ) -> None:
        self.kind = kind
        self.architecture = architecture
        self._machine_image = machine_image
        self.pipeline: WebImagePipeline | None = None

    def for_architecture(self, architecture: ec2.InstanceArchitecture) -> ec2.IMachineImage:
        """The CDK machine image to boot on ``architecture``; checked by the launch template."""
        if self._machine_image is not None:
            return self._machine_image
        return _amazon_linux_2023(architecture)

    @staticmethod
    def amazon_linux_2023(*, architecture: ec2.InstanceArchitecture | None = None) -> WebImage:
        """Latest Amazon Linux 2023 from the public SSM parameter.

        :param architecture: Force x86_64 or arm64. Default: whatever the instance type is.
        """
        machine_image = None if architecture is None else _amazon_linux_2023(architecture)
        return WebImage(
            kind="amazon-linux-2023", architecture=architecture, machine_image=machine_image
        )

    @staticmethod
    def pinned(
        ami_ids: Mapping[str, str],
        *,
        architecture: ec2.InstanceArchitecture = ec2.InstanceArchitecture.X86_64,
    ) -> WebImage:
        """Fixed AMI ids, one per region (the stack must deploy to one of those regions).

        :param ami_ids: Region name to AMI id, e.g. ``{"eu-west-1": "ami-0abc..."}``.
        :param architecture: The images' CPU architecture. Default: x86_64.
        """
        errors = PropErrors("WebImage.pinned")
        if not ami_ids:
            errors.add("ami_ids is empty; give at least one region, e.g. {'us-east-1': 'ami-…'}")
        for region, ami in ami_ids.items():
            errors.check(
                bool(_REGION.match(region)),
                f"ami_ids key {region!r} is not an AWS region name, e.g. 'eu-west-1'",
            )
            errors.check(
                is_token(ami) or bool(_AMI_ID.match(ami)),
                f"ami_ids[{region!r}] {ami!r} is not an AMI id ('ami-' and 8 or 17 hex digits)",
            )
        errors.raise_if_any()
        return WebImage(
            kind="pinned",
            architecture=architecture,
            machine_image=ec2.MachineImage.generic_linux(dict(ami_ids)),
        )

    @staticmethod
    def from_ssm_parameter(
        parameter_name: str,
        *,
        architecture: ec2.InstanceArchitecture = ec2.InstanceArchitecture.X86_64,
    ) -> WebImage:
        """Your own AMI whose id is published in an SSM parameter, resolved at deploy time.

        :param parameter_name: The parameter holding the AMI id, e.g. ``/golden/web/ami``.
        :param architecture: The image's CPU architecture. Default: x86_64.
        """
        errors = PropErrors("WebImage.from_ssm_parameter")
        errors.check(
            is_token(parameter_name) or bool(_SSM_NAME.match(parameter_name)),
            f"parameter_name {parameter_name!r} is not an SSM parameter name, "
            "e.g. '/golden/web/ami'",
        )
        errors.raise_if_any()
        return WebImage(
            kind="ssm-parameter",
            architecture=architecture,
            machine_image=ec2.MachineImage.from_ssm_parameter(
                parameter_name, os=ec2.OperatingSystemType.LINUX
            ),
        )

    @staticmethod
    def from_image_pipeline(pipeline: WebImagePipeline) -> WebImage:
        """The golden image of ``pipeline``, on its architecture.

        The launch template boots the image the stack builds on its first deploy (so the
        deploy waits for it); a ``WebTier`` given this image starts its instances with a
        boot script that only starts the baked-in server, and rolls each later pipeline
        image into the group (``ImageRollout``).
        """
        image = WebImage(
            kind="image-pipeline",
            architecture=pipeline.architecture,
            machine_image=_ImageId(pipeline.image_id),
        )
        image.pipeline = pipeline
        return image

    @staticmethod
    def lookup(
        *,
        name: str,
        owners: Sequence[str] = ("self",),
        architecture: ec2.InstanceArchitecture = ec2.InstanceArchitecture.X86_64,
    ) -> WebImage:
        """Find the newest AMI by name at synth time (needs an environment-bound stack).

        :param name: AMI name, ``*`` wildcards allowed, e.g. ``"my-web-*"``.
        :param owners: Account ids or aliases (``self``, ``amazon``). Default: your account.
        :param architecture: Filters the lookup and is checked against the instance type.
            Default: x86_64.
        """
        errors = PropErrors("WebImage.lookup")
        errors.check(bool(name), "name is empty; give an AMI name pattern, e.g. 'my-web-*'")
        errors.raise_if_any()
        return WebImage(
            kind="lookup",
            architecture=architecture,
            machine_image=ec2.MachineImage.lookup(
                name=name,
                owners=list(owners),
                filters={"architecture": [architecture_name(architecture)]},
            ),
        )
