"""Every name that travels on the wire, in one place.

The contract is ``shared/spec/warehouse-sync-api.md``. Parts of it tagged **[R]** are
reconstructions that a live account may correct; every such name is defined here and
nowhere else, so a correction is a one-file change. The client encodes with these names,
the emulator serves them, and ``mparticle-wsync check-api`` compares a live workspace
against them. User-facing (Pulumi) names are ours and live in ``models/``.

Tags in comments: [C] confirmed for v2, [v1] from the earlier version, [R] reconstructed.
"""

from __future__ import annotations

from typing import Final

# --- Hosts and auth (spec §1) -------------------------------------------------------------
DEFAULT_API_URL: Final = "https://api.mparticle.com"  # [C]
DEFAULT_AUTH_URL: Final = "https://sso.auth.mparticle.com"  # [C]
TOKEN_PATH: Final = "/oauth/token"  # [C]
TOKEN_AUDIENCE: Final = "https://api.mparticle.com"  # [C]
TOKEN_GRANT_TYPE: Final = "client_credentials"  # [C]
WORKSPACE_PATH: Final = "/platform/v2/workspaces/{workspace_id}"  # [C]

# --- Collections (spec §3-§6) -------------------------------------------------------------
CONNECTIONS: Final = "connections"  # [C]
DATA_MODELS: Final = "data-models"  # [v1]
FIELD_TRANSFORMATIONS: Final = "transformations"  # [R] path
PIPELINES: Final = "pipelines"  # [v1]
COLLECTIONS: Final = (CONNECTIONS, DATA_MODELS, FIELD_TRANSFORMATIONS, PIPELINES)

# Runs (spec §7)
TRIGGER: Final = "trigger"  # [R] path: POST /pipelines/{id}/trigger
STATUS: Final = "status"  # [v1]: GET /pipelines/{id}/status
RUNS: Final = "status/runs"  # [v1]: GET /pipelines/{id}/status/runs[/{runId}]
TRIGGER_REQUESTED: Final = "trigger_requested"  # [v1]
RUN_STATUSES: Final = ("triggered", "queued", "running", "success", "failed")  # [v1]
RUN_TYPES: Final = ("scheduled", "manual")  # [v1]

# --- Common fields (spec §2) --------------------------------------------------------------
ID: Final = "id"
NAME: Final = "name"
STATE: Final = "state"
STATUS_FIELD: Final = "status"
ERRORS: Final = "errors"
CREATED_ON: Final = "created_on"
CREATED_BY: Final = "created_by"
LAST_MODIFIED_ON: Final = "last_modified_on"
LAST_MODIFIED_BY: Final = "last_modified_by"
SERVER_FIELDS: Final = (STATUS_FIELD, ERRORS, CREATED_ON, CREATED_BY, LAST_MODIFIED_ON, LAST_MODIFIED_BY)
MASKED_SECRET: Final = "************"  # [v1] v2 omits the key instead [C]
ID_MAX_LENGTH: Final = 64  # [R]
ID_PATTERN: Final = r"^[A-Za-z0-9_-]{1,64}$"  # [v1]/[C]

# Error body (spec §2) [v1]
ERROR_STATUS_CODE: Final = "statusCode"
ERROR_LIST: Final = "errors"
ERROR_MESSAGE: Final = "message"

# Rate limiting [C]
RETRY_AFTER_HEADER: Final = "Retry-After"
RATE_LIMIT_HEADER: Final = "X-mp-rate-limit-exceeded"

# --- Connections (spec §3) ----------------------------------------------------------------
SERVICE_PROVIDER: Final = "service_provider"  # [C]; compare case-insensitively
SERVICE_PROVIDER_PARAM: Final = "serviceProvider"  # [C] GET /connections?serviceProvider=<provider>
CONFIG: Final = "config"  # [C]
CONNECTION_STATES: Final = ("active", "inactive")  # [C] values a client may send
CONNECTION_SERVER_STATES: Final = ("active", "inactive", "new")  # [R] who sets "new"
CONNECTION_STATUSES: Final = ("healthy", "faulted")  # [C] healthy, [R] faulted

SNOWFLAKE: Final = "snowflake"
BIGQUERY: Final = "bigquery"
REDSHIFT: Final = "redshift"
DATABRICKS: Final = "databricks"
SERVICE_PROVIDERS: Final = (SNOWFLAKE, BIGQUERY, REDSHIFT, DATABRICKS)

