"""What CloudFormation does when a deployed stack is updated from one template to another,
computed offline from the two templates, and which updates would fail or lose something.

Each rule below models one documented CloudFormation or Elastic Load Balancing behaviour
(``RULES`` links the AWS documentation of each):

- A resource is *replaced* when a create-only property changes (the resource type schemas'
  ``createOnlyProperties``, read from the schemas cfn-lint ships), when its type changes, or
  when a create-only property refers to a resource that is itself replaced. Replacement
  creates the new physical resource first; the old one goes in the cleanup phase.
- A logical id that disappears is *deleted*, in the cleanup phase, after every creation and
  update of the same update succeeded; a logical id that appears is *created* first.
- A created resource *collides* when a unique key it needs is still held at that moment: a
  listener port on one load balancer (ELB ``DuplicateListener``), an explicit physical name
  (log group, alarm, dashboard, web ACL, topic, parameter, bucket, role, Route 53 record...),
  held by a resource the same update deletes or replaces (deleted only in cleanup) or by a
  predecessor kept by ``DeletionPolicy``/``UpdateReplacePolicy: Retain``.
- An Auto Scaling group whose launch template version changes is updated in place and rolls
  its instances (``UpdatePolicy: AutoScalingInstanceRefresh``).

Not modelled: properties whose update replaces only conditionally, service quotas, and
resources outside the stack other than retained predecessors.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# cfn-lint's bundled CloudFormation resource schemas (requirements-scan.txt pins cfn-lint; the
# Makefile installs it in the scanner venv, .venv/scanners).
SCHEMA_DIRS = (
    "lib/python3.11/site-packages/cfnlint/data/schemas",
    "lib/python3*/site-packages/cfnlint/data/schemas",
)


@dataclass(frozen=True)
class Rule:
    text: str
    url: str


_CFN = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide"
RULES: dict[str, Rule] = {
    "replacement": Rule(
        "Update requires replacement: CloudFormation creates the new resource, repoints "
        "references, and deletes the old one during cleanup",
        f"{_CFN}/using-cfn-updating-stacks-update-behaviors.html",
    ),
    "create-only": Rule(
        "createOnlyProperties of the resource type schema: a change replaces the resource",
        "https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html",
    ),
    "cleanup": Rule(
        "Removed and replaced resources are deleted in UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, "
        "after the new ones were created",
        f"{_CFN}/view-stack-events.html",
    ),
    "custom-name": Rule(
        "A resource with a custom name cannot be replaced: the new one would need the name "
        "the old one still holds",
        f"{_CFN}/aws-properties-name.html",
    ),
    "duplicate-listener": Rule(
        "Elastic Load Balancing refuses a second listener on a port of a load balancer "
        "(DuplicateListener)",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/"
        "API_CreateListener.html",
    ),
    "retain": Rule(
        "DeletionPolicy/UpdateReplacePolicy Retain keep the physical resource (and its name) "
        "when the stack drops or replaces it",
        f"{_CFN}/aws-attribute-deletionpolicy.html",
    ),
    "update-replace-policy": Rule(
        "UpdateReplacePolicy Retain keeps the old physical resource of a replacement",
        f"{_CFN}/aws-attribute-updatereplacepolicy.html",
    ),
    "rolling": Rule(
        "An Auto Scaling group with UpdatePolicy AutoScalingInstanceRefresh rolls its "
        "instances when its launch template version changes; the group stays",
        f"{_CFN}/aws-attribute-updatepolicy.html",
    ),
}

# Resources that carry traffic or state: replacing or deleting one is an outage or a loss,
# allowed only where EXPECTED says the configuration change requires it.
PROTECTED_TYPES = frozenset(
    {
        "AWS::AutoScaling::AutoScalingGroup",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "AWS::ElasticLoadBalancingV2::Listener",
        "AWS::Route53::HostedZone",
        "AWS::CertificateManager::Certificate",
        "AWS::S3::Bucket",
        "AWS::KMS::Key",
        "AWS::Logs::LogGroup",
        "AWS::WAFv2::WebACL",
        "AWS::EC2::VPC",
    }
)
# Explicit physical names: a name is unique per account and region (per zone for records).
NAME_PROPERTIES: dict[str, tuple[str, ...]] = {
    "AWS::Logs::LogGroup": ("LogGroupName",),
    "AWS::CloudWatch::Alarm": ("AlarmName",),
    "AWS::CloudWatch::Dashboard": ("DashboardName",),
    "AWS::WAFv2::WebACL": ("Name", "Scope"),
    "AWS::SNS::Topic": ("TopicName",),
    "AWS::SSM::Parameter": ("Name",),
    "AWS::S3::Bucket": ("BucketName",),
    "AWS::IAM::Role": ("RoleName",),
    "AWS::EC2::SecurityGroup": ("GroupName", "VpcId"),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": ("Name",),
    "AWS::ElasticLoadBalancingV2::TargetGroup": ("Name",),
    "AWS::EC2::LaunchTemplate": ("LaunchTemplateName",),
    "AWS::AutoScaling::AutoScalingGroup": ("AutoScalingGroupName",),
    "AWS::KMS::Alias": ("AliasName",),
    "AWS::Lambda::Function": ("FunctionName",),
    "AWS::Route53::RecordSet": ("HostedZoneId", "Name", "Type"),
}
LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
# The app's port-80 listener, forwarding or redirecting: the logical id of the listener every
# deployed stack has (WebLoadBalancer's "Http" construct), pinned by the tests.
HTTP_LISTENER_LOGICAL_ID = "WebTierLoadBalancerHttp333F6146"
ASG = "AWS::AutoScaling::AutoScalingGroup"


@dataclass(frozen=True)
class Expected:
    """A reviewed replacement or deletion of a protected resource: allowed when one of
    ``keys`` changes (the change intrinsically requires it)."""

    logical_id_prefix: str
    action: str  # "replace" or "remove"
    keys: frozenset[str]
    reason: str


def expected(prefix: str, action: str, keys: str, reason: str) -> Expected:
    return Expected(prefix, action, frozenset(keys.split()), reason)


_SITE = "domainName alternativeNames https certificateArn createCertificate"
_ZONE = "domainName hostedZoneId hostedZoneName createHostedZone lookupHostedZone"
_VPC = "vpcId lookupVpc availabilityZones publicSubnetIds privateSubnetIds vpcCidrBlock"
EXPECTED: tuple[Expected, ...] = (
    expected(
        "WebTierLoadBalancerHttps",
        "remove",
        f"{_SITE} {_ZONE}",
        "turning HTTPS off removes the 443 listener; port 80 then forwards (same listener)",
    ),
    expected(
        "WebTierLoadBalancerHttps",
        "replace",
        f"{_SITE} {_ZONE}",
        "a listener is replaced when the certificate source changes",
    ),
    expected(
        "Certificate",
        "replace",
        f"{_SITE} {_ZONE}",
        "an ACM certificate's names and validation are create-only: new names, new certificate",
    ),
    expected(
        "Certificate",
        "remove",
        f"{_SITE} {_ZONE}",
        "no HTTPS (or a certificate given by ARN) needs no certificate of the stack's own",
    ),
    expected(
        "HostedZone",
        "remove",
        _ZONE,
        "the stack's own hosted zone goes when the zone is imported or DNS is external",
    ),
    expected(
        "HostedZone",
        "replace",
        _ZONE,
        "a hosted zone's name is create-only: a new domain is a new zone",
    ),
    expected(
        "WebTierLoadBalancer",
        "replace",
        "internalLoadBalancer",
        "a load balancer's scheme is create-only: internal <-> internet-facing is a new load "
        "balancer with new listeners and a new DNS name (turn deletion protection off first)",
    ),
    expected(
        "Vpc",
        "remove",
        _VPC,
        "an existing VPC (vpcId) instead of the stack's own: the stack's VPC, NAT gateway and "
        "flow logs go (after the tier moved out of them)",
    ),
    expected(
        "WebTierLoadBalancerTargetGroup",
        "replace",
        _VPC,
        "a target group's VPC is create-only: a tier moved to another VPC gets a new target "
        "group, the listener repoints to it (deploy a new stack and switch DNS to avoid it)",
    ),
    expected(
        "WebTierWafWebAcl",
        "remove",
        "waf",
        "waf=false removes the web ACL (its retained log group and key stay: WafLogStore)",
    ),
    expected(
        "WebTierImageRolloutLogs",
        "remove",
        "imagePipeline",
        "imagePipeline=false removes the rollout function; its log group is retained with a "
        "generated name, so turning the pipeline on again creates another without colliding",
    ),
)


@dataclass(frozen=True)
class Change:
    logical_id: str
    type: str
    action: str  # "add", "remove", "replace", "modify", "rolling"
    properties: tuple[str, ...] = ()
    retained: bool = False  # the physical resource outlives its removal or replacement


@dataclass(frozen=True)
class Collision:
    key: str
    created: str
    held_by: str
    rule: str


@dataclass
class Transition:
    source: str
    target: str
    changed_keys: tuple[str, ...]
    changes: list[Change] = field(default_factory=list)
    collisions: list[Collision] = field(default_factory=list)
    unexpected: list[Change] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.collisions and not self.unexpected

    @property
    def effect(self) -> str:
        """In place / rolling instance refresh / replaced ... / collision, for the table."""
        if self.collisions:
            return "COLLISION: " + "; ".join(
                f"{c.created} needs {c.key} held by {c.held_by} [{c.rule}]" for c in self.collisions
            )
        parts: list[str] = []
        replaced = [c for c in self.changes if c.action == "replace"]
        if replaced:
            parts.append("replaced: " + ", ".join(sorted(_short(c) for c in replaced)))
        if any(c.action == "rolling" for c in self.changes):
            parts.append("rolling instance refresh")
        removed = [c for c in self.changes if c.action == "remove" and c.type in PROTECTED_TYPES]
        if removed:
            parts.append("removed: " + ", ".join(sorted(_short(c) for c in removed)))
        if not parts:
            parts.append("in place" if self.changes else "no change")
        if self.unexpected:
            parts.append(
                "UNEXPECTED: " + ", ".join(f"{c.action} {c.logical_id}" for c in self.unexpected)
            )
        return "; ".join(parts)


def _short(change: Change) -> str:
    return f"{change.type.split('::')[-1]} {change.logical_id}"


@cache
def schema_dir() -> Path:
    for pattern in SCHEMA_DIRS:
        for venv in (ROOT / ".venv" / "scanners", ROOT / ".venv"):
            for path in sorted(venv.glob(pattern)):
                if (path / "providers" / "us-east-1.json").is_file():
                    return path
    raise FileNotFoundError(
        "cfn-lint's resource schemas not found under .venv/scanners (make setup installs them)"
    )


@cache
def _schema_files() -> dict[str, str]:
    files: dict[str, str] = json.loads((schema_dir() / "providers" / "us-east-1.json").read_text())
    return files


@cache
def create_only_properties(resource_type: str) -> tuple[tuple[str, ...], ...]:
    """The type's create-only property paths, e.g. (('LoadBalancerArn',),); () for types
    without a schema (custom resources: any property change is an update)."""
    name = _schema_files().get(resource_type)
    if name is None:
        return ()
    schema = json.loads((schema_dir() / "resources" / f"{name}.json").read_text())
    paths = []
    for pointer in schema.get("createOnlyProperties", []):
        parts = pointer.split("/")[2:]  # "/properties/A/B" -> ["A", "B"]
        paths.append(tuple(p for p in parts if p != "*"))
    return tuple(paths)


def references(value: Any) -> set[tuple[str, str]]:
    """(logical id, attribute or "Ref") that ``value`` refers to."""
    found: set[tuple[str, str]] = set()
    if isinstance(value, dict):
        if set(value) == {"Ref"} and isinstance(value["Ref"], str):
            found.add((value["Ref"], "Ref"))
        elif set(value) == {"Fn::GetAtt"}:
            target = value["Fn::GetAtt"]
            if isinstance(target, str):
                target = target.split(".", 1)
            found.add((str(target[0]), str(target[1])))
        elif set(value) == {"Fn::Sub"}:
            text = value["Fn::Sub"] if isinstance(value["Fn::Sub"], str) else value["Fn::Sub"][0]
            for token in text.split("${")[1:]:
                name = token.split("}", 1)[0]
                if not name.startswith("AWS::"):
                    logical, _, attribute = name.partition(".")
                    found.add((logical, attribute or "Ref"))
            if not isinstance(value["Fn::Sub"], str):
                found |= references(value["Fn::Sub"][1])
        else:
            for item in value.values():
                found |= references(item)
    elif isinstance(value, list):
        for item in value:
            found |= references(item)
    return found


def _at(properties: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = properties
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _retained(resource: Mapping[str, Any], action: str) -> bool:
    policy = resource.get("UpdateReplacePolicy" if action == "replace" else "DeletionPolicy")
    return policy in ("Retain", "RetainExceptOnCreate") or (
        action == "remove" and policy == "Snapshot"
    )


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every resource-level effect of updating a stack from ``old`` to ``new``."""
    before: Mapping[str, Any] = old.get("Resources", {})
    after: Mapping[str, Any] = new.get("Resources", {})
    changes: dict[str, Change] = {}
    for logical_id in sorted(set(after) - set(before)):
        changes[logical_id] = Change(logical_id, after[logical_id]["Type"], "add")
    for logical_id in sorted(set(before) - set(after)):
        resource = before[logical_id]
        changes[logical_id] = Change(
            logical_id, resource["Type"], "remove", retained=_retained(resource, "remove")
        )
    # Physical ids or attributes that change: created, replaced, or updated in place (an
    # in-place update can change attributes such as a launch template's LatestVersionNumber).
    common = sorted(set(before) & set(after))
    settled = False
    while not settled:
        settled = True
        for logical_id in common:
            current = changes.get(logical_id)
            if current is not None and current.action == "replace":
                continue
            change = _compare(logical_id, before[logical_id], after[logical_id], changes)
            if change is not None and change != current:
                changes[logical_id] = change
                settled = False
    return sorted(changes.values(), key=lambda c: (c.action, c.logical_id))


