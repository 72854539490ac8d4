"""Lookups and ``.get()`` under the real engine, against objects seeded on the emulator.

One program calls every lookup function and ``.get`` of every kind (and one of each with an
``Account`` naming a second emulator), and exports what they read. ``preview`` and ``up`` both work;
the outputs are the server's values; ``refresh`` reads the ``.get()`` resources again; ``destroy``
forgets them and leaves every object on the server. A missing id fails with a message naming the
kind, the id and the workspace. No secret (a seeded password or feed key, a client secret) is in
the outputs, the state or anything the engine printed.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

import pulumi_mparticle_wsync as mp
from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import ClientSettings, get_client
from pulumi_mparticle_wsync.emulator.settings import EmulatorSettings
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle, running_emulator

from ..resources.test_lookups import FEED_KEY, PASSWORD, SQL, seed
from .conftest import StackFactory
from .harness import PULUMI_BIN, EngineStack, engine_env

EU_CLIENT_ID = "eu-lookups-client"
EU_SECRET = "EU-lookups-secret-58d1e"
WRITES = ("POST", "PUT", "DELETE")
SECRETS = (PASSWORD, FEED_KEY, EU_SECRET, "emulator-secret")
OD_START = "2026-01-01T00:00:00Z"


def _eu() -> mp.Account:
    config = pulumi.Config()
    return mp.Account(client_id=EU_CLIENT_ID, client_secret=config.require_secret("euSecret"), workspace_id="1001",
                      api_url=config.require("euUrl"), auth_url=config.require("euUrl"))


def _as_dict(info: Any) -> Any:
    return dataclasses.asdict(info)


def _program() -> None:
    config = pulumi.Config()
    run_id = config.require("runId")
    pulumi.export("connection", mp.get_connection("wh").apply(_as_dict))
    pulumi.export("data_model", mp.get_data_model("users").apply(_as_dict))
    pulumi.export("field_transformation", mp.get_field_transformation("purchases").apply(_as_dict))
    pulumi.export("pipeline", mp.get_pipeline("hourly").apply(_as_dict))
    pulumi.export("status", mp.get_pipeline_status("od").apply(_as_dict))
    pulumi.export("active", mp.list_pipelines(state="active", connection_id="wh").apply(
        lambda found: [p.resource_id for p in found]))
    pulumi.export("eu_connection", mp.get_connection("wh", account=_eu()).apply(lambda c: c.name))

    read_wh = mp.Connection.get("read-wh", "wh")
    read_users = mp.DataModel.get("read-users", "users", workspace_id="1001")
    read_purchases = mp.FieldTransformation.get("read-purchases", "purchases")
    read_hourly = mp.Pipeline.get("read-hourly", "hourly")
    read_run = mp.PipelineRun.get("read-run", f"od/{run_id}")
    eu_wh = mp.Connection.get("eu-read-wh", "wh", account=_eu())
    pulumi.export("read", {
        "wh": [read_wh.name, read_wh.snowflake, read_wh.aws_external_id],
        "users": [read_users.name, read_users.sql_query, read_users.status],
        "purchases": [read_purchases.name, read_purchases.mappings],
        "hourly": [read_hourly.name, read_hourly.partner_feed_id, read_hourly.state, read_hourly.schedule],
        "run": [read_run.run_id, read_run.pipeline_id, read_run.pipeline_run_type],
        "eu_wh": [eu_wh.name, eu_wh.workspace_id],
    })


def _missing_program() -> None:
    pulumi.export("nothing", mp.get_pipeline("nope").apply(lambda p: p.name))


def _missing_get_program() -> None:
    mp.DataModel.get("absent", "nope")


@pytest.fixture
def second() -> Iterator[EmulatorHandle]:
    with running_emulator(EmulatorSettings(port=0, client_id=EU_CLIENT_ID, client_secret=EU_SECRET)) as handle:
        seed(handle, prefix="EU ")
        yield handle


def _trigger(handle: EmulatorHandle) -> int:
    handle.control.set_run_durations(triggered=0.01, queued=0.01, running=0.01)
    handle.control.seed_object("1001", wire.PIPELINES, {
        "id": "od", "name": "On demand", "pipeline_type": "user_attributes", "connection_id": "wh",
        "data_model_id": "users", "partner_feed_id": 7, "environment": "production", "sync_mode": {"type": "full"},
        "schedule": {"type": "on_demand", "start": OD_START}})
    client = get_client(ClientSettings(client_id=handle.client_id, client_secret=handle.client_secret,
                                       workspace_id="1001", api_url=handle.url, auth_url=handle.url))
    run_id = client.trigger("od").run_id
    assert run_id is not None
    return run_id


def _served(handle: EmulatorHandle, collection: str, object_id: str) -> dict[str, Any]:
    found = handle.control.get_object("1001", collection, object_id)
    assert found is not None
    return found


def _everything_stored(stack: EngineStack) -> str:
    """``pulumi stack export`` as a user runs it, and the backend's files."""
    exported = subprocess.run(
        [str(PULUMI_BIN / "pulumi"), "stack", "export", "--stack", stack.stack.name],
        cwd=stack.home, env=engine_env(stack.home), check=True, capture_output=True, text=True,
    ).stdout
    backend = stack.home / "state"
    return exported + "\n".join(p.read_text(errors="replace") for p in sorted(backend.rglob("*")) if p.is_file())


def _state_resource(stack: EngineStack, name: str) -> dict[str, Any]:
    found = [r for r in stack.exported_state()["resources"] if r.get("urn", "").endswith(f"::{name}")]
    assert len(found) == 1, name
    return dict(found[0])


