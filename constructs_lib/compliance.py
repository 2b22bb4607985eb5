"""Acknowledging validator findings, as the constructs do (supported API).

The app runs rule packs on every synth: cdk-nag's (AwsSolutions, NIST 800-53 rev 5, HIPAA
Security, PCI DSS 3.2.1), the AWS Control Tower proactive controls (cfn-guard, plugin
``CT``), and in CI cfn-lint and checkov. A finding that is intended is acknowledged on the
resource it concerns, in the construct that owns the resource, always with a reason a
reviewer would accept (at least 20 characters; a shorter one raises ``ValueError``):

- ``acknowledge(scope, {rule_id: reason})``: cdk-nag or Control Tower
  (``f"{CT}::<guard rule>"``) rule ids;
- ``in_packs(rule, reason)``: the same cdk-nag rule in each compliance pack
  (``COMPLIANCE_PACKS``: ``NIST``, ``HIPAA``, ``PCI``), as ``acknowledge`` takes it;
- ``skip_checkov(resource, {check_id: reason})`` and ``ignore_cfn_lint(resource,
  {rule_id: reason})``: the scanners' own resource metadata.

This module only gathers them: they are defined in one private module that the constructs
use too.
"""

from constructs_lib._acknowledge import (
    COMPLIANCE_PACKS,
    CT,
    HIPAA,
    NIST,
    PCI,
    acknowledge,
    ignore_cfn_lint,
    in_packs,
    skip_checkov,
)

__all__ = [
    "COMPLIANCE_PACKS",
    "CT",
    "HIPAA",
    "NIST",
    "PCI",
    "acknowledge",
    "ignore_cfn_lint",
    "in_packs",
    "skip_checkov",
]
