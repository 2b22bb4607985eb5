"""Writes constructs_lib/ec2_instance_types.txt from botocore's EC2 service model.

The library checks instance types against this list (the ``InstanceType`` enum AWS publishes
with its API model) instead of a hand-kept shape. Run it after bumping botocore in
requirements-dev.txt; ``tests/test_instance_types.py`` fails while the file is behind.

    .venv/bin/python scripts/ec2_instance_types.py            # rewrite the list
    .venv/bin/python scripts/ec2_instance_types.py --check    # exit 1 when it is behind
"""

from __future__ import annotations

import sys
from pathlib import Path

from botocore.loaders import create_loader

TARGET = Path(__file__).resolve().parent.parent / "constructs_lib" / "ec2_instance_types.txt"
HEADER = "# EC2 instance types, from botocore's EC2 service model (scripts/ec2_instance_types.py)\n"


def instance_types() -> list[str]:
    # The loader reads the model shipped in the package; no session, profile or network.
    model = create_loader().load_service_model("ec2", "service-2")
    return sorted(set(model["shapes"]["InstanceType"]["enum"]))


def render() -> str:
    return HEADER + "".join(f"{name}\n" for name in instance_types())


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        if TARGET.read_text(encoding="utf-8") == render():
            return 0
        print(f"{TARGET} differs from botocore's list; run scripts/ec2_instance_types.py")
        return 1
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {len(instance_types())} instance types to {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
