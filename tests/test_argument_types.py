"""Argument types, read from the annotations (constructs_lib._validation.check_types): a value
of the wrong Python type is a PropsTypeError naming the argument, the value and the type
expected, never an AttributeError from inside a construct or a jsii/Node.js error."""

from __future__ import annotations

import dataclasses
import inspect
import re
from collections.abc import Mapping, Sequence

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from constructs_lib._validation import (
    PropsError,
    PropsTypeError,
    check_types,
    is_token,
    typed_arguments,
)
from tests.conftest import new_stack


def sample(
    vpc: ec2.IVpc,
    size: int,
    share: float,
    on: bool,
    names: Sequence[str],
    tags: Mapping[str, str] | None,
    instance_type: ec2.InstanceType | None,
    delay: Duration = Duration.seconds(1),
) -> None:
    """A function with the kinds of annotations the constructs use."""


def problems(**arguments: object) -> str:
    with pytest.raises(PropsTypeError) as raised:
        check_types("Sample", sample, arguments)
    assert isinstance(raised.value, TypeError) and isinstance(raised.value, ValueError)
    return str(raised.value)


def test_right_types_pass_including_imported_resources_and_tokens() -> None:
    stack = new_stack()
    imported = ec2.Vpc.from_vpc_attributes(
        stack, "Imported", vpc_id="vpc-1", availability_zones=["eu-west-1a", "eu-west-1b"]
    )
    check_types(
        "Sample",
        sample,
        {
            "vpc": imported,  # a jsii dynamic proxy, not an ec2.Vpc
            "size": cdk.Token.as_number(cdk.Fn.ref("Size")),  # a number token is a float
            "share": 50,  # an int is a number
            "on": False,
            "names": ("a", "b"),
            "tags": None,
            "instance_type": ec2.InstanceType("t3.micro"),
            "delay": Duration.minutes(1),
        },
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"vpc": None}, "vpc is None; give IVpc"),
        ({"vpc": "vpc-123"}, "vpc 'vpc-123' is a string; give IVpc"),
        ({"size": 2.0}, "size 2.0 is a float; give an int"),
        ({"size": True}, r"size True is a bool \(True or False\); give an int"),
        ({"share": "50"}, "share '50' is a string; give a number"),
        ({"on": "yes"}, "on 'yes' is a string; give True or False"),
        ({"names": "web"}, "names 'web' is a string; give a list of str"),
        ({"names": ["a", 1]}, r"names \['a', 1\] is a list; give a list of str"),
        ({"tags": ["a"]}, r"tags \['a'\] is a list; give a mapping of str to str or None"),
        ({"instance_type": "t3.micro"}, "instance_type 't3.micro' is a string; give InstanceType"),
        ({"delay": 30}, "delay 30 is an int; give Duration"),
    ],
)
def test_each_wrong_type_is_named_with_its_value_and_the_type_expected(
    arguments: dict[str, object], message: str
) -> None:
    assert re.search(message, problems(**arguments))


def test_every_wrong_argument_is_reported_at_once() -> None:
    text = problems(vpc=None, size="2", names="web")
    assert "3 invalid props" in text
    assert all(name in text for name in ("vpc is None", "size '2'", "names 'web'"))


def test_the_decorator_checks_before_the_constructor_runs() -> None:
    built: list[int] = []

    class Thing:
        @typed_arguments
        def __init__(self, size: int, names: Sequence[str] = ()) -> None:
            built.append(size)

    Thing(3, names=["a"])
    with pytest.raises(PropsError, match="Thing: size is None; give an int"):
        Thing(None)  # type: ignore[arg-type]
    assert built == [3]


def _public() -> list[type]:
    import constructs_lib

    return [getattr(constructs_lib, name) for name in constructs_lib.__all__]


CONSTRUCTS = [c for c in _public() if isinstance(c, type) and issubclass(c, Construct)]
OPTIONS = [c for c in _public() if isinstance(c, type) and dataclasses.is_dataclass(c)]


def test_every_public_construct_and_options_class_checks_its_types() -> None:
    assert len(CONSTRUCTS) >= 15 and len(OPTIONS) >= 15
    unchecked = [c.__name__ for c in CONSTRUCTS if not hasattr(c.__init__, "__wrapped__")]
    unchecked += [c.__name__ for c in OPTIONS if "__post_init__" not in vars(c)]
    assert unchecked == []


@pytest.mark.parametrize("construct", CONSTRUCTS, ids=lambda c: c.__name__)
def test_a_wrong_type_for_any_argument_is_named_before_anything_is_built(
    construct: type[Construct],
) -> None:
    init = getattr(construct.__init__, "__wrapped__")  # noqa: B009 (set by typed_arguments)
    names = [
        n for n in inspect.signature(init).parameters if n not in ("self", "scope", "construct_id")
    ]
    stack = new_stack()
    for name in names:  # one wrong value each; every other argument left out
        with pytest.raises(PropsTypeError, match=f"{construct.__name__}: {name} <object"):
            construct(stack, f"Bad{name}", **{name: object()})
    assert stack.node.children == []  # nothing was added to the tree


@pytest.mark.parametrize("options", OPTIONS, ids=lambda c: c.__name__)
def test_a_wrong_type_for_any_option_field_is_named(options: type) -> None:
    for field in dataclasses.fields(options):
        with pytest.raises(PropsTypeError, match=f"{options.__name__}: {field.name} <object"):
            check_types(options.__name__, options, {field.name: object()})


def test_is_token_answers_as_cdk_does_with_or_without_asking_node() -> None:
    # is_token answers some values in Python (constructs_lib._validation): the same answer as
    # aws-cdk-lib's Token.is_unresolved for values either side of every shortcut.
    stack = new_stack()
    values: list[object] = [
        None,
        True,
        False,
        0,
        -5,
        2**53 - 1,
        -(2**53),
        2**62,
        1.5,
        -0.0,
        "",
        "plain",
        "Token[",
        "${Token[NOT.1]}",
        stack.region,
        f"arn:{stack.partition}:s3:::bucket",
        cdk.Aws.ACCOUNT_ID,
        cdk.Token.as_number(cdk.Aws.REGION),
        cdk.Token.as_list(cdk.Aws.NOTIFICATION_ARNS),
        ["plain"],
        cdk.Fn.get_att("Thing", "Arn"),  # an IResolvable object
        Duration.seconds(5),
    ]
    answers = [(value, is_token(value)) for value in values]
    assert answers == [(value, cdk.Token.is_unresolved(value)) for value in values]
    assert [answer for _, answer in answers].count(True) == 7  # both sides are exercised
