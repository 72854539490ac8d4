"""Provider-process state: the settings ``configure`` read, and the client they lead to.

The provider object is pickled into the Pulumi state, so it holds nothing; settings live
here, in the provider process, for the life of that process. ``configure`` never fails:
``check`` and ``diff`` work offline, and a missing setting is reported by the first call
that needs the API, with the message naming the config key and environment variable.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..client import ClientSettings, ConfigurationError, WarehouseSyncClient

_lock = threading.Lock()
_configured: ClientSettings | ConfigurationError | None = None


def configure(lookup: Callable[[str], Any]) -> None:
    """Read the settings through ``lookup`` (``req.config.get``), environment as fallback."""
    from ..client import ConfigurationError, load_settings

    def as_text(key: str) -> str | None:
        value = lookup(key)
        return None if value is None else str(value)

    result: ClientSettings | ConfigurationError
    try:
        result = load_settings(as_text)
    except ConfigurationError as exc:
        result = exc
    global _configured
    with _lock:
        _configured = result


def settings() -> ClientSettings:
    """The configured settings; raises ``ConfigurationError`` naming what to set."""
    from ..client import ConfigurationError

    with _lock:
        current = _configured
    if current is None:  # configure() was never called: only the environment can help
        configure(lambda _key: None)
        with _lock:
            current = _configured
    if isinstance(current, ConfigurationError):
        raise ConfigurationError(str(current))
    assert current is not None
    return current


def client() -> WarehouseSyncClient:
    from ..client import get_client

    return get_client(settings())
