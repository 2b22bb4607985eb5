"""The deployable stack: a VPC and the web tier, with HTTPS and Route 53 or external DNS."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_cdk import Annotations, Aws, CfnOutput, Duration, Fn, Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_route53 as route53
from constructs import Construct

from constructs_lib import (
    Capacity,
    Domain,
    Fleet,
    InstanceRefresh,
    LoadBalancerOptions,
    LogBuckets,
    Observability,
    PredictiveMetric,
    PredictiveMode,
    PredictiveScalingOptions,
    Rollout,
    Scaling,
    SiteHealthCheck,
    SpotCapacity,
    TargetGroupOptions,
    WarmPoolSettings,
    WebCertificate,
    WebDns,
    WebImage,
    WebTier,
    compliance,
)
from stacks.config import WebTierConfig
from stacks.config.site import (
    CreatedZone,
    ExistingCertificate,
    ExternalDns,
    HttpOnly,
    ImportedZone,
    LookedUpZone,
    NewCertificate,
    NoDomain,
)

if TYPE_CHECKING:
    from constructs_lib import WebImagePipeline

HEALTH_CHECK_PATH = "/health"
CNAME_TTL_SECONDS = 300


class WebTierStack(Stack):
    """VPC (two AZs, public and private subnets, flow logs; or an existing VPC, ``vpcId``) +
    ``WebTier``, and the site's DNS and TLS as the configuration says.

    DNS: none; Route 53 alias records in an imported, created or looked-up zone; or an
    external provider (the stack outputs a ready-to-paste CNAME line per name). TLS: an
    existing ACM certificate by ARN, or a new one DNS-validated in the Route 53 zone or at
    the external provider; with a certificate the load balancer serves HTTPS on 443 and
    redirects port 80 permanently. Optional Route 53 health check on the site.
    Outputs: ``LoadBalancerDnsName``, ``Url``; ``RecordName`` (Route 53), ``NameServers``
    (created zone), ``CnameRecord``/``CnameRecord2``... (external DNS), ``CertificateArn``
    (HTTPS), ``CertificateValidationCommand`` (certificate validated at an external
    provider), ``HealthCheckId`` (health check), ``ImageParameterName`` and
    ``ImagePipelineArn`` (golden image pipeline, ``imagePipeline``).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: WebTierConfig,
        description: str = "EC2 web tier: DNS -> ALB -> target group -> Auto Scaling Group",
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            # The configuration's account/region (``account``/``region``, the CLI's for a
            # zone lookup), checked with every other key; none: environment-agnostic.
            env=config.environment,
            description=description,
            stack_name=config.stack_name,
        )
        self.config = config

        self.log_buckets = LogBuckets(
            self, "Logs", retention=Duration.days(config.log_retention_days)
        )
        self.vpc = self._vpc(config)

        self.created_zone: route53.PublicHostedZone | None = None
        zone = self._hosted_zone(config)
        self.site_certificate: WebCertificate | None = None
        self.certificate = self._certificate(config, zone)

        self.image_pipeline: WebImagePipeline | None = None
        if config.image_pipeline:
            # On demand: the golden-image constructs load Image Builder, Lambda, EventBridge.
            from constructs_lib import WebImagePipeline

            self.image_pipeline = WebImagePipeline(
                self,
                "ImagePipeline",
                vpc=self.vpc,
                instance_type=ec2.InstanceType(config.instance_type),
                logs_bucket=self.log_buckets.logs,
                health_check_path=HEALTH_CHECK_PATH,
                schedule=config.image_pipeline_schedule or None,
                component_arns=config.image_pipeline_components,
                keep_images=config.image_pipeline_keep_images,
            )

        self.web_tier = WebTier(
            self,
            "WebTier",
            vpc=self.vpc,
            instance_type=ec2.InstanceType(config.instance_type),
            image=WebImage.from_image_pipeline(self.image_pipeline)
            if self.image_pipeline is not None
            else None,
            admin_cidrs=config.admin_cidrs,
            capacity=Capacity(
                min_capacity=config.min_capacity,
                max_capacity=config.max_capacity,
                desired_capacity=config.desired_capacity,
            ),
            scaling=Scaling(
                cpu_target_percent=config.cpu_target_percent,
                request_count_target=config.request_count_target,
                schedules=(*config.scaling_schedules, *config.scaling_events),
                predictive_scaling=_predictive(config),
            ),
            rollout=Rollout(
                instance_refresh=InstanceRefresh() if config.instance_refresh else None,
                max_instance_lifetime=Duration.days(config.max_instance_lifetime_days)
                if config.max_instance_lifetime_days
                else None,
            ),
            fleet=Fleet(
                warm_pool=WarmPoolSettings(min_size=config.warm_pool_min_size)
                if config.warm_pool_min_size is not None
                else None,
                spot=SpotCapacity(
                    instance_types=tuple(ec2.InstanceType(t) for t in config.spot_instance_types)
                )
                if config.spot_instance_types
                else None,
                capacity_rebalance=config.capacity_rebalance,
            ),
            domain=Domain(
                certificate=self.certificate,
                hosted_zone=zone,
                record_names=config.record_names if zone is not None else [],
            ),
            load_balancer_options=LoadBalancerOptions(
                internet_facing=not config.internal_load_balancer,
                deletion_protection=config.deletion_protection,
                access_logs_bucket=self.log_buckets.logs,
            ),
            target_group_options=_target_group(config),
            waf=config.waf,
            observability=Observability(alarm_email=config.alarm_email or None)
            if config.observability
            else None,
        )

        alb_dns = self.web_tier.load_balancer.load_balancer_dns_name
        site = config.domain_name or alb_dns
        self.health_check: SiteHealthCheck | None = None
        if config.health_check:
            self.health_check = SiteHealthCheck(
                self,
                "HealthCheck",
                domain_name=site,
                https=self.certificate is not None,
                path=HEALTH_CHECK_PATH,
            )
        self._outputs(config, alb_dns, site)

    def _vpc(self, config: WebTierConfig) -> ec2.IVpc:
        """The stack's own VPC (2 AZs, public + private subnets, one NAT gateway, flow logs),
        or an existing one (``vpcId``): looked up when asked (``lookupVpc``), else imported
        from its attributes without any lookup. An existing VPC's flow logs, NAT and routes
        are its owner's: the stack adds nothing to it but the tier."""
        if config.vpc_id and config.lookup_vpc:
            # Asked for explicitly: the CLI looks the VPC up once and caches it in
            # cdk.context.json (committed, so CI synthesizes without credentials).
            return ec2.Vpc.from_lookup(self, "Vpc", vpc_id=config.vpc_id)
        if config.vpc_id:
            imported = ec2.Vpc.from_vpc_attributes(
                self,
                "Vpc",
                vpc_id=config.vpc_id,
                availability_zones=list(config.availability_zones),
                public_subnet_ids=list(config.public_subnet_ids) or None,
                private_subnet_ids=list(config.private_subnet_ids),
                vpc_cidr_block=config.vpc_cidr_block or None,
            )
            Annotations.of(imported).acknowledge_warning(
                "@aws-cdk/aws-ec2:noSubnetRouteTableId",
                "The tier never reads the imported subnets' route tables: it adds no routes "
                "or gateway endpoints to a VPC it does not own (routing is the owner's).",
            )
            return imported
        vpc = ec2.Vpc(
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
        for subnet in vpc.public_subnets:
            compliance.acknowledge(
                subnet,
                compliance.in_packs(
                    "VPCNoUnrestrictedRouteToIGW",
                    "Public subnets hold only the internet-facing load balancer and the NAT "
                    "gateway, which need the route to the internet gateway; instances run in "
                    "private subnets without public IPs.",
                ),
            )
        self._note_restrict_default_sg_handler()
        return vpc

    def _hosted_zone(self, config: WebTierConfig) -> route53.IHostedZone | None:
        match config.site.zone:
            case CreatedZone(zone_name):
                self.created_zone = route53.PublicHostedZone(
                    self, "HostedZone", zone_name=zone_name
                )
                return self.created_zone
            case LookedUpZone(zone_name):
                # Asked for explicitly: the CLI looks the zone up once and caches it in
                # cdk.context.json (committed, so CI synthesizes without credentials).
                return route53.HostedZone.from_lookup(self, "HostedZone", domain_name=zone_name)
            case ImportedZone(zone_id, zone_name):
                return WebDns.from_hosted_zone_attributes(
                    self, "HostedZone", hosted_zone_id=zone_id, zone_name=zone_name
                )
            case NoDomain() | ExternalDns():
                return None

    def _certificate(
        self, config: WebTierConfig, zone: route53.IHostedZone | None
    ) -> acm.ICertificate | None:
        match config.site.certificate:
            case HttpOnly():
                return None
            case ExistingCertificate(arn):
                return WebCertificate.from_certificate_arn(self, "Certificate", certificate_arn=arn)
            case NewCertificate():
                self.site_certificate = WebCertificate(
                    self,
                    "Certificate",
                    domain_name=config.domain_name,
                    alternative_names=config.alternative_names,
                    hosted_zone=zone,
                )
                return self.site_certificate.certificate

    def _outputs(self, config: WebTierConfig, alb_dns: str, site: str) -> None:
        CfnOutput(
            self,
            "LoadBalancerDnsName",
            value=alb_dns,
            description="The load balancer's DNS name (target of the DNS records)",
        )
        scheme = "https://" if self.certificate is not None else "http://"
        CfnOutput(self, "Url", value=Fn.join("", [scheme, site]), description="Site URL")
        if self.web_tier.monitoring is not None:
            CfnOutput(
                self,
                "DashboardName",
                value=self.web_tier.monitoring.dashboard.dashboard_name,
                description="CloudWatch dashboard of the web tier",
            )
        if config.site.route53:
            CfnOutput(
                self,
                "RecordName",
                value=config.domain_name,
                description="Route 53 alias record for the load balancer",
            )
        if isinstance(config.site.zone, ExternalDns):
            for index, name in enumerate(config.record_names):
                # Ids stay stable per position, as the Route 53 records' do.
                CfnOutput(
                    self,
                    "CnameRecord" if index == 0 else f"CnameRecord{index + 1}",
                    value=Fn.join("", [f"{name}. {CNAME_TTL_SECONDS} IN CNAME ", alb_dns, "."]),
                    description=f"Add at your DNS provider for {name} (a zone apex needs "
                    "the provider's ALIAS/ANAME/CNAME flattening instead)",
                )
        if self.certificate is not None:
            CfnOutput(
                self,
                "CertificateArn",
                value=self.certificate.certificate_arn,
                description="ACM certificate of the HTTPS listener",
            )
        if self.site_certificate is not None and not self.site_certificate.validated_in_zone:
            # CloudFormation cannot output the validation CNAMEs themselves: the certificate
            # resource completes only once they exist. This command lists them afterwards
            # (keep them in place: ACM renews through them).
            CfnOutput(
                self,
                "CertificateValidationCommand",
                value=Fn.join(
                    "",
                    [
                        "aws acm describe-certificate --region ",
                        Aws.REGION,
                        " --certificate-arn ",
                        self.site_certificate.certificate_arn,
                        " --query Certificate.DomainValidationOptions[].ResourceRecord",
                        " --output table",
                    ],
                ),
                description="Lists the certificate's DNS validation records (CNAMEs)",
            )
        if self.image_pipeline is not None:
            CfnOutput(
                self,
                "ImageParameterName",
                value=self.image_pipeline.parameter_name,
                description="SSM parameter holding the newest golden AMI id",
            )
            CfnOutput(
                self,
                "ImagePipelineArn",
                value=self.image_pipeline.pipeline.attr_arn,
                description="Build a new image now: aws imagebuilder "
                "start-image-pipeline-execution --image-pipeline-arn <this>",
            )
        if self.health_check is not None:
            CfnOutput(
                self,
                "HealthCheckId",
                value=self.health_check.health_check_id,
                description="Route 53 health check on the site",
            )
        if self.created_zone is not None and self.created_zone.hosted_zone_name_servers:
            CfnOutput(
                self,
                "NameServers",
                value=Fn.join(",", self.created_zone.hosted_zone_name_servers),
                description="Delegate the domain to these name servers at your registrar",
            )

    def _note_restrict_default_sg_handler(self) -> None:
        """Findings on the Lambda function CDK generates for ``restrict_default_security_group``
        (it strips the default group's rules once per deploy); we do not own its code."""
        provider = self.node.try_find_child("Custom::VpcRestrictDefaultSGCustomResourceProvider")
        handler = provider.node.try_find_child("Handler") if provider is not None else None
        if handler is None:
            return
        compliance.skip_checkov(
            handler,
            {
                "CKV_AWS_115": "CDK's custom-resource handler runs once per deploy; reserved "
                "concurrency would only take capacity from the account's pool.",
                "CKV_AWS_116": "CloudFormation invokes the handler synchronously and reports "
                "a failure in the stack events; a dead-letter queue would never receive one.",
                "CKV_AWS_117": "The handler only calls the EC2 API during deploys; inside the "
                "VPC it would need the NAT gateway or endpoints and gain no isolation.",
            },
        )
        compliance.acknowledge(
            handler,
            {
                f"{compliance.CT}::lambda_inside_vpc_check": "CDK's custom-resource handler "
                "only calls the EC2 API during deploys; inside the VPC it would need the NAT "
                "gateway or endpoints and gain no isolation.",
            },
        )
        compliance.ignore_cfn_lint(
            handler,
            {
                "W3005": "CDK's generated provider states DependsOn on its role beside the "
                "GetAtt; the duplicate is harmless and not our code.",
            },
        )


def _predictive(config: WebTierConfig) -> PredictiveScalingOptions | None:
    """Forecast the metric the group tracks: requests per target when set, else CPU."""
    if config.predictive_scaling == "off":
        return None
    mode = (
        PredictiveMode.FORECAST_AND_SCALE
        if config.predictive_scaling == "forecastAndScale"
        else PredictiveMode.FORECAST_ONLY
    )
    if config.request_count_target is not None:
        return PredictiveScalingOptions(
            metric=PredictiveMetric.request_count(),
            target_value=config.request_count_target,
            mode=mode,
        )
    return PredictiveScalingOptions(
        metric=PredictiveMetric.cpu(), target_value=config.cpu_target_percent, mode=mode
    )


_ALGORITHM = elbv2.TargetGroupLoadBalancingAlgorithmType
_ALGORITHMS = {
    "roundRobin": _ALGORITHM.ROUND_ROBIN,
    "leastOutstandingRequests": _ALGORITHM.LEAST_OUTSTANDING_REQUESTS,
    "weightedRandom": _ALGORITHM.WEIGHTED_RANDOM,
}


def _seconds(value: int | None) -> Duration | None:
    return None if value is None else Duration.seconds(value)


def _target_group(config: WebTierConfig) -> TargetGroupOptions:
    """The target-group keys; unset ones keep TargetGroupOptions' defaults."""
    given: dict[str, Any] = {
        "stickiness": _seconds(config.stickiness_seconds),
        "slow_start": _seconds(config.slow_start_seconds),
        "load_balancing_algorithm": None
        if config.load_balancing_algorithm == "roundRobin"
        else _ALGORITHMS[config.load_balancing_algorithm],
        "health_check_interval": _seconds(config.health_check_interval_seconds),
        "unhealthy_threshold": config.unhealthy_threshold,
    }
    return TargetGroupOptions(
        health_check_path=HEALTH_CHECK_PATH,
        **{key: value for key, value in given.items() if value is not None},
    )
