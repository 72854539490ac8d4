"""Every body rule of the spec (§2-§6), one accepted and one rejected case each, over real HTTP.

Each rejected case must answer 400 with a message that names the field. Rules that depend on other
stored objects (duplicates, limits, immutable fields, delete protection) are in
``test_emulator_integrity.py``; runs in ``test_emulator_runs.py``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pytest

from pulumi_mparticle_wsync import wire

from .emulator_support import (
    PARTNER_FEED_KEY,
    ApiSession,
    Body,
    connection,
    data_model,
    message_text,
    pipeline,
    transformation,
)

REQUIRED_CONFIG_KEYS = {
    "snowflake": (
        "account_identifier", "region", "warehouse", "database", "role", "user", "password", "storage_integration",
    ),
    "bigquery": ("region", "project_id", "dataset_id", "service_account_id", "service_account_key"),
    "redshift": ("host", "database", "user", "password", "aws_iam_role_arn"),
    "databricks": ("provider", "catalog", "schema"),
}
"""Per warehouse, the config keys a body must carry (spec §3), written out."""

C, D, T, P = wire.CONNECTIONS, wire.DATA_MODELS, wire.FIELD_TRANSFORMATIONS, wire.PIPELINES


@dataclass(frozen=True)
class Rule:
    name: str
    collection: str
    accepted: Body
    rejected: Body
    fragment: str  # must appear in the 400's messages; starts with the field path

    def __str__(self) -> str:
        return self.name


def with_config(provider: str, /, **changes: Any) -> Body:
    body = connection("conn-x", provider)
    for key, value in changes.items():
        if value is _REMOVE:
            del body["config"][key]
        else:
            body["config"][key] = value
    return body


def without(body: Body, *keys: str) -> Body:
    trimmed = copy.deepcopy(body)
    for key in keys:
        trimmed.pop(key, None)
    return trimmed


def sync(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


_REMOVE = object()
COLUMNS_100 = ", ".join(f"c{i}" for i in range(100))
COLUMNS_101 = ", ".join(f"c{i}" for i in range(101))
INCREMENTAL = {"type": "incremental", "iterator_field": "updated_at", "iterator_data_type": "timestamp"}


def _provider_rules() -> list[Rule]:
    rules: list[Rule] = []
    for provider, required in REQUIRED_CONFIG_KEYS.items():
        for key in required:
            rules.append(
                Rule(
                    f"{provider} config needs {key}",
                    C,
                    connection("conn-x", provider),
                    with_config(provider, **{key: _REMOVE}),
                    f"config.{key}: required for service_provider {provider}",
                )
            )
        rules.append(
            Rule(
                f"{provider} config refuses unknown keys",
                C,
                connection("conn-x", provider),
                with_config(provider, colour="red"),
                "config.colour: unknown field",
            )
        )
    return rules


RULES: list[Rule] = [
    # --- common (§2) -------------------------------------------------------------------
    Rule("id uses letters digits - _", C, connection("Conn_2-b"), connection("conn 2"), "id: contains ' '"),
    Rule("id has no slash", D, data_model("model-a"), data_model("model/a"), "id: contains '/'"),
    Rule("id has no dots", D, data_model("model-dots"), data_model(".."), "id: contains '.'"),
    Rule("id at most 64 characters", C, connection("c" * 64), connection("c" * 65), "id: is 65 characters long"),
    Rule(
        "id is 1000 characters",
        T,
        transformation("t" * 64),
        transformation("t" * 1000),
        "id: is 1000 characters",
    ),
    Rule("id is required", C, connection(), without(connection(), "id"), "id: required"),
    Rule("id is a string", C, connection(), {**connection(), "id": 12}, "id: must be a string, not a number"),
    Rule("name is required", C, connection(), without(connection(), "name"), "name: required"),
    Rule("name is not empty", D, data_model(), data_model(name="  "), "name: must not be empty"),
    Rule(
        "name takes unicode",
        T,
        transformation(name="Événements ✓ 日本"),
        transformation(name=7),
        "name: must be",
    ),
    Rule("unknown fields are refused", P, pipeline(), pipeline(colour="red"), "colour: unknown field"),
    Rule(
        "server-computed fields are ignored",
        C,
        connection(status="healthy", errors=[], created_on="2020-01-01T00:00:00.000Z", last_modified_by=None),
        connection(bogus_server_field="x"),
        "bogus_server_field: unknown field",
    ),
    # --- connections (§3) --------------------------------------------------------------
    Rule(
        "service_provider is one of four",
        C,
        connection(),
        connection(service_provider="oracle"),
        "service_provider: 'oracle' is not one of snowflake, bigquery, redshift, databricks",
    ),
    Rule(
        "service_provider compares case-insensitively",
        C,
        connection(service_provider="Snowflake"),
        without(connection(), "service_provider"),
        "service_provider: required",
    ),
    Rule("config is required", C, connection(), without(connection(), "config"), "config: required"),
    Rule("config is an object", C, connection(), connection(config="x"), "config: must be an object"),
    Rule(
        "config values are strings",
        C,
        connection(),
        with_config('snowflake', warehouse=5),
        "config.warehouse",
    ),
    Rule(
        "redshift port is an integer",
        C,
        with_config('redshift', port=5440),
        with_config('redshift', port="5439"),
        "config.port: must be an integer",
    ),
    Rule(
        "redshift port is a TCP port",
        C,
        with_config('redshift', port=65535),
        with_config('redshift', port=70000),
        "config.port: must be a TCP port",
    ),
    Rule(
        "snowflake may send its AWS fields",
        C,
        with_config('snowflake', aws_iam_user_arn="arn:aws:iam::1:user/x", aws_external_id="ext"),
        with_config('snowflake', aws_external_id=123),
        "config.aws_external_id: must be a string",
    ),
    Rule(
        "connection state is active or inactive",
        C,
        connection(state="inactive"),
        connection(state="new"),
        "state: 'new' is not one of active, inactive",
    ),
    Rule(
        "secret must not be empty",
        C,
        connection(),
        with_config('snowflake', password=""),
        "config.password: must not be empty",
    ),
    *_provider_rules(),
    # --- data models (§4) --------------------------------------------------------------
    Rule(
        "data model type is sql",
        D,
        data_model(),
        data_model(type="python"),
        "type: 'python' is not one of sql",
    ),
    Rule("sql_query is required", D, data_model(), data_model(config={}), "config.sql_query: required"),
    Rule("config is required", D, data_model(), without(data_model(), "config"), "config: required"),
    Rule(
        "config takes only sql_query",
        D,
        data_model(),
        data_model(config={"sql_query": "SELECT a FROM t", "dialect": "x"}),
        "config.dialect: unknown field",
    ),
    Rule(
        "allowed keywords pass",
        D,
        data_model(
            sql="SELECT DISTINCT u.email AS email, o.plan FROM users u JOIN orders o ON u.id = o.user_id "
            "WHERE o.plan IN ('a', 'b') GROUP BY u.email, o.plan ORDER BY u.email"
        ),
        data_model(sql="VALUES (1)"),
        "config.sql_query: must start with SELECT",
    ),
    *(
        Rule(
            f"SQL refuses {keyword}",
            D,
            data_model(sql=f"SELECT email, '{keyword} me' AS note FROM users"),  # inside a literal: fine
            data_model(sql=sql),
            f"config.sql_query: uses the refused keyword {keyword}",
        )
        for keyword, sql in (
            ("DELETE", "SELECT a FROM t WHERE a IN (DELETE FROM t)"),
            ("UPDATE", "SELECT a FROM t UPDATE t SET a = 1"),
            ("DROP", "SELECT a FROM t DROP TABLE t"),
            ("CREATE", "SELECT a FROM t CREATE TABLE x (a int)"),
            ("ALTER", "SELECT a FROM t ALTER TABLE t ADD b int"),
            ("WITH", "WITH x AS (SELECT a FROM t) SELECT a FROM x"),
        )
    ),
    Rule(
        "SQL is one statement",
        D,
        data_model(sql="SELECT a FROM t;"),
        data_model(sql="SELECT a FROM t; SELECT b FROM t"),
        "config.sql_query: contains more than one statement",
    ),
    Rule(
        "SQL selects at most 100 columns",
        D,
        data_model(sql=f"SELECT {COLUMNS_100} FROM t"),
        data_model(sql=f"SELECT {COLUMNS_101} FROM t"),
        "config.sql_query: selects 101 columns",
    ),
    Rule(
        "data model state is active or inactive",
        D,
        data_model(state="inactive"),
        data_model(state="paused"),
        "state: 'paused' is not one of active, inactive",
    ),
    # --- field transformations (§5) ----------------------------------------------------
    Rule(
        "destination_type is event_batch",
        T,
        transformation(),
        transformation(destination_type="user_profile"),
        "destination_type: 'user_profile' is not one of event_batch",
    ),
    Rule(
        "mappings are required",
        T,
        transformation(),
        without(transformation(), "mappings"),
        "mappings: required",
    ),
    Rule("at least one mapping", T, transformation(), transformation(mappings=[]), "mappings: add at least one"),
    Rule(
        "mapping is an object",
        T,
        transformation(),
        transformation(mappings=["event_id"]),
        "mappings[0]: must be an object",
    ),
    Rule(
        "mapping_type is column, static or ignore",
        T,
        transformation(),
        transformation(mappings=[{"mapping_type": "copy", "source": "a", "destination": "b"}]),
        "mappings[0].mapping_type: 'copy' is not one of column, static, ignore",
    ),
    Rule(
        "column mapping needs source",
        T,
        transformation(mappings=[{"mapping_type": "column", "source": "a", "destination": "user_attributes.a"}]),
        transformation(mappings=[{"mapping_type": "column", "destination": "user_attributes.a"}]),
        "mappings[0].source: required when mappings[0].mapping_type is column",
    ),
    Rule(
        "column mapping needs destination",
        T,
        transformation(mappings=[{"mapping_type": "column", "source": "a", "destination": "events[].data.a"}]),
        transformation(mappings=[{"mapping_type": "column", "source": "a"}]),
        "mappings[0].destination: required when mappings[0].mapping_type is column",
    ),
    Rule(
        "static mapping needs value",
        T,
        transformation(mappings=[{"mapping_type": "static", "destination": "events[].event_type", "value": 3}]),
        transformation(mappings=[{"mapping_type": "static", "destination": "events[].event_type"}]),
        "mappings[0].value: required when mappings[0].mapping_type is static",
    ),
    Rule(
        "static mapping has no source",
        T,
        transformation(
            mappings=[{"mapping_type": "static", "source": None, "destination": "events[].x", "value": "v"}]
        ),
        transformation(mappings=[{"mapping_type": "static", "source": "a", "destination": "events[].x", "value": "v"}]),
        "mappings[0].source: not allowed when mappings[0].mapping_type is static: remove it",
    ),
    Rule(
        "ignore mapping needs source",
        T,
        transformation(mappings=[{"mapping_type": "ignore", "source": "a", "destination": None}]),
        transformation(mappings=[{"mapping_type": "ignore"}]),
        "mappings[0].source: required when mappings[0].mapping_type is ignore",
    ),
    Rule(
        "ignore mapping has no destination",
        T,
        transformation(mappings=[{"mapping_type": "ignore", "source": "a"}]),
        transformation(mappings=[{"mapping_type": "ignore", "source": "a", "destination": "events[].a"}]),
        "mappings[0].destination: not allowed when mappings[0].mapping_type is ignore: remove it",
    ),
    Rule(
        "mapping keys are known",
        T,
        transformation(),
        transformation(mappings=[{"mapping_type": "ignore", "source": "a", "note": "x"}]),
        "mappings[0].note: unknown field",
    ),
    # --- pipelines (§6) ----------------------------------------------------------------
    Rule(
        "pipeline_type is user_attributes or events",
        P,
        pipeline(pipeline_type="events", field_transformation_id="ft-1"),
        pipeline(pipeline_type="audiences"),
        "pipeline_type: 'audiences' is not one of user_attributes, events",
    ),
    Rule(
        "connection_id names an existing connection",
        P,
        pipeline(),
        pipeline(connection_id="conn-missing"),
        "connection_id: connection 'conn-missing' does not exist",
    ),
    Rule(
        "connection_id is required",
        P,
        pipeline(),
        without(pipeline(), "connection_id"),
        "connection_id: required",
    ),
    Rule(
        "data_model_id names an existing data model",
        P,
        pipeline(),
        pipeline(data_model_id="model-missing"),
        "data_model_id: data model 'model-missing' does not exist",
    ),
    Rule(
        "field_transformation_id names an existing transformation",
        P,
        pipeline(field_transformation_id="ft-1"),
        pipeline(field_transformation_id="ft-missing"),
        "field_transformation_id: field transformation 'ft-missing' does not exist",
    ),
    Rule(
        "events pipelines need a field transformation",
        P,
        pipeline(pipeline_type="events", field_transformation_id="ft-1"),
        pipeline(pipeline_type="events", field_transformation_id=None),
        "field_transformation_id: required when pipeline_type is events",
    ),
    Rule(
        "user_attributes pipelines may omit the transformation",
        P,
        pipeline(field_transformation_id=None),
        pipeline(field_transformation_id=""),
        "field_transformation_id: must not be empty",
    ),
    Rule(
        "partner_feed_id or partner_feed_key, not both",
        P,
        without(pipeline(partner_feed_key=PARTNER_FEED_KEY), "partner_feed_id"),
        pipeline(partner_feed_key=PARTNER_FEED_KEY),
        "partner_feed_key: give either partner_feed_id or partner_feed_key, not both",
    ),
    Rule(
        "partner_feed_id or partner_feed_key is required",
        P,
        pipeline(),
        without(pipeline(), "partner_feed_id"),
        "partner_feed_id: required",
    ),
    Rule(
        "partner_feed_id is a positive integer",
        P,
        pipeline(partner_feed_id=1),
        pipeline(partner_feed_id="4242"),
        "partner_feed_id: must be an integer",
    ),
    Rule(
        "pipeline state is active or paused",
        P,
        pipeline(state="paused"),
        pipeline(state="inactive"),
        "state: 'inactive' is not one of active, paused",
    ),
    Rule("sync_mode is required", P, pipeline(), without(pipeline(), "sync_mode"), "sync_mode: required"),
    Rule(
        "sync_mode.type is full or incremental",
        P,
        pipeline(sync_mode={"type": "full"}),
        pipeline(sync_mode={"type": "delta"}),
        "sync_mode.type: 'delta' is not one of full, incremental",
    ),
    Rule(
        "incremental needs iterator_field",
        P,
        pipeline(sync_mode=INCREMENTAL),
        pipeline(sync_mode=sync(type="incremental", iterator_data_type="timestamp")),
        "sync_mode.iterator_field: required when sync_mode.type is incremental",
    ),
    Rule(
        "incremental needs iterator_data_type",
        P,
        pipeline(sync_mode={**INCREMENTAL, "iterator_data_type": "timestamp_unixtime_ms"}),
        pipeline(sync_mode=sync(type="incremental", iterator_field="updated_at")),
        "sync_mode.iterator_data_type: required when sync_mode.type is incremental",
    ),
    Rule(
        "iterator_data_type is a known type",
        P,
        pipeline(sync_mode={**INCREMENTAL, "iterator_data_type": "date"}),
        pipeline(sync_mode={**INCREMENTAL, "iterator_data_type": "uuid"}),
        "sync_mode.iterator_data_type: 'uuid' is not one of",
    ),
    Rule(
        "full forbids iterator_field",
        P,
        pipeline(sync_mode={"type": "full", "iterator_field": None}),
        pipeline(sync_mode={"type": "full", "iterator_field": "updated_at"}),
        "sync_mode.iterator_field: not allowed when sync_mode.type is full",
    ),
    Rule(
        "full forbids iterator_data_type",
        P,
        pipeline(sync_mode={"type": "full"}),
        pipeline(sync_mode={"type": "full", "iterator_data_type": "timestamp"}),
        "sync_mode.iterator_data_type: not allowed when sync_mode.type is full",
    ),
    Rule(
        "sync_mode bounds are ISO 8601",
        P,
        pipeline(sync_mode={**INCREMENTAL, "from": "2024-01-01T00:00:00Z", "until": "2024-02-01T00:00:00+00:00"}),
        pipeline(sync_mode={**INCREMENTAL, "from": "last tuesday"}),
        "sync_mode.from: 'last tuesday' is not an ISO 8601 timestamp",
    ),
    Rule(
        "sync_mode keys are known",
        P,
        pipeline(),
        pipeline(sync_mode={**INCREMENTAL, "cursor": "x"}),
        "sync_mode.cursor: unknown field",
    ),
    Rule("schedule is required", P, pipeline(), without(pipeline(), "schedule"), "schedule: required"),
    Rule(
        "schedule.type is interval, once or on_demand",
        P,
        pipeline(schedule={"type": "once", "start": "2024-01-01T00:00:00Z"}),
        pipeline(schedule={"type": "cron", "start": "2024-01-01T00:00:00Z"}),
        "schedule.type: 'cron' is not one of interval, once, on_demand",
    ),
    Rule(
        "interval needs frequency",
        P,
        pipeline(schedule={"type": "interval", "frequency": "weekly", "start": "2024-01-01T00:00:00Z"}),
        pipeline(schedule={"type": "interval", "start": "2024-01-01T00:00:00Z"}),
        "schedule.frequency: required when schedule.type is interval",
    ),
    Rule(
        "frequency is hourly, daily, weekly or monthly",
        P,
        pipeline(schedule={"type": "interval", "frequency": "monthly", "start": "2024-01-01T00:00:00Z"}),
        pipeline(schedule={"type": "interval", "frequency": "minutely", "start": "2024-01-01T00:00:00Z"}),
        "schedule.frequency: 'minutely' is not one of hourly, daily, weekly, monthly",
    ),
    Rule(
        "once forbids frequency",
        P,
        pipeline(schedule={"type": "once", "start": "2024-01-01T00:00:00Z"}),
        pipeline(schedule={"type": "once", "frequency": "daily", "start": "2024-01-01T00:00:00Z"}),
        "schedule.frequency: not allowed when schedule.type is once",
    ),
    Rule(
        "on_demand forbids frequency",
        P,
        pipeline(schedule={"type": "on_demand", "start": "2024-01-01T00:00:00Z"}),
        pipeline(schedule={"type": "on_demand", "frequency": "daily", "start": "2024-01-01T00:00:00Z"}),
        "schedule.frequency: not allowed when schedule.type is on_demand",
    ),
    Rule(
        "on_demand needs start",
        P,
        pipeline(schedule={"type": "on_demand", "start": "2024-01-01T00:00:00Z"}),
        pipeline(schedule={"type": "on_demand"}),
        "schedule.start: required",
    ),
    Rule(
        "interval needs start",
        P,
        pipeline(),
        pipeline(schedule={"type": "interval", "frequency": "daily"}),
        "schedule.start: required",
    ),
    Rule(
        "start is ISO 8601 with a time zone",
        P,
        pipeline(schedule={"type": "interval", "frequency": "daily", "start": "2024-01-01T00:15:00+00:00"}),
        pipeline(schedule={"type": "interval", "frequency": "daily", "start": "2024-01-01 00:15"}),
        "schedule.start: '2024-01-01 00:15' is not an ISO 8601 timestamp",
    ),
    Rule(
        "end is after start",
        P,
        pipeline(
            schedule={
                "type": "interval",
                "frequency": "daily",
                "start": "2024-01-01T00:00:00Z",
                "end": "2024-06-01T00:00:00Z",
            }
        ),
        pipeline(
            schedule={
                "type": "interval",
                "frequency": "daily",
                "start": "2024-06-01T00:00:00Z",
                "end": "2024-01-01T00:00:00Z",
            }
        ),
        "schedule.end: must be after schedule.start",
    ),
    Rule(
        "environment is development or production",
        P,
        pipeline(environment="development"),
        pipeline(environment="staging"),
        "environment: 'staging' is not one of development, production",
    ),
    Rule(
        "data plan version comes with the id",
        P,
        pipeline(data_plan_id="plan", data_plan_version=2),
        pipeline(data_plan_id="plan"),
        "data_plan_version: required when data_plan_id is set",
    ),
    Rule(
        "data plan id comes with the version",
        P,
        pipeline(data_plan_id=None, data_plan_version=None),
        pipeline(data_plan_version=2),
        "data_plan_id: required when data_plan_version is set",
    ),
    Rule(
        "data plan version is an integer",
        P,
        pipeline(data_plan_id="plan", data_plan_version=1),
        pipeline(data_plan_id="plan", data_plan_version="1"),
        "data_plan_version: must be an integer",
    ),
]


@pytest.mark.parametrize("rule", RULES, ids=str)
def test_rule_accepts_and_rejects(request: pytest.FixtureRequest, rule: Rule) -> None:
    # Pipelines need the objects they name; the other collections start from an empty workspace.
    api: ApiSession = request.getfixturevalue("linked_api" if rule.collection == P else "api")
    refused = api.create(rule.collection, rule.rejected)
    assert refused.status_code == 400, refused.text
    assert rule.fragment in message_text(refused)

    created = api.create(rule.collection, rule.accepted)
    assert created.status_code == 200, created.text
    assert created.json()[wire.ID] == rule.accepted[wire.ID]


def test_rule_names_are_unique() -> None:
    names = [(rule.collection, rule.name) for rule in RULES]
    assert len(names) == len(set(names))


def test_all_problems_of_a_body_are_reported_together(linked_api: ApiSession) -> None:
    body = pipeline(pipeline_type="events", schedule={"type": "interval"}, environment="qa")
    answer = linked_api.create(P, body)
    assert answer.status_code == 400
    text = message_text(answer)
    for fragment in ("field_transformation_id:", "schedule.frequency:", "schedule.start:", "environment:"):
        assert fragment in text
