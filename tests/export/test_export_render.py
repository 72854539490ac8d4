"""What ``mparticle-wsync export`` writes for a workspace, without a server: the program, SECRETS.md,
Pulumi.yaml and the report of the objects left out, from served objects written out here."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.export import export_files, plan_workspace
from pulumi_mparticle_wsync.export._writer import WIDTH, Call, ListOf, Literal, Name, render, string_literal

SERVER_FIELDS: dict[str, Any] = {
    wire.STATUS_FIELD: "healthy", wire.ERRORS: [], wire.CREATED_ON: "2026-01-01T00:00:00.000Z",
    wire.CREATED_BY: "owner@example.com", wire.LAST_MODIFIED_ON: None, wire.LAST_MODIFIED_BY: None,
}


def served(**fields: Any) -> dict[str, Any]:
    return {**fields, **SERVER_FIELDS}


# A v1-style server: the password masked, the provider capitalised, the SQL at the top level,
# nulls for what is not set, a connection's state `new`.
SMALL: dict[str, list[dict[str, Any]]] = {
    wire.CONNECTIONS: [served(
        id="warehouse", name="Warehouse", state="new", service_provider="Snowflake", config={
            "account_identifier": "xy12345", "region": "us-central1.gcp", "warehouse": "COMPUTE_WH",
            "database": "ANALYTICS", "role": "MPARTICLE", "user": "mp_user", "password": wire.MASKED_SECRET,
            "storage_integration": "mp_us1_1_2_s3", "aws_iam_user_arn": "arn:aws:iam::000000000000:user/mp",
            "aws_external_id": "ext-1"})],
    wire.DATA_MODELS: [served(id="active-users", name="Active users", type="sql", state="active",
                              sql_query="SELECT email, plan FROM crm.users")],
    wire.FIELD_TRANSFORMATIONS: [],
    wire.PIPELINES: [served(
        id="users-hourly", name="Users hourly", pipeline_type="user_attributes", connection_id="warehouse",
        data_model_id="active-users", field_transformation_id=None, state="active", environment="production",
        sync_mode={"type": "incremental", "iterator_field": "updated_at", "iterator_data_type": "timestamp",
                   "from": None, "until": None},
        schedule={"type": "interval", "frequency": "hourly", "start": "2026-01-01T00:15:00Z", "end": None},
        data_plan_id=None, data_plan_version=None)],
}

SMALL_PROGRAM = '''\
"""mParticle Warehouse Sync workspace 1001, as `mparticle-wsync export` read it.

