"""Ordinary operator mistakes, made as a user makes them, under the real engine: following what the
provider prints never loses, orphans or duplicates an object.

- renaming a resource that has an explicit ``resource_id`` (no alias), then following either
  hint of the duplicate-id message: ``aliases``, or ``adopt=True``; and the old resource removed
  in a later update;
- moving between workspaces: removing ``workspace_id``, changing ``mparticle:workspaceId``, a
  pipeline that uses an object of another workspace;
- replacement dead ends: a warehouse-kind switch of a connection with an explicit id that a
  pipeline uses, and the replacement of an active pipeline in a workspace at the active limit.

After each scenario the emulator holds every object exactly once and the state tracks it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

import pulumi_mparticle_wsync as mp
from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .conftest import StackFactory
from .harness import EngineStack

pytestmark = pytest.mark.engine

WS = "1001"
OTHER_WS = "3005"


def _failure(run: Callable[[], Any]) -> str:
    with pytest.raises(auto.CommandError) as failed:
        run()
    return str(failed.value)


def _ids(emulator: EmulatorHandle, collection: str, workspace: str = WS) -> list[str]:
    return sorted(str(o[wire.ID]) for o in emulator.control.list_objects(workspace, collection))


def _state_ids(stack: EngineStack, kind: str) -> dict[str, str]:
    """Resource name -> id, for the stack's resources of ``kind``."""
    return {
        r["urn"].rsplit("::", 1)[1]: r["id"]
        for r in stack.resources(f"mparticle:{kind}")
    }


def _summary(run: Any) -> dict[str, int]:
    changes: dict[str, int] = run.result.summary.resource_changes
    return {op: n for op, n in changes.items() if op != "same"}


def _writes(emulator: EmulatorHandle) -> int:
    return sum(emulator.control.count(method) for method in ("POST", "PUT", "DELETE"))


def _connection(name: str = "wh", **overrides: Any) -> mp.Connection:
    args: dict[str, Any] = {
        "name": "Warehouse",
        "snowflake": mp.SnowflakeConfigArgs(
            account_identifier="acme", region="us-central1.gcp", warehouse="WH", database="DB", role="SYNC",
            user="SYNC_USER", password="operator-mistakes-pw-1", storage_integration="mp_us1_1_2_s3"),
    }
    args.update(overrides)
    return mp.Connection(name, **args)


def _model(name: str = "users", **overrides: Any) -> mp.DataModel:
    args: dict[str, Any] = {"name": "Users", "sql_query": "SELECT email, plan, updated_at FROM db.s.users"}
    args.update(overrides)
    return mp.DataModel(name, **args)


def _pipeline(name: str, conn: mp.Connection, model: mp.DataModel, **overrides: Any) -> mp.Pipeline:
    args: dict[str, Any] = {
        "name": name, "pipeline_type": "user_attributes", "connection_id": conn.id, "data_model_id": model.id,
        "partner_feed_id": 42, "sync_mode": mp.SyncModeArgs(type="full"),
        "schedule": mp.ScheduleArgs(type="interval", frequency="daily", start="2026-01-01T00:15:00Z"),
        "environment": "development",
    }
    args.update(overrides)
    return mp.Pipeline(name, **args)


# --- 3. a rename without an alias, and the duplicate-id message followed ------------------------


def _renamable(settings: dict[str, Any]) -> Callable[[], None]:
    def program() -> None:
        opts = pulumi.ResourceOptions(aliases=[pulumi.Alias(name="users")]) if settings.get("alias") else None
        for name in settings["names"]:
            _model(name, resource_id="active-users", adopt=settings.get("adopt", {}).get(name, False), opts=opts)
    return program


def _renamed_after_up(make_stack: StackFactory) -> tuple[EngineStack, dict[str, Any]]:
    """A stack whose DataModel "users" (resource_id "active-users") is up, then renamed without an alias."""
    settings: dict[str, Any] = {"names": ["users"]}
    stack = make_stack(_renamable(settings))
    stack.up()
    settings["names"] = ["users-renamed"]
    return stack, settings


