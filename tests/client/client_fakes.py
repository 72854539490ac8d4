"""A small stateful stand-in for the Warehouse Sync API, served through ``httpx.MockTransport``.

It keeps objects per workspace and collection, issues tokens, logs every call and plays
scripted faults, so unit tests can check what the client sends without any network or sleep.
"""

from __future__ import annotations

import copy
import json
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import ClientSettings, TokenCache, WarehouseSyncClient
from pulumi_mparticle_wsync.client._retry import Timing

API = "https://api.test"
AUTH = "https://auth.test"
CLIENT_ID = "client-id-1"
CLIENT_SECRET = "top-secret-client-value"
WORKSPACE = "1001"
TIMESTAMP = "2024-05-01T10:00:00.000Z"
_API_PATH = re.compile(r"^/platform/v2/workspaces/(?P<ws>[^/]+)/(?P<collection>[^/]+)(?:/(?P<rest>.*))?$")


@dataclass
class Fault:
    """A scripted misbehaviour for requests matching ``method`` and ``path`` (a regex searched in the path).

    kinds: ``status`` (answer ``status`` without applying), ``apply_then_status`` (apply, then
    answer ``status``), ``drop`` (no answer, not applied), ``apply_then_drop``, ``connect``
    (connection refused), ``read_timeout`` (applied, answer lost), ``unauthorized`` (401 as if
    the token had expired).
    """

    kind: str
    method: str | None = None
    path: str | None = None
    status: int = 503
    retry_after: str | None = None
    body: Any = None
    times: int = 1

    def matches(self, request: httpx.Request) -> bool:
        if self.times <= 0:
            return False
        if self.method is not None and request.method != self.method:
            return False
        return self.path is None or re.search(self.path, request.url.path) is not None


