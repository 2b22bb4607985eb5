#!/usr/bin/env python3
"""Synthesis and test-suite benchmark (``make bench``): prints numbers, asserts none.

In one run, interleaved (every round runs every subject once, in a rotating order) so that
machine load hits all alike:

1. five subjects are synthesized ``--runs`` times each, each in a fresh process:
   - the empty app (``scripts/empty_app.py``): what any Python CDK app pays;
   - this app as ``make synth`` runs it (``CDK_VALIDATION=false``: the inner loop);
   - this app as the tests, CI and ``make deploy`` run it (every validator on);
   - the naive web tier in Python (``bench/naive_tier.py``);
   - the same naive tier in TypeScript (``bench/typescript/naive-tier.ts``, compiled by tsc,
     on the npm aws-cdk-lib of requirements.txt's version and the venv's Node.js): the anchor.
   Each subject runs directly (``python <app>``/``node <app>`` with the environment the pinned
   CDK CLI passes an app, captured once from the CLI itself, so feature flags and validation
   match) and through the CDK CLI (``cdk synth --app <app>``, the CLI's own start included).
   The two naive templates must be byte-identical, or the benchmark fails;
2. the test suite runs once, as ``make unit`` (and so ``make test``) runs it.

Reported: median wall time, CPU time (user + sys of the process and its waited children: the
app's Node.js, the CLI's app), peak RSS of the largest process, CDK's phase counters, the ratios
against the TypeScript anchor (target: this app's ``make synth`` at or under 1.0x), the suite's
wall time and synthesis count (``tests/synth_stats.py``). A synth that fails, or a validation
failure, fails the benchmark; timings never do. The machine may be shared: compare ratios from
the same run, read CPU time as the less noisy figure, and note the load average printed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EMPTY_APP = ROOT / "scripts" / "empty_app.py"
FULL_APP = ROOT / "app.py"
NAIVE_PY = ROOT / "bench" / "naive_tier.py"
TS_DIR = ROOT / "bench" / "typescript"
NAIVE_TS = TS_DIR / "dist" / "naive-tier.js"
NAIVE_STACK = "NaiveWebTier"
CLI = ROOT / "node_modules" / ".bin" / "cdk"

SYNTH_RATIO_TARGET = 1.0  # this app's make synth at or under the TypeScript anchor (issue 19)
SUITE_TARGET_S = 60.0  # whole test suite within 60 s wall on 2 cores (issue 9)

# CDK's performance counters (CDK_PERF_COUNTERS_FILE), in milliseconds, shown per subject.
PHASES = (
    ("phase:Load", "load"),  # runtime start -> App() constructed: imports, jsii assembly loads
    ("phase:Construction", "construct"),  # App() -> app.synth(): building the construct tree
    ("phase:Synthesis", "synth"),  # app.synth(): templates + validation plugins
    ("validateTemplates", "plugins"),  # all validation plugins, incl. the CFN engine warm-up
    ("CloudFormationValidate.validate", "cfn-check"),  # the CFN engine on the templates only
)
# CDK writes its phase counters only for a synth slower than this per stack (default 10 s);
# 0 makes every run write them. Reporting only: the synthesis itself is unchanged.
SLOW_SYNTH_THRESHOLD = "@aws-cdk/core.slowSynthThreshold"
# Variables the CLI sets for the app that describe one run, replaced per run.
PER_RUN_VARS = ("CDK_OUTDIR", "CDK_ERROR_FILE", "CDK_PERF_COUNTERS_FILE")
MODES = ("direct", "cli")


@dataclass(frozen=True)
class Subject:
    key: str
    label: str
    command: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()


SUBJECTS = (
    Subject("empty", "empty Python app", (sys.executable, str(EMPTY_APP))),
    Subject(
        "app",
        "this app, make synth",
        (sys.executable, str(FULL_APP)),
        (("CDK_VALIDATION", "false"),),
    ),
    Subject("app-validated", "this app, validated", (sys.executable, str(FULL_APP))),
    Subject("naive-py", "naive tier, Python", (sys.executable, str(NAIVE_PY))),
    Subject("naive-ts", "naive tier, TypeScript", ("node", str(NAIVE_TS))),
)
ANCHOR = "naive-ts"
# Ratios printed against the anchor, in this order.
RATIOS = (
    ("app", "this app (make synth)"),
    ("app-validated", "this app validated"),
    ("naive-py", "Python naive"),
)


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float
    phases_ms: dict[str, float]


@dataclass
class Result:
    subject: Subject
    mode: str
    runs: list[Run] = field(default_factory=list)

    def median(self, attr: str) -> float:
        values: list[float] = [getattr(r, attr) for r in self.runs]
        return statistics.median(values)

    def median_phase(self, key: str) -> float:
        return statistics.median(r.phases_ms.get(key, 0.0) for r in self.runs)


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This environment with the venv's bin first on PATH (jsii must find the pinned Node.js)."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra or {})
    return env


def run_timed(cmd: Sequence[str], env: dict[str, str], **popen: Any) -> tuple[int, Run]:
    """Run ``cmd``; return its exit status and wall s, CPU s and peak RSS (largest process, MB)
    of the process and its waited children."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), env=env, cwd=ROOT, **popen)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return proc.returncode, Run(wall=wall, cpu=cpu, rss_mb=usage.ru_maxrss / 1024, phases_ms={})