def _compare(
    logical_id: str, old: Mapping[str, Any], new: Mapping[str, Any], changes: Mapping[str, Change]
) -> Change | None:
    resource_type = new["Type"]
    if old["Type"] != resource_type:
        return Change(logical_id, resource_type, "replace", ("Type",), _retained(old, "replace"))
    old_props: Mapping[str, Any] = old.get("Properties", {})
    new_props: Mapping[str, Any] = new.get("Properties", {})
    changed = {
        name
        for name in set(old_props) | set(new_props)
        if old_props.get(name) != new_props.get(name)
        or _refers_to_changed(new_props.get(name), changes)
    }
    attributes_changed = any(
        old.get(a) != new.get(a) for a in ("UpdatePolicy", "DeletionPolicy", "UpdateReplacePolicy")
    )
    if not changed and not attributes_changed:
        return None
    create_only = [
        ".".join(path)
        for path in create_only_properties(resource_type)
        if path
        and path[0] in changed
        and (
            _at(old_props, path) != _at(new_props, path)
            or _refers_to_changed(_at(new_props, path), changes)
        )
    ]
    if create_only:
        return Change(
            logical_id, resource_type, "replace", tuple(create_only), _retained(old, "replace")
        )
    if (
        resource_type == ASG
        and "LaunchTemplate" in changed
        and "AutoScalingInstanceRefresh" in (new.get("UpdatePolicy") or {})
    ):
        return Change(logical_id, resource_type, "rolling", tuple(sorted(changed)))
    return Change(logical_id, resource_type, "modify", tuple(sorted(changed)))


