"""Following the provider's advice never loses an object: what one provider process knows of the
stack's objects (``resources/_stack_objects.py``) and what the provider does with it.

Each test is one engine operation (one provider process): ``STACK_OBJECTS`` starts empty.
"""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.resources import DeleteRefusedError, DuplicateIdError, OperationError
from pulumi_mparticle_wsync.resources._stack_objects import STACK_OBJECTS, ObjectKey

from ..models import samples
from .conftest import Providers, configured, stack_config
from .helpers import api_calls, engine_props, stored


def _renamed(inputs: dict[str, Any], name: str, **changes: Any) -> dict[str, Any]:
    return {**inputs, "__pulumi_name": name, **changes}


# --- 3. the duplicate-id hint, followed ------------------------------------------------------


def test_duplicate_id_message_leads_with_aliases(providers: Providers) -> None:
    old = samples.data_model(resource_id="users")
    providers.data_model.create(engine_props(old))
    with pytest.raises(DuplicateIdError) as raised:
        providers.data_model.create(engine_props(_renamed(old, "users-renamed")))
    message = str(raised.value)
    assert message.startswith(
        "DataModel 'users' in workspace 1001 already exists. If this stack already manages it under another "
        "resource name (you renamed the DataModel or moved it into a component), do not adopt it: give this "
        'resource the old name in opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="<old resource name>")])'
    )
    assert message.index("aliases") < message.index("adopt=True")


def test_adopting_under_a_new_name_then_deleting_the_old_resource_keeps_the_object(
    providers: Providers, emulator: EmulatorHandle
) -> None:
    old_inputs = samples.data_model(resource_id="users")
    old = providers.data_model.create(engine_props(old_inputs))
    STACK_OBJECTS.clear()  # the next `pulumi up` is a new provider process
    emulator.control.clear_log()

    # The user renamed the resource and, following the hint, set adopt=True.
    new_inputs = _renamed(old_inputs, "users-renamed", adopt=True)
    adopted = providers.data_model.create(engine_props(new_inputs))
    assert adopted.id == "users"
    # The engine then deletes the resource the program no longer declares: the same object.
    providers.data_model.delete(old.id, old.outs or {})

    assert api_calls(emulator) == {"GET": 1, "PUT": 1}  # no DELETE was sent
    assert [o[wire.ID] for o in emulator.control.list_objects("1001", wire.DATA_MODELS)] == ["users"]
    assert (stored(emulator, wire.DATA_MODELS, "users") or {})[wire.NAME] == "Active users"


def test_created_again_under_a_new_name_then_deleting_the_old_resource_keeps_the_object(
    providers: Providers, emulator: EmulatorHandle
) -> None:
    old_inputs = samples.data_model(resource_id="users")
    old = providers.data_model.create(engine_props(old_inputs))
    emulator.control.delete_object("1001", wire.DATA_MODELS, "users")  # gone outside Pulumi
    STACK_OBJECTS.clear()
    emulator.control.clear_log()

    providers.data_model.create(engine_props(_renamed(old_inputs, "users-renamed")))
    providers.data_model.delete(old.id, old.outs or {})

    assert api_calls(emulator) == {"POST": 1}
    assert [o[wire.ID] for o in emulator.control.list_objects("1001", wire.DATA_MODELS)] == ["users"]


def test_a_later_update_that_removes_the_old_resource_keeps_the_object(
    providers: Providers, emulator: EmulatorHandle
) -> None:
    """Both resources reached the state (the update that adopted was interrupted before its
    delete, or both were declared); the old one is removed in a later update."""
    old_inputs = samples.data_model(resource_id="users")
    old = providers.data_model.create(engine_props(old_inputs))
    STACK_OBJECTS.clear()
    new_inputs = _renamed(old_inputs, "users-renamed", adopt=True)
    adopted = providers.data_model.create(engine_props(new_inputs))

    STACK_OBJECTS.clear()  # the later `pulumi up`: a new process
    emulator.control.clear_log()
    diff = providers.data_model.diff(adopted.id, adopted.outs or {}, engine_props(new_inputs))
    assert diff.changes is False
    providers.data_model.delete(old.id, old.outs or {})

    assert api_calls(emulator) == {}
    assert [o[wire.ID] for o in emulator.control.list_objects("1001", wire.DATA_MODELS)] == ["users"]


def test_destroy_deletes_an_object_two_resources_hold(providers: Providers, emulator: EmulatorHandle) -> None:
    """`destroy` (with or without --run-program) removes every resource: the object goes too."""
    old_inputs = samples.data_model(resource_id="users")
    old = providers.data_model.create(engine_props(old_inputs))
    new_inputs = _renamed(old_inputs, "users-renamed", adopt=True)
    STACK_OBJECTS.clear()
    adopted = providers.data_model.create(engine_props(new_inputs))

    # destroy --run-program: the program's resources were diffed, then both are deleted.
    STACK_OBJECTS.clear()
    providers.data_model.diff(adopted.id, adopted.outs or {}, engine_props(new_inputs))
    providers.data_model.diff(old.id, old.outs or {}, engine_props(old_inputs))
    emulator.control.clear_log()
    providers.data_model.delete(old.id, old.outs or {})  # the other one still holds it: kept
    providers.data_model.delete(adopted.id, adopted.outs or {})  # the last holder: deleted
    assert api_calls(emulator) == {"DELETE": 1}
    assert emulator.control.list_objects("1001", wire.DATA_MODELS) == []


