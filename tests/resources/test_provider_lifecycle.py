"""Every lifecycle path of the four providers, driven directly against the emulator.

The emulator's request log proves the calls: create = 1 POST, update = 1 PUT,
refresh = 1 GET, delete = 1 DELETE, plus one token per provider process.
"""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.resources import (
    DeleteRefusedError,
    DuplicateIdError,
    ObjectDeletedError,
    OperationError,
)
from pulumi_mparticle_wsync.resources._base import WarehouseSyncProvider
from pulumi_mparticle_wsync.state_layout import PROVIDER_KEY

from ..models import samples
from .conftest import Providers, configured, stack_config
from .helpers import SERIALIZED, api_calls, engine_props, stored


def create_stack(providers: Providers) -> dict[str, Any]:
    """A connection, a data model, a field transformation and an events pipeline using them."""
    conn = providers.connection.create(engine_props(samples.connection()))
    model = providers.data_model.create(engine_props(samples.data_model()))
    ft = providers.field_transformation.create(engine_props(samples.field_transformation()))
    pipe_inputs = samples.pipeline(
        conn.id, model.id, pipeline_type="events", field_transformation_id=ft.id
    )
    pipe = providers.pipeline.create(engine_props(pipe_inputs))
    return {"connection": conn, "data_model": model, "field_transformation": ft, "pipeline": pipe,
            "pipeline_inputs": pipe_inputs}


# --- create ---------------------------------------------------------------------------------


CASES = [
    ("connection", wire.CONNECTIONS, samples.connection),
    ("data_model", wire.DATA_MODELS, samples.data_model),
    ("field_transformation", wire.FIELD_TRANSFORMATIONS, samples.field_transformation),
]


@pytest.mark.parametrize(("kind", "collection", "sample"), CASES, ids=[c[0] for c in CASES])
def test_create_read_update_delete(
    providers: Providers, emulator: EmulatorHandle, kind: str, collection: str, sample: Any
) -> None:
    provider: WarehouseSyncProvider = getattr(providers, kind)
    inputs = sample()

    created = provider.create(engine_props(inputs))
    assert created.id.startswith(f"{inputs['__pulumi_name']}-")
    assert stored(emulator, collection, created.id) is not None
    outs = created.outs or {}
    assert {k: outs[k] for k in inputs} == inputs
    assert outs["resource_id"] == created.id
    assert outs["workspace_id"] == emulator.workspace_id
    assert outs["status"] == "healthy" and outs["errors"] == []
    assert outs["created_by"] and outs["created_on"]
    assert api_calls(emulator) == {"TOKEN": 1, "POST": 1}

    emulator.control.clear_log()
    read = provider.read(created.id, {**outs, PROVIDER_KEY: SERIALIZED})
    assert read.id == created.id
    assert read.inputs == inputs
    assert provider.diff(created.id, read.outs or {}, engine_props(inputs)).changes is False
    assert api_calls(emulator) == {"GET": 1}

    emulator.control.clear_log()
    renamed = {**inputs, "name": "Renamed"}
    assert provider.diff(created.id, read.outs or {}, engine_props(renamed)).changes is True
    updated = provider.update(created.id, read.outs or {}, engine_props(renamed))
    assert (updated.outs or {})["name"] == "Renamed"
    assert (updated.outs or {})["last_modified_on"] is not None
    assert (stored(emulator, collection, created.id) or {})[wire.NAME] == "Renamed"
    assert api_calls(emulator) == {"PUT": 1}

    emulator.control.clear_log()
    provider.delete(created.id, {**(updated.outs or {}), PROVIDER_KEY: SERIALIZED})
    assert stored(emulator, collection, created.id) is None
    provider.delete(created.id, updated.outs or {})  # already gone: still success
    assert api_calls(emulator) == {"DELETE": 2, "GET": 1}  # the 404 is proven by one listing


