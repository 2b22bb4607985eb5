"""The planner's inputs and outputs: demand CSV checks, the toy-shop year, the synthesized
template against cdk.json, the console command."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pytest

from constructs_lib.planner import cli
from constructs_lib.planner import template as cfn
from constructs_lib.planner.compare import compare, derive_events
from constructs_lib.planner.demand import Demand, read_csv, toy_shop_year, write_csv
from constructs_lib.planner.model import CapacityModel, PlannerError
from stacks.config import WebTierConfig
from stacks.plan import policy_set
from tests.conftest import ROOT, cdk_json_context
from tests.variants import VARIANTS, synthesize_variants, templates_dir

# Reads the session's synthesized variants: built once per run (tests/scheduling.py).
pytestmark = pytest.mark.xdist_group("variants")

MODEL = CapacityModel(requests_per_minute=3000.0)


def _csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "demand.csv"
    path.write_text("timestamp,requests_per_minute\n" + "\n".join(rows) + "\n")
    return path


def test_demand_csv_round_trips(tmp_path: Path) -> None:
    demand = Demand(
        start=dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
        requests=np.array([1.0, 2.5, 0.0]),
        source="test",
    )
    write_csv(demand, tmp_path / "d.csv")
    back = read_csv(tmp_path / "d.csv")
    assert back.start == demand.start and back.requests.tolist() == [1.0, 2.5, 0.0]
    offset = read_csv(_csv(tmp_path, ["2026-10-01T02:00:00+02:00,1", "2026-10-01T02:01+02:00,2"]))
    assert offset.start == dt.datetime(2026, 10, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["2026-10-01T00:00Z,1", "2026-10-01T00:02Z,1"], "line 3: field 'timestamp' .* gap of 2"),
        (["2026-10-01T00:01Z,1", "2026-10-01T00:00Z,1"], "line 3: field 'timestamp' .* sort"),
        (["2026-10-01T00:00Z,1", "2026-10-01T00:00Z,1"], "line 3: field 'timestamp' .* repeats"),
        (["2026-10-01T00:00Z,-5"], "line 2: field 'requests_per_minute' is -5"),
        (["2026-10-01T00:00Z,many"], "line 2: field 'requests_per_minute' 'many' is not"),
        (["yesterday,1"], "line 2: field 'timestamp' 'yesterday' is not an ISO 8601"),
        (["2026-10-01T00:00:30Z,1"], "not on a whole minute"),
    ],
)
def test_bad_demand_csv_names_the_line_and_field(
    tmp_path: Path, rows: list[str], message: str
) -> None:
    with pytest.raises(PlannerError, match=message):
        read_csv(_csv(tmp_path, rows))


def test_demand_csv_needs_its_header(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("time,rpm\n")
    with pytest.raises(PlannerError, match="expected timestamp,requests_per_minute"):
        read_csv(path)


def test_toy_shop_year_is_seeded_and_peaks_in_october_and_at_christmas() -> None:
    demand = toy_shop_year(year=2026, time_zone="America/Sao_Paulo")
    assert demand.minutes == 365 * 1440
    first, again = (toy_shop_year(time_zone="America/Sao_Paulo", days=2) for _ in range(2))
    assert np.array_equal(first.requests, again.requests)
    other = toy_shop_year(time_zone="America/Sao_Paulo", days=2, seed=8)
    assert not np.array_equal(first.requests, other.requests)
    daily = demand.requests.reshape(365, 1440)
    peak = daily.max(axis=1)
    march, october_12, december_22 = peak[69:75].mean(), peak[284], peak[355]
    assert october_12 > 1.5 * march and december_22 > 2.2 * march
    # the night trough (04:00 in Sao Paulo = 07:00 UTC) is far below the evening peak
    assert daily[69:75, 7 * 60].mean() < 0.25 * march
    with pytest.raises(PlannerError, match="time_zone 'Atlantis/Capital'"):
        toy_shop_year(time_zone="Atlantis/Capital", days=1)


def test_price_must_be_positive_and_no_price_source_is_pretended() -> None:
    demand = toy_shop_year(days=1)
    config = WebTierConfig.from_context(cdk_json_context())
    with pytest.raises(PlannerError, match=r"price 0\.0 per instance-hour .* no maintained"):
        compare(demand, policy_set(config), MODEL, price=0.0, time_zone="UTC")


def _comparable(actions: object) -> set[tuple[object, ...]]:
    return {
        (
            a.recurrence,
            a.time_zone,
            a.start_time,
            a.end_time,
            a.min_capacity,
            a.max_capacity,
            a.desired_capacity,
        )
        for a in actions  # type: ignore[attr-defined]
    }


def test_template_and_cdk_json_give_the_same_plan_for_the_holiday_peak() -> None:
    """The planner reads what deploys (the synthesized template) and the configuration the
    same way: the toy shop at Christmas, requests tracked and forecast, a dated peak."""
    template = synthesize_variants()["holiday-peak"].template
    from_template = cfn.policy_set(template)
    config = WebTierConfig.from_context({**cdk_json_context(), **VARIANTS["holiday-peak"]})
    from_config = policy_set(config)
    assert (from_template.min_capacity, from_template.max_capacity) == (2, 6)
    assert set(from_template.target_tracking) == set(from_config.target_tracking)
    assert {t.metric for t in from_template.target_tracking} == {"cpu", "request_count"}
    assert from_template.predictive == from_config.predictive
    assert from_template.predictive is not None
    assert from_template.predictive.mode == "ForecastAndScale"
    assert _comparable(from_template.scheduled) == _comparable(from_config.scheduled)
    assert len(from_template.scheduled) == 3
    same = ("instance_warmup_seconds", "detailed_monitoring", "warm_pool", "desired_capacity")
    for name in same:
        assert getattr(from_template, name) == getattr(from_config, name), name
    assert from_template.instance_warmup_seconds == 180
    model = cfn.capacity_model(template, dataclasses.replace(MODEL, healthy_threshold=9))
    assert (model.health_check_interval_seconds, model.healthy_threshold) == (15.0, 2)


def test_console_command_prints_the_table_and_writes_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    synthesize_variants()
    path = templates_dir() / "holiday-peak.template.json"
    out = tmp_path / "plan"
    code = cli.main(
        [
            "--template",
            str(path),
            "--price",
            "0.0104",
            "--days",
            "2",
            "--no-recommend",
            "--time-zone",
            "Europe/Berlin",
            "--out",
            str(out),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0
    for name in (
        "(a) seed example",
        "(b) configured",
        "(c) b + dated events",
        "(d) b + pred",
        "(e) oracle",
    ):
        assert name in printed
    report = (out / "report.md").read_text()
    assert "![peak-week](peak-week.png)" in report and "![year](year.png)" in report
    assert (out / "peak-week.png").read_bytes()[:4] == b"\x89PNG"
    assert cli.main(["--template", str(path), "--price", "-1", "--days", "1"]) == 2
    assert "price -1.0 per instance-hour" in capsys.readouterr().err


def test_recommendation_is_printed_as_cdk_json_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from stacks.plan import main

    code = main(
        [
            "-c",
            "maxCapacity=3",
            "--price",
            "0.01",
            "--days",
            "2",
            "--out",
            str(tmp_path),
            "--overload-budget-minutes",
            "0",
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0
    keys = json.loads(printed.split("cdk.json keys:\n", 1)[1].split("\n\n", 1)[0])
    assert {"minCapacity", "maxCapacity", "cpuTargetPercent"} <= set(keys)


def test_dated_events_cover_the_stretches_that_need_more_than_the_maximum() -> None:
    # GIVEN 10 quiet days with 4 busy ones (days 3-6) needing 6 instances at 50 % CPU
    requests = np.full(10 * 1440, 1000.0)
    requests[3 * 1440 : 7 * 1440] = 9000.0  # 9000 / (3000 x 0.5) = 6
    requests[8 * 1440 + 600] = 9000.0  # one busy minute is no event
    demand = Demand(start=dt.datetime(2026, 12, 1, tzinfo=dt.UTC), requests=requests, source="t")
    config = WebTierConfig.from_context(cdk_json_context())
    (event,) = derive_events(demand, MODEL, policy_set(config), cpu_target=50.0, time_zone="UTC")
    assert (event.name, event.start, event.end) == (
        "Christmas",
        dt.date(2026, 12, 4),
        dt.date(2026, 12, 7),
    )
    assert (event.min_capacity, event.max_capacity) == (6, 6)
    # AND it is a yearly season, which the app accepts whatever the date (a one-off dated in the
    # demand year would be refused once it has passed, so `make plan` would recommend stale keys)
    assert event.context()["yearly"] is True
    past = dataclasses.replace(event, start=dt.date(2020, 10, 8), end=dt.date(2020, 10, 17))
    context = {**cdk_json_context(), "maxCapacity": 6, "scalingEvents": [past.context()]}
    assert WebTierConfig.from_context(context).scaling_events[0].yearly


def test_readme_plan_section_is_the_generated_table_with_its_plots() -> None:
    from constructs_lib.planner.report import markdown_table

    readme = (ROOT / "README.md").read_text()
    section = readme.split("<!-- plan:begin -->", 1)[1].split("<!-- plan:end -->", 1)[0]
    header = markdown_table([]).splitlines()[0]
    assert header in section
    for name in ("(a) seed example", "(b) configured", "(c) b + dated", "(d) b + pred", "(e)"):
        assert f"| {name}" in section
    for image in re.findall(r"\]\((docs/images/[^)]+\.png)\)", section):
        assert (ROOT / image).read_bytes()[:4] == b"\x89PNG"
