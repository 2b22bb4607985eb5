#!/usr/bin/env python3
"""app.py with two deliberate faults, for tests/test_synth_validation.py: a bare S3 bucket
(the cdk-nag packs fail it: AwsSolutions-S1, S10 ...) and a topic with a property SNS does not
have (CDK's built-in CloudFormation validation fails it: schema). Run as app.py runs, through
its ``main``, so the switch under test is app.py's own."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import aws_cdk as cdk
from aws_cdk import aws_s3 as s3

import app as entry
from stacks.process import exit_without_teardown
from stacks.web_tier_stack import WebTierStack

_build_app = entry.build_app


def build_invalid_app(
    app: cdk.App,
    *,
    context: Mapping[str, Any] | None = None,
    project: Mapping[str, Any] | None = None,
    validate: bool = True,
) -> WebTierStack:
    stack = _build_app(app, context=context, project=project, validate=validate)
    s3.Bucket(stack, "NaiveBucket")
    cdk.CfnResource(stack, "NoSuchTopicProperty", type="AWS::SNS::Topic", properties={"Nope": 1})
    return stack


if __name__ == "__main__":
    entry.build_app = build_invalid_app
    exit_without_teardown(entry.main())
