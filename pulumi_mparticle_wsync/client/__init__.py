"""HTTP client of the mParticle Warehouse Sync API v2.

    settings = load_settings(lookup)          # Pulumi config, then MPARTICLE_* environment variables
    client = get_client(settings)             # one per process and settings; one token per credential
    client.create(wire.CONNECTIONS, {"id": "warehouse", ...})

Every request goes through one retry loop (``_retry``); errors form one tree (``errors``).
"""

from ._auth import TokenCache
from ._client import WarehouseSyncClient, clear_client_cache, get_client
from ._listing import Listing
from ._matching import differences
from ._retry import RetryPolicy, Timing
from ._routes import RouteProbe, forget_learned_routes
from ._settings import (
    ClientSettings,
    Tuning,
    load_settings,
    load_tuning,
    missing_workspace_error,
    setting_source,
)
from .errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RunInProgressError,
    ServerError,
    StatusNotReadyError,
    TransportError,
    UnconfirmedNotFoundError,
    WarehouseSyncError,
)
from .runs import PipelineStatus, Run, TriggerAnswer, parse_run, parse_runs, parse_status, parse_trigger

__all__ = [
    "APIError",
    "AuthenticationError",
    "BadRequestError",
    "ClientSettings",
    "ConfigurationError",
    "ConflictError",
    "Listing",
    "NotFoundError",
    "PermissionDeniedError",
    "PipelineStatus",
    "RateLimitError",
    "RetryPolicy",
    "RouteProbe",
    "Run",
    "RunInProgressError",
    "ServerError",
    "StatusNotReadyError",
    "Timing",
    "TokenCache",
    "TransportError",
    "TriggerAnswer",
    "Tuning",
    "UnconfirmedNotFoundError",
    "WarehouseSyncClient",
    "WarehouseSyncError",
    "clear_client_cache",
    "differences",
    "forget_learned_routes",
    "get_client",
    "load_settings",
    "load_tuning",
    "missing_workspace_error",
    "parse_run",
    "parse_runs",
    "parse_status",
    "parse_trigger",
    "setting_source",
]
