"""Demand profiles: a validated CSV, or the seed's toy shop generated for a year.

CSV: a header ``timestamp,requests_per_minute`` then one row a minute, ISO 8601 timestamps
(with an offset, or UTC when none), sorted, no gaps or repeats, demand >= 0.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from constructs_lib.planner.model import PlannerError
from constructs_lib.planner.schedule import zone

COLUMNS = ("timestamp", "requests_per_minute")
_MAX_REPORTED = 20


@dataclass(frozen=True)
class Demand:
    """Requests per minute, one value a minute from ``start`` (UTC)."""

    start: dt.datetime
    requests: NDArray[np.float64]
    source: str

    @property
    def minutes(self) -> int:
        return len(self.requests)

    def times(self) -> NDArray[np.datetime64]:
        """Each minute's UTC time (numpy datetime64[m])."""
        first = np.datetime64(self.start.replace(tzinfo=None), "m")
        result: NDArray[np.datetime64] = first + np.arange(self.minutes).astype("timedelta64[m]")
        return result


def _timestamp(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def read_csv(path: Path) -> Demand:
    """Reads and validates a demand CSV; ``PlannerError`` lists each bad row and field."""
    problems: list[str] = []
    values: list[float] = []
    start: dt.datetime | None = None
    previous: dt.datetime | None = None
    name = str(path)
    try:
        handle = path.open(newline="")
    except OSError as error:
        raise PlannerError(f"demand CSV {name}: cannot read it ({error.strerror})") from None
    with handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        if tuple(header) != COLUMNS:
            raise PlannerError(
                f"demand CSV {name}: header is {header!r}; expected {','.join(COLUMNS)}"
            )
        for line, row in enumerate(reader, start=2):
            if len(problems) >= _MAX_REPORTED:
                problems.append("... (further problems not listed)")
                break
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != 2:
                problems.append(f"line {line}: has {len(row)} fields; expected 2 ({COLUMNS})")
                continue
            try:
                moment = _timestamp(row[0])
            except ValueError:
                problems.append(
                    f"line {line}: field 'timestamp' {row[0]!r} is not an ISO 8601 time, "
                    "e.g. 2026-10-01T00:00:00Z"
                )
                continue
            try:
                value = float(row[1])
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                problems.append(
                    f"line {line}: field 'requests_per_minute' {row[1]!r} is not a number"
                )
            elif value < 0:
                problems.append(
                    f"line {line}: field 'requests_per_minute' is {value:g}; demand cannot "
                    "be negative"
                )
            if moment.second or moment.microsecond:
                problems.append(
                    f"line {line}: field 'timestamp' {row[0]!r} is not on a whole minute"
                )
            if previous is not None:
                step = (moment - previous).total_seconds()
                if step == 0:
                    problems.append(
                        f"line {line}: field 'timestamp' {row[0]!r} repeats the previous row"
                    )
                    continue
                if step < 0:
                    problems.append(
                        f"line {line}: field 'timestamp' {row[0]!r} is before the previous "
                        f"row ({previous.isoformat()}); sort the rows by time"
                    )
                    continue
                if step != 60:
                    problems.append(
                        f"line {line}: field 'timestamp' {row[0]!r} leaves a gap of "
                        f"{step / 60:g} minutes after {previous.isoformat()}; give one row "
                        "a minute"
                    )
            else:
                start = moment
            previous = moment
            values.append(value)
    if start is None and not problems:
        problems.append("has no rows; give one row a minute")
    if problems:
        listing = "\n".join(f"  - {p}" for p in problems)
        raise PlannerError(f"demand CSV {name}:\n{listing}")
    assert start is not None
    return Demand(start=start, requests=np.array(values, dtype=np.float64), source=name)


def write_csv(demand: Demand, path: Path) -> None:
    """Writes ``demand`` in the CSV format ``read_csv`` reads."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for minute, value in enumerate(demand.requests.tolist()):
            moment = demand.start + dt.timedelta(minutes=minute)
            writer.writerow([moment.strftime("%Y-%m-%dT%H:%M:%SZ"), f"{value:.3f}"])


# The toy shop's year, shaped after the seed's notes: a daily curve with a night trough and
# an evening peak, busier weekends, children's month (October, up to Children's Day on the
# 12th), Black Friday and the run-up to Christmas.
def toy_shop_year(
    *,
    year: int = 2026,
    time_zone: str = "America/Sao_Paulo",
    peak_requests_per_minute: float = 4000.0,
    seed: int = 7,
    days: int | None = None,
) -> Demand:
    """A seeded year of minutes (or its first ``days``) in the shop's local time.

    ``peak_requests_per_minute`` is an ordinary weekday's evening peak; October peaks near
    1.8x that and the week before Christmas near 2.6x.
    """
    tz = zone(time_zone, "time_zone")
    start_local = dt.datetime(year, 1, 1, tzinfo=tz)
    end_local = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    if days is not None:
        end_local = start_local + dt.timedelta(days=days)
    start = start_local.astimezone(dt.UTC)
    minutes = int((end_local.astimezone(dt.UTC) - start).total_seconds() // 60)
    utc = np.datetime64(start.replace(tzinfo=None), "m") + np.arange(minutes).astype(
        "timedelta64[m]"
    )
    offsets = _local_offsets(start, minutes, tz)
    local = utc + offsets
    day = local.astype("datetime64[D]")
    hour = (local - day).astype(np.int64) / 60.0
    weekday = (day.astype(np.int64) + 3) % 7  # 0 = Monday (1970-01-01 was a Thursday)
    day_of_year = (day - np.datetime64(f"{year}-01-01", "D")).astype(np.int64)

    daily = (
        0.12
        + 0.45 * np.exp(-0.5 * ((hour - 12.5) / 2.2) ** 2)
        + 0.88 * np.exp(-0.5 * ((hour - 20.5) / 2.0) ** 2)
        + 0.25 * np.exp(-0.5 * ((hour - 16.0) / 3.0) ** 2)
    )
    weekly = np.where(weekday >= 5, 1.15, 1.0)
    weekly = np.where(weekday == 0, 0.95, weekly)
    season = _season(year, day_of_year)
    rng = np.random.default_rng(seed)
    hourly_noise = np.repeat(rng.normal(0, 0.06, minutes // 60 + 2), 60)[:minutes]
    minute_noise = rng.normal(0, 0.04, minutes)
    noise = np.exp(hourly_noise + minute_noise)
    requests = peak_requests_per_minute * daily * weekly * season * noise
    return Demand(
        start=start,
        requests=requests.astype(np.float64),
        source=f"built-in toy shop {year} ({time_zone}, seed {seed})",
    )


def _local_offsets(start: dt.datetime, minutes: int, tz: dt.tzinfo) -> NDArray[np.timedelta64]:
    """Each minute's UTC offset in ``tz`` (changes only at DST transitions: hourly steps)."""
    hours = minutes // 60 + 1
    offsets = np.empty(hours, dtype=np.int64)
    for h in range(hours):
        moment = start + dt.timedelta(hours=h)
        offset = moment.astimezone(tz).utcoffset()
        offsets[h] = int(offset.total_seconds() // 60) if offset else 0
    result: NDArray[np.timedelta64] = np.repeat(offsets, 60)[:minutes].astype("timedelta64[m]")
    return result


def _season(year: int, day_of_year: NDArray[np.int64]) -> NDArray[np.float64]:
    def doy(month: int, day: int) -> int:
        return (dt.date(year, month, day) - dt.date(year, 1, 1)).days

    d = day_of_year.astype(np.float64)
    season = np.ones_like(d)
    season = np.where(d < doy(2, 1), 0.8, season)  # January lull
    # Children's month: a ramp up to Children's Day (12 October), then back down.
    kids = doy(10, 12)
    season += np.where(
        (d >= doy(10, 1)) & (d <= kids), 0.8 * (d - doy(10, 1) + 1) / (kids - doy(10, 1) + 1), 0
    )
    season += np.where((d > kids) & (d <= kids + 7), 0.8 * (1 - (d - kids) / 8), 0)
    # Black Friday: the fourth Friday of November.
    first = dt.date(year, 11, 1)
    friday = first + dt.timedelta(days=(4 - first.weekday()) % 7 + 21)
    black_friday = doy(friday.month, friday.day)
    season += np.where((d >= black_friday) & (d <= black_friday + 3), 0.9, 0)
    # December: a ramp to the 23rd, Christmas Eve half, Christmas Day quiet.
    dec = doy(12, 1)
    eve = doy(12, 24)
    season += np.where((d >= dec) & (d < eve), 0.6 + 1.0 * (d - dec) / (eve - 1 - dec), 0)
    season = np.where(d == eve, 1.2, season)
    season = np.where(d == eve + 1, 0.5, season)
    result: NDArray[np.float64] = season
    return result
