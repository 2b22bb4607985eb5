"""The architecture picture is drawn from the synthesized app and is never stale.

GIVEN the app synthesized as ``make diagram`` draws it (the "prod-route53-https" variant)
WHEN the DOT source is generated from its template and laid out by the pinned Graphviz
THEN both equal the committed docs/architecture.dot and .svg (else: run ``make diagram``),
     and the picture shows the seed's flow inside its security-group boundaries.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from tests.conftest import ROOT
from tests.variants import synthesize_variants


def _load_script() -> ModuleType:
    """scripts/diagram.py, which `make diagram` runs as a script (scripts/ is no package)."""
    spec = importlib.util.spec_from_file_location("diagram", ROOT / "scripts" / "diagram.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("diagram", module)
    spec.loader.exec_module(module)
    return module


diagram = _load_script()

pytestmark = pytest.mark.xdist_group("variants")


@pytest.fixture(scope="module")
def dot() -> str:
    text: str = diagram.to_dot(synthesize_variants()[diagram.DRAWN].template)
    return text


def test_committed_dot_is_current(dot: str) -> None:
    assert diagram.DOT_FILE.read_text() == dot, "docs/architecture.dot is stale: make diagram"


def test_committed_svg_is_current(dot: str) -> None:
    assert diagram.SVG_FILE.read_text() == diagram.render(dot), (
        "docs/architecture.svg is stale: make diagram"
    )


def test_the_picture_follows_the_request_inside_its_security_groups(dot: str) -> None:
    for edge in ("client -> dns", "dns -> alb", "alb -> tg", "tg -> asg", "asg -> instances"):
        assert f"  {edge} [" in dot, edge
    lb_cluster = dot[dot.index("subgraph cluster_lb_groups") :]
    assert lb_cluster.index("alb [") < lb_cluster.index("}")
    assert "in: tcp 80, tcp 443 from 0.0.0.0/0" in lb_cluster
    instances_cluster = dot[dot.index("subgraph cluster_instance_groups") :]
    assert "in: tcp 80 from group LoadBalancer" in instances_cluster
    assert "in: tcp 22 from 203.0.113.10/32" in instances_cluster
    assert instances_cluster.index("instances [") < instances_cluster.index("}")
    assert "shop.example.com" in dot and "AWS WAF web ACL" in dot
