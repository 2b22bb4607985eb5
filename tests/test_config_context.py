"""Where configuration values come from, and that nothing the user wrote is ignored silently.

GIVEN a context as the CDK CLI hands it to the app (cdk.json merged with -c), cdk.json as
written, a context file or a profile
WHEN the configuration is read
THEN an unknown key, a setting at cdk.json's top level, a null, a number that is not finite
or a value of the wrong JSON type is an error naming the key; the CDK's own keys pass.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest

import app
from stacks.config import ConfigError, WebTierConfig
from stacks.config.cdk_keys import LOOKUP_PROVIDERS, is_cdk_key
from stacks.config.cli import cli_context, project_context
from tests.conftest import ROOT, cdk_json_context
from tests.variants import VARIANTS


def problems(context: dict[str, Any], **kwargs: Any) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        WebTierConfig.from_context(context, environ={}, **kwargs)
    return raised.value.problems


def as_the_cli_sends(project: dict[str, Any], **flags: str) -> dict[str, Any]:
    """cdk.json's context merged with -c values (strings), through JSON as the CLI does."""
    return {**json.loads(json.dumps(project)), **flags}


def test_cdk_json_as_shipped_is_valid_and_holds_only_env_and_profiles() -> None:
    project = cdk_json_context()
    assert {k for k in project if not is_cdk_key(k)} == {"env", "profiles"}
    config = WebTierConfig.from_context(as_the_cli_sends(project), project=project)
    assert config.profile == "dev"


def test_a_misspelt_key_names_the_closest_known_key() -> None:
    project = cdk_json_context()
    [line] = problems(as_the_cli_sends(project, minCapcity="3"), project=project)
    assert line == "context key 'minCapcity' is unknown; did you mean 'minCapacity'?"
    [line] = problems({"MINCAPACITY": 3})
    assert "did you mean 'minCapacity'?" in line
    [line] = problems({"zzz": 1})
    assert "unknown; the keys are listed in the README's Configuration table" in line


def test_a_misspelt_key_in_cdk_json_says_so() -> None:
    project = {**cdk_json_context(), "wafs": False}
    [line] = problems(as_the_cli_sends(project), project=project)
    assert line == "cdk.json context key 'wafs' is unknown; did you mean 'waf'?"


def test_a_misspelt_key_in_a_profile_is_an_error_even_when_not_selected() -> None:
    profiles = {"dev": {}, "prod": {"cpuTargetPercnt": 70}}
    [line] = problems({"env": "dev", "profiles": profiles})
    assert (
        "profile 'prod' sets unknown key 'cpuTargetPercnt'; did you mean 'cpuTargetPercent'" in line
    )


def test_a_setting_at_cdk_json_top_level_is_an_error_not_a_shadow() -> None:
    # The example: the profile's values would never apply.
    project = cdk_json_context()
    project["profiles"]["prod"].update({"waf": False, "cpuTargetPercent": 70})
    project.update({"waf": True, "cpuTargetPercent": 50})
    found = problems(as_the_cli_sends(project, env="prod"), project=project)
    assert len(found) == 2
    assert found[0].startswith(
        "cdk.json context key 'cpuTargetPercent' is set at cdk.json's top level, where it "
        "would win over every profile"
    )
    assert found[1].startswith("cdk.json context key 'waf' is set at cdk.json's top level")


