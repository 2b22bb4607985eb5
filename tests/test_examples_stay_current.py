"""Examples do not go stale: the app refuses a one-off scaling event that has ended (and Auto
Scaling deletes one-off actions once they pass), so an example a user copies, or a variant
the suite synthesizes, must not hold a one-off event or a schedule end that a calendar will
soon overtake. Seasons are ``yearly``; schedules have no near end. Checked against the real
clock (not the suite's pinned today), with a year's margin."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "tests/variants.py"]
# A flat object (JSON in Markdown, a dict literal in Python) with an "end" date.
_OBJECT = re.compile(r"\{[^{}]*[\"']end[\"']\s*:\s*[\"'](\d{4}-\d\d-\d\d)[\"'][^{}]*\}")
_YEARLY = re.compile(r"[\"']yearly[\"']\s*:\s*(true|True|\"true\")")
_PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.S)
_CALLS = {"OneOffSchedule": 2, "RecurringSchedule": None}  # positional index of `end`, if any


def _horizon() -> dt.date:
    return dt.datetime.now(dt.UTC).date() + dt.timedelta(days=366)


def _dated_objects(text: str) -> list[str]:
    """The one-off events and ended schedules among the text's objects that end too soon."""
    stale = []
    for match in _OBJECT.finditer(text):
        end = dt.date.fromisoformat(match.group(1))
        if end <= _horizon() and not _YEARLY.search(match.group(0)):
            stale.append(" ".join(match.group(0).split()))
    return stale


def _date(node: ast.expr | None) -> dt.date | None:
    """``dt.date(2026, 12, 26)`` / ``date(...)`` with literal arguments, else None."""
    if not isinstance(node, ast.Call) or not all(isinstance(a, ast.Constant) for a in node.args):
        return None
    name = ast.unparse(node.func)
    if name not in ("dt.date", "datetime.date", "date"):
        return None
    return dt.date(*(a.value for a in node.args))  # type: ignore[attr-defined]


def _dated_calls(code: str) -> list[str]:
    """``OneOffSchedule(...)`` without ``yearly=True`` and ``RecurringSchedule(end=...)`` calls
    that end too soon."""
    stale = []
    for node in ast.walk(ast.parse(code)):
        if not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func).rsplit(".", 1)[-1]
        if name not in _CALLS:
            continue
        keywords = {k.arg: k.value for k in node.keywords}
        position = _CALLS[name]
        end = keywords.get("end")
        if end is None and position is not None and len(node.args) > position:
            end = node.args[position]
        yearly = keywords.get("yearly")
        if isinstance(yearly, ast.Constant) and yearly.value is True:
            continue
        day = _date(end)
        if day is not None and day <= _horizon():
            stale.append(ast.unparse(node))
    return stale


def test_the_checker_finds_what_would_go_stale() -> None:
    soon = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30)).isoformat()
    y, m, d = soon.split("-")
    one_off = f'{{"name": "X", "start": "2020-01-01", "end": "{soon}", "min": 4, "max": 8}}'
    assert _dated_objects(one_off) and not _dated_objects(one_off[:-1] + ', "yearly": true}')
    assert _dated_objects(f'{{"name": "N", "cron": "0 22 * * *", "max": 3, "end": "{soon}"}}')
    call = f"OneOffSchedule('X', dt.date(2020, 1, 1), dt.date({y}, {int(m)}, {int(d)}), 4, 8)"
    assert _dated_calls(call) and not _dated_calls(call[:-1] + ", yearly=True)")
    assert _dated_calls(f"RecurringSchedule('N', '0 22 * * *', end=dt.date({y}, {int(m)}, 1))")


def test_no_example_holds_a_dated_event_or_schedule_end_within_a_year() -> None:
    stale: list[str] = []
    for path in SOURCES:
        text = path.read_text()
        blocks = [text] if path.suffix == ".py" else _PYTHON_BLOCK.findall(text)
        found = _dated_objects(text) + [c for b in blocks for c in _dated_calls(b)]
        stale += [f"{path.relative_to(ROOT)}: {item}" for item in found]
    assert not stale, (
        "examples that will be refused (or deleted by Auto Scaling) within a year; make seasons "
        "`yearly` and give schedules no near end:\n" + "\n".join(stale)
    )
