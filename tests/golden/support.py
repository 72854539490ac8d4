"""Seams for the golden tests: a transport that records what the provider sends, a fake API
serving a literal body, canonical JSON comparison and timestamp normalisation.

Nothing here knows a wire name: every path and body is written out in the test files.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any

import httpx

from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

Json = Any

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
"""The server's timestamp format (spec §2), written out here on purpose."""
NORMALISED_TIMESTAMP = "<timestamp>"
WORKSPACE = "1001"
BASE = f"/platform/v2/workspaces/{WORKSPACE}"


def canonical(value: Json) -> str:
    """JSON text that tells 4242 from 4242.0 and True from 1 (``==`` on dicts does not)."""
    return json.dumps(value, sort_keys=True, indent=1, allow_nan=False)


def assert_json(actual: Json, expected: Json) -> None:
    """Exact JSON equality: same keys, same values, same JSON types (a unified diff on failure)."""
    got, want = canonical(actual), canonical(expected)
    if got != want:
        diff = difflib.unified_diff(want.splitlines(), got.splitlines(), "expected", "actual", lineterm="")
        raise AssertionError("JSON differs:\n" + "\n".join(diff))


def normalise_timestamps(value: Json) -> Json:
    """Every string in the server's timestamp format replaced by ``"<timestamp>"`` (the
    emulator's clock is real time plus an offset, so the instants themselves vary)."""
    if isinstance(value, dict):
        return {k: normalise_timestamps(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise_timestamps(v) for v in value]
    if isinstance(value, str) and TIMESTAMP.match(value):
        return NORMALISED_TIMESTAMP
    return value


@dataclass(frozen=True)
class Sent:
    """One request as it left the client."""

    method: str
    path: str
    body: Json


@dataclass(eq=False)  # hashable by identity: the client cache keys on the transport
class RecordingTransport(httpx.BaseTransport):
    """Forwards every request to ``inner`` after recording method, path and JSON body."""

    inner: httpx.BaseTransport
    sent: list[Sent] = field(default_factory=list)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        content = request.read()
        self.sent.append(Sent(request.method, request.url.path, json.loads(content) if content else None))
        return self.inner.handle_request(request)

    def api_calls(self) -> list[Sent]:
        """What was sent to the API (token requests left out)."""
        return [s for s in self.sent if s.path.startswith("/platform/")]

    def clear(self) -> None:
        self.sent.clear()


def logged(emulator: EmulatorHandle) -> list[tuple[str, str, str, int, str | None, str | None]]:
    """The emulator's request log without token calls: (method, path, query, status, object id, body id).

    The log keeps no headers or bodies, so no secret can be in it; the bodies come from
    ``RecordingTransport``.
    """
    return [
        (r.method, r.path, r.query, r.status, r.object_id, r.body_id)
        for r in emulator.control.requests()
        if r.collection != "token"
    ]


TOKEN_ANSWER: Json = {"access_token": "golden-token", "expires_in": 28800, "token_type": "Bearer"}


@dataclass
class LiteralApi:
    """A fake API answering GET ``path`` with ``body`` (a literal), GET of the path's parent (its
    collection) with ``[body]``, and any token request."""

    path: str
    body: Json
    sent: list[Sent] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        content = request.read()
        self.sent.append(Sent(request.method, request.url.path, json.loads(content) if content else None))
        if request.method == "POST" and request.url.path == "/oauth/token":
            return httpx.Response(200, json=TOKEN_ANSWER)
        if request.method == "GET" and request.url.path == self.path:
            assert request.headers["Authorization"] == "Bearer golden-token"
            return httpx.Response(200, json=self.body)
        if request.method == "GET" and request.url.path == self.path.rsplit("/", 1)[0]:
            assert request.headers["Authorization"] == "Bearer golden-token"
            return httpx.Response(200, json=[self.body])
        return httpx.Response(500, json={"statusCode": 500, "errors": [{"message": "not golden"}]})

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)


def emulator_get(emulator: EmulatorHandle, path: str) -> tuple[int, Json]:
    """GET ``path`` on the emulator's API with a fresh token, as a plain HTTP client would."""
    with httpx.Client(base_url=emulator.url, timeout=30) as http:
        token = http.post(
            "/oauth/token",
            json={
                "client_id": emulator.client_id,
                "client_secret": emulator.client_secret,
                "audience": "https://api.mparticle.com",
                "grant_type": "client_credentials",
            },
        )
        assert token.status_code == 200, token.text
        answer = http.get(path, headers={"Authorization": f"Bearer {token.json()['access_token']}"})
        return answer.status_code, answer.json()


def seed(emulator: EmulatorHandle, collection_path: str, body: Json) -> None:
    """Create an object out of band (validated like POST), e.g. a pipeline's connection."""
    emulator.control.seed_object(WORKSPACE, collection_path, body)


def props(inputs: dict[str, Any]) -> dict[str, Any]:
    """Inputs as the engine hands them to create/update: plus the serialized provider."""
    return {**inputs, "__provider": "golden-serialized-provider"}