def cli_command(app: Sequence[str], outdir: Path) -> list[str]:
    """``cdk synth`` of ``app`` with the Makefile's flags, the pinned CLI started directly."""
    cmd = [str(CLI), "synth", "--no-notices", "--no-version-reporting", "--quiet"]
    return [*cmd, "--app", shlex.join(app), "--output", str(outdir)]


def capture_cli_env(workdir: Path) -> dict[str, str]:
    """Run the pinned CLI once (``cdk synth`` of the empty app) and keep the app's CDK_* env."""
    dump = workdir / "cli-env.json"
    app = [sys.executable, str(Path(__file__)), "--dump-env", str(dump), str(EMPTY_APP)]
    cmd = cli_command(app, workdir / "cli.out")
    status, run = run_timed(cmd, child_env(), stdout=subprocess.DEVNULL)
    if status != 0 or not dump.exists():
        sys.exit(f"bench: `cdk synth` of the empty app failed (exit {status})")
    print(f"captured the CLI's app environment ({run.wall:.1f} s through `cdk synth`, not counted)")
    env: dict[str, str] = json.loads(dump.read_text())
    return env


def dump_env_and_exec(dump: Path, script: str) -> None:
    """``--app`` wrapper for the CLI: record what the CLI gave the app, then become the app."""
    env = {k: v for k, v in os.environ.items() if k.startswith("CDK_")}
    overflow = os.environ.get("CONTEXT_OVERFLOW_LOCATION_ENV")
    if overflow:  # very large contexts arrive in a file the CLI deletes afterwards
        env["CDK_CONTEXT_JSON"] = Path(overflow).read_text()
    dump.write_text(json.dumps(env))
    os.execv(sys.executable, [sys.executable, script])


def synth_once(result: Result, cli_env: dict[str, str], workdir: Path, index: int) -> Run:
    subject = result.subject
    outdir = workdir / f"{subject.key}-{result.mode}-{index}"
    if result.mode == "cli":
        status, run = run_timed(
            cli_command(subject.command, outdir),
            child_env(dict(subject.env)),
            stdout=subprocess.DEVNULL,
        )
        if status != 0:
            sys.exit(f"bench: `cdk synth` of {subject.label} failed (exit {status})")
        return run
    perf = outdir / "performance-counters.json"
    env = child_env({k: v for k, v in cli_env.items() if k not in PER_RUN_VARS})
    context = json.loads(env.get("CDK_CONTEXT_JSON", "{}"))
    env["CDK_CONTEXT_JSON"] = json.dumps({**context, SLOW_SYNTH_THRESHOLD: 0})
    env.update(
        CDK_OUTDIR=str(outdir),
        CDK_ERROR_FILE=str(outdir / "error.txt"),
        CDK_PERF_COUNTERS_FILE=str(perf),
        **dict(subject.env),
    )
    outdir.mkdir()
    status, run = run_timed(subject.command, env)
    if status != 0:
        sys.exit(f"bench: {subject.label} failed to synthesize (exit {status})")
    report_file = outdir / "validation-report.json"
    report = json.loads(report_file.read_text()) if report_file.exists() else {}
    failed = [
        r["pluginName"] for r in report.get("pluginReports", []) if r.get("conclusion") == "failure"
    ]
    if failed:
        sys.exit(f"bench: {subject.label} fails validation ({', '.join(failed)}): see {outdir}")
    counters = json.loads(perf.read_text())["counters"] if perf.exists() else {}
    run.phases_ms = {key: float(counters.get(key, 0)) for key, _ in PHASES}
    return run


def check_anchor() -> None:
    """The TypeScript anchor is built on requirements.txt's aws-cdk-lib and constructs."""
    if not NAIVE_TS.exists():
        sys.exit(f"bench: {NAIVE_TS.relative_to(ROOT)} is missing: run `make bench`")
    pins = dict(re.findall(r"^([a-z-]+)==(\S+)", (ROOT / "requirements.txt").read_text(), re.M))
    for package in ("aws-cdk-lib", "constructs"):
        installed = json.loads((TS_DIR / "node_modules" / package / "package.json").read_text())
        if installed["version"] != pins[package]:
            sys.exit(
                f"bench: the TypeScript anchor has {package} {installed['version']}, "
                f"requirements.txt pins {pins[package]}"
            )


def check_naive_templates_identical(workdir: Path) -> None:
    name = f"{NAIVE_STACK}.template.json"
    python, typescript = (workdir / f"{key}-direct-0" / name for key in ("naive-py", "naive-ts"))
    if python.read_bytes() != typescript.read_bytes():
        sys.exit(f"bench: the naive tiers' templates differ: diff {python} {typescript}")
    resources = len(json.loads(python.read_text())["Resources"])
    print(f"  the Python and TypeScript naive templates are identical ({resources} resources)")


