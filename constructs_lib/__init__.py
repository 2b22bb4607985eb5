"""Reusable CDK constructs for the classic EC2 web tier.

client -> DNS -> Application Load Balancer -> target group -> Auto Scaling Group -> EC2.

This namespace is the supported API (``__all__``): the constructs and their option types,
and two modules: ``validation`` (the constructs' checks and limits, for a configuration
layer of your own) and ``compliance`` (acknowledging validator findings). The other
submodules are implementation: import from here. The capacity planner is an optional extra
with its own namespace, the ``planner`` subpackage (never imported from here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from constructs_lib import compliance, validation
from constructs_lib.auto_scaling import Scaling, WebAutoScalingGroup
from constructs_lib.capacity import Capacity
from constructs_lib.certificate import WebCertificate
from constructs_lib.dns import Domain, WebDns
from constructs_lib.fleet import Fleet, InstanceRefresh, Rollout, SpotCapacity, WarmPoolSettings
from constructs_lib.health_check import SiteHealthCheck
from constructs_lib.instance_types import parse_instance_type
from constructs_lib.launch_template import (
    InstanceOptions,
    WebLaunchTemplate,
    default_user_data,
    golden_image_user_data,
)
from constructs_lib.load_balancer import (
    LoadBalancerOptions,
    SharedListener,
    TargetGroupOptions,
    WebLoadBalancer,
)
from constructs_lib.log_buckets import LogBuckets
from constructs_lib.machine_image import WebImage
from constructs_lib.notifications import EncryptedTopic
from constructs_lib.observability import AlarmThresholds, Observability, WebTierMonitoring
from constructs_lib.predictive_scaling import (
    MaxCapacityBreach,
    PredictiveMetric,
    PredictiveMode,
    PredictiveScaling,
    PredictiveScalingOptions,
)
from constructs_lib.scaling_policies import StepScaling
from constructs_lib.scaling_schedule import OneOffSchedule, RecurringSchedule, ScalingSchedule
from constructs_lib.waf import WafLogStore, WebAcl
from constructs_lib.web_security_groups import WebSecurityGroups
from constructs_lib.web_tier import WebTier

__version__ = "0.1.0"

__all__ = [
    "AlarmThresholds",
    "Capacity",
    "Domain",
    "EncryptedTopic",
    "Fleet",
    "ImageRollout",
    "InstanceOptions",
    "InstanceRefresh",
    "LoadBalancerOptions",
    "LogBuckets",
    "MaxCapacityBreach",
    "Observability",
    "OneOffSchedule",
    "PredictiveMetric",
    "PredictiveMode",
    "PredictiveScaling",
    "PredictiveScalingOptions",
    "RecurringSchedule",
    "Rollout",
    "Scaling",
    "ScalingSchedule",
    "SharedListener",
    "SiteHealthCheck",
    "SpotCapacity",
    "StepScaling",
    "TargetGroupOptions",
    "WafLogStore",
    "WarmPoolSettings",
    "WebAcl",
    "WebAutoScalingGroup",
    "WebCertificate",
    "WebDns",
    "WebImage",
    "WebImagePipeline",
    "WebLaunchTemplate",
    "WebLoadBalancer",
    "WebSecurityGroups",
    "WebTier",
    "WebTierMonitoring",
    "compliance",
    "default_user_data",
    "golden_image_user_data",
    "parse_instance_type",
    "validation",
]

if TYPE_CHECKING:
    from constructs_lib.image_pipeline import ImageRollout, WebImagePipeline

# The golden-image constructs load EC2 Image Builder, Lambda and EventBridge (≈ 0.09 s):
# imported on first use (PEP 562), so an app without a pipeline never pays for them.
_LAZY = {"ImageRollout", "WebImagePipeline"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from constructs_lib import image_pipeline

        return getattr(image_pipeline, name)
    raise AttributeError(f"module 'constructs_lib' has no attribute {name!r}")
