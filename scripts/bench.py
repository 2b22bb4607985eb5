#!/usr/bin/env python3
"""Synthesis and test-suite benchmark (``make bench``): prints numbers, asserts none.

In one run, alternating so that machine load hits both alike:

1. the empty app (``scripts/empty_app.py``) and the full app (``app.py``) are each synthesized
   ``--runs`` times, each in a fresh process exactly as ``cdk synth`` starts it: ``python
   <app>`` with the environment the pinned CDK CLI really passes (``CDK_CONTEXT_JSON`` with
   cdk.json's context and the CLI's own keys, ``CDK_OUTDIR`` ...). That environment is captured
   once from the CLI itself (``cdk synth --app`` wrapping the empty app), so feature flags and
   validation match ``make synth``;
2. the test suite runs once, as ``make unit`` (and so ``make test``) runs it: every test but
   the two integration tests, which ``make integration`` runs (``make bench`` passes the
   same marker expression).

Reported: median wall and CPU time (user + sys, Python and its Node.js child) per app, the
ratios full/empty, CDK's own phase counters, the suite's wall time and how many synthesis runs
it performed (``tests/synth_stats.py``). A synth that fails or whose validation report has an
error makes the benchmark fail; timings never do. The machine may be shared: compare ratios
from the same run, and read CPU time as the less noisy figure.
"""

from __future__ import annotations

import argparse
import json
import os
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

SYNTH_RATIO_TARGET = 1.15  # full app synth within 1.15x of the empty app (issue 9)
SUITE_TARGET_S = 60.0  # whole test suite within 60 s wall on 2 cores (issue 9)

# CDK's performance counters (CDK_PERF_COUNTERS_FILE), in milliseconds, shown per app.
PHASES = (
    ("phase:Load", "load"),  # Node.js start -> App() constructed: imports, jsii assembly loads
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


@dataclass
class Run:
    wall: float
    cpu: float
    phases_ms: dict[str, float]


@dataclass
class AppResult:
    label: str
    script: Path
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


def run_timed(cmd: Sequence[str], env: dict[str, str], **popen: Any) -> tuple[int, float, float]:
    """Run ``cmd``; return (exit status, wall s, CPU s of the process and its waited children)."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), env=env, cwd=ROOT, **popen)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, wall, usage.ru_utime + usage.ru_stime


def capture_cli_env(workdir: Path) -> dict[str, str]:
    """Run the pinned CLI once (``cdk synth`` of the empty app) and keep the app's CDK_* env."""
    dump = workdir / "cli-env.json"
    app = shlex.join([sys.executable, str(Path(__file__)), "--dump-env", str(dump), str(EMPTY_APP)])
    npx = Path(sys.executable).parent / "npx"
    cmd = [str(npx), "--no-install", "cdk", "synth", "--no-notices", "--no-version-reporting"]
    cmd += ["--quiet", "--app", app, "--output", str(workdir / "cli.out")]
    status, wall, _ = run_timed(cmd, child_env(), stdout=subprocess.DEVNULL)
    if status != 0 or not dump.exists():
        sys.exit(f"bench: `cdk synth` of the empty app failed (exit {status})")
    print(f"captured the CLI's app environment ({wall:.1f} s through `cdk synth`, not counted)")
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


def synth_once(app: AppResult, cli_env: dict[str, str], workdir: Path, index: int) -> Run:
    outdir = workdir / f"{app.script.stem}-{index}"
    perf = outdir / "performance-counters.json"
    env = child_env({k: v for k, v in cli_env.items() if k not in PER_RUN_VARS})
    context = json.loads(env.get("CDK_CONTEXT_JSON", "{}"))
    env["CDK_CONTEXT_JSON"] = json.dumps({**context, SLOW_SYNTH_THRESHOLD: 0})
    env.update(
        CDK_OUTDIR=str(outdir),
        CDK_ERROR_FILE=str(outdir / "error.txt"),
        CDK_PERF_COUNTERS_FILE=str(perf),
    )
    outdir.mkdir()
    status, wall, cpu = run_timed([sys.executable, str(app.script)], env)
    if status != 0:
        sys.exit(f"bench: {app.label} failed to synthesize (exit {status})")
    report = json.loads((outdir / "validation-report.json").read_text())
    failed = [r["pluginName"] for r in report["pluginReports"] if r.get("conclusion") == "failure"]
    if failed:
        sys.exit(f"bench: {app.label} fails validation ({', '.join(failed)}): see {outdir}")
    counters = json.loads(perf.read_text())["counters"] if perf.exists() else {}
    phases = {key: float(counters.get(key, 0)) for key, _ in PHASES}
    return Run(wall=wall, cpu=cpu, phases_ms=phases)


def bench_synth(runs: int, workdir: Path) -> tuple[AppResult, AppResult]:
    cli_env = capture_cli_env(workdir)
    empty = AppResult("empty app", EMPTY_APP)
    full = AppResult("full app", FULL_APP)
    for i in range(runs):
        order = (empty, full) if i % 2 == 0 else (full, empty)
        for app in order:
            run = synth_once(app, cli_env, workdir, i)
            app.runs.append(run)
            print(
                f"  run {i + 1}/{runs} {app.label:9}  wall {run.wall:6.2f} s  cpu {run.cpu:6.2f} s"
            )
    return empty, full


def print_synth(empty: AppResult, full: AppResult) -> None:
    runs = len(empty.runs)
    print(f"\nSynthesis, medians of {runs} fresh processes each (python <app>, as `cdk synth`):")
    header = f"  {'':16}{'wall s':>8}{'cpu s':>8}" + "".join(f"{n:>11}" for _, n in PHASES)
    print(header + "   (phases: CDK counters, ms)")
    for app in (empty, full):
        phases = "".join(f"{app.median_phase(k):11.0f}" for k, _ in PHASES)
        print(f"  {app.label:16}{app.median('wall'):8.2f}{app.median('cpu'):8.2f}{phases}")
    wall_ratio = full.median("wall") / empty.median("wall")
    cpu_ratio = full.median("cpu") / empty.median("cpu")
    verdict = "within" if wall_ratio <= SYNTH_RATIO_TARGET else "over"
    print(
        f"  ratio full/empty: wall {wall_ratio:.2f}x, cpu {cpu_ratio:.2f}x "
        f"({verdict} the {SYNTH_RATIO_TARGET}x wall target)"
    )


def bench_suite(workdir: Path, pytest_args: Sequence[str]) -> bool:
    stats_file = workdir / "synth-stats.json"
    log = workdir / "pytest.log"
    cmd = [sys.executable, "-m", "pytest", *pytest_args]
    print(f"\nTest suite, once: {shlex.join(['python', *cmd[1:]])}")
    with log.open("w") as out:
        status, wall, cpu = run_timed(
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
    verdict = "within" if wall <= SUITE_TARGET_S else "over"
    print(
        f"  wall {wall:.1f} s ({verdict} the {SUITE_TARGET_S:.0f} s target), cpu {cpu:.1f} s, "
        f"{stats['tests_passed']} tests passed, {stats['synth_runs']} synthesis runs "
        f"in {stats['processes']} process(es)"
    )
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="synth runs per app (default 5)")
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
            empty, full = bench_synth(args.runs, workdir)
            print_synth(empty, full)
        if not args.no_suite:
            ok = bench_suite(workdir, shlex.split(args.pytest_args))
    print(f"\nload average at end: {_load()}")
    return 0 if ok else 1


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