# Per provider: (required config keys, optional config keys, secret keys). All strings
# unless listed in CONFIG_INTEGER_KEYS.
CONFIG_REQUIRED: Final[dict[str, tuple[str, ...]]] = {
    SNOWFLAKE: (  # [C]
        "account_identifier", "region", "warehouse", "database", "role", "user", "password",
        "storage_integration",
    ),
    BIGQUERY: ("region", "project_id", "dataset_id", "service_account_id", "service_account_key"),  # [v1]/[R]
    REDSHIFT: ("host", "database", "user", "password", "aws_iam_role_arn"),  # [C]/[R]
    DATABRICKS: ("provider", "catalog", "schema"),  # [R]
}
CONFIG_OPTIONAL: Final[dict[str, tuple[str, ...]]] = {
    SNOWFLAKE: ("aws_iam_user_arn", "aws_external_id"),  # [R] server fills them in when absent
    BIGQUERY: (),
    REDSHIFT: ("port",),  # [R] integer, default 5439
    DATABRICKS: (),
}
CONFIG_SERVER_FILLED: Final[dict[str, tuple[str, ...]]] = {
    SNOWFLAKE: ("aws_iam_user_arn", "aws_external_id"),  # [R]
    BIGQUERY: (),
    REDSHIFT: ("port",),
    DATABRICKS: (),
}
CONFIG_SECRETS: Final[dict[str, tuple[str, ...]]] = {
    SNOWFLAKE: ("password",),
    BIGQUERY: ("service_account_key",),
    REDSHIFT: ("password",),
    DATABRICKS: (),
}
CONFIG_INTEGER_KEYS: Final = frozenset({"port"})
REDSHIFT_DEFAULT_PORT: Final = 5439  # [R]

# --- Data models (spec §4) ----------------------------------------------------------------
DATA_MODEL_TYPE: Final = "type"  # [v1]
DATA_MODEL_TYPE_SQL: Final = "sql"  # [v1]
SQL_QUERY: Final = "sql_query"  # [R] placement: inside CONFIG (top level in v1)
DATA_MODEL_STATES: Final = ("active", "inactive")  # [R]

# --- Field transformations (spec §5) ------------------------------------------------------
DESTINATION_TYPE: Final = "destination_type"  # [C]
DESTINATION_TYPE_EVENT_BATCH: Final = "event_batch"  # [C]
MAPPINGS: Final = "mappings"  # [C]
MAPPING_TYPE: Final = "mapping_type"  # [C]
MAPPING_SOURCE: Final = "source"  # [C]
MAPPING_DESTINATION: Final = "destination"  # [C]
MAPPING_VALUE: Final = "value"  # [C]
MAPPING_TYPES: Final = ("column", "static", "ignore")  # [C]

# --- Pipelines (spec §6) ------------------------------------------------------------------
PIPELINE_TYPE: Final = "pipeline_type"  # [R]
PIPELINE_TYPES: Final = ("user_attributes", "events")  # [R]
CONNECTION_ID: Final = "connection_id"  # [v1]
DATA_MODEL_ID: Final = "data_model_id"  # [v1]
FIELD_TRANSFORMATION_ID: Final = "field_transformation_id"  # [R] name
PIPELINE_REFERENCES: Final = (
    (CONNECTION_ID, CONNECTIONS),
    (DATA_MODEL_ID, DATA_MODELS),
    (FIELD_TRANSFORMATION_ID, FIELD_TRANSFORMATIONS),
)
"""A pipeline's fields naming another object of its workspace, and that object's collection."""
PARTNER_FEED_ID: Final = "partner_feed_id"  # [v1]
PARTNER_FEED_KEY: Final = "partner_feed_key"  # [v1] secret
PIPELINE_STATES: Final = ("active", "paused")  # [C] paused
PIPELINE_STATE_ACTIVE: Final = "active"
PIPELINE_STATE_PAUSED: Final = "paused"
ENVIRONMENT: Final = "environment"  # [v1]
ENVIRONMENTS: Final = ("development", "production")  # [v1]
DATA_PLAN_ID: Final = "data_plan_id"  # [R]
DATA_PLAN_VERSION: Final = "data_plan_version"  # [R]

