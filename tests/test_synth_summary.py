"""What `make synth` prints after the templates: stack names and the outputs a deploy gives.

GIVEN cloud assemblies synthesized by tests/variants.py
WHEN stacks/synth_summary.py reads them
THEN each stack's CloudFormation name and its outputs are listed, deploy-time values shown
by the construct path that produces them.
"""

from __future__ import annotations

import pytest

from stacks.synth_summary import render, summary
from tests.variants import synthesize_variants

# Reads tests/variants.py: on the xdist worker that synthesizes them (tests/scheduling.py).
pytestmark = pytest.mark.xdist_group("variants")


def test_external_dns_lists_the_records_to_create() -> None:
    variant = synthesize_variants()["external-created-certificate"]
    lines = summary(variant.outdir).splitlines()
    assert lines[0].startswith("Stack Ec2WebTier-dev (")
    assert "aws://unknown-account/unknown-region" in lines[0]
    outputs = {line.split()[0]: line.split(maxsplit=1)[1] for line in lines[2:] if line[4] != " "}
    assert outputs["Url"] == "https://shop.example.com"
    assert outputs["CnameRecord"].startswith("shop.example.com. 300 IN CNAME <")
    assert outputs["CnameRecord2"].startswith("www.shop.example.com. 300 IN CNAME <")
    assert "CertificateValidationCommand" in outputs


def test_the_default_stack_names_its_url_and_load_balancer() -> None:
    text = summary(synthesize_variants()["default"].outdir)
    assert "Url                  http://<" in text and "LoadBalancerDnsName" in text


def test_deploy_time_values_show_the_construct_path() -> None:
    resources = {
        "Lb1234": {"Metadata": {"aws:cdk:path": "Ec2WebTier/WebTier/LoadBalancer/Resource"}}
    }
    value = {"Fn::Join": ["", ["http://", {"Fn::GetAtt": ["Lb1234", "DNSName"]}]]}
    assert render(value, resources) == "http://<WebTier/LoadBalancer DNSName>"
    assert render({"Ref": "AWS::Region"}, resources) == "<region>"
    assert render({"Fn::Select": [0, ["a"]]}, resources) == "<known at deploy time>"
