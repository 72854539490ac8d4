"""The providers of ``Connection.get`` & co. (``*Reader``) called as the engine calls them for a read resource.

The engine reads an external resource with ``Read(id, inputs)`` at each ``up`` and ``preview`` (the
props are then the program's inputs: no ``input_keys``) and with ``Read(id, outputs)`` at ``refresh``;
it never creates, updates or deletes one, and ``destroy`` only forgets it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import clear_client_cache
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.resources import ObjectNotFoundError
from pulumi_mparticle_wsync.resources._listings import LISTINGS
from pulumi_mparticle_wsync.resources._stack_objects import STACK_OBJECTS
from pulumi_mparticle_wsync.resources.connection import ConnectionReader
from pulumi_mparticle_wsync.resources.data_model import DataModelReader
from pulumi_mparticle_wsync.resources.errors import InvalidArgumentsError
from pulumi_mparticle_wsync.resources.pipeline import PipelineReader
from pulumi_mparticle_wsync.resources.pipeline_run import PipelineRunReader

from .conftest import stack_config
from .helpers import api_calls, engine_props
from .test_lookups import FEED_KEY, PASSWORD, seed


@pytest.fixture
def seeded(emulator: EmulatorHandle, no_env_settings: None) -> Iterator[EmulatorHandle]:
    clear_client_cache()
    seed(emulator)
    emulator.control.clear_log()
    yield emulator
    clear_client_cache()


def configured(provider: Any, emulator: EmulatorHandle) -> Any:
    provider.configure(ConfigureRequest(Config(stack_config(emulator), "test-project")))
    return provider


def outs(result: Any) -> dict[str, Any]:
    found: dict[str, Any] | None = result.outs
    assert found is not None
    return found


def test_a_get_reads_the_servers_values_and_holds_nothing(seeded: EmulatorHandle) -> None:
    reader = configured(ConnectionReader(), seeded)
    read = reader.read("wh", engine_props({}))
    server = seeded.control.get_object("1001", wire.CONNECTIONS, "wh")
    assert server is not None
    assert read.id == "wh"
    found = outs(read)
    assert found["name"] == "Warehouse" and found["state"] == "active" and found["service_provider"] == "snowflake"
    assert found["snowflake"]["user"] == "SYNC_USER" and "password" not in found["snowflake"]
    assert found["aws_external_id"] == server["config"]["aws_external_id"]
    assert (found["resource_id"], found["workspace_id"]) == ("wh", "1001")
    assert PASSWORD not in repr(read.outs) and PASSWORD not in repr(read.inputs)
    assert api_calls(seeded) == {"TOKEN": 1, "GET": 1}
    assert STACK_OBJECTS.workspaces_of(wire.CONNECTIONS, "wh") == set()


def test_a_pipeline_get_never_holds_the_feed_key(seeded: EmulatorHandle) -> None:
    seeded.control.set_switches(secret_mode="mask")
    found = outs(configured(PipelineReader(), seeded).read("hourly", engine_props({"workspace_id": "1001"})))
    assert found["partner_feed_id"] is not None and "partner_feed_key" not in found
    assert FEED_KEY not in repr(found) and wire.MASKED_SECRET not in repr(found)


def test_a_get_of_a_missing_object_fails_naming_it(seeded: EmulatorHandle) -> None:
    reader = configured(DataModelReader(), seeded)
    with pytest.raises(ObjectNotFoundError) as raised:
        reader.read("nope", engine_props({}))
    assert str(raised.value) == (
        "DataModel 'nope' in workspace 1001 does not exist: check the id and the workspace (and the account) given "
        "to DataModel.get"
    )


def test_a_refresh_drops_an_object_proven_gone(seeded: EmulatorHandle) -> None:
    reader = configured(DataModelReader(), seeded)
    first = outs(reader.read("users", engine_props({})))
    seeded.control.delete_object("1001", wire.DATA_MODELS, "users")
    LISTINGS.clear()  # the refresh is a later operation: a new provider process
    gone = reader.read("users", engine_props(first))
    assert (gone.id, gone.outs) == ("", {})


def test_a_get_is_never_deleted(seeded: EmulatorHandle) -> None:
    reader = configured(DataModelReader(), seeded)
    found = outs(reader.read("users", engine_props({})))
    seeded.control.clear_log()
    reader.delete("users", engine_props(found))
    assert seeded.control.requests() == []
    assert seeded.control.get_object("1001", wire.DATA_MODELS, "users") is not None


def test_a_runs_get_reads_the_run(seeded: EmulatorHandle) -> None:
    seeded.control.set_run_durations(triggered=0.01, queued=0.01, running=0.01)
    seeded.control.seed_object("1001", wire.PIPELINES, {
        "id": "od", "name": "On demand", "pipeline_type": "user_attributes", "connection_id": "wh",
        "data_model_id": "users", "partner_feed_id": 7, "environment": "production", "sync_mode": {"type": "full"},
        "schedule": {"type": "on_demand", "start": "2026-01-01T00:00:00Z"}})
    from pulumi_mparticle_wsync.resources import _runtime

    reader = configured(PipelineRunReader(), seeded)
    run_id = _runtime.client().trigger("od", workspace_id="1001").run_id
    read = reader.read(f"od/{run_id}", engine_props({"pipeline_id": "od"}))
    found = outs(read)
    assert read.id == f"od/{run_id}"
    assert (found["run_id"], found["pipeline_id"], found["pipeline_run_type"]) == (run_id, "od", "manual")
    with pytest.raises(ObjectNotFoundError) as raised:
        reader.read("gone/1", engine_props({"pipeline_id": "gone"}))
    assert str(raised.value) == (
        "run 1 of pipeline 'gone' in workspace 1001 does not exist: there is no such pipeline; check the id "
        "(\"<pipeline id>/<run id>\") and the workspace (and the account) given to PipelineRun.get"
    )


def test_a_runs_id_has_its_shape(seeded: EmulatorHandle) -> None:
    reader = configured(PipelineRunReader(), seeded)
    with pytest.raises(InvalidArgumentsError) as raised:
        reader.read("od", engine_props({"pipeline_id": "od"}))
    assert str(raised.value) == (
        "'od' is not a PipelineRun id: it is \"<pipeline id>/<run id>\", e.g. \"users-hourly/42\"")
