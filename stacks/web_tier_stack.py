"""The deployable stack: a VPC and the web tier, with optional Route 53."""

from __future__ import annotations

from aws_cdk import CfnOutput, Environment, Fn, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_route53 as route53
from constructs import Construct

from constructs_lib import LogBuckets, WebTier, import_hosted_zone
from stacks.config import WebTierConfig


class WebTierStack(Stack):
    """VPC (two AZs, public and private subnets, flow logs) + ``WebTier``.

    Outputs the load balancer's DNS name and the site URL (point an external DNS there),
    plus the record name (and name servers of a zone it creates) when DNS is on.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: WebTierConfig,
        env: Environment | None = None,
        description: str = "EC2 web tier: DNS -> ALB -> target group -> Auto Scaling Group",
    ) -> None:
        super().__init__(scope, construct_id, env=env, description=description)
        self.config = config

        self.log_buckets = LogBuckets(self, "Logs")
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            max_azs=2,
            nat_gateways=1,
            restrict_default_security_group=True,
            subnet_configuration=[
                ec2.SubnetConfiguration(
                    name="Public",
                    subnet_type=ec2.SubnetType.PUBLIC,
                    cidr_mask=24,
                    map_public_ip_on_launch=False,
                ),
                ec2.SubnetConfiguration(
                    name="Private", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS, cidr_mask=22
                ),
            ],
            flow_logs={
                "FlowLogs": ec2.FlowLogOptions(
                    destination=ec2.FlowLogDestination.to_s3(
                        self.log_buckets.logs, "vpc-flow-logs/"
                    ),
                    traffic_type=ec2.FlowLogTrafficType.ALL,
                )
            },
        )

        zone: route53.IHostedZone | None = None
        self.created_zone: route53.PublicHostedZone | None = None
        if config.dns_enabled:
            if config.create_hosted_zone:
                self.created_zone = route53.PublicHostedZone(
                    self, "HostedZone", zone_name=config.zone_name
                )
                zone = self.created_zone
            else:
                zone = import_hosted_zone(
                    self,
                    "HostedZone",
                    hosted_zone_id=config.hosted_zone_id,
                    zone_name=config.hosted_zone_name,
                )

        self.web_tier = WebTier(
            self,
            "WebTier",
            vpc=self.vpc,
            instance_type=ec2.InstanceType(config.instance_type),
            min_capacity=config.min_capacity,
            max_capacity=config.max_capacity,
            desired_capacity=config.desired_capacity,
            cpu_target_percent=config.cpu_target_percent,
            admin_cidrs=config.admin_cidrs,
            hosted_zone=zone,
            record_names=[config.domain_name] if zone is not None else [],
            access_logs_bucket=self.log_buckets.logs,
        )

        alb_dns = self.web_tier.load_balancer.dns_name
        CfnOutput(
            self,
            "LoadBalancerDnsName",
            value=alb_dns,
            description="Point an external DNS (CNAME) here",
        )
        site = config.domain_name if config.dns_enabled else alb_dns
        CfnOutput(self, "Url", value=Fn.join("", ["http://", site]), description="Site URL")
        if config.dns_enabled:
            CfnOutput(
                self,
                "RecordName",
                value=config.domain_name,
                description="Route 53 alias record for the load balancer",
            )
        if self.created_zone is not None and self.created_zone.hosted_zone_name_servers:
            CfnOutput(
                self,
                "NameServers",
                value=Fn.join(",", self.created_zone.hosted_zone_name_servers),
                description="Delegate the domain to these name servers at your registrar",
            )
