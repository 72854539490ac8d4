"""What the API serves back for a body we sent, imitating each behaviour the spec allows.

Used for wire round trips without a server: secrets omitted (v2) or masked (v1),
``service_provider`` echoed capitalised, server-filled config, the server's timestamp
format, a feed id resolved from a feed key, and the server-computed fields.
"""

from __future__ import annotations

import copy
from datetime import UTC
from typing import Any

from pulumi_mparticle_wsync import rules, wire

SECRET_KEYS = {
    "snowflake": ("password",), "bigquery": ("service_account_key",), "redshift": ("password",), "databricks": (),
}
"""Per warehouse, its write-only config keys (spec §3), written out."""


RESOLVED_FEED_ID = 48213


def _server_timestamp(value: Any) -> Any:
    parsed = rules.parse_timestamp(value) if isinstance(value, str) else None
    if parsed is None:
        return value
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{parsed.microsecond // 1000:03d}Z"


def _hide(container: dict[str, Any], key: str, secret_mode: str) -> None:
    if key not in container:
        return
    if secret_mode == wire.SECRET_MODE_MASK:
        container[key] = wire.MASKED_SECRET
    else:
        del container[key]


def serve(
    collection: str,
    body: dict[str, Any],
    *,
    secret_mode: str = wire.SECRET_MODE_OMIT,
    provider_case: str = wire.PROVIDER_CASE_LOWER,
) -> dict[str, Any]:
    served = copy.deepcopy(body)
    served.update(
        {
            wire.STATUS_FIELD: "healthy",
            wire.ERRORS: [],
            wire.CREATED_ON: "2026-01-01T00:00:00.000Z",
            wire.CREATED_BY: "owner@example.com",
            wire.LAST_MODIFIED_ON: None,
            wire.LAST_MODIFIED_BY: None,
        }
    )
    if collection == wire.CONNECTIONS:
        provider = served[wire.SERVICE_PROVIDER]
        config = served['config']
        for key in SECRET_KEYS[provider]:
            _hide(config, key, secret_mode)
        if provider == 'snowflake':
            config.setdefault("aws_iam_user_arn", "arn:aws:iam::000000000000:user/mparticle")
            config.setdefault("aws_external_id", "ext-0000")
        if provider == 'redshift':
            config.setdefault("port", 5439)
        if provider_case == wire.PROVIDER_CASE_CAPITALISED:
            served[wire.SERVICE_PROVIDER] = provider.capitalize()
        served.setdefault(wire.STATE, "active")
    elif collection == wire.DATA_MODELS:
        served.setdefault(wire.STATE, "active")
    elif collection == wire.PIPELINES:
        if 'partner_feed_key' in served:
            served['partner_feed_id'] = RESOLVED_FEED_ID
            _hide(served, 'partner_feed_key', secret_mode)
        for block, keys in (
            ('sync_mode', ('from', 'until')),
            ('schedule', ('start', 'end')),
        ):
            for key in keys:
                if key in served[block]:
                    served[block][key] = _server_timestamp(served[block][key])
    return served