Every object is adopted: `adopt=True` with its `resource_id`, so the first `pulumi up` takes each
one over (an adoption creates nothing; it writes the object as declared here). Run it with
`mparticle:workspaceId` set to 1001. The secrets the API never returns are read from the stack's
config: SECRETS.md lists them.
"""

import pulumi

import pulumi_mparticle_wsync as mp

config = pulumi.Config()

# Connection (1)

# state: the server reports 'new', which a program cannot set (left to the server)
warehouse = mp.Connection(
    "warehouse",
    resource_id="warehouse",
    adopt=True,
    name="Warehouse",
    snowflake=mp.SnowflakeConfigArgs(
        account_identifier="xy12345",
        region="us-central1.gcp",
        warehouse="COMPUTE_WH",
        database="ANALYTICS",
        role="MPARTICLE",
        user="mp_user",
        password=config.require_secret("warehousePassword"),
        storage_integration="mp_us1_1_2_s3",
        aws_iam_user_arn="arn:aws:iam::000000000000:user/mp",
        aws_external_id="ext-1",
    ),
)

# Data model (1)

active_users = mp.DataModel(
    "active-users",
    resource_id="active-users",
    adopt=True,
    name="Active users",
    sql_query="SELECT email, plan FROM crm.users",
    state="active",
)

# Pipeline (1)

users_hourly = mp.Pipeline(
    "users-hourly",
    resource_id="users-hourly",
    adopt=True,
    name="Users hourly",
    pipeline_type="user_attributes",
    connection_id=warehouse.id,
    data_model_id=active_users.id,
    partner_feed_key=config.require_secret("usersHourlyPartnerFeedKey"),
    sync_mode=mp.SyncModeArgs(
        type="incremental",
        iterator_field="updated_at",
        iterator_data_type="timestamp",
    ),
    schedule=mp.ScheduleArgs(type="interval", frequency="hourly", start="2026-01-01T00:15:00Z"),
    environment="production",
)
'''

SMALL_SECRETS = '''\
# Secrets of this program

The Warehouse Sync API never returns these values, so `mparticle-wsync export` could not write them
into `__main__.py`: the program reads each one from the stack's config with
`config.require_secret(KEY)`. Set them before the first `pulumi up` (each command asks for the value;
an adoption writes it to the object, so give the value the object uses now):

```sh
pulumi config set --secret warehousePassword
pulumi config set --secret usersHourlyPartnerFeedKey
```

| config key | resource | field | what it is |
|---|---|---|---|
| `warehousePassword` | Connection `warehouse` (id `warehouse`, "Warehouse") | `snowflake.password` | \
Secret: kept secret in the state even when given as a plain string (the rest of the block is not). |
| `usersHourlyPartnerFeedKey` | Pipeline `users_hourly` (id `users-hourly`, "Users hourly") | `partner_feed_key` | \
The input feed's key instead of its id (the server resolves the id, shown in the `partner_feed_id` output). |
'''


def test_the_program_for_a_small_workspace() -> None:
    files = export_files(plan_workspace("1001", SMALL), "acme")
    assert files == {
        "Pulumi.yaml": 'name: acme\ndescription: "mParticle Warehouse Sync workspace 1001, exported by '
                       'mparticle-wsync export"\nruntime: python\n',
        "__main__.py": SMALL_PROGRAM,
        "SECRETS.md": SMALL_SECRETS,
    }


def test_the_listing_order_does_not_matter() -> None:
    shuffled = {collection: list(reversed(objects)) for collection, objects in reversed(list(SMALL.items()))}
    assert export_files(plan_workspace("1001", shuffled), "acme") == export_files(plan_workspace("1001", SMALL), "acme")


def test_a_workspace_without_secrets_has_no_config() -> None:
    workspace = copy.deepcopy(SMALL)
    workspace[wire.CONNECTIONS] = [served(id="warehouse", name="Lake", service_provider="databricks",
                                          config={"provider": "p", "catalog": "c", "schema": "s"})]
    workspace[wire.PIPELINES][0]["partner_feed_id"] = 4242.0  # a JSON number read as a float
    files = export_files(plan_workspace("1001", workspace), "acme")
    program = files["__main__.py"]
    assert "import pulumi\n" not in program and "config" not in program
    assert "    partner_feed_id=4242,\n" in program
    assert "partner_feed_key" not in program
    assert files["SECRETS.md"] == (
        "# Secrets of this program\n\nThe program exported from workspace 1001 reads no secrets: none of its "
        "objects has a write-only value.\n"
    )


def _redshift(object_id: str, **config: Any) -> dict[str, Any]:
    return served(id=object_id, name=object_id, service_provider="redshift", config={
        "host": "h", "database": "d", "user": "u", "aws_iam_role_arn": "arn:aws:iam::1:role/r", **config})


def test_values_equal_to_the_default_are_left_out() -> None:
    workspace: dict[str, list[dict[str, Any]]] = {
        wire.CONNECTIONS: [_redshift("default-port", port=5439), _redshift("other-port", port=5440.0)],
        wire.DATA_MODELS: [served(id="m", name="M", type="sql", config={"sql_query": "SELECT a FROM t"})],
        wire.PIPELINES: [
            served(id=f"p-{state}", name="P", pipeline_type="user_attributes", connection_id="default-port",
                   data_model_id="m", state=state, environment="production", partner_feed_id=1,
                   sync_mode={"type": "full"}, schedule={"type": "on_demand", "start": "2026-01-01T00:00:00Z"})
            for state in ("active", "paused")
        ],
    }
    plan = plan_workspace("1001", workspace)
    assert plan.left_out == []
    arguments = {o.object_id: o.arguments for o in plan.objects}
    assert "port" not in arguments["default-port"]["redshift"]
    assert arguments["other-port"]["redshift"]["port"] == 5440
    assert "paused" not in arguments["p-active"]
    assert arguments["p-paused"]["paused"] is True
    program = export_files(plan, "acme")["__main__.py"]
    assert program.count("paused=True") == 1
    assert program.count("port=") == 1


LEFT_OUT: dict[str, list[dict[str, Any]]] = {
    wire.CONNECTIONS: [
        served(id="oracle", name="Oracle", service_provider="oracle", config={"host": "db"}),
        served(id="lake", name="Lake", service_provider="databricks",
               config={"provider": "p", "catalog": "c", "schema": "s", "tls": True}, labels=["x"]),
        served(id="ok", name="OK", service_provider="databricks",
               config={"provider": "p", "catalog": "c", "schema": "s"}),
        served(id="ok", name="OK again", service_provider="databricks",
               config={"provider": "p", "catalog": "c", "schema": "s"}),
        served(id="bad id!", name="Bad", service_provider="databricks",
               config={"provider": "p", "catalog": "c", "schema": "s"}),
    ],
    wire.DATA_MODELS: [
        served(id="dbt-model", name="dbt", type="dbt", config={"sql_query": "SELECT a FROM t"}),
        served(id="m", name="M", type="sql", config={"sql_query": "SELECT a FROM t"}),
    ],
    wire.FIELD_TRANSFORMATIONS: [
        served(id="ft", name="FT", destination_type="event_batch",
               mappings=[{"mapping_type": "column", "source": "a", "destination": "events[].x"}, "junk"]),
    ],
    wire.PIPELINES: [
        served(id=object_id, name=object_id, pipeline_type="user_attributes", connection_id=connection,
               data_model_id=model, state="active", environment="production", partner_feed_id=1,
               sync_mode={"type": "full"}, schedule={"type": schedule, "start": "2026-01-01T00:00:00Z"})
        for object_id, connection, model, schedule in (
            ("cron", "ok", "m", "cron"), ("dangling", "ok", "gone", "on_demand"),
            ("on-oracle", "oracle", "m", "on_demand"))
    ],
}


def test_objects_it_cannot_declare_are_listed_with_the_reason() -> None:
    plan = plan_workspace("1001", LEFT_OUT)
    assert [item.describe() for item in plan.left_out] == [
        "Connection 'bad id!': its id is not one a program can give as resource_id (1-64 letters, digits, - and _)",
        "Connection 'lake': fields this provider does not know: config.tls, labels (adopting it, a PUT of the "
        "whole object, would remove them)",
        "Connection 'ok': listed more than once",
        "Connection 'oracle': service_provider 'oracle' is not one this provider knows (snowflake, bigquery, "
        "redshift or databricks)",
        "DataModel 'dbt-model': type: the server holds 'dbt', which the program cannot give back (it would send "
        "'sql')",
        "FieldTransformation 'ft': mappings: the server holds 2 items, of which the program can give back 1 (the "
        "others are not objects it can read)",
        "Pipeline 'cron': schedule.type: must be one of 'interval', 'once' or 'on_demand', not 'cron'",
        "Pipeline 'dangling': data_model_id names data model 'gone', which is not in workspace 1001",
    ]
    assert [(o.schema.kind, o.object_id) for o in plan.objects] == [
        ("Connection", "ok"), ("DataModel", "m"), ("Pipeline", "on-oracle")]


def test_the_program_lists_what_is_left_out_at_the_top() -> None:
    program = export_files(plan_workspace("1001", LEFT_OUT), "acme")["__main__.py"]
    top = program.split("import pulumi_mparticle_wsync as mp")[0]
    assert top.endswith('''"""

