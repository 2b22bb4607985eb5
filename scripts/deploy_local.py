#!/usr/bin/env python3
"""`make deploy-local`: the real CDK CLI against an AWS emulator on 127.0.0.1.

For each variant (the default stack; Route 53 + HTTPS) it starts moto (patched by
tests/support/moto_patches.py) as its own process on a free loopback port, runs
`cdk bootstrap`, `cdk deploy`, then each configuration change of the variant as an update
(`cdk synth`, `cdk diff` of what it will do, `cdk deploy`; the Route 53 variant goes through
day 2: HTTPS off -> on -> off, WAF off -> on, a new instance type, min/max and an alarm
e-mail) and `cdk destroy --force`, checking the live resources after each step through the
AWS APIs (tests/support/verify_live.py), then stops the emulator by its process id and
checks that nothing is left listening. Exits non-zero if any check fails.

The variants run side by side (one thread each; each has its own emulator and its own
cloud assembly directory, cdk.out.deploy-local/<variant>); each variant's log is printed
as one block when it finishes. Only the deploys (or the synth before a diff) synthesize
app.py (the real CLI path, validators on): `cdk bootstrap` runs where there is no cdk.json,
so the CLI takes the environment from the command line instead of synthesizing the app to
find it, and `cdk destroy` reads the cloud assembly the last deploy wrote (`--app <directory>`).

Nothing leaves the machine: dummy credentials, every endpoint on 127.0.0.1, no
instance-metadata probe, CLI telemetry, notices and version checks off.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import STACK_ID  # noqa: E402
from stacks.config import WebTierConfig, context_keys  # noqa: E402
from tests.support.local_aws import (  # noqa: E402
    ACCOUNT,
    REGION,
    LocalAws,
    cli_env,
    use_offline_environment,
)
from tests.support.verify_live import (  # noqa: E402
    Report,
    inventory,
    retained_ids,
    verify_destroyed,
    verify_stack,
)

# Not cdk.out: `make synth` output stays untouched. One cloud assembly per variant.
OUTPUT_ROOT = ROOT / "cdk.out.deploy-local"
CDK_FLAGS = ["--no-notices", "--no-version-reporting"]
# Route 53 zone created by the stack (so HTTPS can be turned on after delegation).
_ZONE = {
    "domainName": "shop.example.com",
    "alternativeNames": "www.shop.example.com",
    "createHostedZone": "true",
}
_HTTP = {**_ZONE, "https": "false"}
# name -> the deploys, in order: (title, context). The first creates the stack; each later
# one is an update, preceded by `cdk diff`, after which the stack must be UPDATE_COMPLETE
# and the live checks pass.
VARIANTS: dict[str, list[tuple[str, dict[str, str]]]] = {
    "default": [
        ("deploy", {}),
        (
            "redeploy",
            {
                "instanceType": "t3.small",
                "maxCapacity": "5",
                "cpuTargetPercent": "60",
                "adminCidrs": "203.0.113.10/32",
            },
        ),
    ],
    # Day 2 on one stack with its own zone: HTTPS off -> on -> off (the README's advice for a
    # created zone: delegate, then turn HTTPS on), WAF off -> on, a new instance type (new
    # launch-template version, same group, instance refresh), min/max, an alarm e-mail.
    "route53-https": [
        ("deploy", _HTTP),
        ("HTTPS on", _ZONE),
        ("HTTPS off", _HTTP),
        ("WAF off", {**_HTTP, "waf": "false"}),
        ("WAF on", _HTTP),
        ("instance type", {**_HTTP, "instanceType": "t3.small"}),
        (
            "min/max, e-mail",
            {
                **_HTTP,
                "instanceType": "t3.small",
                "minCapacity": "3",
                "maxCapacity": "6",
                "alarmEmail": "ops@example.com",
            },
        ),
    ],
}


class StepFailedError(Exception):
    """A step or a check failed; the message says which."""


_print_lock = threading.Lock()


def log(message: str) -> None:
    with _print_lock:
        print(message, flush=True)


class Emulator:
    """tests.support.local_aws as a child process, stopped by its own pid."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="deploy-local-")
        port_file = Path(self._dir.name) / "port"
        env = dict(os.environ)
        env.pop("AWS_PROFILE", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.local_aws", "--port-file", str(port_file)],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 60
        while not port_file.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise StepFailedError("the emulator did not start")
            time.sleep(0.1)
        self.port = int(port_file.read_text())
        self.endpoint = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._dir.cleanup()


def listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Outcome:
    """One variant's result: its log (printed as one block), counts and step timings."""

    name: str
    lines: list[str] = field(default_factory=list)
    checks: int = 0
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)
    elapsed: float = 0.0

    def log(self, message: str) -> None:
        self.lines.append(message)


