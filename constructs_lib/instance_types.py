"""Instance-type names checked before they reach CloudFormation (which accepts ``t3.mirco``)."""

from __future__ import annotations

import re

from aws_cdk import aws_ec2 as ec2

from constructs_lib._validation import PropErrors, is_token

# <class><generation><attributes>[-flex|-m2pro...].<size>; classes as EC2 names them today.
_CLASSES = "a|c|d|dl|f|g|gr|h|hpc|i|im|inf|is|m|mac|p|r|t|trn|vt|x|z"
_SIZE = r"nano|micro|small|medium|large|xlarge|[1-9][0-9]*xlarge|metal(?:-[1-9][0-9]*xl)?"
_INSTANCE_TYPE = re.compile(
    rf"^(?:(?:{_CLASSES})[1-9][a-z]*(?:-flex|-m[1-9][a-z]*)?|u[0-9]?[a-z]*-[1-9][0-9]*tb1)"
    rf"\.(?:{_SIZE})$"
)


def check_instance_type(errors: PropErrors, arg: str, value: ec2.InstanceType | str) -> None:
    """Adds an error when ``value`` is not shaped like a real EC2 instance type."""
    name = value if isinstance(value, str) else value.to_string()
    if is_token(name):
        return
    if not _INSTANCE_TYPE.match(name):
        errors.add(
            f"{arg} {name!r} is not an EC2 instance type; give '<family>.<size>' "
            "such as 't3.micro', 'm7g.large' or 'c7i.2xlarge'"
        )


def parse_instance_type(arg: str, value: str) -> ec2.InstanceType:
    """Validates and returns the CDK instance type, naming ``arg`` in the error."""
    errors = PropErrors("instance type")
    check_instance_type(errors, arg, value)
    errors.raise_if_any()
    return ec2.InstanceType(value)
