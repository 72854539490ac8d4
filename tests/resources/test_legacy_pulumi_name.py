"""States written before 0.2 keep the Pulumi resource name under ``name_prefix``; today's key is
``pulumi_name``. Such a state must behave exactly as one written today: a refresh rewrites the key,
a delete still recognises another resource holding the same object, and a preview sees no change.
"""

from __future__ import annotations

from typing import Any

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.resources._stack_objects import STACK_OBJECTS

from ..models import samples
from .conftest import Providers
from .helpers import api_calls, engine_props


def _as_written_before_0_2(outputs: dict[str, Any]) -> dict[str, Any]:
    """Outputs as an earlier version recorded them: the name under ``name_prefix``."""
    old = {("name_prefix" if k == "pulumi_name" else k): v for k, v in outputs.items()}
    old["input_keys"] = sorted("name_prefix" if k == "pulumi_name" else k for k in outputs["input_keys"])
    return old


def test_a_refresh_rewrites_the_name_under_todays_key(providers: Providers, emulator: EmulatorHandle) -> None:
    created = providers.data_model.create(engine_props(samples.data_model(resource_id="users")))
    old_outputs = _as_written_before_0_2(dict(created.outs or {}))
    emulator.control.clear_log()

    read = providers.data_model.read("users", old_outputs)

    assert read.id == "users"
    assert read.inputs == {
        "name": "Active users",
        "sql_query": samples.data_model()["sql_query"],
        "resource_id": "users",
        "pulumi_name": "active-users",
    }
    assert "name_prefix" not in (read.outs or {})
    assert (read.outs or {})["input_keys"] == ["name", "pulumi_name", "resource_id", "sql_query"]
    assert api_calls(emulator) == {"GET": 1}


def test_an_old_state_and_todays_program_differ_in_nothing(providers: Providers) -> None:
    inputs = samples.data_model(resource_id="users")
    created = providers.data_model.create(engine_props(inputs))
    old_outputs = _as_written_before_0_2(dict(created.outs or {}))

    diff = providers.data_model.diff("users", old_outputs, engine_props(inputs))

    assert (diff.changes, diff.replaces, diff.delete_before_replace) == (False, [], False)


def test_deleting_an_old_resource_whose_object_a_renamed_one_adopted_sends_no_delete(
    providers: Providers, emulator: EmulatorHandle
) -> None:
    inputs = samples.data_model(resource_id="users")
    old = providers.data_model.create(engine_props(inputs))
    old_outputs = _as_written_before_0_2(dict(old.outs or {}))
    STACK_OBJECTS.clear()  # the next `pulumi up` is a new provider process
    emulator.control.clear_log()

    providers.data_model.create(engine_props({**inputs, "pulumi_name": "users-renamed", "adopt": True}))
    providers.data_model.delete("users", old_outputs)

    assert api_calls(emulator) == {"GET": 1, "PUT": 1}  # no DELETE
    assert [o[wire.ID] for o in emulator.control.list_objects("1001", wire.DATA_MODELS)] == ["users"]


def test_recover_finds_the_object_of_an_interrupted_create_recorded_under_the_old_key() -> None:
    from pulumi_mparticle_wsync.models import DATA_MODEL
    from pulumi_mparticle_wsync.recover._matching import could_be_from
    from pulumi_mparticle_wsync.recover._state import PendingCreate

    urn = "urn:pulumi:dev::proj::pulumi-python:dynamic/mparticle:DataModel::users"
    legacy = PendingCreate(urn, DATA_MODEL, {"name": "Users", "name_prefix": "users"})
    today = PendingCreate(urn, DATA_MODEL, {"name": "Users", "pulumi_name": "users"})

    assert could_be_from(legacy, "users-1a2b3c4d") is True
    assert could_be_from(today, "users-1a2b3c4d") is True
    assert could_be_from(legacy, "orders-1a2b3c4d") is False
