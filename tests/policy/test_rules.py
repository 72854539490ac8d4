"""The policy pack's rules (policy/wsync_rules.py) on plain data, without the engine.

tests/engine/test_policy_pack.py runs the pack itself under ``pulumi preview``; here every rule's
edges: unknown values, workspaces from config or ``workspace_id``, references by dependency and by
id, SQL that only looks like ``SELECT *``, and the messages.
"""

from __future__ import annotations

from typing import Any

import pytest
import wsync_rules as rules

from pulumi_mparticle_wsync import state_layout

WS = "1001"
OTHER = "3005"
DEV = rules.Stack(name="dev", config={rules.WORKSPACE_CONFIG_KEY: WS})
PROD = rules.Stack(name="prod", config={rules.WORKSPACE_CONFIG_KEY: WS})
U = rules.UNKNOWN


def _resource(kind: str, name: str, deps: dict[str, list[str]] | None = None, **props: Any) -> rules.Resource:
    return rules.Resource(urn=f"urn:pulumi:dev::p::{rules.TYPE_PREFIX}{kind}::{name}",
                          type=state_layout.resource_type(kind), name=name, props=props,
                          property_dependencies=deps or {})


def _pipeline(name: str, deps: dict[str, list[str]] | None = None, **props: Any) -> rules.Resource:
    return _resource(rules.PIPELINE, name, deps, **props)


def test_the_pack_knows_the_provider_s_resource_types() -> None:
    assert rules.TYPE_PREFIX == state_layout.RESOURCE_TYPE_PREFIX
    assert _pipeline("p").kind == "Pipeline"
    assert rules.Resource("u", "aws:s3/bucket:Bucket", "b", {}).kind is None


# --- the active pipeline limit ---------------------------------------------------------------


def test_six_active_pipelines_in_one_workspace_are_a_violation_naming_them_and_the_fix() -> None:
    pipelines = [_pipeline(f"p{i}", paused=False) for i in range(5)] + [_pipeline("p5")]  # paused omitted: active
    [violation] = rules.active_pipeline_violations(pipelines, DEV)
    assert violation.message == (
        "workspace 1001 would have 6 active (unpaused) pipelines in this stack ('p0', 'p1', 'p2', 'p3', 'p4', "
        "'p5'), more than 5 (mParticle refuses a 6th): pause 1 of them (paused=True), or move them to another "
        "workspace (workspace_id=...)")
    assert violation.urn is None


def test_paused_unknown_and_other_workspaces_do_not_count() -> None:
    five = [_pipeline(f"p{i}") for i in range(5)]
    assert rules.active_pipeline_violations([*five, _pipeline("paused", paused=True)], DEV) == []
    assert rules.active_pipeline_violations([*five, _pipeline("later", paused=U)], DEV) == []
    assert rules.active_pipeline_violations([*five, _pipeline("moving", workspace_id=U)], DEV) == []
    assert rules.active_pipeline_violations([*five, _pipeline("elsewhere", workspace_id=OTHER)], DEV) == []
    # workspace_id given as the number it is, or as text: the same workspace as the config's
    assert len(rules.active_pipeline_violations([*five, _pipeline("same", workspace_id=1001.0)], DEV)) == 1
    assert len(rules.active_pipeline_violations([*five, _pipeline("same", workspace_id=" 1001")], DEV)) == 1


def test_the_limit_is_configurable_and_the_default_workspace_may_come_from_the_environment() -> None:
    stack = rules.Stack(name="dev", config={}, environ={rules.WORKSPACE_ENV_VAR: "2002"})
    [violation] = rules.active_pipeline_violations([_pipeline("a"), _pipeline("b", workspace_id="2002")], stack, 1)
    assert violation.message.startswith("workspace 2002 would have 2 active (unpaused) pipelines in this stack "
                                        "('a', 'b'), more than 1: pause 1 of them")
    nowhere = rules.Stack(name="dev", config={})
    [violation] = rules.active_pipeline_violations([_pipeline("a"), _pipeline("b")], nowhere, 1)
    assert violation.message.startswith("workspace mparticle:workspaceId (not known to the policy) would have 2")


