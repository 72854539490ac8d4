"""The policy pack in policy/ under the real engine: ``pulumi preview --policy-pack <copy of policy/>``.

Inline programs through the Automation API (``policy_packs=``, ``policy_pack_configs=``), as the CLI's
``--policy-pack`` / ``--policy-pack-config``; the pack runs in its own virtualenv (policy/venv, made by
scripts/bootstrap.sh), started by the CLI through Pulumi's Python language host. A mandatory violation
fails the preview with the policy's message; an advisory one is printed and the preview succeeds.
Every preview here is offline: the emulator sees no request.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

import pulumi_mparticle_wsync as mp
from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .conftest import StackFactory
from .harness import EngineStack
from .policy_support import PACK_RAN_DIFF, policy_pack_copy

pytestmark = pytest.mark.engine

WS = "1001"  # the emulator's workspace, the stacks' mparticle:workspaceId
OTHER_WS = "3005"
PIPELINE = "pulumi-python:dynamic/mparticle:Pipeline"
DATA_MODEL = "pulumi-python:dynamic/mparticle:DataModel"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return policy_pack_copy(tmp_path)


def _connection(name: str, **extra: Any) -> mp.Connection:
    return mp.Connection(name, name=name, snowflake=mp.SnowflakeConfigArgs(
        account_identifier="acme", region="us-central1.gcp", warehouse="WH", database="DB", role="SYNC",
        user="SYNC_USER", password="policy-test-password", storage_integration="mp_us1_1_2_s3"), **extra)


def _model(name: str, sql: Any = "SELECT email, plan, updated_at FROM db.s.users", **extra: Any) -> mp.DataModel:
    return mp.DataModel(name, name=name, sql_query=sql, **extra)


def _transformation(name: str, **extra: Any) -> mp.FieldTransformation:
    return mp.FieldTransformation(name, name=name, mappings=[
        mp.FieldMappingArgs(mapping_type="static", value="purchase", destination="events[].data.event_name")],
        **extra)


def _pipeline(name: str, connection_id: Any, data_model_id: Any, **overrides: Any) -> mp.Pipeline:
    args: dict[str, Any] = {
        "name": name, "pipeline_type": "user_attributes", "connection_id": connection_id,
        "data_model_id": data_model_id, "partner_feed_id": 42, "sync_mode": mp.SyncModeArgs(type="full"),
        "schedule": mp.ScheduleArgs(type="interval", frequency="daily", start="2026-01-01T00:15:00Z"),
        "environment": "development", "paused": False,
    }
    args.update(overrides)
    return mp.Pipeline(name, **args)


def _refused(run: Callable[[], Any]) -> str:
    with pytest.raises(auto.CommandError) as failed:
        run()
    return str(failed.value)


def _violation(level: str, policy: str, resource_type: str, name: str) -> str:
    return f"[{level}]  {policy}  ({resource_type}: {name})"


def _config_file(tmp_path: Path, name: str, config: dict[str, Any]) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(config))
    return str(path)


# --- a compliant stack, and the active pipeline limit --------------------------------------


def _production_program(settings: dict[str, Any]) -> Callable[[], None]:
    def program() -> None:
        conn, model = _connection("warehouse"), _model("users")
        for index in range(settings["pipelines"]):
            paused = settings.get("paused_last", False) and index == settings["pipelines"] - 1
            _pipeline(f"sync-{index}", conn.id, model.id, environment="production", paused=paused)
        # one more active pipeline, in another workspace: it does not count against the first's limit
        far_conn = _connection("far-warehouse", workspace_id=OTHER_WS)
        far_model = _model("far-users", workspace_id=OTHER_WS)
        _pipeline("far-sync", far_conn.id, far_model.id, environment="production", workspace_id=OTHER_WS)
    return program


def test_a_compliant_stack_passes_and_a_sixth_active_pipeline_is_refused(
    make_stack: StackFactory, emulator: EmulatorHandle, pack: Path
) -> None:
    settings: dict[str, Any] = {"pipelines": 5}
    stack = make_stack(_production_program(settings), stack="prod")

    preview = stack.preview(policy_packs=[str(pack)])
    assert PACK_RAN_DIFF in preview.output
    assert "[mandatory]" not in preview.output and "[advisory]" not in preview.output, preview.output
    assert emulator.control.requests() == []
    up = stack.up(policy_packs=[str(pack)])  # policies run on updates too
    assert up.result.summary.result == "succeeded"
    states = [p["state"] for p in emulator.control.list_objects(WS, wire.PIPELINES)]
    assert states == ["active"] * 5
    assert len(emulator.control.list_objects(OTHER_WS, wire.PIPELINES)) == 1

    # A sixth: the five that exist are judged on their outputs, the new one on its inputs.
    settings["pipelines"] = 6
    emulator.control.clear_log()
    output = _refused(lambda: stack.preview(policy_packs=[str(pack)]))
    assert "[mandatory]  wsync-max-active-pipelines  (pulumi:pulumi:Stack: wsync-test-prod)" in output, output
    assert (
        "workspace 1001 would have 6 active (unpaused) pipelines in this stack ('sync-0', 'sync-1', 'sync-2', "
        "'sync-3', 'sync-4', 'sync-5'), more than 5 (mParticle refuses a 6th): pause 1 of them (paused=True), "
        "or move them to another workspace (workspace_id=...)"
    ) in output
    assert "workspace 3005" not in output
    assert emulator.control.requests() == []

    settings["paused_last"] = True
    passed = stack.preview(policy_packs=[str(pack)])
    assert "wsync-max-active-pipelines" not in passed.output


# --- violations and their messages -----------------------------------------------------------


def _mixed_program() -> None:
    here = _connection("warehouse")
    elsewhere = _connection("elsewhere", workspace_id=OTHER_WS)
    model = _model("users", sql="select u.* from db.s.users u")
    _transformation("purchases", resource_id="purchase-events", workspace_id=OTHER_WS)
    # connection by its id output (a dependency), transformation by a literal id, environment wrong for dev
    _pipeline("events", elsewhere.id, model.id, pipeline_type="events", field_transformation_id="purchase-events",
              environment="production")
    # an object made outside the stack: not judged
    _pipeline("legacy", "made-in-the-ui", model.id)
    _pipeline("fine", here.id, model.id)


def test_violations_stop_the_preview_with_messages_naming_the_resource_and_the_fix(
    make_stack: StackFactory, emulator: EmulatorHandle, pack: Path
) -> None:
    stack = make_stack(_mixed_program, stack="dev")
    output = _refused(lambda: stack.preview(policy_packs=[str(pack)]))

    assert _violation("mandatory", "wsync-same-workspace", PIPELINE, "events") in output, output
    assert (
        "Pipeline 'events' is in workspace 1001 but its connection_id names Connection 'elsewhere', which is in "
        "workspace 3005: a pipeline can only use objects of its own workspace. Give the Pipeline "
        "workspace_id=\"3005\", or give the Connection workspace_id=\"1001\" (which moves it: a replacement)"
    ) in output
    assert ("Pipeline 'events' is in workspace 1001 but its field_transformation_id names FieldTransformation "
            "'purchases', which is in workspace 3005") in output
    assert _violation("mandatory", "wsync-production-environment", PIPELINE, "events") in output
    assert ("Pipeline 'events' has environment='production' in stack 'dev', which is not a production stack") in output
    assert _violation("advisory", "wsync-no-select-star", DATA_MODEL, "users") in output
    assert "DataModel 'users' selects 'u.*'" in output
    for quiet in ("legacy", "fine"):
        assert f"Pipeline '{quiet}'" not in output and f"{PIPELINE}: {quiet})" not in output
    assert output.count("[mandatory]") == 3
    assert emulator.control.requests() == []


# --- unknown values -------------------------------------------------------------------------------


def _unknowns_program(pipelines: int) -> Callable[[], None]:
    def program() -> None:
        conn = _connection("warehouse")
        # values that depend on the connection's id: unknown in a preview of a new stack
        model = _model("users", sql=conn.id.apply(lambda _: "SELECT * FROM db.s.users"))
        for index in range(pipelines):
            _pipeline(f"sync-{index}", conn.id, model.id, paused=conn.id.apply(lambda _: False),
                      environment=conn.id.apply(lambda _: "production"),
                      workspace_id=conn.id.apply(lambda _: WS) if index == 0 else None)
    return program


def test_unknown_values_are_not_judged_in_a_preview_and_are_once_known(
    make_stack: StackFactory, emulator: EmulatorHandle, pack: Path
) -> None:
    crowded = make_stack(_unknowns_program(6), stack="dev", project="wsync-unknowns")
    preview = crowded.preview(policy_packs=[str(pack)])
    assert PACK_RAN_DIFF in preview.output
    assert "[mandatory]" not in preview.output and "[advisory]" not in preview.output, preview.output
    assert "can't run policy" not in preview.output

    # In the update the values are known: the environment is judged before the pipeline is created.
    single = make_stack(_unknowns_program(1), stack="dev")
    output = _refused(lambda: single.up(policy_packs=[str(pack)]))
    assert _violation("mandatory", "wsync-production-environment", PIPELINE, "sync-0") in output, output
    assert _violation("advisory", "wsync-no-select-star", DATA_MODEL, "users") in output
    assert emulator.control.list_objects(WS, wire.PIPELINES) == []
    assert len(emulator.control.list_objects(WS, wire.DATA_MODELS)) == 1  # advisory: created all the same


# --- the pack's config ------------------------------------------------------------------------------


def _hourly_program() -> None:
    conn = _connection("warehouse")
    model = _model("users", sql="SELECT * FROM db.s.users")
    _pipeline("users-hourly", conn.id, model.id,
              schedule=mp.ScheduleArgs(type="interval", frequency="hourly", start="2026-01-01T00:15:00Z"))


def test_the_config_file_sets_stack_patterns_the_minimum_frequency_and_enforcement_levels(
    make_stack: StackFactory, tmp_path: Path, pack: Path
) -> None:
    stack = make_stack(_hourly_program, stack="live-eu")
    # Defaults: live-eu is not a production stack, hourly is allowed, SELECT * is advisory.
    defaults = stack.preview(policy_packs=[str(pack)])
    assert _violation("advisory", "wsync-no-select-star", DATA_MODEL, "users") in defaults.output
    assert "[mandatory]" not in defaults.output

    strict = _config_file(tmp_path, "strict.json", {
        "wsync-production-environment": {"productionStacks": ["live-*"]},
        "wsync-schedule-frequency": {"minimumFrequency": "daily"},
        "wsync-no-select-star": "mandatory",
    })
    output = _refused(lambda: stack.preview(policy_packs=[str(pack)], policy_pack_configs=[strict]))
    assert ("Pipeline 'users-hourly' has environment='development' in stack 'live-eu', a production stack "
            "(its name matches 'live-*'): set environment=\"production\"") in output, output
    assert ("Pipeline 'users-hourly' runs hourly, more often than this policy allows (minimumFrequency: daily): "
            "set its schedule frequency to \"daily\" or \"weekly\" or \"monthly\", or give it an on_demand "
            "schedule") in output
    assert _violation("mandatory", "wsync-no-select-star", DATA_MODEL, "users") in output
    assert output.count("[mandatory]") == 3

    # Every policy advisory, one disabled: the preview goes through and still prints the rest.
    lenient = _config_file(tmp_path, "lenient.json", {
        "all": "advisory",
        "wsync-schedule-frequency": {"minimumFrequency": "daily"},
        "wsync-no-select-star": "disabled",
    })
    shown = stack.preview(policy_packs=[str(pack)], policy_pack_configs=[lenient])
    assert _violation("advisory", "wsync-schedule-frequency", PIPELINE, "users-hourly") in shown.output
    assert "wsync-no-select-star" not in shown.output and "[mandatory]" not in shown.output

    # The stack's own config reaches the pack: wsync:production marks it a production stack.
    stack.stack.set_config("wsync:production", auto.ConfigValue("true"))
    output = _refused(lambda: stack.preview(policy_packs=[str(pack)]))
    assert ("Pipeline 'users-hourly' has environment='development' in stack 'live-eu', a production stack "
            "(its config wsync:production is true)") in output, output


def test_the_default_workspace_comes_from_the_stack_config(make_stack: StackFactory, pack: Path) -> None:
    """A pipeline without workspace_id is in mparticle:workspaceId: against a connection pinned there, it
    passes; with the stack's workspace changed, the same program is refused."""

    def program() -> None:
        conn = _connection("warehouse", workspace_id=WS)
        _pipeline("sync", conn.id, _model("users", workspace_id=WS).id, workspace_id=None)

    stack: EngineStack = make_stack(program, stack="dev")
    assert "[mandatory]" not in stack.preview(policy_packs=[str(pack)]).output
    stack.stack.set_config("mparticle:workspaceId", auto.ConfigValue(OTHER_WS))
    output = _refused(lambda: stack.preview(policy_packs=[str(pack)]))
    assert "Pipeline 'sync' is in workspace 3005 but its connection_id names Connection 'warehouse', which is " \
           "in workspace 1001" in output, output



