"""Valid inputs for each resource, as the engine hands them to the provider (user-facing names)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pulumi_mparticle_wsync.state_layout import PULUMI_NAME

SNOWFLAKE_PASSWORD = "sf-pw-7d1c0e"
REDSHIFT_PASSWORD = "rs-pw-91ab44"
BIGQUERY_KEY = json.dumps({"type": "service_account", "private_key": "bq-key-55e0f1"})
FEED_KEY = "feed-key-c0ffee42"
SECRETS = (SNOWFLAKE_PASSWORD, REDSHIFT_PASSWORD, BIGQUERY_KEY, "bq-key-55e0f1", FEED_KEY)


def snowflake() -> dict[str, Any]:
    return {
        "account_identifier": "ab12345.us-east-1",
        "region": "us-central1.gcp",
        "warehouse": "COMPUTE_WH",
        "database": "ANALYTICS",
        "role": "MPARTICLE",
        "user": "MP_SYNC",
        "password": SNOWFLAKE_PASSWORD,
        "storage_integration": "mp_us1_123_456_s3",
    }


def bigquery() -> dict[str, Any]:
    return {
        "region": "us-east4",
        "project_id": "acme-analytics",
        "dataset_id": "crm",
        "service_account_id": "mp-sync@acme-analytics.iam.gserviceaccount.com",
        "service_account_key": BIGQUERY_KEY,
    }


def redshift() -> dict[str, Any]:
    return {
        "host": "cluster.abc.us-east-1.redshift.amazonaws.com",
        "database": "dev",
        "user": "mp_sync",
        "password": REDSHIFT_PASSWORD,
        "aws_iam_role_arn": "arn:aws:iam::123456789012:role/mparticle-redshift",
    }



def _override(inputs: dict[str, Any], overrides: Mapping[str, Any]) -> None:
    """``inputs`` with ``overrides``; ``pulumi_name=`` sets the Pulumi name (kept under ``PULUMI_NAME``)."""
    for key, value in overrides.items():
        inputs[PULUMI_NAME if key == "pulumi_name" else key] = value


def databricks() -> dict[str, Any]:
    return {"provider": "acme_share_provider", "catalog": "main", "schema": "crm"}


BLOCKS = {"snowflake": snowflake, "bigquery": bigquery, "redshift": redshift, "databricks": databricks}


def connection(block: str = "snowflake", **overrides: Any) -> dict[str, Any]:
    inputs: dict[str, Any] = {
        "name": "Analytics warehouse",
        "__pulumi_name": "warehouse",
        block: BLOCKS[block](),
    }
    _override(inputs, overrides)
    return inputs


def data_model(**overrides: Any) -> dict[str, Any]:
    inputs: dict[str, Any] = {
        "name": "Active users",
        "__pulumi_name": "active-users",
        "sql_query": "SELECT email, plan, updated_at FROM db.s.users",
    }
    _override(inputs, overrides)
    return inputs


def mappings() -> list[dict[str, Any]]:
    return [
        {
            "mapping_type": "column",
            "source": "order_id",
            "destination": "events[].data.custom_attributes.order_id",
        },
        {"mapping_type": "static", "value": "purchase", "destination": "events[].data.event_name"},
        {"mapping_type": "ignore", "source": "internal_note"},
    ]


def field_transformation(**overrides: Any) -> dict[str, Any]:
    inputs: dict[str, Any] = {"name": "Purchases", "__pulumi_name": "purchases", "mappings": mappings()}
    _override(inputs, overrides)
    return inputs


def sync_mode() -> dict[str, Any]:
    return {"type": "incremental", "iterator_field": "updated_at", "iterator_data_type": "timestamp_ltz"}


def schedule() -> dict[str, Any]:
    return {"type": "interval", "frequency": "hourly", "start": "2026-01-01T00:15:00Z"}


def pipeline(
    connection_id: str = "warehouse", data_model_id: str = "active-users", **overrides: Any
) -> dict[str, Any]:
    inputs: dict[str, Any] = {
        "name": "Users hourly",
        "__pulumi_name": "users-hourly",
        "pipeline_type": "user_attributes",
        "connection_id": connection_id,
        "data_model_id": data_model_id,
        "partner_feed_key": FEED_KEY,
        "sync_mode": sync_mode(),
        "schedule": schedule(),
        "environment": "production",
    }
    _override(inputs, overrides)
    return inputs
