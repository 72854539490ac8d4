"""The lookup functions (``pulumi_mparticle_wsync/lookups.py``) in a program's process, against the emulator.

The program runs under Pulumi's mocks with the stack config set as the engine sets it (the client
secret a secret); every lookup reads the emulator for real. Each result is compared in full with what
the server holds; the request log shows what each lookup costs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any, TypeVar

import pulumi
import pytest
from pulumi.runtime.sync_await import _sync_await

import pulumi_mparticle_wsync as mp
from pulumi_mparticle_wsync import _constants, wire
from pulumi_mparticle_wsync.client import clear_client_cache
from pulumi_mparticle_wsync.emulator.settings import EmulatorSettings
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle, running_emulator
from pulumi_mparticle_wsync.lookups import LookupFailedError, LookupNotFoundError
from pulumi_mparticle_wsync.models import CONNECTION, DATA_MODEL, FIELD_TRANSFORMATION, PIPELINE, ResourceModel
from pulumi_mparticle_wsync.resources import ObjectNotFoundError
from pulumi_mparticle_wsync.schema.common import CREATE_ONLY

from .helpers import api_calls

T = TypeVar("T")
PASSWORD = "lookup-snowflake-pw-3e1"
FEED_KEY = "lookup-feed-key-9b2"
SQL = "SELECT email, plan FROM db.s.users"
START = "2026-01-01T00:15:00Z"


class NoResources(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        return args.name, dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


def configure(config: dict[str, str], *, preview: bool = False) -> None:
    """A program's process as the engine starts it: these ``mparticle:*`` settings, the secret one secret."""
    pulumi.runtime.set_mocks(NoResources(), project="lookups", stack="test", preview=preview)
    pulumi.runtime.set_all_config(config, secret_keys=[_constants.CONFIG_CLIENT_SECRET])


def settings_of(handle: EmulatorHandle) -> dict[str, str]:
    return {
        _constants.CONFIG_CLIENT_ID: handle.client_id,
        _constants.CONFIG_CLIENT_SECRET: handle.client_secret,
        _constants.CONFIG_WORKSPACE_ID: handle.workspace_id,
        _constants.CONFIG_API_URL: handle.url,
        _constants.CONFIG_AUTH_URL: handle.url,
        _constants.CONFIG_MAX_RETRY_WAIT: "5",
    }


@pytest.fixture
def program(emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch) -> Iterator[EmulatorHandle]:
    for variable in _constants.ENV_VARS.values():
        monkeypatch.delenv(variable, raising=False)
    clear_client_cache()
    configure(settings_of(emulator))
    seed(emulator)
    emulator.control.clear_log()
    yield emulator
    clear_client_cache()


def value(output: pulumi.Output[T]) -> T:
    return _sync_await(output.future())  # type: ignore[return-value]


def is_secret(output: pulumi.Output[Any]) -> bool:
    return bool(_sync_await(output.is_secret()))


def seed(handle: EmulatorHandle, workspace: str = "1001", *, prefix: str = "") -> None:
    control = handle.control
    control.seed_object(workspace, wire.CONNECTIONS, {
        "id": "wh", "name": f"{prefix}Warehouse", "service_provider": "snowflake", "state": "active",
        "config": {"account_identifier": "acme", "region": "us-central1.gcp", "warehouse": "WH", "database": "DB",
                   "role": "SYNC", "user": "SYNC_USER", "password": PASSWORD, "storage_integration": "mp_us1_1_2_s3"}})
    control.seed_object(workspace, wire.DATA_MODELS, {"id": "users", "name": f"{prefix}Users", "type": "sql",
                                                      "config": {"sql_query": SQL}})
    control.seed_object(workspace, wire.FIELD_TRANSFORMATIONS, {"id": "purchases", "name": "Purchases", "mappings": [
        {"mapping_type": "column", "source": "order_id", "destination": "events[].data.custom_attributes.order_id"},
        {"mapping_type": "static", "value": "purchase", "destination": "events[].data.event_name"}]})
    for pipeline_id, state in (("hourly", "active"), ("nightly", "paused")):
        control.seed_object(workspace, wire.PIPELINES, {
            "id": pipeline_id, "name": pipeline_id.title(), "pipeline_type": "user_attributes", "connection_id": "wh",
            "data_model_id": "users", "partner_feed_key": FEED_KEY, "state": state, "environment": "production",
            "sync_mode": {"type": "full"}, "schedule": {"type": "interval", "frequency": "hourly", "start": START}})


