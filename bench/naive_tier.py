#!/usr/bin/env python3
"""The benchmark's naive web tier in Python: what a user writes without this project.

VPC (two AZs, one NAT gateway), a security group for the load balancer and one for the
instances, a launch template (Amazon Linux 2023, IMDSv2, nginx from user data), an
internet-facing ALB with an HTTP listener and a target group, an Auto Scaling group in the
private subnets tracking 50 % CPU. No cdk-nag, no WAF, no logs, no alarms.

``typescript/naive-tier.ts`` is the same app line by line; ``make bench`` checks that the two
synthesize byte-identical templates, so the comparison is of the languages' runtimes alone.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2


def main() -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "NaiveWebTier")
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=1)

    alb_sg = ec2.SecurityGroup(stack, "AlbSecurityGroup", vpc=vpc, description="Web ALB")
    alb_sg.add_ingress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(80), "HTTP from anywhere")
    web_sg = ec2.SecurityGroup(stack, "WebSecurityGroup", vpc=vpc, description="Web servers")
    web_sg.add_ingress_rule(alb_sg, ec2.Port.tcp(80), "HTTP from the ALB")

    user_data = ec2.UserData.for_linux()
    user_data.add_commands("dnf install -y nginx", "systemctl enable --now nginx")
    launch_template = ec2.LaunchTemplate(
        stack,
        "LaunchTemplate",
        machine_image=ec2.MachineImage.latest_amazon_linux2023(),
        instance_type=ec2.InstanceType("t3.micro"),
        security_group=web_sg,
        require_imdsv2=True,
        user_data=user_data,
    )
    group = autoscaling.AutoScalingGroup(
        stack,
        "WebServers",
        vpc=vpc,
        vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
        launch_template=launch_template,
        min_capacity=2,
        max_capacity=4,
    )
    group.scale_on_cpu_utilization("CpuTarget", target_utilization_percent=50)

    alb = elbv2.ApplicationLoadBalancer(
        stack, "LoadBalancer", vpc=vpc, internet_facing=True, security_group=alb_sg
    )
    listener = alb.add_listener("Http", port=80, open=False)
    listener.add_targets("Web", port=80, targets=[group], health_check=elbv2.HealthCheck(path="/"))
    cdk.CfnOutput(stack, "Url", value=f"http://{alb.load_balancer_dns_name}")
    app.synth()


if __name__ == "__main__":
    main()
