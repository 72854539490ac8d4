"""The bad-input matrix under the real engine: one mistake per program, one clear error each.

Mistakes the provider can see offline fail at ``pulumi preview`` with a single error that names
the property and says how to fix it, and the emulator sees no request at all. Setting mistakes
(missing credentials, unusable URLs) fail at the first ``up`` with the setting named and no write.
Mistakes only the API can judge (a 6th active pipeline, a reference to an object that does not
exist) fail at ``up``: the API refuses, nothing is created, and the error names the argument.

The offline programs share one stack per worker (``set_program`` between previews).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

import pulumi_mparticle_wsync as mp
from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .conftest import StackFactory
from .harness import EngineStack, closed_port, new_stack, provider_config

SNOWFLAKE: dict[str, Any] = {
    "account_identifier": "acme", "region": "us-central1.gcp", "warehouse": "WH", "database": "DB",
    "role": "SYNC", "user": "SYNC_USER", "password": "bad-inputs-password", "storage_integration": "mp_us1_1_2_s3",
}
REDSHIFT: dict[str, Any] = {
    "host": "cluster.example.com", "database": "events", "user": "mparticle", "password": "bad-inputs-password",
    "aws_iam_role_arn": "arn:aws:iam::123456789012:role/mparticle",
}
BIGQUERY: dict[str, Any] = {
    "region": "us-east4", "project_id": "acme", "dataset_id": "crm", "service_account_id": "sync@acme.iam",
    "service_account_key": '{"type": "service_account"}',
}
SYNC_MODE: dict[str, Any] = {"type": "incremental", "iterator_field": "updated_at", "iterator_data_type": "timestamp"}
SCHEDULE: dict[str, Any] = {"type": "interval", "frequency": "hourly", "start": "2026-01-01T00:15:00Z"}
MAPPING: dict[str, Any] = {"mapping_type": "column", "source": "order_id", "destination": "events[].data.event_id"}
SQL = "SELECT email, plan, updated_at FROM db.s.users"
WRITES = ("POST", "PUT", "DELETE")


def _changed(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """``base`` with ``changes`` applied; a change to ``None`` removes the key."""
    merged = {**base, **changes}
    return {k: v for k, v in merged.items() if v is not None}


# Programs of one resource each; references are literal ids, so nothing else needs creating.


def connection(**changes: Any) -> Callable[[], None]:
    def program() -> None:
        mp.Connection("wh", **_changed({"name": "Warehouse", "snowflake": SNOWFLAKE}, **changes))

    return program


def data_model(**changes: Any) -> Callable[[], None]:
    def program() -> None:
        mp.DataModel("users", **_changed({"name": "Users", "sql_query": SQL}, **changes))

    return program


def transformation(**changes: Any) -> Callable[[], None]:
    def program() -> None:
        mp.FieldTransformation("events", **_changed({"name": "Events", "mappings": [MAPPING]}, **changes))

    return program


def pipeline(**changes: Any) -> Callable[[], None]:
    base = {
        "name": "Users", "pipeline_type": "user_attributes", "connection_id": "wh", "data_model_id": "users",
        "partner_feed_id": 42, "sync_mode": SYNC_MODE, "schedule": SCHEDULE, "environment": "development",
    }

    def program() -> None:
        mp.Pipeline("sync", **_changed(base, **changes))

    return program


@dataclass(frozen=True)
class Mistake:
    name: str
    program: Callable[[], None]
    field: str  # the property the error must name
    fix: str  # a fragment of the fix the error must give
    shown: str = ""  # a fragment of the value the error must show (as the engine prints values)


def _columns(count: int) -> str:
    return "SELECT " + ", ".join(f"c{i}" for i in range(count)) + " FROM db.s.wide"


OFFLINE_MISTAKES = [
    # Wrong enum values.
    Mistake("pipeline_type not an enum value", pipeline(pipeline_type="event"), "pipeline_type",
            "must be one of 'user_attributes' or 'events'", "value {event}"),
    Mistake("environment not an enum value", pipeline(environment="prod"), "environment",
            "must be one of 'development' or 'production'"),
    Mistake("frequency not an enum value", pipeline(schedule=_changed(SCHEDULE, frequency="fortnightly")),
            "schedule.frequency", "must be one of 'hourly'", "frequency:{fortnightly}"),
    Mistake("iterator type not an enum value",
            pipeline(sync_mode=_changed(SYNC_MODE, iterator_data_type="timestamp_utc")),
            "sync_mode.iterator_data_type", "must be one of 'timestamp'"),
    Mistake("sync type not an enum value", pipeline(sync_mode=_changed(SYNC_MODE, type="delta")),
            "sync_mode.type", "must be one of 'full' or 'incremental'"),
    Mistake("mapping type not an enum value", transformation(mappings=[_changed(MAPPING, mapping_type="copy")]),
            "mappings[0].mapping_type", "must be one of 'column', 'static' or 'ignore'", "mapping_type:{copy}"),
    Mistake("connection state not an enum value", connection(state="enabled"), "state",
            "must be one of 'active' or 'inactive'"),
    # Warehouse blocks.
    Mistake("two warehouse blocks", connection(databricks={"provider": "p", "catalog": "c", "schema": "s"}),
            "databricks", "remove databricks (or snowflake)"),
    Mistake("no warehouse block", connection(snowflake=None), "snowflake=",
            "needs exactly one warehouse block: set one of"),
    # Sync mode and schedule rules.
    Mistake("incremental without iterator", pipeline(sync_mode=_changed(SYNC_MODE, iterator_field=None)),
            "sync_mode.iterator_field", "is required for incremental sync", "iterator_data_type:{timestamp}"),
    Mistake("full sync with an iterator", pipeline(sync_mode={"type": "full", "iterator_field": "updated_at"}),
            "sync_mode.iterator_field", "only applies to incremental sync: remove it"),
    Mistake("end before start", pipeline(schedule=_changed(SCHEDULE, end="2025-12-31T00:00:00Z")),
            "schedule.end", "must be after schedule.start", "end:{2025-12-31T00:00:00Z}"),
    Mistake("until before from", pipeline(sync_mode=_changed(SYNC_MODE, from_="2026-02-01T00:00:00Z",
                                                             until="2026-01-01T00:00:00Z")),
            "sync_mode.until", "must be after sync_mode.from_"),
    Mistake("start without a timezone", pipeline(schedule=_changed(SCHEDULE, start="2026-01-01T00:15:00")),
            "schedule.start", "with a timezone, e.g. 2026-01-01T00:15:00Z"),
    Mistake("interval without frequency", pipeline(schedule=_changed(SCHEDULE, frequency=None)),
            "schedule.frequency", "is required for an interval schedule"),
    # Pipeline rules.
    Mistake("events without transformation", pipeline(pipeline_type="events"), "field_transformation_id",
            "create a FieldTransformation and pass its id"),
    Mistake("feed id and feed key both set", pipeline(partner_feed_key="bad-inputs-feed-key"), "partner_feed_key",
            "not both: remove one"),
    Mistake("no feed", pipeline(partner_feed_id=None), "partner_feed_id", "set partner_feed_id",
            "resource 'sync' has a problem: partner_feed_id: "),
    Mistake("data plan id without version", pipeline(data_plan_id="plan"), "data_plan_version", "set both"),
    # SQL.
    Mistake("refused SQL keyword", data_model(sql_query="DELETE FROM db.s.users"), "sql_query",
            "refused keyword DELETE"),
    Mistake("SQL WITH clause", data_model(sql_query="WITH u AS (SELECT email FROM t) SELECT email FROM u"),
            "sql_query", "refused keyword WITH"),
    Mistake("two SQL statements", data_model(sql_query="SELECT email FROM a; SELECT email FROM b"), "sql_query",
            "remove the ';' and keep a single SELECT"),
    Mistake("too many columns", data_model(sql_query=_columns(101)), "sql_query", "at most 100 are allowed"),
    # Ids.
    Mistake("bad id characters", data_model(resource_id="my users!"), "resource_id",
            "use only letters, digits, '-' and '_'"),
    Mistake("id too long", data_model(resource_id="x" * 65), "resource_id", "use at most 64"),
    Mistake("bad reference id", pipeline(connection_id="my warehouse"), "connection_id",
            "use only letters, digits"),
    Mistake("adopt without an id", data_model(adopt=True), "adopt", "also set resource_id"),
    Mistake("workspace id not a number", data_model(workspace_id="acme"), "workspace_id",
            "numeric workspace id shown in the mParticle UI"),
    # Wrong types.
    Mistake("feed id as a string", pipeline(partner_feed_id="42"), "partner_feed_id",
            "must be a whole number, not a string"),
    Mistake("paused as a string", pipeline(paused="yes"), "paused", "must be True or False, not a string"),
    Mistake("port as a fraction", connection(snowflake=None, redshift=_changed(REDSHIFT, port=5439.5)),
            "redshift.port", "must be a whole number, not a fraction", "password:{[secret]} port:{5439.5}"),
    Mistake("mappings as a dict", transformation(mappings=MAPPING), "mappings", "must be a list, not a dict"),
    # Empty strings and lists.
    Mistake("empty name", data_model(name=""), "name", "must not be empty"),
    Mistake("blank warehouse", connection(snowflake=_changed(SNOWFLAKE, warehouse="  ")), "snowflake.warehouse",
            "must not be empty", "password:{[secret]} region:{us-central1.gcp} role:{SYNC}"),
    Mistake("no mappings", transformation(mappings=[]), "mappings", "needs at least one mapping"),
    # Missing and unknown arguments, other value rules.
    Mistake("missing warehouse password", connection(snowflake=_changed(SNOWFLAKE, password=None)),
            "snowflake.password", "is required by SnowflakeConfigArgs: add it"),
    # A block holding a name that is no argument is not shown: the value could be a misspelt secret.
    Mistake("unknown block argument", connection(snowflake=_changed(SNOWFLAKE, passwrd="x")), "snowflake.passwrd",
            "remove it (did you mean password?)", "resource 'wh' has a problem: snowflake.passwrd: "),
    Mistake("unknown resource argument", connection(nmae="Warehouse"), "nmae", "unexpected keyword argument"),
    Mistake("static mapping without value",
            transformation(mappings=[{"mapping_type": "static", "destination": "events[].data.event_name"}]),
            "mappings[0].value", "needs value (the constant to write)"),
    Mistake("two mappings to one destination", transformation(mappings=[MAPPING, _changed(MAPPING, source="id")]),
            "mappings[1].destination", "each destination takes one mapping"),
    Mistake("BigQuery key given as a path",
            connection(snowflake=None, bigquery=_changed(BIGQUERY, service_account_key="/keys/sa.json")),
            "bigquery.service_account_key", "contents of the service account's JSON key file"),
    Mistake("Redshift role not an ARN",
            connection(snowflake=None, redshift=_changed(REDSHIFT, aws_iam_role_arn="mparticle-redshift")),
            "redshift.aws_iam_role_arn", "must be an IAM role ARN"),
]


# --- reading the engine's output ----------------------------------------------------------------

_ENGINE_NOISE = ("Resource monitor has terminated", "update failed", "preview failed", "an unhandled error occurred")


def diagnostics(output: str) -> list[str]:
    """The errors the engine reported, one entry per error (its first line), minus the engine's
    own follow-up noise. (A preview with ``diff`` prints them to stderr, without a Diagnostics
    section; either way each starts a line with ``error: ``.)"""
    errors: list[str] = []
    for line in output.splitlines():
        text = line.strip().removeprefix("stderr: ")
        if text.startswith("error: ") and not any(noise in text for noise in _ENGINE_NOISE):
            errors.append(text.removeprefix("error: "))
    return errors


_PROVIDER_ERROR = re.compile(
    r"pulumi_mparticle_wsync\.(?:resources\.errors\.\w+|client\.errors\.ConfigurationError): (.+)"
)


def provider_errors(output: str) -> list[str]:
    """The distinct messages the provider failed operations with (the last exception of each
    traceback the engine prints; the engine prints each traceback more than once)."""
    return sorted(set(_PROVIDER_ERROR.findall(output)))


def _failure(run: Callable[[], Any]) -> str:
    with pytest.raises(auto.CommandError) as failed:
        run()
    return str(failed.value)


# --- offline mistakes: preview ------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_stack(tmp_path_factory: pytest.TempPathFactory, _emulator_session: EmulatorHandle) -> Iterator[EngineStack]:
    """One stack per worker for every offline program: previews never change it."""
    handle = _emulator_session
    config = provider_config(handle.url, handle.workspace_id, handle.client_id, handle.client_secret)
    yield new_stack(tmp_path_factory.mktemp("bad-inputs"), connection(), config=config)


@pytest.mark.engine
@pytest.mark.parametrize("mistake", OFFLINE_MISTAKES, ids=lambda m: m.name)
def test_offline_mistakes_fail_preview_with_one_clear_error(
    mistake: Mistake, shared_stack: EngineStack, emulator: EmulatorHandle
) -> None:
    shared_stack.set_program(mistake.program)
    output = _failure(shared_stack.preview)
    errors = diagnostics(output)
    assert len(errors) == 1, errors
    assert mistake.field in errors[0] and mistake.fix in errors[0], errors[0]
    # The engine shows the value of the property a failure names, as a top-level input: a nested
    # path would print {<nil>}. Secrets in a value shown are [secret].
    assert "{<nil>}" not in errors[0], errors[0]
    assert mistake.shown in errors[0], errors[0]
    assert "bad-inputs-password" not in output and "bad-inputs-feed-key" not in output
    assert emulator.control.requests() == [], "a preview with a mistake must not call the API"


def test_the_matrix_is_large_and_has_one_mistake_per_name() -> None:
    assert len(OFFLINE_MISTAKES) >= 30
    assert len({m.name for m in OFFLINE_MISTAKES}) == len(OFFLINE_MISTAKES)


# --- setting mistakes: the first up, before any write --------------------------------------------


@dataclass(frozen=True)
class SettingMistake:
    name: str
    changes: dict[str, str | None]  # mparticle:* keys; None removes the setting
    field: str
    fix: str


SETTING_MISTAKES = [
    SettingMistake("missing client secret", {"clientSecret": None}, "mparticle:clientSecret",
                   "pulumi config set --secret mparticle:clientSecret"),
    SettingMistake("missing client id", {"clientId": None}, "mparticle:clientId",
                   "pulumi config set mparticle:clientId"),
    SettingMistake("non-HTTPS API URL", {"apiUrl": "http://api.example.com"}, "mparticle:apiUrl",
                   "must use https://"),
    SettingMistake("unreachable API URL", {"apiUrl": f"http://127.0.0.1:{closed_port()}", "maxAttempts": "2"},
                   "mparticle:apiUrl", "check that mparticle:apiUrl is right and reachable"),
    SettingMistake("workspace id not a number", {"workspaceId": "acme"}, "mparticle:workspaceId",
                   "numeric workspace id"),
]


@pytest.mark.engine
@pytest.mark.parametrize("mistake", SETTING_MISTAKES, ids=lambda m: m.name)
def test_setting_mistakes_fail_the_first_up_without_a_write(
    mistake: SettingMistake, make_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    stack = make_stack(data_model())
    for key, value in mistake.changes.items():
        if value is None:
            stack.stack.remove_config(f"mparticle:{key}")
        else:
            stack.stack.set_config(f"mparticle:{key}", auto.ConfigValue(value))
    output = _failure(stack.up)
    errors = provider_errors(output)
    assert len(errors) == 1, errors
    assert mistake.field in errors[0] and mistake.fix in errors[0], errors[0]
    assert [r for r in emulator.control.requests() if r.method in WRITES and r.collection in wire.COLLECTIONS] == []
    assert emulator.control.list_objects(emulator.workspace_id, wire.DATA_MODELS) == []


# --- mistakes only the API can judge: up, refused, nothing created --------------------------------


def _seed_dependencies(emulator: EmulatorHandle, active_pipelines: int) -> None:
    ws = emulator.workspace_id
    emulator.control.seed_object(ws, wire.CONNECTIONS, {
        "id": "wh", "name": "Warehouse", "service_provider": "databricks",
        "config": {"provider": "share", "catalog": "main", "schema": "crm"}})
    emulator.control.seed_object(ws, wire.DATA_MODELS, {
        "id": "users", "name": "Users", "type": "sql", "config": {"sql_query": SQL}})
    for index in range(active_pipelines):
        emulator.control.seed_object(ws, wire.PIPELINES, {
            "id": f"active-{index}", "name": "Active", "pipeline_type": "user_attributes", "connection_id": "wh",
            "data_model_id": "users", "partner_feed_id": 42, "state": "active", "sync_mode": {"type": "full"},
            "schedule": {"type": "on_demand", "start": "2026-01-01T00:00:00Z"}, "environment": "development"})


@dataclass(frozen=True)
class RefusedMistake:
    name: str
    program: Callable[[], None]
    active_pipelines: int
    field: str
    fix: str


REFUSED_MISTAKES = [
    RefusedMistake("sixth active pipeline", pipeline(), 5, "paused argument", "pause one first"),
    RefusedMistake("nonexistent connection", pipeline(connection_id="no-such-warehouse"), 0, "connection_id",
                   "does not exist"),
    RefusedMistake("nonexistent transformation",
                   pipeline(pipeline_type="events", field_transformation_id="no-such-mapping"), 0,
                   "field_transformation_id", "does not exist"),
]


@pytest.mark.engine
@pytest.mark.parametrize("mistake", REFUSED_MISTAKES, ids=lambda m: m.name)
def test_mistakes_the_api_refuses_create_nothing(
    mistake: RefusedMistake, make_stack: StackFactory, emulator: EmulatorHandle, tmp_path: Path
) -> None:
    _seed_dependencies(emulator, mistake.active_pipelines)
    stack = make_stack(mistake.program)
    # Offline, the program is valid: the preview passes (creating the stack and the pipeline).
    assert stack.preview().result.change_summary == {"create": 2}
    emulator.control.clear_log()
    output = _failure(stack.up)
    errors = provider_errors(output)
    assert len(errors) == 1, errors
    assert mistake.field in errors[0] and mistake.fix in errors[0], errors[0]
    pipelines = emulator.control.list_objects(emulator.workspace_id, wire.PIPELINES)
    assert sorted(p["id"] for p in pipelines) == [f"active-{i}" for i in range(mistake.active_pipelines)]
    assert [r.status for r in emulator.control.requests()
            if r.method in WRITES and r.collection in wire.COLLECTIONS] == [400]
    assert not [r for r in stack.resources() if r["type"].endswith(":Pipeline")]
