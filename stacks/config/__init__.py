"""Typed, validated configuration read once from cdk.json context (and ``-c key=value``).

- ``keys``: the key table, the single source of every key's name, type, default and meaning;
- ``values``: reading one value (JSON from cdk.json, strings from ``-c``);
- ``context``: the profile selector, the profiles, one value per key;
- ``site``: the site decision (zone source, certificate source, HTTPS or not);
- ``scaling``: the items of ``scalingSchedules`` / ``scalingEvents``;
- ``settings``: ``WebTierConfig``, every key read and checked.
"""

from stacks.config.context import ENV_KEY, PROFILES_KEY, apply_profile, context_keys
from stacks.config.keys import DEFAULTS, KEYS, Key
from stacks.config.settings import WebTierConfig
from stacks.config.site import Site
from stacks.config.values import ConfigError

__all__ = [
    "DEFAULTS",
    "ENV_KEY",
    "KEYS",
    "PROFILES_KEY",
    "ConfigError",
    "Key",
    "Site",
    "WebTierConfig",
    "apply_profile",
    "context_keys",
]
