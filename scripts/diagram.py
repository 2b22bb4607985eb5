"""``make diagram``: the architecture picture (docs/architecture.svg) from the synthesized app.

The app is synthesized with ``CONTEXT`` (the suite's variant ``DRAWN``: Route 53 + HTTPS, the
prod profile, every hop of the seed's flow), and the picture is drawn from the template alone:
client -> DNS (the alias records) -> Application Load Balancer (its listeners) -> target group
-> Auto Scaling group -> instances, each inside the security group(s) it wears, with those
groups' inbound rules. The
DOT source (docs/architecture.dot) is written in a fixed order and laid out by the pinned
Graphviz of scripts/render_dot.mjs, so the same template always gives the same files;
tests/test_diagram.py regenerates both and fails when the committed ones are stale.

    python scripts/diagram.py           # rewrite docs/architecture.dot and .svg
    python scripts/diagram.py --check   # exit 1 if they are stale
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOT_FILE = ROOT / "docs" / "architecture.dot"
SVG_FILE = ROOT / "docs" / "architecture.svg"
RENDERER = ROOT / "scripts" / "render_dot.mjs"
sys.path.insert(0, str(ROOT))

from tests.variants import VARIANTS  # noqa: E402

# The configuration drawn, one of the variants the suite synthesizes (and tests/test_diagram.py
# draws again from the suite's template): every hop of the seed's flow, with Route 53 + HTTPS.
DRAWN = "prod-route53-https"
CONTEXT: dict[str, Any] = VARIANTS[DRAWN]

Resources = dict[str, dict[str, Any]]


def _of_type(resources: Resources, kind: str) -> Resources:
    return {name: r for name, r in resources.items() if r["Type"] == kind}


def _name(logical_id: str) -> str:
    """A readable name from a logical id: no hash suffix, no construct ids the reader knows
    from the picture's frame (the tier, its security groups)."""
    name = re.sub(r"[0-9A-F]{8}$", "", logical_id)
    for prefix in ("WebTier", "SecurityGroups"):
        name = name.removeprefix(prefix)
    return name or logical_id


def _ref(value: Any) -> str | None:
    """The logical id a Ref or Fn::GetAtt points at."""
    if isinstance(value, dict):
        if "Ref" in value:
            return str(value["Ref"])
        if "Fn::GetAtt" in value:
            return str(value["Fn::GetAtt"][0])
    return None


def _ports(rule: dict[str, Any]) -> str:
    low, high = rule.get("FromPort"), rule.get("ToPort")
    return f"{rule.get('IpProtocol', 'tcp')} {low}" + (f"-{high}" if high != low else "")


def _ingress(resources: Resources, group: str) -> list[str]:
    """Inbound rules of one security group, inline and separate, as 'tcp 80 from X'."""
    rules = list(resources[group]["Properties"].get("SecurityGroupIngress", []))
    for rule in _of_type(resources, "AWS::EC2::SecurityGroupIngress").values():
        if _ref(rule["Properties"]["GroupId"]) == group:
            rules.append(rule["Properties"])
    ports: dict[str, set[tuple[int, str]]] = {}
    for rule in rules:
        source = rule.get("CidrIp") or rule.get("CidrIpv6")
        if source is None:
            source_group = _ref(rule.get("SourceSecurityGroupId"))
            source = f"group {_name(source_group)}" if source_group else "?"
        ports.setdefault(str(source), set()).add((int(rule.get("FromPort", -1)), _ports(rule)))
    return [
        f"in: {', '.join(text for _, text in sorted(found))} from {source}"
        for source, found in sorted(ports.items())
    ]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _node(node_id: str, lines: Iterable[str], **attributes: str) -> str:
    label = "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"') for line in lines)
    extra = "".join(f", {key}={_quote(value)}" for key, value in sorted(attributes.items()))
    return f'  {node_id} [label="{label}"{extra}];'


def _cluster(cluster_id: str, title: list[str], body: list[str], style: str) -> list[str]:
    label = "\\n".join(line.replace('"', '\\"') for line in title)
    return [
        f"  subgraph cluster_{cluster_id} {{",
        f'    label="{label}"; style="{style}"; labeljust="l"; fontsize=10;',
        *("  " + line for line in body),
        "  }",
    ]


