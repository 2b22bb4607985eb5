"""The cdk-nag rule packs the app can register, by the name used in cdk.json (``nagPacks``).

cdk-nag is imported only when a pack is registered: its import (Python modules and its jsii
assembly loaded into Node.js) costs ≈ 0.16 s, which a synth without packs (``make synth``'s
inner loop, see app.py) does not pay.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from constructs import IConstruct

if TYPE_CHECKING:
    from cdk_nag import NagPack

# Name in cdk.json -> cdk-nag 3.x validation plugin (rule pack) class in module cdk_nag.
NAG_PACKS: dict[str, str] = {
    "AwsSolutions": "AwsSolutionsChecks",
    "NIST80053R5": "NIST80053R5Checks",
    "HIPAASecurity": "HIPAASecurityChecks",
    "PCIDSS321": "PCIDSS321Checks",
}
ALL_PACKS: tuple[str, ...] = tuple(NAG_PACKS)


def nag_pack_class(name: str) -> type[NagPack]:
    """The cdk-nag class of pack ``name`` (imports cdk-nag on first use)."""
    import cdk_nag  # here, not at the top: only a synth that registers a pack pays for it

    return cast("type[NagPack]", getattr(cdk_nag, NAG_PACKS[name]))


def nag_plugins(scope: IConstruct, names: Sequence[str]) -> list[NagPack]:
    """One plugin per pack name (the configuration has validated the names)."""
    return [nag_pack_class(name)(scope) for name in names]