# Left out: 8 objects of the workspace that this program cannot declare (Pulumi does not manage
# them; see docs/adopting.md):
# - Connection 'bad id!': its id is not one a program can give as resource_id (1-64 letters, digits,
#   - and _)
# - Connection 'lake': fields this provider does not know: config.tls, labels (adopting it, a PUT of
#   the whole object, would remove them)
# - Connection 'ok': listed more than once
# - Connection 'oracle': service_provider 'oracle' is not one this provider knows (snowflake,
#   bigquery, redshift or databricks)
# - DataModel 'dbt-model': type: the server holds 'dbt', which the program cannot give back (it
#   would send 'sql')
# - FieldTransformation 'ft': mappings: the server holds 2 items, of which the program can give back
#   1 (the others are not objects it can read)
# - Pipeline 'cron': schedule.type: must be one of 'interval', 'once' or 'on_demand', not 'cron'
# - Pipeline 'dangling': data_model_id names data model 'gone', which is not in workspace 1001

''')
    # A pipeline using a connection that is left out names it by its id, and says why.
    assert '''
# connection_id: Connection 'oracle' is left out of this program (see the top), so its id is written
#   as is
on_oracle = mp.Pipeline(
    "on-oracle",
    resource_id="on-oracle",
    adopt=True,
    name="on-oracle",
    pipeline_type="user_attributes",
    connection_id="oracle",
    data_model_id=m.id,
''' in program
    compile(program, "__main__.py", "exec")


def test_a_server_filled_value_it_does_not_know_is_named() -> None:
    workspace = copy.deepcopy(SMALL)
    workspace[wire.CONNECTIONS][0][wire.STATE] = "archived"
    plan = plan_workspace("1001", workspace)
    assert [item.describe() for item in plan.left_out] == [
        "Connection 'warehouse': state: must be one of 'active' or 'inactive', not 'archived'"]
    assert "connection_id=\"warehouse\"," in export_files(plan, "acme")["__main__.py"]


def test_a_server_that_omits_secrets_or_masks_them_gives_the_same_program() -> None:
    omitted = copy.deepcopy(SMALL)
    del omitted[wire.CONNECTIONS][0]["config"]["password"]
    omitted[wire.CONNECTIONS][0][wire.SERVICE_PROVIDER] = "snowflake"
    omitted[wire.DATA_MODELS][0]["config"] = {"sql_query": omitted[wire.DATA_MODELS][0].pop("sql_query")}
    assert export_files(plan_workspace("1001", omitted), "acme") == export_files(plan_workspace("1001", SMALL), "acme")


# --- the code writer ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "literal"), [
    ("plain", '"plain"'),
    ('say "hi"', '"say \\"hi\\""'),
    ("it's", '"it\'s"'),
    ("back\\slash", '"back\\\\slash"'),
    ("two\nlines\ttab", '"two\\nlines\\ttab"'),
    ("Données", '"Données"'),
    ("smart \u2019quote\u2019 \u2013 dash", '"smart \\u2019quote\\u2019 \\u2013 dash"'),
    ("nul\x00", '"nul\\x00"'),
])
def test_string_literals(text: str, literal: str) -> None:
    assert string_literal(text) == literal
    assert eval(literal) == text


def test_long_strings_are_split_after_spaces_and_line_breaks() -> None:
    sql = "SELECT " + ", ".join(f"column_{n}" for n in range(30)) + "\nFROM t"
    lines = render(Literal(sql), 1, "sql_query=", ",")
    assert lines[0] == "    sql_query=(" and lines[-1] == "    ),"
    assert all(len(line) <= WIDTH for line in lines)
    assert lines[-2] == '        "FROM t"'
    assert eval("".join(line.strip() for line in lines[1:-1])) == sql


@pytest.mark.parametrize(("value", "written"), [
    (2, "2"), (2.5, "2.5"), (True, "True"), (None, "None"), (float("inf"), 'float("inf")'),
    (float("nan"), 'float("nan")'),
])
def test_other_literals(value: float | bool | None, written: str) -> None:
    assert render(Literal(value)) == [written]


def test_a_word_too_long_to_split_stays_on_its_line() -> None:
    word = "x" * 150
    assert render(Literal(word), 1, "value=", ",") == [f'    value="{word}",']


def test_calls_fit_on_one_line_or_take_one_argument_per_line() -> None:
    short = Call("mp.SyncModeArgs", kwargs=(("type", Literal("full")),))
    assert render(short, 0, "x = ") == ['x = mp.SyncModeArgs(type="full")']
    exploded = Call("mp.DataModel", args=(Literal("m"),), kwargs=(("adopt", Literal(True)),), exploded=True)
    assert render(exploded, 0, "m = ") == ['m = mp.DataModel(', '    "m",', "    adopt=True,", ")"]
    items = ListOf(tuple(Call("mp.FieldMappingArgs", kwargs=(("source", Literal("c" * 40)),)) for _ in range(3)))
    lines = render(items, 1, "mappings=", ",")
    assert lines[0] == "    mappings=[" and lines[-1] == "    ],"
    assert len(lines) == 5
    assert render(Name("warehouse.id"), 1, "connection_id=", ",") == ["    connection_id=warehouse.id,"]
