"""FieldTransformation: the literal bodies of create (POST) and update (PUT), what ``read``
makes of a literal served body, and what the emulator serves on GET."""

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

# Column, static with a string, static with a number (a float, as the engine hands numbers
# over; a whole one goes on the wire as an integer), and ignore, in one transformation.
MAPPINGS: list[dict[str, Any]] = [
    {"mapping_type": "column", "source": "order_id", "destination": "events[].data.custom_attributes.order_id"},
    {"mapping_type": "static", "destination": "events[].data.event_name", "value": "purchase"},
    {"mapping_type": "static", "destination": "events[].data.custom_attributes.version", "value": 42.0},
    {"mapping_type": "ignore", "source": "internal_note"},
]
INPUTS: dict[str, Any] = {"name": "Orders to events", "resource_id": "golden-ft", "mappings": MAPPINGS}
CHANGED: dict[str, Any] = {
    **INPUTS,
    "mappings": [*MAPPINGS[:1], {**MAPPINGS[1], "value": "order_completed"}, *MAPPINGS[2:]],
}


def test_create_posts_and_update_puts_the_literal_body(
    providers: Providers, emulator: EmulatorHandle, sent: RecordingTransport
) -> None:
    created = providers.field_transformation.create(props(INPUTS))
    assert created.id == "golden-ft"
    assert [(s.method, s.path) for s in sent.api_calls()] == [("POST", "/platform/v2/workspaces/1001/transformations")]
    assert_json(
        sent.api_calls()[0].body,
        {
            "id": "golden-ft",
            "name": "Orders to events",
            "destination_type": "event_batch",
            "mappings": [
                {
                    "mapping_type": "column",
                    "source": "order_id",
                    "destination": "events[].data.custom_attributes.order_id",
                },
                {"mapping_type": "static", "destination": "events[].data.event_name", "value": "purchase"},
                {"mapping_type": "static", "destination": "events[].data.custom_attributes.version", "value": 42},
                {"mapping_type": "ignore", "source": "internal_note"},
            ],
        },
    )
    assert logged(emulator) == [("POST", "/platform/v2/workspaces/1001/transformations", "", 200, None, "golden-ft")]

    emulator.control.clear_log()
    sent.clear()
    providers.field_transformation.update("golden-ft", created.outs or {}, props(CHANGED))
    assert [(s.method, s.path) for s in sent.api_calls()] == [
        ("PUT", "/platform/v2/workspaces/1001/transformations/golden-ft")
    ]
    assert_json(
        sent.api_calls()[0].body,
        {
            "id": "golden-ft",
            "name": "Orders to events",
            "destination_type": "event_batch",
            "mappings": [
                {
                    "mapping_type": "column",
                    "source": "order_id",
                    "destination": "events[].data.custom_attributes.order_id",
                },
                {"mapping_type": "static", "destination": "events[].data.event_name", "value": "order_completed"},
                {"mapping_type": "static", "destination": "events[].data.custom_attributes.version", "value": 42},
                {"mapping_type": "ignore", "source": "internal_note"},
            ],
        },
    )
    assert logged(emulator) == [
        ("PUT", "/platform/v2/workspaces/1001/transformations/golden-ft", "", 200, "golden-ft", None)
    ]


def test_read_literal_served_body(monkeypatch: pytest.MonkeyPatch) -> None:
    api = LiteralApi(
        "/platform/v2/workspaces/1001/transformations/golden-ft",
        {
            "id": "golden-ft",
            "name": "Orders to events",
            "destination_type": "event_batch",
            "mappings": [
                {
                    "mapping_type": "column",
                    "source": "order_id",
                    "destination": "events[].data.custom_attributes.order_id",
                },
                {"mapping_type": "static", "source": None, "destination": "events[].data.event_name",
                 "value": "purchase"},
                {"mapping_type": "static", "destination": "events[].data.custom_attributes.version", "value": 42},
                {"mapping_type": "hash", "source": "email", "destination": "user_identities.email",
                 "algorithm": "sha256"},
            ],
            "status": "healthy",
            "errors": [],
            "created_on": "2024-05-01T10:00:00.000Z",
            "created_by": "owner@example.com",
            "last_modified_on": None,
            "last_modified_by": None,
        },
    )
    previous = {
        **INPUTS,
        "workspace_id": "1001",
        "__input_keys": ["mappings", "name", "resource_id"],
        "status": "healthy",
    }
    result = serving(monkeypatch, api).field_transformation.read("golden-ft", props(previous))
    assert [(s.method, s.path) for s in api.sent] == [
        ("POST", "/oauth/token"),
        ("GET", "/platform/v2/workspaces/1001/transformations"),  # the listing serves the read
    ]
    assert result.id == "golden-ft"
    mappings = [
        {"mapping_type": "column", "source": "order_id", "destination": "events[].data.custom_attributes.order_id"},
        {"mapping_type": "static", "destination": "events[].data.event_name", "value": "purchase"},
        # The value as written (42.0) where the server holds the same number (42).
        {"mapping_type": "static", "destination": "events[].data.custom_attributes.version", "value": 42.0},
        # A mapping type the provider does not know passes through; fields it does not know are dropped.
        {"mapping_type": "hash", "source": "email", "destination": "user_identities.email"},
    ]
    assert_json(result.inputs, {"name": "Orders to events", "mappings": mappings, "resource_id": "golden-ft"})
    assert_json(
        result.outs,
        {
            "status": "healthy",
            "errors": [],
            "created_on": "2024-05-01T10:00:00.000Z",
            "created_by": "owner@example.com",
            "last_modified_on": None,
            "last_modified_by": None,
            "name": "Orders to events",
            "mappings": mappings,
            "resource_id": "golden-ft",
            "workspace_id": "1001",
            "__input_keys": ["mappings", "name", "resource_id"],
        },
    )


def test_emulator_serves_a_field_transformation(providers: Providers, emulator: EmulatorHandle) -> None:
    providers.field_transformation.create(props(INPUTS))
    status, body = emulator_get(emulator, "/platform/v2/workspaces/1001/transformations/golden-ft")
    assert status == 200
    assert_json(
        normalise_timestamps(body),
        {
            "id": "golden-ft",
            "name": "Orders to events",
            "destination_type": "event_batch",
            "mappings": [
                {
                    "mapping_type": "column",
                    "source": "order_id",
                    "destination": "events[].data.custom_attributes.order_id",
                },
                {"mapping_type": "static", "destination": "events[].data.event_name", "value": "purchase"},
                {"mapping_type": "static", "destination": "events[].data.custom_attributes.version", "value": 42},
                {"mapping_type": "ignore", "source": "internal_note"},
            ],
            "status": "healthy",
            "errors": [],
            "created_on": "<timestamp>",
            "created_by": "demo@emulator.local",
            "last_modified_on": None,
            "last_modified_by": None,
        },
    )
