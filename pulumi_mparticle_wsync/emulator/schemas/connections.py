"""Connections (spec §3): provider-specific ``config`` with write-only secrets."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, Final

from ... import wire
from ..validation import SERVER_FIELDS, Fields, Problems, shown
from .common import SecretPath, WriteContext, read_id_and_name, read_secret

# The AWS principal the server reports for Snowflake storage integrations [R]: a fixed,
# obviously fake account so nothing here looks like a real mParticle identifier.
EMULATED_AWS_ACCOUNT: Final = "000000000000"
_TOP_LEVEL: Final = (wire.ID, wire.NAME, wire.SERVICE_PROVIDER, wire.STATE, wire.CONFIG)


def normalise(body: object, context: WriteContext) -> dict[str, Any]:
    problems = Problems()
    fields = Fields.root(body, problems)
    document = read_id_and_name(fields)
    provider = _read_provider(fields)
    if provider is not None:
        document[wire.SERVICE_PROVIDER] = provider
    document[wire.STATE] = fields.string(wire.STATE, required=False, choices=wire.CONNECTION_STATES) or "active"
    config = fields.obj(wire.CONFIG)
    if config is not None and provider is not None:
        previous = context.previous
        previous_config = (
            previous.get(wire.CONFIG)
            if previous is not None and previous.get(wire.SERVICE_PROVIDER) == provider
            else None
        )
        document[wire.CONFIG] = _read_config(
            config,
            provider,
            previous_config if isinstance(previous_config, Mapping) else None,
            context.workspace_id,
            str(fields.data.get(wire.ID)),
        )
    fields.refuse_unknown(_TOP_LEVEL, ignored=SERVER_FIELDS)
    problems.raise_if_any()
    return document


ALL_CONFIG_SECRETS: Final = tuple(sorted({key for keys in wire.CONFIG_SECRETS.values() for key in keys}))


def secret_paths(document: Mapping[str, Any]) -> list[SecretPath]:
    # Every provider's secret keys, not just this provider's: an out-of-band edit may change
    # service_provider, and a stored password must stay hidden even then.
    return [(wire.CONFIG, key) for key in ALL_CONFIG_SECRETS]


def provider_label(provider: str, case: str) -> str:
    """``service_provider`` as answered under the ``provider_case`` switch."""
    return provider.capitalize() if case == wire.PROVIDER_CASE_CAPITALISED else provider


def _read_provider(fields: Fields) -> str | None:
    raw = fields.string(wire.SERVICE_PROVIDER, missing=f"required: use one of {', '.join(wire.SERVICE_PROVIDERS)}")
    if raw is None:
        return None
    # Responses may capitalise it, so a client echoing ``Snowflake`` back is accepted.
    provider = raw.lower()
    if provider not in wire.SERVICE_PROVIDERS:
        fields.report(wire.SERVICE_PROVIDER, f"{shown(raw)} is not one of {', '.join(wire.SERVICE_PROVIDERS)}")
        return None
    return provider


def _read_config(
    config: Fields,
    provider: str,
    previous: Mapping[str, Any] | None,
    workspace_id: str,
    connection_id: str,
) -> dict[str, Any]:
    secrets = set(wire.CONFIG_SECRETS[provider])
    required = wire.CONFIG_REQUIRED[provider]
    optional = wire.CONFIG_OPTIONAL[provider]
    for key in (*required, *optional):
        is_required = key in required
        fix = f"required for service_provider {provider}"
        if key in wire.CONFIG_INTEGER_KEYS:
            port = config.integer(key, required=is_required, minimum=1)
            if port is not None and port > 65535:
                config.report(key, "must be a TCP port from 1 to 65535")
        elif key in secrets:
            if is_required and config.data.get(key) is None:
                config.report(key, f"{fix}; it is write-only, so send it on every create and replace")
            else:
                read_secret(config, key, previous, required=is_required)
        elif is_required and config.data.get(key) is None:
            config.report(key, fix)
        else:
            config.string(key, required=is_required)
    config.refuse_unknown((*required, *optional))
    document = dict(config.data)
    for key, value in _server_filled(provider, workspace_id, connection_id).items():
        if document.get(key) is None:
            document[key] = value
    return document


def _server_filled(provider: str, workspace_id: str, connection_id: str) -> dict[str, Any]:
    """Values the server fills in when absent [R]; stable so a replace without them causes no drift."""
    if provider == wire.SNOWFLAKE:
        return {
            "aws_iam_user_arn": (f"arn:aws:iam::{EMULATED_AWS_ACCOUNT}:user/mparticle-warehouse-sync-{workspace_id}"),
            "aws_external_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"wsync-emulator:{workspace_id}:{connection_id}")),
        }
    if provider == wire.REDSHIFT:
        return {"port": wire.REDSHIFT_DEFAULT_PORT}
    return {}
