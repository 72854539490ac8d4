"""Client settings for the ``mparticle-wsync`` commands, read the way the provider reads them.

The provider takes each ``mparticle:*`` setting from the stack's config, else from its ``MPARTICLE_*``
environment variable (``client.load_settings``). A command does the same, with the values given on
its own command line (``--workspace``, ``check-api --api-url`` ...) first and, when it names a stack,
that stack's config (``pulumi config --json --show-secrets``) in place of the provider's.

``resolve_settings`` does that for the commands that take ``--workspace``, ``--stack`` and ``--cwd``
(``runs``, ``export``); ``CommandError`` is their exit-status-2 error.
"""

from __future__ import annotations

import argparse
import os
import shlex
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from . import _constants as c

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

class CommandError(Exception):
    """The command cannot go on (exit status 2); the message says why and what to do."""


def resolve_settings(args: argparse.Namespace) -> ClientSettings:
    """The client's settings for a command's ``args`` (``--workspace``, ``--stack``, ``--cwd``), with a
    workspace; ``CommandError`` naming what to set."""
    from .client import ConfigurationError

    stack_config = _stack_config(args) if args.stack else None
    try:
        settings = command_settings({c.CONFIG_WORKSPACE_ID: args.workspace}, stack_config=stack_config)
    except ConfigurationError as error:
        raise CommandError(advised(str(error), args)) from None
    if settings.workspace_id is None:
        from .client import setting_source

        how = setting_source(c.CONFIG_WORKSPACE_ID)
        raise CommandError(advised(f"no workspace id: pass --workspace ID, or set it with {how}", args))
    return settings


def _stack_config(args: argparse.Namespace) -> dict[str, object]:
    # `pulumi config` is run the way `recover` runs it (the `pulumi` on PATH, this environment).
    from .recover._pulumi import PulumiCli
    from .recover._state import RecoveryError

    if args.cwd is not None and not args.cwd.is_dir():
        raise CommandError(f"--cwd {str(args.cwd)!r} is not a directory")
    try:
        return PulumiCli(args.stack, args.cwd).config()
    except RecoveryError as error:
        raise CommandError(f"cannot read the config of stack {args.stack!r}: {error}") from None


def advised(message: str, args: argparse.Namespace) -> str:
    """``message`` with each "the KEY setting or ENV" phrase of the client saying how to set KEY for this command."""
    from .client import setting_source

    for key, variable in c.ENV_VARS.items():
        if args.stack:
            secret = " --secret" if key in c.SECRET_CONFIG_KEYS else ""
            how = f"`pulumi config set{secret} {key} --stack {shlex.quote(args.stack)}` or {variable}"
        else:
            how = f"{variable} (or {key} in a stack's config, read with --stack NAME)"
        message = message.replace(setting_source(key), how)
    return message


def settings_options(args: argparse.Namespace) -> list[str]:
    """The options that chose the settings, to repeat in a suggested command."""
    words: list[str] = []
    if args.stack:
        words += ["--stack", args.stack]
    if args.cwd is not None:
        words += ["--cwd", str(args.cwd)]
    if args.workspace:
        words += ["--workspace", args.workspace]
    return words