SYNC_MODE: Final = "sync_mode"
SYNC_MODE_TYPE: Final = "type"
SYNC_MODE_TYPES: Final = ("full", "incremental")  # [C] incremental, [R] full
SYNC_ITERATOR_FIELD: Final = "iterator_field"  # [R]
SYNC_ITERATOR_DATA_TYPE: Final = "iterator_data_type"  # [v1]
ITERATOR_DATA_TYPES: Final = (  # [v1]
    "timestamp", "timestamp_ltz", "timestamp_ntz", "timestamp_tz", "datetime", "date",
    "timestamp_unixtime_ms", "timestamp_unixtime_s",
)
SYNC_FROM: Final = "from"  # [R] placement
SYNC_UNTIL: Final = "until"  # [R] placement

SCHEDULE: Final = "schedule"
SCHEDULE_TYPE: Final = "type"
SCHEDULE_TYPES: Final = ("interval", "once", "on_demand")  # [R] names
SCHEDULE_INTERVAL: Final = "interval"
SCHEDULE_ONCE: Final = "once"
SCHEDULE_ON_DEMAND: Final = "on_demand"
SCHEDULE_FREQUENCY: Final = "frequency"
FREQUENCIES: Final = ("hourly", "daily", "weekly", "monthly")  # [v1]
SCHEDULE_START: Final = "start"  # [v1]
SCHEDULE_END: Final = "end"  # [v1]

MAX_ACTIVE_PIPELINES: Final = 5  # [C]

# Secret fields per collection, as (path within the body). Write-only on the wire.
PIPELINE_SECRETS: Final = (PARTNER_FEED_KEY,)

# --- The [R] choices where two behaviours are plausible (spec §8) ---------------------------
# The client accepts both forms of each; the emulator can be switched between them.
SECRET_MODE_OMIT: Final = "omit"  # [C] v2 observed
SECRET_MODE_MASK: Final = "mask"  # [v1]
PROVIDER_CASE_LOWER: Final = "lower"
PROVIDER_CASE_CAPITALISED: Final = "capitalised"
DUPLICATE_ID_409: Final = 409
DUPLICATE_ID_400: Final = 400
DUPLICATE_ID_MESSAGE_FRAGMENT: Final = "already exists"  # a 400 naming a duplicate id says this

# --- Token request and answer (spec §1) [C] -------------------------------------------------
TOKEN_CLIENT_ID: Final = "client_id"
TOKEN_CLIENT_SECRET: Final = "client_secret"
TOKEN_AUDIENCE_FIELD: Final = "audience"
TOKEN_GRANT_TYPE_FIELD: Final = "grant_type"
TOKEN_ACCESS_TOKEN: Final = "access_token"
TOKEN_EXPIRES_IN: Final = "expires_in"
TOKEN_TYPE: Final = "token_type"
TOKEN_TYPE_BEARER: Final = "Bearer"
TOKEN_LIFETIME_SECONDS: Final = 28800  # [C] 8 hours

# --- Server timestamps (spec §2): ISO 8601 UTC with milliseconds and Z ----------------------
SERVER_TIMESTAMP_PATTERN: Final = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"  # [C] connections, [R] rest

# --- Runs (spec §7) [v1] --------------------------------------------------------------------
RUNS_PAGE_PARAM: Final = "currentPage"
RUNS_PAGE_SIZE_PARAM: Final = "pageSize"
RUNS_START_DATE_PARAM: Final = "startDate"
RUNS_END_DATE_PARAM: Final = "endDate"
RUNS_ITEMS: Final = "items"
PIPELINE_ID: Final = "pipeline_id"
LATEST_PIPELINE_RUN: Final = "latest_pipeline_run"
PIPELINE_RUN_ID: Final = "pipeline_run_id"
RUN_LOGICAL_DATE: Final = "logical_date"
RUN_START_DATE: Final = "start_date"
RUN_END_DATE: Final = "end_date"
RUN_DATA_INTERVAL_START: Final = "data_interval_start"
RUN_DATA_INTERVAL_END: Final = "data_interval_end"
PIPELINE_RUN_TYPE: Final = "pipeline_run_type"
RUN_RECORDS_EXTRACTED: Final = "records_extracted"
RUN_RECORDS_MAPPED: Final = "records_mapped"
RUN_EVENT_BATCHES_GENERATED: Final = "event_batches_generated"
RUN_ACTIVE_STATUSES: Final = ("triggered", "queued", "running")  # a trigger is refused while one is active
