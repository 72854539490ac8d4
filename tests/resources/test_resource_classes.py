"""The program side: the Resource classes under Pulumi's mocks (no engine, no API).

What the engine receives is checked: the props (inputs exactly as written, Args and dicts
alike, the Pulumi name as ``pulumi_name``), secrets wrapped as secrets, and the typed
outputs the classes expose.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar, cast

import pulumi
import pytest
from pulumi.runtime import rpc

import pulumi_mparticle_wsync as mp
from pulumi_mparticle_wsync.models import CONNECTION, DATA_MODEL, PIPELINE, ResourceModel
from pulumi_mparticle_wsync.resources._props import resource_options, resource_props
from pulumi_mparticle_wsync.state_layout import PROVIDER_KEY, resource_type

from ..models import samples

F = TypeVar("F", bound=Callable[..., Any])
pulumi_test = cast(Callable[[F], F], pulumi.runtime.test)
"""``pulumi.runtime.test`` (runs the test's program and waits for its outputs), typed."""

SERVER_FIELDS: dict[str, Any] = {
    "status": "healthy",
    "errors": [],
    "created_on": "2026-01-01T00:00:00.000Z",
    "created_by": "owner@example.com",
    "last_modified_on": None,
    "last_modified_by": None,
}


class RecordingMocks(pulumi.runtime.Mocks):
    """Answers like the provider would (inputs + server fields) and records what it was sent."""

    def __init__(self) -> None:
        self.registered: dict[str, dict[str, Any]] = {}
        self.read_ids: dict[str, str] = {}
        """The id each resource read with ``.get()`` was read by."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.registered[args.name] = dict(args.inputs)
        if args.resource_id:
            self.read_ids[args.name] = args.resource_id
        inputs = reveal(without_provider(args.inputs))
        object_id = args.resource_id or inputs.get("resource_id") or f"{args.name}-0a1b2c3d"
        outputs = {**SERVER_FIELDS, **inputs, "resource_id": object_id, "workspace_id": "1001"}
        if args.typ.endswith(":Pipeline"):
            outputs.update(state="active", partner_feed_id=48213)
        if args.typ.endswith(":Connection"):
            outputs.update(state="active", service_provider="snowflake", aws_external_id="ext-1")
        return object_id, outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture
def mocks() -> RecordingMocks:
    recording = RecordingMocks()
    pulumi.runtime.set_mocks(recording, project="test", stack="test", preview=False)
    return recording


def without_provider(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k != PROVIDER_KEY}


def reveal(value: Any) -> Any:
    """The value with every secret wrapper removed."""
    value = rpc.unwrap_rpc_secret(value)
    if isinstance(value, dict):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [reveal(v) for v in value]
    return value


def is_secret_at(props: dict[str, Any], *path: str) -> bool:
    """Whether the value at ``path``, or a container holding it, is sent as a secret."""
    value: Any = props
    for key in path:
        if rpc.is_rpc_secret(value):
            return True
        value = value[key]
    return rpc.is_rpc_secret(value)


@pulumi_test
def test_connection_props_are_the_inputs_as_written(mocks: RecordingMocks) -> Any:
    conn = mp.Connection(
        "warehouse", name="Analytics warehouse", snowflake=mp.SnowflakeConfigArgs(**samples.snowflake())
    )

    def check(values: list[Any]) -> None:
        object_id, block, external_id, status = values
        sent = without_provider(mocks.registered["warehouse"])
        assert is_secret_at(sent, "snowflake", "password")
        plain = reveal(sent)
        assert plain == samples.connection()  # name, pulumi_name and the block; nothing else
        assert CONNECTION.validate(plain) == []
        assert object_id == "warehouse-0a1b2c3d"
        assert block["account_identifier"] == "ab12345.us-east-1"
        assert (external_id, status) == ("ext-1", "healthy")

    return pulumi.Output.all(conn.id, conn.snowflake, conn.aws_external_id, conn.status).apply(check)


@pulumi_test
def test_args_classes_and_dicts_are_equivalent(mocks: RecordingMocks) -> Any:
    with_args = mp.Pipeline(
        "with-args",
        name="Users hourly",
        pipeline_type="user_attributes",
        connection_id="warehouse",
        data_model_id="active-users",
        partner_feed_key=samples.FEED_KEY,
        sync_mode=mp.SyncModeArgs(
            type="incremental", iterator_field="updated_at", iterator_data_type="timestamp_ltz",
            from_="2025-01-01T00:00:00Z",
        ),
        schedule=mp.ScheduleArgs(type="interval", frequency="hourly", start="2026-01-01T00:15:00Z"),
        environment="production",
    )
    with_dicts = mp.Pipeline(
        "with-dicts",
        name="Users hourly",
        pipeline_type="user_attributes",
        connection_id="warehouse",
        data_model_id="active-users",
        partner_feed_key=samples.FEED_KEY,
        sync_mode={**samples.sync_mode(), "from_": "2025-01-01T00:00:00Z"},
        schedule=samples.schedule(),
        environment="production",
    )

    def check(_: Any) -> None:
        sent_args = without_provider(mocks.registered["with-args"])
        sent_dicts = without_provider(mocks.registered["with-dicts"])
        assert is_secret_at(sent_args, "partner_feed_key")
        assert {**reveal(sent_args), "__pulumi_name": None} == {**reveal(sent_dicts), "__pulumi_name": None}
        assert sent_args["__pulumi_name"] == "with-args"
        assert "paused" not in sent_args and "adopt" not in sent_args  # not written: not sent
        assert PIPELINE.validate(reveal(sent_args)) == []

    return pulumi.Output.all(with_args.id, with_dicts.id).apply(check)


@pulumi_test
def test_pipeline_outputs_are_typed_attributes(mocks: RecordingMocks) -> Any:
    pipe = mp.Pipeline(
        "users-hourly",
        name="Users hourly",
        pipeline_type="user_attributes",
        connection_id="warehouse",
        data_model_id="active-users",
        partner_feed_key=samples.FEED_KEY,
        sync_mode=mp.SyncModeArgs(type="full"),
        schedule=mp.ScheduleArgs(type="on_demand", start="2026-01-01T00:00:00Z"),
        environment="development",
        paused=True,
        resource_id="users-hourly",
        adopt=True,
    )

    def check(values: list[Any]) -> None:
        object_id, state, feed_id, paused, resource_id, errors = values
        assert (object_id, resource_id) == ("users-hourly", "users-hourly")
        assert (state, feed_id, paused, errors) == ("active", 48213, True, [])
        assert mocks.registered["users-hourly"]["adopt"] is True

    return pulumi.Output.all(
        pipe.id, pipe.state, pipe.partner_feed_id, pipe.paused, pipe.resource_id, pipe.errors
    ).apply(check)


@pulumi_test
def test_field_transformation_mappings_from_args(mocks: RecordingMocks) -> Any:
    ft = mp.FieldTransformation(
        "purchases",
        name="Purchases",
        mappings=[
            mp.FieldMappingArgs(
                mapping_type="column",
                source="order_id",
                destination="events[].data.custom_attributes.order_id",
            ),
            {"mapping_type": "static", "value": "purchase", "destination": "events[].data.event_name"},
            mp.FieldMappingArgs(mapping_type="ignore", source="internal_note"),
        ],
    )

    def check(_: Any) -> None:
        assert without_provider(mocks.registered["purchases"]) == samples.field_transformation()

    return ft.id.apply(check)


@pulumi_test
def test_plain_string_secrets_become_secret_outputs(mocks: RecordingMocks) -> Any:
    conn = mp.Connection("rs", name="Redshift", redshift=samples.redshift())
    pipe = mp.Pipeline(
        "p", name="P", pipeline_type="user_attributes", connection_id="rs", data_model_id="m",
        partner_feed_key=samples.FEED_KEY, sync_mode={"type": "full"},
        schedule={"type": "once", "start": "2026-01-01T00:00:00Z"}, environment="production",
    )

    def check(_: Any) -> None:
        assert is_secret_at(mocks.registered["rs"], "redshift", "password")
        assert is_secret_at(mocks.registered["p"], "partner_feed_key")
        assert not is_secret_at(mocks.registered["p"], "connection_id")

    return pulumi.Output.all(conn.id, pipe.id).apply(check)


def test_secret_outputs_are_listed_next_to_the_users_own() -> None:
    users = pulumi.ResourceOptions(additional_secret_outputs=["name"], protect=True)
    merged = resource_options(PIPELINE, users)
    assert merged is not None
    assert merged.protect is True
    assert sorted(merged.additional_secret_outputs or []) == ["name", "partner_feed_key"]
    # No warehouse block is a secret output (only the values in it that are secrets are secret):
    # a Connection's options are the user's, as given.
    assert resource_options(CONNECTION, None) is None
    assert resource_options(CONNECTION, users) is users


async def secrets_in(value: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Where props hold a secret ``Output`` (whose insides are not looked into)."""
    if isinstance(value, pulumi.Output):
        return [path] if await value.is_secret() else []
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in await secrets_in(item, (*path, key))]
    return []


