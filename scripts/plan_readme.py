"""Regenerates the README's capacity-plan section (between its plan:begin/plan:end markers)
and docs/images/plan-*.png from the built-in toy-shop year and cdk.json's tier.

``make plan-readme``. The numbers depend only on the code, cdk.json and the arguments below
(the year is seeded), so a rerun on the same commit writes the same table.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from constructs_lib.planner.compare import compare, recommend
from constructs_lib.planner.demand import toy_shop_year
from constructs_lib.planner.model import CapacityModel
from constructs_lib.planner.report import markdown_table, plot
from stacks.plan import ROOT, policy_set, read_config

PRICE = 0.0104
TIME_ZONE = "America/Sao_Paulo"
BUDGET = 60
MARKERS = re.compile(r"(<!-- plan:begin -->\n).*?(<!-- plan:end -->)", re.S)


def main() -> None:
    demand = toy_shop_year(time_zone=TIME_ZONE)
    model = CapacityModel(requests_per_minute=3000.0)
    configured = policy_set(read_config({}))
    comparison = compare(demand, configured, model, price=PRICE, time_zone=TIME_ZONE)
    best = recommend(
        demand, configured, model, price=PRICE, overload_budget_minutes=BUDGET, time_zone=TIME_ZONE
    )
    images = ROOT / "docs" / "images"
    images.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for path in plot(comparison, demand, model, Path(scratch)):
            shutil.copy(path, images / f"plan-{path.name}")
    lines = [
        f"`make plan` on cdk.json's tier (dev profile) for the built-in toy-shop year "
        f"({demand.source}); one instance serves {model.requests_per_minute:g} requests/min "
        f"at 100 % CPU, {model.ready_minutes(warm_pool=False)} min from launch to traffic; "
        f"price {PRICE} per instance-hour (an example: give yours).",
        "",
        markdown_table(comparison.summaries),
        "",
    ]
    if comparison.events:
        lines += [
            "(c) adds the dated events derived from the demand:",
            "",
            "```json",
            json.dumps([e.context() for e in comparison.events]),
            "```",
            "",
        ]
    if best is not None:
        lines += [
            f"Recommendation (cheapest of {best.tried} candidates with at most {BUDGET} "
            f"overloaded minutes: {best.summary.overload_minutes} min, "
            f"{best.summary.instance_hours:,.0f} instance-hours):",
            "",
            "```json",
            json.dumps(best.context),
            "```",
            "",
        ]
    lines += [
        "![The peak week](docs/images/plan-peak-week.png)",
        "",
        "![The year](docs/images/plan-year.png)",
        "",
    ]
    readme = ROOT / "README.md"
    text = readme.read_text()
    if not MARKERS.search(text):
        raise SystemExit("README.md has no <!-- plan:begin --> / <!-- plan:end --> markers")
    readme.write_text(MARKERS.sub(lambda m: m.group(1) + "\n".join(lines) + m.group(2), text))
    print("README.md capacity-plan section and docs/images/plan-*.png regenerated")


if __name__ == "__main__":
    main()
