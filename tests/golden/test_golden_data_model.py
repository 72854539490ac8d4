"""DataModel: the literal bodies of create (POST) and update (PUT), what ``read`` makes of a
literal served body, and what the emulator serves on GET."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .conftest import Providers, serving
from .support import (
    LiteralApi,
    RecordingTransport,
    assert_json,
    emulator_get,
    logged,
    normalise_timestamps,
    props,
)

SQL = "SELECT email, plan, updated_at FROM db.s.users"
SQL_CHANGED = "SELECT email, plan, country, updated_at FROM db.s.users"

CASES: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    (
        "no-state",
        {"name": "Active users", "resource_id": "golden-model", "sql_query": SQL},
        {"name": "Active users", "resource_id": "golden-model", "sql_query": SQL_CHANGED},
        {
            "id": "golden-model",
            "name": "Active users",
            "type": "sql",
            "config": {"sql_query": "SELECT email, plan, updated_at FROM db.s.users"},
        },
        {
            "id": "golden-model",
            "name": "Active users",
            "type": "sql",
            "config": {"sql_query": "SELECT email, plan, country, updated_at FROM db.s.users"},
        },
    ),
    (
        "state",
        {"name": "Active users", "resource_id": "golden-model-state", "sql_query": SQL, "state": "inactive"},
        {"name": "Active users", "resource_id": "golden-model-state", "sql_query": SQL, "state": "active"},
        {
            "id": "golden-model-state",
            "name": "Active users",
            "type": "sql",
            "config": {"sql_query": "SELECT email, plan, updated_at FROM db.s.users"},
            "state": "inactive",
        },
        {
            "id": "golden-model-state",
            "name": "Active users",
            "type": "sql",
            "config": {"sql_query": "SELECT email, plan, updated_at FROM db.s.users"},
            "state": "active",
        },
    ),
]


@pytest.mark.parametrize(("inputs", "changed", "post", "put"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_create_posts_and_update_puts_the_literal_body(
    providers: Providers,
    emulator: EmulatorHandle,
    sent: RecordingTransport,
    inputs: dict[str, Any],
    changed: dict[str, Any],
    post: dict[str, Any],
    put: dict[str, Any],
) -> None:
    object_id = post["id"]
    created = providers.data_model.create(props(inputs))
    assert created.id == object_id
    assert [(s.method, s.path) for s in sent.api_calls()] == [("POST", "/platform/v2/workspaces/1001/data-models")]
    assert_json(sent.api_calls()[0].body, post)
    assert logged(emulator) == [("POST", "/platform/v2/workspaces/1001/data-models", "", 200, None, object_id)]

    emulator.control.clear_log()
    sent.clear()
    providers.data_model.update(object_id, created.outs or {}, props(changed))
    assert [(s.method, s.path) for s in sent.api_calls()] == [
        ("PUT", f"/platform/v2/workspaces/1001/data-models/{object_id}")
    ]
    assert_json(sent.api_calls()[0].body, put)
    assert logged(emulator) == [
        ("PUT", f"/platform/v2/workspaces/1001/data-models/{object_id}", "", 200, object_id, None)
    ]


SERVED: dict[str, Any] = {
    "id": "golden-model",
    "name": "Active users",
    "type": "sql",
    "config": {"sql_query": "SELECT email, plan, updated_at FROM db.s.users"},
    "state": "archived",
    "status": "healthy",
    "errors": [],
    "created_on": "2024-05-01T10:00:00.000Z",
    "created_by": "owner@example.com",
    "last_modified_on": None,
    "last_modified_by": None,
    "added_by_a_later_api_version": {"anything": 1},
}


def test_read_without_state_shows_the_servers_unknown_state(monkeypatch: pytest.MonkeyPatch) -> None:
    api = LiteralApi("/platform/v2/workspaces/1001/data-models/golden-model", SERVED)
    previous = {
        "name": "Active users",
        "resource_id": "golden-model",
        "sql_query": SQL,
        "workspace_id": "1001",
        "__input_keys": ["name", "resource_id", "sql_query"],
        "state": "active",
    }
    result = serving(monkeypatch, api).data_model.read("golden-model", props(previous))
    assert [(s.method, s.path) for s in api.sent] == [
        ("POST", "/oauth/token"),
        ("GET", "/platform/v2/workspaces/1001/data-models"),  # the listing serves the read
    ]
    assert result.id == "golden-model"
    assert_json(
        result.inputs,
        {
            "name": "Active users",
            "sql_query": "SELECT email, plan, updated_at FROM db.s.users",
            "resource_id": "golden-model",
        },
    )
    assert_json(
        result.outs,
        {
            "status": "healthy",
            "errors": [],
            "created_on": "2024-05-01T10:00:00.000Z",
            "created_by": "owner@example.com",
            "last_modified_on": None,
            "last_modified_by": None,
            "state": "archived",
            "name": "Active users",
            "sql_query": "SELECT email, plan, updated_at FROM db.s.users",
            "resource_id": "golden-model",
            "workspace_id": "1001",
            "__input_keys": ["name", "resource_id", "sql_query"],
        },
    )


def test_read_with_state_keeps_the_written_state_over_an_unknown_one(monkeypatch: pytest.MonkeyPatch) -> None:
    api = LiteralApi(
        "/platform/v2/workspaces/1001/data-models/golden-model",
        {**SERVED, "name": "Renamed in the UI", "last_modified_on": "2024-05-02T08:00:00.000Z",
         "last_modified_by": "ui-user@example.com"},
    )
    previous = {
        "name": "Active users",
        "sql_query": SQL,
        "state": "inactive",
        "workspace_id": "1001",
        "__input_keys": ["name", "sql_query", "state"],
    }
    result = serving(monkeypatch, api).data_model.read("golden-model", props(previous))
    assert result.id == "golden-model"
    assert_json(
        result.inputs,
        {
            "name": "Renamed in the UI",
            "sql_query": "SELECT email, plan, updated_at FROM db.s.users",
            "state": "inactive",
        },
    )
    assert_json(
        result.outs,
        {
            "status": "healthy",
            "errors": [],
            "created_on": "2024-05-01T10:00:00.000Z",
            "created_by": "owner@example.com",
            "last_modified_on": "2024-05-02T08:00:00.000Z",
            "last_modified_by": "ui-user@example.com",
            "state": "inactive",
            "name": "Renamed in the UI",
            "sql_query": "SELECT email, plan, updated_at FROM db.s.users",
            "resource_id": "golden-model",
            "workspace_id": "1001",
            "__input_keys": ["name", "sql_query", "state"],
        },
    )


def test_read_takes_the_v1_top_level_sql_query(monkeypatch: pytest.MonkeyPatch) -> None:
    served = {k: v for k, v in SERVED.items() if k != "config"}
    api = LiteralApi(
        "/platform/v2/workspaces/1001/data-models/golden-model",
        {**served, "state": "active", "sql_query": "SELECT email FROM db.s.users"},
    )
    previous = {"name": "Active users", "sql_query": SQL, "workspace_id": "1001", "__input_keys": ["name", "sql_query"]}
    result = serving(monkeypatch, api).data_model.read("golden-model", props(previous))
    assert_json(result.inputs, {"name": "Active users", "sql_query": "SELECT email FROM db.s.users"})


def test_emulator_serves_a_data_model(providers: Providers, emulator: EmulatorHandle) -> None:
    inputs = {"name": "Active users", "resource_id": "golden-model", "sql_query": SQL}
    created = providers.data_model.create(props(inputs))
    providers.data_model.update("golden-model", created.outs or {}, props({**inputs, "name": "Active users v2"}))
    status, body = emulator_get(emulator, "/platform/v2/workspaces/1001/data-models/golden-model")
    assert status == 200
    assert_json(
        normalise_timestamps(body),
        {
            "id": "golden-model",
            "name": "Active users v2",
            "type": "sql",
            "config": {"sql_query": "SELECT email, plan, updated_at FROM db.s.users"},
            "state": "active",
            "status": "healthy",
            "errors": [],
            "created_on": "<timestamp>",
            "created_by": "demo@emulator.local",
            "last_modified_on": "<timestamp>",
            "last_modified_by": "demo@emulator.local",
        },
    )
