#!/usr/bin/env python3
"""Two tiers: the web tier and a PostgreSQL database only the web instances can reach.

``WebTier`` is an ``ec2.IConnectable`` whose connections are its instances' security group,
so the database opens its port to them, and to nothing else, with one call:
``database.connections.allow_default_port_from(web)``. The database lives in isolated
subnets (no route to the internet), encrypted, with its password in Secrets Manager.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_rds as rds
from constructs import Construct

from constructs_lib import LoadBalancerOptions, WebTier


class ShopWithDatabaseStack(cdk.Stack):
    """A VPC with public, private and isolated subnets; the web tier; the database."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id, description="Web tier + PostgreSQL")
        vpc = ec2.Vpc(
            self,
            "Vpc",
            max_azs=2,
            nat_gateways=1,
            subnet_configuration=[
                ec2.SubnetConfiguration(name="Public", subnet_type=ec2.SubnetType.PUBLIC),
                ec2.SubnetConfiguration(name="App", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
                ec2.SubnetConfiguration(name="Data", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            ],
        )
        self.web = WebTier(
            self,
            "Web",
            vpc=vpc,
            app_port=8080,
            load_balancer_options=LoadBalancerOptions(deletion_protection=False),
        )
        self.database = rds.DatabaseInstance(
            self,
            "Database",
            engine=rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_16),
            instance_type=ec2.InstanceType("t4g.micro"),
            vpc=vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            storage_encrypted=True,
            multi_az=True,
            deletion_protection=True,
            credentials=rds.Credentials.from_generated_secret("shop"),
        )
        # The one rule: PostgreSQL's port, from the web instances' security group only.
        self.database.connections.allow_default_port_from(self.web, "PostgreSQL from the web tier")
        cdk.CfnOutput(self, "SiteDnsName", value=self.web.load_balancer.load_balancer_dns_name)
        cdk.CfnOutput(self, "DatabaseEndpoint", value=self.database.db_instance_endpoint_address)


def main() -> None:
    app = cdk.App()
    ShopWithDatabaseStack(app, "ShopWithDatabase")
    app.synth()


if __name__ == "__main__":
    main()
