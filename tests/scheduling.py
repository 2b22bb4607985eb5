"""pytest plugin: how ``make unit`` spreads the suite over pytest-xdist workers.

``make unit`` runs ``pytest -n auto --dist loadgroup --no-loadscope-reorder`` and this plugin
(active only under ``--dist loadgroup``) decides the groups and their order:

1. A test module is one unit of work, so a module-scoped fixture (a stack synthesized once,
   read by many tests) is built on one worker, not on each. Modules that share something
   built once per session (templates synthesized per variant, a warmed-up validator) name one
   common group, ``pytestmark = pytest.mark.xdist_group("variants")``, so it is built once
   per run. The groups are decided here, by ``group_of(nodeid)``, in a scheduler of our own:
   pytest-xdist 3.8's ``loadgroup`` tags node ids through ``item._nodeid``, which pytest 9.2
   no longer reads, so with these pins xdist's own grouping silently does nothing (every
   worker synthesized the variants and ran the scanners; tests/test_scheduling.py guards it).
2. Longest first: groups start in order of their duration in the previous run (kept in
   pytest's cache), so the slowest group does not start last and leave a worker idle; with no
   history yet, groups holding a ``packaging`` test (fresh virtualenv + CLI synths) or a
   ``cli_deploy`` test (make deploy-local) go first.
3. A worker that has handed its results to the controller exits at once: its atexit handlers
   run (jsii stops its Node.js process gracefully and waits for it, temporary directories go),
   then ``os._exit`` skips the interpreter's teardown of its modules and objects (≈ 1-2 s per
   worker at the end of every run, which the controller waited for).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Generator
from functools import cache
from pathlib import Path

import pytest
from xdist.scheduler import LoadScopeScheduling  # type: ignore[import-untyped]

from stacks.process import exit_without_teardown

CACHE_KEY = "webtier/module-durations"
ROOT = Path(__file__).resolve().parent.parent
_GROUP_MARK = re.compile(
    r"^pytestmark\s*=\s*pytest\.mark\.xdist_group\(\s*(?:name\s*=\s*)?[\"']([^\"']+)[\"']", re.M
)
# Seconds per test module in this session (setup + call + teardown of its tests).
_DURATIONS: defaultdict[str, float] = defaultdict(float)


def _module(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


@cache
def _module_group(module: str) -> str:
    """The module's ``pytestmark = pytest.mark.xdist_group("name")``, else the module itself.

    Read from the source, not the collected items: the controller, which schedules, never
    collects (only the workers do)."""
    path = ROOT / module
    match = _GROUP_MARK.search(path.read_text()) if path.is_file() else None
    return match.group(1) if match else module


def group_of(nodeid: str) -> str:
    """The unit of work a test belongs to: its module's explicit group, else its module."""
    return _module_group(_module(nodeid))


class ModuleGroupScheduling(LoadScopeScheduling):  # type: ignore[misc]  # xdist is untyped
    """xdist's load-scope scheduler with ``group_of`` as the scope of each test."""

    def _split_scope(self, nodeid: str) -> str:
        return group_of(nodeid)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    if config.getvalue("dist") != "loadgroup":
        return None
    return ModuleGroupScheduling(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Order the groups slowest first (each worker collects, and all compute the same order)."""
    if not getattr(config.option, "loadgroup", False):
        return
    groups: dict[str, list[pytest.Item]] = defaultdict(list)
    for item in items:
        groups[group_of(item.nodeid)].append(item)

    cache = getattr(config, "cache", None)  # absent under -p no:cacheprovider
    history: dict[str, float] = cache.get(CACHE_KEY, {}) if cache else {}

    def weight(members: list[pytest.Item]) -> float:
        modules = {_module(item.nodeid) for item in members}
        if history:
            return sum(history.get(module, 0.0) for module in modules)
        slow = ("packaging", "cli_deploy")  # fresh virtualenv / the real CDK CLI deploying
        return float(any(item.get_closest_marker(m) for item in members for m in slow))

    # Stable sort: equal weights keep collection order; every worker computes the same order.
    ordered = sorted(groups.values(), key=weight, reverse=True)
    items[:] = [item for members in ordered for item in members]


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Sum each module's test time (setup + call + teardown) as reports arrive: in the
    controller they come from every worker."""
    _DURATIONS[_module(report.nodeid)] += report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    cache = getattr(config, "cache", None)  # absent under -p no:cacheprovider
    if hasattr(config, "workerinput") or cache is None or not _DURATIONS:
        return  # a worker (its controller records), no cache, or nothing ran
    stored: dict[str, float] = cache.get(CACHE_KEY, {})
    stored.update({module: round(seconds, 2) for module, seconds in _DURATIONS.items()})
    cache.set(CACHE_KEY, stored)


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_unconfigure(config: pytest.Config) -> Generator[None, None, None]:
    """In an xdist worker, after every plugin's unconfigure: exit without the teardown. The
    worker sent its reports and ``workerfinished`` (with its outcome) at session finish."""
    yield
    if hasattr(config, "workerinput"):
        exit_without_teardown(0)
