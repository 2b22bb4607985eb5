"""Capacity planner: replays a demand profile through an Auto Scaling group's policies.

Needs the ``planner`` extra (numpy, matplotlib): ``pip install 'ec2-web-tier-constructs[planner]'``.
Importing ``constructs_lib`` alone never imports this package.

- ``model``: ``CapacityModel``, ``PolicySet`` and its policies; ``PlannerError``.
- ``aws``: the Auto Scaling rules replayed, each citing the AWS documentation.
- ``simulate``: ``simulate`` (one set, minute by minute) and ``oracle``.
- ``demand``: a validated demand CSV or the built-in toy-shop year.
- ``template``: a ``PolicySet`` read from a synthesized template.
- ``compare`` / ``report`` / ``cli``: the side-by-side plan, plots, recommendation, command.
"""

from constructs_lib.planner.model import (
    CapacityModel,
    PlannerError,
    PolicySet,
    Predictive,
    ScheduledAction,
    StepScalingPolicy,
    TargetTracking,
)

__all__ = [
    "CapacityModel",
    "PlannerError",
    "PolicySet",
    "Predictive",
    "ScheduledAction",
    "StepScalingPolicy",
    "TargetTracking",
]
