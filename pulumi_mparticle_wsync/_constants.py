"""Defaults and tunables of the HTTP client, in one place.

Wire names (paths, fields, enums) are not here: they live in ``wire.py``. This module holds
our own choices: retry policy, timeouts, token refresh skew, and the names of the Pulumi
config keys and environment variables the provider reads its settings from.
"""

from __future__ import annotations

from typing import Final

from . import __version__, wire

PACKAGE_NAME: Final = "pulumi-mparticle-wsync"
USER_AGENT: Final = f"{PACKAGE_NAME}/{__version__}"

# --- Retries: one budget per logical call, the token requests it needs included ----------
DEFAULT_MAX_ATTEMPTS: Final = 5
"""Attempts per logical call, the first one included (a token request is part of an attempt)."""
DEFAULT_MAX_RETRY_WAIT: Final = 60.0
"""Total seconds a logical call may spend sleeping between attempts."""
DEFAULT_TIMEOUT: Final = 30.0
"""Seconds for each of connect, read, write and pool acquisition of one HTTP exchange."""

RETRY_BASE_DELAY: Final = 0.5
RETRY_BACKOFF_FACTOR: Final = 2.0
RETRY_MAX_DELAY: Final = 8.0
"""Cap of one backoff sleep; the sleep is drawn uniformly from [0, capped exponential] (full jitter)."""
RETRYABLE_STATUS_CODES: Final = frozenset({429, 500, 502, 503, 504})

# --- Tokens --------------------------------------------------------------------------------
TOKEN_REFRESH_SKEW_SECONDS: Final = 300.0
TOKEN_REFRESH_SKEW_FRACTION: Final = 0.1
"""A token is renewed this long before it expires: the smaller of the two skews."""
TOKEN_DEFAULT_LIFETIME_SECONDS: Final = 3600.0
"""Assumed when a token answer has no usable ``expires_in`` (mParticle documents 8 hours)."""

# --- Settings: Pulumi config keys and their environment fallbacks -------------------------
CONFIG_CLIENT_ID: Final = "mparticle:clientId"
CONFIG_CLIENT_SECRET: Final = "mparticle:clientSecret"
CONFIG_WORKSPACE_ID: Final = "mparticle:workspaceId"
CONFIG_API_URL: Final = "mparticle:apiUrl"
CONFIG_AUTH_URL: Final = "mparticle:authUrl"
CONFIG_MAX_ATTEMPTS: Final = "mparticle:maxAttempts"
CONFIG_MAX_RETRY_WAIT: Final = "mparticle:maxRetryWait"
CONFIG_TIMEOUT: Final = "mparticle:timeout"

ENV_VARS: Final[dict[str, str]] = {
    CONFIG_CLIENT_ID: "MPARTICLE_CLIENT_ID",
    CONFIG_CLIENT_SECRET: "MPARTICLE_CLIENT_SECRET",
    CONFIG_WORKSPACE_ID: "MPARTICLE_WORKSPACE_ID",
    CONFIG_API_URL: "MPARTICLE_API_URL",
    CONFIG_AUTH_URL: "MPARTICLE_AUTH_URL",
    CONFIG_MAX_ATTEMPTS: "MPARTICLE_MAX_ATTEMPTS",
    CONFIG_MAX_RETRY_WAIT: "MPARTICLE_MAX_RETRY_WAIT",
    CONFIG_TIMEOUT: "MPARTICLE_TIMEOUT",
}
SECRET_CONFIG_KEYS: Final = frozenset({CONFIG_CLIENT_SECRET})

DEFAULT_API_URL: Final = wire.DEFAULT_API_URL
DEFAULT_AUTH_URL: Final = wire.DEFAULT_AUTH_URL
