"""The names that travel on the wire besides the resources' fields, in one place.

The contract is ``shared/spec/warehouse-sync-api.md``. Parts of it tagged **[R]** are
reconstructions that a live account may correct; every such name is defined here (a resource
field's, with its tag, in that resource's ``schema/`` module) and nowhere else, so a correction is
a one-line change. The client encodes with these names, the emulator serves them, and
``mparticle-wsync check-api`` compares a live workspace against them.

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

# Runs (spec §7): the paths. Names of a run's fields are at the end of this module.
TRIGGER: Final = "trigger"  # [R] path: POST /pipelines/{id}/trigger, tried first
TRIGGER_BARE: Final = ""  # [R] path: POST /pipelines/{id} with no body (the v1 text; possibly a slip)
TRIGGER_PATHS: Final = (TRIGGER, TRIGGER_BARE)  # in the order a client tries them
STATUS: Final = "status"  # [v1]: GET /pipelines/{id}/status
RUNS: Final = "status/runs"  # [v1]: GET /pipelines/{id}/status/runs; [R] /status/runs/{runId}

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
CONNECTION_STATUSES: Final = ("healthy", "faulted")  # [C] healthy, [R] faulted

# The fields of each resource -- names, wire names, enum values, secrets, server-filled values
# and their tags -- are declared once, in ``schema/`` (one module per resource).

MAX_ACTIVE_PIPELINES: Final = 5  # [C]

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

# --- Runs (spec §7) ------------------------------------------------------------------------
# v2's shapes are unknown. Where v1 and our earlier guess differ, a client reads both spellings
# (v1 first) and the emulator serves the v1 one unless switched.
RUNS_PAGE_PARAM: Final = "currentPage"  # [v1]
RUNS_PAGE_SIZE_PARAM: Final = "pageSize"  # [v1]
RUNS_START_DATE_PARAM: Final = "startDate"  # [v1] filters on logical_date
RUNS_END_DATE_PARAM: Final = "endDate"  # [v1]
RUNS_ITEMS: Final = "items"  # [v1]
TRIGGER_REQUESTED: Final = "trigger_requested"  # [v1] the trigger answer's "status"
ALREADY_IN_PROGRESS_FRAGMENT: Final = "already in progress"  # [v1] the 400 of a trigger while a run is active

# A run.
PIPELINE_RUN_ID: Final = "pipeline_run_id"  # [v1] an integer
RUN_PIPELINE_ID: Final = "id"  # [v1] the pipeline's id, not the run's
RUN_PIPELINE_ID_GUESS: Final = "pipeline_id"  # [R] our earlier spelling
RUN_STATE: Final = "pipeline_run_state"  # [v1]
RUN_STATE_GUESS: Final = "status"  # [R] our earlier spelling
RUN_WORKSPACE_ID: Final = "workspace_id"  # [v1]
RUN_LOGICAL_DATE: Final = "logical_date"  # [v1]
RUN_START_DATE: Final = "start_date"  # [v1]
RUN_END_DATE: Final = "end_date"  # [v1] null while running
RUN_DATA_INTERVAL_START: Final = "data_interval_start"  # [v1]
RUN_DATA_INTERVAL_END: Final = "data_interval_end"  # [v1]
PIPELINE_RUN_TYPE: Final = "pipeline_run_type"  # [v1]
RUN_IS_EXTERNALLY_TRIGGERED: Final = "is_externally_triggered"  # [v1]
RUN_RECORDS_EXTRACTED: Final = "records_extracted"  # [v1] a number, or null before counted ("string" in v1's table)
RUN_RECORDS_MAPPED: Final = "records_mapped"  # [v1]
RUN_EVENT_BATCHES_GENERATED: Final = "event_batches_generated"  # [v1]
RUN_TRIGGERED, RUN_QUEUED, RUN_RUNNING, RUN_DATASET_TRIGGERED, RUN_SUCCESS, RUN_FAILED = (
    "triggered", "queued", "running", "dataset_triggered", "success", "failed"
)  # [v1]; success and failed from v1's examples
RUN_STATES: Final = (RUN_TRIGGERED, RUN_QUEUED, RUN_RUNNING, RUN_DATASET_TRIGGERED, RUN_SUCCESS, RUN_FAILED)
RUN_ACTIVE_STATES: Final = (RUN_TRIGGERED, RUN_QUEUED, RUN_RUNNING, RUN_DATASET_TRIGGERED)  # a trigger is refused
RUN_TYPE_SCHEDULED, RUN_TYPE_MANUAL = "scheduled", "manual"  # [v1]
RUN_TYPES: Final = (RUN_TYPE_SCHEDULED, RUN_TYPE_MANUAL)

# A pipeline's status answer: v1's flags, or our earlier guess's status and state.
PIPELINE_ID: Final = "pipeline_id"  # [v1]
STATUS_WORKSPACE_ID: Final = "workspace_id"  # [v1]
STATUS_IS_ACTIVE: Final = "is_active"  # [v1]
STATUS_IS_FAULTED: Final = "is_faulted"  # [v1]
STATUS_IS_CONNECTION_ACTIVE: Final = "is_connection_active"  # [v1]
STATUS_IS_CONNECTION_FAULTED: Final = "is_connection_faulted"  # [v1]
STATUS_FLAGS: Final = (STATUS_IS_ACTIVE, STATUS_IS_FAULTED, STATUS_IS_CONNECTION_ACTIVE, STATUS_IS_CONNECTION_FAULTED)
STATUS_STATUS_GUESS: Final = "status"  # [R] our earlier guess: the pipeline's status
STATUS_STATE_GUESS: Final = "state"  # [R] our earlier guess: active or paused
LATEST_PIPELINE_RUN: Final = "latest_pipeline_run"  # [v1] a run, or null

# The emulator's run switches (spec §8), one per [R] choice above.
TRIGGER_PATH_SUFFIX: Final = "trigger"  # POST /pipelines/{id}/trigger
TRIGGER_PATH_BARE: Final = "bare"  # POST /pipelines/{id}
RUN_SPELLING_V1: Final = "v1"  # id, pipeline_run_state
RUN_SPELLING_GUESS: Final = "guess"  # pipeline_id, status
STATUS_SHAPE_V1: Final = "v1"  # is_* flags
STATUS_SHAPE_GUESS: Final = "guess"  # status, state