# --- same workspace ----------------------------------------------------------------------------


def _stack_with_connection(connection_ws: str | None, **pipeline_props: Any) -> list[rules.Resource]:
    placed: dict[str, Any] = {"workspace_id": connection_ws} if connection_ws else {}
    conn = _resource(rules.CONNECTION, "warehouse", **placed)
    model = _resource(rules.DATA_MODEL, "users")
    pipeline = _pipeline("sync", {"connection_id": [conn.urn], "data_model_id": [model.urn]},
                         connection_id=U, data_model_id=U, **pipeline_props)
    return [conn, model, pipeline]


def test_a_pipeline_using_a_connection_of_another_workspace_through_its_id_output() -> None:
    resources = _stack_with_connection(OTHER)
    [violation] = rules.same_workspace_violations(resources, DEV)
    assert violation.urn == resources[2].urn
    assert violation.message == (
        "Pipeline 'sync' is in workspace 1001 but its connection_id names Connection 'warehouse', which is in "
        "workspace 3005: a pipeline can only use objects of its own workspace. Give the Pipeline "
        "workspace_id=\"3005\", or give the Connection workspace_id=\"1001\" (which moves it: a replacement)")
    assert rules.same_workspace_violations(_stack_with_connection(OTHER, workspace_id=OTHER), DEV) != []  # the model
    assert rules.same_workspace_violations(_stack_with_connection(None), DEV) == []
    assert rules.same_workspace_violations(_stack_with_connection(WS), DEV) == []
    assert rules.same_workspace_violations(_stack_with_connection(OTHER, workspace_id=U), DEV) == []
    # No workspace config reached the policy: a connection with an explicit workspace cannot be judged.
    assert rules.same_workspace_violations(_stack_with_connection(OTHER), rules.Stack("dev", {})) == []


def test_references_by_id_and_objects_outside_the_stack() -> None:
    transformation = _resource(rules.FIELD_TRANSFORMATION, "purchases", resource_id="purchase-events",
                               workspace_id=OTHER)
    by_id = _pipeline("events", pipeline_type="events", connection_id="made-in-the-ui",
                      data_model_id="also-elsewhere", field_transformation_id="purchase-events")
    [violation] = rules.same_workspace_violations([transformation, by_id], DEV)
    assert "its field_transformation_id names FieldTransformation 'purchases', which is in workspace 3005" \
        in violation.message
    # the same id held in the pipeline's workspace too (an object of each workspace): fine
    twin = _resource(rules.FIELD_TRANSFORMATION, "purchases-here", resource_id="purchase-events")
    assert rules.same_workspace_violations([transformation, twin, by_id], DEV) == []
    # an id naming nothing in the stack is not judged
    assert rules.same_workspace_violations([by_id], DEV) == []
    # a dependency on something that is not of the referenced kind is ignored
    other = _resource(rules.DATA_MODEL, "not-a-transformation", workspace_id=OTHER)
    odd = _pipeline("odd", {"field_transformation_id": [other.urn]}, field_transformation_id=U)
    assert rules.same_workspace_violations([other, odd], DEV) == []


# --- accounts ----------------------------------------------------------------------------------

CONFIGURED = rules.Stack(name="dev", config={rules.WORKSPACE_CONFIG_KEY: WS,
                                             rules.API_URL_CONFIG_KEY: "https://api.mparticle.com/platform/v2/",
                                             rules.CLIENT_ID_CONFIG_KEY: "main-client"})
SECOND = {"client_id": "eu-client", "client_secret": "s", "api_url": "https://eu.proxy.example/mparticle",
          "workspace_id": WS}


