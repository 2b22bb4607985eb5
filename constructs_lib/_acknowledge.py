"""One place that records why a validator finding is intended.

Acknowledgements sit next to the resource they concern (in the construct that owns it),
always with a reason a reviewer would accept. ``tests/test_acknowledgements.py`` lists every
one of them and fails when a new one appears unlisted.
"""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Acknowledgment, Validations
from constructs import IConstruct


def acknowledge(scope: IConstruct, reasons: Mapping[str, str]) -> None:
    """Acknowledge validator rule ids (cdk-nag or others) on ``scope`` with their reasons."""
    for rule_id, reason in reasons.items():
        if len(reason.strip()) < 20:
            raise ValueError(f"acknowledgement of {rule_id} needs a real reason, got {reason!r}")
    Validations.of(scope).acknowledge(
        *(Acknowledgment(id=rule_id, reason=reason) for rule_id, reason in reasons.items())
    )
