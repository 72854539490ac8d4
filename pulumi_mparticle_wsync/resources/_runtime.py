"""Provider-process state: where the settings come from, the settings, and the client they lead to.

The provider object is pickled into the Pulumi state, so it holds nothing; settings live
here, in the provider process, for the life of that process. ``configure`` never fails and
reads nothing: the settings are read at the first call that needs the API, so ``check`` and
``diff`` (all that a preview calls) work offline and never load the HTTP client, which saves
a preview the client's import (httpx and friends). A missing setting is reported by that
first API call, with the message naming the config key and environment variable.

A resource given an ``Account`` brings its own credentials, URLs and workspace (``account_settings``):
only the numeric settings (retries, timeouts) come from the stack's config then, so a stack whose
every resource has an account needs no ``mparticle:clientId`` at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .. import state_layout as layout
from .errors import InvalidArgumentsError, with_pulumi_advice_error

if TYPE_CHECKING:
    from ..client import ClientSettings, ConfigurationError, Tuning, WarehouseSyncClient

Lookup = Callable[[str], Any]

_lock = threading.Lock()
_lookup: Lookup | None = None
_loaded: ClientSettings | ConfigurationError | None = None
_tuning: Tuning | ConfigurationError | None = None


def configure(lookup: Lookup) -> None:
    """Remember ``lookup`` (``req.config.get``); the settings are read through it when first needed."""
    global _lookup, _loaded, _tuning
    with _lock:
        _lookup = lookup
        _loaded = None
        _tuning = None


def _as_text(lookup: Lookup) -> Callable[[str], str | None]:
    def as_text(key: str) -> str | None:
        value = lookup(key)
        return None if value is None else str(value)

    return as_text


def _load(lookup: Lookup) -> ClientSettings | ConfigurationError:
    """Read the settings through ``lookup``, environment as fallback; a problem is returned, not raised."""
    from ..client import ConfigurationError, load_settings

    try:
        return load_settings(_as_text(lookup))
    except ConfigurationError as exc:
        return exc


def settings() -> ClientSettings:
    """The configured settings; raises ``ConfigurationError`` naming what to set."""
    from ..client import ConfigurationError

    global _loaded
    with _lock:
        if _loaded is None:  # without configure() only the environment can help
            _loaded = _load(_lookup or (lambda _key: None))
        current = _loaded
    if isinstance(current, ConfigurationError):
        raise with_pulumi_advice_error(current)
    return current


def configured_workspace() -> str | None:
    """``mparticle:workspaceId`` (else ``MPARTICLE_WORKSPACE_ID``) as it is now, without the other settings.

    ``diff`` needs it offline, where credentials may be missing: it decides where a resource
    without a ``workspace_id`` argument belongs.
    """
    from .. import _constants as c
    from .._setting_lookup import setting_value
    from ..models import canonical_workspace_id

    with _lock:
        lookup = _lookup
    return canonical_workspace_id(setting_value(lookup, c.CONFIG_WORKSPACE_ID))


def configured_api_url() -> str:
    """``mparticle:apiUrl`` (else ``MPARTICLE_API_URL``, else the default) as it is now, normalised; offline."""
    from .. import _constants as c
    from .._setting_lookup import setting_value
    from .._urls import normalised_api_url

    with _lock:
        lookup = _lookup
    return normalised_api_url(setting_value(lookup, c.CONFIG_API_URL) or c.DEFAULT_API_URL)


def configured_client_id() -> str | None:
    """``mparticle:clientId`` (else ``MPARTICLE_CLIENT_ID``) as it is now; offline."""
    from .. import _constants as c
    from .._setting_lookup import setting_value

    with _lock:
        lookup = _lookup
    return setting_value(lookup, c.CONFIG_CLIENT_ID)


def tuning() -> Tuning:
    """The numeric settings (retries, timeouts) of the stack's config, for a resource's own account."""
    from ..client import ConfigurationError, load_tuning

    global _tuning
    with _lock:
        if _tuning is None:
            try:
                _tuning = load_tuning(_as_text(_lookup or (lambda _key: None)))
            except ConfigurationError as exc:
                _tuning = exc
        current = _tuning
    if isinstance(current, ConfigurationError):
        raise with_pulumi_advice_error(current)
    return current


def account_settings(account: Mapping[str, Any]) -> ClientSettings:
    """The client settings of a resource's ``account``: its credentials, URLs and workspace, the
    stack's numeric settings. Defaults are mParticle's URLs, never the stack's ``mparticle:apiUrl``."""
    from .. import _constants as c
    from ..client import ClientSettings
    from ..models import account_problems, canonical_workspace_id

    problems = account_problems(account)
    if problems:
        listed = "; ".join(f"{problem.path}: {problem.reason}" for problem in problems)
        raise InvalidArgumentsError(f"invalid account: {listed}")
    numbers = tuning()
    return ClientSettings(
        client_id=str(account[layout.ACCOUNT_CLIENT_ID]),
        client_secret=str(account[layout.ACCOUNT_CLIENT_SECRET]),
        workspace_id=canonical_workspace_id(account.get(layout.ACCOUNT_WORKSPACE_ID)),
        api_url=str(account.get(layout.ACCOUNT_API_URL) or c.DEFAULT_API_URL),
        auth_url=str(account.get(layout.ACCOUNT_AUTH_URL) or c.DEFAULT_AUTH_URL),
        max_attempts=numbers.max_attempts,
        max_retry_wait=numbers.max_retry_wait,
        timeout=numbers.timeout,
    )


def client(account: Mapping[str, Any] | None = None) -> WarehouseSyncClient:
    """The client of ``account``, else of the provider's settings (one per settings: accounts stay apart)."""
    from ..client import get_client

    return get_client(settings() if account is None else account_settings(account))