def _refers_to_changed(value: Any, changes: Mapping[str, Change]) -> bool:
    """``value`` names a resource whose physical id (Ref) or attribute changes."""
    for target, attribute in references(value):
        change = changes.get(target)
        if change is None:
            continue
        if change.action in ("replace", "add"):
            return True
        if change.action in ("modify", "rolling") and attribute in (
            "LatestVersionNumber",
            "DefaultVersionNumber",
        ):
            return True
    return False


def unique_keys(
    resource: Mapping[str, Any], fresh: Mapping[str, Change] | None = None
) -> list[str]:
    """The keys a resource holds that no other resource may hold at the same time. A
    reference to a resource in ``fresh`` (created or replaced by the update) is a new value."""

    def text(value: Any) -> str:
        if fresh is not None and any(t in fresh for t, _ in references(value)):
            return f"<new {sorted(t for t, _ in references(value) if t in fresh)}>"
        return json.dumps(value, sort_keys=True)

    props: Mapping[str, Any] = resource.get("Properties", {})
    resource_type = resource["Type"]
    if resource_type == LISTENER:
        return [f"port {props.get('Port')} on load balancer {text(props.get('LoadBalancerArn'))}"]
    names = NAME_PROPERTIES.get(resource_type)
    if names is None or names[0] not in props:
        return []
    return [f"{resource_type} " + " ".join(f"{n}={text(props.get(n))}" for n in names)]


