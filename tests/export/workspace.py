"""A workspace with every shape ``mparticle-wsync export`` must carry, seeded through the emulator's
API (validated like a POST): the four warehouses, data models (one SQL on several lines), a field
transformation with each mapping type, both pipeline types, every schedule shape (interval with each
frequency, once, on demand), both sync modes, one pipeline paused, feeds given by id and by key.

``SECRETS`` are the write-only values used when seeding, under the config keys the export gives them.
"""

from __future__ import annotations

from typing import Any, Final

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.control import EmulatorControl

SNOWFLAKE_PASSWORD: Final = "seeded-snowflake-password-7f1"
BIGQUERY_KEY: Final = '{"type": "service_account", "private_key": "seeded-bq-key-2c9"}'
REDSHIFT_PASSWORD: Final = "seeded-redshift-password-5d3"
REDSHIFT_ALT_PASSWORD: Final = "seeded-redshift-alt-password-8a4"
HIDDEN_FEED_KEY: Final = "seeded-feed-key-once-1b6"
RESOLVED_FEED_KEY: Final = "seeded-feed-key-on-demand-9e2"

SECRETS: Final = {
    "analyticsBqServiceAccountKey": BIGQUERY_KEY,
    "redshiftAltPassword": REDSHIFT_ALT_PASSWORD,
    "redshiftDwPassword": REDSHIFT_PASSWORD,
    "warehousePassword": SNOWFLAKE_PASSWORD,
    "ordersOncePartnerFeedKey": HIDDEN_FEED_KEY,
}
"""Config key -> the value seeded, in the order the export lists them (connections by id, then pipelines)."""

HIDDEN_FEED_PIPELINE: Final = "orders-once"
"""Seeded with a feed key; its resolved ``partner_feed_id`` is then hidden, as a server that does not
report it would serve it: the export can only give its key (a secret)."""

CONNECTIONS: Final[list[dict[str, Any]]] = [
    {wire.ID: "warehouse", wire.NAME: "Snowflake warehouse", wire.SERVICE_PROVIDER: "snowflake", "config": {
        "account_identifier": "xy12345", "region": "us-central1.gcp", "warehouse": "COMPUTE_WH",
        "database": "ANALYTICS", "role": "MPARTICLE", "user": "mp_user", "password": SNOWFLAKE_PASSWORD,
        "storage_integration": "mp_us1_1_2_s3"}},
    {wire.ID: "analytics-bq", wire.NAME: "BigQuery (inactive)", wire.STATE: "inactive",
     wire.SERVICE_PROVIDER: "bigquery", "config": {
         "region": "us-east4", "project_id": "acme-analytics", "dataset_id": "crm",
         "service_account_id": "mparticle@acme-analytics.iam.gserviceaccount.com",
         "service_account_key": BIGQUERY_KEY}},
    {wire.ID: "redshift-dw", wire.NAME: "Redshift", wire.SERVICE_PROVIDER: "redshift", "config": {
        "host": "dw.abc123.us-east-1.redshift.amazonaws.com", "database": "dw", "user": "mparticle",
        "password": REDSHIFT_PASSWORD, "aws_iam_role_arn": "arn:aws:iam::123456789012:role/mparticle-redshift"}},
    {wire.ID: "redshift-alt", wire.NAME: "Redshift on another port", wire.SERVICE_PROVIDER: "redshift", "config": {
        "host": "alt.abc123.us-east-1.redshift.amazonaws.com", "port": 5440, "database": "dw", "user": "mparticle",
        "password": REDSHIFT_ALT_PASSWORD, "aws_iam_role_arn": "arn:aws:iam::123456789012:role/mparticle-alt"}},
    {wire.ID: "delta-share", wire.NAME: "Données Databricks", wire.SERVICE_PROVIDER: "databricks", "config": {
        "provider": "acme-delta-share", "catalog": "main", "schema": "crm"}},
]
DATA_MODELS: Final[list[dict[str, Any]]] = [
    {wire.ID: "users", wire.NAME: "Users", "type": "sql",
     "config": {"sql_query": "SELECT email, plan, updated_at FROM analytics.crm.users WHERE plan IN ('pro', 'team')"}},
    {wire.ID: "orders", wire.NAME: "Orders", "type": "sql", wire.STATE: "inactive",
     "config": {"sql_query": "SELECT customer_id, order_id, total, updated_at\nFROM analytics.shop.orders\n"
                             "WHERE total > 0"}},
]
FIELD_TRANSFORMATIONS: Final[list[dict[str, Any]]] = [
    {wire.ID: "order-events", wire.NAME: "Order events", "destination_type": "event_batch", "mappings": [
        {"mapping_type": "column", "source": "order_id", "destination": "events[].data.custom_attributes.order_id"},
        {"mapping_type": "static", "destination": "events[].event_type", "value": "custom_event"},
        {"mapping_type": "static", "destination": "events[].data.custom_attributes.version", "value": 2},
        {"mapping_type": "ignore", "source": "total"},
    ]},
]


