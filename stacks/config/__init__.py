"""Typed, validated configuration read once from cdk.json context (and ``-c key=value``).

- ``keys``: the key table, the single source of every key's name, type, default and meaning;
- ``values``: reading one value (JSON from cdk.json, strings from ``-c``);
- ``cdk_keys``: the CDK's own context keys, which pass unchecked;
- ``context``: where each value comes from (``-c``, a context file, a profile, the default);
- ``cli``: the context as the CDK CLI sent it, and cdk.json as written;
- ``site``: the site decision (zone source, certificate source, HTTPS or not);
- ``scaling``: the items of ``scalingSchedules`` / ``scalingEvents``;
- ``settings``: ``WebTierConfig``, every key read and checked.
"""

from stacks.config.context import CONTEXT_FILE_KEY, ENV_KEY, PROFILES_KEY, context_keys, layers
from stacks.config.keys import DEFAULTS, KEYS, Key
from stacks.config.settings import WebTierConfig
from stacks.config.site import Site
from stacks.config.values import ConfigError

__all__ = [
    "CONTEXT_FILE_KEY",
    "DEFAULTS",
    "ENV_KEY",
    "KEYS",
    "PROFILES_KEY",
    "ConfigError",
    "Key",
    "Site",
    "WebTierConfig",
    "context_keys",
    "layers",
]
