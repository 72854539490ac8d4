"""``PipelineRun`` under the real engine: runs started by ``pulumi up``, waited for, failed, timed out,
found busy, restarted by a change of ``triggers``, refreshed; on both spellings of the API's runs.

The emulator runs a triggered run through triggered -> queued -> running -> success in the
durations set here (``FAST``), on its own clock; a test that needs a run to last fast-forwards that
clock instead of sleeping. Every test counts the triggers the emulator received.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pulumi import automation as auto

import pulumi_mparticle_wsync as mp
from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import ClientSettings, Run, WarehouseSyncClient
from pulumi_mparticle_wsync.client._routes import forget_learned_routes
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .conftest import StackFactory

PIPELINE_ID = "backfill-pipe"
FAST = {"triggered": 0.2, "queued": 0.2, "running": 0.6}
HOUR = 3600.0


def _program(
    *,
    schedule: mp.ScheduleArgs | None = None,
    triggers: list[Any] | None = None,
    wait: bool = True,
    timeout_minutes: float | None = None,
    with_run: bool = True,
) -> Any:
    def program() -> None:
        import pulumi

        conn = mp.Connection("wh", name="Warehouse", snowflake=mp.SnowflakeConfigArgs(
            account_identifier="acme", region="us-central1.gcp", warehouse="WH", database="DB", role="SYNC",
            user="SYNC_USER", password="run-test-password", storage_integration="mp_us1_1_2_s3"))
        model = mp.DataModel("users", name="Users", sql_query="SELECT email, plan FROM db.s.users",
                             resource_id="users-model")
        pipeline = mp.Pipeline(
            "pipe", name="Backfills", pipeline_type="user_attributes", resource_id=PIPELINE_ID,
            connection_id=conn.id, data_model_id=model.id, partner_feed_id=4242,
            sync_mode=mp.SyncModeArgs(type="full"),
            schedule=schedule or mp.ScheduleArgs(type="on_demand", start="2026-01-01T00:00:00Z"),
            environment="development",
        )
        if not with_run:
            return
        run = mp.PipelineRun("backfill", pipeline_id=pipeline.id,
                             triggers=triggers if triggers is not None else ["2026-12-01"],
                             wait=wait, timeout_minutes=timeout_minutes)
        pulumi.export("run_id", run.run_id)
        pulumi.export("state", run.state)
        pulumi.export("rows", run.records_extracted)
        pulumi.export("timed_out", run.wait_timed_out)

    return program


@pytest.fixture
def api(emulator: EmulatorHandle) -> Iterator[WarehouseSyncClient]:
    """The test's own view of the emulator's runs (never the provider's process)."""
    emulator.control.set_run_durations(**FAST)
    settings = ClientSettings(client_id=emulator.client_id, client_secret=emulator.client_secret,
                              workspace_id=emulator.workspace_id, api_url=emulator.url, auth_url=emulator.url)
    forget_learned_routes()
    with WarehouseSyncClient(settings) as client:
        yield client


def _runs(api: WarehouseSyncClient) -> list[Run]:
    return list(api.iter_runs(PIPELINE_ID))


def _triggers(emulator: EmulatorHandle) -> int:
    """Trigger requests received (either path), accepted or refused."""
    return sum(1 for r in emulator.control.requests()
               if r.method == "POST" and r.collection == wire.PIPELINES and r.object_id == PIPELINE_ID)


def _objects_first(make_stack: StackFactory) -> Any:
    """A stack whose pipeline exists, without its run yet: the emulator's controls take existing objects."""
    stack = make_stack(_program(with_run=False))
    stack.up()
    return stack


def _outputs(result: Any) -> dict[str, Any]:
    return {key: value.value for key, value in result.outputs.items()}


@pytest.mark.engine
def test_wait_records_the_finished_run_and_a_second_up_starts_none(
    make_stack: StackFactory, emulator: EmulatorHandle, api: WarehouseSyncClient
) -> None:
    stack = _objects_first(make_stack)
    emulator.control.set_data_model_rows(emulator.workspace_id, "users-model", 1234)
    stack.set_program(_program())
    up = stack.up()
    runs = _runs(api)
    assert [(r.state, r.run_type, r.records_extracted) for r in runs] == [("success", "manual", 1234)]
    assert _outputs(up.result) == {"run_id": runs[0].run_id, "state": "success", "rows": 1234, "timed_out": False}
    assert _triggers(emulator) == 1

    emulator.control.clear_log()
    assert set(stack.preview().result.change_summary) == {"same"}
    assert emulator.control.requests() == []  # a preview needs no API call for a run
    stack.up()
    assert _triggers(emulator) == 0 and len(_runs(api)) == 1

    emulator.control.clear_log()
    stack.destroy()
    # Deleting a PipelineRun calls nothing: a run cannot be deleted (its pipeline's delete takes the history).
    run_calls = [r for r in emulator.control.requests() if r.object_id == PIPELINE_ID and r.method != "DELETE"]
    assert run_calls == []


@pytest.mark.engine
def test_without_wait_the_run_is_left_running_and_refresh_reads_how_it_went(
    make_stack: StackFactory, emulator: EmulatorHandle, api: WarehouseSyncClient
) -> None:
    emulator.control.set_run_durations(triggered=0.2, queued=0.2, running=HOUR)
    stack = make_stack(_program(wait=False))
    up = stack.up()
    assert _outputs(up.result)["state"] in {"triggered", "queued", "running"}
    run_id = _outputs(up.result)["run_id"]

    emulator.control.advance_clock(HOUR + 10)
    refresh = stack.refresh()
    assert refresh.result.summary.result == "succeeded"
    state = stack.resources("PipelineRun")[0]["outputs"]
    assert (state["run_id"], state["state"], state["wait_timed_out"]) == (run_id, "success", False)
    assert state["end_date"] is not None
    assert _triggers(emulator) == 1


@pytest.mark.engine
def test_a_failed_run_fails_the_up_is_recorded_and_the_next_up_runs_again(
    make_stack: StackFactory, emulator: EmulatorHandle, api: WarehouseSyncClient
) -> None:
    stack = _objects_first(make_stack)
    emulator.control.set_next_run(emulator.workspace_id, PIPELINE_ID, "failed",
                                  "Snowflake: table DB.S.USERS does not exist")
    stack.set_program(_program())
    with pytest.raises(auto.CommandError) as failed:
        stack.up()
    run_id = _runs(api)[0].run_id
    message = str(failed.value)
    assert f"run {run_id} of pipeline '{PIPELINE_ID}' failed: Snowflake: table DB.S.USERS does not exist" in message
    assert "the next `pulumi up` starts a new run" in message
    recorded = stack.resources("PipelineRun")[0]["outputs"]
    assert (recorded["run_id"], recorded["state"]) == (run_id, "failed")

    preview = stack.preview()
    assert preview.result.change_summary.get("replace") == 1, preview.output
    stack.up()
    assert [r.state for r in _runs(api)] == ["success", "failed"]
    assert _triggers(emulator) == 2


@pytest.mark.engine
def test_a_timed_out_wait_is_recorded_and_the_next_up_waits_for_the_same_run(
    make_stack: StackFactory, emulator: EmulatorHandle, api: WarehouseSyncClient
) -> None:
    emulator.control.set_run_durations(triggered=0.2, queued=0.2, running=HOUR)
    stack = make_stack(_program(timeout_minutes=0.05))  # 3 seconds
    with pytest.raises(auto.CommandError) as timed_out:
        stack.up()
    run_id = _runs(api)[0].run_id
    assert (f"run {run_id} of pipeline '{PIPELINE_ID}' had not ended when timeout_minutes ran out"
            in str(timed_out.value))
    assert "the next `pulumi up` waits for this same run again and starts no other" in str(timed_out.value)
    recorded = stack.resources("PipelineRun")[0]["outputs"]
    assert (recorded["run_id"], recorded["wait_timed_out"]) == (run_id, True)

    emulator.control.advance_clock(HOUR)
    up = stack.up()
    assert _outputs(up.result) | {"rows": None} == {"run_id": run_id, "state": "success", "rows": None,
                                                    "timed_out": False}
    assert [r.run_id for r in _runs(api)] == [run_id]
    assert _triggers(emulator) == 1


@pytest.mark.engine
def test_a_pipeline_already_running(
    make_stack: StackFactory, emulator: EmulatorHandle, api: WarehouseSyncClient
) -> None:
    """Without wait the up fails and starts nothing; with wait it waits for that run, then starts its own."""
    emulator.control.set_run_durations(triggered=0.2, queued=0.2, running=HOUR)
    stack = make_stack(_program(wait=False, triggers=["first"]))
    stack.up()
    busy = _runs(api)[0]

    stack.set_program(_program(wait=False, triggers=["second"]))
    with pytest.raises(auto.CommandError) as refused:
        stack.up()
    assert (f"pipeline '{PIPELINE_ID}' in workspace {emulator.workspace_id} is busy with run {busy.run_id}"
            in str(refused.value))
    assert f"mparticle-wsync runs watch {PIPELINE_ID} {busy.run_id}" in str(refused.value)
    assert len(_runs(api)) == 1 and _triggers(emulator) == 1

    emulator.control.set_run_durations(**FAST)
    emulator.control.advance_clock(HOUR - 5)  # the busy run ends a few seconds into the next up
    stack.set_program(_program(wait=True, triggers=["second"]))
    up = stack.up()
    runs = _runs(api)
    assert [(r.run_id, r.state) for r in runs] == [(_outputs(up.result)["run_id"], "success"),
                                                   (busy.run_id, "success")]
    assert _triggers(emulator) == 2


@pytest.mark.engine
def test_a_change_of_triggers_starts_a_new_run_and_nothing_else_does(
    make_stack: StackFactory, emulator: EmulatorHandle, api: WarehouseSyncClient
) -> None:
    stack = make_stack(_program(triggers=["2026-12-01"]))
    stack.up()
    stack.set_program(_program(triggers=["2026-12-01"], timeout_minutes=5))
    preview = stack.preview()
    assert preview.result.change_summary.get("update") == 1 and "timeout_minutes" in preview.output
    stack.up()
    assert len(_runs(api)) == 1

    stack.set_program(_program(triggers=["2026-12-02"], timeout_minutes=5))
    preview = stack.preview()
    assert preview.result.change_summary.get("replace") == 1, preview.output
    assert "triggers" in preview.output
    stack.up()
    assert [r.state for r in _runs(api)] == ["success", "success"]
    assert _triggers(emulator) == 2


@pytest.mark.engine
def test_only_on_demand_pipelines_and_preview_says_so(
    make_stack: StackFactory, emulator: EmulatorHandle, api: WarehouseSyncClient
) -> None:
    interval = mp.ScheduleArgs(type="interval", frequency="hourly", start="2026-01-01T00:15:00Z")
    stack = make_stack(_program())
    stack.up()
    stack.set_program(_program(schedule=interval, triggers=["again"]))
    with pytest.raises(auto.CommandError) as refused:
        stack.preview()
    assert (f"pipeline '{PIPELINE_ID}' in workspace {emulator.workspace_id} has schedule type 'interval', and only "
            "on-demand pipelines can be triggered" in str(refused.value))
    assert _triggers(emulator) == 1


@pytest.mark.engine
@pytest.mark.parametrize(
    "switches",
    [
        {"trigger_path": wire.TRIGGER_PATH_BARE},
        {"run_spelling": wire.RUN_SPELLING_GUESS, "status_shape": wire.STATUS_SHAPE_GUESS},
    ],
    ids=["bare-trigger-path", "guessed-spelling"],
)
def test_either_spelling_and_either_trigger_path(
    make_stack: StackFactory, emulator: EmulatorHandle, api: WarehouseSyncClient, switches: dict[str, str]
) -> None:
    emulator.control.set_switches(**switches)  # type: ignore[arg-type]
    stack = make_stack(_program())
    up = stack.up()
    runs = _runs(api)
    assert [r.state for r in runs] == ["success"]
    assert _outputs(up.result)["run_id"] == runs[0].run_id and _outputs(up.result)["state"] == "success"
    accepted = [r for r in emulator.control.requests()
                if r.method == "POST" and r.object_id == PIPELINE_ID and r.status == 200]
    assert len(accepted) == 1
    stack.refresh()
    assert stack.resources("PipelineRun")[0]["outputs"]["state"] == "success"


@pytest.mark.engine
def test_a_lost_trigger_answer_and_rate_limits_start_one_run(
    make_stack: StackFactory, emulator: EmulatorHandle, api: WarehouseSyncClient
) -> None:
    """The trigger is applied but its answer lost (503), and the polls are rate limited (429 with
    Retry-After): the create still ends with the one run it started."""
    stack = _objects_first(make_stack)
    emulator.control.add_fault("apply_then_error", method="POST", path_regex=rf"/pipelines/{PIPELINE_ID}/trigger$",
                               count=1, status=503)
    emulator.control.add_fault("rate_limit", method="GET", path_regex=rf"/pipelines/{PIPELINE_ID}/status/runs/",
                               count=2, retry_after=1)
    stack.set_program(_program())
    up = stack.up()
    runs = _runs(api)
    assert [r.state for r in runs] == ["success"]
    assert _outputs(up.result)["run_id"] == runs[0].run_id
    assert _triggers(emulator) == 1  # the retry read the status and took the run it found
    limited = [r for r in emulator.control.requests() if r.status == 429]
    assert len(limited) == 2
