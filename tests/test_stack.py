"""The deployable stack, synthesized once per variant and read by many tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from aws_cdk.assertions import Capture, Match, Template

from constructs_lib.scaling_schedule import OneOffSchedule
from stacks.config import ConfigError, WebTierConfig
from stacks.web_tier_stack import WebTierStack
from tests.conftest import new_app

ZONE_ID = "Z0123456789ABCDEFGHIJ"
ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
TLS13_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"


def _synth(**config: Any) -> tuple[WebTierStack, Template]:
    stack = WebTierStack(new_app(), "Web", config=WebTierConfig(**config))
    return stack, Template.from_stack(stack)


def _listeners(template: Template) -> list[dict[str, Any]]:
    """Every listener as (port, protocol, certificates, policy, default actions)."""
    listeners = [
        {
            key: r["Properties"].get(key)
            for key in ("Port", "Protocol", "Certificates", "SslPolicy", "DefaultActions")
        }
        for r in template.find_resources("AWS::ElasticLoadBalancingV2::Listener").values()
    ]
    return sorted(listeners, key=lambda listener: int(listener["Port"]))


def _records(template: Template) -> list[tuple[str, str]]:
    return sorted(
        (r["Properties"]["Name"], r["Properties"]["Type"])
        for r in template.find_resources("AWS::Route53::RecordSet").values()
    )


def _outputs(template: Template) -> dict[str, Any]:
    return {key: o["Value"] for key, o in template.to_json()["Outputs"].items()}


def _dashboard(stack: WebTierStack) -> Any:
    assert stack.web_tier.monitoring is not None
    return stack.resolve(stack.web_tier.monitoring.dashboard.dashboard_name)


def _forward(stack: WebTierStack) -> list[dict[str, Any]]:
    return [
        {
            "Type": "forward",
            "TargetGroupArn": stack.resolve(stack.web_tier.target_group.target_group_arn),
        }
    ]


REDIRECT = [
    {
        "Type": "redirect",
        "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"},
    }
]


@pytest.fixture(scope="module")
def default() -> tuple[WebTierStack, Template]:
    return _synth()


@pytest.fixture(scope="module")
def with_dns() -> tuple[WebTierStack, Template]:
    """Route 53 with HTTPS (the default with a domain): imported zone, two names."""
    return _synth(
        domain_name="shop.example.com",
        hosted_zone_id=ZONE_ID,
        hosted_zone_name="example.com",
        alternative_names=("www.shop.example.com",),
    )


@pytest.fixture(scope="module")
def external() -> tuple[WebTierStack, Template]:
    """External DNS with a given certificate."""
    return _synth(
        domain_name="shop.example.com",
        alternative_names=("www.shop.example.com",),
        certificate_arn=ARN,
    )


def test_stack_is_environment_agnostic(default: tuple[WebTierStack, Template]) -> None:
    stack, _ = default
    assert stack.resolve(stack.region) == {"Ref": "AWS::Region"}
    assert stack.resolve(stack.account) == {"Ref": "AWS::AccountId"}


def test_vpc_has_two_azs_public_and_private_and_flow_logs(
    default: tuple[WebTierStack, Template],
) -> None:
    stack, template = default
    assert len(stack.vpc.public_subnets) == 2 and len(stack.vpc.private_subnets) == 2
    for subnet in template.find_resources("AWS::EC2::Subnet").values():
        assert subnet["Properties"]["MapPublicIpOnLaunch"] is False
    template.has_resource_properties(
        "AWS::EC2::FlowLog",
        {"LogDestinationType": "s3", "TrafficType": "ALL", "ResourceType": "VPC"},
    )
    template.resource_count_is("Custom::VpcRestrictDefaultSG", 1)


def test_request_path_is_wired_alb_to_group(default: tuple[WebTierStack, Template]) -> None:
    stack, template = default
    tier = stack.web_tier
    target_group = Capture()
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::Listener",
        {"Port": 80, "DefaultActions": [{"Type": "forward", "TargetGroupArn": target_group}]},
    )
    template.has_resource_properties(
        "AWS::AutoScaling::AutoScalingGroup",
        {
            "TargetGroupARNs": [target_group.as_object()],
            "MinSize": "2",
            "MaxSize": "4",
            "DesiredCapacity": Match.absent(),
        },
    )
    template.has_resource_properties(
        "AWS::AutoScaling::ScalingPolicy",
        {"TargetTrackingConfiguration": Match.object_like({"TargetValue": 50})},
    )
    assert stack.resolve(tier.target_group.target_group_arn) == target_group.as_object()


def test_instances_reachable_only_from_the_load_balancer(
    default: tuple[WebTierStack, Template],
) -> None:
    stack, template = default
    ingress = template.find_resources("AWS::EC2::SecurityGroupIngress")
    assert len(ingress) == 1
    (rule,) = ingress.values()
    groups = stack.web_tier.security_groups
    assert groups.load_balancer is not None
    assert rule["Properties"]["SourceSecurityGroupId"] == stack.resolve(
        groups.load_balancer.security_group_id
    )
    assert rule["Properties"]["GroupId"] == stack.resolve(groups.instances.security_group_id)
    assert rule["Properties"]["FromPort"] == 80


def test_access_logs_and_notifications_are_on(default: tuple[WebTierStack, Template]) -> None:
    stack, template = default
    (alb,) = template.find_resources("AWS::ElasticLoadBalancingV2::LoadBalancer").values()
    attributes = {a["Key"]: a["Value"] for a in alb["Properties"]["LoadBalancerAttributes"]}
    assert attributes["access_logs.s3.bucket"] == stack.resolve(stack.log_buckets.logs.bucket_name)
    template.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": Match.any_value()})
    template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})


def test_variant_no_domain(default: tuple[WebTierStack, Template]) -> None:
    stack, template = default
    alb_dns = stack.resolve(stack.web_tier.load_balancer.load_balancer_dns_name)
    assert _listeners(template) == [
        {
            "Port": 80,
            "Protocol": "HTTP",
            "Certificates": None,
            "SslPolicy": None,
            "DefaultActions": _forward(stack),
        }
    ]
    template.resource_count_is("AWS::CertificateManager::Certificate", 0)
    template.resource_count_is("AWS::Route53::HostedZone", 0)
    template.resource_count_is("AWS::Route53::HealthCheck", 0)
    assert _records(template) == []
    assert _outputs(template) == {
        "LoadBalancerDnsName": alb_dns,
        "Url": {"Fn::Join": ["", ["http://", alb_dns]]},
        "DashboardName": _dashboard(stack),
    }


def test_variant_route53_with_https(with_dns: tuple[WebTierStack, Template]) -> None:
    stack, template = with_dns
    assert stack.site_certificate is not None and stack.site_certificate.validated_in_zone
    certificate_ref = stack.resolve(stack.site_certificate.certificate_arn)
    assert _listeners(template) == [
        {
            "Port": 80,
            "Protocol": "HTTP",
            "Certificates": None,
            "SslPolicy": None,
            "DefaultActions": REDIRECT,
        },
        {
            "Port": 443,
            "Protocol": "HTTPS",
            "Certificates": [{"CertificateArn": certificate_ref}],
            "SslPolicy": TLS13_POLICY,
            "DefaultActions": _forward(stack),
        },
    ]
    certificates = template.find_resources("AWS::CertificateManager::Certificate")
    assert list(certificates) == [certificate_ref["Ref"]]
    (certificate,) = certificates.values()
    assert certificate["Properties"] == {
        "DomainName": "shop.example.com",
        "SubjectAlternativeNames": ["www.shop.example.com"],
        "ValidationMethod": "DNS",
        "DomainValidationOptions": [
            {"DomainName": "shop.example.com", "HostedZoneId": ZONE_ID},
            {"DomainName": "www.shop.example.com", "HostedZoneId": ZONE_ID},
        ],
        "Tags": [{"Key": "Name", "Value": "Web/Certificate/Certificate"}],
    }
    assert _records(template) == [("shop.example.com.", "A"), ("www.shop.example.com.", "A")]
    alb = stack.web_tier.load_balancer
    for record in template.find_resources("AWS::Route53::RecordSet").values():
        assert record["Properties"]["HostedZoneId"] == ZONE_ID
        assert record["Properties"]["AliasTarget"] == {
            "DNSName": {
                "Fn::Join": ["", ["dualstack.", stack.resolve(alb.load_balancer_dns_name)]]
            },
            "HostedZoneId": stack.resolve(alb.load_balancer_canonical_hosted_zone_id),
        }
    template.resource_count_is("AWS::Route53::HostedZone", 0)
    template.resource_count_is("AWS::Route53::HealthCheck", 0)
    assert _outputs(template) == {
        "LoadBalancerDnsName": stack.resolve(alb.load_balancer_dns_name),
        "Url": "https://shop.example.com",
        "DashboardName": _dashboard(stack),
        "RecordName": "shop.example.com",
        "CertificateArn": certificate_ref,
    }


def test_variant_external_dns_with_given_certificate(
    external: tuple[WebTierStack, Template],
) -> None:
    stack, template = external
    alb_dns = stack.resolve(stack.web_tier.load_balancer.load_balancer_dns_name)
    assert stack.site_certificate is None
    assert _listeners(template) == [
        {
            "Port": 80,
            "Protocol": "HTTP",
            "Certificates": None,
            "SslPolicy": None,
            "DefaultActions": REDIRECT,
        },
        {
            "Port": 443,
            "Protocol": "HTTPS",
            "Certificates": [{"CertificateArn": ARN}],
            "SslPolicy": TLS13_POLICY,
            "DefaultActions": _forward(stack),
        },
    ]
    template.resource_count_is("AWS::CertificateManager::Certificate", 0)
    template.resource_count_is("AWS::Route53::HostedZone", 0)
    template.resource_count_is("AWS::Route53::HealthCheck", 0)
    assert _records(template) == []
    assert _outputs(template) == {
        "LoadBalancerDnsName": alb_dns,
        "Url": "https://shop.example.com",
        "DashboardName": _dashboard(stack),
        "CnameRecord": {"Fn::Join": ["", ["shop.example.com. 300 IN CNAME ", alb_dns, "."]]},
        "CnameRecord2": {"Fn::Join": ["", ["www.shop.example.com. 300 IN CNAME ", alb_dns, "."]]},
        "CertificateArn": ARN,
    }


def test_external_dns_with_created_certificate_and_health_check() -> None:
    stack, template = _synth(
        domain_name="shop.example.com", create_certificate=True, health_check=True
    )
    assert stack.site_certificate is not None and not stack.site_certificate.validated_in_zone
    certificate_ref = stack.resolve(stack.site_certificate.certificate_arn)
    (certificate,) = template.find_resources("AWS::CertificateManager::Certificate").values()
    assert certificate["Properties"]["ValidationMethod"] == "DNS"
    assert "DomainValidationOptions" not in certificate["Properties"]  # the user adds them
    assert [listener["Port"] for listener in _listeners(template)] == [80, 443]
    assert _listeners(template)[1]["Certificates"] == [{"CertificateArn": certificate_ref}]
    assert stack.health_check is not None
    template.has_resource_properties(
        "AWS::Route53::HealthCheck",
        {
            "HealthCheckConfig": Match.object_like(
                {
                    "Type": "HTTPS",
                    "FullyQualifiedDomainName": "shop.example.com",
                    "Port": 443,
                    "ResourcePath": "/health",
                }
            )
        },
    )
    outputs = _outputs(template)
    assert set(outputs) == {
        "LoadBalancerDnsName",
        "Url",
        "DashboardName",
        "CnameRecord",
        "CertificateArn",
        "CertificateValidationCommand",
        "HealthCheckId",
    }
    assert outputs["CertificateValidationCommand"] == {
        "Fn::Join": [
            "",
            [
                "aws acm describe-certificate --region ",
                {"Ref": "AWS::Region"},
                " --certificate-arn ",
                certificate_ref,
                " --query Certificate.DomainValidationOptions[].ResourceRecord --output table",
            ],
        ]
    }
    assert outputs["HealthCheckId"] == stack.resolve(stack.health_check.health_check_id)


def test_health_check_without_domain_probes_the_load_balancer_over_http() -> None:
    stack, template = _synth(health_check=True)
    template.has_resource_properties(
        "AWS::Route53::HealthCheck",
        {
            "HealthCheckConfig": Match.object_like(
                {
                    "Type": "HTTP",
                    "Port": 80,
                    "FullyQualifiedDomainName": stack.resolve(
                        stack.web_tier.load_balancer.load_balancer_dns_name
                    ),
                }
            )
        },
    )


def test_looked_up_zone_holds_the_records() -> None:
    # The lookup result a `cdk synth` with credentials caches in cdk.context.json.
    app = new_app(
        {
            "hosted-zone:account=123456789012:domainName=example.com:region=eu-west-1": {
                "Id": "/hostedzone/ZLOOKEDUP0000000000",
                "Name": "example.com.",
            }
        }
    )
    stack = WebTierStack(
        app,
        "Web",
        config=WebTierConfig(
            domain_name="shop.example.com",
            hosted_zone_name="example.com",
            lookup_hosted_zone=True,
            account="123456789012",
            region="eu-west-1",
        ),
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::Route53::RecordSet",
        {"Name": "shop.example.com.", "Type": "A", "HostedZoneId": "ZLOOKEDUP0000000000"},
    )
    template.has_resource_properties(
        "AWS::CertificateManager::Certificate",
        {
            "DomainValidationOptions": [
                {"DomainName": "shop.example.com", "HostedZoneId": "ZLOOKEDUP0000000000"}
            ]
        },
    )


def test_looked_up_vpc_holds_the_tier() -> None:
    # The lookup result a `cdk synth` with credentials caches in cdk.context.json (asked
    # for explicitly with lookupVpc; the stack's environment comes from the configuration).
    subnets = {"Public": ("subnet-0a00000000000000a", "subnet-0a00000000000000b")}
    subnets["Private"] = ("subnet-0b00000000000000a", "subnet-0b00000000000000b")
    cached = {
        "vpcId": "vpc-0a1b2c3d4e5f67890",
        "vpcCidrBlock": "10.20.0.0/16",
        "availabilityZones": [],
        "subnetGroups": [
            {
                "name": kind,
                "type": kind,
                "subnets": [
                    {
                        "subnetId": subnet_id,
                        "cidr": f"10.20.{index + (10 if kind == 'Private' else 0)}.0/24",
                        "availabilityZone": f"eu-west-1{'ab'[index]}",
                        "routeTableId": f"rtb-0{index}{kind[:2].lower()}00000000000000"[:21],
                    }
                    for index, subnet_id in enumerate(ids)
                ],
            }
            for kind, ids in subnets.items()
        ],
    }
    key = (
        "vpc-provider:account=123456789012:filter.vpc-id=vpc-0a1b2c3d4e5f67890:"
        "region=eu-west-1:returnAsymmetricSubnets=true"
    )
    config = WebTierConfig.from_context(
        {
            "vpcId": "vpc-0a1b2c3d4e5f67890",
            "lookupVpc": True,
            "account": "123456789012",
            "region": "eu-west-1",
        },
        environ={},
    )
    template = Template.from_stack(WebTierStack(new_app({key: cached}), "Web", config=config))
    template.resource_count_is("AWS::EC2::VPC", 0)
    template.resource_count_is("AWS::EC2::FlowLog", 0)
    template.has_resource_properties(
        "AWS::AutoScaling::AutoScalingGroup", {"VPCZoneIdentifier": list(subnets["Private"])}
    )
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::LoadBalancer", {"Subnets": list(subnets["Public"])}
    )


def test_created_zone_holds_the_record_and_http_only_is_possible() -> None:
    stack, template = _synth(domain_name="example.org", create_hosted_zone=True, https=False)
    template.has_resource_properties("AWS::Route53::HostedZone", {"Name": "example.org."})
    assert stack.created_zone is not None
    template.has_resource_properties(
        "AWS::Route53::RecordSet",
        {
            "Name": "example.org.",
            "Type": "A",
            "HostedZoneId": stack.resolve(stack.created_zone.hosted_zone_id),
        },
    )
    assert set(_outputs(template)) == {
        "LoadBalancerDnsName",
        "Url",
        "DashboardName",
        "RecordName",
        "NameServers",
    }
    assert _outputs(template)["Url"] == "http://example.org"
    assert [listener["Protocol"] for listener in _listeners(template)] == ["HTTP"]
    assert _listeners(template)[0]["DefaultActions"] == _forward(stack)
    template.resource_count_is("AWS::CertificateManager::Certificate", 0)


def test_admin_cidr_adds_ssh_group_on_the_launch_template() -> None:
    _, template = _synth(admin_cidrs=("203.0.113.10/32",))
    template.has_resource_properties(
        "AWS::EC2::SecurityGroup",
        {
            "SecurityGroupIngress": [
                Match.object_like({"CidrIp": "203.0.113.10/32", "FromPort": 22, "ToPort": 22})
            ]
        },
    )
    (lt,) = template.find_resources("AWS::EC2::LaunchTemplate").values()
    assert len(lt["Properties"]["LaunchTemplateData"]["SecurityGroupIds"]) == 2


def test_logical_ids_of_stateful_and_public_resources_are_pinned(
    with_dns: tuple[WebTierStack, Template],
) -> None:
    # Renaming these replaces the resource in production: the DNS name changes, logs move.
    _, template = with_dns
    ids = set(template.to_json()["Resources"])
    for logical_id in (
        "WebTierLoadBalancerA16A8463",
        "WebTierLoadBalancerTargetGroup7B5C7E55",
        "WebTierDnsAliasBDE32291",
        "WebTierDnsAlias29D2AB858",
        "CertificateBDDE2430",
        "Logs71AC9AA5",
        "LogsServerAccessLogsBFF4FD84",
        "Vpc8378EB38",
    ):
        assert logical_id in ids, f"{logical_id} changed: that would replace a live resource"


@pytest.mark.parametrize(
    "config",
    [
        WebTierConfig(https=True),
        WebTierConfig(domain_name="shop.example.com"),  # external DNS, nothing to validate with
    ],
    ids=["https-without-domain", "external-dns-without-certificate"],
)
def test_https_without_a_certificate_source_is_refused(config: WebTierConfig) -> None:
    with pytest.raises(ConfigError, match="HTTPS needs a certificate: set 'certificateArn'"):
        WebTierStack(new_app(), "Web", config=config)


def test_monitoring_is_on_and_alarms_reach_the_notification_topic(
    default: tuple[WebTierStack, Template],
) -> None:
    stack, template = default
    monitoring = stack.web_tier.monitoring
    assert monitoring is not None
    topic = stack.resolve(stack.web_tier.topic.topic_arn)
    alarms = template.find_resources("AWS::CloudWatch::Alarm")
    assert len(alarms) == len(monitoring.alarms) == 8  # t3.micro: CPU credits included
    assert all(a["Properties"]["AlarmActions"] == [topic] for a in alarms.values())
    template.resource_count_is("AWS::SNS::Subscription", 0)
    template.resource_count_is("AWS::CloudWatch::Dashboard", 1)


def test_rollout_rolls_back_on_the_5xx_and_unhealthy_host_alarms(
    default: tuple[WebTierStack, Template],
) -> None:
    # Follow the instance refresh's alarm names to the alarm resources and what they watch.
    _, template = default
    (group,) = template.find_resources("AWS::AutoScaling::AutoScalingGroup").values()
    preferences = group["UpdatePolicy"]["AutoScalingInstanceRefresh"]["Preferences"]
    names = preferences["AlarmSpecification"]["Alarms"]
    alarms = template.find_resources("AWS::CloudWatch::Alarm")
    watched = []
    for name in names:
        assert set(name) == {"Ref"}, name  # the alarm's generated name, from this stack
        metrics = alarms[name["Ref"]]["Properties"]["Metrics"]
        watched.append(
            sorted(m["MetricStat"]["Metric"]["MetricName"] for m in metrics if "MetricStat" in m)
        )
    assert watched == [
        ["HTTPCode_ELB_5XX_Count", "RequestCount"],
        ["HTTPCode_Target_5XX_Count", "RequestCount"],
        ["UnHealthyHostCount"],
    ]


def test_alarm_email_subscribes_and_observability_can_be_switched_off() -> None:
    stack, template = _synth(alarm_email="ops@example.com")
    template.has_resource_properties(
        "AWS::SNS::Subscription",
        {
            "Protocol": "email",
            "Endpoint": "ops@example.com",
            "TopicArn": stack.resolve(stack.web_tier.topic.topic_arn),
        },
    )
    stack, template = _synth(observability=False)
    assert stack.web_tier.monitoring is None
    template.resource_count_is("AWS::CloudWatch::Alarm", 0)
    template.resource_count_is("AWS::CloudWatch::Dashboard", 0)
    assert "DashboardName" not in _outputs(template)


def test_holiday_peak_config_reaches_the_group() -> None:
    christmas = OneOffSchedule(
        name="Christmas",
        start=dt.date(2026, 12, 1),
        end=dt.date(2026, 12, 26),
        min_capacity=4,
        max_capacity=8,
        time_zone="Europe/Berlin",
    )
    stack, template = _synth(
        request_count_target=1000,
        predictive_scaling="forecastAndScale",
        scaling_events=(christmas,),
        max_instance_lifetime_days=14,
    )
    group = stack.web_tier.auto_scaling_group
    group_name = stack.resolve(group.auto_scaling_group_name)
    template.has_resource_properties(
        "AWS::AutoScaling::AutoScalingGroup",
        {"MinSize": "2", "MaxSize": "4", "MaxInstanceLifetime": 1209600},
    )
    template.has_resource_properties(
        "AWS::AutoScaling::ScheduledAction",
        {
            "AutoScalingGroupName": group_name,
            "Recurrence": "0 0 1 12 *",
            "TimeZone": "Europe/Berlin",
            "MinSize": 4,
            "MaxSize": 8,
        },
    )
    # Predictive scaling forecasts the signal target tracking follows: requests per target.
    template.has_resource_properties(
        "AWS::AutoScaling::ScalingPolicy",
        {
            "AutoScalingGroupName": group_name,
            "PolicyType": "PredictiveScaling",
            "PredictiveScalingConfiguration": Match.object_like(
                {
                    "Mode": "ForecastAndScale",
                    "MetricSpecifications": [
                        Match.object_like(
                            {
                                "TargetValue": 1000,
                                "PredefinedMetricPairSpecification": Match.object_like(
                                    {"PredefinedMetricType": "ALBRequestCount"}
                                ),
                            }
                        )
                    ],
                }
            ),
        },
    )
    template.has_resource_properties(
        "AWS::AutoScaling::ScalingPolicy",
        {
            "PolicyType": "TargetTrackingScaling",
            "TargetTrackingConfiguration": Match.object_like(
                {
                    "PredefinedMetricSpecification": Match.object_like(
                        {"PredefinedMetricType": "ALBRequestCountPerTarget"}
                    ),
                    "TargetValue": 1000,
                }
            ),
        },
    )


def test_predictive_cpu_forecast_only_and_no_instance_refresh() -> None:
    _, template = _synth(predictive_scaling="forecastOnly", instance_refresh=False)
    template.has_resource_properties(
        "AWS::AutoScaling::ScalingPolicy",
        {
            "PolicyType": "PredictiveScaling",
            "PredictiveScalingConfiguration": Match.object_like(
                {
                    "Mode": "ForecastOnly",
                    "MetricSpecifications": [
                        {
                            "TargetValue": 50,
                            "PredefinedMetricPairSpecification": {
                                "PredefinedMetricType": "ASGCPUUtilization"
                            },
                        }
                    ],
                }
            ),
        },
    )
    (group,) = template.find_resources("AWS::AutoScaling::AutoScalingGroup").values()
    assert "AutoScalingInstanceRefresh" not in group["UpdatePolicy"]


def test_default_stack_rolls_on_template_changes_and_has_no_schedules(
    default: tuple[WebTierStack, Template],
) -> None:
    _, template = default
    (group,) = template.find_resources("AWS::AutoScaling::AutoScalingGroup").values()
    assert (
        group["UpdatePolicy"]["AutoScalingInstanceRefresh"]["Preferences"]["MinHealthyPercentage"]
        == 100
    )
    template.resource_count_is("AWS::AutoScaling::ScheduledAction", 0)
    policies = template.find_resources("AWS::AutoScaling::ScalingPolicy")
    assert [p["Properties"]["PolicyType"] for p in policies.values()] == ["TargetTrackingScaling"]