@dataclass
class FakeAPI:
    """The fake server. ``calls`` records ``"METHOD /path"`` strings in arrival order."""

    secret_mode: str = wire.SECRET_MODE_OMIT
    duplicate_status: int = wire.DUPLICATE_ID_409
    token_lifetime: int = wire.TOKEN_LIFETIME_SECONDS
    token_delay: float = 0.0
    capitalise_provider: bool = False
    objects: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    raw_paths: list[str] = field(default_factory=list)
    bodies: list[Any] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    valid_tokens: set[str] = field(default_factory=set)
    tokens_issued: int = 0
    runs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Per pipeline, its runs oldest first: ``{"run_id", "state"}``, rendered in ``run_spelling``."""
    trigger_paths: tuple[str, ...] = (wire.TRIGGER,)
    """The trigger paths served (``wire.TRIGGER``, ``wire.TRIGGER_BARE``)."""
    missing_trigger_status: int = 404
    """What ``/trigger`` answers when it is not served (a router's 404, or a 405 from a catch-all route)."""
    run_spelling: str = wire.RUN_SPELLING_V1
    status_shape: str = wire.STATUS_SHAPE_V1
    status_not_ready: set[str] = field(default_factory=set)
    """Pipelines whose status and runs answer 404 (as mParticle's do for a minute after a create)."""
    run_route_status: int | None = None
    """``None``: ``GET .../status/runs/{runId}`` is served; else the status it answers (404, 405)."""
    ignore_paging: bool = False
    runs_as_array: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    # --- test-facing helpers -------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def add_fault(self, kind: str, **options: Any) -> Fault:
        fault = Fault(kind, **options)
        self.faults.append(fault)
        return fault

    def count(self, method: str, path_regex: str = "") -> int:
        return sum(1 for call in self.calls if call.startswith(method + " ") and re.search(path_regex, call))

    def store(self, collection: str, workspace: str = WORKSPACE) -> dict[str, dict[str, Any]]:
        return self.objects.setdefault((workspace, collection), {})

    def seed(self, collection: str, body: dict[str, Any], workspace: str = WORKSPACE) -> None:
        self.store(collection, workspace)[body[wire.ID]] = self._stored(body)

    def expire_all_tokens(self) -> None:
        self.valid_tokens.clear()

    def add_run(self, pipeline_id: str, state: str) -> int:
        runs = self.runs.setdefault(pipeline_id, [])
        runs.append({"run_id": len(runs) + 1, "state": state})
        return len(runs)

    # --- the handler -----------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.calls.append(f"{request.method} {request.url.path}")
            self.raw_paths.append(request.url.raw_path.decode())
            self.bodies.append(json.loads(request.content) if request.content else None)
            fault = next((f for f in self.faults if f.matches(request)), None)
            if fault is not None:
                fault.times -= 1
        if request.url.path == wire.TOKEN_PATH:
            if fault is not None:
                return self._misbehave(fault, request, lambda: self._token(request))
            return self._token(request)
        if fault is not None:
            return self._misbehave(fault, request, lambda: self._api(request))
        return self._api(request)

    def _misbehave(
        self, fault: Fault, request: httpx.Request, apply: Callable[[], httpx.Response]
    ) -> httpx.Response:
        if fault.kind.startswith("apply_then_") or fault.kind == "read_timeout":
            apply()
        if fault.kind in ("drop", "apply_then_drop"):
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        if fault.kind == "connect":
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        if fault.kind == "read_timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        if fault.kind == "unauthorized":
            return _error(401, "token expired")
        headers = {wire.RETRY_AFTER_HEADER: fault.retry_after} if fault.retry_after is not None else {}
        if fault.body is not None:
            content = fault.body if isinstance(fault.body, bytes) else json.dumps(fault.body).encode()
            return httpx.Response(fault.status, content=content, headers=headers)
        return _error(fault.status, f"injected {fault.status}", headers)

    def _token(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if (
            body.get(wire.TOKEN_CLIENT_ID) != CLIENT_ID
            or body.get(wire.TOKEN_CLIENT_SECRET) != CLIENT_SECRET
            or body.get(wire.TOKEN_AUDIENCE_FIELD) != wire.TOKEN_AUDIENCE
            or body.get(wire.TOKEN_GRANT_TYPE_FIELD) != wire.TOKEN_GRANT_TYPE
        ):
            return httpx.Response(401, json={"error": "access_denied", "error_description": "Unauthorized"})
        if self.token_delay:
            time.sleep(self.token_delay)  # widens the window in which concurrent callers overlap
        with self.lock:
            self.tokens_issued += 1
            token = f"token-{self.tokens_issued}-{random.randrange(10**9)}"
            self.valid_tokens.add(token)
        return httpx.Response(
            200,
            json={
                wire.TOKEN_ACCESS_TOKEN: token,
                wire.TOKEN_EXPIRES_IN: self.token_lifetime,
                wire.TOKEN_TYPE: wire.TOKEN_TYPE_BEARER,
            },
        )

    def _api(self, request: httpx.Request) -> httpx.Response:
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[len("Bearer ") :] not in self.valid_tokens:
            return _error(401, "Unauthorized")
        match = _API_PATH.match(request.url.path)
        if match is None:
            return _error(404, "no such path")
        workspace, collection, rest = match["ws"], match["collection"], match["rest"]
        if collection not in wire.COLLECTIONS:
            return _error(404, f"no collection {collection}")
        with self.lock:
            store = self.store(collection, workspace)
            if rest is None:
                return self._collection_verb(request, collection, store)
            object_id, _, action = rest.partition("/")
            if collection == wire.PIPELINES and action:
                return self._run_verb(request, object_id, action, store, workspace)
            if action:
                return _error(404, "no such path")
            if collection == wire.PIPELINES and request.method == "POST" and wire.TRIGGER_BARE in self.trigger_paths:
                return self._trigger(object_id, store)
            return self._object_verb(request, collection, store, object_id)

    def _collection_verb(
        self, request: httpx.Request, collection: str, store: dict[str, dict[str, Any]]
    ) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json=[self._served(collection, obj) for obj in store.values()])
        if request.method == "POST":
            body = json.loads(request.content)
            object_id = body[wire.ID]
            if object_id in store:
                message = f"{collection} with id {object_id} already exists"
                return _error(self.duplicate_status, message)
            store[object_id] = self._stored(body)
            return httpx.Response(200, json=self._served(collection, store[object_id]))
        return _error(405, "method not allowed")

    def _object_verb(
        self, request: httpx.Request, collection: str, store: dict[str, dict[str, Any]], object_id: str
    ) -> httpx.Response:
        if object_id not in store:
            return _error(404, f"{collection} {object_id} not found")
        if request.method == "GET":
            return httpx.Response(200, json=self._served(collection, store[object_id]))
        if request.method == "PUT":
            body = json.loads(request.content)
            stored = self._stored(body)
            stored[wire.CREATED_ON] = store[object_id][wire.CREATED_ON]
            stored[wire.LAST_MODIFIED_ON] = TIMESTAMP
            store[object_id] = stored
            return httpx.Response(200, json=self._served(collection, stored))
        if request.method == "DELETE":
            del store[object_id]
            return httpx.Response(204)
        bare = collection == wire.PIPELINES and wire.TRIGGER_BARE in self.trigger_paths
        return _error(405, "method not allowed", {"Allow": "GET, PUT, DELETE" + (", POST" if bare else "")})

    def _run_verb(
        self, request: httpx.Request, pipeline_id: str, action: str, store: dict[str, dict[str, Any]], workspace: str
    ) -> httpx.Response:
        if action == wire.TRIGGER:
            if wire.TRIGGER not in self.trigger_paths:
                return _error(self.missing_trigger_status, "no such route")
            if request.method != "POST":
                return _error(405, "method not allowed", {"Allow": "POST"})
        if pipeline_id not in store:
            return _error(404, f"pipeline {pipeline_id} not found")
        if action == wire.TRIGGER:
            return self._trigger(pipeline_id, store)
        if action.startswith(wire.STATUS) and pipeline_id in self.status_not_ready:
            return _error(404, "Not Found")
        runs = self.runs.setdefault(pipeline_id, [])
        if request.method == "GET" and action == wire.STATUS:
            return httpx.Response(200, json=self._status(pipeline_id, store[pipeline_id], workspace))
        if request.method == "GET" and action == wire.RUNS:
            newest_first = [self._run(pipeline_id, run, workspace) for run in reversed(runs)]
            params = request.url.params
            if not self.ignore_paging and wire.RUNS_PAGE_SIZE_PARAM in params:
                size = int(params[wire.RUNS_PAGE_SIZE_PARAM])
                page = int(params.get(wire.RUNS_PAGE_PARAM, "1"))
                newest_first = newest_first[(page - 1) * size : page * size]
            if self.runs_as_array:
                return httpx.Response(200, json=newest_first)
            return httpx.Response(200, json={wire.RUNS_ITEMS: newest_first, "echo": dict(params)})
        if request.method == "GET" and action.startswith(wire.RUNS + "/"):
            if self.run_route_status is not None:
                return _error(self.run_route_status, "no such route")
            run_id = action[len(wire.RUNS) + 1 :]
            for run in runs:
                if str(run["run_id"]) == run_id:
                    return httpx.Response(200, json=self._run(pipeline_id, run, workspace))
            return _error(404, f"run {run_id} not found")
        return _error(404, "no such path")

    def _trigger(self, pipeline_id: str, store: dict[str, dict[str, Any]]) -> httpx.Response:
        if pipeline_id not in store:
            return _error(404, f"pipeline {pipeline_id} not found")
        runs = self.runs.setdefault(pipeline_id, [])
        if runs and runs[-1]["state"] in wire.RUN_ACTIVE_STATES:
            return _error(400, f"Pipeline {pipeline_id} is already in progress.")
        run_id = self.add_run(pipeline_id, wire.RUN_RUNNING)
        return httpx.Response(200, json={wire.PIPELINE_RUN_ID: run_id, wire.STATUS_FIELD: wire.TRIGGER_REQUESTED})

    def _run(self, pipeline_id: str, run: dict[str, Any], workspace: str) -> dict[str, Any]:
        served: dict[str, Any] = {
            wire.PIPELINE_RUN_ID: run["run_id"],
            wire.RUN_WORKSPACE_ID: int(workspace),
            wire.PIPELINE_RUN_TYPE: wire.RUN_TYPE_MANUAL,
            wire.RUN_START_DATE: TIMESTAMP,
            wire.RUN_END_DATE: None,
            wire.RUN_RECORDS_EXTRACTED: None,
        }
        if self.run_spelling == wire.RUN_SPELLING_V1:
            served.update({wire.RUN_PIPELINE_ID: pipeline_id, wire.RUN_STATE: run["state"]})
        else:
            served.update({wire.RUN_PIPELINE_ID_GUESS: pipeline_id, wire.RUN_STATE_GUESS: run["state"]})
        return served

    def _status(self, pipeline_id: str, pipeline: dict[str, Any], workspace: str) -> dict[str, Any]:
        runs = self.runs.get(pipeline_id) or []
        latest = self._run(pipeline_id, runs[-1], workspace) if runs else None
        if self.status_shape == wire.STATUS_SHAPE_V1:
            return {
                wire.PIPELINE_ID: pipeline_id,
                wire.STATUS_WORKSPACE_ID: int(workspace),
                wire.STATUS_IS_ACTIVE: pipeline.get(wire.STATE) == "active",
                wire.STATUS_IS_FAULTED: False,
                wire.STATUS_IS_CONNECTION_ACTIVE: True,
                wire.STATUS_IS_CONNECTION_FAULTED: False,
                wire.LATEST_PIPELINE_RUN: latest,
            }
        return {
            wire.PIPELINE_ID: pipeline_id,
            wire.STATUS_STATUS_GUESS: "healthy",
            wire.STATUS_STATE_GUESS: pipeline.get(wire.STATE),
            wire.LATEST_PIPELINE_RUN: latest,
        }

    # --- representation --------------------------------------------------------------------

    @staticmethod
    def _stored(body: dict[str, Any]) -> dict[str, Any]:
        stored = copy.deepcopy(body)
        stored.update(
            {
                wire.STATUS_FIELD: "healthy",
                wire.ERRORS: [],
                wire.CREATED_ON: TIMESTAMP,
                wire.CREATED_BY: "someone@example.com",
                wire.LAST_MODIFIED_ON: None,
                wire.LAST_MODIFIED_BY: None,
            }
        )
        if 'partner_feed_key' in stored:
            stored['partner_feed_id'] = 4242
        return stored

    def _served(self, collection: str, stored: dict[str, Any]) -> dict[str, Any]:
        served = copy.deepcopy(stored)
        served["added_by_a_later_api_version"] = True
        if self.capitalise_provider and wire.SERVICE_PROVIDER in served:
            served[wire.SERVICE_PROVIDER] = served[wire.SERVICE_PROVIDER].capitalize()
        _hide_secrets(served, self.secret_mode)
        return served


def _hide_secrets(node: Any, mode: str) -> None:
    secret_keys = {"password", "service_account_key", "partner_feed_key"}
    if isinstance(node, dict):
        for key in list(node):
            if key in secret_keys:
                if mode == wire.SECRET_MODE_OMIT:
                    del node[key]
                else:
                    node[key] = wire.MASKED_SECRET
            else:
                _hide_secrets(node[key], mode)
    elif isinstance(node, list):
        for item in node:
            _hide_secrets(item, mode)


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status,
        json={wire.ERROR_STATUS_CODE: status, wire.ERROR_LIST: [{wire.ERROR_MESSAGE: message}]},
        headers=headers or {},
    )


