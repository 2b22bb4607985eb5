"""Read a deployed web tier back through the AWS APIs and check it against its configuration.

Used by the in-process deploy test and by ``make deploy-local`` (scripts/deploy_local.py):
``verify_stack`` after each deploy, ``inventory`` before the first deploy and
``verify_destroyed`` after the stack is gone. Each returns a ``Report`` of named checks;
the caller prints them and fails on any that did not hold.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from stacks.config import WebTierConfig
from tests.support.local_aws import LocalAws

APP_PORT = 80
HEALTH_CHECK_PATH = "/health"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class Report:
    title: str
    checks: list[Check] = field(default_factory=list)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.checks.append(Check(name, bool(ok), detail))
        return bool(ok)

    def equal(self, name: str, actual: Any, expected: Any) -> bool:
        ok = actual == expected
        return self.check(name, ok, f"{actual!r}" if ok else f"{actual!r} != expected {expected!r}")

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def lines(self) -> list[str]:
        return [f"  [{'ok' if c.ok else 'FAIL'}] {c.name}: {c.detail}" for c in self.checks]

    def raise_on_failure(self) -> None:
        if self.failures:
            listing = "\n".join(f"  {c.name}: {c.detail}" for c in self.failures)
            raise AssertionError(f"{self.title}: {len(self.failures)} check(s) failed\n{listing}")


def _by_type(template: Mapping[str, Any], resource_type: str) -> list[str]:
    return [k for k, v in template["Resources"].items() if v["Type"] == resource_type]


def stack_resources(aws: LocalAws, stack_name: str) -> dict[str, dict[str, Any]]:
    cfn = aws.client("cloudformation")
    summaries = cfn.list_stack_resources(StackName=stack_name)["StackResourceSummaries"]
    return {r["LogicalResourceId"]: r for r in summaries if r.get("LogicalResourceId")}


def retained_ids(aws: LocalAws, stack_name: str, template: Mapping[str, Any]) -> set[str]:
    """Physical ids of the resources the template keeps on delete (DeletionPolicy Retain)."""
    live = stack_resources(aws, stack_name)
    return {
        live[name]["PhysicalResourceId"]
        for name, body in template["Resources"].items()
        if body.get("DeletionPolicy") == "Retain" and name in live
    }


def verify_stack(
    aws: LocalAws,
    stack_name: str,
    template: Mapping[str, Any],
    config: WebTierConfig,
) -> Report:
    """Every resource created, and the live resources match ``config``."""
    report = Report(
        f"stack {stack_name} ({config.instance_type}, {config.domain_name or 'no DNS'})"
    )
    cfn, ec2, elbv2, autoscaling = (
        aws.client(s) for s in ("cloudformation", "ec2", "elbv2", "autoscaling")
    )
    stack = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
    report.check("stack status", stack["StackStatus"].endswith("_COMPLETE"), stack["StackStatus"])

    # Nothing skipped: moto used to drop unsupported types silently (empty ResourceType).
    live = stack_resources(aws, stack_name)
    expected = {k: v["Type"] for k, v in template["Resources"].items() if "Condition" not in v}
    missing = sorted(
        f"{name} ({rtype})"
        for name, rtype in expected.items()
        if live.get(name, {}).get("ResourceType") != rtype
        or not live.get(name, {}).get("PhysicalResourceId")
    )
    report.check(
        "every resource created with its type and a physical id",
        not missing,
        f"{len(expected)} resources, {len(set(expected.values()))} types"
        if not missing
        else f"skipped or typeless: {missing}",
    )

    def physical(resource_type: str) -> str:
        names = _by_type(template, resource_type)
        if len(names) != 1:
            raise AssertionError(f"expected one {resource_type} in the template, found {names}")
        return str(live[names[0]]["PhysicalResourceId"])

    # Load balancer, listeners, target group.
    lb_arn = physical("AWS::ElasticLoadBalancingV2::LoadBalancer")
    lb = elbv2.describe_load_balancers(LoadBalancerArns=[lb_arn])["LoadBalancers"][0]
    report.equal("load balancer scheme", lb["Scheme"], "internet-facing")
    report.equal("load balancer type", lb["Type"], "application")
    public_subnets = _subnets_routing_to(ec2, lb["VpcId"], "igw-")
    private_subnets = _subnets_routing_to(ec2, lb["VpcId"], "nat-")
    lb_subnets = {az["SubnetId"] for az in lb["AvailabilityZones"]}
    report.check(
        "load balancer in the public subnets (route to the internet gateway), two AZs",
        lb_subnets == public_subnets
        and len({az["ZoneName"] for az in lb["AvailabilityZones"]}) == 2,
        f"{sorted(lb_subnets)} vs public {sorted(public_subnets)}",
    )
    attributes = {
        a["Key"]: a["Value"]
        for a in elbv2.describe_load_balancer_attributes(LoadBalancerArn=lb_arn)["Attributes"]
    }
    report.check(
        "load balancer access logs on",
        attributes.get("access_logs.s3.enabled") == "true"
        and bool(attributes.get("access_logs.s3.bucket")),
        f"bucket {attributes.get('access_logs.s3.bucket')!r}",
    )

    tg_arn = physical("AWS::ElasticLoadBalancingV2::TargetGroup")
    tg = elbv2.describe_target_groups(TargetGroupArns=[tg_arn])["TargetGroups"][0]
    report.check(
        "target group health check",
        (tg["HealthCheckPath"], tg["HealthCheckProtocol"], tg["Port"], tg["TargetType"])
        == (HEALTH_CHECK_PATH, "HTTP", APP_PORT, "instance"),
        f"{tg['HealthCheckProtocol']} {tg['HealthCheckPath']} on port {tg['Port']} "
        f"({tg['TargetType']})",
    )

    listeners = {
        listener["Port"]: listener
        for listener in elbv2.describe_listeners(LoadBalancerArn=lb_arn)["Listeners"]
    }
    certificate_arn = ""
    if config.https_enabled:
        secure = listeners.get(443, {})
        certificate_arn = (secure.get("Certificates") or [{}])[0].get("CertificateArn", "")
        report.check(
            "HTTPS listener on 443 with a certificate, forwarding to the target group",
            secure.get("Protocol") == "HTTPS"
            and bool(certificate_arn)
            and _forwards_to(secure, tg_arn),
            f"certificate {certificate_arn or 'missing'}",
        )
        redirect = listeners.get(80, {}).get("DefaultActions", [{}])[0]
        report.check(
            "port 80 redirects to HTTPS (listeners on 80 and 443 only)",
            redirect.get("Type") == "redirect"
            and redirect.get("RedirectConfig", {}).get("Protocol") == "HTTPS"
            and sorted(listeners) == [80, 443],
            f"{redirect.get('RedirectConfig')}; listeners on {sorted(listeners)}",
        )
        if certificate_arn and not config.certificate_arn:
            cert = aws.client("acm").describe_certificate(CertificateArn=certificate_arn)[
                "Certificate"
            ]
            names = {cert["DomainName"], *cert.get("SubjectAlternativeNames", [])}
            report.check(
                "certificate issued for every site name",
                cert["Status"] == "ISSUED" and set(config.record_names) <= names,
                f"{cert['Status']} for {sorted(names)}",
            )
    else:
        report.check(
            "HTTP listener on 80 forwarding to the target group (HTTPS off)",
            sorted(listeners) == [80]
            and listeners[80]["Protocol"] == "HTTP"
            and _forwards_to(listeners[80], tg_arn),
            f"listeners on {sorted(listeners)}",
        )

    if _by_type(template, "AWS::WAFv2::WebACLAssociation"):
        wafv2 = aws.client("wafv2")
        acl = wafv2.get_web_acl_for_resource(ResourceArn=lb_arn).get("WebACL", {})
        logging_ok = False
        if acl:
            destinations = wafv2.get_logging_configuration(ResourceArn=acl["ARN"])[
                "LoggingConfiguration"
            ]["LogDestinationConfigs"]
            logging_ok = bool(destinations)
        report.check(
            "WAF web ACL on the load balancer, with logging",
            bool(acl) and logging_ok,
            f"{acl.get('Name')}: {len(acl.get('Rules', []))} rules",
        )
    else:
        acl = aws.client("wafv2").get_web_acl_for_resource(ResourceArn=lb_arn).get("WebACL")
        report.check("no WAF web ACL on the load balancer (waf off)", not acl, str(acl))

    # Security groups.
    alb_groups = set(lb["SecurityGroups"])
    lt_id = physical("AWS::EC2::LaunchTemplate")
    versions = ec2.describe_launch_template_versions(LaunchTemplateId=lt_id)[
        "LaunchTemplateVersions"
    ]
    latest = max(versions, key=lambda v: v["VersionNumber"])
    data = latest["LaunchTemplateData"]
    instance_groups = set(data.get("SecurityGroupIds", [])) | {
        g for ni in data.get("NetworkInterfaces", []) for g in ni.get("Groups", [])
    }
    groups = {
        g["GroupId"]: g
        for g in ec2.describe_security_groups(GroupIds=sorted(alb_groups | instance_groups))[
            "SecurityGroups"
        ]
    }
    alb_ingress = _ingress(groups[g] for g in alb_groups)
    report.equal(
        "load balancer group: 80 and 443 open to the internet, nothing else",
        alb_ingress,
        {("tcp", 80, 80, "0.0.0.0/0"), ("tcp", 443, 443, "0.0.0.0/0")},
    )
    expected_instance = {("tcp", APP_PORT, APP_PORT, g) for g in alb_groups}
    expected_instance |= {("tcp", 22, 22, cidr) for cidr in config.admin_cidrs}
    report.equal(
        "instance group: app port only from the load balancer group"
        + (", SSH only from the admin CIDRs" if config.admin_cidrs else ", no SSH"),
        _ingress(groups[g] for g in instance_groups),
        expected_instance,
    )

    # Launch template.
    report.equal("launch template instance type", data.get("InstanceType"), config.instance_type)
    report.equal(
        "launch template IMDSv2 required",
        data.get("MetadataOptions", {}).get("HttpTokens"),
        "required",
    )
    volumes = [m.get("Ebs", {}) for m in data.get("BlockDeviceMappings", [])]
    report.check(
        "launch template root volume encrypted gp3",
        bool(volumes) and all(v.get("Encrypted") and v.get("VolumeType") == "gp3" for v in volumes),
        str(volumes),
    )
    user_data = base64.b64decode(data.get("UserData", "")).decode(errors="replace")
    report.check(
        "launch template user data present",
        user_data.startswith("#!"),
        f"{len(user_data)} bytes, {user_data.splitlines()[0] if user_data else ''!r}",
    )
    report.check(
        "launch template instance profile",
        bool(data.get("IamInstanceProfile", {}).get("Arn")),
        data.get("IamInstanceProfile", {}).get("Arn", ""),
    )

    # Auto Scaling Group, instances, registration, scaling policy.
    asg_name = physical("AWS::AutoScaling::AutoScalingGroup")
    asg = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[asg_name])[
        "AutoScalingGroups"
    ][0]
    desired = (
        config.desired_capacity if config.desired_capacity is not None else config.min_capacity
    )
    report.equal(
        "group min/max/desired",
        (asg["MinSize"], asg["MaxSize"], asg["DesiredCapacity"]),
        (config.min_capacity, config.max_capacity, desired),
    )
    report.equal("group attached to the target group", asg.get("TargetGroupARNs"), [tg_arn])
    report.equal(
        "group uses the launch template's latest version",
        (asg["LaunchTemplate"]["LaunchTemplateId"], str(asg["LaunchTemplate"]["Version"])),
        (lt_id, str(latest["VersionNumber"])),
    )
    report.equal(
        "group in the private subnets (route to the NAT gateway)",
        set(asg["VPCZoneIdentifier"].split(",")),
        private_subnets,
    )
    report.equal("group health check type", asg.get("HealthCheckType"), "ELB")
    instance_ids = sorted(i["InstanceId"] for i in asg["Instances"])
    reservations = (
        ec2.describe_instances(InstanceIds=instance_ids)["Reservations"] if instance_ids else []
    )
    running = [i for r in reservations for i in r["Instances"] if i["State"]["Name"] == "running"]
    # An update changes the launch template; CloudFormation does not replace running
    # instances for that (no rolling-update policy), so they may come from an older version.
    template_types = {v["LaunchTemplateData"].get("InstanceType") for v in versions}
    report.check(
        f"{desired} instances running in the private subnets, from the launch template",
        len(running) == desired
        and all(i["InstanceType"] in template_types for i in running)
        and all(i["SubnetId"] in private_subnets for i in running),
        ", ".join(f"{i['InstanceId']} {i['InstanceType']}" for i in running),
    )
    registered = sorted(
        t["Target"]["Id"]
        for t in elbv2.describe_target_health(TargetGroupArn=tg_arn)["TargetHealthDescriptions"]
    )
    report.equal("instances registered in the target group", registered, instance_ids)
    policies = autoscaling.describe_policies(AutoScalingGroupName=asg_name)["ScalingPolicies"]
    tracking = [
        p.get("TargetTrackingConfiguration", {})
        for p in policies
        if p["PolicyType"] == "TargetTrackingScaling"
    ]

    def tracked(metric: str) -> list[float]:
        return [
            float(t.get("TargetValue", -1))
            for t in tracking
            if t.get("PredefinedMetricSpecification", {}).get("PredefinedMetricType") == metric
        ]

    report.check(
        f"target tracking on average CPU at {config.cpu_target_percent:g}%",
        tracked("ASGAverageCPUUtilization") == [float(config.cpu_target_percent)],
        str(tracking),
    )
    requests = [float(config.request_count_target)] if config.request_count_target else []
    report.check(
        f"target tracking on requests per target: {requests or 'none'}",
        tracked("ALBRequestCountPerTarget") == requests and len(tracking) == 1 + len(requests),
        str(tracking),
    )
    expected_actions = len(_by_type(template, "AWS::AutoScaling::ScheduledAction"))
    actions = autoscaling.describe_scheduled_actions(AutoScalingGroupName=asg_name)[
        "ScheduledUpdateGroupActions"
    ]
    report.check(
        f"{expected_actions} scheduled actions on the group",
        len(actions) == expected_actions,
        ", ".join(a["ScheduledActionName"] for a in actions) or "none",
    )
    if config.alarm_email:
        endpoints = {
            sub["Endpoint"]
            for sub in aws.client("sns").list_subscriptions()["Subscriptions"]
            if sub["Protocol"] == "email"
        }
        report.check(
            f"alarm e-mail {config.alarm_email} subscribed",
            config.alarm_email in endpoints,
            str(sorted(endpoints)),
        )

    # DNS.
    if config.route53_enabled:
        _verify_dns(aws, report, live, template, config, lb)
    else:
        report.check(
            "no Route 53 records (no Route 53 zone configured)",
            not _by_type(template, "AWS::Route53::RecordSet"),
            "none",
        )
    if config.health_check:
        checks = aws.client("route53").list_health_checks()["HealthChecks"]
        configs = [c["HealthCheckConfig"] for c in checks]
        report.check(
            f"Route 53 health check on {config.domain_name}/health",
            any(
                c.get("FullyQualifiedDomainName") == config.domain_name
                and c.get("ResourcePath") == "/health"
                for c in configs
            ),
            str(configs),
        )

    # Outputs.
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    report.equal("output LoadBalancerDnsName", outputs.get("LoadBalancerDnsName"), lb["DNSName"])
    site = config.domain_name if config.dns_enabled else lb["DNSName"]
    scheme = "https" if config.https_enabled else "http"
    report.equal("output Url", outputs.get("Url"), f"{scheme}://{site}")
    if config.route53_enabled:
        report.equal("output RecordName", outputs.get("RecordName"), config.domain_name)
    if config.https_enabled:
        report.equal("output CertificateArn", outputs.get("CertificateArn"), certificate_arn)
    if config.health_check:
        ids = {c["Id"] for c in aws.client("route53").list_health_checks()["HealthChecks"]}
        report.check(
            "output HealthCheckId",
            outputs.get("HealthCheckId") in ids,
            str(outputs.get("HealthCheckId")),
        )
    if "DashboardName" in outputs:
        dashboards = aws.client("cloudwatch").list_dashboards()["DashboardEntries"]
        report.check(
            "output DashboardName (the dashboard exists)",
            outputs["DashboardName"] in {d["DashboardName"] for d in dashboards},
            outputs["DashboardName"],
        )
    if config.create_hosted_zone:
        (zone_logical,) = _by_type(template, "AWS::Route53::HostedZone")
        zone = aws.client("route53").get_hosted_zone(Id=live[zone_logical]["PhysicalResourceId"])
        report.equal(
            "output NameServers (the created zone's delegation set)",
            sorted(outputs.get("NameServers", "").split(",")),
            sorted(zone["DelegationSet"]["NameServers"]),
        )
    return report


def _verify_dns(
    aws: LocalAws,
    report: Report,
    live: Mapping[str, Mapping[str, Any]],
    template: Mapping[str, Any],
    config: WebTierConfig,
    lb: Mapping[str, Any],
) -> None:
    route53 = aws.client("route53")
    zone_names = {
        z["Id"].split("/")[-1]: z["Name"] for z in route53.list_hosted_zones()["HostedZones"]
    }
    if config.create_hosted_zone:
        (zone_logical,) = _by_type(template, "AWS::Route53::HostedZone")
        zone_id = str(live[zone_logical]["PhysicalResourceId"])
    else:
        zone_id = config.hosted_zone_id
    report.equal(
        "hosted zone " + ("created" if config.create_hosted_zone else "imported"),
        zone_names.get(zone_id, "").rstrip("."),
        config.zone_name,
    )
    records = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    for name in config.record_names:
        aliases = [
            r for r in records if r["Name"].rstrip(".").lower() == name.lower() and r["Type"] == "A"
        ]
        alias = aliases[0].get("AliasTarget", {}) if len(aliases) == 1 else {}
        report.check(
            f"alias A {name} -> load balancer DNS name and hosted-zone id",
            alias.get("DNSName", "").rstrip(".").lower().removeprefix("dualstack.")
            == lb["DNSName"].lower()
            and alias.get("HostedZoneId") == lb["CanonicalHostedZoneId"],
            f"{alias.get('DNSName')} in {alias.get('HostedZoneId')} "
            f"(load balancer zone {lb['CanonicalHostedZoneId']})",
        )


def _forwards_to(listener: Mapping[str, Any], tg_arn: str) -> bool:
    actions = listener.get("DefaultActions", [])
    return (
        bool(actions)
        and actions[0].get("Type") == "forward"
        and (
            actions[0].get("TargetGroupArn") == tg_arn
            or any(
                t.get("TargetGroupArn") == tg_arn
                for t in actions[0].get("ForwardConfig", {}).get("TargetGroups", [])
            )
        )
    )


def _ingress(groups: Iterable[Mapping[str, Any]]) -> set[tuple[str, int, int, str]]:
    rules: set[tuple[str, int, int, str]] = set()
    for group in groups:
        for p in group["IpPermissions"]:
            key = (str(p.get("IpProtocol")), int(p.get("FromPort", -1)), int(p.get("ToPort", -1)))
            for r in p.get("IpRanges", []):
                rules.add((*key, r["CidrIp"]))
            for r in p.get("Ipv6Ranges", []):
                rules.add((*key, r["CidrIpv6"]))
            for r in p.get("UserIdGroupPairs", []):
                rules.add((*key, r["GroupId"]))
    return rules


def _subnets_routing_to(ec2: Any, vpc_id: str, target_prefix: str) -> set[str]:
    """Subnets of ``vpc_id`` whose route table sends 0.0.0.0/0 to a ``target_prefix`` id."""
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
    subnets: set[str] = set()
    for table in tables["RouteTables"]:
        default = [r for r in table["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0"]
        target = (
            (default[0].get("GatewayId") or default[0].get("NatGatewayId") or "") if default else ""
        )
        if target.startswith(target_prefix):
            subnets |= {a["SubnetId"] for a in table["Associations"] if a.get("SubnetId")}
    return subnets


# ---------------------------------------------------------------------------------------
# After destroy: compare everything that exists with what existed before the deploy.
# ---------------------------------------------------------------------------------------
def inventory(aws: LocalAws) -> dict[str, set[str]]:
    """Ids of every resource kind the web tier (and its bootstrap) could leave behind."""
    ec2, elbv2, autoscaling = (aws.client(s) for s in ("ec2", "elbv2", "autoscaling"))
    iam, s3, route53 = (aws.client(s) for s in ("iam", "s3", "route53"))
    kinds: dict[str, set[str]] = {
        "vpc": {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]},
        "subnet": {s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]},
        "route table": {t["RouteTableId"] for t in ec2.describe_route_tables()["RouteTables"]},
        "security group": {g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"]},
        "internet gateway": {
            g["InternetGatewayId"] for g in ec2.describe_internet_gateways()["InternetGateways"]
        },
        "NAT gateway": {
            n["NatGatewayId"]
            for n in ec2.describe_nat_gateways()["NatGateways"]
            if n["State"] not in ("deleted", "deleting")
        },
        "elastic IP": {a.get("AllocationId", "") for a in ec2.describe_addresses()["Addresses"]},
        "network interface": {
            n["NetworkInterfaceId"] for n in ec2.describe_network_interfaces()["NetworkInterfaces"]
        },
        "launch template": {
            t["LaunchTemplateId"] for t in ec2.describe_launch_templates()["LaunchTemplates"]
        },
        "instance (not terminated)": {
            i["InstanceId"]
            for r in ec2.describe_instances()["Reservations"]
            for i in r["Instances"]
            if i["State"]["Name"] != "terminated"
        },
        "flow log": {f["FlowLogId"] for f in ec2.describe_flow_logs()["FlowLogs"]},
        "load balancer": {
            lb["LoadBalancerArn"] for lb in elbv2.describe_load_balancers()["LoadBalancers"]
        },
        "target group": {
            tg["TargetGroupArn"] for tg in elbv2.describe_target_groups()["TargetGroups"]
        },
        "auto scaling group": {
            g["AutoScalingGroupName"]
            for g in autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]
        },
        "scaling policy": {
            p["PolicyName"] for p in autoscaling.describe_policies()["ScalingPolicies"]
        },
        "hosted zone": {z["Id"].split("/")[-1] for z in route53.list_hosted_zones()["HostedZones"]},
        "certificate": {
            c["CertificateArn"]
            for c in aws.client("acm").list_certificates()["CertificateSummaryList"]
        },
        "SNS topic": {t["TopicArn"] for t in aws.client("sns").list_topics()["Topics"]},
        "KMS key (customer managed, enabled)": _customer_keys(aws.client("kms")),
        "S3 bucket": {b["Name"] for b in s3.list_buckets()["Buckets"]},
        "IAM role": {r["RoleName"] for r in iam.list_roles()["Roles"]},
        "instance profile": {
            p["InstanceProfileName"] for p in iam.list_instance_profiles()["InstanceProfiles"]
        },
        "Lambda function": {
            f["FunctionName"] for f in aws.client("lambda").list_functions()["Functions"]
        },
        "alarm": {
            a["AlarmName"] for a in aws.client("cloudwatch").describe_alarms()["MetricAlarms"]
        },
        "log group": {
            g["logGroupName"] for g in aws.client("logs").describe_log_groups()["logGroups"]
        },
        "WAF web ACL": {
            a["ARN"] for a in aws.client("wafv2").list_web_acls(Scope="REGIONAL")["WebACLs"]
        },
        "dashboard": {
            d["DashboardName"]
            for d in aws.client("cloudwatch").list_dashboards()["DashboardEntries"]
        },
        "Route 53 health check": {c["Id"] for c in route53.list_health_checks()["HealthChecks"]},
        "scheduled action": {
            a.get("ScheduledActionARN", a["ScheduledActionName"])
            for a in autoscaling.describe_scheduled_actions()["ScheduledUpdateGroupActions"]
        },
        "SNS subscription": {
            s["SubscriptionArn"] for s in aws.client("sns").list_subscriptions()["Subscriptions"]
        },
    }
    return kinds


def _customer_keys(kms: Any) -> set[str]:
    # AWS managed keys (alias/aws/ebs, ...) appear when a service first encrypts something
    # (moto marks them CUSTOMER, hence the alias test); they belong to the account.
    managed = {
        a["TargetKeyId"]
        for a in kms.list_aliases()["Aliases"]
        if a["AliasName"].startswith("alias/aws/") and a.get("TargetKeyId")
    }
    keys = set()
    for key in kms.list_keys()["Keys"]:
        meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
        if key["KeyId"] not in managed and meta["KeyState"] == "Enabled":
            keys.add(key["KeyId"])
    return keys


def verify_destroyed(
    aws: LocalAws,
    stack_name: str,
    before: Mapping[str, set[str]],
    retained: set[str],
) -> Report:
    """The stack is gone and nothing is left but what it retains on purpose."""
    report = Report(f"after destroying {stack_name}")
    cfn = aws.client("cloudformation")
    live = [
        s["StackStatus"]
        for s in cfn.list_stacks()["StackSummaries"]
        if s["StackName"] == stack_name and s["StackStatus"] != "DELETE_COMPLETE"
    ]
    report.check("stack deleted", not live, "DELETE_COMPLETE" if not live else str(live))
    after = inventory(aws)
    kept: list[str] = []
    for kind, ids in after.items():
        new = ids - before.get(kind, set())
        unexpected = sorted(new - retained)
        kept += sorted(new & retained)
        report.check(
            f"no {kind} left", not unexpected, "none" if not unexpected else str(unexpected)
        )
    report.check(
        "retained on purpose (DeletionPolicy Retain)",
        set(kept) == retained,
        ", ".join(kept) or "none",
    )
    return report
