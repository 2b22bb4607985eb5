"""The suite's xdist scheduling (tests/scheduling.py) groups what it claims to group.

pytest-xdist 3.8's own ``--dist loadgroup`` does nothing under pytest 9.2 (it renames
``item._nodeid``, which pytest no longer reads), and nothing failed when it stopped working:
every worker silently synthesized the variants and ran the scanners. These tests pin the
replacement down.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests import scheduling

TESTS = Path(__file__).resolve().parent
SHARED = "variants"
# The modules that share the in-process emulator's loaded moto (a cost per process).
EMULATOR = "emulator"


def _modules_naming_a_group() -> dict[str, str]:
    """module -> group, for every test module that mentions ``xdist_group(`` at all."""
    found = {}
    for path in sorted(TESTS.glob("test_*.py")):
        text = path.read_text()
        match = re.search(r"pytestmark = pytest\.mark\.xdist_group\(\"([^\"]+)\"\)", text)
        if match:
            found[f"tests/{path.name}"] = match.group(1)
    return found


def test_the_modules_that_share_the_variants_form_one_group() -> None:
    grouped = _modules_naming_a_group()
    assert {module for module, group in grouped.items() if group == SHARED} >= {
        "tests/test_acknowledgements.py",
        "tests/test_app.py",
        "tests/test_template_scanners.py",
    }
    assert {module for module, group in grouped.items() if group == EMULATOR} == {
        "tests/test_deploy_local.py",
        "tests/test_emulator_updates.py",
    }
    for module, group in grouped.items():
        assert group in (SHARED, EMULATOR)
        assert scheduling.group_of(f"{module}::test_x[param-a]") == group


def test_any_other_module_is_its_own_group() -> None:
    assert scheduling.group_of("tests/test_dns.py::test_x") == "tests/test_dns.py"
    assert scheduling.group_of("tests/test_dns.py::TestCase::test_x") == "tests/test_dns.py"
    assert scheduling.group_of("tests/no_such_module.py::test_x") == "tests/no_such_module.py"


def _config(dist: str) -> Any:
    """The two options the scheduler hook and xdist's scheduler read (2 local workers)."""
    values = {"dist": dist, "tx": ["2*popen"]}
    return SimpleNamespace(getvalue=values.__getitem__)


def test_loadgroup_gets_the_module_group_scheduler() -> None:
    scheduler = scheduling.pytest_xdist_make_scheduler(config=_config("loadgroup"), log=_Log())
    assert isinstance(scheduler, scheduling.ModuleGroupScheduling)
    assert scheduler.numnodes == 2
    assert scheduler._split_scope("tests/test_app.py::test_x") == SHARED
    assert scheduler._split_scope("tests/test_dns.py::test_x") == "tests/test_dns.py"


@pytest.mark.parametrize("dist", ["load", "loadscope", "loadfile", "each", "no"])
def test_other_modes_keep_xdist_schedulers(dist: str) -> None:
    assert scheduling.pytest_xdist_make_scheduler(config=_config(dist), log=_Log()) is None


class _Log:
    """Stands in for xdist's Producer: callable, with attribute access for sub-logs."""

    def __call__(self, *args: object) -> None:
        return None

    def __getattr__(self, name: str) -> _Log:
        return self


def test_a_worker_runs_its_atexit_handlers_then_skips_the_teardown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only an xdist worker exits early, and only after every unconfigure hook (the wrapper
    resumes after them) and its atexit handlers (jsii stopping Node.js gracefully)."""
    calls: list[str] = []
    monkeypatch.setattr("atexit._run_exitfuncs", lambda: calls.append("atexit"))
    monkeypatch.setattr("os._exit", lambda status: calls.append(f"exit {status}"))
    for config, expected in (
        (SimpleNamespace(), []),  # the controller, or a run without xdist
        (SimpleNamespace(workerinput={}), ["atexit", "exit 0"]),
    ):
        calls.clear()
        hook = scheduling.pytest_unconfigure(config=config)  # type: ignore[arg-type]
        next(hook)
        assert calls == []  # nothing before the other plugins' unconfigure
        with pytest.raises(StopIteration):
            next(hook)
        assert calls == expected
