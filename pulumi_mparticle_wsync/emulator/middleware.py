"""The outermost ASGI layer: loopback-only controls, fault injection and the request log.

It sits outside Starlette's own error handling so that a ``drop`` fault can abort the connection:
sending ``http.response.start`` with a ``Content-Length`` and then returning without the body makes
uvicorn close the socket, and the client sees the answer cut short.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import wire
from .errors import error_body
from .faults import APPLY_THEN_ERROR, DROP, RATE_LIMIT, Fault
from .paths import CONTROL_PREFIX, classify
from .requestlog import DROPPED_STATUS, LoggedRequest
from .state import EmulatorState

DROPPED_CONTENT_LENGTH = 4096
_SECRET_WORDS = ("secret", "password", "token", "key", "auth")


def is_loopback(client: Any) -> bool:
    """Loopback peers (and in-process test clients with no peer address) may use the controls."""
    if not client:
        return True
    host = str(client[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def send_error(send: Send, status: int, message: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps(error_body(status, [message])).encode()
    raw_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *((name.lower().encode(), value.encode()) for name, value in (headers or {}).items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


def redacted_query(raw: bytes) -> str:
    """The query string for the log, with the values of secret-looking parameters replaced."""
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    return urlencode(
        [(key, "REDACTED" if any(word in key.lower() for word in _SECRET_WORDS) else value) for key, value in pairs]
    )


async def _discard(message: Message) -> None:
    return None


def is_create(method: str, path: str) -> bool:
    """A POST on one of the four collections (not a trigger, not a token call)."""
    info = classify(path)
    return method == "POST" and info.collection in wire.COLLECTIONS and info.object_id is None


async def read_whole_body(receive: Receive) -> bytes:
    body = b""
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return body
        chunk: bytes = message.get("body", b"")
        body += chunk
        if not message.get("more_body", False):
            return body


def replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app ``body`` (already read) first, then defers to ``receive``."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if delivered:
            return await receive()
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def body_id(body: bytes) -> str | None:
    """The ``id`` a create body names, or ``None`` when the body is not a JSON object with a string id."""
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):  # the API route answers these bodies with a 400
        return None
    found = parsed.get(wire.ID) if isinstance(parsed, dict) else None
    return found if isinstance(found, str) else None


class EmulatorMiddleware:
    def __init__(self, app: ASGIApp, state: EmulatorState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            if not is_loopback(scope.get("client")):
                await send_error(send, 403, "the /_emulator controls answer loopback clients only")
                return
            await self.app(scope, receive, send)
            return
        await self._serve_api(scope, receive, send)

    async def _serve_api(self, scope: Scope, receive: Receive, send: Send) -> None:
        method: str = scope["method"]
        path: str = scope["path"]
        created_id: str | None = None
        if is_create(method, path):
            # Read before any fault decides, so that refused and dropped creates are logged by id too.
            body = await read_whole_body(receive)
            created_id = body_id(body)
            receive = replaying(body, receive)
        plan = self.state.faults.plan(method, path)
        if plan.delay_seconds:
            await asyncio.sleep(plan.delay_seconds)
        status = DROPPED_STATUS

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            if plan.fault is None:
                await self.app(scope, receive, recording_send)
            else:
                status = await self._inject(plan.fault, scope, receive, send)
        finally:
            info = classify(path)
            self.state.log.record(
                LoggedRequest(
                    method=method,
                    path=path,
                    query=redacted_query(scope.get("query_string", b"")),
                    status=status,
                    workspace_id=info.workspace_id,
                    collection=info.collection,
                    object_id=info.object_id,
                    action=info.action,
                    fault=None if plan.fault is None else plan.fault.kind,
                    time=self.state.clock.now(),
                    body_id=created_id,
                )
            )

    async def _inject(self, fault: Fault, scope: Scope, receive: Receive, send: Send) -> int:
        """Answer as ``fault`` says; returns the status logged."""
        if fault.kind == DROP:
            if fault.after_apply:
                await self.app(scope, receive, _discard)
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(DROPPED_CONTENT_LENGTH).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b'{"dropped', "more_body": True})
            return DROPPED_STATUS
        if fault.kind == APPLY_THEN_ERROR:
            await self.app(scope, receive, _discard)
        status = fault.answer_status()
        headers: dict[str, str] = {}
        if fault.retry_after is not None:
            headers[wire.RETRY_AFTER_HEADER] = f"{fault.retry_after:g}"
        if fault.kind == RATE_LIMIT:
            headers[wire.RATE_LIMIT_HEADER] = "true"
            message = "rate limit exceeded: retry after the Retry-After delay (injected by the emulator)"
        else:
            message = f"injected {fault.kind} fault ({fault.id}) answered {status}"
        await send_error(send, status, message, headers)
        return status
