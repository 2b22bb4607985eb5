"""The option groups WebTier shares with its children: one check owner each, documented fields,
and WebTier's own check made only of its children's checks plus the cross-child rules."""

from __future__ import annotations

import ast
import dataclasses
import inspect
from pathlib import Path

import pytest

import constructs_lib
from constructs_lib import (
    Capacity,
    Domain,
    Fleet,
    InstanceOptions,
    LoadBalancerOptions,
    Observability,
    Rollout,
    Scaling,
    TargetGroupOptions,
    WebAutoScalingGroup,
    WebLaunchTemplate,
    WebLoadBalancer,
    WebTier,
)
from constructs_lib._validation import PropErrors

ROOT = Path(__file__).resolve().parent.parent
GROUPS = (
    Capacity,
    Scaling,
    Rollout,
    Fleet,
    InstanceOptions,
    Domain,
    LoadBalancerOptions,
    TargetGroupOptions,
    Observability,
)
# Each construct takes its groups under these names, and WebTier takes them all.
SHARED = {
    WebAutoScalingGroup: {"capacity", "scaling", "rollout", "fleet"},
    WebLoadBalancer: {"load_balancer_options", "target_group_options"},
    WebLaunchTemplate: {"instance_options"},
}


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: g.__name__)
def test_each_group_is_frozen_and_documents_every_field_with_its_default(group: type) -> None:
    assert dataclasses.is_dataclass(group)
    assert group.__dataclass_params__.frozen  # type: ignore[attr-defined]
    doc = inspect.getdoc(group) or ""
    params = doc.split(":param ")[1:]
    documented = {p.split(":", 1)[0]: p for p in params}
    for f in dataclasses.fields(group):
        assert f.name in documented, f"{group.__name__}.{f.name} is not documented"
        assert "Default" in documented[f.name], f"{group.__name__}.{f.name}: no Default"


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: g.__name__)
def test_each_group_has_one_check_and_its_defaults_pass_it(group: type) -> None:
    assert callable(getattr(group, "check", None)), group.__name__
    errors = PropErrors("test")
    check = group.check  # type: ignore[attr-defined]
    arguments = list(inspect.signature(check).parameters)[2:]  # after self, errors
    extra: dict[str, object] = {"capacity": Capacity(), "target_groups": None, "vpc": None}
    if "vpc" in arguments:  # LoadBalancerOptions: dual stack needs the VPC only when set
        from tests.conftest import new_stack, new_vpc

        extra["vpc"] = new_vpc(new_stack())
    check(group(), errors, *(extra[a] for a in arguments))
    assert errors.problems == []


def test_children_take_the_same_group_objects_as_web_tier() -> None:
    tier = inspect.signature(vars(WebTier)["__init__"]).parameters
    for construct, names in SHARED.items():
        own = inspect.signature(vars(construct)["__init__"]).parameters
        for name in names:
            assert own[name].annotation == tier[name].annotation, (construct.__name__, name)
            assert own[name].default is tier[name].default, (construct.__name__, name)


def test_web_tier_runs_its_childrens_checks_and_no_rule_of_its_own_children() -> None:
    # GIVEN WebTier's source
    tree = ast.parse((ROOT / "constructs_lib" / "web_tier.py").read_text())
    (tier,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "WebTier"]
    calls = [n for n in ast.walk(tier) if isinstance(n, ast.Call)]
    names = {ast.unparse(c.func) for c in calls}
    # THEN it calls no check_* function itself (check_capacities, check_percentage,
    # check_root_volume_size... are its children's and groups' to call) ...
    assert not [n for n in names if n.split(".")[-1].startswith("check_")], names
    # ... but each child's static check, and its constructor calls its own check first
    for child in (
        "WebSecurityGroups.check",
        "WebLaunchTemplate.check",
        "WebLoadBalancer.check",
        "WebAutoScalingGroup.check",
        "domain.check",
        "WebTierMonitoring.check",
    ):
        assert child in names, child
    assert "self.check" in names


def test_every_group_is_public_and_named_apart_from_aws_cdk_lib() -> None:
    for group in GROUPS:
        assert group.__name__ in constructs_lib.__all__


def test_one_web_tier_call_runs_each_rule_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a tier with schedules, counting the rules issue 15 found run three or four times
    import datetime as dt

    from constructs_lib import (
        OneOffSchedule,
        RecurringSchedule,
        auto_scaling,
        capacity,
        scaling_schedule,
    )
    from tests.conftest import new_stack, new_vpc

    runs: dict[str, int] = {}

    def counted(module: object, name: str) -> None:
        original = getattr(module, name)

        def run(*args: object, **kwargs: object) -> object:
            runs[name] = runs.get(name, 0) + 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, run)

    for module in (capacity, scaling_schedule):
        counted(module, "check_capacities")
    for module in (auto_scaling, scaling_schedule):
        counted(module, "check_schedules")
    counted(auto_scaling, "check_subnets")
    stack = new_stack()
    schedules = (
        RecurringSchedule("Night", "0 22 * 1-10 *", max_capacity=3),
        OneOffSchedule("Sale", dt.date(2026, 11, 20), dt.date(2026, 11, 30), 3, 6, yearly=True),
    )
    # WHEN one WebTier is built
    tier = WebTier(stack, "Web", vpc=new_vpc(stack), scaling=Scaling(schedules=schedules))
    # THEN each rule ran once, in WebTier's check phase, not again in every constructor
    assert tier.auto_scaling.schedule is not None
    assert runs == {"check_capacities": 1, "check_schedules": 1, "check_subnets": 1}


def test_children_built_alone_still_check_their_arguments() -> None:
    # GIVEN a tier already built (its children skipped the checks it had run)
    from aws_cdk import aws_ec2 as ec2

    from tests.conftest import new_stack, new_vpc

    stack = new_stack()
    vpc = new_vpc(stack)
    WebTier(stack, "Web", vpc=vpc)
    # THEN a child built on its own afterwards checks its arguments again
    with pytest.raises(ValueError, match="min_capacity 5 is greater than max_capacity 4"):
        WebAutoScalingGroup(
            stack,
            "Group",
            vpc=vpc,
            launch_template=ec2.LaunchTemplate(stack, "Lt"),
            capacity=Capacity(min_capacity=5),
        )
