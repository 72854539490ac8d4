"""The Pulumi dynamic resources and their argument classes."""

from .account import Account
from .connection import (
    BigQueryConfigArgs,
    Connection,
    ConnectionProvider,
    DatabricksConfigArgs,
    RedshiftConfigArgs,
    SnowflakeConfigArgs,
)
from .data_model import DataModel, DataModelProvider
from .errors import (
    DeleteRefusedError,
    DuplicateIdError,
    InvalidArgumentsError,
    ObjectDeletedError,
    ObjectNotFoundError,
    OperationError,
    ResourceError,
)
from .field_transformation import FieldMappingArgs, FieldTransformation, FieldTransformationProvider
from .pipeline import Pipeline, PipelineProvider, ScheduleArgs, SyncModeArgs
from .pipeline_run import PipelineRun, PipelineRunProvider

__all__ = [
    "Account",
    "BigQueryConfigArgs",
    "Connection",
    "ConnectionProvider",
    "DataModel",
    "DataModelProvider",
    "DatabricksConfigArgs",
    "DeleteRefusedError",
    "DuplicateIdError",
    "FieldMappingArgs",
    "FieldTransformation",
    "FieldTransformationProvider",
    "InvalidArgumentsError",
    "ObjectDeletedError",
    "ObjectNotFoundError",
    "OperationError",
    "Pipeline",
    "PipelineProvider",
    "PipelineRun",
    "PipelineRunProvider",
    "RedshiftConfigArgs",
    "ResourceError",
    "ScheduleArgs",
    "SnowflakeConfigArgs",
    "SyncModeArgs",
]
