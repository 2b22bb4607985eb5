#!/usr/bin/env python3
"""Use the pieces without the full tier: two fixed web servers behind the load balancer.

``WebSecurityGroups`` (load balancer open on 80, servers reachable only from it),
``WebLaunchTemplate`` (IMDSv2, encrypted gp3, SSM role, nginx on the app port) and
``WebLoadBalancer`` (HTTP listener, health-checked target group, access logs), with two
EC2 instances launched from the template as the targets: no Auto Scaling Group.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2_targets as targets
from constructs import Construct

from constructs_lib import (
    LoadBalancerOptions,
    LogBuckets,
    WebLaunchTemplate,
    WebLoadBalancer,
    WebSecurityGroups,
)

APP_PORT = 8080


class StaticServersStack(cdk.Stack):
    """A small VPC, two servers (one per Availability Zone) and a load balancer."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id, description="Two fixed web servers behind an ALB")
        vpc = ec2.Vpc(self, "Vpc", max_azs=2, nat_gateways=1)
        groups = WebSecurityGroups(self, "SecurityGroups", vpc=vpc, app_port=APP_PORT)
        template = WebLaunchTemplate(
            self,
            "LaunchTemplate",
            instance_type=ec2.InstanceType("t3.small"),
            security_groups=groups.instance_groups,
            app_port=APP_PORT,
        )
        launch_template = template.launch_template
        self.servers = [
            # L1 on purpose: the ec2.Instance L2 cannot launch from a launch template, and
            # the template is what carries IMDSv2, the encrypted volume and the role.
            ec2.CfnInstance(
                self,
                f"Server{index + 1}",
                launch_template=ec2.CfnInstance.LaunchTemplateSpecificationProperty(
                    launch_template_id=launch_template.launch_template_id,
                    version=launch_template.latest_version_number,
                ),
                subnet_id=subnet.subnet_id,
            )
            for index, subnet in enumerate(vpc.private_subnets)
        ]
        self.load_balancer = WebLoadBalancer(
            self,
            "LoadBalancer",
            vpc=vpc,
            security_group=groups.load_balancer,
            app_port=APP_PORT,
            targets=[targets.InstanceIdTarget(server.ref, APP_PORT) for server in self.servers],
            load_balancer_options=LoadBalancerOptions(
                access_logs_bucket=LogBuckets(self, "Logs").logs
            ),
        )
        cdk.CfnOutput(self, "SiteDnsName", value=self.load_balancer.dns_name)


def main() -> None:
    app = cdk.App()
    StaticServersStack(app, "StaticWebServers")
    app.synth()


if __name__ == "__main__":
    main()
