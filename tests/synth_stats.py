"""pytest plugin: how many synthesis runs the suite performs, reported at the end of the session.

Synthesis (and the built-in CloudFormation validation it triggers) is where this suite spends
its time, so the count is the number to keep small when adding tests: share a template across
the tests that only read it (module or session fixtures) instead of synthesizing per test.

Counted, by wrapping the Python entry points:

- ``App.synth`` / ``Stage.synth``: a synthesis when the stage has not been synthesized yet or
  ``force=True``; otherwise CDK returns the cached assembly (counted as "cached").
- ``Template.from_stack``: synthesizes the stack's stage unless it already was (same rule).
- ``Annotations.from_stack``: always re-synthesizes (CDK passes ``force``).
- ``cdk synth`` started as a subprocess (the CDK CLI running an app in its own process).

The totals appear in the terminal summary and, when ``SYNTH_STATS_FILE`` is set, as JSON in
that file (``scripts/bench.py`` reads it). Under pytest-xdist each worker counts its own calls
and the controller adds them up.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

if TYPE_CHECKING:
    import aws_cdk as cdk

STATS_FILE_ENV = "SYNTH_STATS_FILE"
_WORKER_KEY = "synth_stats"

F = TypeVar("F", bound=Callable[..., Any])


class SynthStats:
    """Counters of one pytest process (a worker, or the only process without xdist)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.seconds = 0.0
        self._synthesized: set[str] = set()

    def record_stage(self, stage: cdk.Stage | None, *, force: bool) -> str:
        """Classify a call that synthesizes ``stage`` (unless cached) and remember the stage."""
        if stage is None:
            return "synth"
        ref = stage.__jsii_ref__.ref  # type: ignore[attr-defined]  # jsii proxy id, unique per object
        cached = ref in self._synthesized and not force
        self._synthesized.add(ref)
        return "cached" if cached else "synth"

    def as_dict(self) -> dict[str, Any]:
        return {"counts": dict(self.counts), "seconds": round(self.seconds, 3)}


STATS = SynthStats()


def _timed(kind: Callable[..., str], fn: F) -> F:
    """Wrap ``fn`` so each call adds to ``STATS`` under the key ``kind(*args, **kwargs)``."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = kind(*args, **kwargs)
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            STATS.seconds += time.perf_counter() - start
            STATS.counts[key] += 1

    return wrapper  # type: ignore[return-value]


def _stage_synth_kind(stage: cdk.Stage, *_: Any, force: bool | None = None, **__: Any) -> str:
    return "stage_" + STATS.record_stage(stage, force=bool(force))


def _from_stack_kind(stack: cdk.Stack, *_: Any, **__: Any) -> str:
    import aws_cdk as cdk

    return "template_" + STATS.record_stage(cdk.Stage.of(stack), force=False)


def _annotations_kind(stack: cdk.Stack, *_: Any, **__: Any) -> str:
    import aws_cdk as cdk

    STATS.record_stage(cdk.Stage.of(stack), force=True)
    return "annotations_synth"


def _is_cli_synth(args: Any) -> bool:
    if isinstance(args, str | bytes | os.PathLike):
        return False
    words = [os.fsdecode(a) for a in args]
    return "synth" in words and any(Path(w).name in ("cdk", "cdk.js") for w in words)


def _count_cli_synths(init: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(init)
    def wrapper(self: subprocess.Popen[Any], args: Any, *rest: Any, **kwargs: Any) -> None:
        if _is_cli_synth(args):
            STATS.counts["cli_synth"] += 1
        init(self, args, *rest, **kwargs)

    return wrapper


def _install() -> None:
    import aws_cdk as cdk
    from aws_cdk import assertions

    # App overrides synth in the generated bindings, so both classes are wrapped; neither calls
    # the other on the Python side, so nothing is counted twice.
    for cls in (cdk.Stage, cdk.App):
        cls.synth = _timed(_stage_synth_kind, cls.synth)  # type: ignore[method-assign]
    template_from_stack = assertions.Template.from_stack
    assertions.Template.from_stack = staticmethod(  # type: ignore[method-assign]
        _timed(_from_stack_kind, template_from_stack)
    )
    subprocess.Popen.__init__ = _count_cli_synths(subprocess.Popen.__init__)  # type: ignore[method-assign]
    annotations_from_stack = assertions.Annotations.from_stack
    assertions.Annotations.from_stack = staticmethod(  # type: ignore[method-assign]
        _timed(_annotations_kind, annotations_from_stack)
    )


_TOTALS = pytest.StashKey[dict[str, Any]]()


def pytest_configure(config: pytest.Config) -> None:
    """Wrap the entry points where tests run: in the only process, or in each xdist worker. The
    controller only adds up what the workers report; aws_cdk is not imported there (it would
    start Node.js and load aws-cdk-lib, ≈ 1 s, before the workers start)."""
    if not _is_xdist_controller(config):
        import aws_cdk as cdk

        if not hasattr(cdk.App.synth, "__wrapped__"):
            _install()
    config.stash[_TOTALS] = {"counts": Counter(), "seconds": 0.0, "processes": 0}


def _add(config: pytest.Config, stats: dict[str, Any]) -> None:
    totals = config.stash[_TOTALS]
    totals["counts"].update(stats["counts"])
    totals["seconds"] += stats["seconds"]
    totals["processes"] += 1


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    workeroutput: dict[str, Any] | None = getattr(config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand the counts to the controller
        workeroutput[_WORKER_KEY] = json.dumps(STATS.as_dict())
    elif not hasattr(config, "workerinput") and not _is_xdist_controller(config):
        _add(config, STATS.as_dict())


def _is_xdist_controller(config: pytest.Config) -> bool:
    return getattr(config.option, "dist", "no") != "no" and bool(
        config.getoption("numprocesses", None)
    )


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    output = getattr(node, "workeroutput", {}).get(_WORKER_KEY)
    if output:
        _add(node.config, json.loads(output))


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return
    totals = config.stash[_TOTALS]
    counts: Counter[str] = totals["counts"]
    synths = sum(counts[k] for k in ("stage_synth", "template_synth", "annotations_synth"))
    synths += counts["cli_synth"]
    terminalreporter.write_sep("-", "synthesis runs")
    terminalreporter.write_line(
        f"{synths} synthesis runs in {totals['processes']} process(es), "
        f"{totals['seconds']:.1f} s inside them: "
        f"App/Stage.synth {counts['stage_synth']} (+{counts['stage_cached']} cached), "
        f"Template.from_stack {counts['template_synth']} (+{counts['template_cached']} cached), "
        f"Annotations.from_stack {counts['annotations_synth']}, "
        f"cdk synth subprocesses {counts['cli_synth']}"
    )
    path = os.environ.get(STATS_FILE_ENV)
    if path:
        passed = len(terminalreporter.stats.get("passed", []))
        Path(path).write_text(
            json.dumps(
                {
                    "synth_runs": synths,
                    "counts": dict(counts),
                    "seconds_in_synthesis": round(totals["seconds"], 3),
                    "processes": totals["processes"],
                    "tests_passed": passed,
                },
                indent=2,
            )
        )