def to_dot(template: dict[str, Any]) -> str:
    """The DOT source of the picture, from a synthesized template of the app."""
    resources: Resources = template["Resources"]
    (_, alb), *_ = sorted(_of_type(resources, "AWS::ElasticLoadBalancingV2::LoadBalancer").items())
    (_, tg), *_ = sorted(_of_type(resources, "AWS::ElasticLoadBalancingV2::TargetGroup").items())
    (_, asg), *_ = sorted(_of_type(resources, "AWS::AutoScaling::AutoScalingGroup").items())
    lt_id = _ref(asg["Properties"]["LaunchTemplate"]["LaunchTemplateId"])
    assert lt_id is not None
    lt_data = resources[lt_id]["Properties"]["LaunchTemplateData"]

    records = sorted(
        {
            (r["Properties"]["Name"].rstrip("."), r["Properties"]["Type"])
            for r in _of_type(resources, "AWS::Route53::RecordSet").values()
            if "AliasTarget" in r["Properties"]
        }
    )
    names = sorted({name for name, _ in records})
    types = "/".join(sorted({kind for _, kind in records}))
    listeners = []
    for listener in sorted(
        _of_type(resources, "AWS::ElasticLoadBalancingV2::Listener").values(),
        key=lambda r: int(r["Properties"]["Port"]),
    ):
        props = listener["Properties"]
        (action,) = props["DefaultActions"]
        what = "forward" if action["Type"] == "forward" else action["Type"]
        if action["Type"] == "redirect":
            redirect = action["RedirectConfig"]
            what = f"redirect to {redirect['Protocol']} {redirect['Port']}"
        listeners.append(f"{props['Protocol']} :{props['Port']} -> {what}")
    web_acl = bool(_of_type(resources, "AWS::WAFv2::WebACLAssociation"))
    health_checks = _of_type(resources, "AWS::Route53::HealthCheck")

    alb_groups = [g for g in map(_ref, alb["Properties"]["SecurityGroups"]) if g]
    instance_groups = [g for g in map(_ref, lt_data["SecurityGroupIds"]) if g]

    def group_title(groups: list[str]) -> list[str]:
        lines = []
        for group in groups:
            lines.append(f"security group {_name(group)}")
            lines.extend("  " + rule for rule in _ingress(resources, group))
        return lines

    tg_props = tg["Properties"]
    asg_props = asg["Properties"]
    lines = [
        "digraph architecture {",
        '  graph [rankdir=LR, fontname="Helvetica", fontsize=11, nodesep=0.4, ranksep=0.5];',
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica",'
        " fontsize=10];",
        '  edge [fontname="Helvetica", fontsize=9];',
        _node("client", ["Client", "(browser)"], shape="oval"),
        _node(
            "dns",
            ["DNS: Route 53", f"alias {types} records", *names]
            if names
            else ["DNS: yours", "CNAME to the load balancer's name"],
        ),
    ]
    if health_checks:
        lines.append(_node("health", ["Route 53 health check", "GET /health"], style="dashed"))
    if web_acl:
        lines.append(_node("waf", ["AWS WAF web ACL", "managed rule groups"], style="dashed"))
    alb_node = _node(
        "alb",
        [
            f"Application Load Balancer ({alb['Properties'].get('Scheme', 'internet-facing')})",
            *listeners,
        ],
        fillcolor="#fdf1e6",
    )
    tg_node = _node(
        "tg",
        [
            "target group",
            f"{tg_props['Protocol']} :{tg_props['Port']}, "
            f"health check {tg_props.get('HealthCheckPath', '/')}",
        ],
        fillcolor="#fdf1e6",
    )
    asg_node = _node(
        "asg",
        [
            "Auto Scaling group",
            f"{asg_props['MinSize']}-{asg_props['MaxSize']} instances, private subnets",
        ],
        fillcolor="#eef6ea",
    )
    instances_node = _node(
        "instances",
        ["EC2 instances", f"{lt_data['InstanceType']}, IMDSv2, encrypted gp3"],
        fillcolor="#eef6ea",
        shape="box3d",
    )
    vpc_body = [
        *_cluster("lb_groups", group_title(alb_groups), [alb_node], "dashed"),
        tg_node,
        *_cluster(
            "instance_groups", group_title(instance_groups), [asg_node, instances_node], "dashed"
        ),
    ]
    lines.extend(_cluster("vpc", ["VPC"], vpc_body, "rounded"))
    lines += [
        '  client -> dns [label="resolves"];',
        '  dns -> alb [label="alias"];',
        f'  alb -> tg [label="{listeners[-1].split(" ->")[0] if listeners else ""}"];',
        '  tg -> asg [label="registered"];',
        '  asg -> instances [label="launches"];',
    ]
    if health_checks:
        lines.append("  health -> dns [style=dashed, arrowhead=none];")
    if web_acl:
        lines.append('  waf -> alb [style=dashed, arrowhead=none, label="inspects"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(dot: str) -> str:
    """SVG from DOT with the pinned Graphviz (node_modules; `make setup` installs it)."""
    node = Path(sys.executable).with_name("node")
    result = subprocess.run(
        [str(node if node.exists() else "node"), str(RENDERER)],
        input=dot,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return result.stdout


def synthesize() -> dict[str, Any]:
    """The app's template with ``CONTEXT``, synthesized in process as ``cdk synth`` does."""
    import aws_cdk as cdk

    from app import STACK_ID, build_app

    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    with tempfile.TemporaryDirectory() as outdir:
        app = cdk.App(context={**context, **CONTEXT}, outdir=outdir)
        build_app(app)
        template: dict[str, Any] = app.synth().get_stack_artifact(STACK_ID).template
    return template


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the files are stale")
    args = parser.parse_args(argv)
    dot = to_dot(synthesize())
    svg = render(dot)
    if args.check:
        stale = [
            p.name
            for p, text in ((DOT_FILE, dot), (SVG_FILE, svg))
            if not p.exists() or p.read_text() != text
        ]
        if stale:
            print(f"stale: {', '.join(stale)}; run `make diagram`", file=sys.stderr)
            return 1
        return 0
    DOT_FILE.write_text(dot)
    SVG_FILE.write_text(svg)
    print(f"wrote {DOT_FILE.relative_to(ROOT)} and {SVG_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
