"""Capacity planner: replays a demand profile through an Auto Scaling group's policies.

Needs the ``planner`` extra (numpy, matplotlib): ``pip install 'ec2-web-tier-constructs[planner]'``.
Importing ``constructs_lib`` alone never imports this package.

- ``model``: ``CapacityModel``, ``PolicySet`` and its policies; ``PlannerError``.
- ``aws``: the Auto Scaling rules replayed, each citing the AWS documentation.
- ``simulate``: ``simulate`` (one set, minute by minute) and ``oracle``.
- ``demand``: a validated demand CSV or the built-in toy-shop year.
- ``template``: a ``PolicySet`` read from a synthesized template.
- ``compare`` / ``report`` / ``cli``: the side-by-side plan, plots, recommendation, command.

This namespace is the planner's supported API (``__all__``): ``main`` is the command
(``python -m constructs_lib.planner``), ``Event`` a dated event to plan for.
"""

from constructs_lib.planner.cli import main
from constructs_lib.planner.compare import Event
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
    "Event",
    "PlannerError",
    "PolicySet",
    "Predictive",
    "ScheduledAction",
    "StepScalingPolicy",
    "TargetTracking",
    "main",
]
