"""An events pipeline: warehouse rows become mParticle events through a field transformation.

Event pipelines need a field transformation that maps columns onto the event batch. This
one runs on demand (trigger it from the mParticle UI or the API), from a Redshift cluster.
"""

import pulumi

import pulumi_mparticle_wsync as mp

config = pulumi.Config()

redshift = mp.Connection(
    "redshift",
    name="Redshift (events)",
    redshift=mp.RedshiftConfigArgs(
        host="events.abc123.us-east-1.redshift.amazonaws.com",
        database="events",
        user="mparticle",
        password=config.require_secret("redshiftPassword"),
        aws_iam_role_arn="arn:aws:iam::123456789012:role/mparticle-redshift",
    ),
)

signups = mp.DataModel(
    "signups",
    name="Sign-ups",
    sql_query="SELECT signup_id, email, source, signed_up_at FROM events.public.signups",
)

signup_events = mp.FieldTransformation(
    "signup-events",
    name="Sign-ups as custom events",
    mappings=[
        mp.FieldMappingArgs(mapping_type="static", value="sign_up", destination="events[].data.event_name"),
        mp.FieldMappingArgs(mapping_type="static", value="custom_event", destination="events[].event_type"),
        mp.FieldMappingArgs(mapping_type="column", source="signup_id", destination="events[].data.event_id"),
        mp.FieldMappingArgs(mapping_type="column", source="source",
                            destination="events[].data.custom_attributes.source"),
        mp.FieldMappingArgs(mapping_type="column", source="email", destination="user_identities.email"),
        mp.FieldMappingArgs(mapping_type="ignore", source="signed_up_at"),
    ],
)

signup_sync = mp.Pipeline(
    "signups",
    name="Sign-up events",
    pipeline_type="events",
    connection_id=redshift.id,
    data_model_id=signups.id,
    field_transformation_id=signup_events.id,
    partner_feed_key=config.require_secret("feedKey"),
    sync_mode=mp.SyncModeArgs(type="incremental", iterator_field="signed_up_at", iterator_data_type="timestamp"),
    schedule=mp.ScheduleArgs(type="on_demand", start="2026-01-01T00:00:00Z"),
    environment="development",
)

pulumi.export("pipeline_id", signup_sync.id)
pulumi.export("field_transformation_id", signup_events.id)