def test_pipeline_lifecycle_with_pause_and_resume(providers: Providers, emulator: EmulatorHandle) -> None:
    stack = create_stack(providers)
    pipe, inputs = stack["pipeline"], stack["pipeline_inputs"]
    served = stored(emulator, wire.PIPELINES, pipe.id) or {}
    assert served[wire.STATE] == 'active'
    assert served['field_transformation_id'] == stack["field_transformation"].id
    outs = pipe.outs
    assert outs["state"] == "active"
    assert isinstance(outs["partner_feed_id"], int)  # resolved by the server from the key
    assert outs["partner_feed_key"] == samples.FEED_KEY

    emulator.control.clear_log()
    paused = {**inputs, "paused": True}
    diff = providers.pipeline.diff(pipe.id, outs, engine_props(paused))
    assert (diff.changes, diff.replaces) == (True, [])
    after_pause = providers.pipeline.update(pipe.id, outs, engine_props(paused)).outs or {}
    assert after_pause["state"] == "paused" and after_pause["paused"] is True
    assert (stored(emulator, wire.PIPELINES, pipe.id) or {})[wire.STATE] == 'paused'

    resumed = {**inputs, "paused": False}
    after_resume = providers.pipeline.update(pipe.id, after_pause, engine_props(resumed)).outs or {}
    assert after_resume["state"] == "active"
    assert api_calls(emulator) == {"PUT": 2}

    read = providers.pipeline.read(pipe.id, after_resume)
    assert read.inputs == resumed


def test_explicit_resource_id_and_workspace(providers: Providers, emulator: EmulatorHandle) -> None:
    inputs = samples.data_model(resource_id="active-users", workspace_id="2002")
    created = providers.data_model.create(engine_props(inputs))
    assert created.id == "active-users"
    assert emulator.control.get_object("2002", wire.DATA_MODELS, "active-users") is not None
    assert stored(emulator, wire.DATA_MODELS, "active-users") is None  # not in the default workspace

    # The argument is removed and the setting names another workspace: the object belongs there
    # now, a replacement created first (the same id cannot collide across workspaces).
    moved = configured(stack_config(emulator, workspaceId="3003"))
    without_argument = {k: v for k, v in inputs.items() if k != "workspace_id"}
    outs = created.outs or {}
    diff = moved.data_model.diff(created.id, outs, engine_props(without_argument))
    assert (diff.changes, diff.replaces, diff.delete_before_replace) == (True, ["workspace_id"], False)
    # Until then, read and delete find the object where it lives.
    read = moved.data_model.read(created.id, outs)
    assert read.id == "active-users"
    moved.data_model.delete(created.id, outs)
    assert emulator.control.get_object("2002", wire.DATA_MODELS, "active-users") is None


# --- drift and out-of-band changes ----------------------------------------------------------


def test_refresh_shows_drift_and_update_repairs_it(providers: Providers, emulator: EmulatorHandle) -> None:
    stack = create_stack(providers)
    pipe, inputs = stack["pipeline"], stack["pipeline_inputs"]
    emulator.control.edit_object(
        emulator.workspace_id, wire.PIPELINES, pipe.id,
        {wire.STATE: 'paused', 'schedule': {'frequency': "daily"}},
    )
    read = providers.pipeline.read(pipe.id, pipe.outs)
    refreshed = read.inputs or {}
    assert refreshed["paused"] is True
    assert refreshed["schedule"]["frequency"] == "daily"
    assert refreshed["partner_feed_key"] == samples.FEED_KEY  # write-only: kept from the state
    assert "partner_feed_id" not in refreshed  # resolved by the server, not the user's to manage
    diff = providers.pipeline.diff(pipe.id, read.outs or {}, engine_props(inputs))
    assert (diff.changes, diff.replaces) == (True, [])

    repaired = providers.pipeline.update(pipe.id, read.outs or {}, engine_props(inputs))
    served = stored(emulator, wire.PIPELINES, pipe.id) or {}
    assert served[wire.STATE] == 'active'
    assert served['schedule']['frequency'] == "hourly"
    again = providers.pipeline.read(pipe.id, repaired.outs or {})
    assert again.inputs == inputs


def test_connection_drift_in_config(providers: Providers, emulator: EmulatorHandle) -> None:
    inputs = samples.connection("redshift")
    created = providers.connection.create(engine_props(inputs))
    emulator.control.edit_object(
        emulator.workspace_id, wire.CONNECTIONS, created.id, {'config': {"database": "prod", "port": 5440}}
    )
    read = providers.connection.read(created.id, created.outs or {})
    block = (read.inputs or {})["redshift"]
    assert block["database"] == "prod"
    assert block["port"] == 5440  # a server-filled value changed from its default is drift too
    assert block["password"] == samples.REDSHIFT_PASSWORD
    assert providers.connection.diff(created.id, read.outs or {}, engine_props(inputs)).changes is True


def test_out_of_band_deletion(providers: Providers, emulator: EmulatorHandle) -> None:
    created = providers.data_model.create(engine_props(samples.data_model()))
    emulator.control.delete_object(emulator.workspace_id, wire.DATA_MODELS, created.id)
    read = providers.data_model.read(created.id, created.outs or {})
    assert read.id == ""
    assert read.outs == {}
    advice = r"deleted outside Pulumi\): run `pulumi refresh --run-program` so Pulumi forgets it"
    with pytest.raises(ObjectDeletedError, match=advice):
        providers.data_model.update(
            created.id, created.outs or {}, engine_props(samples.data_model(name="Renamed"))
        )
    providers.data_model.delete(created.id, created.outs or {})


