#!/usr/bin/env python3
"""`make deploy-local`: the real CDK CLI against an AWS emulator on 127.0.0.1.

For each variant (the default stack; Route 53 + HTTPS) it starts moto (patched by
tests/support/moto_patches.py) as its own process on a free loopback port, runs
`cdk bootstrap`, `cdk deploy`, a second `cdk deploy` after a configuration change (an
update) and `cdk destroy --force`, checking the live resources after each step through the
AWS APIs (tests/support/verify_live.py), then stops the emulator by its process id and
checks that nothing is left listening. Exits non-zero if any check fails.

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
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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

STACK_NAME = "Ec2WebTier"
OUTPUT_DIR = "cdk.out.deploy-local"  # not cdk.out: `make synth` output stays untouched
CDK_FLAGS = ["--no-notices", "--no-version-reporting", "--output", OUTPUT_DIR]

# (name, context for the first deploy, context for the second deploy or None)
VARIANTS: dict[str, tuple[dict[str, str], dict[str, str] | None]] = {
    "default": (
        {},
        {
            "instanceType": "t3.small",
            "maxCapacity": "5",
            "cpuTargetPercent": "60",
            "adminCidrs": "203.0.113.10/32",
        },
    ),
    "route53-https": (
        {
            "domainName": "shop.example.com",
            "alternativeNames": "www.shop.example.com",
            "createHostedZone": "true",
            "adminCidrs": "203.0.113.10/32",
        },
        {
            "domainName": "shop.example.com",
            "alternativeNames": "www.shop.example.com",
            "createHostedZone": "true",
            "minCapacity": "3",
            "healthCheck": "true",
        },
    ),
}


class StepFailedError(Exception):
    """A step or a check failed; the message says which."""


def log(message: str) -> None:
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


class Run:
    """Runs CLI steps and checks, printing each, counting failures."""

    def __init__(self, endpoint: str) -> None:
        self.aws = LocalAws(endpoint)
        self.env = cli_env(endpoint)
        self.env["PATH"] = f"{ROOT / '.venv' / 'bin'}{os.pathsep}{self.env.get('PATH', '')}"
        self.cdk = [str(ROOT / "node_modules" / ".bin" / "cdk")]
        self.checks = 0
        self.failures: list[str] = []

    def cdk_step(self, title: str, args: Sequence[str], context: Mapping[str, str]) -> None:
        command = [*self.cdk, *args, *CDK_FLAGS]
        for key, value in context.items():
            command += ["-c", f"{key}={value}"]
        log(f"\n$ cdk {' '.join(command[1:])}")
        started = time.monotonic()
        result = subprocess.run(
            command, cwd=ROOT, env=self.env, capture_output=True, text=True, check=False
        )
        elapsed = time.monotonic() - started
        if result.returncode != 0:
            log(result.stdout[-4000:] + result.stderr[-4000:])
            raise StepFailedError(f"{title}: cdk exited {result.returncode} after {elapsed:.0f}s")
        for line in (result.stdout + result.stderr).splitlines():
            if any(mark in line for mark in ("✅", "Outputs:", f"{STACK_NAME}.", "destroyed")):
                log(f"    {line.strip()}")
        log(f"  {title}: done in {elapsed:.1f}s")

    def report(self, report: Report) -> None:
        log(f"  checks - {report.title}:")
        for line in report.lines():
            log(f"  {line}")
        self.checks += len(report.checks)
        self.failures += [f"{report.title}: {c.name}: {c.detail}" for c in report.failures]

    def check(self, name: str, ok: bool, detail: str) -> None:
        report = Report("CloudFormation")
        report.check(name, ok, detail)
        self.report(report)

    def deployed(self, context: Mapping[str, str], expect_status: str) -> dict[str, Any]:
        template: dict[str, Any] = json.loads(
            (ROOT / OUTPUT_DIR / f"{STACK_NAME}.template.json").read_text()
        )
        config = config_for(context)
        stack = self.aws.client("cloudformation").describe_stacks(StackName=STACK_NAME)["Stacks"][0]
        self.check(
            f"stack {expect_status}",
            stack["StackStatus"] == expect_status,
            stack["StackStatus"],
        )
        self.report(verify_stack(self.aws, STACK_NAME, template, config))
        return template


def config_for(context: Mapping[str, str]) -> WebTierConfig:
    """The configuration app.py reads: cdk.json context with -c overrides, its keys only."""
    merged = {**json.loads((ROOT / "cdk.json").read_text())["context"], **context}
    return WebTierConfig.from_context({k: merged[k] for k in context_keys() if k in merged})


def run_variant(run: Run, name: str, first: dict[str, str], second: dict[str, str] | None) -> None:
    log(f"\n--- {name}: deploy with {json.dumps(first) if first else 'cdk.json defaults'}")
    before = inventory(run.aws)
    run.cdk_step("deploy", ["deploy", "--require-approval", "never"], first)
    template = run.deployed(first, "CREATE_COMPLETE")
    last = first
    if second is not None:
        log(f"\n--- {name}: redeploy with {json.dumps(second)}")
        run.cdk_step("redeploy", ["deploy", "--require-approval", "never"], second)
        template = run.deployed(second, "UPDATE_COMPLETE")
        last = second
    retained = retained_ids(run.aws, STACK_NAME, template)
    run.cdk_step("destroy", ["destroy", "--force"], last)
    run.report(verify_destroyed(run.aws, STACK_NAME, before, retained))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--variant",
        choices=sorted(VARIANTS),
        action="append",
        help="run only this variant (repeatable). Default: all",
    )
    args = parser.parse_args(argv)
    variants = args.variant or list(VARIANTS)
    use_offline_environment()
    started = time.monotonic()
    checks = 0
    failures: list[str] = []
    errors: list[str] = []
    for name in variants:
        # Each variant in a fresh emulator (a fresh account): the stack retains a log group
        # with a fixed name, so deploying it again after `cdk destroy` fails in one account.
        emulator = Emulator()
        log(f"\n=== {name}: moto on {emulator.endpoint} (pid {emulator.process.pid})")
        run = Run(emulator.endpoint)
        try:
            run.cdk_step("bootstrap", ["bootstrap", f"aws://{ACCOUNT}/{REGION}"], {})
            version = run.aws.client("ssm").get_parameter(Name="/cdk-bootstrap/hnb659fds/version")
            run.check("bootstrap version parameter", True, version["Parameter"]["Value"])
            first, second = VARIANTS[name]
            run_variant(run, name, first, second)
        except StepFailedError as step_error:
            errors.append(f"{name}: {step_error}")
        finally:
            emulator.stop()
        still_listening = listening(emulator.port)
        log(
            f"\nemulator (pid {emulator.process.pid}) stopped; port {emulator.port} closed: "
            f"{not still_listening}"
        )
        if still_listening:
            run.failures.append(f"port {emulator.port} still listening after the emulator stopped")
        checks += run.checks
        failures += run.failures
    elapsed = time.monotonic() - started
    for error in errors:
        log(f"\nFAILED: {error}")
    for failure in failures:
        log(f"FAILED: {failure}")
    log(f"\ndeploy-local took {elapsed:.0f}s")
    log(f"deploy-local: {checks - len(failures)} passed, {len(failures)} failed")
    return 1 if errors or failures else 0


if __name__ == "__main__":
    sys.exit(main())
