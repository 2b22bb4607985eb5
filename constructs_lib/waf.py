"""AWS WAF in front of the load balancer: AWS managed rule groups, logged.

aws-cdk-lib has no L2 for AWS WAFv2, so this module is the one place that uses the L1
``aws_wafv2.Cfn*`` classes (web ACL, association, logging configuration).
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Aws, Fn, Names, RemovalPolicy
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from constructs_lib._kms import restrict_create_grant
from constructs_lib._validation import PropErrors, check_int_range, typed_arguments

# AWS managed rule groups that work without extra configuration or subscription fees
# (Bot Control, ATP and ACFP need configuration and cost extra: add them to the ACL yourself).
MANAGED_RULE_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesAnonymousIpList",
    "AWSManagedRulesAdminProtectionRuleSet",
    "AWSManagedRulesSQLiRuleSet",
    "AWSManagedRulesLinuxRuleSet",
    "AWSManagedRulesUnixRuleSet",
    "AWSManagedRulesWindowsRuleSet",
    "AWSManagedRulesPHPRuleSet",
    "AWSManagedRulesWordPressRuleSet",
)
DEFAULT_RULE_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
)
# AWS WAF's limits for a rate-based rule (requests per IP in a five-minute window).
_RATE_LIMIT = (10, 2_000_000_000)
# AWS WAF only delivers logs to destinations whose names start with this prefix.
LOG_NAME_PREFIX = "aws-waf-logs-"


class WebAcl(Construct):
    """A regional AWS WAF web ACL with AWS managed rule groups, and its logs.

    Creates ``web_acl`` (default action allow; each of ``managed_rule_groups`` as a rule in
    the given order, optionally preceded by a per-IP rate limit), ``log_group`` (named
    ``aws-waf-logs-...`` as WAF requires, encrypted with the rotating ``key``, kept for
    ``log_retention``) and ``logging`` (the WAF logging configuration). Attach it to load
    balancers with ``associate``; the associations are listed in ``associations``.
    """

    @typed_arguments
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        managed_rule_groups: Sequence[str] = DEFAULT_RULE_GROUPS,
        rate_limit_per_ip: int | None = None,
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        """
        :param managed_rule_groups: AWS managed rule groups to apply, by name, in priority
            order (any of ``MANAGED_RULE_GROUPS``). Default: the core rule set, known bad
            inputs (Log4j and similar exploits) and Amazon's IP reputation list.
        :param rate_limit_per_ip: Block an IP address that sends more than this many
            requests in five minutes (10 to 2,000,000,000). Default: no rate limit.
        :param log_retention: How long WAF logs are kept. Default: one year.
        :param removal_policy: What happens to the log group and its key when the stack is
            deleted. Default: RETAIN.
        """
        super().__init__(scope, construct_id)
        errors = PropErrors("WebAcl")
        if isinstance(managed_rule_groups, str):
            errors.add(
                f"managed_rule_groups {managed_rule_groups!r} is a string; give a list, "
                "e.g. ['AWSManagedRulesCommonRuleSet']"
            )
            managed_rule_groups = ()
        elif not managed_rule_groups:
            errors.add(
                "managed_rule_groups is empty; give at least one, e.g. "
                "['AWSManagedRulesCommonRuleSet'] (a web ACL without rules only costs money)"
            )
        for index, name in enumerate(managed_rule_groups):
            if name not in MANAGED_RULE_GROUPS:
                errors.add(
                    f"managed_rule_groups[{index}] {name!r} is not a known AWS managed rule "
                    f"group without extra configuration; choose from {list(MANAGED_RULE_GROUPS)}"
                )
        repeated = sorted(
            {n for n in managed_rule_groups if list(managed_rule_groups).count(n) > 1}
        )
        if repeated:
            errors.add(f"managed_rule_groups repeats {repeated}; give each group once")
        if rate_limit_per_ip is not None:
            check_int_range(
                errors,
                "rate_limit_per_ip",
                rate_limit_per_ip,
                low=_RATE_LIMIT[0],
                high=_RATE_LIMIT[1],
                hint=" requests per IP in five minutes",
            )
        errors.raise_if_any()

        metric_prefix = Names.unique_id(self)[-48:]
        rules: list[wafv2.CfnWebACL.RuleProperty] = []
        if rate_limit_per_ip is not None:
            rules.append(
                wafv2.CfnWebACL.RuleProperty(
                    name="RateLimitPerIp",
                    priority=0,
                    action=wafv2.CfnWebACL.RuleActionProperty(block={}),
                    statement=wafv2.CfnWebACL.StatementProperty(
                        rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                            aggregate_key_type="IP", limit=rate_limit_per_ip
                        )
                    ),
                    visibility_config=_visibility(f"{metric_prefix}RateLimit"),
                )
            )
        for name in managed_rule_groups:
            rules.append(
                wafv2.CfnWebACL.RuleProperty(
                    name=name,
                    priority=len(rules),
                    override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
                    statement=wafv2.CfnWebACL.StatementProperty(
                        managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                            vendor_name="AWS", name=name
                        )
                    ),
                    visibility_config=_visibility(f"{metric_prefix}{name}"),
                )
            )
        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=_visibility(metric_prefix),
            rules=rules,
        )

        self.key, self.log_group = _log_store(self, log_retention, removal_policy)
        self.logging = wafv2.CfnLoggingConfiguration(
            self,
            "Logging",
            resource_arn=self.web_acl.attr_arn,
            # Not ``log_group_arn``: that ends in ':*', which AWS WAF refuses.
            log_destination_configs=[
                f"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:"
                f"{self.log_group.log_group_name}"
            ],
        )
        self.associations: list[wafv2.CfnWebACLAssociation] = []

    @property
    def web_acl_arn(self) -> str:
        return self.web_acl.attr_arn

    def associate(
        self, load_balancer: elbv2.IApplicationLoadBalancer
    ) -> wafv2.CfnWebACLAssociation:
        """Put the web ACL in front of ``load_balancer``; returns the association."""
        suffix = "" if not self.associations else str(len(self.associations) + 1)
        association = wafv2.CfnWebACLAssociation(
            self,
            f"Association{suffix}",
            resource_arn=load_balancer.load_balancer_arn,
            web_acl_arn=self.web_acl.attr_arn,
        )
        self.associations.append(association)
        return association


class WafLogStore(Construct):
    """The encrypted log group (and its key) that a ``WebAcl`` with the same construct id
    and parent would log to, without the web ACL.

    Turning a web ACL off by removing its construct would leave its retained log group and
    key behind; turning it on again would create a log group whose name the retained one
    still holds (the name is derived from the construct path and the stack, both unchanged),
    and one more key. A switch such as ``WebTier(waf=...)`` therefore builds this construct
    under the same id when the web ACL is off: the key and the log group keep their logical
    ids, names and properties, so toggling only adds or removes the web ACL, its
    association and its logging configuration, none of which holds a name or data.

    Creates ``key`` and ``log_group`` exactly as ``WebAcl`` does.
    """

    @typed_arguments
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        """
        :param log_retention: As ``WebAcl``'s. Default: one year.
        :param removal_policy: As ``WebAcl``'s. Default: RETAIN.
        """
        super().__init__(scope, construct_id)
        self.key, self.log_group = _log_store(self, log_retention, removal_policy)


def _log_store(
    scope: Construct, log_retention: logs.RetentionDays, removal_policy: RemovalPolicy
) -> tuple[kms.Key, logs.LogGroup]:
    """The key (``LogKey``) and the WAF log group (``Logs``) in ``scope``: one owner, so
    that ``WebAcl`` and ``WafLogStore`` under the same id synthesize the same resources."""
    key = kms.Key(
        scope,
        "LogKey",
        enable_key_rotation=True,
        description="Encrypts the web tier's AWS WAF logs",
        removal_policy=removal_policy,
    )
    restrict_create_grant(key)
    # WAF needs a named log group, and it outlives the stack (RETAIN): the name ends in
    # the stack's id (a UUID per creation) so that the stack can be created again after
    # a delete without colliding with its retained logs. Within one stack the name never
    # changes, so the log group must never be removed and added back by an update (see
    # WafLogStore).
    stack_uuid = Fn.select(2, Fn.split("/", Aws.STACK_ID))
    log_group_name = Fn.join(
        "",
        [
            LOG_NAME_PREFIX,
            Names.unique_resource_name(
                scope, max_length=512 - len(LOG_NAME_PREFIX) - 37, separator="-"
            ),
            "-",
            stack_uuid,
        ],
    )
    # CloudWatch Logs encrypts with the key on the log group's behalf: grant the regional
    # service principal, only for this account's log groups.
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="AllowCloudWatchLogs",
            principals=[iam.ServicePrincipal(f"logs.{Aws.REGION}.amazonaws.com")],
            actions=[
                "kms:Encrypt*",
                "kms:Decrypt*",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:Describe*",
            ],
            resources=["*"],
            conditions={
                "ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": (
                        f"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:"
                        f"log-group:{log_group_name}"
                    )
                }
            },
        )
    )
    log_group = logs.LogGroup(
        scope,
        "Logs",
        log_group_name=log_group_name,
        encryption_key=key,
        retention=log_retention,
        removal_policy=removal_policy,
    )
    return key, log_group


def _visibility(metric_name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True,
        metric_name=metric_name,
        sampled_requests_enabled=True,
    )