def _pipeline(object_id: str, name: str, schedule: dict[str, Any], **more: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        wire.ID: object_id, wire.NAME: name, "pipeline_type": "user_attributes", "connection_id": "warehouse",
        "data_model_id": "users", "environment": "production", "sync_mode": {"type": "full"},
        "schedule": schedule, "partner_feed_id": 4242,
    }
    body.update(more)
    return body


PIPELINES: Final[list[dict[str, Any]]] = [
    _pipeline("users-hourly", "Users hourly", {"type": "interval", "frequency": "hourly",
                                               "start": "2026-01-01T00:15:00Z"}),
    _pipeline("users", "Users daily from BigQuery", {"type": "interval", "frequency": "daily",
                                                     "start": "2026-01-01T02:00:00Z", "end": "2027-01-01T00:00:00Z"},
              connection_id="analytics-bq", environment="development",
              sync_mode={"type": "incremental", "iterator_field": "updated_at", "iterator_data_type": "timestamp",
                         "from": "2025-06-01T00:00:00Z"}),
    _pipeline("users-weekly", "Users weekly (paused)", {"type": "interval", "frequency": "weekly",
                                                        "start": "2026-01-05T03:00:00Z"},
              connection_id="redshift-dw", state="paused"),
    _pipeline("users-monthly", "Users monthly", {"type": "interval", "frequency": "monthly",
                                                 "start": "2026-01-01T04:00:00Z"},
              connection_id="redshift-alt", partner_feed_id=4343, data_plan_id="crm-plan", data_plan_version=3),
    _pipeline(HIDDEN_FEED_PIPELINE, "Orders once", {"type": "once", "start": "2026-02-01T00:00:00Z"},
              pipeline_type="events", connection_id="delta-share", data_model_id="orders",
              field_transformation_id="order-events", partner_feed_id=None, partner_feed_key=HIDDEN_FEED_KEY),
    _pipeline("orders-on-demand", "Orders on demand", {"type": "on_demand", "start": "2026-01-01T00:00:00Z"},
              pipeline_type="events", data_model_id="orders", field_transformation_id="order-events",
              sync_mode={"type": "incremental", "iterator_field": "updated_at", "iterator_data_type": "timestamp_ntz"},
              partner_feed_id=None, partner_feed_key=RESOLVED_FEED_KEY),
]
OBJECTS: Final = {
    wire.CONNECTIONS: CONNECTIONS,
    wire.DATA_MODELS: DATA_MODELS,
    wire.FIELD_TRANSFORMATIONS: FIELD_TRANSFORMATIONS,
    wire.PIPELINES: PIPELINES,
}
COUNT: Final = sum(len(objects) for objects in OBJECTS.values())


def seed_workspace(control: EmulatorControl, workspace_id: str) -> None:
    """Seed every object, then hide the resolved feed id of ``HIDDEN_FEED_PIPELINE``."""
    for collection, objects in OBJECTS.items():
        for body in objects:
            control.seed_object(workspace_id, collection, {k: v for k, v in body.items() if v is not None})
    control.edit_object(workspace_id, wire.PIPELINES, HIDDEN_FEED_PIPELINE, {"partner_feed_id": None})


def seed_other_workspace(control: EmulatorControl, workspace_id: str) -> None:
    """Objects with the same ids in another workspace, which nothing here may touch."""
    control.seed_object(workspace_id, wire.CONNECTIONS, {
        wire.ID: "warehouse", wire.NAME: "Other warehouse", wire.SERVICE_PROVIDER: "databricks",
        "config": {"provider": "other-share", "catalog": "main", "schema": "other"}})
    control.seed_object(workspace_id, wire.DATA_MODELS, {
        wire.ID: "users", wire.NAME: "Other users", "type": "sql", "config": {"sql_query": "SELECT email FROM u"}})
