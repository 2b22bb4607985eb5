"""An AWS emulator on loopback: moto (patched) on 127.0.0.1, and ways to deploy to it.

Three ways to run it, same patches:
* ``moto_in_process()`` - moto's backends called in the test process, no HTTP: boto3's
  requests are answered by moto's mock before they would be sent (the pytest fixtures);
* ``moto_server_in_process()`` - a ``ThreadedMotoServer`` on 127.0.0.1, port 0, inside the
  test process (the HTTP path, kept under test by one deploy);
* ``python -m tests.support.local_aws --port-file F`` - the same server as a process of its
  own (``scripts/deploy_local.py`` starts it for the real CDK CLI and stops it by pid).

Nothing here talks to AWS: every client gets dummy credentials and either a loopback
endpoint or moto's mock, which refuses any request it does not answer (never sent).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import logging
import os
import signal
import sys
import threading
import time
import urllib.request
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from functools import cache
from pathlib import Path
from typing import Any

from tests.support.moto_patches import TEMPLATE_BODY_MAX_BYTES

ACCOUNT = "123456789012"  # moto's default account
REGION = "us-east-1"
BOOTSTRAP_QUALIFIER = "hnb659fds"

# Environment for anything that might reach for AWS: dummy credentials and region, no
# instance-metadata probe, no CDK telemetry or notices.
OFFLINE_ENV: dict[str, str] = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_REGION": REGION,
    "AWS_DEFAULT_REGION": REGION,
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    "AWS_EC2_METADATA_DISABLED": "true",
    "CDK_DISABLE_CLI_TELEMETRY": "true",
    "CDK_DISABLE_VERSION_CHECK": "true",
}


def cli_env(endpoint: str, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for the CDK CLI (and boto3) pointed at the emulator at ``endpoint``.

    The CLI builds the template URL from the S3 endpoint it would use for CloudFormation
    (``AWS_ENDPOINT_URL_S3_FOR_CLOUDFORMATION``); it must be the emulator too, path-style.
    """
    env = dict(os.environ if base is None else base)
    env.pop("AWS_PROFILE", None)  # an empty AWS_PROFILE makes botocore fail (profile "")
    env.update(OFFLINE_ENV)
    env.update(
        {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ENDPOINT_URL_S3_FOR_CLOUDFORMATION": endpoint,
            "CDK_DEFAULT_ACCOUNT": ACCOUNT,
            "CDK_DEFAULT_REGION": REGION,
        }
    )
    return env


