"""The emulator as an ASGI application: Starlette routes wrapped in the fault/log middleware."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

from .errors import EmulatorError
from .http_api import api_routes
from .http_common import error_response
from .http_control import control_routes
from .middleware import EmulatorMiddleware
from .settings import EmulatorSettings
from .state import EmulatorState

_METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE")
_HTTP_MESSAGES = {
    404: "no such endpoint: the API lives under /platform/v2/workspaces/{workspaceId}/ "
    "and the token endpoint at /oauth/token",
    405: "method not allowed on this path",
}


async def _emulator_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EmulatorError)
    return error_response(exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    message = _HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
    if exc.status_code == 405 and "Allow" in headers:
        methods = [m for m in headers["Allow"].split(", ") if m in _METHOD_ORDER]
        allowed = ", ".join(sorted(methods, key=_METHOD_ORDER.index))
        message = f"{request.method} is not allowed on {request.url.path}: use {allowed}"
    return error_response(EmulatorError(exc.status_code, message, headers))


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    return error_response(EmulatorError(500, f"emulator bug: {type(exc).__name__}; please report it"))


def create_app(state: EmulatorState) -> ASGIApp:
    starlette = Starlette(
        routes=[*api_routes(state), *control_routes(state)],
        exception_handlers={
            EmulatorError: _emulator_error,
            HTTPException: _http_error,
            Exception: _unexpected_error,
        },
    )
    # Paths are exact, as in the real API: "/connections/" is a 404, not a redirect.
    starlette.router.redirect_slashes = False
    return EmulatorMiddleware(starlette, state)


def create_emulator(settings: EmulatorSettings | None = None) -> tuple[ASGIApp, EmulatorState]:
    """A fresh state and the app serving it (``:memory:`` unless ``settings`` say otherwise)."""
    state = EmulatorState(settings or EmulatorSettings())
    return create_app(state), state
