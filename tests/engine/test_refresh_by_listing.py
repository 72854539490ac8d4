"""``pulumi refresh`` reads each collection with one list request, and still sees every change exactly.

The stack: a connection, three data models and two pipelines (each using the connection and one
of the first two models). Before listings its refresh was 1 token + 6 GETs, one per object; now it is
1 token + 1 list per kind, transformations included (listed ahead: ``resources/_listings.py``).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

import pulumi_mparticle_wsync as mp
from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .conftest import StackFactory

MODELS = ("model-1", "model-2", "spare")
THEIRS = {wire.ID: "someone-elses", wire.NAME: "Theirs", "type": "sql",
          "config": {"sql_query": "SELECT email FROM db.s.theirs"}}


def _program() -> None:
    warehouse = mp.Connection(
        "warehouse", resource_id="warehouse", name="Warehouse",
        snowflake=mp.SnowflakeConfigArgs(
            account_identifier="acme", region="us-central1.gcp", warehouse="WH", database="DB", role="SYNC",
            user="SYNC_USER", password="engine-listing-password-1c", storage_integration="mp_us1_1_2_s3"),
    )
    models = {
        object_id: mp.DataModel(object_id, resource_id=object_id, name=f"Model {object_id}",
                                sql_query=f"SELECT email, updated_at FROM db.s.{object_id.replace('-', '_')}")
        for object_id in MODELS
    }
    for number in (1, 2):
        mp.Pipeline(
            f"pipe-{number}", resource_id=f"pipe-{number}", name=f"Sync {number}", pipeline_type="user_attributes",
            connection_id=warehouse.id, data_model_id=models[f"model-{number}"].id, partner_feed_id=5000 + number,
            sync_mode=mp.SyncModeArgs(type="incremental", iterator_field="updated_at",
                                      iterator_data_type="timestamp_ltz"),
            schedule=mp.ScheduleArgs(type="interval", frequency="hourly", start="2026-01-01T00:15:00Z"),
            environment="development", paused=True,
        )
    pulumi.export("models", [model.id for model in models.values()])


def _counts(emulator: EmulatorHandle) -> dict[str, int]:
    prefix = f"/platform/v2/workspaces/{emulator.workspace_id}/"
    return {key.replace(prefix, ""): n for key, n in emulator.control.request_counts().items()}


def _model_names(stack: Any) -> dict[str, str]:
    return {r["id"]: r["outputs"]["name"] for r in stack.resources("mparticle:DataModel")}


# Transformations too, though the stack has none: once two kinds are read, the others are listed ahead.
LISTS = {"POST /oauth/token": 1, f"GET {wire.CONNECTIONS}": 1, f"GET {wire.DATA_MODELS}": 1,
         f"GET {wire.PIPELINES}": 1, f"GET {wire.FIELD_TRANSFORMATIONS}": 1}


@pytest.mark.engine
def test_refresh_lists_each_collection_once_and_sees_drift_and_deletes(
    make_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    stack = make_stack(_program)
    assert stack.up().result.summary.resource_changes == {"create": 7}

    emulator.control.clear_log()
    refresh = stack.refresh()
    assert refresh.result.summary.resource_changes == {"same": 7}, refresh.output
    assert _counts(emulator) == LISTS

    # Out of band: a model deleted, another renamed, and one the stack does not hold created.
    emulator.control.delete_object(emulator.workspace_id, wire.DATA_MODELS, "spare")
    emulator.control.edit_object(emulator.workspace_id, wire.DATA_MODELS, "model-2", {wire.NAME: "Renamed in the UI"})
    emulator.control.seed_object(emulator.workspace_id, wire.DATA_MODELS, THEIRS)
    emulator.control.clear_log()
    refresh = stack.refresh()
    assert refresh.result.summary.resource_changes == {"same": 5, "update": 1, "delete": 1}, refresh.output
    # The listing lacks "spare": its own GET answers 404, which with the listing proves it gone.
    assert _counts(emulator) == {**LISTS, f"GET {wire.DATA_MODELS}/spare": 1}
    assert _model_names(stack) == {"model-1": "Model model-1", "model-2": "Renamed in the UI"}
    served = {o[wire.ID] for o in emulator.control.list_objects(emulator.workspace_id, wire.DATA_MODELS)}
    assert served == {"model-1", "model-2", "someone-elses"}  # refresh writes nothing

    emulator.control.clear_log()
    refresh = stack.refresh()  # nothing changed since: the same listings, no confirmation
    assert refresh.result.summary.resource_changes == {"same": 6}, refresh.output
    assert _counts(emulator) == LISTS
