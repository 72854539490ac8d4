"""Pulumi dynamic providers for mParticle Warehouse Sync.

    import pulumi_mparticle_wsync as mp

    conn = mp.Connection("warehouse", name="Analytics warehouse", snowflake=mp.SnowflakeConfigArgs(...))
    model = mp.DataModel("active-users", name="Active users", sql_query="SELECT email, plan FROM db.s.users")
    pipe = mp.Pipeline("users-hourly", ..., connection_id=conn.id, data_model_id=model.id)

The resource classes load on first use, so the emulator and the ``mparticle-wsync`` command do
not pay for importing the Pulumi SDK; the provider process loads the HTTP client on its first
API call.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .lookups import (
        ConnectionInfo,
        DataModelInfo,
        FieldTransformationInfo,
        PipelineInfo,
        PipelineStatusInfo,
        RunInfo,
        get_connection,
        get_data_model,
        get_field_transformation,
        get_pipeline,
        get_pipeline_status,
        list_pipelines,
    )
    from .resources import (
        Account,
        BigQueryConfigArgs,
        Connection,
        DatabricksConfigArgs,
        DataModel,
        FieldMappingArgs,
        FieldTransformation,
        Pipeline,
        PipelineRun,
        RedshiftConfigArgs,
        ScheduleArgs,
        SnowflakeConfigArgs,
        SyncModeArgs,
    )

__version__ = "0.1.0"
"""The package version: the one place it is written (pyproject.toml reads it; so does the User-Agent)."""

_LOOKUPS = (
    "ConnectionInfo",
    "DataModelInfo",
    "FieldTransformationInfo",
    "PipelineInfo",
    "PipelineStatusInfo",
    "RunInfo",
    "get_connection",
    "get_data_model",
    "get_field_transformation",
    "get_pipeline",
    "get_pipeline_status",
    "list_pipelines",
)
"""The names of ``lookups``: functions that read objects for programs that only need their values."""

__all__ = [
    "Account",
    "BigQueryConfigArgs",
    "Connection",
    "ConnectionInfo",
    "DataModel",
    "DataModelInfo",
    "DatabricksConfigArgs",
    "FieldMappingArgs",
    "FieldTransformation",
    "FieldTransformationInfo",
    "Pipeline",
    "PipelineInfo",
    "PipelineRun",
    "PipelineStatusInfo",
    "RedshiftConfigArgs",
    "RunInfo",
    "ScheduleArgs",
    "SnowflakeConfigArgs",
    "SyncModeArgs",
    "get_connection",
    "get_data_model",
    "get_field_transformation",
    "get_pipeline",
    "get_pipeline_status",
    "list_pipelines",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        module = ".lookups" if name in _LOOKUPS else ".resources"
        value = getattr(import_module(module, __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