def served(handle: EmulatorHandle, collection: str, object_id: str) -> dict[str, Any]:
    found = handle.control.get_object("1001", collection, object_id)
    assert found is not None
    return found


# --- each function ---------------------------------------------------------------------------


def test_get_connection_is_the_servers_connection_without_its_password(program: EmulatorHandle) -> None:
    server = served(program, wire.CONNECTIONS, "wh")
    found = value(mp.get_connection("wh"))
    assert found == mp.ConnectionInfo(
        resource_id="wh", workspace_id="1001", name="Warehouse", state="active",
        snowflake={"account_identifier": "acme", "region": "us-central1.gcp", "warehouse": "WH", "database": "DB",
                   "role": "SYNC", "user": "SYNC_USER", "storage_integration": "mp_us1_1_2_s3",
                   "aws_iam_user_arn": server["config"]["aws_iam_user_arn"],
                   "aws_external_id": server["config"]["aws_external_id"]},
        bigquery=None, redshift=None, databricks=None, service_provider="snowflake", status="healthy", errors=[],
        aws_iam_user_arn=server["config"]["aws_iam_user_arn"], aws_external_id=server["config"]["aws_external_id"],
        created_on=server["created_on"], created_by=server["created_by"], last_modified_on=None,
        last_modified_by=None,
    )
    assert api_calls(program) == {"TOKEN": 1, "GET": 1}


def test_get_data_model_and_field_transformation(program: EmulatorHandle) -> None:
    model, server = value(mp.get_data_model("users")), served(program, wire.DATA_MODELS, "users")
    assert model == mp.DataModelInfo(
        resource_id="users", workspace_id="1001", name="Users", sql_query=SQL, state=server["state"],
        status="healthy", errors=[], created_on=server["created_on"], created_by=server["created_by"],
        last_modified_on=None, last_modified_by=None)
    transformation = value(mp.get_field_transformation("purchases"))
    assert transformation.mappings == [
        {"mapping_type": "column", "source": "order_id", "destination": "events[].data.custom_attributes.order_id"},
        {"mapping_type": "static", "value": "purchase", "destination": "events[].data.event_name"},
    ]
    assert (transformation.resource_id, transformation.name, transformation.errors) == ("purchases", "Purchases", [])


def test_get_pipeline_never_holds_the_feed_key(program: EmulatorHandle) -> None:
    server = served(program, wire.PIPELINES, "hourly")
    found = value(mp.get_pipeline("hourly"))
    assert found == mp.PipelineInfo(
        resource_id="hourly", workspace_id="1001", name="Hourly", pipeline_type="user_attributes",
        connection_id="wh", data_model_id="users", field_transformation_id=None,
        partner_feed_id=server["partner_feed_id"], sync_mode={"type": "full"},
        schedule={"type": "interval", "frequency": "hourly", "start": START}, environment="production",
        paused=False, data_plan_id=None, data_plan_version=None, state="active", status="healthy", errors=[],
        created_on=server["created_on"], created_by=server["created_by"], last_modified_on=None,
        last_modified_by=None,
    )
    assert FEED_KEY not in repr(found)


def test_masked_secrets_are_dropped(program: EmulatorHandle) -> None:
    program.control.set_switches(secret_mode="mask")
    assert served(program, wire.CONNECTIONS, "wh")["config"]["password"] == wire.MASKED_SECRET
    connection = value(mp.get_connection("wh"))
    pipelines = value(mp.list_pipelines())
    assert wire.MASKED_SECRET not in repr((connection, pipelines))
    assert connection.snowflake is not None and "password" not in connection.snowflake


def test_list_pipelines_filters_on_what_is_given(program: EmulatorHandle) -> None:
    assert [p.resource_id for p in value(mp.list_pipelines())] == ["hourly", "nightly"]
    assert [p.resource_id for p in value(mp.list_pipelines(state="paused"))] == ["nightly"]
    assert [p.resource_id for p in value(mp.list_pipelines(connection_id="wh", data_model_id="users",
                                                           state="active"))] == ["hourly"]
    assert value(mp.list_pipelines(connection_id="other")) == []
    assert value(mp.list_pipelines()) == [value(mp.get_pipeline("hourly")), value(mp.get_pipeline("nightly"))]


