"""Instance-type names checked before they reach CloudFormation (which accepts ``t3.mirco``).

The valid names are AWS's own list: the ``InstanceType`` enum of the EC2 API model that
botocore ships, copied into ``ec2_instance_types.txt`` by ``scripts/ec2_instance_types.py``
(a test keeps the copy equal to the pinned botocore). No shape regex: ``c5.nano`` and
``t9.micro`` look right and do not exist.
"""

from __future__ import annotations

import difflib
import functools
from importlib import resources
from typing import Any

from aws_cdk import aws_ec2 as ec2

from constructs_lib._validation import PropErrors, is_token

_DATA_FILE = "ec2_instance_types.txt"


@functools.cache
def known_instance_types() -> frozenset[str]:
    """Every EC2 instance type the EC2 API knows (from botocore's service model)."""
    text = resources.files("constructs_lib").joinpath(_DATA_FILE).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def check_instance_type(errors: PropErrors, arg: str, value: Any, *, name_ok: bool = True) -> bool:
    """Adds an error unless ``value`` (an ``ec2.InstanceType``, or its name when ``name_ok``)
    is a real EC2 instance type; returns whether it is one (unresolved tokens count as valid).
    Constructs pass ``name_ok=False``: their props take ``ec2.InstanceType`` only."""
    if isinstance(value, ec2.InstanceType):
        name = value.to_string()
    elif isinstance(value, str) and name_ok:
        name = value
    else:
        errors.add_type(
            f"{arg} {value!r} is not an instance type; give ec2.InstanceType('t3.micro')"
        )
        return False
    if is_token(name):
        return True
    if name in known_instance_types():
        return True
    close = difflib.get_close_matches(name, sorted(known_instance_types()), n=3, cutoff=0.8)
    hint = f"did you mean {' or '.join(map(repr, close))}?" if close else "e.g. 't3.micro'"
    errors.add(
        f"{arg} {name!r} is not an EC2 instance type (not in the EC2 API's list of "
        f"{len(known_instance_types())} types); {hint}"
    )
    return False


def parse_instance_type(arg: str, value: str) -> ec2.InstanceType:
    """Validates and returns the CDK instance type, naming ``arg`` in the error."""
    errors = PropErrors("instance type")
    check_instance_type(errors, arg, value)
    errors.raise_if_any()
    return ec2.InstanceType(value)
