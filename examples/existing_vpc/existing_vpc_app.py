#!/usr/bin/env python3
"""Embed the whole web tier in a VPC that already exists, in an app of your own.

The VPC is imported from its ids (``ec2.Vpc.from_vpc_attributes``: no lookup, no AWS call at
synth time), the stack has its own name, and every resource carries the team's tags. The ids
come from this app's cdk.json (or ``-c key=value``); the defaults there are placeholders.
They are checked first with the library's ``validation.check_vpc_attributes``, each problem
named by its context key.
"""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from constructs_lib import Capacity, LoadBalancerOptions, Scaling, WebTier, validation


def _names(app: cdk.App, key: str) -> list[str]:
    """A list from context: a JSON list in cdk.json, or comma-separated with ``-c``."""
    value = app.node.try_get_context(key)
    items = value.split(",") if isinstance(value, str) else list(value or [])
    return [str(item).strip() for item in items if str(item).strip()]


class ShopFrontendStack(cdk.Stack):
    """The shop's web front end, in the network team's VPC."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stack_name: str,
        vpc_id: str,
        availability_zones: Sequence[str],
        public_subnet_ids: Sequence[str],
        private_subnet_ids: Sequence[str],
    ) -> None:
        super().__init__(
            scope, construct_id, stack_name=stack_name, description="Shop web front end"
        )
        # Public subnets for the load balancer, private subnets with a NAT route for the
        # instances, one of each per Availability Zone (in the same order).
        vpc = ec2.Vpc.from_vpc_attributes(
            self,
            "Vpc",
            vpc_id=vpc_id,
            availability_zones=list(availability_zones),
            public_subnet_ids=list(public_subnet_ids),
            private_subnet_ids=list(private_subnet_ids),
        )
        self.web = WebTier(
            self,
            "Web",
            vpc=vpc,
            instance_type=ec2.InstanceType("t4g.small"),  # Graviton: the arm64 image follows
            app_port=8080,
            capacity=Capacity(min_capacity=2, max_capacity=6),
            scaling=Scaling(cpu_target_percent=60),
            load_balancer_options=LoadBalancerOptions(deletion_protection=True),
        )
        self.web.auto_scaling.scale_on_request_count(800)
        cdk.CfnOutput(self, "SiteDnsName", value=self.web.load_balancer.load_balancer_dns_name)


def main() -> None:
    app = cdk.App()
    prefix = app.node.try_get_context("stackPrefix") or "shop-staging"
    vpc_id = str(app.node.try_get_context("vpcId") or "")
    zones = _names(app, "availabilityZones")
    public = _names(app, "publicSubnetIds")
    private = _names(app, "privateSubnetIds")
    # The library's own checks on the ids, named by this app's context keys, before anything
    # is built (from_vpc_attributes takes any string; a typo would surface at deploy time).
    errors = validation.PropErrors("cdk.json context")
    validation.check_vpc_attributes(
        errors,
        vpc_id=vpc_id,
        availability_zones=zones,
        public_subnet_ids=public,
        private_subnet_ids=private,
        names=("vpcId", "availabilityZones", "publicSubnetIds", "privateSubnetIds", "vpcCidr"),
    )
    errors.raise_if_any()
    ShopFrontendStack(
        app,
        "ShopFrontend",
        stack_name=f"{prefix}-frontend",
        vpc_id=vpc_id,
        availability_zones=zones,
        public_subnet_ids=public,
        private_subnet_ids=private,
    )
    for key, value in {"project": "shop", "team": "web", "environment": prefix}.items():
        cdk.Tags.of(app).add(key, value)
    app.synth()


if __name__ == "__main__":
    main()