class Run:
    """Runs one variant's CLI steps and checks, logging each, counting failures."""

    def __init__(self, outcome: Outcome, endpoint: str) -> None:
        self.outcome = outcome
        self.log = outcome.log
        self.aws = LocalAws(endpoint)
        self.env = cli_env(endpoint)
        self.env["PATH"] = f"{ROOT / '.venv' / 'bin'}{os.pathsep}{self.env.get('PATH', '')}"
        # The pinned CLI; DEPLOY_LOCAL_CDK names another (e.g. a CLI installed elsewhere).
        self.cdk = [os.environ.get("DEPLOY_LOCAL_CDK", str(ROOT / "node_modules" / ".bin" / "cdk"))]
        self.output = OUTPUT_ROOT / outcome.name

    def cdk_step(
        self,
        title: str,
        args: Sequence[str],
        context: Mapping[str, str] | None = None,
        *,
        cwd: Path = ROOT,
    ) -> None:
        command = [*self.cdk, *args, *CDK_FLAGS]
        for key, value in (context or {}).items():
            command += ["-c", f"{key}={value}"]
        where = "" if cwd == ROOT else " (in an empty directory)"
        self.log(f"\n$ cdk {' '.join(command[1:])}{where}")
        started = time.monotonic()
        result = subprocess.run(
            command, cwd=cwd, env=self.env, capture_output=True, text=True, check=False
        )
        elapsed = time.monotonic() - started
        self.outcome.timings[title] = elapsed
        if result.returncode != 0:
            self.log(result.stdout[-4000:] + result.stderr[-4000:])
            raise StepFailedError(f"{title}: cdk exited {result.returncode} after {elapsed:.0f}s")
        for line in (result.stdout + result.stderr).splitlines():
            if any(mark in line for mark in ("✅", "Outputs:", "Ec2WebTier", "destroyed")):
                self.log(f"    {line.strip()}")
        self.log(f"  {title}: done in {elapsed:.1f}s")
        log(f"[{self.outcome.name}] {title} finished in {elapsed:.1f}s")

    def bootstrap(self) -> None:
        """`cdk bootstrap aws://ACCOUNT/REGION` without synthesizing the app.

        In a directory whose cdk.json names an app, the CLI synthesizes it even when the
        environment is given (to list the app's environments too: CdkToolkit
        .defineEnvironments in the pinned CLI). Here the environment is explicit, so the
        command runs in an empty directory; the project's cdk.json sets nothing bootstrap
        reads (no qualifier), and the version check below reads the default qualifier.
        """
        with tempfile.TemporaryDirectory(prefix="deploy-local-bootstrap-") as empty:
            self.cdk_step("bootstrap", ["bootstrap", f"aws://{ACCOUNT}/{REGION}"], cwd=Path(empty))
        version = self.aws.client("ssm").get_parameter(Name="/cdk-bootstrap/hnb659fds/version")
        self.check("bootstrap version parameter", True, version["Parameter"]["Value"])

    def deploy(self, title: str, context: Mapping[str, str]) -> None:
        """A real `cdk deploy`: the CLI synthesizes app.py (validators on) into this variant's
        cloud assembly directory, publishes the assets and deploys through a change set."""
        output = str(self.output.relative_to(ROOT))
        args = ["deploy", "--require-approval", "never", "--output", output]
        self.cdk_step(title, args, context)

    def diff_and_update(self, title: str, context: Mapping[str, str]) -> None:
        """`cdk synth` (validators on) into the cloud assembly directory, `cdk diff` of it
        against the deployed stack (what the update will do), then `cdk deploy` of the same
        assembly: one synth for both (`--app <directory>` reads it)."""
        output = str(self.output.relative_to(ROOT))
        self.cdk_step(f"synth {title}", ["synth", "--quiet", "--output", output], context)
        self.cdk_step(f"diff {title}", ["diff", "--app", output])
        self.cdk_step(title, ["deploy", "--require-approval", "never", "--app", output])

    def destroy(self) -> None:
        """`cdk destroy --force` on the cloud assembly the last deploy wrote: the CLI reads a
        directory given as --app instead of synthesizing again."""
        self.cdk_step(
            "destroy", ["destroy", "--force", "--app", str(self.output.relative_to(ROOT))]
        )

    def report(self, report: Report) -> None:
        self.log(f"  checks - {report.title}:")
        for line in report.lines():
            self.log(f"  {line}")
        self.outcome.checks += len(report.checks)
        self.outcome.failures += [
            f"{self.outcome.name}: {report.title}: {c.name}: {c.detail}" for c in report.failures
        ]

    def check(self, name: str, ok: bool, detail: str) -> None:
        report = Report("CloudFormation")
        report.check(name, ok, detail)
        self.report(report)

    def deployed(self, context: Mapping[str, str], expect_status: str) -> dict[str, Any]:
        template: dict[str, Any] = json.loads(
            (self.output / f"{STACK_ID}.template.json").read_text()
        )
        config = config_for(context)
        cloudformation = self.aws.client("cloudformation")
        stack = cloudformation.describe_stacks(StackName=config.stack_name)["Stacks"][0]
        self.check(
            f"stack {expect_status}",
            stack["StackStatus"] == expect_status,
            stack["StackStatus"],
        )
        self.report(verify_stack(self.aws, config.stack_name, template, config))
        return template