def test_an_account_is_a_place_of_its_own(make_stack: StackFactory, pack: Path) -> None:
    """Workspace 1001 of another ``Account`` is not the config's workspace 1001: its active pipeline does
    not count against the config's five, and a pipeline there cannot use the config's connection."""
    eu = mp.Account(client_id="eu-client", client_secret="eu-secret-policy-test", workspace_id=WS,
                    api_url="https://eu.proxy.example/mparticle", auth_url="https://eu.proxy.example/auth")

    def program() -> None:
        conn, model = _connection("warehouse"), _model("users")
        for index in range(5):
            _pipeline(f"sync-{index}", conn.id, model.id)
        eu_conn, eu_model = _connection("eu-warehouse", account=eu), _model("eu-users", account=eu)
        _pipeline("eu-sync", eu_conn.id, eu_model.id, account=eu)
        _pipeline("mixed", conn.id, eu_model.id, account=eu, paused=True)

    stack = make_stack(program, stack="dev")
    output = _refused(lambda: stack.preview(policy_packs=[str(pack)]))
    assert (
        "Pipeline 'mixed' is in workspace 1001 of account 'eu-client' but its connection_id names Connection "
        "'warehouse', which is in workspace 1001: a pipeline can only use objects of its own workspace. Give the "
        "Pipeline and the Connection the same account (and workspace)"
    ) in output, output
    assert output.count("[mandatory]") == 1
    assert "eu-secret-policy-test" not in output
