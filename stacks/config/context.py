"""Generic context reading: where each value comes from, and which values are not allowed.

Layers, strongest first: ``-c key=value``; a JSON file named by ``-c contextFile=path``
(``make synth CONTEXT_FILE=path``); the profile that ``env`` selects from ``profiles``; the
key's built-in default (``keys.py``). Nothing the user wrote is ignored silently:

- a key that is neither a configuration key nor the CDK's own (``cdk_keys.py``) is an error,
  naming the closest known key;
- cdk.json's top level holds only ``env`` and ``profiles`` (and the CDK's keys): a setting
  there would win over every profile, so it is an error (pass ``project``, cdk.json's
  ``context``, to tell it from ``-c``: the CLI merges both into one context);
- a key both in the context file and in ``-c`` is an error;
- ``null`` and numbers that are not finite are errors (a number JSON cannot hold, such as
  ``1e400`` in cdk.json, reaches the app as ``null``).
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from constructs_lib import validation
from stacks.config.cdk_keys import is_cdk_key
from stacks.config.keys import BY_NAME, Key

T = TypeVar("T")

# Context keys that are not settings: which profile to apply, the profiles, a settings file.
ENV_KEY = "env"
PROFILES_KEY = "profiles"
CONTEXT_FILE_KEY = "contextFile"
META_KEYS = (ENV_KEY, PROFILES_KEY, CONTEXT_FILE_KEY)


def context_keys() -> list[str]:
    """Every context key the app reads: the settings, then the keys that are not settings."""
    return [*BY_NAME, *META_KEYS]


def suggestion(key: str, known: Iterable[str]) -> str:
    """ "; did you mean 'minCapacity'?" for the closest known key, else where to look."""
    by_lower = {name.lower(): name for name in known}
    close = difflib.get_close_matches(key.lower(), by_lower, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {by_lower[close[0]]!r}?"
    return "; the keys are listed in the README's Configuration table"


def value_problem(raw: Any) -> str | None:
    """What makes a value unusable whatever its key, or ``None``."""
    if raw is None:
        return (
            "is null; give a value, or remove the key for the default (a number JSON cannot "
            "hold, such as 1e400, also arrives as null)"
        )
    if isinstance(raw, float) and not math.isfinite(raw):
        return f"has value {raw!r}; expected a finite number"
    return None


@dataclass
class Layers:
    """The context sorted into layers; ``values`` is what the selected profile and the
    explicit keys make together (the defaults apply underneath, key by key)."""

    profile: str = ""
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    explicit: dict[str, Any] = field(default_factory=dict)

    @property
    def values(self) -> dict[str, Any]:
        return {**self.profiles.get(self.profile, {}), **self.explicit}


def layers(
    context: Mapping[str, Any],
    errors: validation.PropErrors,
    *,
    project: Mapping[str, Any] | None = None,
) -> Layers:
    """Sort ``context`` (every key the app sees) into layers, reporting to ``errors``."""
    result = Layers()
    project = project or {}
    settings_in_project = sorted(k for k in project if k in BY_NAME)
    for key in settings_in_project:
        errors.add(
            f"cdk.json context key {key!r} is set at cdk.json's top level, where it would win "
            f"over every profile; cdk.json's top level holds only '{ENV_KEY}' and "
            f"'{PROFILES_KEY}': set it in a profile ('{PROFILES_KEY}' > name > {key!r}), or "
            f"pass -c {key}=... for one run"
        )
    for key, raw in context.items():
        if is_cdk_key(key) or key in (PROFILES_KEY, CONTEXT_FILE_KEY):
            continue
        where = "cdk.json context key" if key in project else "context key"
        if key not in BY_NAME and key != ENV_KEY:
            errors.add(f"{where} {key!r} is unknown{suggestion(key, context_keys())}")
        elif key in settings_in_project:
            continue
        elif (problem := value_problem(raw)) is not None:
            errors.add(f"{where} {key!r} {problem}")
        else:
            result.explicit[key] = raw
    _read_context_file(context.get(CONTEXT_FILE_KEY), errors, result.explicit)
    result.profiles = _profiles(context.get(PROFILES_KEY, {}), errors)
    result.profile = _selected(result.explicit.pop(ENV_KEY, ""), result.profiles, errors)
    return result


def _read_context_file(path: Any, errors: validation.PropErrors, explicit: dict[str, Any]) -> None:
    """Settings from a JSON file (an object of configuration keys), as strong as ``-c``."""
    if path is None or (isinstance(path, str) and not path.strip()):
        return
    arg = f"context key '{CONTEXT_FILE_KEY}' {path!r}"
    try:
        values = json.loads(Path(str(path)).read_text())
    except OSError as error:
        errors.add(f"{arg} cannot be read ({error.strerror}); give the path of a JSON file")
        return
    except ValueError as error:
        errors.add(f"{arg} is not JSON ({error})")
        return
    if not isinstance(values, dict):
        errors.add(f"{arg} holds {type(values).__name__}; expected a JSON object of settings")
        return
    for key, raw in values.items():
        where = f"{arg} key {key!r}"
        if key not in BY_NAME:
            errors.add(f"{where} is not a setting{suggestion(key, BY_NAME)}")
        elif key in explicit:
            errors.add(f"{where} is also given with -c; give it in one place")
        elif (problem := value_problem(raw)) is not None:
            errors.add(f"{where} {problem}")
        else:
            explicit[key] = raw


def _profiles(raw: Any, errors: validation.PropErrors) -> dict[str, dict[str, Any]]:
    """Every profile checked for unknown keys and unusable values, selected or not."""
    if not isinstance(raw, Mapping) or not all(isinstance(v, Mapping) for v in raw.values()):
        errors.add(
            f"context key '{PROFILES_KEY}' has value {raw!r}; expected an object of "
            'profiles, each an object of configuration keys, e.g. {"prod": {"minCapacity": 3}}'
        )
        return {}
    profiles: dict[str, dict[str, Any]] = {}
    for name, values in raw.items():
        profiles[name] = {}
        for key, value in values.items():
            where = f"context key '{PROFILES_KEY}' profile {name!r}"
            if key not in BY_NAME:
                errors.add(f"{where} sets unknown key {key!r}{suggestion(key, BY_NAME)}")
            elif (problem := value_problem(value)) is not None:
                errors.add(f"{where} key {key!r} {problem}")
            else:
                profiles[name][key] = value
    return profiles


def _selected(raw: Any, profiles: Mapping[str, Any], errors: validation.PropErrors) -> str:
    if not isinstance(raw, str):
        errors.add(f"context key '{ENV_KEY}' has value {raw!r}; expected a profile name")
        return ""
    selected = raw.strip()
    if selected and selected not in profiles:
        known = ", ".join(repr(name) for name in profiles) or "none defined"
        errors.add(
            f"context key '{ENV_KEY}' is {selected!r} but context key '{PROFILES_KEY}' has no "
            f"such profile; expected one of: {known}"
        )
    return selected


class Reader:
    """Reads each key once from ``values`` (its default where absent), collecting every
    problem in ``errors``."""

    def __init__(self, values: Mapping[str, Any], errors: validation.PropErrors) -> None:
        self.values = values
        self.errors = errors

    def get(self, key: Key[T]) -> T | None:
        raw = self.values.get(key.name, key.default)
        try:
            return key.parse(raw)
        except (ValueError, TypeError):
            self.errors.add(f"context key '{key.name}' has value {raw!r}; expected {key.expected}")
            return None
