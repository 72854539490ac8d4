"""Property: no request, however malformed, gets a 5xx unless a fault was injected.

Random methods, paths (API, token and control endpoints, except adding faults), headers and bodies
(random JSON, raw bytes, and valid bodies with random mutations) go through Starlette's TestClient,
which re-raises any server exception. Error answers must use the spec's error format, and the
secret values in the bodies must never come back.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.state import EmulatorState

from .emulator_support import (
    SECRET_VALUES,
    ApiSession,
    connection,
    data_model,
    in_process_api,
    on_demand_pipeline,
    pipeline,
    token_request,
    transformation,
)

Shared = tuple[ApiSession, EmulatorState, Any]

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
VALID_BODIES = [
    *(connection("conn-h", provider) for provider in ('snowflake', 'bigquery', 'redshift', 'databricks')),
    data_model("model-h"),
    transformation("ft-h"),
    pipeline("pipe-h", partner_feed_key="partner-feed-key-value", partner_feed_id=None),
    on_demand_pipeline("pipe-h2", pipeline_type="events", field_transformation_id="ft-1"),
]
IDS = st.sampled_from(["conn-1", "model-1", "ft-1", "pipe-1", "pipe-od", "conn-h", "pipe-h"]) | st.text(max_size=12)
WORKSPACES = st.sampled_from(["1001", "2002"]) | st.text(max_size=8)
COLLECTIONS = st.sampled_from(wire.COLLECTIONS) | st.text(max_size=8)
SUFFIXES = st.sampled_from(
    ["", "/trigger", "/status", "/status/runs", "/status/runs/1", "/status/runs/x", "/next-run", "/rows"]
) | st.text(max_size=10).map(lambda text: "/" + quote(text, safe=""))


def segment(text: str) -> str:
    return quote(text, safe="")


@st.composite
def paths(draw: st.DrawFn) -> str:
    shape = draw(st.sampled_from(["object", "collection", "token", "control", "control-object", "other"]))
    workspace, collection, object_id = draw(WORKSPACES), draw(COLLECTIONS), draw(IDS)
    base = f"/platform/v2/workspaces/{segment(workspace)}/{segment(collection)}"
    if shape == "collection":
        return base
    if shape == "object":
        return f"{base}/{segment(object_id)}{draw(SUFFIXES)}"
    if shape == "token":
        return wire.TOKEN_PATH
    if shape == "control":
        return "/_emulator/" + draw(
            st.sampled_from(
                ["requests", "requests/counts", "clock", "clock/advance", "switches", "tokens/expire", "run-durations"]
            )
        )
    if shape == "control-object":
        return f"/_emulator/workspaces/{segment(workspace)}/{segment(collection)}/{segment(object_id)}" + draw(
            st.sampled_from(["", "/next-run", "/rows"])
        )
    # Non-empty segments: httpx refuses to send a path starting with "//" (it would read as a host).
    return "/" + "/".join(segment(part) for part in draw(st.lists(st.text(min_size=1, max_size=8), max_size=5)))


@st.composite
def mutated_bodies(draw: st.DrawFn) -> Any:
    body = copy.deepcopy(draw(st.sampled_from(VALID_BODIES)))
    for _ in range(draw(st.integers(0, 3))):
        target = body
        nested = [key for key, value in body.items() if isinstance(value, dict)]
        use_nested: bool = draw(st.booleans())
        if nested and use_nested:
            target = body[draw(st.sampled_from(nested))]
        keys = [*target, draw(st.text(max_size=8))]
        key = draw(st.sampled_from(keys))
        if draw(st.integers(0, 4)) == 0:
            target.pop(key, None)
        else:
            target[key] = draw(JSON_VALUES)
    return body


@st.composite
def requests(draw: st.DrawFn) -> tuple[str, str, bytes | None, dict[str, str]]:
    method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]))
    kind = draw(st.sampled_from(["none", "json", "mutated", "mutated", "bytes"]))
    content: bytes | None
    if kind == "none":
        content = None
    elif kind == "bytes":
        content = draw(st.binary(max_size=64))
    else:
        value = draw(mutated_bodies() if kind == "mutated" else JSON_VALUES)
        content = json.dumps(value).encode()
    headers = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "Content-Type": st.sampled_from(["application/json", "text/plain", "application/json; x=y", ""]),
            },
        )
    )
    return method, draw(paths()), content, headers


def seed(state: EmulatorState) -> None:
    """The objects the random paths name, created directly (faster than through HTTP)."""
    for collection, body in (
        (wire.CONNECTIONS, connection()),
        (wire.DATA_MODELS, data_model()),
        (wire.FIELD_TRANSFORMATIONS, transformation()),
        (wire.PIPELINES, pipeline()),
        (wire.PIPELINES, on_demand_pipeline("pipe-od")),
    ):
        state.service.create("1001", collection, body)


@pytest.fixture(scope="module")
def shared() -> Iterator[Shared]:
    """One in-process emulator for all examples; each example starts from a reset and re-seeded state."""
    with in_process_api() as session:
        yield session


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(batch=st.lists(requests(), min_size=1, max_size=5))
def test_no_request_gets_a_server_error(
    shared: Shared, batch: list[tuple[str, str, bytes | None, dict[str, str]]]
) -> None:
    _, state, client = shared
    state.reset()
    seed(state)
    # A fresh token each time: an earlier example may have expired every token.
    token = state.auth.issue(token_request(state.settings.client_id, state.settings.client_secret))
    auth = {"Authorization": f"Bearer {token[wire.TOKEN_ACCESS_TOKEN]}"}
    for method, path, content, headers in batch:
        if path.startswith("/_emulator/faults"):
            continue
        request_headers = {**auth, **headers}
        answer = client.request(method, path, content=content, headers=request_headers)
        assert answer.status_code < 500, (method, path, answer.text)
        if answer.status_code >= 400 and method != "HEAD":
            body = answer.json()
            assert body[wire.ERROR_STATUS_CODE] == answer.status_code
            assert all(isinstance(error[wire.ERROR_MESSAGE], str) for error in body[wire.ERROR_LIST])
        assert not any(secret in answer.text for secret in SECRET_VALUES), (method, path)
