"""Every validation rule, table-driven: one accepted and one rejected case each.

A rejected case names the property path the failure must carry; an accepted case must
produce no failure at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pulumi_mparticle_wsync.models import (
    CONNECTION,
    DATA_MODEL,
    FIELD_TRANSFORMATION,
    PIPELINE,
    ResourceModel,
)

from . import samples

Inputs = dict[str, Any]


def with_block(block: str, **changes: Any) -> Callable[[], Inputs]:
    def build() -> Inputs:
        inputs = samples.connection(block)
        inputs[block] = {k: v for k, v in {**inputs[block], **changes}.items() if v is not None}
        return inputs

    return build


def pipeline_with(**changes: Any) -> Callable[[], Inputs]:
    def build() -> Inputs:
        inputs = samples.pipeline()
        for key, value in changes.items():
            if "__" in key:
                block, field = key.split("__")
                if value is None:
                    inputs[block].pop(field, None)
                else:
                    inputs[block][field] = value
            elif value is None:
                inputs.pop(key, None)
            else:
                inputs[key] = value
        return inputs

    return build


def mappings(*items: dict[str, Any]) -> Callable[[], Inputs]:
    return lambda: samples.field_transformation(mappings=list(items))


def select_columns(count: int) -> str:
    return "SELECT " + ", ".join(f"c{i}" for i in range(count)) + " FROM t"


COL = {"mapping_type": "column", "source": "a", "destination": "events[].data.a"}

# (rule, schema, accepted inputs, rejected inputs, path of the rejection)
RULES: list[tuple[str, ResourceModel, Callable[[], Inputs], Callable[[], Inputs], str]] = [
    # --- common arguments
    ("name required", DATA_MODEL, samples.data_model, lambda: samples.data_model(name=None), "name"),
    ("name not empty", DATA_MODEL, samples.data_model, lambda: samples.data_model(name=""), "name"),
    ("name not blank", DATA_MODEL, samples.data_model, lambda: samples.data_model(name="   "), "name"),
    ("name is a string", DATA_MODEL, samples.data_model, lambda: samples.data_model(name=5.0), "name"),
    ("resource_id charset", DATA_MODEL, lambda: samples.data_model(resource_id="users_v2-1"),
     lambda: samples.data_model(resource_id="users v2"), "resource_id"),
    ("resource_id length", DATA_MODEL, lambda: samples.data_model(resource_id="a" * 64),
     lambda: samples.data_model(resource_id="a" * 65), "resource_id"),
    ("resource_id not empty", DATA_MODEL, lambda: samples.data_model(resource_id="x"),
     lambda: samples.data_model(resource_id=""), "resource_id"),
    ("workspace_id numeric", DATA_MODEL, lambda: samples.data_model(workspace_id="2002"),
     lambda: samples.data_model(workspace_id="ws-2002"), "workspace_id"),
    ("workspace_id number", DATA_MODEL, lambda: samples.data_model(workspace_id=2002.0),
     lambda: samples.data_model(workspace_id=2002.5), "workspace_id"),
    ("adopt needs resource_id", DATA_MODEL, lambda: samples.data_model(adopt=True, resource_id="users"),
     lambda: samples.data_model(adopt=True), "adopt"),
    ("adopt is a boolean", DATA_MODEL, lambda: samples.data_model(adopt=False),
     lambda: samples.data_model(adopt="yes"), "adopt"),
    ("unknown argument", DATA_MODEL, samples.data_model,
     lambda: samples.data_model(sql="SELECT a FROM b"), "sql"),
    # --- connections
    ("exactly one block: none", CONNECTION, samples.connection,
     lambda: {"name": "No warehouse"}, ""),
    ("exactly one block: two", CONNECTION, samples.connection,
     lambda: samples.connection(bigquery=samples.bigquery()), "bigquery"),
    ("block is a dict", CONNECTION, samples.connection,
     lambda: samples.connection(snowflake="ab12345"), "snowflake"),
    ("snowflake required field", CONNECTION, with_block("snowflake"),
     with_block("snowflake", role=None), "snowflake.role"),
    ("snowflake password not empty", CONNECTION, with_block("snowflake"),
     with_block("snowflake", password=""), "snowflake.password"),
    ("snowflake optional server-filled", CONNECTION, with_block("snowflake", aws_external_id="ext-1"),
     with_block("snowflake", aws_external_id=7.0), "snowflake.aws_external_id"),
    ("snowflake unknown field", CONNECTION, with_block("snowflake"),
     with_block("snowflake", acount_identifier="x"), "snowflake.acount_identifier"),
    ("bigquery key is JSON", CONNECTION, with_block("bigquery"),
     with_block("bigquery", service_account_key="/home/me/key.json"), "bigquery.service_account_key"),
    ("bigquery required field", CONNECTION, with_block("bigquery"),
     with_block("bigquery", dataset_id=None), "bigquery.dataset_id"),
    ("redshift port whole number", CONNECTION, with_block("redshift", port=5440.0),
     with_block("redshift", port=5439.5), "redshift.port"),
    ("redshift port is a number", CONNECTION, with_block("redshift", port=5439),
     with_block("redshift", port="5439"), "redshift.port"),
    ("redshift port range", CONNECTION, with_block("redshift", port=65535),
     with_block("redshift", port=70000), "redshift.port"),
    ("redshift role is an ARN", CONNECTION, with_block("redshift"),
     with_block("redshift", aws_iam_role_arn="mparticle-redshift"), "redshift.aws_iam_role_arn"),
    ("databricks schema", CONNECTION, with_block("databricks"),
     with_block("databricks", schema=None), "databricks.schema"),
    ("connection state enum", CONNECTION, lambda: samples.connection(state="inactive"),
     lambda: samples.connection(state="paused"), "state"),
    # --- data models
    ("sql required", DATA_MODEL, samples.data_model, lambda: samples.data_model(sql_query=None), "sql_query"),
    ("sql not blank", DATA_MODEL, samples.data_model, lambda: samples.data_model(sql_query=" "), "sql_query"),
    ("sql refused keyword", DATA_MODEL, lambda: samples.data_model(sql_query="SELECT deleted_at FROM t"),
     lambda: samples.data_model(sql_query="DELETE FROM t"), "sql_query"),
    ("sql no WITH", DATA_MODEL, lambda: samples.data_model(sql_query="SELECT a FROM (SELECT a FROM t)"),
     lambda: samples.data_model(sql_query="WITH x AS (SELECT a FROM t) SELECT a FROM x"), "sql_query"),
    ("sql one statement", DATA_MODEL, lambda: samples.data_model(sql_query="SELECT a FROM t;"),
     lambda: samples.data_model(sql_query="SELECT a FROM t; SELECT b FROM u"), "sql_query"),
    ("sql at most 100 columns", DATA_MODEL, lambda: samples.data_model(sql_query=select_columns(100)),
     lambda: samples.data_model(sql_query=select_columns(101)), "sql_query"),
    ("data model state enum", DATA_MODEL, lambda: samples.data_model(state="active"),
     lambda: samples.data_model(state="on"), "state"),
    # --- field transformations
    ("mappings required", FIELD_TRANSFORMATION, samples.field_transformation,
     lambda: samples.field_transformation(mappings=None), "mappings"),
    ("at least one mapping", FIELD_TRANSFORMATION, mappings(COL), mappings(), "mappings"),
    ("mappings is a list", FIELD_TRANSFORMATION, mappings(COL),
     lambda: samples.field_transformation(mappings=COL), "mappings"),
    ("mapping is a dict", FIELD_TRANSFORMATION, mappings(COL),
     lambda: samples.field_transformation(mappings=[COL, "a->b"]), "mappings[1]"),
    ("mapping_type enum", FIELD_TRANSFORMATION, mappings(COL),
     mappings({**COL, "mapping_type": "col"}), "mappings[0].mapping_type"),
    ("column needs source", FIELD_TRANSFORMATION, mappings(COL),
     mappings({"mapping_type": "column", "destination": "events[].data.a"}), "mappings[0].source"),
    ("column needs destination", FIELD_TRANSFORMATION, mappings(COL),
     mappings({"mapping_type": "column", "source": "a"}), "mappings[0].destination"),
    ("column takes no value", FIELD_TRANSFORMATION, mappings(COL),
     mappings({**COL, "value": "x"}), "mappings[0].value"),
    ("static needs value", FIELD_TRANSFORMATION,
     mappings({"mapping_type": "static", "destination": "events[].event_type", "value": 0.0}),
     mappings({"mapping_type": "static", "destination": "events[].event_type"}), "mappings[0].value"),
    ("static value is a scalar", FIELD_TRANSFORMATION,
     mappings({"mapping_type": "static", "destination": "events[].event_type", "value": True}),
     mappings({"mapping_type": "static", "destination": "events[].event_type", "value": {"a": 1}}),
     "mappings[0].value"),
    ("static has no source", FIELD_TRANSFORMATION,
     mappings({"mapping_type": "static", "destination": "events[].event_type", "value": "x"}),
     mappings({"mapping_type": "static", "destination": "events[].event_type", "value": "x", "source": "a"}),
     "mappings[0].source"),
    ("static needs destination", FIELD_TRANSFORMATION,
     mappings({"mapping_type": "static", "destination": "events[].event_type", "value": "x"}),
     mappings({"mapping_type": "static", "value": "x"}), "mappings[0].destination"),
    ("ignore needs source", FIELD_TRANSFORMATION, mappings({"mapping_type": "ignore", "source": "a"}),
     mappings({"mapping_type": "ignore"}), "mappings[0].source"),
    ("ignore has no destination", FIELD_TRANSFORMATION, mappings({"mapping_type": "ignore", "source": "a"}),
     mappings({"mapping_type": "ignore", "source": "a", "destination": "x"}), "mappings[0].destination"),
    ("ignore has no value", FIELD_TRANSFORMATION, mappings({"mapping_type": "ignore", "source": "a"}),
     mappings({"mapping_type": "ignore", "source": "a", "value": "x"}), "mappings[0].value"),
    ("destinations unique", FIELD_TRANSFORMATION,
     mappings(COL, {**COL, "source": "b", "destination": "events[].data.b"}),
     mappings(COL, {**COL, "source": "b"}), "mappings[1].destination"),
    ("mapping unknown field", FIELD_TRANSFORMATION, mappings(COL),
     mappings({**COL, "target": "x"}), "mappings[0].target"),
    # --- pipelines
    ("pipeline_type enum", PIPELINE, pipeline_with(pipeline_type="user_attributes"),
     pipeline_with(pipeline_type="users"), "pipeline_type"),
    ("events needs a field transformation", PIPELINE,
     pipeline_with(pipeline_type="events", field_transformation_id="purchases"),
     pipeline_with(pipeline_type="events"), "field_transformation_id"),
    ("connection_id required", PIPELINE, pipeline_with(), pipeline_with(connection_id=None), "connection_id"),
    ("connection_id charset", PIPELINE, pipeline_with(connection_id="wh_1"),
     pipeline_with(connection_id="wh/1"), "connection_id"),
    ("data_model_id charset", PIPELINE, pipeline_with(data_model_id="m-1"),
     pipeline_with(data_model_id="m 1"), "data_model_id"),
    ("field_transformation_id charset", PIPELINE, pipeline_with(field_transformation_id="ft"),
     pipeline_with(field_transformation_id="ft.1"), "field_transformation_id"),
    ("feed: not both", PIPELINE, pipeline_with(),
     pipeline_with(partner_feed_id=12.0), "partner_feed_key"),
    ("feed: one of them", PIPELINE, pipeline_with(partner_feed_key=None, partner_feed_id=12.0),
     pipeline_with(partner_feed_key=None), "partner_feed_id"),
    ("feed id positive", PIPELINE, pipeline_with(partner_feed_key=None, partner_feed_id=1),
     pipeline_with(partner_feed_key=None, partner_feed_id=0), "partner_feed_id"),
    ("feed id is a number", PIPELINE, pipeline_with(partner_feed_key=None, partner_feed_id=12),
     pipeline_with(partner_feed_key=None, partner_feed_id="12"), "partner_feed_id"),
    ("feed key not empty", PIPELINE, pipeline_with(), pipeline_with(partner_feed_key=""), "partner_feed_key"),
    ("data plan: version needs id", PIPELINE, pipeline_with(data_plan_id="plan", data_plan_version=2.0),
     pipeline_with(data_plan_version=2), "data_plan_id"),
    ("data plan: id needs version", PIPELINE, pipeline_with(data_plan_id="plan", data_plan_version=2),
     pipeline_with(data_plan_id="plan"), "data_plan_version"),
    ("data plan version positive", PIPELINE, pipeline_with(data_plan_id="plan", data_plan_version=1),
     pipeline_with(data_plan_id="plan", data_plan_version=-1), "data_plan_version"),
    ("sync_mode required", PIPELINE, pipeline_with(), pipeline_with(sync_mode=None), "sync_mode"),
    ("sync_mode is a dict", PIPELINE, pipeline_with(), pipeline_with(sync_mode="incremental"), "sync_mode"),
    ("sync type enum", PIPELINE, pipeline_with(), pipeline_with(sync_mode__type="delta"), "sync_mode.type"),
    ("incremental needs iterator_field", PIPELINE, pipeline_with(),
     pipeline_with(sync_mode__iterator_field=None), "sync_mode.iterator_field"),
    ("incremental needs iterator_data_type", PIPELINE, pipeline_with(),
     pipeline_with(sync_mode__iterator_data_type=None), "sync_mode.iterator_data_type"),
    ("iterator_data_type enum", PIPELINE,
     pipeline_with(sync_mode__iterator_data_type="timestamp_unixtime_ms"),
     pipeline_with(sync_mode__iterator_data_type="epoch"), "sync_mode.iterator_data_type"),
    ("full forbids iterator_field", PIPELINE, lambda: samples.pipeline(sync_mode={"type": "full"}),
     lambda: samples.pipeline(sync_mode={"type": "full", "iterator_field": "updated_at"}),
     "sync_mode.iterator_field"),
    ("full forbids iterator_data_type", PIPELINE, lambda: samples.pipeline(sync_mode={"type": "full"}),
     lambda: samples.pipeline(sync_mode={"type": "full", "iterator_data_type": "date"}),
     "sync_mode.iterator_data_type"),
    ("from_ has a timezone", PIPELINE, pipeline_with(sync_mode__from_="2025-06-01T00:00:00+02:00"),
     pipeline_with(sync_mode__from_="2025-06-01T00:00:00"), "sync_mode.from_"),
    ("until is a timestamp", PIPELINE, pipeline_with(sync_mode__until="2025-06-01T00:00:00Z"),
     pipeline_with(sync_mode__until="June 1st"), "sync_mode.until"),
    ("until after from_", PIPELINE,
     pipeline_with(sync_mode__from_="2025-01-01T00:00:00Z", sync_mode__until="2025-06-01T00:00:00Z"),
     pipeline_with(sync_mode__from_="2025-06-01T00:00:00Z", sync_mode__until="2025-01-01T00:00:00Z"),
     "sync_mode.until"),
    ("from is spelt from_", PIPELINE, pipeline_with(sync_mode__from_="2025-01-01T00:00:00Z"),
     pipeline_with(sync_mode__from="2025-01-01T00:00:00Z"), "sync_mode.from"),
    ("schedule required", PIPELINE, pipeline_with(), pipeline_with(schedule=None), "schedule"),
    ("schedule type enum", PIPELINE, pipeline_with(), pipeline_with(schedule__type="cron"), "schedule.type"),
    ("interval needs frequency", PIPELINE, pipeline_with(),
     pipeline_with(schedule__frequency=None), "schedule.frequency"),
    ("frequency enum", PIPELINE, pipeline_with(schedule__frequency="monthly"),
     pipeline_with(schedule__frequency="yearly"), "schedule.frequency"),
    ("once forbids frequency", PIPELINE, pipeline_with(schedule__type="once", schedule__frequency=None),
     pipeline_with(schedule__type="once"), "schedule.frequency"),
    ("on_demand forbids frequency", PIPELINE,
     pipeline_with(schedule__type="on_demand", schedule__frequency=None),
     pipeline_with(schedule__type="on_demand"), "schedule.frequency"),
    ("start required", PIPELINE, pipeline_with(), pipeline_with(schedule__start=None), "schedule.start"),
    ("start has a timezone", PIPELINE, pipeline_with(schedule__start="2026-01-01T00:15:00.000Z"),
     pipeline_with(schedule__start="2026-01-01 00:15"), "schedule.start"),
    ("end after start", PIPELINE, pipeline_with(schedule__end="2026-02-01T00:00:00Z"),
     pipeline_with(schedule__end="2025-12-31T00:00:00Z"), "schedule.end"),
    ("environment required", PIPELINE, pipeline_with(), pipeline_with(environment=None), "environment"),
    ("environment enum", PIPELINE, pipeline_with(environment="development"),
     pipeline_with(environment="prod"), "environment"),
    ("paused is a boolean", PIPELINE, pipeline_with(paused=True), pipeline_with(paused="true"), "paused"),
    ("schedule unknown field", PIPELINE, pipeline_with(),
     pipeline_with(schedule__every="1h"), "schedule.every"),
]


@pytest.mark.parametrize(
    ("schema", "accepted"),
    [pytest.param(schema, accepted, id=rule) for rule, schema, accepted, _, _ in RULES],
)
def test_accepted_case_has_no_failure(schema: ResourceModel, accepted: Callable[[], Inputs]) -> None:
    assert schema.validate(accepted()) == []


@pytest.mark.parametrize(
    ("schema", "rejected", "path"),
    [pytest.param(schema, rejected, path, id=rule) for rule, schema, _, rejected, path in RULES],
)
def test_rejected_case_names_the_property(
    schema: ResourceModel, rejected: Callable[[], Inputs], path: str
) -> None:
    problems = schema.validate(rejected())
    assert [p.path for p in problems] == [path], problems
    assert problems[0].reason.strip()


def test_reasons_say_the_fix() -> None:
    reasons = {p.path: p.reason for p in PIPELINE.validate(pipeline_with(sync_mode__iterator_field=None)())}
    assert "required for incremental sync" in reasons["sync_mode.iterator_field"]
    assert "updated_at" in reasons["sync_mode.iterator_field"]
    [typo] = CONNECTION.validate(with_block("snowflake", acount_identifier="x")())
    assert "did you mean account_identifier?" in typo.reason
    [spelling] = PIPELINE.validate(pipeline_with(sync_mode__from="2025-01-01T00:00:00Z")())
    assert "did you mean from_?" in spelling.reason
    [enum] = PIPELINE.validate(pipeline_with(environment="prod")())
    assert "'development' or 'production'" in enum.reason
    [missing] = CONNECTION.validate(with_block("snowflake", role=None)())
    assert missing.reason == "is required by SnowflakeConfigArgs: add it"


def test_every_problem_is_reported_at_once() -> None:
    inputs = samples.pipeline(
        name="",
        environment="prod",
        sync_mode={"type": "full", "iterator_field": "updated_at"},
        schedule={"type": "once", "frequency": "daily", "start": "2026-01-01T00:00:00Z"},
        partner_feed_id=3,
    )
    paths = {p.path for p in PIPELINE.validate(inputs)}
    assert paths == {
        "name", "environment", "sync_mode.iterator_field", "schedule.frequency", "partner_feed_key"
    }


@pytest.mark.parametrize(
    "inputs",
    [
        pytest.param(with_block("snowflake", password=["pw-list-secret"])(), id="snowflake-password"),
        pytest.param(
            with_block("bigquery", service_account_key='{"private_key": "bq-key-55e0f1"')(), id="bq-key"
        ),
        pytest.param(samples.pipeline(partner_feed_key=12345678.0), id="feed-key"),
    ],
)
def test_reasons_never_echo_a_secret(inputs: Inputs) -> None:
    schema = PIPELINE if "pipeline_type" in inputs else CONNECTION
    problems = schema.validate(inputs)
    assert problems
    text = repr(problems)
    for secret in ("bq-key-55e0f1", "12345678", "pw-list-secret"):
        assert secret not in text


def test_none_means_not_set() -> None:
    inputs = samples.field_transformation(
        mappings=[
            {"mapping_type": "static", "source": None, "destination": "events[].event_type", "value": "x"}
        ]
    )
    assert FIELD_TRANSFORMATION.validate(inputs) == []