def secrets_sent(schema: ResourceModel, arguments: dict[str, Any]) -> list[tuple[str, ...]]:
    """Where the props for ``arguments`` hold secrets. (Under mocks this cannot be seen: the SDK
    reads a dict holding a secret back as a secret whole. The engine keeps each secret where it
    is: tests/engine/test_secret_audit.py.)"""

    async def sent() -> list[tuple[str, ...]]:
        return await secrets_in(resource_props(schema, "r", arguments, adopt=False))

    return asyncio.run(sent())


def test_only_the_secret_values_are_made_secrets() -> None:
    found = {block: secrets_sent(CONNECTION, {block: make()}) for block, make in samples.BLOCKS.items()}
    assert found == {
        "snowflake": [("snowflake", "password")],
        "bigquery": [("bigquery", "service_account_key")],
        "redshift": [("redshift", "password")],
        "databricks": [],
    }
    args = mp.SnowflakeConfigArgs(**samples.snowflake())
    assert secrets_sent(CONNECTION, {"snowflake": args}) == [("snowflake", "password")]
    assert secrets_sent(PIPELINE, samples.pipeline()) == [("partner_feed_key",)]
    assert secrets_sent(PIPELINE, {**samples.pipeline(partner_feed_key=None), "partner_feed_id": 7}) == []