def test_plain_destroy_deletes_an_object_two_resources_hold(providers: Providers, emulator: EmulatorHandle) -> None:
    old_inputs = samples.data_model(resource_id="users")
    old = providers.data_model.create(engine_props(old_inputs))
    STACK_OBJECTS.clear()
    adopted = providers.data_model.create(engine_props(_renamed(old_inputs, "users-renamed", adopt=True)))

    STACK_OBJECTS.clear()  # destroy without the program: no diff, only deletes
    emulator.control.clear_log()
    providers.data_model.delete(old.id, old.outs or {})
    providers.data_model.delete(adopted.id, adopted.outs or {})  # already gone: proven by the list
    assert emulator.control.list_objects("1001", wire.DATA_MODELS) == []
    assert api_calls(emulator)["DELETE"] == 2


def test_a_resource_replaced_with_its_own_id_is_still_deleted_first(
    providers: Providers, emulator: EmulatorHandle
) -> None:
    inputs = samples.connection(resource_id="warehouse")
    created = providers.connection.create(engine_props(inputs))
    STACK_OBJECTS.clear()
    switched = {k: v for k, v in inputs.items() if k != "snowflake"} | {"databricks": samples.databricks()}
    diff = providers.connection.diff(created.id, created.outs or {}, engine_props(switched))
    assert (diff.replaces, diff.delete_before_replace) == (["databricks", "snowflake"], True)
    emulator.control.clear_log()
    providers.connection.delete(created.id, created.outs or {})
    assert api_calls(emulator) == {"DELETE": 1}
    assert STACK_OBJECTS.is_replaced_first(ObjectKey("1001", wire.CONNECTIONS, "warehouse"))


# --- 4. moves between workspaces -------------------------------------------------------------


def test_removing_workspace_id_moves_the_object_back(providers: Providers) -> None:
    inputs = samples.data_model(workspace_id="3005")
    created = providers.data_model.create(engine_props(inputs))
    without = {k: v for k, v in inputs.items() if k != "workspace_id"}
    diff = providers.data_model.diff(created.id, created.outs or {}, engine_props(without))
    assert (diff.changes, diff.replaces, diff.delete_before_replace) == (True, ["workspace_id"], False)


def test_changing_the_workspace_setting_moves_objects_without_an_argument(
    providers: Providers, emulator: EmulatorHandle
) -> None:
    inputs = samples.data_model(resource_id="users")
    created = providers.data_model.create(engine_props(inputs))
    outs = created.outs or {}
    assert providers.data_model.diff(created.id, outs, engine_props(inputs)).changes is False

    moved = configured(stack_config(emulator, workspaceId="2002"))
    diff = moved.data_model.diff(created.id, outs, engine_props(inputs))
    # The same id in another workspace does not collide: the new object is created first.
    assert (diff.changes, diff.replaces, diff.delete_before_replace) == (True, ["workspace_id"], False)
    pinned = moved.data_model.diff(created.id, outs, engine_props({**inputs, "workspace_id": "1001"}))
    assert pinned.changes is False

    unset = configured(stack_config(emulator, workspaceId=None))  # nothing says where: stays
    assert unset.data_model.diff(created.id, outs, engine_props(inputs)).changes is False


def test_a_reference_to_the_stacks_object_in_another_workspace_is_refused_offline(
    providers: Providers, emulator: EmulatorHandle
) -> None:
    conn = providers.connection.create(engine_props(samples.connection(workspace_id="3005")))
    model = providers.data_model.create(engine_props(samples.data_model()))
    emulator.control.clear_log()

    result = providers.pipeline.check({}, engine_props(samples.pipeline(conn.id, model.id, workspace_id="3003")))
    assert [(f.property, f.reason) for f in result.failures] == [
        ("connection_id", f"Connection {conn.id!r} is in workspace 3005, but this Pipeline is in workspace 3003, "
         "and a Pipeline can only use objects of its own workspace: give the Pipeline workspace_id=\"3005\", "
         "or give the Connection workspace_id=\"3003\" (which moves it: a replacement)"),
        ("data_model_id", f"DataModel {model.id!r} is in workspace 1001, but this Pipeline is in workspace 3003, "
         "and a Pipeline can only use objects of its own workspace: give the Pipeline workspace_id=\"1001\", "
         "or give the DataModel workspace_id=\"3003\" (which moves it: a replacement)"),
    ]
    assert api_calls(emulator) == {}
    same = providers.pipeline.check({}, engine_props(samples.pipeline(conn.id, model.id, workspace_id="1001")))
    assert [f.property for f in same.failures] == ["connection_id"]
    # Inputs recorded before the connection moved are not validated again, but still refused.
    recorded = engine_props(same.inputs)
    kept = providers.pipeline.check(recorded, engine_props(samples.pipeline(conn.id, model.id, workspace_id="1001")))
    assert [f.property for f in kept.failures] == ["connection_id"]


