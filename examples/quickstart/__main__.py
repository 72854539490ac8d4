"""Quickstart: a Snowflake warehouse synced into mParticle by two pipelines.

One connection, two data models, one field transformation, and two pipelines (user
attributes and purchase events) wired together through outputs. The same program serves
every stack; what differs per environment (workspace, mParticle environment, schedule,
paused state) is stack configuration in ``Pulumi.<stack>.yaml``.
"""

import pulumi

import pulumi_mparticle_wsync as mp

config = pulumi.Config()
environment = config.get("environment") or "development"
frequency = config.get("frequency") or "daily"
paused = config.get_bool("paused") or False

warehouse = mp.Connection(
    "warehouse",
    name="Analytics warehouse",
    snowflake=mp.SnowflakeConfigArgs(
        account_identifier="acme-analytics",
        region="us-central1.gcp",
        warehouse="COMPUTE_WH",
        database="ANALYTICS",
        role="MPARTICLE_SYNC",
        user="MPARTICLE_SYNC_USER",
        password=config.require_secret("snowflakePassword"),
        storage_integration="mp_us1_1234_5678_s3",
    ),
)

active_users = mp.DataModel(
    "active-users",
    name="Active users",
    sql_query="SELECT email, customer_id, plan, lifetime_value, updated_at FROM analytics.public.users",
)

orders = mp.DataModel(
    "orders",
    name="Completed orders",
    sql_query=(
        "SELECT order_id, customer_id, amount, currency, ordered_at "
        "FROM analytics.public.orders WHERE status = 'complete'"
    ),
)

purchase_events = mp.FieldTransformation(
    "purchase-events",
    name="Orders as purchase events",
    mappings=[
        mp.FieldMappingArgs(mapping_type="column", source="order_id",
                            destination="events[].data.custom_attributes.order_id"),
        mp.FieldMappingArgs(mapping_type="column", source="amount",
                            destination="events[].data.custom_attributes.amount"),
        mp.FieldMappingArgs(mapping_type="column", source="customer_id",
                            destination="user_identities.customer_id"),
        mp.FieldMappingArgs(mapping_type="static", value="purchase", destination="events[].data.event_name"),
        mp.FieldMappingArgs(mapping_type="ignore", source="currency"),
    ],
)

user_sync = mp.Pipeline(
    "users",
    name="Users",
    pipeline_type="user_attributes",
    connection_id=warehouse.id,
    data_model_id=active_users.id,
    partner_feed_key=config.require_secret("feedKey"),
    sync_mode=mp.SyncModeArgs(type="incremental", iterator_field="updated_at",
                              iterator_data_type="timestamp_ltz"),
    schedule=mp.ScheduleArgs(type="interval", frequency=frequency, start="2026-01-01T00:15:00Z"),
    environment=environment,
    paused=paused,
)

purchase_sync = mp.Pipeline(
    "purchases",
    name="Purchases",
    pipeline_type="events",
    connection_id=warehouse.id,
    data_model_id=orders.id,
    field_transformation_id=purchase_events.id,
    partner_feed_key=config.require_secret("feedKey"),
    sync_mode=mp.SyncModeArgs(type="incremental", iterator_field="ordered_at",
                              iterator_data_type="timestamp_ntz"),
    schedule=mp.ScheduleArgs(type="interval", frequency=frequency, start="2026-01-01T00:30:00Z"),
    environment=environment,
    paused=paused,
)

pulumi.export("connection_id", warehouse.id)
pulumi.export("connection_status", warehouse.status)
pulumi.export("data_model_ids", [active_users.id, orders.id])
pulumi.export("field_transformation_id", purchase_events.id)
pulumi.export("pipelines", {
    "users": {"id": user_sync.id, "state": user_sync.state, "status": user_sync.status},
    "purchases": {"id": purchase_sync.id, "state": purchase_sync.state, "status": purchase_sync.status},
})