def test_delete_refused_names_the_dependent_pipeline(providers: Providers, emulator: EmulatorHandle) -> None:
    stack = create_stack(providers)
    conn, pipe = stack["connection"], stack["pipeline"]
    with pytest.raises(DeleteRefusedError) as refused:
        providers.connection.delete(conn.id, conn.outs)
    assert pipe.id in str(refused.value)
    assert conn.id in str(refused.value)
    assert stored(emulator, wire.CONNECTIONS, conn.id) is not None
    providers.pipeline.delete(pipe.id, pipe.outs)
    providers.connection.delete(conn.id, conn.outs)
    assert stored(emulator, wire.CONNECTIONS, conn.id) is None


def test_api_refusal_names_the_object_and_the_field(providers: Providers, emulator: EmulatorHandle) -> None:
    inputs = samples.pipeline("no-such-connection", "no-such-model", resource_id="orphan")
    with pytest.raises(OperationError) as failed:
        providers.pipeline.create(engine_props(inputs))
    text = str(failed.value)
    assert text.startswith("create Pipeline 'orphan' in workspace 1001 failed: POST ")
    assert "connection_id" in text
    assert stored(emulator, wire.PIPELINES, "orphan") is None


# --- adoption -------------------------------------------------------------------------------


def seed_data_model(emulator: EmulatorHandle, object_id: str, **changes: Any) -> None:
    body = {
        wire.ID: object_id,
        wire.NAME: "Made in the UI",
        'type': 'sql',
        'config': {'sql_query': "SELECT email FROM db.s.legacy"},
        **changes,
    }
    emulator.control.seed_object(emulator.workspace_id, wire.DATA_MODELS, body)


@pytest.mark.parametrize("duplicate_status", [wire.DUPLICATE_ID_409, wire.DUPLICATE_ID_400])
def test_duplicate_id_suggests_adopt(
    providers: Providers, emulator: EmulatorHandle, duplicate_status: int
) -> None:
    emulator.control.set_switches(duplicate_id_status=duplicate_status)
    seed_data_model(emulator, "active-users")
    with pytest.raises(DuplicateIdError, match=r"already exists.*adopt=True.*resource_id='active-users'"):
        providers.data_model.create(engine_props(samples.data_model(resource_id="active-users")))
    assert (stored(emulator, wire.DATA_MODELS, "active-users") or {})[wire.NAME] == "Made in the UI"


def test_adopt_takes_over_an_existing_object(providers: Providers, emulator: EmulatorHandle) -> None:
    seed_data_model(emulator, "active-users")
    emulator.control.clear_log()
    inputs = samples.data_model(resource_id="active-users", adopt=True)
    created = providers.data_model.create(engine_props(inputs))
    assert created.id == "active-users"
    served = stored(emulator, wire.DATA_MODELS, "active-users") or {}
    assert served[wire.NAME] == "Active users"
    assert served['config']['sql_query'] == inputs["sql_query"]
    assert api_calls(emulator) == {"TOKEN": 1, "GET": 1, "PUT": 1}
    read = providers.data_model.read(created.id, created.outs or {})
    assert read.inputs == inputs


def test_adopt_creates_what_does_not_exist(providers: Providers, emulator: EmulatorHandle) -> None:
    inputs = samples.data_model(resource_id="fresh", adopt=True)
    created = providers.data_model.create(engine_props(inputs))
    assert created.id == "fresh"
    assert api_calls(emulator) == {"TOKEN": 1, "GET": 2, "POST": 1}  # GET 404, the listing that proves it
    assert stored(emulator, wire.DATA_MODELS, "fresh") is not None


def test_adopt_without_resource_id_fails_check(providers: Providers) -> None:
    result = providers.data_model.check({}, engine_props(samples.data_model(adopt=True)))
    assert [f.property for f in result.failures] == ["adopt"]


def test_create_validates_even_when_check_was_skipped(providers: Providers, emulator: EmulatorHandle) -> None:
    from pulumi_mparticle_wsync.resources import InvalidArgumentsError

    with pytest.raises(InvalidArgumentsError, match=r"sync_mode\.iterator_field"):
        providers.pipeline.create(engine_props(samples.pipeline(sync_mode={"type": "incremental"})))
    assert emulator.control.requests() == []
