"""An on-demand pipeline and a backfill run that `pulumi up` starts and waits for.

The pipeline has no schedule: it runs when triggered. `PipelineRun` triggers it once when it is
created, and again whenever one of its `triggers` changes: here the data model's SQL and a date
to bump by hand when you want another backfill. With `wait=True`, `pulumi up` waits for the run
and fails if the run fails (the next `pulumi up` then starts a new one).
"""

import pulumi

import pulumi_mparticle_wsync as mp

config = pulumi.Config()

warehouse = mp.Connection(
    "warehouse",
    name="Snowflake (backfills)",
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

customers = mp.DataModel(
    "customers",
    name="Customers",
    sql_query="SELECT customer_id, email, plan, updated_at FROM analytics.crm.customers",
)

backfill_pipeline = mp.Pipeline(
    "customers-on-demand",
    name="Customers (on demand)",
    pipeline_type="user_attributes",
    connection_id=warehouse.id,
    data_model_id=customers.id,
    partner_feed_key=config.require_secret("feedKey"),
    sync_mode=mp.SyncModeArgs(type="full"),
    schedule=mp.ScheduleArgs(type="on_demand", start="2026-01-01T00:00:00Z"),
    environment="development",
)

backfill = mp.PipelineRun(
    "customers-backfill",
    pipeline_id=backfill_pipeline.id,
    triggers=[customers.sql_query, config.get("backfillDate") or "2026-12-01"],
    wait=True,
    timeout_minutes=30,
)

pulumi.export("pipeline_id", backfill_pipeline.id)
pulumi.export("run_id", backfill.run_id)
pulumi.export("run_state", backfill.state)
pulumi.export("rows", backfill.records_extracted)