def quiet_request_log() -> None:
    """One log line per emulated request drowns the checks; keep warnings and errors."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def use_offline_environment() -> None:
    """Make this process's AWS SDK settings offline (moto and boto3 read them on import).

    The Makefile's offline environment sets AWS_PROFILE to ""; botocore takes that for a
    profile named "" and fails before any call, so it goes.
    """
    if os.environ.get("AWS_PROFILE") == "":
        del os.environ["AWS_PROFILE"]
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


class LocalAws:
    """Clients for the emulator at ``endpoint`` (http://127.0.0.1:PORT), or, with
    ``endpoint=None``, for moto's backends in this process (``moto_in_process``: moto's mock
    must be active; a request it does not answer raises instead of leaving).

    One boto3 session makes every client (a session loads botocore's endpoint and partition
    data once: a session per client cost ~0.15 s each). Sessions are not thread-safe: use
    a ``LocalAws`` from one thread (``make deploy-local`` gives each variant its own).
    """

    def __init__(self, endpoint: str | None) -> None:
        if endpoint is not None and not endpoint.startswith("http://127.0.0.1:"):
            raise ValueError(f"endpoint {endpoint!r} is not on 127.0.0.1")
        self.endpoint = endpoint
        self._session: Any = None
        self._clients: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        if service not in self._clients:
            if self._session is None:
                import boto3

                use_offline_environment()
                with _one_botocore_loader() if self.endpoint is None else nullcontext():
                    self._session = boto3.session.Session(
                        aws_access_key_id="testing",
                        aws_secret_access_key="testing",
                        aws_session_token="testing",
                        region_name=REGION,
                    )
                if self.endpoint is None:
                    self._session.events.register("before-send", _refuse_without_mock)
            if self.endpoint is None:
                # AWS's own endpoint names, which moto's mock matches (AWS_ENDPOINT_URL from
                # the Makefile's offline environment would point every client elsewhere).
                from botocore.config import Config

                config = Config(ignore_configured_endpoint_urls=True)
                self._clients[service] = self._session.client(service, config=config)
            else:
                self._clients[service] = self._session.client(service, endpoint_url=self.endpoint)
        return self._clients[service]

    def reset(self) -> None:
        """Forget every resource (moto's reset API)."""
        if self.endpoint is None:
            from moto.moto_api._internal.models import moto_api_backend

            moto_api_backend.reset()  # what POST /moto-api/reset does
            return
        request = urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()


def _refuse_without_mock(request: Any, **_: Any) -> None:
    """While moto's mock is active it answers every request to an AWS endpoint name (one it
    does not emulate with a 404) before botocore would send it; without it, nothing may go."""
    from moto.core.models import botocore_stubber

    if not botocore_stubber.enabled:
        raise RuntimeError(f"moto's mock is not active: {request.method} {request.url} not sent")


def _load_moto() -> None:
    """Import moto and patch it (tests/support/moto_patches.py), once per process."""
    use_offline_environment()
    with _one_botocore_loader():
        from moto.core.base_backend import AccountSpecificBackend

        from tests.support import moto_patches

        moto_patches.apply()  # imports moto's CloudFormation, and with it every service
        AccountSpecificBackend.get_session()  # moto's session for its backends' regions


@cache
def _botocore_loader(search_path: str | None = None) -> Any:
    from botocore.loaders import create_loader

    return create_loader(search_path)


@contextmanager
def _one_botocore_loader() -> Iterator[None]:
    """Every botocore session created meanwhile reads botocore's data files through one
    loader, which parses each file once. Each session has a loader of its own otherwise, and
    parses the 1.25 MB endpoints.json again: moto's import creates three sessions (its EC2
    regions), its backends one more, the emulator's clients another (≈ 0.5 s CPU in all)."""
    import botocore.session

    original = botocore.session.create_loader
    botocore.session.create_loader = _botocore_loader
    try:
        yield
    finally:
        botocore.session.create_loader = original


@contextmanager
def moto_in_process() -> Iterator[LocalAws]:
    """Patched moto in this process, called without HTTP (moto's mock); stopped on exit.

    The same backends and patches as the server: a deploy here took about half the CPU time
    of one through the in-process server (≈ 450 round trips for the deploy tests)."""
    _load_moto()
    from moto import mock_aws

    with mock_aws():
        yield _in_process_clients()


@cache
def _in_process_clients() -> LocalAws:
    """One ``LocalAws`` for every ``moto_in_process()`` of this process: its boto3 session
    and clients (≈ 0.04 s each to create, 15 for the live checks) serve each module that
    uses the emulator, whichever mock is active (moto's mock answers every client's requests
    while it is active, and ``_refuse_without_mock`` stops them while it is not)."""
    return LocalAws(None)


@contextmanager
def moto_server_in_process() -> Iterator[LocalAws]:
    """Patched moto on 127.0.0.1 (a free port) in this process; stopped on exit."""
    _load_moto()
    from moto.server import ThreadedMotoServer

    quiet_request_log()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield LocalAws(f"http://{host}:{port}")
    finally:
        server.stop()


# ---------------------------------------------------------------------------------------
# Deploying a synthesized template through the CloudFormation API (what the CLI does,
# minus the CLI): bootstrap leftovers the template expects, its file assets, the stack.
# ---------------------------------------------------------------------------------------
def prepare_environment(aws: LocalAws) -> str:
    """What `cdk bootstrap` leaves that a template reads: the version parameter and the
    assets bucket. Returns the bucket name."""
    aws.client("ssm").put_parameter(
        Name=f"/cdk-bootstrap/{BOOTSTRAP_QUALIFIER}/version",
        Value="30",
        Type="String",
        Overwrite=True,
    )
    bucket = f"cdk-{BOOTSTRAP_QUALIFIER}-assets-{ACCOUNT}-{REGION}"
    s3 = aws.client("s3")
    if bucket not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
        s3.create_bucket(Bucket=bucket)
    return bucket


def publish_file_assets(aws: LocalAws, assembly_dir: Path, stack_name: str) -> int:
    """Upload the stack's file assets as cdk-assets would (directories zipped)."""
    manifest = json.loads((assembly_dir / f"{stack_name}.assets.json").read_text())
    bucket = prepare_environment(aws)
    s3 = aws.client("s3")
    count = 0
    for asset in manifest.get("files", {}).values():
        source = assembly_dir / asset["source"]["path"]
        if source.is_dir():
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(source.rglob("*")):
                    if path.is_file():
                        archive.write(path, path.relative_to(source).as_posix())
            body = buffer.getvalue()
        else:
            body = source.read_bytes()
        for destination in asset["destinations"].values():
            s3.put_object(Bucket=bucket, Key=destination["objectKey"], Body=body)
            count += 1
    if manifest.get("dockerImages"):
        raise ValueError("docker image assets cannot be published to the emulator")
    return count


def wait_for_stack(aws: LocalAws, stack_id: str, timeout_s: float = 120) -> dict[str, Any]:
    """Wait until the stack leaves *_IN_PROGRESS; raise unless it ends *_COMPLETE."""
    cfn = aws.client("cloudformation")
    deadline = time.monotonic() + timeout_s
    while True:
        stack: dict[str, Any] = cfn.describe_stacks(StackName=stack_id)["Stacks"][0]
        status = stack["StackStatus"]
        if not status.endswith("_IN_PROGRESS"):
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"stack {stack_id} still {status} after {timeout_s}s")
        time.sleep(0.2)
    if not status.endswith("_COMPLETE") or "ROLLBACK" in status:
        events = cfn.describe_stack_events(StackName=stack_id)["StackEvents"]
        reasons = [
            f"{e['LogicalResourceId']} {e['ResourceStatus']}: {e.get('ResourceStatusReason', '')}"
            for e in events
            if e["ResourceStatus"].endswith("_FAILED")
        ]
        raise RuntimeError(f"stack {stack['StackName']} ended {status}: {'; '.join(reasons)}")
    return stack