def test_lookups_and_gets_read_the_server_and_change_nothing(
    make_stack: StackFactory, emulator: EmulatorHandle, second: EmulatorHandle
) -> None:
    seed(emulator)
    run_id = _trigger(emulator)
    stack = make_stack(_program, config={
        "runId": str(run_id), "euUrl": second.url, "euSecret": auto.ConfigValue(EU_SECRET, secret=True)})
    emulator.control.clear_log()
    second.control.clear_log()

    preview = stack.preview()
    assert preview.result.change_summary == {"create": 1}, preview.output  # the stack; reads are not counted
    assert preview.output.count(": (read)") == 6
    assert "does not exist" not in preview.output
    assert emulator.control.count("GET") > 0 and second.control.count("GET") == 2  # the lookup and the .get()

    stack.up()
    outputs = {key: item.value for key, item in stack.stack.outputs().items()}
    wh, users, hourly = (_served(emulator, c, i) for c, i in (
        (wire.CONNECTIONS, "wh"), (wire.DATA_MODELS, "users"), (wire.PIPELINES, "hourly")))
    connection = outputs["connection"]
    assert (connection["resource_id"], connection["workspace_id"], connection["name"]) == ("wh", "1001", "Warehouse")
    assert connection["aws_external_id"] == wh["config"]["aws_external_id"]
    assert connection["snowflake"]["storage_integration"] == "mp_us1_1_2_s3"
    assert connection["created_on"] == wh["created_on"] and connection["bigquery"] is None
    assert outputs["data_model"]["sql_query"] == SQL and outputs["data_model"]["state"] == users["state"]
    assert outputs["field_transformation"]["mappings"][1] == {
        "mapping_type": "static", "value": "purchase", "destination": "events[].data.event_name"}
    pipeline = outputs["pipeline"]
    assert (pipeline["partner_feed_id"], pipeline["state"], pipeline["paused"]) == (
        hourly["partner_feed_id"], "active", False)
    status = outputs["status"]
    assert (status["pipeline_id"], status["ready"], status["latest_run"]["run_id"]) == ("od", True, run_id)
    assert outputs["active"] == ["hourly", "od"]  # not "nightly", which is paused
    assert outputs["eu_connection"] == "EU Warehouse"
    read = outputs["read"]
    assert read["wh"][0] == "Warehouse" and read["wh"][2] == wh["config"]["aws_external_id"]
    assert "password" not in read["wh"][1]
    assert read["users"] == ["Users", SQL, "healthy"]
    assert read["purchases"][0] == "Purchases" and len(read["purchases"][1]) == 2
    assert read["hourly"][:3] == ["Hourly", hourly["partner_feed_id"], "active"]
    assert read["run"] == [run_id, "od", "manual"]
    assert read["eu_wh"] == ["EU Warehouse", "1001"]
    assert stack.preview().result.change_summary == {"same": 1}

    # A .get() resource is refreshed by `pulumi refresh`: an edit in the UI shows in its outputs.
    emulator.control.edit_object("1001", wire.DATA_MODELS, "users", {"name": "Users (renamed)"})
    stack.refresh()
    assert _state_resource(stack, "read-users")["outputs"]["name"] == "Users (renamed)"
    assert _state_resource(stack, "read-users")["external"] is True
    assert _state_resource(stack, "eu-read-wh")["outputs"]["name"] == "EU Warehouse"  # read in its account

    everything = "\n".join([*stack.transcript, _everything_stored(stack), json.dumps(outputs)])
    for secret in SECRETS:
        assert secret not in everything, secret
    assert wire.MASKED_SECRET not in everything

    stack.destroy()
    assert [r for r in stack.exported_state().get("resources", []) if "mparticle" in r["type"]] == []
    for handle in (emulator, second):
        assert sum(handle.control.count(method) for method in WRITES) == 0
        assert handle.control.get_object("1001", wire.CONNECTIONS, "wh") is not None
    assert emulator.control.get_object("1001", wire.DATA_MODELS, "users") is not None
    assert emulator.control.get_object("1001", wire.PIPELINES, "hourly") is not None


def test_masked_secrets_stay_out(make_stack: StackFactory, emulator: EmulatorHandle, second: EmulatorHandle) -> None:
    seed(emulator)
    run_id = _trigger(emulator)
    emulator.control.set_switches(secret_mode="mask")
    stack = make_stack(_program, config={
        "runId": str(run_id), "euUrl": second.url, "euSecret": auto.ConfigValue(EU_SECRET, secret=True)})
    stack.up()
    everything = "\n".join([*stack.transcript, _everything_stored(stack),
                            json.dumps({k: v.value for k, v in stack.stack.outputs().items()})])
    assert wire.MASKED_SECRET not in everything
    for secret in SECRETS:
        assert secret not in everything, secret


@pytest.mark.parametrize(("program", "message"), [
    (_missing_program, "Pipeline 'nope' does not exist in workspace 1001: check the id and the workspace (and the "
                       "account) given to get_pipeline"),
    (_missing_get_program, "DataModel 'nope' in workspace 1001 does not exist: check the id and the workspace (and "
                           "the account) given to DataModel.get"),
], ids=["lookup", "get"])
@pytest.mark.parametrize("operation", ["preview", "up"])
def test_a_missing_id_fails_with_the_message(
    make_stack: StackFactory, emulator: EmulatorHandle, program: Any, message: str, operation: str
) -> None:
    stack = make_stack(program)
    with pytest.raises(auto.CommandError) as raised:
        getattr(stack, operation)()
    assert message in str(raised.value)
    assert "Traceback" not in str(raised.value) or program is _missing_get_program