def test_command_line_beats_the_profile_which_beats_the_default() -> None:
    project = cdk_json_context()
    context = as_the_cli_sends(project, env="prod", minCapacity="4")
    config = WebTierConfig.from_context(context, project=project)
    assert (config.min_capacity, config.max_capacity, config.cpu_target_percent) == (4, 9, 50)


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"minCapacity": None}, "context key 'minCapacity' is null; give a value"),
        ({"profiles": {"dev": {"waf": None}}}, "profile 'dev' key 'waf' is null"),
        ({"env": None}, "context key 'env' is null"),
        # 1e400 read by Python's json (a test, a context file); through the CLI it is null.
        (json.loads('{"cpuTargetPercent": 1e400}'), "'cpuTargetPercent' has value inf; expected a"),
        ({"cpuTargetPercent": "1e400"}, "'cpuTargetPercent' has value '1e400'; expected a"),
        ({"cpuTargetPercent": "nan"}, "'cpuTargetPercent' has value 'nan'; expected a"),
        ({"instanceType": 3}, "context key 'instanceType' has value 3; expected an instance"),
        ({"waf": 0}, "context key 'waf' has value 0; expected true or false"),
        ({"adminCidrs": [32]}, "context key 'adminCidrs' has value \\[32\\]; expected"),
        ({"domainName": ["a.example.com"]}, "context key 'domainName' has value \\['a.exa"),
        ({"minCapacity": True}, "context key 'minCapacity' has value True; expected a whole"),
        ({"scalingEvents": {"name": "x"}}, "context key 'scalingEvents' has value \\{"),
    ],
)
def test_unusable_values_name_the_key(context: dict[str, Any], message: str) -> None:
    assert any(re.search(message, line) for line in problems(context)), problems(context)


def test_1e400_in_cdk_json_reaches_the_app_as_null_and_is_reported() -> None:
    # The CLI parses cdk.json with JavaScript's JSON.parse (1e400 -> Infinity) and sends the
    # context with JSON.stringify (Infinity -> null). Python's json writes Infinity instead,
    # so the null is spelt here as the CLI's JSON carries it.
    sent = '{"env": "dev", "profiles": {"dev": {"cpuTargetPercent": null}}}'
    [line] = problems(json.loads(sent))
    assert line.startswith("context key 'profiles' profile 'dev' key 'cpuTargetPercent' is null")


def test_a_profile_that_is_not_selected_is_still_checked() -> None:
    profiles = {"dev": {}, "prod": {"minCapacity": 5, "maxCapacity": 3, "waf": "maybe"}}
    found = problems({"env": "dev", "profiles": profiles})
    assert found[0] == (
        "profile 'prod' (not selected): context key 'waf' has value 'maybe'; expected true or false"
    )
    assert found[1].startswith("profile 'prod' (not selected): context key 'minCapacity'")
    # Its CDK_DEFAULT_ACCOUNT is resolved only when the profile is selected.
    fine = {"dev": {}, "prod": {"account": "CDK_DEFAULT_ACCOUNT"}}
    WebTierConfig.from_context({"env": "dev", "profiles": fine}, environ={})


def test_the_cdks_own_keys_pass() -> None:
    context = {
        **cdk_json_context(),
        "@aws-cdk/core:failSynthOnValidationErrors": False,
        "aws:cdk:enable-path-metadata": True,
        "aws:cdk:bundling-stacks": ["**"],
        "acknowledged-issue-numbers": [34892],
        "cli-telemetry": False,
        "hosted-zone:account=123456789012:domainName=example.com:region=eu-west-1": {"Id": "/x"},
        "availability-zones:account=123456789012:region=eu-west-1": ["eu-west-1a"],
    }
    WebTierConfig.from_context(context)
    assert not is_cdk_key("hosted-zones:x") and not is_cdk_key("aws:cdkx")


def _cli_bundle() -> str:
    return (ROOT / "node_modules" / "aws-cdk" / "lib" / "index.js").read_text()


def test_every_context_key_the_cdk_cli_writes_passes() -> None:
    """The pinned CLI's own source: the lookup providers whose results it caches in
    cdk.context.json, and every literal key it sets in the context it passes or saves."""
    bundle = _cli_bundle()
    providers = set(re.findall(r'ContextProvider\d*\["[A-Z_]+"\] = "([a-z-]+)"', bundle))
    assert providers and providers <= LOOKUP_PROVIDERS, providers - LOOKUP_PROVIDERS
    written = set(re.findall(r'context\.set\("([^"]+)"', bundle))
    written |= set(re.findall(r'context\["([^"]+)"\] = ', bundle)) - {
        "signing_region",
        "signing_service",
    }  # AWS SDK request contexts, not the CDK's
    written |= {k for k in re.findall(r'_CONTEXT = "([^"]+)"', bundle) if not k.endswith(".json")}
    assert {"acknowledged-issue-numbers", "cli-telemetry"} <= written
    assert {key for key in written if not is_cdk_key(key)} == set()


