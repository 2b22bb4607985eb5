"""Upgrading a deployed tier: the templates of the last release (tests/upgrade_baseline/,
recorded by ``make upgrade-baseline``) updated to this checkout's, configuration unchanged.

A library refactor that moves a construct id, or a new default on a create-only property,
would make CloudFormation replace a resource (a new load balancer DNS name, an emptied
bucket, a new group launching a new fleet) on a user's next ``cdk deploy``, with nothing in
cdk.json changed. Here such an upgrade may modify resources in place, and may add some; it
may replace or remove one only when ``ALLOWED`` says why (reviewed, and said in the release
notes). Collisions (names and listener ports still held) fail as in the day-2 matrix; the
rules and their CloudFormation sources are those of tests/support/update_safety.py.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.update_safety import Change, check
from tests.variants import VARIANTS, synthesize_variants

pytestmark = pytest.mark.xdist_group("variants")

BASELINE = Path(__file__).resolve().parent / "upgrade_baseline"

# (variant, logical id, action) -> why that upgrade replaces or removes it. Empty: upgrading
# from the last release replaces and removes nothing.
ALLOWED: dict[tuple[str, str, str], str] = {}


def baseline(name: str) -> dict[str, Any]:
    template: dict[str, Any] = json.loads((BASELINE / f"{name}.json").read_text())
    return template


def problems(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What an upgrade from ``old`` to ``new`` would replace, remove or collide on."""
    transition = check(f"{name}@release", old, name, new, changed_keys=())
    found = [
        f"{c.created} needs {c.key} held by {c.held_by} [{c.rule}]" for c in transition.collisions
    ]
    for change in transition.changes:  # check() already diffed the two templates
        if change.action in ("replace", "remove") and (
            (name, change.logical_id, change.action) not in ALLOWED
        ):
            found.append(_describe(change))
    return found


def _describe(change: Change) -> str:
    why = f" (create-only {', '.join(change.properties)})" if change.properties else ""
    return f"{change.action} {change.type} {change.logical_id}{why}"


def test_the_baseline_covers_every_variant() -> None:
    release = json.loads((BASELINE / "release.json").read_text())
    assert set(release["variants"]) <= set(VARIANTS), "a variant of the release was dropped"
    assert all((BASELINE / f"{name}.json").exists() for name in release["variants"])


def test_upgrading_from_the_last_release_replaces_and_removes_nothing() -> None:
    release = json.loads((BASELINE / "release.json").read_text())
    variants = synthesize_variants()
    found = {
        name: problems(name, baseline(name), variants[name].template)
        for name in release["variants"]
    }
    assert not any(found.values()), json.dumps(
        {name: p for name, p in found.items() if p}, indent=1
    )


def test_the_check_catches_a_moved_construct_and_a_create_only_change() -> None:
    old = baseline("default")
    new = copy.deepcopy(old)
    resources = new["Resources"]
    bucket = next(k for k, r in resources.items() if r["Type"] == "AWS::S3::Bucket")
    resources[bucket + "Moved"] = resources.pop(bucket)  # a construct id changed
    group = next(k for k, r in resources.items() if r["Type"] == "AWS::EC2::SecurityGroup")
    resources[group]["Properties"]["GroupDescription"] = "reworded"  # create-only
    found = problems("default", old, new)
    assert f"remove AWS::S3::Bucket {bucket}" in found
    assert f"replace AWS::EC2::SecurityGroup {group} (create-only GroupDescription)" in found
    assert problems("default", old, old) == []
