"""States written by earlier versions keep the Pulumi resource name under ``pulumi_name`` (or, earlier
still, ``name_prefix``) and the list of inputs under ``input_keys``; today's keys are ``__pulumi_name``
and ``__input_keys``, which previews never show. Such a state must behave exactly as one written today:
a refresh rewrites the keys, a delete still recognises another resource holding the same object, a
preview sees no change, and ``recover`` reads the name.
"""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.resources._stack_objects import STACK_OBJECTS

from ..models import samples
from .conftest import Providers
from .helpers import api_calls, engine_props

LEGACY_NAME_KEYS = ["pulumi_name", "name_prefix"]


def _as_written_earlier(outputs: dict[str, Any], name_key: str) -> dict[str, Any]:
    """Outputs as an earlier version recorded them: the name under ``name_key``, the keys under ``input_keys``."""
    old = {(name_key if k == "__pulumi_name" else k): v for k, v in outputs.items() if k != "__input_keys"}
    old["input_keys"] = sorted(name_key if k == "__pulumi_name" else k for k in outputs["__input_keys"])
    return old


def _created_by_an_earlier_version(providers: Providers, name_key: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The inputs of the data model ``users`` (created on the emulator) and its outputs as an earlier
    version recorded them."""
    inputs = samples.data_model(resource_id="users")
    created = providers.data_model.create(engine_props(inputs))
    return inputs, _as_written_earlier(dict(created.outs or {}), name_key)


@pytest.mark.parametrize("name_key", LEGACY_NAME_KEYS)
def test_a_refresh_rewrites_the_keys_under_todays_names(
    providers: Providers, emulator: EmulatorHandle, name_key: str
) -> None:
    _, old_outputs = _created_by_an_earlier_version(providers, name_key)
    emulator.control.clear_log()

    read = providers.data_model.read("users", old_outputs)

    assert read.id == "users"
    assert read.inputs == {
        "name": "Active users",
        "sql_query": samples.data_model()["sql_query"],
        "resource_id": "users",
        "__pulumi_name": "active-users",
    }
    outputs = read.outs or {}
    assert name_key not in outputs and "input_keys" not in outputs
    assert outputs["__input_keys"] == ["__pulumi_name", "name", "resource_id", "sql_query"]
    assert api_calls(emulator) == {"GET": 1}


@pytest.mark.parametrize("name_key", LEGACY_NAME_KEYS)
def test_an_old_state_and_todays_program_differ_in_nothing(providers: Providers, name_key: str) -> None:
    inputs, old_outputs = _created_by_an_earlier_version(providers, name_key)

    diff = providers.data_model.diff("users", old_outputs, engine_props(inputs))

    assert (diff.changes, diff.replaces, diff.delete_before_replace) == (False, [], False)


@pytest.mark.parametrize("name_key", LEGACY_NAME_KEYS)
def test_an_update_of_an_old_state_writes_todays_keys(
    providers: Providers, emulator: EmulatorHandle, name_key: str
) -> None:
    inputs, old_outputs = _created_by_an_earlier_version(providers, name_key)
    changed = {**inputs, "name": "Users"}

    checked = providers.data_model.check(old_outputs, engine_props(changed))
    updated = providers.data_model.update("users", old_outputs, engine_props(checked.inputs))

    assert checked.inputs == changed
    outputs = updated.outs or {}
    assert outputs["__pulumi_name"] == "active-users" and name_key not in outputs and "input_keys" not in outputs
    assert outputs["__input_keys"] == sorted(changed)


@pytest.mark.parametrize("name_key", LEGACY_NAME_KEYS)
def test_deleting_an_old_resource_whose_object_a_renamed_one_adopted_sends_no_delete(
    providers: Providers, emulator: EmulatorHandle, name_key: str
) -> None:
    inputs, old_outputs = _created_by_an_earlier_version(providers, name_key)
    STACK_OBJECTS.clear()  # the next `pulumi up` is a new provider process
    emulator.control.clear_log()

    providers.data_model.create(engine_props({**inputs, "__pulumi_name": "users-renamed", "adopt": True}))
    providers.data_model.delete("users", old_outputs)

    assert api_calls(emulator) == {"GET": 1, "PUT": 1}  # no DELETE
    assert [o[wire.ID] for o in emulator.control.list_objects("1001", wire.DATA_MODELS)] == ["users"]


def test_recover_finds_the_object_of_an_interrupted_create_recorded_under_any_key() -> None:
    from pulumi_mparticle_wsync.models import DATA_MODEL
    from pulumi_mparticle_wsync.recover._matching import could_be_from
    from pulumi_mparticle_wsync.recover._state import PendingCreate

    urn = "urn:pulumi:dev::proj::pulumi-python:dynamic/mparticle:DataModel::users"
    for key in ("__pulumi_name", *LEGACY_NAME_KEYS):
        pending = PendingCreate(urn, DATA_MODEL, {"name": "Users", key: "users"})
        assert could_be_from(pending, "users-1a2b3c4d") is True, key
        assert could_be_from(pending, "orders-1a2b3c4d") is False, key
