"""The docs' code runs as written, and their links lead somewhere.

GIVEN the Python blocks of docs/library.md (the embedding tour)
WHEN they are executed against a stack (and the quick start's stack class is instantiated)
THEN they synthesize, and the template holds what the comments promise;
and every relative link of README.md and docs/*.md names a file (and heading) that exists.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Capture, Match, Template

from tests.conftest import ROOT, new_app, new_vpc

LIBRARY_DOC = ROOT / "docs" / "library.md"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", LIBRARY_DOC.read_text(), re.S)


def _run(block: str, name: str, namespace: dict[str, Any]) -> None:
    exec(compile(block, f"docs/library.md ({name})", "exec"), namespace)


def test_library_doc_has_the_quick_start_and_the_api_tour() -> None:
    blocks = _python_blocks()
    assert "class ShopStack(Stack)" in blocks[0]
    import constructs_lib

    # One example per public name (the validation and compliance modules included).
    for name in constructs_lib.__all__:
        assert re.search(rf"\b{name}\(", blocks[1]) or re.search(rf"\b{name}\.", blocks[1]), name


def test_quick_start_stack_synthesizes() -> None:
    namespace: dict[str, Any] = {}
    _run(_python_blocks()[0], "quick start", namespace)
    stack = namespace["ShopStack"](new_app(), "Shop")
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::AutoScaling::AutoScalingGroup", {"MinSize": "2", "MaxSize": "6"}
    )
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress", {"FromPort": 7946, "ToPort": 7946}
    )


def test_api_tour_synthesizes() -> None:
    stack = cdk.Stack(new_app(), "Tour")
    namespace: dict[str, Any] = {"self": stack, "vpc": new_vpc(stack)}
    _run(_python_blocks()[1], "public API", namespace)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::AutoScaling::AutoScalingGroup", 3)
    template.resource_count_is("AWS::ElasticLoadBalancingV2::LoadBalancer", 2)  # one shared
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        {"Priority": 10, "Conditions": [Match.object_like({"Field": "host-header"})]},
    )
    template.has_resource_properties(
        "AWS::EC2::SecurityGroup",
        {
            "SecurityGroupIngress": [
                Match.object_like({"CidrIp": "203.0.113.10/32", "FromPort": 22})
            ]
        },
    )
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::TargetGroup", {"Port": 8080, "HealthCheckPath": "/health"}
    )
    template.has_resource_properties(
        "AWS::Route53::RecordSet", {"Name": "shop.example.com.", "Type": "A"}
    )
    template.has_resource_properties(
        "AWS::CertificateManager::Certificate", {"DomainName": "shop.example.com"}
    )
    template.resource_count_is("AWS::Route53::HealthCheck", 1)
    template.has_resource_properties(
        "AWS::S3::Bucket",
        {"LifecycleConfiguration": {"Rules": [Match.object_like({"ExpirationInDays": 30})]}},
    )


def test_the_other_blocks_synthesize_together() -> None:
    """Every further block (monitoring, scaling, ...) runs in one shared stack: their
    construct ids differ, and one synthesis keeps the test cheap."""
    stack = cdk.Stack(new_app(), "Blocks")
    namespace: dict[str, Any] = {"self": stack, "vpc": new_vpc(stack)}
    blocks = _python_blocks()[2:]
    assert blocks
    for index, block in enumerate(blocks, start=2):
        _run(block, f"block {index + 1}", dict(namespace))
    template = Template.from_stack(stack)
    tiers = sum(block.count("WebTier(") for block in blocks)
    template.resource_count_is("AWS::AutoScaling::AutoScalingGroup", tiers)
    # Connecting other resources: the database lets in the tier's instances alone.
    instances = Capture()
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        {
            "FromPort": {"Fn::GetAtt": [Match.string_like_regexp("^Database"), "Endpoint.Port"]},
            "SourceSecurityGroupId": {"Fn::GetAtt": [instances, "GroupId"]},
        },
    )
    assert "AppSecurityGroupsInstances" in instances.as_string()


def _anchors(markdown: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    headings = re.findall(r"^#+ (.+)$", re.sub(r"```.*?```", "", markdown, flags=re.S), re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(Path(p).relative_to(ROOT)))
def test_relative_links_resolve(doc: Path) -> None:
    text = doc.read_text()
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (doc.parent / path).resolve() if path else doc
        missing_anchor = (
            linked.exists()
            and linked.suffix == ".md"
            and bool(anchor)
            and anchor not in _anchors(linked.read_text())
        )
        if not linked.exists() or missing_anchor:
            broken.append(target)
    assert not broken, f"{doc.name}: links to nothing: {broken}"
