"""Client settings for the ``mparticle-wsync`` commands, read the way the provider reads them.

The provider takes each ``mparticle:*`` setting from the stack's config, else from its ``MPARTICLE_*``
environment variable (``client.load_settings``). A command does the same, with the values given on
its own command line (``--workspace``, ``check-api --api-url`` ...) first and, when it names a stack,
that stack's config (``pulumi config --json --show-secrets``) in place of the provider's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import ClientSettings


def stack_config_lookup(config: Mapping[str, Any]) -> Callable[[str], str | None]:
    """Look up keys in the output of ``pulumi config --json --show-secrets``: ``{key: {"value": ...}}``."""

    def lookup(key: str) -> str | None:
        entry = config.get(key)
        value = entry.get("value") if isinstance(entry, Mapping) else None
        return None if value is None else str(value)

    return lookup


def command_settings(
    given: Mapping[str, str | None],
    *,
    stack_config: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> ClientSettings:
    """Settings from ``given`` (config key -> value from the command line, ``None`` when not given),
    then ``stack_config``, then the ``MPARTICLE_*`` environment variables.

    Raises ``ConfigurationError`` naming every missing or unusable setting, as ``load_settings`` does.
    """
    from .client import load_settings

    from_stack = stack_config_lookup(stack_config or {})

    def lookup(key: str) -> str | None:
        value = given.get(key)
        return value if value else from_stack(key)

    return load_settings(lookup, environ=os.environ if environ is None else environ)