def bench_synth(runs: int, modes: Sequence[str], workdir: Path) -> list[Result]:
    cli_env = capture_cli_env(workdir)
    results = [Result(subject, mode) for mode in modes for subject in SUBJECTS]
    for i in range(runs):
        shift = i % len(results)
        for result in results[shift:] + results[:shift]:
            run = synth_once(result, cli_env, workdir, i)
            result.runs.append(run)
            print(
                f"  run {i + 1}/{runs} {result.mode:6} {result.subject.label:24}"
                f"wall {run.wall:6.2f} s  cpu {run.cpu:6.2f} s  rss {run.rss_mb:5.0f} MB"
            )
        if i == 0:
            check_naive_templates_identical(workdir)
    return results


def print_synth(results: Sequence[Result]) -> None:
    runs = len(results[0].runs)
    print(f"\nSynthesis, medians of {runs} fresh processes each (phases: CDK's counters, ms):")
    header = f"  {'':32}{'wall s':>7}{'cpu s':>7}{'RSS MB':>7}" + "".join(
        f"{n:>10}" for _, n in PHASES
    )
    print(header)
    for result in results:
        row = f"  {result.mode:6} {result.subject.label:25}"
        row += (
            f"{result.median('wall'):7.2f}{result.median('cpu'):7.2f}{result.median('rss_mb'):7.0f}"
        )
        if result.mode == "direct":
            row += "".join(f"{result.median_phase(k):10.0f}" for k, _ in PHASES)
        print(row)
    print(
        "\nRatios against the TypeScript naive tier, same run "
        f"(target: this app's make synth <= {SYNTH_RATIO_TARGET:.1f}x wall):"
    )
    for mode in sorted({r.mode for r in results}, key=MODES.index):
        by_key = {r.subject.key: r for r in results if r.mode == mode}
        anchor = by_key[ANCHOR]
        parts = []
        for key, label in RATIOS:
            wall = by_key[key].median("wall") / anchor.median("wall")
            cpu = by_key[key].median("cpu") / anchor.median("cpu")
            parts.append(f"{label} {wall:.2f}x wall / {cpu:.2f}x cpu")
        print(f"  {mode:6} " + "; ".join(parts))
    app = next(r for r in results if r.mode == "direct" and r.subject.key == "app")
    anchor = next(r for r in results if r.mode == "direct" and r.subject.key == ANCHOR)
    ratio = app.median("wall") / anchor.median("wall")
    verdict = "within" if ratio <= SYNTH_RATIO_TARGET else "over"
    print(
        f"  this app's make synth, direct: {ratio:.2f}x "
        f"({verdict} the {SYNTH_RATIO_TARGET:.1f}x target)"
    )


def bench_suite(workdir: Path, pytest_args: Sequence[str]) -> bool:
    stats_file = workdir / "synth-stats.json"
    log = workdir / "pytest.log"
    cmd = [sys.executable, "-m", "pytest", *pytest_args]
    print(f"\nTest suite, once: {shlex.join(['python', *cmd[1:]])}")
    with log.open("w") as out:
        status, run = run_timed(
            cmd,
            child_env({"SYNTH_STATS_FILE": str(stats_file)}),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    lines = log.read_text().splitlines()
    print("\n".join(f"  | {line}" for line in lines[-(4 if status == 0 else 40) :]))
    if status != 0:
        print(f"bench: the test suite failed (exit {status})")
        return False
    stats = json.loads(stats_file.read_text())
    wall, cpu = run.wall, run.cpu
    verdict = "within" if wall <= SUITE_TARGET_S else "over"
    print(
        f"  wall {wall:.1f} s ({verdict} the {SUITE_TARGET_S:.0f} s target), cpu {cpu:.1f} s, "
        f"{stats['tests_passed']} tests passed, {stats['synth_runs']} synthesis runs "
        f"in {stats['processes']} process(es); load average now {_load()}"
    )
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="synth runs per subject (default 5)")
    parser.add_argument(
        "--no-cli", action="store_true", help="direct runs only, not through the CDK CLI"
    )
    parser.add_argument("--no-suite", action="store_true", help="skip the test-suite run")
    parser.add_argument("--no-synth", action="store_true", help="skip the synth runs")
    parser.add_argument(
        "--pytest-args", default="", help="extra pytest arguments, e.g. '-n 2' (default none)"
    )
    parser.add_argument("--dump-env", nargs=2, metavar=("FILE", "APP"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.dump_env:
        dump_env_and_exec(Path(args.dump_env[0]), args.dump_env[1])
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    print(f"cores: {os.cpu_count()}, load average at start: {_load()}")
    ok = True
    with tempfile.TemporaryDirectory(prefix="cdk-bench-") as tmp:
        workdir = Path(tmp)
        if not args.no_synth:
            check_anchor()
            modes = MODES[:1] if args.no_cli else MODES
            print_synth(bench_synth(args.runs, modes, workdir))
        if not args.no_suite:
            ok = bench_suite(workdir, shlex.split(args.pytest_args))
    print(f"\nload average at end: {_load()}")
    return 0 if ok else 1


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
