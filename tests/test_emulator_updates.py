"""The emulator updates a stack in CloudFormation's order (tests/support/moto_patches.py,
_update_in_cloudformation_order and _refuse_duplicate_listeners): create and update first,
delete removed resources in a cleanup phase after; Retain honoured; a second listener on a
port refused; a logical id re-added after removal created again; a failed update rolled
back with the failed resource's reason. Each test is a known-bad update that unpatched moto
let through (or a known-good one it broke), on small hand-written templates.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from botocore.exceptions import ClientError

from tests.support.local_aws import (
    LocalAws,
    delete_stack,
    deploy_template,
    moto_server_in_process,
    prepare_environment,
    publish_file_assets,
    template_object_key,
    template_source,
)
from tests.support.moto_patches import TEMPLATE_BODY_MAX_BYTES

# Both emulator modules on one worker: the first to use moto in a process pays its import and
# model loading (≈ 2 s), the second reuses them (tests/support/local_aws.py).
pytestmark = pytest.mark.xdist_group("emulator")


def _network() -> dict[str, Any]:
    subnets = {
        f"Subnet{i}": {
            "Type": "AWS::EC2::Subnet",
            "Properties": {
                "VpcId": {"Ref": "Vpc"},
                "CidrBlock": f"10.0.{i}.0/24",
                "AvailabilityZone": f"us-east-1{'ab'[i]}",
            },
        }
        for i in range(2)
    }
    return {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
        **subnets,
        "Lb": {
            "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "Properties": {
                "Type": "application",
                "Subnets": [{"Ref": "Subnet0"}, {"Ref": "Subnet1"}],
            },
        },
    }


def _listener(port: int, action: dict[str, Any]) -> dict[str, Any]:
    return {
        "Type": "AWS::ElasticLoadBalancingV2::Listener",
        "Properties": {
            "LoadBalancerArn": {"Ref": "Lb"},
            "Port": port,
            "Protocol": "HTTP",
            "DefaultActions": [action],
        },
    }


ANSWER = {
    "Type": "fixed-response",
    "FixedResponseConfig": {"StatusCode": "200", "ContentType": "text/plain"},
}
REDIRECT = {
    "Type": "redirect",
    "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"},
}


def _ports(aws: LocalAws) -> dict[int, str]:
    elbv2 = aws.client("elbv2")
    (lb,) = elbv2.describe_load_balancers()["LoadBalancers"]
    listeners = elbv2.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]
    return {int(item["Port"]): item["DefaultActions"][0]["Type"] for item in listeners}


def _status(aws: LocalAws, name: str) -> str:
    cfn = aws.client("cloudformation")
    status: str = cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
    return status


def test_the_old_port_80_listener_swap_rolls_back_and_the_new_one_updates(
    fresh: LocalAws,
) -> None:
    http_only = {"Resources": {**_network(), "Http": _listener(80, ANSWER)}}
    deploy_template(fresh, "Listeners", http_only)

    # Before the fix, HTTPS on put the port-80 listener under another logical id: created
    # before the old one is deleted in cleanup, so ELB refuses it and the update rolls back.
    old_https = {"Resources": {**_network(), "Redirect80To443": _listener(80, REDIRECT)}}
    with pytest.raises(RuntimeError, match=r"UPDATE_ROLLBACK_COMPLETE.*Redirect80To443.*port"):
        deploy_template(fresh, "Listeners", old_https)
    assert _ports(fresh) == {80: "fixed-response"}  # the old listener still serves

    # Now: the same logical id, its default action switched in place.
    new_https = {"Resources": {**_network(), "Http": _listener(80, REDIRECT)}}
    assert deploy_template(fresh, "Listeners", new_https)["StackStatus"] == "UPDATE_COMPLETE"
    assert _ports(fresh) == {80: "redirect"}


def _log_group(name: str) -> dict[str, Any]:
    return {
        "Type": "AWS::Logs::LogGroup",
        "Properties": {"LogGroupName": name},
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
    }


def _groups(aws: LocalAws) -> set[str]:
    return {g["logGroupName"] for g in aws.client("logs").describe_log_groups()["logGroups"]}


def test_a_retained_resource_survives_its_removal_and_blocks_its_name(fresh: LocalAws) -> None:
    queue = {"Type": "AWS::SQS::Queue", "Properties": {}}
    on = {"Resources": {"Logs": _log_group("aws-waf-logs-x"), "Q": queue}}
    deploy_template(fresh, "Retained", on)
    # Removed with DeletionPolicy Retain: the stack forgets it, the log group stays.
    deploy_template(fresh, "Retained", {"Resources": {"Q": queue}})
    assert "aws-waf-logs-x" in _groups(fresh)
    # Adding it back collides with the retained one (the old WAF off/on bug): the update
    # rolls back, reports why, and deletes what it had created.
    extra = {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "created-then-rolled-back"}}
    with pytest.raises(RuntimeError, match=r"UPDATE_ROLLBACK_COMPLETE: Logs CREATE_FAILED: .+"):
        deploy_template(fresh, "Retained", {"Resources": {**on["Resources"], "A": extra}})
    assert _status(fresh, "Retained") == "UPDATE_ROLLBACK_COMPLETE"
    assert not _queue_exists(fresh, "created-then-rolled-back")


def test_a_logical_id_added_back_after_its_removal_is_created_again(fresh: LocalAws) -> None:
    queue = {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "added-back"}}
    keep = {"Type": "AWS::SQS::Queue", "Properties": {}}
    deploy_template(fresh, "ReAdded", {"Resources": {"Q": queue, "Keep": keep}})
    deploy_template(fresh, "ReAdded", {"Resources": {"Keep": keep}})
    assert not _queue_exists(fresh, "added-back")
    deploy_template(fresh, "ReAdded", {"Resources": {"Q": queue, "Keep": keep}})
    assert _queue_exists(fresh, "added-back")  # unpatched moto: never created again


def _queue_exists(aws: LocalAws, name: str) -> bool:
    urls = aws.client("sqs").list_queues().get("QueueUrls", [])
    return any(url.endswith(f"/{name}") for url in urls)


def test_the_emulator_over_http_deploys_like_the_one_in_process(tmp_path: Path) -> None:
    # The other emulator tests call moto's backends in this process; make deploy-local's CDK
    # CLI reaches the same patched moto over HTTP on 127.0.0.1 (tests/support/local_aws.py,
    # its own process there): the server path, its file-asset upload and a rollback.
    (tmp_path / "asset.txt").write_text("served")
    (tmp_path / "Http.assets.json").write_text(
        json.dumps(
            {
                "files": {
                    "a": {
                        "source": {"path": "asset.txt"},
                        "destinations": {"d": {"objectKey": "asset.txt"}},
                    }
                }
            }
        )
    )
    with moto_server_in_process() as server:
        assert server.endpoint is not None and server.endpoint.startswith("http://127.0.0.1:")
        assert publish_file_assets(server, tmp_path, "Http") == 1
        queue = {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "over-http"}}
        deploy_template(server, "Http", {"Resources": {"Q": queue}})
        assert _queue_exists(server, "over-http")
        with pytest.raises(RuntimeError, match="UPDATE_ROLLBACK_COMPLETE"):
            deploy_template(server, "Http", {"Resources": {"Q": queue, "Bad": _unsupported()}})
        delete_stack(server, "Http")
        assert not _queue_exists(server, "over-http")
        server.reset()


def _unsupported() -> dict[str, Any]:
    return {"Type": "AWS::Pipes::Pipe", "Properties": {}}


def _sized(size: int, fill: str = "x") -> str:
    """A one-queue template whose JSON body is ``size`` bytes of UTF-8 (``fill`` repeated in
    its Metadata, written unescaped: a two-byte ``fill`` makes bytes outnumber characters)."""
    template: dict[str, Any] = {
        "Metadata": {"Padding": ""},
        "Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {}}},
    }
    room = size - len(json.dumps(template).encode("utf-8"))
    width = len(fill.encode("utf-8"))
    assert room % width == 0
    template["Metadata"]["Padding"] = fill * (room // width)
    body = json.dumps(template, ensure_ascii=False)
    assert len(body.encode("utf-8")) == size
    return body


TOO_LARGE = (
    r"1 validation error detected: Value at 'templateBody' failed to satisfy constraint: "
    rf"Member must have length less than or equal to {TEMPLATE_BODY_MAX_BYTES}"
)


def test_a_template_body_over_51200_bytes_is_refused_as_cloudformation_refuses_it(
    fresh: LocalAws,
) -> None:
    cfn = fresh.client("cloudformation")
    at_limit = _sized(TEMPLATE_BODY_MAX_BYTES)
    assert template_source(fresh, at_limit) == {"TemplateBody": at_limit}
    cfn.create_stack(StackName="Sized", TemplateBody=at_limit)
    # Under the limit in characters, over it in UTF-8 bytes: refused by every action.
    wide = _sized(TEMPLATE_BODY_MAX_BYTES + 2, "é")
    assert len(wide) < TEMPLATE_BODY_MAX_BYTES
    calls: dict[str, dict[str, str]] = {
        "update_stack": {"StackName": "Sized"},
        "create_change_set": {"StackName": "Sized", "ChangeSetName": "c"},
        "validate_template": {},
        "get_template_summary": {},
        "create_stack": {"StackName": "Over"},
    }
    for action, args in calls.items():
        with pytest.raises(ClientError, match=TOO_LARGE) as refused:
            getattr(cfn, action)(TemplateBody=wide, **args)
        assert refused.value.response["Error"]["Code"] == "ValidationError"
    # One byte over is refused too, and the refusal is the patch's: moto's own CreateStack
    # takes the same body.
    over = _sized(TEMPLATE_BODY_MAX_BYTES + 1)
    with pytest.raises(ClientError, match=TOO_LARGE):
        cfn.create_stack(StackName="Over", TemplateBody=over)
    from moto.cloudformation.responses import CloudFormationResponse

    unpatched = CloudFormationResponse.create_stack.__wrapped__  # type: ignore[attr-defined]
    with mock.patch.object(CloudFormationResponse, "create_stack", unpatched):
        cfn.create_stack(StackName="Over", TemplateBody=over)
    # deploy_template sends it by URL instead, from the assets bucket, as the CDK CLI does.
    assert deploy_template(fresh, "ByUrl", json.loads(over))["StackStatus"] == "CREATE_COMPLETE"
    fresh.client("s3").head_object(Bucket=prepare_environment(fresh), Key=template_object_key(over))
