"""Writes constructs_lib/ec2_instance_types.txt from botocore's EC2 service model.

The library checks instance types against this list (the ``InstanceType`` enum AWS publishes
with its API model) instead of a hand-kept shape. Run it after bumping botocore in
requirements-dev.txt; ``tests/test_instance_types.py`` fails while the file is behind.

    .venv/bin/python scripts/ec2_instance_types.py
"""

from __future__ import annotations

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


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {len(instance_types())} instance types to {TARGET}")