def test_a_block_known_later_is_secret_whole_only_if_it_holds_a_secret() -> None:
    async def sent() -> dict[str, list[tuple[str, ...]]]:
        later = pulumi.Output.from_input("later")
        snowflake = later.apply(lambda _: samples.snowflake())
        databricks = later.apply(lambda _: samples.databricks())
        return {
            "snowflake": await secrets_in(resource_props(CONNECTION, "r", {"snowflake": snowflake}, adopt=False)),
            "databricks": await secrets_in(resource_props(CONNECTION, "r", {"databricks": databricks}, adopt=False)),
        }

    assert asyncio.run(sent()) == {"snowflake": [("snowflake",)], "databricks": []}


def test_public_names() -> None:
    assert sorted(mp.__all__) == sorted(
        [
            "Connection", "DataModel", "FieldTransformation", "Pipeline", "PipelineRun", "SnowflakeConfigArgs",
            "BigQueryConfigArgs", "RedshiftConfigArgs", "DatabricksConfigArgs", "FieldMappingArgs",
            "SyncModeArgs", "ScheduleArgs", "Account",
            # Lookups (pulumi_mparticle_wsync/lookups.py): functions and the values they return.
            "get_connection", "get_data_model", "get_field_transformation", "get_pipeline", "get_pipeline_status",
            "list_pipelines", "ConnectionInfo", "DataModelInfo", "FieldTransformationInfo", "PipelineInfo",
            "PipelineStatusInfo", "RunInfo",
        ]
    )
    assert mp.Pipeline._resource_type_name == "dynamic/mparticle:Pipeline"


@pytest.mark.parametrize("resource", [mp.Connection, mp.DataModel, mp.FieldTransformation, mp.Pipeline])
def test_the_state_records_the_type_state_layout_names(resource: type[pulumi.dynamic.Resource]) -> None:
    # The SDK prefixes a dynamic resource's type with "pulumi-python:"; recover finds our resources by it.
    assert f"pulumi-python:{resource._resource_type_name}" == resource_type(resource.__name__)