def test_get_pipeline_status_with_its_latest_run(program: EmulatorHandle) -> None:
    program.control.set_run_durations(triggered=0.01, queued=0.01, running=0.01)
    idle = value(mp.get_pipeline_status("hourly"))
    assert (idle.pipeline_id, idle.workspace_id, idle.ready, idle.running, idle.latest_run) == (
        "hourly", "1001", True, False, None)
    assert idle.active is True
    program.control.seed_object("1001", wire.PIPELINES, {
        "id": "od", "name": "On demand", "pipeline_type": "user_attributes", "connection_id": "wh",
        "data_model_id": "users", "partner_feed_id": 7, "environment": "production", "sync_mode": {"type": "full"},
        "schedule": {"type": "on_demand", "start": START}})
    from pulumi_mparticle_wsync.client import ClientSettings, get_client

    client = get_client(ClientSettings(client_id=program.client_id, client_secret=program.client_secret,
                                       workspace_id="1001", api_url=program.url, auth_url=program.url))
    run_id = client.trigger("od").run_id
    status = value(mp.get_pipeline_status("od"))
    assert status.latest_run is not None
    assert (status.latest_run.run_id, status.latest_run.pipeline_id, status.latest_run.run_type) == (
        run_id, "od", "manual")
    assert isinstance(status.latest_run, mp.RunInfo) and status.latest_run.errors == []


def test_a_pipeline_too_new_for_a_status_is_not_ready(program: EmulatorHandle) -> None:
    program.control.set_switches(new_pipeline_status_404_seconds=60)
    program.control.seed_object("1001", wire.PIPELINES, {
        "id": "fresh", "name": "Fresh", "pipeline_type": "user_attributes", "connection_id": "wh",
        "data_model_id": "users", "partner_feed_id": 7, "environment": "production", "sync_mode": {"type": "full"},
        "schedule": {"type": "on_demand", "start": START}})
    status = value(mp.get_pipeline_status("fresh"))
    assert (status.ready, status.active, status.running, status.latest_run) == (False, None, False, None)


# --- failures -------------------------------------------------------------------------------


@pytest.mark.parametrize(("function", "kind"), [
    (mp.get_connection, "Connection"), (mp.get_data_model, "DataModel"),
    (mp.get_field_transformation, "FieldTransformation"), (mp.get_pipeline, "Pipeline"),
    (mp.get_pipeline_status, "Pipeline"),
], ids=["connection", "data_model", "field_transformation", "pipeline", "pipeline_status"])
def test_a_missing_object_names_the_kind_the_id_and_the_workspace(
    program: EmulatorHandle, function: Any, kind: str
) -> None:
    with pytest.raises(LookupNotFoundError) as raised:
        value(function("nope", workspace_id="1001"))
    assert str(raised.value) == (
        f"{kind} 'nope' does not exist in workspace 1001: check the id and the workspace (and the account) given "
        f"to {function.__name__}"
    )
    assert isinstance(raised.value, pulumi.RunError) and isinstance(raised.value, ObjectNotFoundError)


def test_a_workspace_is_needed(program: EmulatorHandle) -> None:
    configure({k: v for k, v in settings_of(program).items() if k != _constants.CONFIG_WORKSPACE_ID})
    with pytest.raises(LookupFailedError) as raised:
        value(mp.get_connection("wh"))
    assert str(raised.value) == (
        "looking up Connection: no workspace id: pass workspace_id=..., or set mparticle:workspaceId with "
        "`pulumi config set mparticle:workspaceId <id>` or MPARTICLE_WORKSPACE_ID"
    )


def test_missing_settings_are_named_the_pulumi_way(program: EmulatorHandle) -> None:
    configure({_constants.CONFIG_WORKSPACE_ID: "1001"})
    with pytest.raises(LookupFailedError) as raised:
        value(mp.get_connection("wh"))
    message = str(raised.value)
    assert message.startswith("the lookups' settings: ")
    assert "`pulumi config set --secret mparticle:clientSecret` or MPARTICLE_CLIENT_SECRET" in message


def test_the_environment_is_the_fallback(program: EmulatorHandle, monkeypatch: pytest.MonkeyPatch) -> None:
    configure({})
    for key, setting in settings_of(program).items():
        monkeypatch.setenv(_constants.ENV_VARS[key], setting)
    assert value(mp.get_data_model("users")).name == "Users"


def test_an_api_failure_names_the_lookup(program: EmulatorHandle) -> None:
    configure({**settings_of(program), _constants.CONFIG_CLIENT_SECRET: "wrong-secret-77"})
    with pytest.raises(LookupFailedError) as raised:
        value(mp.get_data_model("users"))
    assert str(raised.value).startswith("looking up DataModel in workspace 1001 failed: ")
    assert "wrong-secret-77" not in str(raised.value)