# --- 5. replacement dead ends ----------------------------------------------------------------


def test_refused_delete_of_a_connection_replaced_with_its_own_id_says_to_drop_resource_id(
    providers: Providers, emulator: EmulatorHandle
) -> None:
    conn = providers.connection.create(engine_props(samples.connection(resource_id="warehouse")))
    model = providers.data_model.create(engine_props(samples.data_model()))
    providers.pipeline.create(engine_props(samples.pipeline(conn.id, model.id)))
    switched = {k: v for k, v in samples.connection(resource_id="warehouse").items() if k != "snowflake"}
    switched["databricks"] = samples.databricks()
    assert providers.connection.diff(conn.id, conn.outs or {}, engine_props(switched)).delete_before_replace

    with pytest.raises(DeleteRefusedError) as raised:
        providers.connection.delete(conn.id, conn.outs or {})
    message = str(raised.value)
    assert message.startswith("cannot delete Connection 'warehouse' in workspace 1001: ")
    assert message.endswith(
        "This delete is the first half of replacing the Connection: it keeps resource_id='warehouse', so the "
        "old object must be gone before the new one can take that id. Remove resource_id from the program: "
        "the new Connection then gets a new id and is created first, the pipelines that use it are switched "
        "over, and only then is the old one deleted"
    )
    assert stored(emulator, wire.CONNECTIONS, "warehouse") is not None


def test_an_active_pipeline_refused_at_the_limit_says_delete_before_replace(
    providers: Providers, emulator: EmulatorHandle
) -> None:
    conn = providers.connection.create(engine_props(samples.connection()))
    model = providers.data_model.create(engine_props(samples.data_model()))
    for n in range(wire.MAX_ACTIVE_PIPELINES):
        providers.pipeline.create(engine_props(samples.pipeline(conn.id, model.id, pulumi_name=f"p{n}")))
    emulator.control.clear_log()

    with pytest.raises(OperationError) as raised:
        providers.pipeline.create(engine_props(samples.pipeline(conn.id, model.id, pulumi_name="sixth")))
    assert str(raised.value).endswith(
        "Workspace 1001 already has 5 active pipelines, the most mParticle allows. If this pipeline replaces an "
        "active one (a change of pipeline_type, resource_id or workspace_id), let Pulumi delete the old one "
        "first: add opts=pulumi.ResourceOptions(delete_before_replace=True) to the Pipeline (the sync stops "
        "between the delete and the create). Otherwise pause another pipeline (paused=True) first"
    )
    assert api_calls(emulator) == {"POST": 1, "GET": 1}
    assert len(emulator.control.list_objects("1001", wire.PIPELINES)) == wire.MAX_ACTIVE_PIPELINES


def test_a_refused_create_below_the_limit_gets_no_limit_hint(providers: Providers, emulator: EmulatorHandle) -> None:
    with pytest.raises(OperationError) as raised:
        providers.pipeline.create(engine_props(samples.pipeline("no-such-connection", "no-such-model")))
    assert "delete_before_replace" not in str(raised.value)
    assert "does not exist in workspace 1001" in str(raised.value)


# --- 2. a read or delete refused over settings -----------------------------------------------


def test_a_refused_credential_on_read_says_how_to_use_current_settings(
    providers: Providers, emulator: EmulatorHandle
) -> None:
    created = providers.data_model.create(engine_props(samples.data_model()))
    stale = configured(stack_config(emulator, clientSecret="rotated-away"))
    with pytest.raises(Exception) as raised:
        stale.data_model.read(created.id, created.outs or {})
    assert str(raised.value).endswith(
        "If you changed mparticle:* settings (apiUrl, authUrl, clientId, clientSecret) since the last "
        "`pulumi up`: `pulumi refresh` and `pulumi destroy` use the settings recorded by that up; run "
        "`pulumi refresh --run-program` or `pulumi destroy --run-program` to use the current ones"
    )
    assert stored(emulator, wire.DATA_MODELS, created.id) is not None


def test_the_workspace_setting_from_the_environment_moves_objects_too(
    providers: Providers, emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = samples.data_model(resource_id="users")
    created = providers.data_model.create(engine_props(inputs))
    monkeypatch.setenv("MPARTICLE_WORKSPACE_ID", " 2002 ")
    from_env = configured(stack_config(emulator, workspaceId=None))
    diff = from_env.data_model.diff(created.id, created.outs or {}, engine_props(inputs))
    assert (diff.changes, diff.replaces, diff.delete_before_replace) == (True, ["workspace_id"], False)
