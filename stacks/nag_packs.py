"""The rule packs the app can register, by the name used in cdk.json (``nagPacks``): the four
cdk-nag packs and the AWS Control Tower proactive controls (cfn-guard rules).

cdk-nag is imported only when a pack is registered: its import (Python modules and its jsii
assembly loaded into Node.js) costs ≈ 0.16 s, which a synth without packs (``make synth``'s
inner loop, see app.py) does not pay. The same holds for the Control Tower plugin.
"""

from __future__ import annotations

import json
import re
import tarfile
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import jsii
from aws_cdk import IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1
from constructs import IConstruct

if TYPE_CHECKING:
    from aws_cdk import (
        IPolicyValidationContextBeta1,
        IPolicyValidationPlugin,
    )
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


# The bundled rules inside the plugin's jsii package, one ``<rule>.guard`` file each.
_RULES_IN_PACKAGE = "package/rules/control-tower/cfn-guard/"
_RESOURCE_TYPE = re.compile(r"AWS::[A-Za-z0-9]+::[A-Za-z0-9]+")


@cache
def control_tower_rule_types() -> dict[str, frozenset[str]]:
    """Every bundled Control Tower rule (its file name without ``.guard``, the id the plugin's
    ``disabledRules`` takes) -> the CloudFormation resource types its file names anywhere
    (rule, comments, messages). Read once per process from the plugin's own package."""
    package = resources.files("cdklabs.cdk_validator_cfnguard._jsii")
    (tarball,) = [p for p in package.iterdir() if p.name.endswith(".jsii.tgz")]
    rules: dict[str, frozenset[str]] = {}
    with tarball.open("rb") as raw, tarfile.open(fileobj=raw, mode="r|gz") as tar:
        for member in tar:
            name = member.name
            if member.isfile() and name.startswith(_RULES_IN_PACKAGE) and name.endswith(".guard"):
                text = cast("Any", tar.extractfile(member)).read().decode()
                rules[Path(name).stem] = frozenset(_RESOURCE_TYPE.findall(text))
    return rules


def idle_control_tower_rules(
    template_types: Iterable[str], rule_types: Mapping[str, frozenset[str]]
) -> list[str]:
    """The rules that can only SKIP on templates holding ``template_types``: each Control
    Tower rule selects the resources of the types it names (``Resources.*[ Type == ... ]``)
    and skips when there are none, so a rule naming none of the templates' types has nothing
    to check. A rule naming no type at all always runs."""
    present = set(template_types)
    return sorted(rule for rule, named in rule_types.items() if named and not named & present)


def template_resource_types(template_paths: Iterable[str]) -> set[str]:
    types: set[str] = set()
    for path in template_paths:
        template = json.loads(Path(path).read_text())
        types.update(r.get("Type", "") for r in template.get("Resources", {}).values())
    return types


# The shape CfnGuardValidator implements (a context with the template paths in, a report of
# violations out), which Validations.add_plugins runs like any plugin.
@jsii.implements(IPolicyValidationPluginBeta1)
class ControlTowerRules:
    """cdklabs' cdk-validator-cfnguard with every bundled Control Tower rule, run over the
    synthesized templates with the rules that cannot apply to them left out.

    Same plugin name, rule ids and findings as ``CfnGuardValidator(control_tower_rules_enabled
    =True)`` (acknowledged as 'cdk-validator-cfnguard::<rule>'). cfn-guard's cost is per rule
    and template, not per finding: the web tier's templates hold 25-30 resource types, which
    about 70 of the 237 rules name, and the rest took two thirds of the plugin's CPU time
    (3.5 -> 1.3 s CPU per template; tests/test_app.py checks the findings are the same).
    """

    def __init__(self) -> None:
        from cdklabs.cdk_validator_cfnguard import CfnGuardValidator  # on use, like cdk-nag

        self._validator = CfnGuardValidator
        self._all_rules = CfnGuardValidator(control_tower_rules_enabled=True)

    @property
    def name(self) -> str:
        return self._all_rules.name

    @property
    def rule_ids(self) -> list[str] | None:
        return self._all_rules.rule_ids

    @property
    def version(self) -> str | None:
        return self._all_rules.version

    def validate(self, context: IPolicyValidationContextBeta1) -> PolicyValidationPluginReportBeta1:
        rules = control_tower_rule_types()
        idle = idle_control_tower_rules(template_resource_types(context.template_paths), rules)
        if len(idle) == len(rules):  # cfn-guard refuses to run without a rule
            return PolicyValidationPluginReportBeta1(success=True, violations=[])
        plugin = self._validator(control_tower_rules_enabled=True, disabled_rules=idle)
        return plugin.validate(context)


def control_tower_plugin() -> IPolicyValidationPlugin:
    """The cfn-guard plugin with every bundled Control Tower rule (idle ones left out)."""
    return cast("IPolicyValidationPlugin", ControlTowerRules())


def nag_plugins(scope: IConstruct, names: Sequence[str]) -> list[IPolicyValidationPlugin]:
    """One plugin per pack name (the configuration has validated the names)."""
    return [
        control_tower_plugin() if name == CONTROL_TOWER else nag_pack_class(name)(scope)
        for name in names
    ]
