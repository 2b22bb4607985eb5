"""pytest plugin: how ``make unit`` spreads the suite over pytest-xdist workers.

``make unit`` runs ``pytest -n auto --dist loadgroup --no-loadscope-reorder`` and this plugin
(active only under ``--dist loadgroup``) decides the groups and their order:

1. A test module is one unit of work: a test without an ``xdist_group`` mark joins its
   module's group, so a module-scoped fixture (a stack synthesized once, read by many tests)
   is built on one worker, not on each. Modules that share something built once per session
   (templates synthesized per variant, a warmed-up validator) should name one common group,
   ``pytestmark = pytest.mark.xdist_group("variants")``, so it is built once per run.
2. Longest first: groups start in order of their duration in the previous run (kept in
   pytest's cache), so the slowest group does not start last and leave a worker idle; with no
   history yet, groups holding a ``packaging`` test (fresh virtualenv + CLI synths) or a
   ``cli_deploy`` test (make deploy-local) go first.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

CACHE_KEY = "webtier/module-durations"
# Seconds per test module in this session (setup + call + teardown of its tests).
_DURATIONS: defaultdict[str, float] = defaultdict(float)


def _module(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def _explicit_group(item: pytest.Item) -> str | None:
    mark = item.get_closest_marker("xdist_group")
    if mark is None:
        return None
    return str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))


@pytest.hookimpl(tryfirst=True)  # before xdist turns the marks into node id suffixes
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not getattr(config.option, "loadgroup", False):
        return
    groups: dict[str, list[pytest.Item]] = defaultdict(list)
    for item in items:
        group = _explicit_group(item)
        if group is None:
            group = _module(item.nodeid)
            item.add_marker(pytest.mark.xdist_group(group))
        groups[group].append(item)

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
    _DURATIONS[_module(report.nodeid.split("@", 1)[0])] += report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    cache = getattr(config, "cache", None)  # absent under -p no:cacheprovider
    if hasattr(config, "workerinput") or cache is None or not _DURATIONS:
        return  # a worker (its controller records), no cache, or nothing ran
    stored: dict[str, float] = cache.get(CACHE_KEY, {})
    stored.update({module: round(seconds, 2) for module, seconds in _DURATIONS.items()})
    cache.set(CACHE_KEY, stored)