# --- client construction for tests -------------------------------------------------------------


class ManualClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Harness:
    """A client wired to a fake API, a recording sleep and a manual token clock."""

    api: FakeAPI
    client: WarehouseSyncClient
    sleeps: list[float]
    clock: ManualClock
    tokens: TokenCache


def make_settings(**overrides: Any) -> ClientSettings:
    values: dict[str, Any] = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "workspace_id": WORKSPACE,
        "api_url": API,
        "auth_url": AUTH,
        "max_attempts": 5,
        "max_retry_wait": 30.0,
        "timeout": 5.0,
    }
    values.update(overrides)
    return ClientSettings(**values)


def make_harness(
    api: FakeAPI | None = None, *, wall_clock: float = 1_700_000_000.0, **settings: Any
) -> Harness:
    api = api or FakeAPI()
    sleeps: list[float] = []
    clock = ManualClock()
    tokens = TokenCache(clock=clock)
    timing = Timing(sleep=sleeps.append, wall_clock=lambda: wall_clock, rng=random.Random(7))
    client = WarehouseSyncClient(
        make_settings(**settings), api.transport(), timing=timing, token_cache=tokens
    )
    return Harness(api, client, sleeps, clock, tokens)


def connection_body(object_id: str = "warehouse", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        wire.ID: object_id,
        wire.NAME: "Main warehouse",
        wire.STATE: "active",
        wire.SERVICE_PROVIDER: 'snowflake',
        'config': {
            "account_identifier": "xy12345",
            "region": "us-central1.gcp",
            "warehouse": "COMPUTE_WH",
            "database": "ANALYTICS",
            "role": "MPARTICLE",
            "user": "mparticle_user",
            "password": "hunter2-very-secret",
            "storage_integration": "mp_us1_1_2_s3",
        },
    }
    body.update(overrides)
    return body


def pipeline_body(object_id: str = "nightly", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        wire.ID: object_id,
        wire.NAME: "Nightly users",
        'pipeline_type': "user_attributes",
        'connection_id': "warehouse",
        'data_model_id': "users",
        'field_transformation_id': None,
        'partner_feed_key': "feed-key-secret-123",
        wire.STATE: "active",
        'sync_mode': {'type': "full"},
        'schedule': {
            'type': 'on_demand',
            'start': "2024-01-01T00:00:00Z",
        },
        'environment': "development",
    }
    body.update(overrides)
    return body
