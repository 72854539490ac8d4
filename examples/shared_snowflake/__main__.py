"""One Snowflake connection shared by several pipelines.

Each data model becomes its own pipeline; all read through the same connection, so the
warehouse credentials live in exactly one place. Deleting the connection while any
pipeline still uses it is refused by the API, and Pulumi orders deletes accordingly.
"""

import pulumi

import pulumi_mparticle_wsync as mp

config = pulumi.Config()

snowflake = mp.Connection(
    "snowflake",
    name="Snowflake (shared)",
    snowflake={
        "account_identifier": "acme-analytics",
        "region": "us-central1.gcp",
        "warehouse": "SYNC_WH",
        "database": "ANALYTICS",
        "role": "MPARTICLE_SYNC",
        "user": "MPARTICLE_SYNC_USER",
        "password": config.require_secret("snowflakePassword"),
        "storage_integration": "mp_us1_1234_5678_s3",
    },
)

SYNCS = {
    "subscriptions": ("SELECT customer_id, plan, renewed_at FROM analytics.billing.subscriptions", "renewed_at"),
    "preferences": ("SELECT email, newsletter_opt_in, changed_at FROM analytics.crm.preferences", "changed_at"),
    "support-tier": ("SELECT customer_id, support_tier, updated_at FROM analytics.support.accounts", "updated_at"),
}

pipeline_ids = {}
for key, (query, iterator) in SYNCS.items():
    model = mp.DataModel(key, name=key.replace("-", " ").title(), sql_query=query)
    pipeline = mp.Pipeline(
        f"{key}-sync",
        name=f"{key} sync",
        pipeline_type="user_attributes",
        connection_id=snowflake.id,
        data_model_id=model.id,
        partner_feed_key=config.require_secret("feedKey"),
        sync_mode=mp.SyncModeArgs(type="incremental", iterator_field=iterator, iterator_data_type="timestamp_ntz"),
        schedule=mp.ScheduleArgs(type="interval", frequency="hourly", start="2026-01-01T00:05:00Z"),
        environment="production",
    )
    pipeline_ids[key] = pipeline.id

pulumi.export("connection_id", snowflake.id)
pulumi.export("pipeline_ids", pipeline_ids)
