"""What this process has learned about the API's [R] run routes, per API base URL (spec §7).

Which trigger path works (``POST /pipelines/{id}/trigger`` or ``POST /pipelines/{id}``) and whether
``GET /pipelines/{id}/status/runs/{runId}`` exists are reconstructions. A client tries them in
``wire``'s order and records here what it found, so that later calls, from any client of the
process, go straight to the route that works. Keyed by the API base URL (``mparticle:apiUrl``):
one server, one set of routes. Thread-safe. ``forget_learned_routes`` empties it (tests).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .. import wire


@dataclass(frozen=True)
class RouteProbe:
    """How a server answered a request that asks about a route without using it (``client.probe``)."""

    method: str
    path: str
    status_code: int
    allow: tuple[str, ...] | None
    """The methods of the ``Allow`` header, upper-case, or ``None`` when the answer had none."""


_lock = threading.Lock()
_trigger_path: dict[str, str] = {}
_run_route_missing: set[str] = set()


def trigger_paths(api_url: str) -> tuple[str, ...]:
    """The trigger paths to try, in order: the one that worked last, then the rest in ``wire``'s order."""
    with _lock:
        known = _trigger_path.get(api_url)
    if known is None or known not in wire.TRIGGER_PATHS:
        return wire.TRIGGER_PATHS
    return (known, *(path for path in wire.TRIGGER_PATHS if path != known))


def remember_trigger_path(api_url: str, path: str) -> None:
    with _lock:
        _trigger_path[api_url] = path


def forget_trigger_path(api_url: str) -> None:
    """Neither path worked: the next call starts again from ``wire``'s order."""
    with _lock:
        _trigger_path.pop(api_url, None)


def run_route_missing(api_url: str) -> bool:
    """Whether ``GET .../status/runs/{runId}`` was found missing (then runs are found by listing)."""
    with _lock:
        return api_url in _run_route_missing


def remember_run_route_missing(api_url: str) -> None:
    with _lock:
        _run_route_missing.add(api_url)


def forget_learned_routes() -> None:
    """Forget every learned route (tests; a server whose routes changed)."""
    with _lock:
        _trigger_path.clear()
        _run_route_missing.clear()
