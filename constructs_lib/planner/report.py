"""The side-by-side table (text and markdown), the plots (PNG, matplotlib Agg) and the report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from constructs_lib.planner import aws
from constructs_lib.planner.compare import Comparison, Recommendation, Summary
from constructs_lib.planner.demand import Demand
from constructs_lib.planner.model import CapacityModel

HEADERS = (
    "policy set",
    "instance-hours",
    "cost",
    "x oracle",
    "min > target",
    f"min > {aws.OVERLOAD_CPU_PERCENT:g} %",
    "worst hour (mean CPU)",
    "scaling actions",
)


def _row(s: Summary, currency: str) -> list[str]:
    worst = "no capacity" if s.worst_hour_cpu >= 1000 else f"{s.worst_hour_cpu:.0f} %"
    return [
        s.name,
        f"{s.instance_hours:,.0f}",
        f"{currency}{s.cost:,.2f}",
        f"{s.cost_ratio:.2f}",
        f"{s.over_target_minutes:,}",
        f"{s.overload_minutes:,}",
        f"{s.worst_hour} ({worst})",
        f"{s.actions:,}",
    ]


def text_table(summaries: list[Summary], currency: str = "$") -> str:
    rows = [list(HEADERS), *(_row(s, currency) for s in summaries)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADERS))]
    lines = []
    for index, row in enumerate(rows):
        cells = [
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells))
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(summaries: list[Summary], currency: str = "$") -> str:
    lines = [
        "| " + " | ".join(HEADERS) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(HEADERS) - 1)) + "|",
    ]
    lines += ["| " + " | ".join(_row(s, currency)) + " |" for s in summaries]
    return "\n".join(lines)


def peak_week(demand: Demand) -> slice:
    """The 7 days (from a whole UTC day) with the most requests."""
    week = 7 * 1440
    if demand.minutes <= week:
        return slice(0, demand.minutes)
    daily = np.add.reduceat(demand.requests, np.arange(0, demand.minutes, 1440))
    sums = np.convolve(daily, np.ones(7), mode="valid")
    first = int(np.argmax(sums)) * 1440
    return slice(first, first + week)


def plot(
    comparison: Comparison, demand: Demand, model: CapacityModel, directory: Path
) -> list[Path]:
    """Writes peak-week.png and year.png into ``directory``; returns their paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    directory.mkdir(parents=True, exist_ok=True)
    times = demand.times()
    per_instance = model.requests_per_minute * comparison.cpu_target / 100
    needed = demand.requests / per_instance
    paths = []

    window = peak_week(demand)
    figure, axis = plt.subplots(figsize=(12, 5), dpi=100)
    axis.plot(
        times[window],
        needed[window],
        color="0.6",
        lw=0.6,
        label=f"demand (instances at {comparison.cpu_target:g} % CPU)",
    )
    for run in comparison.runs[:-1]:  # the oracle is the demand line, rounded up
        axis.step(times[window], run.billed[window], where="post", lw=1.1, label=run.name)
    paths.append(
        _finish(
            figure,
            axis,
            directory / "peak-week.png",
            "Peak week: demand and instances per policy set (UTC)",
            "instances",
        )
    )

    figure, axis = plt.subplots(figsize=(12, 5), dpi=100)
    days = np.arange(0, demand.minutes, 1440)
    day_times = times[days]
    axis.plot(day_times, _daily(needed, np.max), color="0.6", lw=0.8, label="daily peak demand")
    for run in comparison.runs:
        axis.plot(day_times, _daily(run.billed.astype(np.float64), np.mean), lw=1.0, label=run.name)
    paths.append(
        _finish(
            figure,
            axis,
            directory / "year.png",
            "The year: instances per policy set",
            "instances (daily mean; demand: daily peak)",
        )
    )
    return paths


def _finish(figure: Any, axis: Any, path: Path, title: str, ylabel: str) -> Path:
    import matplotlib.pyplot as plt

    axis.set_ylabel(ylabel)
    axis.set_title(title)
    axis.legend(fontsize=8, loc="upper left")
    axis.grid(alpha=0.3)
    figure.autofmt_xdate()
    figure.savefig(path, bbox_inches="tight")
    plt.close(figure)
    return path


def _daily(values: NDArray[np.float64], reduce: object) -> NDArray[np.float64]:
    starts = np.arange(0, len(values), 1440)
    if reduce is np.max:
        result: NDArray[np.float64] = np.maximum.reduceat(values, starts)
        return result
    sums = np.add.reduceat(values, starts)
    lengths = np.diff(np.append(starts, len(values)))
    mean: NDArray[np.float64] = sums / lengths
    return mean


def markdown_report(
    comparison: Comparison,
    demand: Demand,
    model: CapacityModel,
    *,
    price: float,
    plots: list[Path],
    recommendation: Recommendation | None,
    overload_budget_minutes: int,
    notes: list[str],
) -> str:
    lines = [
        "# Capacity plan",
        "",
        f"Demand: {demand.source}, {demand.minutes:,} minutes from "
        f"{demand.start:%Y-%m-%d %H:%M} UTC. One instance serves "
        f"{model.requests_per_minute:g} requests/min at 100 % CPU and takes "
        f"{model.ready_minutes(warm_pool=False)} min from launch to traffic. Price "
        f"{price:g} per instance-hour (given by you: there is no maintained offline price "
        "source; per-second billing).",
        "",
        markdown_table(comparison.summaries),
        "",
        f"'x oracle' is instance-hours relative to (e): just enough instances each minute "
        f"for {comparison.cpu_target:g} % CPU within min/max, with perfect foresight. "
        f"Overload: CPU above {aws.OVERLOAD_CPU_PERCENT:g} % (above 100 % means requests "
        "beyond capacity).",
        "",
    ]
    for path in plots:
        lines += [f"![{path.stem}]({path.name})", ""]
    if comparison.events:
        lines += ["Dated events added in (c):", "", "```json"]
        lines += [json.dumps([e.context() for e in comparison.events], indent=1), "```", ""]
    lines += ["## Recommendation", ""]
    if recommendation is None:
        lines += [f"No candidate kept overload within {overload_budget_minutes} minutes.", ""]
    else:
        lines += [
            f"Cheapest of {recommendation.tried} candidates with at most "
            f"{overload_budget_minutes} overloaded minutes "
            f"({recommendation.summary.overload_minutes} min, "
            f"{recommendation.summary.instance_hours:,.0f} instance-hours): set in cdk.json",
            "",
            "```json",
            json.dumps(recommendation.context, indent=1),
            "```",
            "",
        ]
    lines += [
        "## How this is computed",
        "",
        "Target tracking, step scaling, warm-up, scheduled actions and predictive scaling follow "
        "the AWS documentation cited in `constructs_lib/planner/aws.py`. The predictive "
        "forecaster is an approximation (AWS does not publish its model).",
        "",
    ]
    lines += [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"


def generated_at() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
