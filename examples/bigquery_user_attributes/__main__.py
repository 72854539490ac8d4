"""BigQuery → mParticle user attributes, as a daily full sync.

The service-account key is the whole JSON key file; keep it in stack config as a secret:
``pulumi config set --secret serviceAccountKey "$(cat key.json)"``.
"""

import pulumi

import pulumi_mparticle_wsync as mp

config = pulumi.Config()

bigquery = mp.Connection(
    "bigquery",
    name="BigQuery (marketing)",
    bigquery=mp.BigQueryConfigArgs(
        region="us-east4",
        project_id="acme-marketing",
        dataset_id="crm",
        service_account_id="mparticle-sync@acme-marketing.iam.gserviceaccount.com",
        service_account_key=config.require_secret("serviceAccountKey"),
    ),
)

profiles = mp.DataModel(
    "crm-profiles",
    name="CRM profiles",
    sql_query="SELECT customer_id, email, loyalty_tier, last_seen FROM `acme-marketing.crm.profiles`",
)

mp.Pipeline(
    "crm-profiles-daily",
    name="CRM profiles, daily",
    pipeline_type="user_attributes",
    connection_id=bigquery.id,
    data_model_id=profiles.id,
    partner_feed_id=config.require_int("partnerFeedId"),
    sync_mode=mp.SyncModeArgs(type="full"),
    schedule=mp.ScheduleArgs(type="interval", frequency="daily", start="2026-01-01T02:00:00Z"),
    environment="production",
)

pulumi.export("connection_id", bigquery.id)
pulumi.export("data_model_id", profiles.id)