def config_for(context: Mapping[str, str]) -> WebTierConfig:
    """The configuration app.py reads: cdk.json context with -c overrides, its keys only."""
    merged = {**json.loads((ROOT / "cdk.json").read_text())["context"], **context}
    return WebTierConfig.from_context({k: merged[k] for k in context_keys() if k in merged})


def run_variant(run: Run, name: str, steps: Sequence[tuple[str, dict[str, str]]]) -> None:
    before = inventory(run.aws)
    template: dict[str, Any] = {}
    context: dict[str, str] = {}
    groups: list[tuple[str, str]] = []
    for index, (title, context) in enumerate(steps):
        described = json.dumps(context) if context else "cdk.json defaults"
        run.log(f"\n--- {name}: {title} with {described}")
        if index:
            run.diff_and_update(title, context)
        else:
            run.deploy(title, context)
        template = run.deployed(context, "UPDATE_COMPLETE" if index else "CREATE_COMPLETE")
        (group,) = run.aws.client("autoscaling").describe_auto_scaling_groups()["AutoScalingGroups"]
        groups.append((group["AutoScalingGroupName"], str(group["LaunchTemplate"]["Version"])))
    run.check(
        "one Auto Scaling group through every update (launch-template versions "
        + " -> ".join(version for _, version in groups)
        + ")",
        len({group for group, _ in groups}) == 1,
        ", ".join(sorted({group for group, _ in groups})),
    )
    stack_name = config_for(context).stack_name
    retained = retained_ids(run.aws, stack_name, template)
    run.destroy()
    run.report(verify_destroyed(run.aws, stack_name, before, retained))


def variant(name: str) -> Outcome:
    """Everything for one variant, in a fresh emulator (a fresh account) of its own."""
    outcome = Outcome(name)
    try:
        emulator = Emulator()
    except StepFailedError as error:
        outcome.errors.append(f"{name}: {error}")
        return outcome
    outcome.timings["moto start"] = time.monotonic() - outcome.started
    outcome.log(f"\n=== {name}: moto on {emulator.endpoint} (pid {emulator.process.pid})")
    log(f"[{name}] moto on {emulator.endpoint} (pid {emulator.process.pid})")
    run = Run(outcome, emulator.endpoint)
    try:
        run.bootstrap()
        run_variant(run, name, VARIANTS[name])
    except StepFailedError as step_error:
        outcome.errors.append(f"{name}: {step_error}")
    except Exception as error:  # a bug or an API error in a check: report it, stop moto
        outcome.errors.append(f"{name}: {type(error).__name__}: {error}")
    finally:
        stopping = time.monotonic()
        emulator.stop()
        outcome.timings["moto stop"] = time.monotonic() - stopping
    still_listening = listening(emulator.port)
    outcome.log(
        f"\nemulator (pid {emulator.process.pid}) stopped; port {emulator.port} closed: "
        f"{not still_listening}"
    )
    if still_listening:
        outcome.failures.append(
            f"{name}: port {emulator.port} still listening after the emulator stopped"
        )
    outcome.elapsed = time.monotonic() - outcome.started
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--variant",
        choices=sorted(VARIANTS),
        action="append",
        help="run only this variant (repeatable). Default: all",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=0,
        help="variants run at the same time. Default: all of them (0); 1 runs them in turn",
    )
    args = parser.parse_args(argv)
    variants = args.variant or list(VARIANTS)
    jobs = args.jobs if args.jobs > 0 else len(variants)
    use_offline_environment()
    started = time.monotonic()
    outcomes: list[Outcome] = []
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="variant") as pool:
        for future in as_completed([pool.submit(variant, name) for name in variants]):
            outcome = future.result()
            log("\n".join(outcome.lines))
            outcomes.append(outcome)
    elapsed = time.monotonic() - started
    checks = sum(o.checks for o in outcomes)
    failures = [f for o in outcomes for f in o.failures]
    errors = [e for o in outcomes for e in o.errors]
    for error in errors:
        log(f"\nFAILED: {error}")
    for failure in failures:
        log(f"FAILED: {failure}")
    log("")
    for outcome in sorted(outcomes, key=lambda o: variants.index(o.name)):
        timings = outcome.timings
        steps = ", ".join(f"{s} {t:.1f}s" for s, t in timings.items() if s != "moto start")
        rest = outcome.elapsed - sum(timings.values())
        log(
            f"{outcome.name}: {outcome.elapsed:.0f}s ({steps}; moto start "
            f"{timings.get('moto start', 0):.1f}s, checks {rest:.1f}s)"
        )
    log(f"deploy-local took {elapsed:.0f}s ({jobs} variant(s) at a time)")
    log(f"deploy-local: {checks - len(failures)} passed, {len(failures)} failed")
    return 1 if errors or failures else 0


if __name__ == "__main__":
    sys.exit(main())
