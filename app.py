#!/usr/bin/env python3
"""CDK app entry point: read configuration once, build the stack, register validators."""

from __future__ import annotations

import os
from collections.abc import Mapping

import aws_cdk as cdk

from stacks.config import WebTierConfig, context_keys
from stacks.config.site import LookedUpZone
from stacks.nag_packs import nag_plugins
from stacks.web_tier_stack import WebTierStack

# The stack's construct id and cloud-assembly artifact id (cdk.out/Ec2WebTier.template.json,
# construct paths): constant. Its CloudFormation name is the configuration's ``stackName``
# (one stack per environment, e.g. Ec2WebTier-dev); `cdk ls` shows both.
STACK_ID = "Ec2WebTier"


def build_app(app: cdk.App) -> WebTierStack:
    """Compose the app on ``app`` (tests pass their own ``App`` with explicit context)."""
    context = {key: app.node.try_get_context(key) for key in context_keys()}
    config = WebTierConfig.from_context({k: v for k, v in context.items() if v is not None})
    stack = WebTierStack(app, STACK_ID, config=config, env=environment(config, os.environ))
    # cdk-nag packs (config key nagPacks, all four by default) run after every synth;
    # an unacknowledged finding fails it.
    cdk.Validations.of(app).add_plugins(*nag_plugins(app, config.nag_packs))
    return stack


def environment(config: WebTierConfig, variables: Mapping[str, str]) -> cdk.Environment | None:
    """Environment-agnostic unless the configuration names an account/region (``account``,
    ``region``, e.g. from a profile) or a hosted-zone lookup is asked for: a lookup needs the
    account and region, which the CDK CLI puts in CDK_DEFAULT_ACCOUNT/CDK_DEFAULT_REGION."""
    if not isinstance(config.site.zone, LookedUpZone):
        return config.environment
    account = config.account or variables.get("CDK_DEFAULT_ACCOUNT")
    region = config.region or variables.get("CDK_DEFAULT_REGION")
    if not account or not region:
        return None  # the stack reports the missing environment, naming lookupHostedZone
    return cdk.Environment(account=account, region=region)


def main() -> None:
    app = cdk.App()
    build_app(app)
    app.synth()


if __name__ == "__main__":
    main()