def test_a_context_file_is_as_strong_as_the_command_line(tmp_path: Path) -> None:
    settings = tmp_path / "my-settings.json"
    events = [{"name": "Christmas", "start": "2026-12-01", "end": "2026-12-26", "min": 4, "max": 8}]
    settings.write_text(json.dumps({"maxCapacity": 8, "scalingEvents": events}))
    context = {**cdk_json_context(), "contextFile": str(settings)}
    config = WebTierConfig.from_context(context)
    assert config.max_capacity == 8 and config.scaling_events[0].name == "Christmas"
    settings.write_text(json.dumps({"maxCapacity": 8, "maxCapcity": 8}))
    found = problems({**context, "maxCapacity": "6"})
    assert found[0].endswith("key 'maxCapacity' is also given with -c; give it in one place")
    assert found[1].endswith("key 'maxCapcity' is not a setting; did you mean 'maxCapacity'?")
    [line] = problems({"contextFile": str(tmp_path / "missing.json")})
    assert "cannot be read (No such file or directory)" in line
    settings.write_text("[1]")
    [line] = problems({"contextFile": str(settings)})
    assert line.endswith("holds list; expected a JSON object of settings")


def test_the_cli_context_keeps_nulls_and_reads_the_overflow_file(tmp_path: Path) -> None:
    overflow = tmp_path / "context-overflow.json"
    overflow.write_text('{"big": [1, 2]}')
    environ = {
        "CDK_CONTEXT_JSON": '{"minCapacity": null}',
        "CONTEXT_OVERFLOW_LOCATION_ENV": str(overflow),
    }
    assert cli_context(environ) == {"minCapacity": None, "big": [1, 2]}
    assert cli_context({}) is None
    assert project_context(ROOT / "cdk.json") == cdk_json_context()
    assert project_context(tmp_path / "cdk.json") is None


def test_a_configuration_error_prints_one_line_per_problem_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    context = {**cdk_json_context(), "minCapcity": "3", "waf": None}
    monkeypatch.setenv("CDK_CONTEXT_JSON", json.dumps(context))
    monkeypatch.delenv("CDK_DEBUG", raising=False)
    assert app.main() == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.splitlines() == [
        "Invalid configuration in cdk.json context / -c (profile 'dev' from context key 'env'):",
        "  - context key 'minCapcity' is unknown; did you mean 'minCapacity'?",
        "  - context key 'waf' is null; give a value, or remove the key for the default (a "
        "number JSON cannot hold, such as 1e400, also arrives as null)",
    ]
    monkeypatch.setenv("CDK_DEBUG", "true")  # what `cdk synth --debug` sets
    with pytest.raises(ConfigError):
        app.main()


def _readme_settings_file() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("**A toy shop at Christmas**") :]
    blocks: list[str] = re.findall(r"```json\n(.*?)```", section, re.S)
    return blocks[0]


def test_the_readmes_settings_file_survives_make_and_the_shell(tmp_path: Path) -> None:
    """The README's scaling example, given as the README says (make synth CONTEXT_FILE=...):
    make hands the CLI one `-c contextFile=<path>` argument, and the app reads the file's
    JSON as written. It is the holiday-peak variant, synthesized with every validator."""
    settings = tmp_path / "my-settings.json"
    settings.write_text(_readme_settings_file())
    assert json.loads(settings.read_text()) == VARIANTS["holiday-peak"]
    dry_run = subprocess.run(
        ["make", "-n", "synth", f"CONTEXT_FILE={settings}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    [synth] = [line for line in dry_run.splitlines() if " synth " in line]
    words = shlex.split(synth)
    context_file = words[words.index("-c") + 1]
    assert context_file == f"contextFile={settings}"
    config = WebTierConfig.from_context(
        {**cdk_json_context(), "contextFile": context_file.partition("=")[2]}
    )
    assert [event.name for event in config.scaling_events] == ["Christmas"]
    assert [schedule.name for schedule in config.scaling_schedules] == ["NightScaleIn"]


def test_cdk_context_json_is_not_git_ignored() -> None:
    # The CLI's lookup cache is committed (README, Environments).
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert not any(line.strip().lstrip("/") == "cdk.context.json" for line in ignored)
