"""Buckets for the logs a web tier writes: ALB access logs, VPC flow logs."""

from __future__ import annotations

from aws_cdk import Aws, Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from constructs_lib._acknowledge import CT, acknowledge, in_packs, skip_checkov
from constructs_lib._validation import PropErrors, is_token, typed_arguments

_SERVER_LOG_PREFIX = "logs-bucket/"
# The longest ``retention`` LogBuckets accepts, in days (ten years). Public: a configuration
# layer names this bound in its own messages (``stacks/config``) instead of restating it.
MAX_RETENTION_DAYS = 3650


class LogBuckets(Construct):
    """Two S3 buckets: ``logs`` for ALB access logs and VPC flow logs, and
    ``server_access_logs``, which receives the S3 server access logs of ``logs``.

    Both block public access, require TLS, are versioned and encrypted with SSE-S3 (ALB log
    delivery refuses customer-managed KMS keys), and expire objects after ``retention``.
    They are retained when the stack is deleted, so that evidence outlives the tier.
    """

    @typed_arguments
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        retention: Duration = Duration.days(90),
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        """
        :param retention: How long log objects are kept, whole days from 1 to
            ``MAX_RETENTION_DAYS`` (3650). Default: 90 days.
        :param removal_policy: What happens to the buckets when the stack is deleted.
            Default: RETAIN (buckets and logs stay).
        """
        super().__init__(scope, construct_id)
        errors = PropErrors("LogBuckets")
        if not isinstance(retention, Duration):
            errors.add(f"retention {retention!r} is not a Duration; give e.g. Duration.days(90)")
        elif not is_token(retention.to_hours(integral=False)):
            days = retention.to_hours(integral=False) / 24
            if days != int(days) or not 1 <= days <= MAX_RETENTION_DAYS:
                errors.add(
                    f"retention {days:g} days is not a whole number of days "
                    f"from 1 to {MAX_RETENTION_DAYS}; give e.g. Duration.days(90)"
                )
        errors.raise_if_any()

        common = {
            "block_public_access": s3.BlockPublicAccess.BLOCK_ALL,
            "encryption": s3.BucketEncryption.S3_MANAGED,
            "enforce_ssl": True,
            "versioned": True,
            "object_ownership": s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            "removal_policy": removal_policy,
            "lifecycle_rules": [
                s3.LifecycleRule(
                    expiration=retention,
                    noncurrent_version_expiration=Duration.days(1),
                    abort_incomplete_multipart_upload_after=Duration.days(1),
                )
            ],
        }
        self.server_access_logs = s3.Bucket(self, "ServerAccessLogs", **common)  # type: ignore[arg-type]
        # Object Lock lets a log-archive process lock evidence (legal hold, retention) so that
        # nobody deletes or rewrites it. ALB access logs and VPC flow logs need only SSE-S3
        # and a bucket policy, and deliver to such buckets; without a default retention the
        # lifecycle rule still expires objects after ``retention``.
        self.logs = s3.Bucket(self, "Logs", object_lock_enabled=True, **common)  # type: ignore[arg-type]
        # Findings both buckets share, for reasons of the log delivery services themselves.
        for bucket in (self.server_access_logs, self.logs):
            acknowledge(
                bucket,
                {
                    **in_packs(
                        "S3DefaultEncryptionKMS",
                        "SSE-S3 on purpose: ALB access-log delivery refuses buckets whose "
                        "default encryption is a customer-managed KMS key, and S3 server access "
                        "logs can only be delivered to SSE-S3 buckets.",
                    ),
                    f"{CT}::s3_bucket_default_encryption_kms_check": "SSE-S3 on purpose: ALB "
                    "access-log delivery refuses buckets whose default encryption is a KMS key, "
                    "and S3 server access logs can only be delivered to SSE-S3 buckets.",
                    f"{CT}::s3_event_notifications_enabled_check": "A log sink: nothing acts on "
                    "each new log object; readers query the logs (Athena) when they need them.",
                    **in_packs(
                        "S3BucketReplicationEnabled",
                        "A log sink in an environment-agnostic stack has no second region or "
                        "account to replicate to; the objects are versioned, TLS-only, "
                        "retained on stack deletion and expire after the retention period. "
                        "Organisations with a log-archive account replicate there themselves.",
                    ),
                },
            )
        acknowledge(
            self.server_access_logs,
            {
                "AwsSolutions-S1": "This bucket is the final sink of S3 server access logs; "
                "logging it as well would need a third bucket and so on without end.",
                f"{CT}::s3_bucket_logging_enabled_check": "This bucket is the final sink of S3 "
                "server access logs; logging it as well would need a third bucket and so on.",
                f"{CT}::s3_bucket_object_lock_enabled_check": "S3 refuses a bucket with Object "
                "Lock as the destination of server access logs (S3 User Guide, 'Configuring S3 "
                "Object Lock'); the Logs bucket it records has Object Lock.",
            },
        )
        skip_checkov(
            self.server_access_logs,
            {
                "CKV_AWS_18": "This bucket is the final sink of S3 server access logs; logging "
                "it as well would need a third bucket and so on without end.",
            },
        )
        # L1 on purpose: the L2's ``server_access_logs_bucket`` grants S3 log delivery with a
        # legacy ACL unless the host app sets @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy,
        # and ACLs clash with BucketOwnerEnforced. A bucket policy works under any flags.
        self.server_access_logs.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowS3ServerAccessLogDelivery",
                principals=[iam.ServicePrincipal("logging.s3.amazonaws.com")],
                actions=["s3:PutObject"],
                resources=[self.server_access_logs.arn_for_objects(f"{_SERVER_LOG_PREFIX}*")],
                conditions={
                    "ArnLike": {"aws:SourceArn": self.logs.bucket_arn},
                    "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID},
                },
            )
        )
        cfn_logs = self.logs.node.default_child
        assert isinstance(cfn_logs, s3.CfnBucket)
        cfn_logs.logging_configuration = s3.CfnBucket.LoggingConfigurationProperty(
            destination_bucket_name=self.server_access_logs.bucket_name,
            log_file_prefix=_SERVER_LOG_PREFIX,
        )