EU: dict[str, Any] = {"client_id": "eu-client", "client_secret": "eu-secret-4c1d", "workspace_id": "2002",
      "api_url": "https://api.mparticle.com", "auth_url": None}


def provider_of(props: dict[str, Any]) -> Any:
    """The provider object the engine would unpickle from the props."""
    import base64

    import dill

    return dill.loads(base64.b64decode(props[PROVIDER_KEY]))


@pulumi_test
def test_an_account_is_sent_with_its_secret_secret(mocks: RecordingMocks) -> Any:
    eu = mp.Account(**EU)
    model = mp.DataModel("m", name="M", sql_query="SELECT email FROM t", account=eu)
    run = mp.PipelineRun("r", pipeline_id="p", account=eu)

    def check(_: Any) -> None:
        for name in ("m", "r"):
            sent = without_provider(mocks.registered[name])
            assert is_secret_at(sent, "account", "client_secret")
            assert reveal(sent)["account"] == {k: v for k, v in EU.items() if v is not None}
            assert "eu-secret-4c1d" not in str(mocks.registered[name][PROVIDER_KEY])

    return pulumi.Output.all(model.id, run.id).apply(check)


def test_only_the_accounts_secret_is_made_a_secret() -> None:
    eu = mp.Account(**EU)
    assert secrets_sent(DATA_MODEL, {"account": eu}) == [("account", "client_secret")]
    assert secrets_sent(CONNECTION, {"account": eu, "databricks": samples.databricks()}) == [
        ("account", "client_secret")]


def test_an_accounts_repr_leaves_the_secret_out() -> None:
    assert repr(mp.Account(**EU)) == (
        "Account(client_id='eu-client', workspace_id='2002', api_url='https://api.mparticle.com')")


GETS = [
    (mp.Connection, "ConnectionReader"), (mp.DataModel, "DataModelReader"),
    (mp.FieldTransformation, "FieldTransformationReader"), (mp.Pipeline, "PipelineReader"),
]


@pytest.mark.parametrize(("resource", "reader"), GETS, ids=[g[1] for g in GETS])
@pulumi_test
def test_get_reads_the_object_by_id_with_a_read_only_provider(
    mocks: RecordingMocks, resource: Any, reader: str
) -> Any:
    found = resource.get("found", "obj-1", workspace_id="2002", account=mp.Account(**EU))

    def check(values: list[Any]) -> None:
        object_id, workspace = values
        assert mocks.read_ids == {"found": "obj-1"}
        sent = without_provider(mocks.registered["found"])
        assert {k: v for k, v in reveal(sent).items() if v is not None} == {
            "workspace_id": "2002", "account": {k: v for k, v in EU.items() if v is not None}}
        assert is_secret_at(sent, "account", "client_secret")
        provider = provider_of(mocks.registered["found"])
        assert type(provider).__name__ == reader and provider.read_only is True
        assert (object_id, workspace) == ("obj-1", "1001")  # the mocks' answer
        assert isinstance(found, resource)

    return pulumi.Output.all(found.id, found.workspace_id).apply(check)


@pulumi_test
def test_a_runs_get_reads_pipeline_and_run_from_the_id(mocks: RecordingMocks) -> Any:
    found = mp.PipelineRun.get("last", "users-hourly/42")

    def check(_: Any) -> None:
        assert mocks.read_ids == {"last": "users-hourly/42"}
        sent = reveal(without_provider(mocks.registered["last"]))
        assert {k: v for k, v in sent.items() if v is not None} == {"pipeline_id": "users-hourly"}
        assert type(provider_of(mocks.registered["last"])).__name__ == "PipelineRunReader"

    return found.id.apply(check)


def test_the_gets_take_what_the_lookups_take() -> None:
    import inspect

    for resource in (mp.Connection, mp.DataModel, mp.FieldTransformation, mp.Pipeline, mp.PipelineRun):
        parameters = list(inspect.signature(resource.get).parameters)
        assert parameters == ["resource_name", "id", "workspace_id", "account", "opts"], resource
