"""What `make synth` prints after writing the templates: each stack's CloudFormation name and
the outputs a deploy will give (the URL, the DNS records to create at an external provider).

Reads the cloud assembly (``cdk.out/manifest.json`` and the templates), so it shows what was
synthesized, not what the configuration meant to build. Values known only at deploy time are
shown as ``<construct path attribute>``, e.g. ``<WebTier/LoadBalancer DNSName>``.

Usage: ``python -m stacks.synth_summary [cdk.out]``
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

STACK_ARTIFACT = "aws:cloudformation:stack"
PSEUDO = {"AWS::Region": "region", "AWS::AccountId": "account", "AWS::StackName": "stack name"}


def _path(resources: dict[str, Any], logical_id: str) -> str:
    """The resource's construct path without the stack and the trailing ``Resource``."""
    path = str(resources.get(logical_id, {}).get("Metadata", {}).get("aws:cdk:path", logical_id))
    parts = path.split("/")[1:] or [logical_id]
    if parts[-1] in ("Resource", "Default") and len(parts) > 1:
        parts = parts[:-1]
    return "/".join(parts)


def render(value: Any, resources: dict[str, Any]) -> str:
    """A template value as text: literals as they are, deploy-time values in ``<...>``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        [(function, argument)] = value.items()
        if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2:
            separator, parts = argument
            if isinstance(parts, list):
                return str(separator).join(render(part, resources) for part in parts)
        if function == "Fn::GetAtt" and isinstance(argument, list) and len(argument) == 2:
            return f"<{_path(resources, str(argument[0]))} {argument[1]}>"
        if function == "Ref":
            name = str(argument)
            return f"<{PSEUDO.get(name) or _path(resources, name)}>"
    return "<known at deploy time>"


def summary(outdir: Path) -> str:
    manifest = json.loads((outdir / "manifest.json").read_text())
    lines: list[str] = []
    for artifact_id, artifact in manifest.get("artifacts", {}).items():
        if artifact.get("type") != STACK_ARTIFACT:
            continue
        properties = artifact.get("properties", {})
        template_file = outdir / properties["templateFile"]
        template = json.loads(template_file.read_text())
        resources: dict[str, Any] = template.get("Resources", {})
        name = properties.get("stackName", artifact_id)
        environment = artifact.get("environment", "")
        lines.append(f"Stack {name} ({len(resources)} resources, {environment}): {template_file}")
        outputs: dict[str, Any] = template.get("Outputs", {})
        if outputs:
            lines.append(f"  Outputs after a deploy (make deploy; `npx cdk deploy {artifact_id}`):")
        width = max((len(key) for key in outputs), default=0)
        for key, output in outputs.items():
            lines.append(f"    {key:<{width}}  {render(output.get('Value'), resources)}")
            if output.get("Description"):
                lines.append(f"    {'':<{width}}  ({output['Description']})")
    return "\n".join(lines) if lines else f"No stack in {outdir}"


def main(argv: list[str]) -> int:
    outdir = Path(argv[1] if len(argv) > 1 else "cdk.out")
    print(summary(outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
