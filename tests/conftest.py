"""Shared fixtures: apps built with the project's cdk.json feature flags, small stacks."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import aws_cdk as cdk
    from aws_cdk import aws_ec2 as ec2

    from tests.support.local_aws import LocalAws

# Counts the suite's synthesis runs and reports them at the end of the session; groups and
# orders tests for pytest-xdist (make unit).
pytest_plugins = ("tests.synth_stats", "tests.scheduling")
# aws_cdk is imported where it is used, not here: under pytest-xdist the controller loads this
# file but builds nothing, and importing aws_cdk would start a Node.js process loading
# aws-cdk-lib (≈ 1 s) before any worker is started.

ROOT = Path(__file__).resolve().parent.parent

# Nothing leaves the machine, even when a test is run outside `make`.
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
os.environ.setdefault("CDK_DISABLE_CLI_TELEMETRY", "true")


# The suite's scaling events carry fixed dates; "today" is pinned before them so that the
# "no one-off event in the past" rule never turns a valid case stale as the calendar moves.
SUITE_TODAY = dt.date(2026, 11, 1)


@pytest.fixture(autouse=True, scope="session")
def _pinned_today() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("constructs_lib.scaling_schedule.today", lambda: SUITE_TODAY)
        yield


def cdk_json_context() -> dict[str, Any]:
    """The context block of cdk.json (feature flags + app settings): cdk.App() in Python
    does not read cdk.json, so tests pass it explicitly."""
    context: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]
    return context


def feature_flags() -> dict[str, Any]:
    return {k: v for k, v in cdk_json_context().items() if k.startswith("@")}


def new_app(context: Mapping[str, Any] | None = None, *, flags: bool = True) -> cdk.App:
    """An App without CDK's built-in CloudFormation validation (tests of the app turn it on)."""
    import aws_cdk as cdk

    merged: dict[str, Any] = dict(feature_flags()) if flags else {}
    merged.update(context or {})
    return cdk.App(context=merged, builtin_cloud_formation_validation=False)


def new_stack(*, flags: bool = True) -> cdk.Stack:
    import aws_cdk as cdk

    return cdk.Stack(new_app(flags=flags), "Test")


def new_vpc(stack: cdk.Stack) -> ec2.Vpc:
    """Two AZs, public + private-with-egress subnets, one NAT: the shape the tier expects."""
    from aws_cdk import aws_ec2 as ec2

    return ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=1)


@pytest.fixture
def stack() -> cdk.Stack:
    return new_stack()


@pytest.fixture
def vpc(stack: cdk.Stack) -> ec2.Vpc:
    return new_vpc(stack)


# The in-process AWS emulator, one per test module; ``fresh`` empties it for each test.
# (tests/support/local_aws imports moto: imported here only when a module asks for it.)
@pytest.fixture(scope="module")
def aws() -> Iterator[LocalAws]:
    from tests.support.local_aws import moto_in_process

    with moto_in_process() as local:
        yield local


@pytest.fixture
def fresh(aws: LocalAws) -> LocalAws:
    aws.reset()
    return aws