def test_rename_fails_with_a_message_leading_with_aliases_and_the_alias_keeps_the_object(
    make_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    stack, settings = _renamed_after_up(make_stack)
    output = _failure(stack.up)
    assert (
        "DataModel 'active-users' in workspace 1001 already exists. If this stack already manages it under "
        "another resource name (you renamed the DataModel or moved it into a component), do not adopt it"
    ) in output
    assert output.index("aliases=[pulumi.Alias(") < output.index("set adopt=True")
    assert _ids(emulator, wire.DATA_MODELS) == ["active-users"]
    assert _state_ids(stack, "DataModel") == {"users": "active-users"}  # the failed create left nothing

    settings["alias"] = True
    emulator.control.clear_log()
    up = stack.up()
    assert _summary(up) == {}
    assert _writes(emulator) == 0
    assert _state_ids(stack, "DataModel") == {"users-renamed": "active-users"}
    assert _ids(emulator, wire.DATA_MODELS) == ["active-users"]


def test_rename_then_adopt_keeps_the_object_the_old_resource_held(
    make_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    stack, settings = _renamed_after_up(make_stack)
    _failure(stack.up)

    settings["adopt"] = {"users-renamed": True}  # the message's second hint, as users follow it
    emulator.control.clear_log()
    up = stack.up()
    assert _summary(up) == {"create": 1, "delete": 1}
    assert emulator.control.count("DELETE") == 0, "the old resource's delete must not remove the object"
    assert _ids(emulator, wire.DATA_MODELS) == ["active-users"]
    assert _state_ids(stack, "DataModel") == {"users-renamed": "active-users"}
    assert set(stack.preview().result.change_summary) == {"same"}
    assert _summary(stack.refresh()) == {}
    assert _ids(emulator, wire.DATA_MODELS) == ["active-users"]


def test_the_old_resource_removed_in_a_later_update_keeps_the_object(
    make_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    settings: dict[str, Any] = {"names": ["users"]}
    stack = make_stack(_renamable(settings))
    stack.up()
    # Both declared for one update (the way there: an adopting update stopped before its delete).
    settings["names"] = ["users", "users-renamed"]
    settings["adopt"] = {"users-renamed": True}
    stack.up()
    assert _state_ids(stack, "DataModel") == {"users": "active-users", "users-renamed": "active-users"}

    settings["names"] = ["users-renamed"]
    emulator.control.clear_log()
    up = stack.up()
    assert _summary(up) == {"delete": 1}
    assert emulator.control.count("DELETE") == 0
    assert _ids(emulator, wire.DATA_MODELS) == ["active-users"]
    assert _state_ids(stack, "DataModel") == {"users-renamed": "active-users"}

    stack.destroy()  # the last resource holding it: the object goes
    assert _ids(emulator, wire.DATA_MODELS) == []


# --- 4. moves between workspaces ------------------------------------------------------------------


def test_removing_workspace_id_moves_the_object_back_to_the_configured_workspace(
    make_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    settings: dict[str, Any] = {"workspace_id": OTHER_WS}

    def program() -> None:
        _model(resource_id="active-users", workspace_id=settings["workspace_id"])

    stack = make_stack(program)
    stack.up()
    assert _ids(emulator, wire.DATA_MODELS, OTHER_WS) == ["active-users"]

    settings["workspace_id"] = None
    preview = stack.preview()
    assert preview.result.change_summary.get("replace") == 1, preview.output
    assert "workspace_id" in preview.output
    stack.up()
    assert _ids(emulator, wire.DATA_MODELS, WS) == ["active-users"]
    assert _ids(emulator, wire.DATA_MODELS, OTHER_WS) == []
    state = stack.resources("mparticle:DataModel")
    assert [(r["id"], r["outputs"]["workspace_id"]) for r in state] == [("active-users", WS)]
    assert set(stack.preview().result.change_summary) == {"same"}


def test_changing_the_workspace_setting_shows_and_moves_every_resource_without_workspace_id(
    make_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    def program() -> None:
        conn = _connection()
        model = _model()
        _pipeline("users-daily", conn, model)
        _model("pinned", resource_id="pinned", workspace_id=WS)

    stack = make_stack(program)
    stack.up()
    stack.stack.set_config("mparticle:workspaceId", auto.ConfigValue("2002"))

    preview = stack.preview()
    assert preview.result.change_summary.get("replace") == 3, preview.output
    emulator.control.clear_log()
    up = stack.up()
    assert _summary(up) == {"replace": 3}
    for collection in (wire.CONNECTIONS, wire.DATA_MODELS, wire.PIPELINES):
        assert len(_ids(emulator, collection, "2002")) == 1, collection
    assert _ids(emulator, wire.CONNECTIONS, WS) == [] and _ids(emulator, wire.PIPELINES, WS) == []
    assert _ids(emulator, wire.DATA_MODELS, WS) == ["pinned"]
    workspaces = {r["urn"].rsplit("::", 1)[1]: r["outputs"]["workspace_id"] for r in stack.resources()
                  if r["type"].startswith("pulumi-python:dynamic/mparticle:")}
    assert workspaces == {"wh": "2002", "users": "2002", "users-daily": "2002", "pinned": WS}
    assert set(stack.preview().result.change_summary) == {"same"}


def test_a_pipeline_using_a_connection_of_another_workspace_is_refused_before_any_call(
    make_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    settings: dict[str, Any] = {"pipeline": False}

    def program() -> None:
        conn = _connection(workspace_id=OTHER_WS)
        model = _model(workspace_id=OTHER_WS)
        if settings["pipeline"]:
            _pipeline("users-daily", conn, model, workspace_id="3003")

    stack = make_stack(program)
    stack.up()
    settings["pipeline"] = True
    emulator.control.clear_log()
    output = _failure(stack.preview)
    conn_id = _ids(emulator, wire.CONNECTIONS, OTHER_WS)[0]
    assert (
        f"Connection '{conn_id}' is in workspace 3005, but this Pipeline is in workspace 3003, and a Pipeline "
        'can only use objects of its own workspace: give the Pipeline workspace_id="3005", or give the '
        'Connection workspace_id="3003" (which moves it: a replacement)'
    ) in output
    assert emulator.control.requests() == []
    _failure(stack.up)
    assert _writes(emulator) == 0
    assert _ids(emulator, wire.PIPELINES, "3003") == [] and _ids(emulator, wire.PIPELINES, OTHER_WS) == []


# --- 5. replacement dead ends ---------------------------------------------------------------------


def test_warehouse_switch_of_a_used_connection_with_an_explicit_id_names_the_fix(
    make_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    settings: dict[str, Any] = {"databricks": False, "resource_id": "warehouse"}

    def program() -> None:
        block: dict[str, Any] = (
            {"snowflake": None, "databricks": mp.DatabricksConfigArgs(provider="share", catalog="main", schema="crm")}
            if settings["databricks"] else {}
        )
        conn = _connection(resource_id=settings["resource_id"], **block)
        _pipeline("users-daily", conn, _model())

    stack = make_stack(program)
    stack.up()
    settings["databricks"] = True
    output = _failure(stack.up)
    assert "This delete is the first half of replacing the Connection: it keeps resource_id='warehouse'" in output
    assert "Remove resource_id from the program" in output
    assert _ids(emulator, wire.CONNECTIONS) == ["warehouse"]
    assert len(_ids(emulator, wire.PIPELINES)) == 1

    settings["resource_id"] = None  # the fix the message names
    up = stack.up()
    assert up.result.summary.result == "succeeded"
    connections = emulator.control.list_objects(WS, wire.CONNECTIONS)
    assert [c["service_provider"].lower() for c in connections] == ["databricks"]
    (pipeline,) = emulator.control.list_objects(WS, wire.PIPELINES)
    assert pipeline["connection_id"] == connections[0]["id"] != "warehouse"
    assert _state_ids(stack, "Connection") == {"wh": connections[0]["id"]}
    assert set(stack.preview().result.change_summary) == {"same"}


def test_replacing_an_active_pipeline_at_the_active_limit_names_delete_before_replace(
    make_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    settings: dict[str, Any] = {"type": "user_attributes", "dbr": False}

    def program() -> None:
        conn = _connection()
        model = _model()
        transformation = mp.FieldTransformation("purchases", name="Purchases", mappings=[
            mp.FieldMappingArgs(mapping_type="static", value="purchase", destination="events[].data.event_name")])
        for n in range(wire.MAX_ACTIVE_PIPELINES - 1):
            _pipeline(f"p{n}", conn, model)
        extra = {"field_transformation_id": transformation.id} if settings["type"] == "events" else {}
        _pipeline("changing", conn, model, pipeline_type=settings["type"],
                  opts=pulumi.ResourceOptions(delete_before_replace=True) if settings["dbr"] else None, **extra)

    stack = make_stack(program)
    stack.up()
    before = _state_ids(stack, "Pipeline")
    settings["type"] = "events"
    output = _failure(stack.up)
    assert "Workspace 1001 already has 5 active pipelines, the most mParticle allows." in output
    assert "opts=pulumi.ResourceOptions(delete_before_replace=True)" in output
    assert _ids(emulator, wire.PIPELINES) == sorted(before.values())
    assert _state_ids(stack, "Pipeline") == before

    settings["dbr"] = True  # the fix the message names
    up = stack.up()
    assert _summary(up) == {"replace": 1}
    pipelines = emulator.control.list_objects(WS, wire.PIPELINES)
    assert len(pipelines) == wire.MAX_ACTIVE_PIPELINES
    assert sorted(p["id"] for p in pipelines) == sorted(_state_ids(stack, "Pipeline").values())
    assert [p["pipeline_type"] for p in pipelines if p["id"] == _state_ids(stack, "Pipeline")["changing"]] == [
        "events"]
