"""A Route 53 health check on the site, seen from the internet like a visitor sees it."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_route53 as route53
from constructs import Construct

from constructs_lib._validation import (
    PropErrors,
    check_dns_name,
    check_int_range,
    is_token,
    typed_arguments,
    without_root_dot,
)

# Route 53 accepts only these two request intervals (standard and fast health checks).
_INTERVALS = (10, 30)
_MAX_PATH_LENGTH = 255


class SiteHealthCheck(Construct):
    """A Route 53 health check that requests ``https://<domain_name><path>`` (or ``http://``).

    Route 53's checkers in several regions resolve ``domain_name`` through public DNS and
    request the path, so a healthy status proves the whole chain: DNS, load balancer,
    listener (and certificate) and at least one healthy instance. Creates ``health_check``;
    its status is visible in the Route 53 console and as the ``HealthCheckStatus`` metric
    (published in us-east-1), ready for an alarm or a failover record.
    """

    @typed_arguments
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        domain_name: str,
        https: bool = True,
        path: str = "/health",
        failure_threshold: int = 3,
        request_interval: Duration = Duration.seconds(30),
    ) -> None:
        """
        :param domain_name: The site's name (or the load balancer's DNS name).
        :param https: Probe HTTPS on 443 with SNI. Default: True; False probes HTTP on 80.
        :param path: Path requested; 2xx/3xx is healthy. Default: ``/health``.
        :param failure_threshold: Consecutive results that flip the status, 1-10. Default: 3.
        :param request_interval: 30 s (standard) or 10 s (fast, costs more). Default: 30 s.
        """
        super().__init__(scope, construct_id)
        errors = PropErrors("SiteHealthCheck")
        check_dns_name(errors, "domain_name", domain_name, allow_wildcard=False)
        if not is_token(path) and (
            not isinstance(path, str) or not path.startswith("/") or len(path) > _MAX_PATH_LENGTH
        ):
            errors.add(
                f"path {path!r} must start with '/' and be at most {_MAX_PATH_LENGTH} "
                "characters, e.g. '/health'"
            )
        check_int_range(errors, "failure_threshold", failure_threshold, low=1, high=10)
        interval = request_interval.to_seconds()
        if not is_token(interval) and interval not in _INTERVALS:
            errors.add(
                f"request_interval {interval}s is not one Route 53 offers; give "
                "Duration.seconds(30) (standard) or Duration.seconds(10) (fast)"
            )
        errors.raise_if_any()

        self.health_check = route53.HealthCheck(
            self,
            "HealthCheck",
            type=route53.HealthCheckType.HTTPS if https else route53.HealthCheckType.HTTP,
            fqdn=without_root_dot(domain_name),  # the name as checked, no root dot
            port=443 if https else 80,
            resource_path=path,
            failure_threshold=failure_threshold,
            request_interval=request_interval,
        )

    @property
    def health_check_id(self) -> str:
        return self.health_check.health_check_id
