"""Generic context reading: the profile selector, the profiles, and one value per key.

Profiles: context key ``profiles`` maps a name (``dev``, ``prod``) to values for any keys of
the key table, and ``env`` picks one (``-c env=prod``). A key's value is, first found: the
key itself in the context (cdk.json's top level or ``-c``), the selected profile, the key's
default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from constructs_lib._validation import PropErrors
from stacks.config.keys import BY_NAME, Key

T = TypeVar("T")

# Context keys that are not settings: which profile to apply, and the profiles themselves.
ENV_KEY = "env"
PROFILES_KEY = "profiles"


def context_keys() -> list[str]:
    """Every context key the app reads: the settings, the profile selector, the profiles."""
    return [*BY_NAME, ENV_KEY, PROFILES_KEY]


def apply_profile(context: Mapping[str, Any], errors: PropErrors) -> tuple[str, dict[str, Any]]:
    """The selected profile's name and the context with its values filled in underneath
    the keys given explicitly. Problems with ``env``/``profiles`` go to ``errors``."""
    explicit = {key: value for key, value in context.items() if value is not None}
    profiles = explicit.get(PROFILES_KEY, {})
    if not isinstance(profiles, Mapping) or not all(
        isinstance(values, Mapping) for values in profiles.values()
    ):
        errors.add(
            f"context key '{PROFILES_KEY}' has value {profiles!r}; expected an object of "
            'profiles, each an object of configuration keys, e.g. {"prod": {"minCapacity": 3}}'
        )
        profiles = {}
    for name, values in profiles.items():
        for key in values:
            if key not in BY_NAME:
                errors.add(
                    f"context key '{PROFILES_KEY}' profile {name!r} sets unknown key {key!r}; "
                    f"expected configuration keys: {', '.join(BY_NAME)}"
                )
    selected = explicit.get(ENV_KEY, "")
    if not isinstance(selected, str):
        errors.add(f"context key '{ENV_KEY}' has value {selected!r}; expected a profile name")
        return "", explicit
    selected = selected.strip()
    if not selected:
        return "", explicit
    if selected not in profiles:
        known = ", ".join(repr(name) for name in profiles) or "none defined"
        errors.add(
            f"context key '{ENV_KEY}' is {selected!r} but context key '{PROFILES_KEY}' has no "
            f"such profile; expected one of: {known}"
        )
        return selected, explicit
    merged = {key: value for key, value in profiles[selected].items() if key in BY_NAME}
    merged.update(explicit)
    return selected, merged


class Reader:
    """Reads each key once from the context with the selected profile applied, collecting
    every problem in ``errors``."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        self.errors = PropErrors("cdk.json context")
        self.profile, self.context = apply_profile(context, self.errors)

    def get(self, key: Key[T]) -> T | None:
        raw = self.context.get(key.name, key.default)
        if raw is None:
            raw = key.default
        try:
            return key.parse(raw)
        except (ValueError, TypeError):
            self.errors.add(f"context key '{key.name}' has value {raw!r}; expected {key.expected}")
            return None
