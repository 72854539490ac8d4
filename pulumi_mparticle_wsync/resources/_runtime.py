"""Provider-process state: where the settings come from, the settings, and the client they lead to.

The provider object is pickled into the Pulumi state, so it holds nothing; settings live
here, in the provider process, for the life of that process. ``configure`` never fails and
reads nothing: the settings are read at the first call that needs the API, so ``check`` and
``diff`` (all that a preview calls) work offline and never load the HTTP client, which saves
a preview the client's import (httpx and friends). A missing setting is reported by that
first API call, with the message naming the config key and environment variable.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .errors import with_pulumi_advice_error

if TYPE_CHECKING:
    from ..client import ClientSettings, ConfigurationError, WarehouseSyncClient

Lookup = Callable[[str], Any]

_lock = threading.Lock()
_lookup: Lookup | None = None
_loaded: ClientSettings | ConfigurationError | None = None


def configure(lookup: Lookup) -> None:
    """Remember ``lookup`` (``req.config.get``); the settings are read through it when first needed."""
    global _lookup, _loaded
    with _lock:
        _lookup = lookup
        _loaded = None


def _load(lookup: Lookup) -> ClientSettings | ConfigurationError:
    """Read the settings through ``lookup``, environment as fallback; a problem is returned, not raised."""
    from ..client import ConfigurationError, load_settings

    def as_text(key: str) -> str | None:
        value = lookup(key)
        return None if value is None else str(value)

    try:
        return load_settings(as_text)
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


def client() -> WarehouseSyncClient:
    from ..client import get_client

    return get_client(settings())
