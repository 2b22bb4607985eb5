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
from stacks.nag_packs import nag_plugins
from stacks.process import exit_without_teardown
from stacks.web_tier_stack import WebTierStack

# The stack's construct id and cloud-assembly artifact id (cdk.out/Ec2WebTier.template.json,
# construct paths): constant. Its CloudFormation name is the configuration's ``stackName``
# (one stack per environment, e.g. Ec2WebTier-dev); `cdk ls` shows both.
STACK_ID = "Ec2WebTier"
VALIDATION_REPORT = "validation-report.json"  # written by a validating synth, read by the CLI


def build_app(
    app: cdk.App,
    *,
    context: Mapping[str, Any] | None = None,
    project: Mapping[str, Any] | None = None,
    validate: bool = True,
) -> WebTierStack:
    """Compose the app on ``app`` (tests pass their own ``App`` with explicit context).

    ``context``: every context key as the CDK CLI sent it (default: the ``App``'s, which
    drops nulls); ``project``: cdk.json's ``context`` as written (stacks/config/cli.py);
    ``validate=False`` registers no cdk-nag pack (``make synth``'s inner loop, see main).
    """
    config = WebTierConfig.from_context(
        app.node.get_all_context() if context is None else context, project=project
    )
    stack = WebTierStack(app, STACK_ID, config=config)
    # cdk-nag packs (config key nagPacks, all four by default) run after every validating
    # synth; an unacknowledged finding fails it.
    if validate:
        cdk.Validations.of(app).add_plugins(*nag_plugins(app, config.nag_packs))
    return stack


def validation_enabled(variables: Mapping[str, str]) -> bool:
    """Whether this synth validates. ``CDK_VALIDATION=false`` is CDK's own switch for its
    built-in CloudFormation validation (aws-cdk-lib core/lib/private/synthesis-validation.js,
    ``defaultValidationEnabled``: any other value keeps it on); the app turns the cdk-nag
    packs off with it. Only ``make synth`` sets it, for the inner loop (≈ 1.8 s less per
    synth); ``make deploy``/``diff``, ``cdk deploy``/``cdk synth`` run by hand, the tests and
    CI validate."""
    return variables.get("CDK_VALIDATION") != "false"


def main() -> int:
    """Synthesize; a configuration error prints one line per problem and exits 1, with the
    traceback only under ``cdk synth --debug`` (which sets CDK_DEBUG=true)."""
    app = cdk.App()
    validate = validation_enabled(os.environ)
    try:
        build_app(
            app,
            context=cli_context(os.environ),
            project=project_context(Path(__file__).with_name("cdk.json")),
            validate=validate,
        )
    except ConfigError as error:
        if os.environ.get("CDK_DEBUG") == "true":
            raise
        print(error, file=sys.stderr)
        return 1
    if not validate:
        # The CLI reads the validation report in the output directory after the app exits: a
        # report an earlier validated synth left there would speak for this one.
        (Path(app.outdir) / VALIDATION_REPORT).unlink(missing_ok=True)
    app.synth()
    return 0


if __name__ == "__main__":
    # Once the cloud assembly is on disk (an exception never gets here: it exits the ordinary
    # way).
    exit_without_teardown(main())