def collisions(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    changes: Iterable[Change],
    retained_elsewhere: Mapping[str, str] | None = None,
) -> list[Collision]:
    """Created resources whose unique key is still held when CloudFormation creates them:
    by a resource deleted only in cleanup (removed or replaced), or retained for good."""
    before: Mapping[str, Any] = old.get("Resources", {})
    after: Mapping[str, Any] = new.get("Resources", {})
    by_id = {c.logical_id: c for c in changes}
    fresh = {k: c for k, c in by_id.items() if c.action in ("add", "replace")}
    held: dict[str, tuple[str, str]] = {}
    for logical_id, change in by_id.items():
        if change.action not in ("remove", "replace"):
            continue
        for key in unique_keys(before[logical_id]):
            rule = "retain" if change.retained else "cleanup"
            if change.action == "replace" and not change.retained:
                rule = "custom-name"
            if before[logical_id]["Type"] == LISTENER:
                rule = "duplicate-listener"
            held[key] = (f"{logical_id} ({change.action}d, {RULES[rule].text.split(':')[0]})", rule)
    found: list[Collision] = []
    for logical_id, change in fresh.items():
        # The new resource's key, with references to other new resources as new values, and
        # as it was before (to find a replaced resource that keeps its own name or port).
        new_keys = unique_keys(
            after[logical_id], {k: v for k, v in fresh.items() if k != logical_id}
        )
        for key in new_keys:
            if key in held:
                holder, rule = held[key]
                found.append(Collision(key, logical_id, holder, rule))
            elif retained_elsewhere and key in retained_elsewhere and change.action == "add":
                found.append(
                    Collision(
                        key,
                        logical_id,
                        f"a retained predecessor from {retained_elsewhere[key]}",
                        "retain",
                    )
                )
    return found


