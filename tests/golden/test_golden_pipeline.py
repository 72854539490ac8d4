"""Pipeline: the literal bodies of create (POST) and update (PUT), what ``read`` makes of a
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
    seed,
)

FEED_KEY = "golden-feed-key"


@pytest.fixture
def dependencies(emulator: EmulatorHandle) -> None:
    """The connection, data model and field transformation the pipelines name (seeded out of band)."""
    seed(
        emulator,
        "connections",
        {
            "id": "golden-conn",
            "name": "Warehouse",
            "service_provider": "databricks",
            "config": {"provider": "acme_share_provider", "catalog": "main", "schema": "crm"},
        },
    )
    seed(
        emulator,
        "data-models",
        {"id": "golden-model", "name": "Users", "type": "sql", "config": {"sql_query": "SELECT email FROM users"}},
    )
    seed(
        emulator,
        "transformations",
        {
            "id": "golden-ft",
            "name": "Events",
            "destination_type": "event_batch",
            "mappings": [{"mapping_type": "column", "source": "event_id", "destination": "events[].data.event_id"}],
        },
    )
    emulator.control.clear_log()


USER_ATTRIBUTES: dict[str, Any] = {
    "name": "Nightly users",
    "resource_id": "golden-pipe-ua",
    "pipeline_type": "user_attributes",
    "connection_id": "golden-conn",
    "data_model_id": "golden-model",
    "partner_feed_id": 4242.0,
    "sync_mode": {"type": "full"},
    "schedule": {"type": "interval", "frequency": "hourly", "start": "2024-01-01T00:15:00Z"},
    "environment": "production",
}
EVENTS: dict[str, Any] = {
    "name": "Order events",
    "resource_id": "golden-pipe-ev",
    "pipeline_type": "events",
    "connection_id": "golden-conn",
    "data_model_id": "golden-model",
    "field_transformation_id": "golden-ft",
    "partner_feed_key": FEED_KEY,
    "sync_mode": {
        "type": "incremental",
        "iterator_field": "updated_at",
        "iterator_data_type": "timestamp_ntz",
        "from_": "2024-01-01T00:00:00Z",
        "until": "2024-06-30T23:59:59Z",
    },
    "schedule": {"type": "once", "start": "2024-07-01T02:00:00Z"},
    "environment": "development",
    "data_plan_id": "golden_plan",
    "data_plan_version": 3.0,
}
ON_DEMAND: dict[str, Any] = {
    "name": "On demand users",
    "resource_id": "golden-pipe-od",
    "pipeline_type": "user_attributes",
    "connection_id": "golden-conn",
    "data_model_id": "golden-model",
    "partner_feed_id": 4243.0,
    "sync_mode": {"type": "incremental", "iterator_field": "updated_at", "iterator_data_type": "timestamp"},
    "schedule": {"type": "on_demand", "start": "2024-01-01T00:00:00Z", "end": "2025-01-01T00:00:00Z"},
    "environment": "production",
}
PAUSED: dict[str, Any] = {
    "name": "Paused users",
    "resource_id": "golden-pipe-paused",
    "pipeline_type": "user_attributes",
    "connection_id": "golden-conn",
    "data_model_id": "golden-model",
    "partner_feed_id": 4244.0,
    "sync_mode": {"type": "full"},
    "schedule": {"type": "interval", "frequency": "weekly", "start": "2024-01-01T00:00:00+02:00"},
    "environment": "production",
    "paused": True,
}

CASES: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    (
        "user-attributes-full-interval-feed-id",
        USER_ATTRIBUTES,
        {**USER_ATTRIBUTES, "schedule": {"type": "interval", "frequency": "daily", "start": "2024-01-01T00:15:00Z"}},
        {
            "id": "golden-pipe-ua",
            "name": "Nightly users",
            "pipeline_type": "user_attributes",
            "state": "active",
            "sync_mode": {"type": "full"},
            "schedule": {"type": "interval", "frequency": "hourly", "start": "2024-01-01T00:15:00Z"},
            "environment": "production",
            "connection_id": "golden-conn",
            "data_model_id": "golden-model",
            "partner_feed_id": 4242,
        },
        {
            "id": "golden-pipe-ua",
            "name": "Nightly users",
            "pipeline_type": "user_attributes",
            "state": "active",
            "sync_mode": {"type": "full"},
            "schedule": {"type": "interval", "frequency": "daily", "start": "2024-01-01T00:15:00Z"},
            "environment": "production",
            "connection_id": "golden-conn",
            "data_model_id": "golden-model",
            "partner_feed_id": 4242,
        },
    ),
    (
        "events-incremental-once-transformation-feed-key-data-plan",
        EVENTS,
        {**EVENTS, "data_plan_version": 4.0},
        {
            "id": "golden-pipe-ev",
            "name": "Order events",
            "pipeline_type": "events",
            "state": "active",
            "sync_mode": {
                "type": "incremental",
                "iterator_field": "updated_at",
                "iterator_data_type": "timestamp_ntz",
                "from": "2024-01-01T00:00:00Z",
                "until": "2024-06-30T23:59:59Z",
            },
            "schedule": {"type": "once", "start": "2024-07-01T02:00:00Z"},
            "environment": "development",
            "connection_id": "golden-conn",
            "data_model_id": "golden-model",
            "field_transformation_id": "golden-ft",
            "data_plan_id": "golden_plan",
            "data_plan_version": 3,
            "partner_feed_key": "golden-feed-key",
        },
        {
            "id": "golden-pipe-ev",
            "name": "Order events",
            "pipeline_type": "events",
            "state": "active",
            "sync_mode": {
                "type": "incremental",
                "iterator_field": "updated_at",
                "iterator_data_type": "timestamp_ntz",
                "from": "2024-01-01T00:00:00Z",
                "until": "2024-06-30T23:59:59Z",
            },
            "schedule": {"type": "once", "start": "2024-07-01T02:00:00Z"},
            "environment": "development",
            "connection_id": "golden-conn",
            "data_model_id": "golden-model",
            "field_transformation_id": "golden-ft",
            "data_plan_id": "golden_plan",
            "data_plan_version": 4,
            "partner_feed_key": "golden-feed-key",
        },
    ),
    (
        "on-demand",
        ON_DEMAND,
        {**ON_DEMAND, "environment": "development"},
        {
            "id": "golden-pipe-od",
            "name": "On demand users",
            "pipeline_type": "user_attributes",
            "state": "active",
            "sync_mode": {"type": "incremental", "iterator_field": "updated_at", "iterator_data_type": "timestamp"},
            "schedule": {"type": "on_demand", "start": "2024-01-01T00:00:00Z", "end": "2025-01-01T00:00:00Z"},
            "environment": "production",
            "connection_id": "golden-conn",
            "data_model_id": "golden-model",
            "partner_feed_id": 4243,
        },
        {
            "id": "golden-pipe-od",
            "name": "On demand users",
            "pipeline_type": "user_attributes",
            "state": "active",
            "sync_mode": {"type": "incremental", "iterator_field": "updated_at", "iterator_data_type": "timestamp"},
            "schedule": {"type": "on_demand", "start": "2024-01-01T00:00:00Z", "end": "2025-01-01T00:00:00Z"},
            "environment": "development",
            "connection_id": "golden-conn",
            "data_model_id": "golden-model",
            "partner_feed_id": 4243,
        },
    ),
    (
        "paused-then-resumed",
        PAUSED,
        {**PAUSED, "paused": False},
        {
            "id": "golden-pipe-paused",
            "name": "Paused users",
            "pipeline_type": "user_attributes",
            "state": "paused",
            "sync_mode": {"type": "full"},
            "schedule": {"type": "interval", "frequency": "weekly", "start": "2024-01-01T00:00:00+02:00"},
            "environment": "production",
            "connection_id": "golden-conn",
            "data_model_id": "golden-model",
            "partner_feed_id": 4244,
        },
        {
            "id": "golden-pipe-paused",
            "name": "Paused users",
            "pipeline_type": "user_attributes",
            "state": "active",
            "sync_mode": {"type": "full"},
            "schedule": {"type": "interval", "frequency": "weekly", "start": "2024-01-01T00:00:00+02:00"},
            "environment": "production",
            "connection_id": "golden-conn",
            "data_model_id": "golden-model",
            "partner_feed_id": 4244,
        },
    ),
]


@pytest.mark.usefixtures("dependencies")
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
    created = providers.pipeline.create(props(inputs))
    assert created.id == object_id
    assert [(s.method, s.path) for s in sent.api_calls()] == [("POST", "/platform/v2/workspaces/1001/pipelines")]
    assert_json(sent.api_calls()[0].body, post)
    assert logged(emulator) == [("POST", "/platform/v2/workspaces/1001/pipelines", "", 200, None, object_id)]

    emulator.control.clear_log()
    sent.clear()
    providers.pipeline.update(object_id, created.outs or {}, props(changed))
    assert [(s.method, s.path) for s in sent.api_calls()] == [
        ("PUT", f"/platform/v2/workspaces/1001/pipelines/{object_id}")
    ]
    assert_json(sent.api_calls()[0].body, put)
    assert logged(emulator) == [
        ("PUT", f"/platform/v2/workspaces/1001/pipelines/{object_id}", "", 200, object_id, None)
    ]

    # The request log holds no body, and the emulator never serves the feed key back.
    assert FEED_KEY not in repr(emulator.control.requests())
    assert FEED_KEY not in repr(emulator.control.get_object("1001", "pipelines", object_id))


# --- read: a literal served body -> outputs and inputs ------------------------------------

COMMON_SERVED: dict[str, Any] = {
    "status": "healthy",
    "errors": [],
    "created_on": "2024-05-01T10:00:00.000Z",
    "created_by": "owner@example.com",
    "last_modified_on": None,
    "last_modified_by": None,
}
COMMON_OUTPUTS: dict[str, Any] = {
    "status": "healthy",
    "errors": [],
    "created_on": "2024-05-01T10:00:00.000Z",
    "created_by": "owner@example.com",
    "last_modified_on": None,
    "last_modified_by": None,
}


def test_read_masked_feed_key_server_resolved_feed_id_unknown_schedule_type(monkeypatch: pytest.MonkeyPatch) -> None:
    api = LiteralApi(
        "/platform/v2/workspaces/1001/pipelines/golden-pipe-ev",
        {
            "id": "golden-pipe-ev",
            "name": "Order events",
            "pipeline_type": "events",
            "connection_id": "golden-conn",
            "data_model_id": "golden-model",
            "field_transformation_id": "golden-ft",
            "partner_feed_key": "************",
            "partner_feed_id": 48213,
            "state": "active",
            "sync_mode": {
                "type": "incremental",
                "iterator_field": "updated_at",
                "iterator_data_type": "timestamp_ntz",
                "from": "2024-01-01T00:00:00.000Z",
                "until": "2024-06-30T23:59:59.000Z",
            },
            "schedule": {"type": "cron", "start": "2024-07-01T02:00:00.000Z", "expression": "0 2 * * *"},
            "environment": "development",
            "data_plan_id": "golden_plan",
            "data_plan_version": 3,
            **COMMON_SERVED,
            "added_by_a_later_api_version": True,
        },
    )
    previous = {
        **EVENTS,
        "workspace_id": "1001",
        "__input_keys": sorted(EVENTS),
        "state": "active",
        "partner_feed_id": 48213,
    }
    result = serving(monkeypatch, api).pipeline.read("golden-pipe-ev", props(previous))
    assert [(s.method, s.path) for s in api.sent] == [
        ("POST", "/oauth/token"),
        ("GET", "/platform/v2/workspaces/1001/pipelines"),  # the listing serves the read
    ]
    assert result.id == "golden-pipe-ev"
    inputs = {
        "name": "Order events",
        "pipeline_type": "events",
        "connection_id": "golden-conn",
        "data_model_id": "golden-model",
        # Timestamps as written where the server holds the same instant in its own format.
        "sync_mode": {
            "type": "incremental",
            "iterator_field": "updated_at",
            "iterator_data_type": "timestamp_ntz",
            "from_": "2024-01-01T00:00:00Z",
            "until": "2024-06-30T23:59:59Z",
        },
        # An unknown schedule type passes through; a field the provider does not know is dropped.
        "schedule": {"type": "cron", "start": "2024-07-01T02:00:00Z"},
        "environment": "development",
        "field_transformation_id": "golden-ft",
        "data_plan_id": "golden_plan",
        "data_plan_version": 3.0,
        # The key is write-only: the configured value stands; the resolved feed id is not an input.
        "partner_feed_key": "golden-feed-key",
        "resource_id": "golden-pipe-ev",
    }
    assert_json(result.inputs, inputs)
    assert_json(
        result.outs,
        {
            **COMMON_OUTPUTS,
            "state": "active",
            "partner_feed_id": 48213,
            **inputs,
            "workspace_id": "1001",
            "__input_keys": [
                "connection_id", "data_model_id", "data_plan_id", "data_plan_version", "environment",
                "field_transformation_id", "name", "partner_feed_key", "pipeline_type", "resource_id",
                "schedule", "sync_mode",
            ],
        },
    )


def test_read_omitted_feed_key_paused_outside_unknown_enums(monkeypatch: pytest.MonkeyPatch) -> None:
    api = LiteralApi(
        "/platform/v2/workspaces/1001/pipelines/golden-pipe-od",
        {
            "id": "golden-pipe-od",
            "name": "On demand users",
            "pipeline_type": "user_attributes",
            "connection_id": "golden-conn",
            "data_model_id": "golden-model",
            "field_transformation_id": None,
            "partner_feed_id": 55555,
            "state": "paused",
            "sync_mode": {
                "type": "incremental",
                "iterator_field": "updated_at",
                "iterator_data_type": "timestamp_micros",
            },
            "schedule": {"type": "on_demand", "start": "2024-01-01T00:00:00.000Z", "end": None},
            "environment": "staging",
            "data_plan_id": None,
            "data_plan_version": None,
            **COMMON_SERVED,
            "last_modified_on": "2024-05-03T09:00:00.000Z",
            "last_modified_by": "ui-user@example.com",
        },
    )
    written = {**ON_DEMAND, "partner_feed_key": FEED_KEY}
    del written["partner_feed_id"]
    previous = {**written, "workspace_id": "1001", "__input_keys": sorted(written), "partner_feed_id": 55555}
    result = serving(monkeypatch, api).pipeline.read("golden-pipe-od", props(previous))
    assert result.id == "golden-pipe-od"
    inputs = {
        "name": "On demand users",
        "pipeline_type": "user_attributes",
        "connection_id": "golden-conn",
        "data_model_id": "golden-model",
        "sync_mode": {"type": "incremental", "iterator_field": "updated_at", "iterator_data_type": "timestamp_micros"},
        # end: null on the wire, so not read back (it was written as 2025-01-01T00:00:00Z).
        "schedule": {"type": "on_demand", "start": "2024-01-01T00:00:00Z"},
        "environment": "staging",
        "partner_feed_key": "golden-feed-key",
        # Paused outside Pulumi: shows as paused=True although the program never set paused.
        "paused": True,
        "resource_id": "golden-pipe-od",
    }
    assert_json(result.inputs, inputs)
    assert_json(
        result.outs,
        {
            **COMMON_OUTPUTS,
            "last_modified_on": "2024-05-03T09:00:00.000Z",
            "last_modified_by": "ui-user@example.com",
            "state": "paused",
            "partner_feed_id": 55555,
            **inputs,
            "workspace_id": "1001",
            "__input_keys": [
                "connection_id", "data_model_id", "environment", "name", "partner_feed_key", "paused",
                "pipeline_type", "resource_id", "schedule", "sync_mode",
            ],
        },
    )


def test_read_feed_id_managed_unknown_pipeline_type_and_state(monkeypatch: pytest.MonkeyPatch) -> None:
    api = LiteralApi(
        "/platform/v2/workspaces/1001/pipelines/golden-pipe-ua",
        {
            "id": "golden-pipe-ua",
            "name": "Nightly users",
            "pipeline_type": "audiences",
            "connection_id": "golden-conn",
            "data_model_id": "golden-model",
            "partner_feed_id": 4242,
            "state": "disabled",
            "sync_mode": {"type": "full"},
            "schedule": {"type": "interval", "frequency": "fortnightly", "start": "2024-01-01T00:15:00.000Z"},
            "environment": "production",
            **COMMON_SERVED,
        },
    )
    previous = {**USER_ATTRIBUTES, "paused": False, "workspace_id": "1001",
                "__input_keys": sorted([*USER_ATTRIBUTES, "paused"])}
    result = serving(monkeypatch, api).pipeline.read("golden-pipe-ua", props(previous))
    assert result.id == "golden-pipe-ua"
    inputs = {
        "name": "Nightly users",
        "pipeline_type": "audiences",
        "connection_id": "golden-conn",
        "data_model_id": "golden-model",
        "sync_mode": {"type": "full"},
        "schedule": {"type": "interval", "frequency": "fortnightly", "start": "2024-01-01T00:15:00Z"},
        "environment": "production",
        "partner_feed_id": 4242.0,
        "paused": False,
        "resource_id": "golden-pipe-ua",
    }
    assert_json(result.inputs, inputs)
    assert_json(
        result.outs,
        {
            **COMMON_OUTPUTS,
            "state": "disabled",
            "partner_feed_id": 4242.0,
            **inputs,
            "workspace_id": "1001",
            "__input_keys": [
                "connection_id", "data_model_id", "environment", "name", "partner_feed_id", "paused",
                "pipeline_type", "resource_id", "schedule", "sync_mode",
            ],
        },
    )


# --- the emulator's GET -------------------------------------------------------------------


@pytest.mark.usefixtures("dependencies")
def test_emulator_serves_a_pipeline(providers: Providers, emulator: EmulatorHandle) -> None:
    created = providers.pipeline.create(props(EVENTS))
    providers.pipeline.update("golden-pipe-ev", created.outs or {}, props({**EVENTS, "paused": True}))
    status, body = emulator_get(emulator, "/platform/v2/workspaces/1001/pipelines/golden-pipe-ev")
    assert status == 200
    assert_json(
        normalise_timestamps(body),
        {
            "id": "golden-pipe-ev",
            "name": "Order events",
            "pipeline_type": "events",
            "state": "paused",
            "sync_mode": {
                "type": "incremental",
                "iterator_field": "updated_at",
                "iterator_data_type": "timestamp_ntz",
                "from": "2024-01-01T00:00:00Z",
                "until": "2024-06-30T23:59:59Z",
            },
            "schedule": {"type": "once", "start": "2024-07-01T02:00:00Z"},
            "environment": "development",
            "connection_id": "golden-conn",
            "data_model_id": "golden-model",
            "field_transformation_id": "golden-ft",
            "data_plan_id": "golden_plan",
            "data_plan_version": 3,
            "partner_feed_id": 28281,
            "status": "healthy",
            "errors": [],
            "created_on": "<timestamp>",
            "created_by": "demo@emulator.local",
            "last_modified_on": "<timestamp>",
            "last_modified_by": "demo@emulator.local",
        },
    )


def test_emulator_masks_the_feed_key_when_switched_to_mask(
    providers: Providers, emulator: EmulatorHandle, dependencies: None
) -> None:
    emulator.control.set_switches(secret_mode="mask")
    providers.pipeline.create(props(EVENTS))
    status, body = emulator_get(emulator, "/platform/v2/workspaces/1001/pipelines/golden-pipe-ev")
    assert status == 200
    assert (body["partner_feed_key"], body["partner_feed_id"]) == ("************", 28281)