def template_object_key(body: str) -> str:
    """The assets bucket's key for a template sent by URL: named by its hash, as cdk-assets
    names the template asset."""
    return f"{hashlib.sha256(body.encode('utf-8')).hexdigest()}.json"


def template_source(aws: LocalAws, body: str) -> dict[str, str]:
    """``TemplateBody`` when CloudFormation takes the body inline; above its limit (the
    emulator refuses it as CloudFormation does) the body goes to the assets bucket and the
    stack is deployed by ``TemplateURL``, as the CDK CLI does with a template over 50 KiB."""
    data = body.encode("utf-8")
    if len(data) <= TEMPLATE_BODY_MAX_BYTES:
        return {"TemplateBody": body}
    bucket = prepare_environment(aws)
    key = template_object_key(body)
    aws.client("s3").put_object(Bucket=bucket, Key=key, Body=data)
    # Path-style: moto's CloudFormation reads the object from its own S3 backend (no HTTP).
    base = aws.endpoint or f"https://s3.{REGION}.amazonaws.com"
    return {"TemplateURL": f"{base}/{bucket}/{key}"}


def deploy_template(aws: LocalAws, stack_name: str, template: Mapping[str, Any]) -> dict[str, Any]:
    """CreateStack or UpdateStack with the template (inline or by URL: ``template_source``);
    returns the settled stack."""
    cfn = aws.client("cloudformation")
    existing = [
        s
        for s in cfn.list_stacks()["StackSummaries"]
        if s["StackName"] == stack_name and s["StackStatus"] != "DELETE_COMPLETE"
    ]
    args: dict[str, Any] = {
        "StackName": stack_name,
        **template_source(aws, json.dumps(template)),
        "Capabilities": ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
    }
    if existing:
        stack_id = cfn.update_stack(**args)["StackId"]
    else:
        stack_id = cfn.create_stack(**args)["StackId"]
    return wait_for_stack(aws, stack_id)


def delete_stack(aws: LocalAws, stack_name: str) -> None:
    cfn = aws.client("cloudformation")
    stack_id = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]["StackId"]
    cfn.delete_stack(StackName=stack_id)
    status = cfn.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"]
    deadline = time.monotonic() + 120
    while status == "DELETE_IN_PROGRESS" and time.monotonic() < deadline:
        time.sleep(0.2)
        status = cfn.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"]
    if status != "DELETE_COMPLETE":
        raise RuntimeError(f"stack {stack_name} ended {status} instead of DELETE_COMPLETE")


# ---------------------------------------------------------------------------------------
# The server as its own process (for the real CDK CLI).
# ---------------------------------------------------------------------------------------
def _serve(port_file: Path) -> None:
    _load_moto()
    from moto.server import ThreadedMotoServer

    from tests.support import moto_patches

    quiet_request_log()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    tmp = port_file.with_suffix(".tmp")
    tmp.write_text(str(port))
    tmp.replace(port_file)  # atomic: the reader never sees a half-written port
    print(f"moto {moto_patches.PINNED_MOTO_VERSION} (patched) on http://{host}:{port}", flush=True)
    stop.wait()
    server.stop()
    # moto keeps everything in memory: nothing to save, so skip the interpreter's teardown of
    # moto's modules (~1 s); the kernel closes the listening socket as the process exits.
    sys.stdout.flush()
    os._exit(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port-file", type=Path, required=True, help="where to write the port")
    args = parser.parse_args(argv)
    _serve(args.port_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
