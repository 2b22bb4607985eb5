"""The rule packs the app can register, by the name used in cdk.json (``nagPacks``): the four
cdk-nag packs and the AWS Control Tower proactive controls (cfn-guard rules).

cdk-nag is imported only when a pack is registered: its import (Python modules and its jsii
assembly loaded into Node.js) costs ≈ 0.16 s, which a synth without packs (``make synth``'s
inner loop, see app.py) does not pay. The same holds for the Control Tower plugin.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from constructs import IConstruct

if TYPE_CHECKING:
    from aws_cdk import IPolicyValidationPlugin
    from cdk_nag import NagPack

# Name in cdk.json -> cdk-nag 3.x validation plugin (rule pack) class in module cdk_nag.
NAG_PACKS: dict[str, str] = {
    "AwsSolutions": "AwsSolutionsChecks",
    "NIST80053R5": "NIST80053R5Checks",
    "HIPAASecurity": "HIPAASecurityChecks",
    "PCIDSS321": "PCIDSS321Checks",
}
# The Control Tower proactive controls that cdklabs' cdk-validator-cfnguard bundles (the
# same cfn-guard rules Control Tower enforces as CloudFormation hooks); acknowledged as
# 'cdk-validator-cfnguard::<rule>' next to the resource, like the cdk-nag findings.
CONTROL_TOWER = "ControlTower"
ALL_PACKS: tuple[str, ...] = (*NAG_PACKS, CONTROL_TOWER)


def nag_pack_class(name: str) -> type[NagPack]:
    """The cdk-nag class of pack ``name`` (imports cdk-nag on first use)."""
    import cdk_nag  # here, not at the top: only a synth that registers a pack pays for it

    return cast("type[NagPack]", getattr(cdk_nag, NAG_PACKS[name]))


def control_tower_plugin() -> IPolicyValidationPlugin:
    """The cfn-guard plugin with every bundled Control Tower rule."""
    from cdklabs.cdk_validator_cfnguard import CfnGuardValidator  # on use, like cdk-nag

    # It implements IPolicyValidationPluginBeta1, the same shape (name, rule ids, version,
    # validate over the template paths), which Validations.add_plugins runs like any plugin.
    return cast("IPolicyValidationPlugin", CfnGuardValidator(control_tower_rules_enabled=True))


def nag_plugins(scope: IConstruct, names: Sequence[str]) -> list[IPolicyValidationPlugin]:
    """One plugin per pack name (the configuration has validated the names)."""
    return [
        control_tower_plugin() if name == CONTROL_TOWER else nag_pack_class(name)(scope)
        for name in names
    ]
