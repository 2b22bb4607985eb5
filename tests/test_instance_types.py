from __future__ import annotations

import pytest

from constructs_lib import parse_instance_type


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
    "name", ["t3.mirco", "", "banana", "t3", "T3.MICRO", "t3.micro ", "q9.large", "t3.2large"]
)
def test_malformed_instance_types_fail_naming_the_argument(name: str) -> None:
    with pytest.raises(ValueError, match=f"instanceType {name!r} is not an EC2 instance type"):
        parse_instance_type("instanceType", name)
