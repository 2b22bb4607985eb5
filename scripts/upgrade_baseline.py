"""Records the templates a deployed tier has, so that the next version's can be checked
against them (``tests/test_upgrade.py``).

A user who deployed this release and upgrades the library (or the app) runs ``cdk deploy``
with the same cdk.json: CloudFormation then updates each resource from the template it
holds, the one recorded here. Run this at a release (after the CI of the release passed) to
move the baseline forward; never to make the upgrade test pass.

    make upgrade-baseline   # rewrites tests/upgrade_baseline/ (offline, validated)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "tests" / "upgrade_baseline"
RELEASE_FILE = BASELINE / "release.json"


def write(name: str, template: dict[str, object]) -> None:
    """One line per resource: small diffs in review, still plain JSON."""
    resources = template.get("Resources", {})
    assert isinstance(resources, dict)
    lines = [
        f"{json.dumps(logical_id)}: {json.dumps(resource, sort_keys=True)}"
        for logical_id, resource in sorted(resources.items())
    ]
    (BASELINE / f"{name}.json").write_text(
        '{"Resources": {\n' + ",\n".join(lines) + "\n}}\n", encoding="utf-8"
    )


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("CDK_VALIDATION", "true")
    import constructs_lib.scaling_schedule as scaling_schedule
    from tests.conftest import SUITE_TODAY
    from tests.variants import VARIANTS, synthesize_variants

    # The suite's scaling events are valid from the suite's pinned day (tests/conftest.py).
    scaling_schedule.today = lambda: SUITE_TODAY
    BASELINE.mkdir(exist_ok=True)
    for stale in BASELINE.glob("*.json"):
        stale.unlink()
    for name, variant in synthesize_variants().items():
        write(name, variant.template)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    release = {
        "commit": commit,
        "recorded": dt.date.today().isoformat(),
        "aws-cdk-lib": metadata.version("aws-cdk-lib"),
        "variants": sorted(VARIANTS),
    }
    RELEASE_FILE.write_text(json.dumps(release, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(VARIANTS)} templates of {commit} to {BASELINE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
