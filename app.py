#!/usr/bin/env python3
"""CDK app entry point: read configuration once, build the stack, register validators."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import aws_cdk as cdk

from stacks.config import ConfigError, WebTierConfig
from stacks.config.cli import cli_context, project_context
from stacks.config.site import LookedUpZone
from stacks.nag_packs import nag_plugins
from stacks.web_tier_stack import WebTierStack

# The stack's construct id and cloud-assembly artifact id (cdk.out/Ec2WebTier.template.json,
# construct paths): constant. Its CloudFormation name is the configuration's ``stackName``
# (one stack per environment, e.g. Ec2WebTier-dev); `cdk ls` shows both.
STACK_ID = "Ec2WebTier"


def build_app(
    app: cdk.App,
    *,
    context: Mapping[str, Any] | None = None,
    project: Mapping[str, Any] | None = None,
) -> WebTierStack:
    """Compose the app on ``app`` (tests pass their own ``App`` with explicit context).

    ``context``: every context key as the CDK CLI sent it (default: the ``App``'s, which
    drops nulls); ``project``: cdk.json's ``context`` as written (stacks/config/cli.py).
    """
    config = WebTierConfig.from_context(
        app.node.get_all_context() if context is None else context, project=project
    )
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


def main() -> int:
    """Synthesize; a configuration error prints one line per problem and exits 1, with the
    traceback only under ``cdk synth --debug`` (which sets CDK_DEBUG=true)."""
    app = cdk.App()
    try:
        build_app(
            app,
            context=cli_context(os.environ),
            project=project_context(Path(__file__).with_name("cdk.json")),
        )
    except ConfigError as error:
        if os.environ.get("CDK_DEBUG") == "true":
            raise
        print(error, file=sys.stderr)
        return 1
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(main())
