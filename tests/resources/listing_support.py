"""The listing tests' stack and helpers, and a transport that changes the emulator's list answers.

``build_stack``: a connection, three data models and two pipelines, created by the providers (no
transformation); ``refresh`` reads it as the engine would; ``logged`` is the emulator's log.

The emulator serves lists as the spec says (a bare array). ``ListRewriter`` forwards every request
and, for a GET of a collection, hands the served array to ``rewrite``, which returns the body and
the extra headers to answer instead, as a server of another shape would. The emulator still logs
every request.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from pulumi.dynamic import CreateResult, ReadResult

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import WarehouseSyncClient, clear_client_cache, get_client
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.resources import _runtime
from pulumi_mparticle_wsync.resources._base import WarehouseSyncProvider
from pulumi_mparticle_wsync.resources._listings import LISTINGS
from pulumi_mparticle_wsync.resources._stack_objects import STACK_OBJECTS
from pulumi_mparticle_wsync.state_layout import PROVIDER_KEY

from ..models import samples
from .conftest import Providers
from .helpers import SERIALIZED, engine_props

Rewrite = Callable[[list[dict[str, Any]]], tuple[Any, dict[str, str]]]


@dataclass(eq=False)  # hashable by identity: the client cache keys on the transport
class ListRewriter(httpx.BaseTransport):
    """Rewrites the lists of ``collections`` (every collection by default)."""

    rewrite: Rewrite
    collections: tuple[str, ...] = wire.COLLECTIONS
    inner: httpx.BaseTransport = field(default_factory=httpx.HTTPTransport)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        listed = request.method == "GET" and request.url.path.rsplit("/", 1)[-1] in self.collections
        if not listed or response.status_code != 200:
            return response
        response.read()
        body, headers = self.rewrite(json.loads(response.content))
        return httpx.Response(200, json=body, headers=headers, request=request)


def omitting(*ids: str) -> Rewrite:
    """Lists without the objects ``ids``, and nothing to say so."""
    return lambda listed: ([o for o in listed if o[wire.ID] not in ids], {})


def summaries(listed: list[dict[str, Any]]) -> tuple[Any, dict[str, str]]:
    """Each object as a summary: its id, name and status, without the fields a GET of it has."""
    return [{key: o[key] for key in (wire.ID, wire.NAME, "status") if key in o} for o in listed], {}


def wrapped(listed: list[dict[str, Any]]) -> tuple[Any, dict[str, str]]:
    """The array in an envelope, as many APIs serve lists."""
    return {"data": listed, "next": None}, {}


def first_page_with_link(listed: list[dict[str, Any]]) -> tuple[Any, dict[str, str]]:
    """A bare array of one object, and a ``Link`` header to the next page."""
    return listed[:1], {"Link": '<https://api.example/next?page=2>; rel="next"'}


def first_page_with_cursor(listed: list[dict[str, Any]]) -> tuple[Any, dict[str, str]]:
    """A bare array of one object, and a cursor header for the rest."""
    return listed[:1], {"X-Next-Cursor": "b64cursor=="}


def use_transport(monkeypatch: pytest.MonkeyPatch, transport: httpx.BaseTransport) -> None:
    """The providers' client (``_runtime.client``) sends through ``transport``."""

    def client(account: Mapping[str, Any] | None = None) -> WarehouseSyncClient:
        settings = _runtime.settings() if account is None else _runtime.account_settings(account)
        return get_client(settings, transport=transport)

    monkeypatch.setattr(_runtime, "client", client)


# --- the stack of the listing tests -----------------------------------------------------------------

TOKEN = ("POST", "/oauth/token", 200)
MODELS = ("model-1", "model-2", "model-3")
PIPELINES = ("pipe-1", "pipe-2")
LISTS = [("GET", wire.CONNECTIONS, 200), ("GET", wire.DATA_MODELS, 200), ("GET", wire.PIPELINES, 200)]


@dataclass(frozen=True)
class Resource:
    provider: WarehouseSyncProvider
    collection: str
    created: CreateResult
    inputs: dict[str, Any]

    @property
    def id(self) -> str:
        return self.created.id

    def state(self) -> dict[str, Any]:
        return {**(self.created.outs or {}), PROVIDER_KEY: SERIALIZED}


Stack = dict[str, Resource]


def build_stack(providers: Providers, emulator: EmulatorHandle) -> Stack:
    """A connection, three data models and two pipelines, created by the providers, then a new operation."""
    resources: list[Resource] = []

    def create(provider: WarehouseSyncProvider, collection: str, inputs: dict[str, Any]) -> None:
        resources.append(Resource(provider, collection, provider.create(engine_props(inputs)), inputs))

    create(providers.connection, wire.CONNECTIONS, samples.connection(resource_id="warehouse"))
    for number, object_id in enumerate(MODELS, 1):
        create(providers.data_model, wire.DATA_MODELS,
               samples.data_model(resource_id=object_id, pulumi_name=object_id, name=f"Model {number}"))
    for number, object_id in enumerate(PIPELINES, 1):
        create(providers.pipeline, wire.PIPELINES,
               samples.pipeline("warehouse", MODELS[number - 1], resource_id=object_id, pulumi_name=object_id,
                                paused=True))
    new_operation(emulator)
    return {resource.id: resource for resource in resources}


def new_operation(emulator: EmulatorHandle) -> None:
    """What a new engine operation starts with: a new provider process, an empty request log."""
    clear_client_cache()
    LISTINGS.clear()
    STACK_OBJECTS.clear()
    emulator.control.clear_log()


def refresh(stack: Stack) -> dict[str, ReadResult]:
    """Read every resource, in the order the engine created them."""
    return {object_id: r.provider.read(object_id, r.state()) for object_id, r in stack.items()}


def logged(emulator: EmulatorHandle) -> list[tuple[str, str, int]]:
    """(method, path below the workspace, status); the token call as its own path."""
    base = f"/platform/v2/workspaces/{emulator.workspace_id}/"
    return [(r.method, r.path.removeprefix(base), r.status) for r in emulator.control.requests()]


def served(emulator: EmulatorHandle) -> dict[str, list[dict[str, Any]]]:
    return {c: emulator.control.list_objects(emulator.workspace_id, c) for c in wire.COLLECTIONS}


def assert_unchanged(stack: Stack, results: dict[str, ReadResult], *, except_ids: tuple[str, ...] = ()) -> None:
    """Each read kept its resource, with the outputs its create recorded and no diff."""
    for object_id, resource in stack.items():
        if object_id in except_ids:
            continue
        result = results[object_id]
        assert (result.id, result.outs) == (object_id, resource.created.outs), object_id
        assert resource.provider.diff(object_id, result.outs or {}, engine_props(resource.inputs)).changes is False


failing_lists = pytest.mark.parametrize(("status", "attempts"), [(503, 5), (403, 1)], ids=["503-after-retries", "403"])
"""A list request that fails with an answer: 503 until the client's retries run out, or 403 at once."""


def fail_lists_of(emulator: EmulatorHandle, collection: str, status: int) -> None:
    emulator.control.add_fault("error", method="GET", path_regex=f"/{collection}$", status=status, retry_after=0)