def test_an_account_is_another_place_even_with_the_same_workspace_id() -> None:
    five = [_pipeline(f"p{i}") for i in range(5)]
    assert rules.active_pipeline_violations([*five, _pipeline("eu", account=SECOND)], CONFIGURED) == []
    eu = [_pipeline(f"eu{i}", account=SECOND) for i in range(6)]
    [violation] = rules.active_pipeline_violations([*five, *eu], CONFIGURED)
    assert violation.message.startswith("workspace 1001 of account 'eu-client' would have 6 active")
    # the config's own account, written as an Account (the URL spelt otherwise): the same place
    same = {"client_id": "main-client", "client_secret": "s", "api_url": "https://api.mparticle.com",
            "workspace_id": WS}
    assert len(rules.active_pipeline_violations([*five, _pipeline("same", account=same)], CONFIGURED)) == 1
    # an account's unknown client id or URL, or the account itself unknown: not counted
    assert rules.active_pipeline_violations([*five, _pipeline("later", account={**SECOND, "client_id": U})],
                                            CONFIGURED) == []
    assert rules.active_pipeline_violations([*five, _pipeline("later", account=U)], CONFIGURED) == []


def test_a_pipeline_of_another_account_than_its_connection() -> None:
    conn = _resource(rules.CONNECTION, "warehouse")
    model = _resource(rules.DATA_MODEL, "users", account=SECOND)
    pipeline = _pipeline("eu-sync", {"connection_id": [conn.urn], "data_model_id": [model.urn]},
                         connection_id=U, data_model_id=U, account=SECOND)
    [violation] = rules.same_workspace_violations([conn, model, pipeline], CONFIGURED)
    assert violation.message == (
        "Pipeline 'eu-sync' is in workspace 1001 of account 'eu-client' but its connection_id names Connection "
        "'warehouse', which is in workspace 1001: a pipeline can only use objects of its own workspace. Give the "
        "Pipeline and the Connection the same account (and workspace)")
    # an account's workspace is the default of its resources; workspace_id still wins
    moved = _resource(rules.CONNECTION, "warehouse", account=SECOND, workspace_id=OTHER)
    [violation] = rules.same_workspace_violations([moved, model, pipeline], CONFIGURED)
    assert "which is in workspace 3005 of account 'eu-client'" in violation.message
    assert "Give the Pipeline workspace_id=\"3005\"" in violation.message
    placed = _resource(rules.CONNECTION, "warehouse", account=SECOND)
    assert rules.same_workspace_violations([placed, model, pipeline], CONFIGURED) == []


# --- production environment --------------------------------------------------------------------


@pytest.mark.parametrize(("stack", "production"), [
    ("prod", True), ("production", True), ("PROD", True), ("acme/wsync/prod", True),
    ("dev", False), ("prod-eu", False), ("staging", False),
])
def test_production_stacks_by_name(stack: str, production: bool) -> None:
    assert rules.production_reason(rules.Stack(stack, {}))[0] is production


def test_production_by_pattern_and_by_config() -> None:
    assert rules.production_reason(rules.Stack("prod-eu", {}), ["prod*"]) == (True, "its name matches 'prod*'")
    assert rules.production_reason(rules.Stack("dev", {"wsync:production": "true"})) == (
        True, "its config wsync:production is true")
    assert rules.production_reason(rules.Stack("prod", {"wsync:production": "false"}))[0] is False
    assert rules.production_reason(rules.Stack("live", {"team:live": "yes"}), [], "team:live")[0] is True
    assert rules.production_reason(rules.Stack("prod", {"wsync:production": "maybe"}))[0] is True  # not a verdict


def test_environment_violations_in_both_directions() -> None:
    violation = rules.environment_violation(_pipeline("users", environment="development"), PROD)
    assert violation is not None and violation.message == (
        "Pipeline 'users' has environment='development' in stack 'prod', a production stack (its name matches "
        "'prod'): set environment=\"production\"; if this stack is not production, set "
        "`pulumi config set wsync:production false`")
    violation = rules.environment_violation(_pipeline("users", environment="production"), DEV)
    assert violation is not None and violation.message == (
        "Pipeline 'users' has environment='production' in stack 'dev', which is not a production stack (its name "
        "matches none of 'prod', 'production' and its config wsync:production is not set): set "
        "environment=\"development\"; if this stack is production, set `pulumi config set wsync:production true` "
        "or add its name to the policy's productionStacks")
    assert rules.environment_violation(_pipeline("users", environment="production"), PROD) is None
    assert rules.environment_violation(_pipeline("users", environment="development"), DEV) is None
    assert rules.environment_violation(_pipeline("users", environment=U), PROD) is None
    assert rules.environment_violation(_resource(rules.DATA_MODEL, "m", environment="x"), PROD) is None


