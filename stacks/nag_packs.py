"""The rule packs the app can register, by the name used in cdk.json (``nagPacks``): the four
cdk-nag packs and the AWS Control Tower proactive controls (cfn-guard rules).

cdk-nag is imported only when a pack is registered: its import (Python modules and its jsii
assembly loaded into Node.js) costs ≈ 0.16 s, which a synth without packs (``make synth``'s
inner loop, see app.py) does not pay. The same holds for the Control Tower plugin.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import sys
import tarfile
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, cast

import jsii
from aws_cdk import (
    IPolicyValidationContextBeta1,
    IPolicyValidationPluginBeta1,
    PolicyValidationPluginReportBeta1,
    PolicyViolatingResourceBeta1,
    PolicyViolationBeta1,
)
from constructs import IConstruct

if TYPE_CHECKING:
    from aws_cdk import IPolicyValidationPlugin
    from cdk_nag import NagPack

# Name in cdk.json -> cdk-nag 3.x validation plugin (rule pack) class in module cdk_nag.
NAG_PACKS: dict[str, str] = {
    "AwsSolutions": "AwsSolutionsChecks",
    "NIST80053R5": "NIST80053R5Checks",
    "HIPAASecurity": "HIPAASecurityChecks",
    "PCIDSS321": "PCIDSS321Checks",
}
# The Control Tower proactive controls that cdklabs' cdk-validator-cfnguard bundles (the
# same cfn-guard rules Control Tower enforces as CloudFormation hooks); acknowledged as
# 'cdk-validator-cfnguard::<rule>' next to the resource, like the cdk-nag findings.
CONTROL_TOWER = "ControlTower"
ALL_PACKS: tuple[str, ...] = (*NAG_PACKS, CONTROL_TOWER)


def nag_pack_class(name: str) -> type[NagPack]:
    """The cdk-nag class of pack ``name`` (imports cdk-nag on first use)."""
    import cdk_nag  # here, not at the top: only a synth that registers a pack pays for it

    return cast("type[NagPack]", getattr(cdk_nag, NAG_PACKS[name]))


# The bundled rules inside the plugin's jsii package, one ``<dir>/<rule>.guard`` file each.
_RULES_IN_PACKAGE = "package/rules/control-tower/cfn-guard/"
_RESOURCE_TYPE = re.compile(r"AWS::[A-Za-z0-9]+::[A-Za-z0-9]+")
# The rule a file defines (its second definition, for CloudFormation hooks, has the same name).
_GUARD_RULE = re.compile(r"^rule\s+(\w+)\s+(?:when|\{)", re.MULTILINE)
_COMMENT = re.compile(r"#[^\n]*")
_RESOURCES = re.compile(r"\bResources\b")
# How a rule reaches the template's resources: by type (``Resources.*[ Type == %X ]``,
# ``Resources[ Type == %X ]``) and ``Resources exists``, or by logical id (``%doc.Resources[
# keys == %resource_key ]``, the key read from a Ref or Fn::GetAtt of a resource it checks).
_BY_TYPE = re.compile(r"Resources(?:\.\*)?\[\s*Type\s*(?:==|in|IN)\s|Resources\s+exists\b")
_BY_KEY = re.compile(r"Resources\[\s*keys\s*==\s*%resource_key\s*\]")


@dataclass(frozen=True)
class ControlTowerRule:
    """One bundled rule file.

    ``id``: the file name without ``.guard`` (what the plugin's ``disabledRules`` takes);
    ``name``: the rule name its violations carry; ``types``: the CloudFormation resource types
    the file names anywhere (rule, comments, messages); ``reads``: which resources it can read
    besides those of its types: "types" none, "references" those its resources refer to (it
    looks resources up by the logical id a Ref or Fn::GetAtt names), "all" any (it reaches
    ``Resources`` some other way); ``position``: where the plugin passes the file to cfn-guard
    (directory, then file name: Node's readdirSync sorts)."""

    id: str
    name: str
    types: frozenset[str]
    reads: Literal["types", "references", "all"]
    position: int


def _reads(text: str) -> Literal["types", "references", "all"]:
    code = _COMMENT.sub("", text)
    uses = [m.start() for m in _RESOURCES.finditer(code)]
    if any(not (_BY_TYPE.match(code, at) or _BY_KEY.match(code, at)) for at in uses):
        return "all"
    return "references" if any(_BY_KEY.match(code, at) for at in uses) else "types"


def _jsii_cache_entry(tarball: bytes, name: str, version: str) -> Path | None:
    """The directory jsii's kernel unpacked an assembly's package into, if it is there: its
    package cache (@jsii/kernel's extractViaCache: ``<root>/<name>/<version>/<sha256 of the
    tarball, then NUL + name, NUL + version>``, complete once it holds the marker file
    ``.jsii-runtime-package-cache``). The plugin runs cfn-guard on the rule files there; reading
    them there spares unpacking the 12 MB tarball again (≈ 0.2-0.3 s per process). None when
    the kernel uses no cache (JSII_RUNTIME_PACKAGE_CACHE) or has not unpacked it."""
    if os.environ.get("JSII_RUNTIME_PACKAGE_CACHE", "enabled").lower() != "enabled":
        return None
    digest = hashlib.sha256(tarball)
    for part in (name, version):
        digest.update(b"\0" + part.encode())
    entry = _jsii_cache_root() / name / version / digest.hexdigest()
    return entry if (entry / ".jsii-runtime-package-cache").is_file() else None


def _jsii_cache_root() -> Path:
    """@jsii/kernel's package cache directory (its defaultCacheRoot)."""
    if root := os.environ.get("JSII_RUNTIME_PACKAGE_CACHE_ROOT"):
        return Path(root)
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(local, "AWS", "jsii", "package-cache")
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "com.amazonaws.jsii" / "package-cache"
    return Path.home() / ".cache" / "aws" / "jsii" / "package-cache"


def plugin_package() -> tuple[bytes, Path | None]:
    """The plugin's jsii tarball, and the directory jsii's kernel unpacked it into (None: see
    ``_jsii_cache_entry``)."""
    from cdklabs.cdk_validator_cfnguard._jsii import __jsii_assembly__ as assembly

    package = resources.files("cdklabs.cdk_validator_cfnguard._jsii")
    tarball = package.joinpath(assembly.filename).read_bytes()
    return tarball, _jsii_cache_entry(tarball, assembly.name, assembly.version)


def rule_texts_in_directory(unpacked: Path) -> dict[tuple[str, str], str]:
    """(directory, file name) -> text of every bundled rule file of the unpacked package."""
    files = unpacked.joinpath(_RULES_IN_PACKAGE.removeprefix("package/")).glob("*/*.guard")
    return {(f.parent.name, f.name): f.read_text() for f in files}


def rule_texts_in_tarball(tarball: bytes) -> dict[tuple[str, str], str]:
    """``rule_texts_in_directory``, read from the plugin's jsii tarball."""
    texts: dict[tuple[str, str], str] = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r|gz") as tar:
        for member in tar:
            name = member.name
            if member.isfile() and name.startswith(_RULES_IN_PACKAGE) and name.endswith(".guard"):
                path = Path(name)
                texts[(path.parent.name, path.name)] = (
                    cast("Any", tar.extractfile(member)).read().decode()
                )
    return texts


@cache
def control_tower_rules() -> dict[str, ControlTowerRule]:
    """Every bundled Control Tower rule by id, read once per process from the plugin's own
    package."""
    tarball, unpacked = plugin_package()
    texts = rule_texts_in_directory(unpacked) if unpacked else rule_texts_in_tarball(tarball)
    rules: dict[str, ControlTowerRule] = {}
    for position, (directory, file) in enumerate(sorted(texts)):
        text = texts[(directory, file)]
        match = _GUARD_RULE.search(text)
        rule = Path(file).stem
        rules[rule] = ControlTowerRule(
            id=rule,
            name=match.group(1) if match else rule,
            types=frozenset(_RESOURCE_TYPE.findall(text)),
            reads=_reads(text),
            position=position,
        )
    return rules


# A resource of the validated templates: (index of its template, logical id).
Resource = tuple[int, str]
_TOKEN = re.compile(r"[A-Za-z0-9]+")  # logical ids are alphanumeric


class TemplateResources:
    """The resources of the templates a plugin validates: type, size and references."""

    def __init__(self, templates: Sequence[Mapping[str, Any]]) -> None:
        self.type: dict[Resource, str] = {}
        self.size: dict[Resource, int] = {}  # bytes of compact JSON
        self.refers_to: dict[Resource, frozenset[Resource]] = {}
        for index, template in enumerate(templates):
            ids = set(template.get("Resources", {}))
            for logical_id, resource in template.get("Resources", {}).items():
                text = json.dumps(resource, separators=(",", ":"))
                key = (index, logical_id)
                self.type[key] = resource.get("Type", "")
                self.size[key] = len(text)
                # Every id its JSON names (Ref, Fn::GetAtt, Fn::Sub, DependsOn...): a superset.
                named = ids.intersection(_TOKEN.findall(text)) - {logical_id}
                self.refers_to[key] = frozenset((index, other) for other in named)

    def types(self) -> set[str]:
        return set(self.type.values())

    def of_types(self, types: frozenset[str]) -> set[Resource]:
        return {key for key, kind in self.type.items() if kind in types}

    def with_references(self, keys: set[Resource]) -> set[Resource]:
        """``keys`` and every resource they refer to, directly or not."""
        found, todo = set(keys), list(keys)
        while todo:
            for other in self.refers_to[todo.pop()] - found:
                found.add(other)
                todo.append(other)
        return found

    def read_by(self, rule: ControlTowerRule) -> frozenset[Resource]:
        """The resources ``rule`` can read (every one it can reach, left out of none)."""
        if rule.reads == "all" or not rule.types:
            return frozenset(self.type)
        own = self.of_types(rule.types)
        return frozenset(self.with_references(own) if rule.reads == "references" else own)


class GuardRun(NamedTuple):
    """One cfn-guard invocation: ``rules`` over the templates reduced to ``resources``."""

    resources: frozenset[Resource]
    rules: tuple[str, ...]


# cfn-guard 3.1.1's cost, measured on the variants' templates (CPU, best of 3): ≈ 18 ms per
# invocation (start, rule parsing apart), and each rule reads every resource of its data
# (``Resources.*[ Type == ... ]`` and the like), ≈ 0.28 µs per byte of compact JSON; so one
# more invocation pays off when it spares the rules about 64 kB of reading.
_INVOCATION_COST = 64_000  # in rule x bytes


def control_tower_runs(
    rules: Iterable[ControlTowerRule], templates: TemplateResources
) -> list[GuardRun]:
    """The cfn-guard invocations that check the templates with every rule that can apply, each
    rule once, each over a reduction of the templates that keeps what it can read.

    A Control Tower rule selects the resources of the types it names and skips when there are
    none, so a rule naming none of the templates' types is left out (one naming no type at
    all runs). A rule reads the resources of its types, those they refer to if it looks
    resources up by logical id, or everything (``TemplateResources.read_by``); with all of
    that kept, dropping the rest changes nothing it sees. Rules reading the same resources
    share a run; runs then merge while one invocation fewer costs less than the extra
    reading (greedy)."""
    present = templates.types()
    groups: dict[frozenset[Resource], list[str]] = {}
    for rule in sorted(rules, key=lambda r: r.id):
        if not rule.types or rule.types & present:
            groups.setdefault(templates.read_by(rule), []).append(rule.id)

    def cost(kept: frozenset[Resource], rules: int) -> int:
        return _INVOCATION_COST + rules * sum(templates.size[key] for key in kept)

    runs = [(kept, ids) for kept, ids in groups.items()]
    while True:
        best: tuple[int, int, int] | None = None
        for i, (a, a_ids) in enumerate(runs):
            for j in range(i + 1, len(runs)):
                b, b_ids = runs[j]
                saving = cost(a, len(a_ids)) + cost(b, len(b_ids)) - cost(a | b, len(a_ids + b_ids))
                if saving > 0 and (best is None or saving > best[0]):
                    best = (saving, i, j)
        if best is None:
            return [GuardRun(kept, tuple(sorted(ids))) for kept, ids in runs]
        _, i, j = best
        runs[i] = (runs[i][0] | runs[j][0], runs[i][1] + runs[j][1])
        del runs[j]


def reduced_template(template: Mapping[str, Any], keep: Iterable[str]) -> dict[str, Any]:
    """``template`` with only the resources ``keep`` names; every other section kept."""
    kept = set(keep)
    resources_ = template.get("Resources", {})
    return {**template, "Resources": {k: v for k, v in resources_.items() if k in kept}}


@jsii.implements(IPolicyValidationContextBeta1)
class TemplatePaths:
    """The validation context handed to the plugin for one run: its (reduced) templates."""

    def __init__(self, template_paths: list[str], app_construct: IConstruct) -> None:
        self._template_paths = template_paths
        self._app_construct = app_construct

    @property
    def template_paths(self) -> list[str]:
        return self._template_paths

    @property
    def app_construct(self) -> IConstruct:
        return self._app_construct


def _with_template_path(
    violation: PolicyViolationBeta1, original: Mapping[str, str]
) -> PolicyViolationBeta1:
    """``violation`` with each resource's template path turned back into the synthesized
    template's (CDK maps a finding to its construct by the path's basename and logical id, and
    reports the path relative to the output directory)."""
    return PolicyViolationBeta1(
        description=violation.description,
        rule_name=violation.rule_name,
        fix=violation.fix,
        rule_metadata=violation.rule_metadata,
        severity=violation.severity,
        violating_resources=[
            PolicyViolatingResourceBeta1(
                locations=resource.locations,
                resource_logical_id=resource.resource_logical_id,
                template_path=original[resource.template_path],
            )
            for resource in violation.violating_resources
        ],
    )


# The shape CfnGuardValidator implements (a context with the template paths in, a report of
# violations out), which Validations.add_plugins runs like any plugin.
@jsii.implements(IPolicyValidationPluginBeta1)
class ControlTowerRules:
    """cdklabs' cdk-validator-cfnguard with every bundled Control Tower rule, run over the
    synthesized templates as a few cfn-guard invocations (``control_tower_runs``), each with
    some of the rules that can apply and only the resources those can read.

    Same plugin name, rule ids, findings and their order as
    ``CfnGuardValidator(control_tower_rules_enabled=True)`` (acknowledged as
    'cdk-validator-cfnguard::<rule>'): cdklabs' plugin still runs cfn-guard and reads its
    output; each reduced template keeps its file name (in a temporary directory, removed after)
    and the findings get the synthesized template's path back. cfn-guard's cost is per rule
    and byte of resources read, not per finding: on the default variant's template (57
    resources, 67 of the 237 rules naming one of its types) ≈ 3.3 s with every rule, 1.0 s CPU
    with the rules that can apply, 0.7 s as reduced runs (docs/development.md; tests/test_app.py
    checks the findings are the same)."""

    def __init__(self) -> None:
        from cdklabs.cdk_validator_cfnguard import CfnGuardValidator  # on use, like cdk-nag

        self._validator = CfnGuardValidator
        self._all_rules = CfnGuardValidator(control_tower_rules_enabled=True)

    @property
    def name(self) -> str:
        return self._all_rules.name

    @property
    def rule_ids(self) -> list[str] | None:
        return self._all_rules.rule_ids

    @property
    def version(self) -> str | None:
        return self._all_rules.version

    def validate(self, context: IPolicyValidationContextBeta1) -> PolicyValidationPluginReportBeta1:
        paths = list(context.template_paths)
        templates = [json.loads(Path(path).read_text()) for path in paths]
        rules = control_tower_rules()
        runs = control_tower_runs(rules.values(), TemplateResources(templates))
        success = True
        violations: list[PolicyViolationBeta1] = []
        with tempfile.TemporaryDirectory(prefix="control-tower-") as work:
            for run_index, run in enumerate(runs):
                original: dict[str, str] = {}  # template given to cfn-guard -> synthesized one
                for index, (path, template) in enumerate(zip(paths, templates, strict=True)):
                    keep = [logical_id for i, logical_id in run.resources if i == index]
                    if len(keep) == len(template.get("Resources", {})):
                        original[path] = path
                    elif keep:  # (none: its rules can only skip here)
                        # Same file name: CDK finds the construct by it (and the logical id).
                        copy = Path(work, str(run_index), str(index), Path(path).name)
                        copy.parent.mkdir(parents=True)
                        copy.write_text(json.dumps(reduced_template(template, keep)))
                        original[str(copy)] = path
                left_out = sorted(set(rules) - set(run.rules))
                plugin = self._validator(control_tower_rules_enabled=True, disabled_rules=left_out)
                report = plugin.validate(TemplatePaths(list(original), context.app_construct))
                success = success and report.success
                violations += [_with_template_path(v, original) for v in report.violations]
        # cfn-guard reports template by template, each in the order of the rule files given.
        position = {rule.name: rule.position for rule in rules.values()}
        violations.sort(
            key=lambda v: (
                paths.index(v.violating_resources[0].template_path),
                position.get(v.rule_name, len(position)),
            )
        )
        return PolicyValidationPluginReportBeta1(success=success, violations=violations)


def control_tower_plugin() -> IPolicyValidationPlugin:
    """The cfn-guard plugin with every bundled Control Tower rule (run as `ControlTowerRules`)."""
    return cast("IPolicyValidationPlugin", ControlTowerRules())


def nag_plugins(scope: IConstruct, names: Sequence[str]) -> list[IPolicyValidationPlugin]:
    """One plugin per pack name (the configuration has validated the names)."""
    return [
        control_tower_plugin() if name == CONTROL_TOWER else nag_pack_class(name)(scope)
        for name in names
    ]
