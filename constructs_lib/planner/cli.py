"""Console command: replay a demand profile through the policy sets, print the table, write
the plots and a markdown report. ``python -m constructs_lib.planner --help``.

The library's command reads a synthesized template (``--template cdk.out/<stack>.template.json``);
the app's ``make plan`` (``python -m stacks.plan``) also reads cdk.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from constructs_lib.planner import template as cfn
from constructs_lib.planner.model import CapacityModel, PlannerError, PolicySet


def parser(prog: str = "python -m constructs_lib.planner") -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n\n")[0])
    source = p.add_argument_group("the tier")
    source.add_argument("--template", type=Path, help="synthesized CloudFormation template (JSON)")
    demand = p.add_argument_group("demand (default: the built-in toy-shop year)")
    demand.add_argument("--demand", type=Path, help="CSV: timestamp,requests_per_minute")
    demand.add_argument("--year", type=int, default=2026, help="toy-shop year (default 2026)")
    demand.add_argument("--days", type=int, help="only the toy shop's first DAYS days")
    demand.add_argument("--seed", type=int, default=7, help="toy-shop noise seed (default 7)")
    demand.add_argument(
        "--peak-rpm",
        type=float,
        default=4000.0,
        help="toy shop: an ordinary weekday's evening peak, requests/min (default 4000)",
    )
    demand.add_argument(
        "--time-zone", help="the shop's IANA time zone (default: the tier's scalingTimeZone)"
    )
    model = p.add_argument_group("capacity model (assumptions: measure yours)")
    model.add_argument(
        "--requests-per-minute",
        type=float,
        default=3000.0,
        help="requests/min one instance serves at 100 %% CPU (default 3000)",
    )
    model.add_argument(
        "--boot-seconds",
        type=float,
        default=120.0,
        help="launch to app ready, boot + user data (default 120)",
    )
    model.add_argument(
        "--health-check-interval",
        type=float,
        default=None,
        help="seconds (default: the template's target group, else 15)",
    )
    model.add_argument("--warm-pool-boot-seconds", type=float, default=None)
    p.add_argument(
        "--price",
        type=float,
        required=True,
        help="price per instance-hour (no offline price source is maintained: give yours)",
    )
    p.add_argument(
        "--overload-budget-minutes",
        type=int,
        default=60,
        help="minutes a year above 90 %% CPU the recommendation may allow (default 60)",
    )
    p.add_argument("--no-recommend", action="store_true", help="skip the recommendation search")
    p.add_argument(
        "--out", type=Path, default=Path("plan"), help="report directory (default plan/)"
    )
    return p


def main(
    argv: Sequence[str] | None = None,
    *,
    configured: PolicySet | None = None,
    health_check: tuple[float, int] | None = None,
    time_zone: str = "UTC",
    prog: str = "python -m constructs_lib.planner",
) -> int:
    """Runs the planner; ``configured`` is the tier when the caller read it (the app), with
    its target group's health-check interval (seconds) and healthy threshold."""
    args = parser(prog).parse_args(argv)
    try:
        return _run(args, configured, health_check, time_zone)
    except PlannerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _run(
    args: argparse.Namespace,
    configured: PolicySet | None,
    health_check: tuple[float, int] | None,
    time_zone: str,
) -> int:
    from constructs_lib.planner.compare import compare, recommend
    from constructs_lib.planner.demand import read_csv, toy_shop_year
    from constructs_lib.planner.report import markdown_report, plot, text_table

    began = time.perf_counter()
    model = CapacityModel(
        requests_per_minute=args.requests_per_minute,
        boot_seconds=args.boot_seconds,
        warm_pool_boot_seconds=args.warm_pool_boot_seconds,
    )
    if health_check is not None:
        model = dataclasses.replace(
            model,
            health_check_interval_seconds=health_check[0],
            healthy_threshold=health_check[1],
        )
    if args.template is not None:
        document = cfn.load(args.template)
        configured = cfn.policy_set(document)
        model = cfn.capacity_model(document, model)
    if configured is None:
        raise PlannerError("give --template (a synthesized template) to plan")
    if args.health_check_interval is not None:
        model = dataclasses.replace(model, health_check_interval_seconds=args.health_check_interval)
    model.check()
    zone_name = args.time_zone or time_zone
    if args.demand is not None:
        demand = read_csv(args.demand)
    else:
        demand = toy_shop_year(
            year=args.year,
            time_zone=zone_name,
            peak_requests_per_minute=args.peak_rpm,
            seed=args.seed,
            days=args.days,
        )
    comparison = compare(demand, configured, model, price=args.price, time_zone=zone_name)
    print(text_table(comparison.summaries))
    recommendation = None
    if not args.no_recommend:
        recommendation = recommend(
            demand,
            configured,
            model,
            price=args.price,
            overload_budget_minutes=args.overload_budget_minutes,
            time_zone=zone_name,
        )
        print()
        if recommendation is None:
            print(f"No candidate kept overload within {args.overload_budget_minutes} minutes.")
        else:
            print(
                f"Recommendation (cheapest of {recommendation.tried} within "
                f"{args.overload_budget_minutes} overloaded minutes: "
                f"{recommendation.summary.overload_minutes} min, "
                f"{recommendation.summary.instance_hours:,.0f} instance-hours); cdk.json keys:"
            )
            print(json.dumps(recommendation.context, indent=1))
    plots = plot(comparison, demand, model, args.out)
    notes = list(configured.notes) + [n for run in comparison.runs for n in run.notes]
    report = markdown_report(
        comparison,
        demand,
        model,
        price=args.price,
        plots=plots,
        recommendation=recommendation,
        overload_budget_minutes=args.overload_budget_minutes,
        notes=notes,
    )
    (args.out / "report.md").write_text(report)
    print(
        f"\nWrote {args.out / 'report.md'} and {', '.join(str(p) for p in plots)} "
        f"in {time.perf_counter() - began:.1f} s"
    )
    return 0
