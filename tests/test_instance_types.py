from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from aws_cdk import aws_ec2 as ec2

from constructs_lib import parse_instance_type
from constructs_lib._validation import PropErrors
from constructs_lib.instance_types import known_instance_types
from constructs_lib.validation import check_instance_type

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "name",
    [
        "t3.micro",
        "t3a.nano",
        "t4g.small",
        "m7g.large",
        "m7i-flex.xlarge",
        "c7gn.16xlarge",
        "r6idn.metal",
        "x2iedn.32xlarge",
        "u-6tb1.112xlarge",
        "mac2-m2pro.metal",
        "inf2.xlarge",
        "trn1n.32xlarge",
        "g6e.2xlarge",
        "i4i.large",
        "hpc7g.16xlarge",
        "z1d.large",
        "a1.medium",
    ],
)
def test_real_instance_types_pass(name: str) -> None:
    assert parse_instance_type("instanceType", name).to_string() == name


@pytest.mark.parametrize(
    "name",
    [
        "t3.mirco",
        "",
        "banana",
        "t3",
        "T3.MICRO",
        "t3.micro ",
        "t3.micro\n",
        "q9.large",
        "t3.2large",
        "t9.micro",
        "c5.nano",
    ],
)
def test_malformed_instance_types_fail_naming_the_argument(name: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"instanceType {name!r} is not an EC2")):
        parse_instance_type("instanceType", name)


def test_a_typo_gets_the_closest_real_names() -> None:
    with pytest.raises(ValueError, match=r"did you mean 't3\.micro'"):
        parse_instance_type("instanceType", "t3.mirco")


def test_not_an_instance_type_at_all_is_a_type_error() -> None:
    errors = PropErrors("X")
    check_instance_type(errors, "instance_type", 3)
    with pytest.raises(TypeError, match=r"instance_type 3 is not an instance type"):
        errors.raise_if_any()


def test_the_list_is_botocores_ec2_instance_type_enum() -> None:
    """The shipped list equals the pinned botocore's; run scripts/ec2_instance_types.py."""
    script = ROOT / "scripts" / "ec2_instance_types.py"
    result = subprocess.run([sys.executable, script, "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_every_aws_cdk_lib_instance_class_that_ec2_has_is_accepted() -> None:
    """aws-cdk-lib's InstanceClass enum names families; those EC2's API lists are valid here
    (a handful of aws-cdk-lib names, e.g. 'x2g', have no type in EC2's list)."""
    families = {name.split(".")[0] for name in known_instance_types()}
    cdk_families = {
        ec2.InstanceType.of(member, ec2.InstanceSize.LARGE).to_string().split(".")[0]
        for member in ec2.InstanceClass
    }
    assert len(cdk_families & families) > 150
    for family in sorted(cdk_families & families):
        sizes = [n for n in known_instance_types() if n.startswith(f"{family}.")]
        assert sizes, family
        assert parse_instance_type("instanceType", sizes[0]).to_string() == sizes[0]
