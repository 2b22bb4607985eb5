"""Context keys that belong to the AWS CDK, not to this app: they pass unchecked.

Found in the CDK CLI's source (aws/aws-cdk-cli; the pinned bundle is
node_modules/aws-cdk/lib/index.js, which tests/test_config_context.py reads to keep this list
complete):
- feature flags and core settings, ``@aws-cdk/...`` (also ``@aws-cdk-containers/...``);
  the CLI itself sets ``@aws-cdk/core:failSynthOnValidationErrors`` (toolkit-lib
  ``contextFromSettings``);
- ``aws:cdk:...``: what the CLI derives from cdk.json settings (``aws:cdk:enable-path-metadata``,
  ``aws:cdk:version-reporting``, ``aws:cdk:bundling-stacks``, ... in ``@aws-cdk/cx-api``
  ``app.ts``); ``aws-cdk:enableDiffNoFail`` (``cdk diff``'s exit code, a cdk.json setting);
- keys the CLI writes into cdk.context.json: ``acknowledged-issue-numbers`` (``cdk
  acknowledge``), ``cli-telemetry`` (``cdk cli-telemetry``), and the cached lookups, named
  ``<provider>:<query>`` after the providers of ``@aws-cdk/cloud-assembly-schema``
  (``context-queries.ts``, ``ContextProvider``), e.g.
  ``hosted-zone:account=123456789012:domainName=example.com:region=eu-west-1``.
"""

from __future__ import annotations

CDK_PREFIXES = ("@aws-cdk", "aws:cdk:")
CDK_KEYS = frozenset({"acknowledged-issue-numbers", "cli-telemetry", "aws-cdk:enableDiffNoFail"})
LOOKUP_PROVIDERS = frozenset(
    {
        "ami",
        "availability-zones",
        "hosted-zone",
        "ssm",
        "vpc-provider",
        "endpoint-service-availability-zones",
        "load-balancer",
        "load-balancer-listener",
        "security-group",
        "key-provider",
        "cc-api-provider",
        "plugin",
    }
)


def is_cdk_key(key: str) -> bool:
    """A key the CDK (CLI or library) owns."""
    if key.startswith(CDK_PREFIXES) or key in CDK_KEYS:
        return True
    provider, separator, _ = key.partition(":")
    return bool(separator) and provider in LOOKUP_PROVIDERS
