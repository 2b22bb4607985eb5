"""One place that records why a validator finding is intended.

Acknowledgements sit next to the resource they concern (in the construct that owns it),
always with a reason a reviewer would accept. ``tests/test_acknowledgements.py`` lists every
one of them and fails when a new one appears unlisted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from aws_cdk import Acknowledgment, CfnResource, Validations
from constructs import IConstruct

# Rule-id prefixes of the cdk-nag compliance packs (NIST 800-53 rev 5, HIPAA Security,
# PCI DSS 3.2.1). The same check has one id per pack, and each must be acknowledged.
NIST = "NIST.800.53.R5"
HIPAA = "HIPAA.Security"
PCI = "PCI.DSS.321"
COMPLIANCE_PACKS = (NIST, HIPAA, PCI)
# The Control Tower proactive controls (cfn-guard rules of cdklabs' cdk-validator-cfnguard):
# acknowledged as '<plugin>::<guard rule name>'.
CT = "cdk-validator-cfnguard"


def acknowledge(scope: IConstruct, reasons: Mapping[str, str]) -> None:
    """Acknowledge validator rule ids (cdk-nag or others) on ``scope`` with their reasons."""
    for rule_id, reason in reasons.items():
        if len(reason.strip()) < 20:
            raise ValueError(f"acknowledgement of {rule_id} needs a real reason, got {reason!r}")
    Validations.of(scope).acknowledge(
        *(Acknowledgment(id=rule_id, reason=reason) for rule_id, reason in reasons.items())
    )


def in_packs(rule: str, reason: str, packs: Iterable[str] = COMPLIANCE_PACKS) -> dict[str, str]:
    """``{'<pack>-<rule>': reason}`` for each compliance pack that reports ``rule``."""
    return {f"{pack}-{rule}": reason for pack in packs}


def skip_checkov(scope: IConstruct, reasons: Mapping[str, str]) -> None:
    """Skip checkov checks on the CloudFormation resource ``scope`` (or its default child).

    checkov reads ``Metadata.checkov.skip`` of a resource; each skip carries its reason as
    the ``comment``, which checkov prints in its report.
    """
    resource = _cfn_resource(scope)
    existing = resource.get_metadata("checkov") or {}
    skips = list(existing.get("skip", []))
    for check_id, reason in reasons.items():
        if len(reason.strip()) < 20:
            raise ValueError(f"checkov skip of {check_id} needs a real reason, got {reason!r}")
        skips.append({"id": check_id, "comment": reason})
    resource.add_metadata("checkov", {**existing, "skip": skips})


def ignore_cfn_lint(scope: IConstruct, reasons: Mapping[str, str]) -> None:
    """Make cfn-lint ignore rules on the CloudFormation resource ``scope`` (or its default
    child). cfn-lint's resource metadata has no field for a reason, so the reason is required
    here and stays next to the call."""
    resource = _cfn_resource(scope)
    for rule_id, reason in reasons.items():
        if len(reason.strip()) < 20:
            raise ValueError(f"cfn-lint ignore of {rule_id} needs a real reason, got {reason!r}")
    existing = resource.get_metadata("cfn-lint") or {}
    config = dict(existing.get("config", {}))
    config["ignore_checks"] = [*config.get("ignore_checks", []), *reasons]
    resource.add_metadata("cfn-lint", {**existing, "config": config})


def _cfn_resource(scope: IConstruct) -> CfnResource:
    resource = scope if isinstance(scope, CfnResource) else scope.node.default_child
    if not isinstance(resource, CfnResource):
        raise TypeError(f"{scope.node.path} is not a CloudFormation resource")
    return resource