# --- SELECT * ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("sql", "star"), [
    ("SELECT * FROM db.s.users", "*"),
    ("select * from users", "*"),
    ("SELECT DISTINCT * FROM users", "*"),
    ("SELECT\n  *\nFROM users", "*"),
    ("SELECT U.* FROM users u", "U.*"),
    ("SELECT email, u.* FROM users u", "u.*"),
    ("SELECT s.users.*, o.total FROM s.users JOIN o ON o.id = users.id", "s.users.*"),
    ('SELECT "Users".* FROM "Users"', "Users.*"),
    ('SELECT `proj.ds.users`.* FROM `proj.ds.users`', "proj_ds_users.*"),
    ("SELECT id FROM (SELECT * FROM users) t", "*"),
    ("SELECT*FROM users", "*"),
])
def test_select_star_is_found(sql: str, star: str) -> None:
    assert rules.select_star(sql) == star


@pytest.mark.parametrize("sql", [
    "SELECT email, plan FROM users",
    "SELECT count(*) FROM users",
    "SELECT COUNT( * ) AS n FROM users GROUP BY plan",
    "SELECT price * quantity AS total FROM orders",
    "SELECT o.price*2 FROM orders o",
    "SELECT email FROM users WHERE note = 'select * from x'",
    "SELECT email FROM users WHERE note = 'it''s * here, select *'",
    "SELECT email -- was SELECT * before\nFROM users",
    "SELECT /* not *, really */ email FROM users",
    "SELECT email FROM users /* unclosed SELECT *",
    'SELECT "select *" FROM users',
])
def test_what_only_looks_like_select_star(sql: str) -> None:
    assert rules.select_star(sql) is None


def test_select_star_violation_names_the_model_and_the_fix() -> None:
    violation = rules.select_star_violation(_resource(rules.DATA_MODEL, "active-users", sql_query="SELECT * FROM u"))
    assert violation is not None and violation.message == (
        "DataModel 'active-users' selects '*': its columns would change whenever the table does (every column "
        "becomes a user attribute, and mParticle caps a data model at 100 columns). Name the columns in "
        "sql_query instead")
    assert rules.select_star_violation(_resource(rules.DATA_MODEL, "m", sql_query=U)) is None


# --- schedule frequency ------------------------------------------------------------------------


def _scheduled(frequency: Any, schedule_type: str = "interval") -> rules.Resource:
    return _pipeline("users", schedule={"type": schedule_type, "frequency": frequency, "start": "2026-01-01T00:00Z"})


def test_hourly_is_allowed_by_default_and_a_violation_when_daily_is_the_minimum() -> None:
    assert all(rules.frequency_violation(_scheduled(f)) is None for f in rules.FREQUENCIES)
    violation = rules.frequency_violation(_scheduled("hourly"), "daily")
    assert violation is not None and violation.message == (
        "Pipeline 'users' runs hourly, more often than this policy allows (minimumFrequency: daily): set its "
        "schedule frequency to \"daily\" or \"weekly\" or \"monthly\", or give it an on_demand schedule")
    assert rules.frequency_violation(_scheduled("daily"), "daily") is None
    assert rules.frequency_violation(_scheduled("weekly"), "monthly") is not None
    assert rules.frequency_violation(_scheduled(U), "monthly") is None
    assert rules.frequency_violation(_pipeline("users", schedule=U), "monthly") is None
    assert rules.frequency_violation(_scheduled(None, "on_demand"), "monthly") is None
