#!/usr/bin/env python3
"""Two web tiers behind one Application Load Balancer, told apart by host name.

The shop's tier owns the load balancer (and its web ACL and access logs) and answers every
host by default; the blog's tier joins the shop's listener with a rule for
``blog.example.com`` (``SharedListener``): a target group and a rule of its own, its
instances reachable from the shared load balancer only. Each tier scales on its own.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from constructs_lib import Capacity, LoadBalancerOptions, SharedListener, WebTier


class SharedLoadBalancerStack(cdk.Stack):
    """A VPC, the shop's tier with the load balancer, the blog's tier on a listener rule."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id, description="Two web tiers, one load balancer")
        vpc = ec2.Vpc(self, "Vpc", max_azs=2, nat_gateways=1)
        self.shop = WebTier(
            self,
            "Shop",
            vpc=vpc,
            capacity=Capacity(max_capacity=6),
            load_balancer_options=LoadBalancerOptions(deletion_protection=False),
        )
        self.blog = WebTier(
            self,
            "Blog",
            vpc=vpc,
            capacity=Capacity(min_capacity=2, max_capacity=3),
            listener=SharedListener(
                load_balancer=self.shop.load_balancer,
                listener=self.shop.listener,
                priority=10,
                host_headers=["blog.example.com"],
            ),
        )
        cdk.CfnOutput(self, "SiteDnsName", value=self.shop.load_balancer.load_balancer_dns_name)


def main() -> None:
    app = cdk.App()
    SharedLoadBalancerStack(app, "SharedLoadBalancer")
    app.synth()


if __name__ == "__main__":
    main()
