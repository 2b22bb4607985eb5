"""The README's configuration table is what the key table generates.

GIVEN stacks/config/keys.py and cdk.json's profiles
WHEN stacks/config/readme_table.py renders the table
THEN the README holds exactly that table (`make config-table` rewrites it).
"""

from __future__ import annotations

from stacks.config.keys import KEYS
from stacks.config.readme_table import README, cdk_json_profiles, render, with_table


def test_readme_configuration_table_is_generated_from_the_key_table() -> None:
    readme = README.read_text()
    assert with_table(readme, render(cdk_json_profiles())) == readme, "run `make config-table`"


def test_every_key_has_a_row_with_each_profiles_effective_value() -> None:
    table = render({"dev": {"minCapacity": 1}, "prod": {}})
    rows = table.splitlines()[2:]
    assert [row.split(" | ")[0] for row in rows] == [f"| `{key.name}`" for key in KEYS]
    assert "| `minCapacity` | `2` | **`1`** | `2` | fewest instances |" in rows
