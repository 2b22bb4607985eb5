#!/usr/bin/env python3
"""The benchmark's baseline: the smallest app that synthesizes clean under the same CLI context.

One stack holding one no-op resource (a stack with no resources fails CloudFormation
validation, F0001), no cdk-nag: what every CDK app in Python pays before adding anything,
i.e. importing ``aws_cdk``, starting jsii's Node.js process, and warming up the built-in
CloudFormation validation.
"""

from __future__ import annotations

import aws_cdk as cdk


def main() -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "Empty")
    cdk.CfnWaitConditionHandle(stack, "Nothing")
    app.synth()


if __name__ == "__main__":
    main()