def retained_keys(templates: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Unique key -> a configuration whose retained resource (DeletionPolicy Retain) holds it:
    after an update that drops that resource, its name stays taken."""
    keys: dict[str, str] = {}
    for name, template in templates.items():
        for resource in template.get("Resources", {}).values():
            if _retained(resource, "remove"):
                for key in unique_keys(resource):
                    keys.setdefault(key, name)
    return keys


def check(
    source: str,
    old: Mapping[str, Any],
    target: str,
    new: Mapping[str, Any],
    changed_keys: Iterable[str],
    retained_elsewhere: Mapping[str, str] | None = None,
) -> Transition:
    """The transition ``source`` -> ``target``: its changes, collisions and the protected
    replacements or deletions that no EXPECTED entry allows for ``changed_keys``."""
    keys = tuple(sorted(changed_keys))
    changes = diff(old, new)
    transition = Transition(source, target, keys, changes)
    # A retained predecessor matters only when the old template does not hold the key itself.
    held_now = {k for r in old.get("Resources", {}).values() for k in unique_keys(r)}
    elsewhere = {k: v for k, v in (retained_elsewhere or {}).items() if k not in held_now}
    transition.collisions = collisions(old, new, changes, elsewhere)
    for change in changes:
        if change.action not in ("replace", "remove") or change.type not in PROTECTED_TYPES:
            continue
        if not any(
            change.logical_id.startswith(e.logical_id_prefix)
            and e.action == change.action
            and e.keys & set(keys)
            for e in EXPECTED
        ):
            transition.unexpected.append(change)
    return transition


def table(transitions: Iterable[Transition]) -> Iterator[str]:
    """The transition table, one line per transition."""
    for t in transitions:
        keys = ", ".join(t.changed_keys) or "-"
        yield f"{t.source} -> {t.target} [{keys}]: {t.effect}"


def settings(context: Mapping[str, Any]) -> dict[str, Any]:
    """Every configuration key's effective value (profile applied, parsed), by key name."""
    from constructs_lib._validation import PropErrors
    from stacks.config import KEYS
    from stacks.config.context import Reader, layers

    errors = PropErrors("context")
    found = layers(context, errors)
    reader = Reader(found.values, errors)
    values = {key.name: reader.get(key) for key in KEYS}
    values["env"] = found.profile
    return values


def changed_keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> set[str]:
    """The configuration keys whose effective value differs between two contexts."""
    before, after = settings(old), settings(new)
    return {key for key in before if before[key] != after[key]}


def same_stack(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Both configurations deploy to the same stack (an update), not to two stacks."""
    return _stack_name(json.dumps(old, sort_keys=True)) == _stack_name(
        json.dumps(new, sort_keys=True)
    )


@cache
def _stack_name(context: str) -> str:
    """The stack a configuration (as JSON) deploys to: each variant's configuration is read
    once, not once per pair it is in."""
    from stacks.config import WebTierConfig

    return WebTierConfig.from_context(json.loads(context)).stack_name