# --- secrets and previews ---------------------------------------------------------------------


def test_results_are_no_secrets_though_the_credential_is(program: EmulatorHandle) -> None:
    assert is_secret(mp.get_connection("wh")) is False
    assert is_secret(mp.list_pipelines()) is False
    eu = mp.Account(client_id=program.client_id, client_secret=pulumi.Output.secret(program.client_secret),
                    workspace_id="1001", api_url=program.url, auth_url=program.url)
    assert is_secret(mp.get_pipeline("hourly", account=eu)) is False


def test_lookups_run_in_a_preview(program: EmulatorHandle) -> None:
    configure(settings_of(program), preview=True)
    assert value(mp.get_data_model("users")).sql_query == SQL


def test_an_unknown_input_leaves_the_result_unknown(program: EmulatorHandle) -> None:
    configure(settings_of(program), preview=True)
    unknown = pulumi.Output(set(), asyncio_future(None), asyncio_future(False))
    found = mp.get_data_model(unknown)
    assert _sync_await(found.is_known()) is False
    assert program.control.requests() == []


def asyncio_future(result: Any) -> Any:
    import asyncio

    future: asyncio.Future[Any] = asyncio.get_event_loop().create_future()
    future.set_result(result)
    return future


# --- accounts ---------------------------------------------------------------------------------


def test_a_lookup_with_an_account_reads_that_account(program: EmulatorHandle) -> None:
    settings = EmulatorSettings(port=0, client_id="eu-lookups", client_secret="eu-lookups-secret")
    with running_emulator(settings) as second:
        seed(second, prefix="EU ")
        second.control.clear_log()
        eu = mp.Account(client_id="eu-lookups", client_secret="eu-lookups-secret", workspace_id="1001",
                        api_url=second.url, auth_url=second.url)
        assert value(mp.get_connection("wh", account=eu)).name == "EU Warehouse"
        assert value(mp.get_data_model("users", account=eu)).name == "EU Users"
        assert value(mp.get_connection("wh")).name == "Warehouse"
        assert api_calls(second) == {"TOKEN": 1, "GET": 2}
        assert api_calls(program) == {"TOKEN": 1, "GET": 1}
        with pytest.raises(LookupNotFoundError) as raised:
            value(mp.get_pipeline("nope", account=eu))
        assert str(raised.value) == (
            "Pipeline 'nope' does not exist in workspace 1001 of account 'eu-lookups': check the id and the "
            "workspace (and the account) given to get_pipeline"
        )


def test_an_account_without_a_workspace_and_an_invalid_account(program: EmulatorHandle) -> None:
    bare = mp.Account(client_id="a", client_secret="b", api_url=program.url, auth_url=program.url)
    with pytest.raises(LookupFailedError) as raised:
        value(mp.get_connection("wh", account=bare))
    assert str(raised.value) == (
        "looking up Connection: no workspace id: pass workspace_id=..., or give the Account a workspace_id")
    bad = mp.Account(client_id="a", client_secret="b", api_url="ftp://x")
    with pytest.raises(LookupFailedError) as invalid:
        value(mp.get_connection("wh", account=bad))
    assert str(invalid.value) == (
        "invalid account: account.api_url: must be an absolute https:// URL such as https://api.mparticle.com (got "
        "'ftp://x')"
    )


# --- the result types ---------------------------------------------------------------------------


INFOS = [(CONNECTION, mp.ConnectionInfo), (DATA_MODEL, mp.DataModelInfo),
         (FIELD_TRANSFORMATION, mp.FieldTransformationInfo), (PIPELINE, mp.PipelineInfo)]


@pytest.mark.parametrize(("model", "info"), INFOS, ids=[m.kind for m, _ in INFOS])
def test_each_info_holds_the_arguments_and_the_server_outputs(model: ResourceModel, info: type) -> None:
    """The resource's arguments in our names (no secret, nothing that only steers Pulumi), then its outputs."""
    not_values = {*CREATE_ONLY, "account"}
    arguments = [f.name for f in model.schema.all_fields if f.name not in not_values and not f.secret]
    expected = list(dict.fromkeys(["resource_id", "workspace_id",
                                   *(a for a in arguments if a not in ("resource_id", "workspace_id")),
                                   *(o.name for o in model.schema.all_outputs)]))
    assert sorted(f.name for f in dataclasses.fields(info)) == sorted(expected)
    assert info.__dataclass_params__.frozen  # type: ignore[attr-defined]
