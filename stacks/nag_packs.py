"""The cdk-nag rule packs the app can register, by the name used in cdk.json (``nagPacks``)."""

from __future__ import annotations

from collections.abc import Sequence

from cdk_nag import (
    AwsSolutionsChecks,
    HIPAASecurityChecks,
    NagPack,
    NIST80053R5Checks,
    PCIDSS321Checks,
)
from constructs import IConstruct

# Name in cdk.json -> cdk-nag 3.x validation plugin (rule pack) class.
NAG_PACKS: dict[str, type[NagPack]] = {
    "AwsSolutions": AwsSolutionsChecks,
    "NIST80053R5": NIST80053R5Checks,
    "HIPAASecurity": HIPAASecurityChecks,
    "PCIDSS321": PCIDSS321Checks,
}
ALL_PACKS: tuple[str, ...] = tuple(NAG_PACKS)


def nag_plugins(scope: IConstruct, names: Sequence[str]) -> list[NagPack]:
    """One plugin per pack name (the configuration has validated the names)."""
    return [NAG_PACKS[name](scope) for name in names]
