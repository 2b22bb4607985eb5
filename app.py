#!/usr/bin/env python3
"""CDK app entry point: read configuration once, build the stack, register validators."""

from __future__ import annotations

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

from stacks.config import WebTierConfig
from stacks.web_tier_stack import WebTierStack

STACK_NAME = "Ec2WebTier"


def build_app(app: cdk.App) -> WebTierStack:
    """Compose the app on ``app`` (tests pass their own ``App`` with explicit context)."""
    context = {key: app.node.try_get_context(key) for key in _context_keys()}
    config = WebTierConfig.from_context({k: v for k, v in context.items() if v is not None})
    stack = WebTierStack(app, STACK_NAME, config=config)
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return stack


def _context_keys() -> list[str]:
    from stacks.config import DEFAULTS

    return list(DEFAULTS)


def main() -> None:
    app = cdk.App()
    build_app(app)
    app.synth()


if __name__ == "__main__":
    main()
