"""Each resource under the real engine: the whole life of a stack, step by step.

up → preview shows no changes (and a second up writes nothing) → in-place update → a change
that replaces → out-of-band edit: refresh shows and records the drift, up restores it →
out-of-band delete: refresh drops it, up recreates it → adoption of an existing object →
destroy leaves the emulator empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi
import pytest

import pulumi_mparticle_wsync as mp
from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .conftest import StackFactory

WRITES = ("POST", "PUT", "DELETE")
SNOWFLAKE_PASSWORD = "engine-snowflake-password-5a1"
FEED_KEY = "engine-feed-key-77c"


def _snowflake(**overrides: Any) -> mp.SnowflakeConfigArgs:
    values: dict[str, Any] = {
        "account_identifier": "acme", "region": "us-central1.gcp", "warehouse": "WH", "database": "DB",
        "role": "SYNC", "user": "SYNC_USER", "password": SNOWFLAKE_PASSWORD, "storage_integration": "mp_us1_1_2_s3",
    }
    values.update(overrides)
    return mp.SnowflakeConfigArgs(**values)


def _connection(**overrides: Any) -> mp.Connection:
    args: dict[str, Any] = {"name": "Warehouse", "snowflake": _snowflake()}
    args.update(overrides)
    return mp.Connection("wh", **args)


def _model(resource_name: str = "users", **overrides: Any) -> mp.DataModel:
    args: dict[str, Any] = {"name": "Users", "sql_query": "SELECT email, plan, updated_at FROM db.s.users"}
    args.update(overrides)
    return mp.DataModel(resource_name, **args)


def _transformation(**overrides: Any) -> mp.FieldTransformation:
    args: dict[str, Any] = {
        "name": "Purchases",
        "mappings": [
            mp.FieldMappingArgs(mapping_type="column", source="order_id",
                                destination="events[].data.custom_attributes.order_id"),
            mp.FieldMappingArgs(mapping_type="static", value="purchase", destination="events[].data.event_name"),
        ],
    }
    args.update(overrides)
    return mp.FieldTransformation("purchases", **args)


def _pipeline(**overrides: Any) -> mp.Pipeline:
    conn = _connection()
    model = _model()
    pipeline_type = overrides.pop("pipeline_type", "user_attributes")
    extra: dict[str, Any] = {}
    if pipeline_type == "events":
        extra["field_transformation_id"] = _transformation().id
    args: dict[str, Any] = {
        "name": "Users hourly",
        "pipeline_type": pipeline_type,
        "connection_id": conn.id,
        "data_model_id": model.id,
        "partner_feed_key": FEED_KEY,
        "sync_mode": mp.SyncModeArgs(type="incremental", iterator_field="updated_at",
                                     iterator_data_type="timestamp_ltz"),
        "schedule": mp.ScheduleArgs(type="interval", frequency="hourly", start="2026-01-01T00:15:00Z"),
        "environment": "development",
        **extra,
    }
    args.update(overrides)
    return mp.Pipeline("sync", **args)


@dataclass(frozen=True)
class Case:
    """One resource kind: how to build it, and what each step changes."""

    kind: str
    collection: str
    build: Callable[..., pulumi.CustomResource]
    in_place: dict[str, Any]
    in_place_property: str  # a property name the preview must show
    replacing: dict[str, Any]
    drift: dict[str, Any]  # an out-of-band edit, in wire shape
    drifted: Callable[[dict[str, Any]], Any]  # reads the edited value back from a served object
    original: Any  # the value the program declares for it
    adopt_seed: dict[str, Any]  # a wire body of an object "created in the UI"


CASES = [
    Case(
        kind="Connection",
        collection=wire.CONNECTIONS,
        build=_connection,
        in_place={"snowflake": _snowflake(warehouse="BIGGER_WH")},
        in_place_property="warehouse",
        replacing={"bigquery": mp.BigQueryConfigArgs(
            region="us-east4", project_id="p", dataset_id="d", service_account_id="sa@p.iam",
            service_account_key='{"type": "service_account", "private_key": "engine-bq-key-9f"}'),
            "snowflake": None},
        drift={"name": "Renamed in the UI"},
        drifted=lambda body: body["name"],
        original="Warehouse",
        adopt_seed={"id": "ui-made", "name": "From the UI", "service_provider": "snowflake",
                    "config": {"account_identifier": "acme", "region": "us-central1.gcp", "warehouse": "OLD_WH",
                               "database": "DB", "role": "SYNC", "user": "SYNC_USER", "password": "old-password",
                               "storage_integration": "mp_us1_1_2_s3"}},
    ),
    Case(
        kind="DataModel",
        collection=wire.DATA_MODELS,
        build=_model,
        in_place={"sql_query": "SELECT email, plan, country, updated_at FROM db.s.users"},
        in_place_property="sql_query",
        replacing={"resource_id": "users-explicit"},
        drift={"config": {"sql_query": "SELECT email FROM db.s.users"}},
        drifted=lambda body: body["config"]["sql_query"],
        original="SELECT email, plan, updated_at FROM db.s.users",
        adopt_seed={"id": "ui-made", "name": "From the UI", "type": "sql",
                    "config": {"sql_query": "SELECT email FROM db.s.legacy"}},
    ),
    Case(
        kind="FieldTransformation",
        collection=wire.FIELD_TRANSFORMATIONS,
        build=_transformation,
        in_place={"mappings": [
            mp.FieldMappingArgs(mapping_type="column", source="order_id",
                                destination="events[].data.custom_attributes.order_id"),
            mp.FieldMappingArgs(mapping_type="static", value="purchase", destination="events[].data.event_name"),
            mp.FieldMappingArgs(mapping_type="ignore", source="internal_note"),
        ]},
        in_place_property="mappings",
        replacing={"resource_id": "purchases-explicit"},
        drift={"name": "Renamed in the UI"},
        drifted=lambda body: body["name"],
        original="Purchases",
        adopt_seed={"id": "ui-made", "name": "From the UI", "destination_type": "event_batch",
                    "mappings": [{"mapping_type": "ignore", "source": "x"}]},
    ),
    Case(
        kind="Pipeline",
        collection=wire.PIPELINES,
        build=_pipeline,
        in_place={"paused": True,
                  "schedule": mp.ScheduleArgs(type="interval", frequency="daily", start="2026-01-01T00:15:00Z")},
        in_place_property="paused",
        replacing={"pipeline_type": "events"},
        drift={"state": "paused"},
        drifted=lambda body: body["state"],
        original="active",
        adopt_seed={},  # built in the test: a pipeline needs a connection and a data model first
    ),
]


def _summary(run: Any) -> dict[str, int]:
    changes: dict[str, int] = run.result.summary.resource_changes
    return {op: n for op, n in changes.items() if op != "same"}


def _writes(emulator: EmulatorHandle) -> int:
    return sum(emulator.control.count(method) for method in WRITES)


def _objects(emulator: EmulatorHandle, collection: str) -> list[dict[str, Any]]:
    return emulator.control.list_objects(emulator.workspace_id, collection)


def _only_object(emulator: EmulatorHandle, collection: str) -> dict[str, Any]:
    objects = _objects(emulator, collection)
    assert len(objects) == 1, objects
    return objects[0]


@pytest.mark.engine
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.kind)
def test_full_lifecycle(case: Case, make_stack: StackFactory, emulator: EmulatorHandle) -> None:
    overrides: dict[str, Any] = {}

    def program() -> None:
        resource = case.build(**overrides)
        pulumi.export("id", resource.id)

    stack = make_stack(program)

    # 1. Create, then nothing to do.
    up = stack.up()
    assert up.result.summary.result == "succeeded"
    created = _only_object(emulator, case.collection)
    assert up.result.outputs["id"].value == created["id"]
    emulator.control.clear_log()
    preview = stack.preview()
    assert set(preview.result.change_summary) == {"same"}
    assert emulator.control.requests() == [], "a no-change preview must not call the API"
    again = stack.up()
    assert _summary(again) == {}
    assert _writes(emulator) == 0, emulator.control.request_counts()

    # 2. In-place update: exactly one PUT, same id.
    overrides.update(case.in_place)
    preview = stack.preview()
    assert preview.result.change_summary.get("update") == 1, preview.output
    assert case.in_place_property in preview.output
    emulator.control.clear_log()
    up = stack.up()
    assert _summary(up) == {"update": 1}
    assert emulator.control.count("PUT", case.collection) == 1
    assert emulator.control.count("POST", case.collection) == 0
    assert _only_object(emulator, case.collection)["id"] == created["id"]

    # 3. A change that replaces: a new object, the old one gone.
    overrides.update(case.replacing)
    preview = stack.preview()
    assert preview.result.change_summary.get("replace") == 1, preview.output
    up = stack.up()
    assert _summary(up).get("replace") == 1
    replaced = _only_object(emulator, case.collection)
    assert replaced["id"] != created["id"]
    if "resource_id" in case.replacing:
        assert replaced["id"] == case.replacing["resource_id"]
    assert stack.preview().result.change_summary.keys() == {"same"}

    # 4. Out-of-band edit: refresh records the drift, the next preview shows it, up restores it.
    for key in case.replacing:
        overrides.pop(key, None)
    overrides.clear()
    stack.up()
    current = _only_object(emulator, case.collection)
    emulator.control.edit_object(emulator.workspace_id, case.collection, current["id"], case.drift)
    emulator.control.clear_log()
    refresh = stack.refresh()
    assert _summary(refresh) == {"update": 1}, refresh.output
    assert emulator.control.count("GET", case.collection) >= 1
    assert _writes(emulator) == 0
    assert stack.preview().result.change_summary.get("update") == 1
    emulator.control.clear_log()
    stack.up()
    assert emulator.control.count("PUT", case.collection) == 1
    assert case.drifted(_only_object(emulator, case.collection)) == case.original

    # 5. Out-of-band delete: refresh drops it from state, up recreates it.
    gone_id = _only_object(emulator, case.collection)["id"]
    emulator.control.delete_object(emulator.workspace_id, case.collection, gone_id)
    refresh = stack.refresh()
    assert _summary(refresh) == {"delete": 1}, refresh.output
    emulator.control.clear_log()
    up = stack.up()
    assert _summary(up) == {"create": 1}
    assert emulator.control.count("POST", case.collection) == 1
    assert len(_objects(emulator, case.collection)) == 1

    # 6. Destroy leaves the workspace empty.
    stack.destroy()
    for collection in wire.COLLECTIONS:
        assert _objects(emulator, collection) == [], collection


@pytest.mark.engine
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.kind)
def test_adoption(case: Case, make_stack: StackFactory, emulator: EmulatorHandle) -> None:
    ws = emulator.workspace_id
    seed = dict(case.adopt_seed)
    if case.kind == "Pipeline":
        # Dependencies made in the UI too, then adopted alongside the pipeline.
        emulator.control.seed_object(ws, wire.CONNECTIONS, {
            "id": "ui-conn", "name": "UI", "service_provider": "databricks",
            "config": {"provider": "share", "catalog": "main", "schema": "crm"}})
        emulator.control.seed_object(ws, wire.DATA_MODELS, {
            "id": "ui-model", "name": "UI", "type": "sql", "config": {"sql_query": "SELECT email FROM t"}})
        seed = {"id": "ui-made", "name": "From the UI", "pipeline_type": "user_attributes",
                "connection_id": "ui-conn", "data_model_id": "ui-model", "partner_feed_id": 42,
                "state": "active", "sync_mode": {"type": "full"},
                "schedule": {"type": "on_demand", "start": "2026-01-01T00:00:00Z"},
                "environment": "development"}
    emulator.control.seed_object(ws, case.collection, seed)

    def program() -> None:
        if case.kind == "Pipeline":
            conn = mp.Connection("conn", resource_id="ui-conn", adopt=True, name="UI",
                                 databricks=mp.DatabricksConfigArgs(provider="share", catalog="main", schema="crm"))
            model = mp.DataModel("model", resource_id="ui-model", adopt=True, name="UI",
                                 sql_query="SELECT email FROM t")
            mp.Pipeline("adopted", resource_id="ui-made", adopt=True, name="Now managed",
                        pipeline_type="user_attributes", connection_id=conn.id, data_model_id=model.id,
                        partner_feed_id=42, sync_mode=mp.SyncModeArgs(type="full"),
                        schedule=mp.ScheduleArgs(type="on_demand", start="2026-01-01T00:00:00Z"),
                        environment="development")
        else:
            case.build(resource_id="ui-made", adopt=True, name="Now managed")

    stack = make_stack(program)
    emulator.control.clear_log()
    up = stack.up()
    assert up.result.summary.result == "succeeded"
    adopted = emulator.control.get_object(ws, case.collection, "ui-made")
    assert adopted is not None and adopted["name"] == "Now managed"
    assert emulator.control.count("POST", case.collection) == 0, "adoption must not create a second object"
    assert len(_objects(emulator, case.collection)) == 1
    assert set(stack.preview().result.change_summary) == {"same"}
    stack.destroy()
    for collection in wire.COLLECTIONS:
        assert _objects(emulator, collection) == [], collection
