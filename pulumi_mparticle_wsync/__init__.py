"""Pulumi dynamic providers for mParticle Warehouse Sync.

    import pulumi_mparticle_wsync as mp

    conn = mp.Connection("warehouse", name="Analytics warehouse", snowflake=mp.SnowflakeConfigArgs(...))
    model = mp.DataModel("active-users", name="Active users", sql_query="SELECT email, plan FROM db.s.users")
    pipe = mp.Pipeline("users-hourly", ..., connection_id=conn.id, data_model_id=model.id)

Importing this package loads neither the HTTP client nor the emulator; the provider process
loads the client on its first API call.
"""

from .resources import (
    BigQueryConfigArgs,
    Connection,
    DatabricksConfigArgs,
    DataModel,
    FieldMappingArgs,
    FieldTransformation,
    Pipeline,
    RedshiftConfigArgs,
    ScheduleArgs,
    SnowflakeConfigArgs,
    SyncModeArgs,
)

__all__ = [
    "BigQueryConfigArgs",
    "Connection",
    "DataModel",
    "DatabricksConfigArgs",
    "FieldMappingArgs",
    "FieldTransformation",
    "Pipeline",
    "RedshiftConfigArgs",
    "ScheduleArgs",
    "SnowflakeConfigArgs",
    "SyncModeArgs",
]
