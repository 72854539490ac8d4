"""``mparticle-wsync runs`` against the emulator: every sub-command, its output and its exit status.

Time runs in lockstep: the command's sleeps move the emulator's clock by as much (``LockstepClock``),
so a run moves through its states exactly as far as the command waited, and the lines ``watch``
prints (elapsed times included) are the same on every machine.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from pulumi_mparticle_wsync import cli, runs_command, wire
from pulumi_mparticle_wsync.client import ClientSettings, Run, WarehouseSyncClient
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.runs_command._output import format_time

from .runs_support import (
    ON_DEMAND,
    PIPELINE_ID,
    ROWS,
    LockstepClock,
    Result,
    parse,
    pipeline_body,
    runs,
    seed_on_demand_pipeline,
)


@pytest.fixture
def env(emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch) -> EmulatorHandle:
    """The provider's ``MPARTICLE_*`` settings, pointing at the emulator."""
    for variable, value in (
        ("MPARTICLE_CLIENT_ID", emulator.client_id),
        ("MPARTICLE_CLIENT_SECRET", emulator.client_secret),
        ("MPARTICLE_WORKSPACE_ID", emulator.workspace_id),
        ("MPARTICLE_API_URL", emulator.url),
        ("MPARTICLE_AUTH_URL", emulator.url),
    ):
        monkeypatch.setenv(variable, value)
    return emulator


@pytest.fixture
def workspace(env: EmulatorHandle) -> EmulatorHandle:
    """An on-demand pipeline ``backfill`` whose runs read ``ROWS`` rows; runs take 3 s unless a test says so."""
    seed_on_demand_pipeline(env)
    return env


@pytest.fixture
def client(env: EmulatorHandle) -> Iterator[WarehouseSyncClient]:
    settings = ClientSettings(
        client_id=env.client_id, client_secret=env.client_secret, workspace_id=env.workspace_id,
        api_url=env.url, auth_url=env.url,
    )
    with WarehouseSyncClient(settings) as opened:
        yield opened


def finished_run(emulator: EmulatorHandle, client: WarehouseSyncClient, pipeline_id: str = PIPELINE_ID) -> Run:
    """Trigger a run and let it end (one hour later, on the emulator's clock)."""
    run_id = client.trigger(pipeline_id).run_id
    assert run_id is not None
    emulator.control.advance_clock(3600)
    return client.get_run(pipeline_id, run_id)


def parsed_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def table_row(run: Run) -> list[str]:
    return [str(run.run_id), str(run.state), str(run.run_type), format_time(run.start_date),
            format_time(run.end_date), str(run.records_extracted), str(run.records_mapped),
            str(run.event_batches_generated)]


# --- list ------------------------------------------------------------------------------------------


def test_list_prints_the_runs_newest_first_in_aligned_columns(
    workspace: EmulatorHandle, client: WarehouseSyncClient
) -> None:
    first = finished_run(workspace, client)
    workspace.control.set_next_run(workspace.workspace_id, PIPELINE_ID, "failed", "the warehouse said no")
    second = finished_run(workspace, client)

    result = runs(workspace, "list", PIPELINE_ID)

    assert (result.code, result.err) == (0, "")
    header, *rows = result.lines
    assert header.split() == ["RUN", "STATE", "TYPE", "STARTED", "ENDED", "EXTRACTED", "MAPPED", "BATCHES"]
    assert [row.split() for row in rows] == [table_row(second), table_row(first)]
    assert [table_row(second)[1], table_row(first)[1]] == ["failed", "success"]
    assert table_row(first)[5:] == [str(ROWS), str(ROWS), "0"]
    # Aligned: every column starts at the same place on every line; numbers are right-aligned.
    assert len({len(line) for line in result.lines}) == 1
    assert header.index("STATE") == rows[0].index("failed") == rows[1].index("success")
    assert rows[0].endswith(" 0") and header.endswith("BATCHES")


def test_list_json_is_every_run_in_the_documented_shape(workspace: EmulatorHandle, client: WarehouseSyncClient) -> None:
    run = finished_run(workspace, client)
    assert run.start_date is not None

    result = runs(workspace, "list", PIPELINE_ID, "--json")

    assert (result.code, result.err) == (0, "")
    assert run.end_date is not None and parsed_time(run.end_date) - parsed_time(run.start_date) == timedelta(seconds=3)
    assert json.loads(result.out) == [{
        "run_id": run.run_id,
        "pipeline_id": PIPELINE_ID,
        "state": "success",
        "run_type": "manual",
        "logical_date": run.start_date,
        "start_date": run.start_date,
        "end_date": run.end_date,
        "data_interval_start": "2026-01-01T00:00:00.000Z",
        "data_interval_end": run.start_date,
        "externally_triggered": True,
        "records_extracted": ROWS,
        "records_mapped": ROWS,
        "event_batches_generated": 0,
        "errors": [],
    }]


def test_list_since_a_date_or_a_time_keeps_the_runs_from_then_on(
    workspace: EmulatorHandle, client: WarehouseSyncClient
) -> None:
    old = finished_run(workspace, client)
    workspace.control.advance_clock(2 * 86400)
    new = finished_run(workspace, client)
    assert old.logical_date is not None and new.logical_date is not None
    next_day = (parsed_time(old.logical_date) + timedelta(days=1)).date()

    by_date = runs(workspace, "list", PIPELINE_ID, "--since", next_day.isoformat(), "--json")
    by_time = runs(workspace, "list", PIPELINE_ID, "--since", new.logical_date, "--json")
    everything = runs(workspace, "list", PIPELINE_ID, "--json")

    assert [run["run_id"] for run in json.loads(by_date.out)] == [new.run_id]
    assert [run["run_id"] for run in json.loads(by_time.out)] == [new.run_id]
    assert [run["run_id"] for run in json.loads(everything.out)] == [new.run_id, old.run_id]


def test_list_pages_through_every_run_since_the_date(workspace: EmulatorHandle, client: WarehouseSyncClient) -> None:
    created = [finished_run(workspace, client).run_id for _ in range(3)]
    original = WarehouseSyncClient.iter_runs

    def two_a_page(self: WarehouseSyncClient, *args: Any, **kwargs: Any) -> Iterator[Run]:
        return original(self, *args, **{**kwargs, "page_size": 2})

    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(WarehouseSyncClient, "iter_runs", two_a_page)
        code = runs_command.run(parse("list", PIPELINE_ID, "--json"), out=out, err=io.StringIO())
    assert code == 0
    assert [run["run_id"] for run in json.loads(out.getvalue())] == sorted(created, reverse=True)
    pages = [r.query for r in workspace.control.requests() if r.path.endswith("/status/runs")]
    assert len(pages) == 2


def test_list_of_a_pipeline_without_runs_says_so(workspace: EmulatorHandle) -> None:
    assert runs(workspace, "list", PIPELINE_ID) == Result(
        0, f"No runs of pipeline 'backfill' in workspace {workspace.workspace_id}.\n", ""
    )
    assert runs(workspace, "list", PIPELINE_ID, "--since", "2026-03-01").out == (
        f"No runs of pipeline 'backfill' in workspace {workspace.workspace_id} since 2026-03-01T00:00:00Z.\n"
    )
    assert runs(workspace, "list", PIPELINE_ID, "--json").out == "[]\n"


def test_a_pipeline_that_does_not_exist_is_named(workspace: EmulatorHandle) -> None:
    expected = (f"runs: there is no pipeline 'nowhere' in workspace {workspace.workspace_id}: check the pipeline "
                "id and the workspace (--workspace)\n")
    for argv in (("list", "nowhere"), ("show", "nowhere", "1"), ("trigger", "nowhere"), ("watch", "nowhere")):
        assert runs(workspace, *argv) == Result(2, "", expected), argv


# --- trigger ---------------------------------------------------------------------------------------


def test_trigger_prints_the_new_run_id(workspace: EmulatorHandle, client: WarehouseSyncClient) -> None:
    result = runs(workspace, "trigger", PIPELINE_ID)

    assert (result.code, result.err) == (0, "")
    latest = client.pipeline_status(PIPELINE_ID).latest_run
    assert latest is not None and latest.active
    assert result.out == f"{latest.run_id}\n"


def test_trigger_json_prints_the_run_as_it_started(workspace: EmulatorHandle) -> None:
    result = runs(workspace, "trigger", PIPELINE_ID, "--json")

    assert (result.code, result.err) == (0, "")
    run = json.loads(result.out)
    assert (run["pipeline_id"], run["state"], run["run_type"], run["records_extracted"]) == (
        PIPELINE_ID, "triggered", "manual", None)


def test_trigger_wait_prints_a_line_per_change_and_exits_0_on_success(workspace: EmulatorHandle) -> None:
    # Polls come 0, 1, 2.5, 4.75, 8.125, 13.19, 20.78, 32.17 s after the trigger: each state is seen
    # first at 0, 8.125, 13.19 and 32.17 s, well clear of a whole second.
    workspace.control.set_run_durations(triggered=8, queued=5, running=10)
    clock = LockstepClock(workspace.control)

    result = runs(workspace, "trigger", PIPELINE_ID, "--wait", clock=clock)

    assert (result.code, result.err) == (0, "")
    run_id = result.lines[0].split()[1].rstrip(":")
    assert result.lines == [
        f"run {run_id}: triggered, 0:00 elapsed, extracted -, mapped -",
        f"run {run_id}: queued, 0:08 elapsed, extracted -, mapped -",
        f"run {run_id}: running, 0:13 elapsed, extracted {ROWS}, mapped 0",
        f"run {run_id}: success, 0:23 elapsed, extracted {ROWS}, mapped {ROWS}",
    ]
    assert clock.slept == [1, 1.5, 2.25, 3.375, 5.0625, 7.59375, 11.390625]


def test_trigger_wait_on_a_failing_run_exits_1_with_its_error(workspace: EmulatorHandle) -> None:
    workspace.control.set_next_run(workspace.workspace_id, PIPELINE_ID, "failed", "warehouse COMPUTE_WH is suspended")

    result = runs(workspace, "trigger", PIPELINE_ID, "--wait")

    assert result.code == 1
    run_id = result.lines[0].split()[1].rstrip(":")
    assert result.lines[-1] == f"run {run_id}: failed, 0:03 elapsed, extracted {ROWS}, mapped 0"
    assert result.err == (f"runs: run {run_id} of pipeline 'backfill' in workspace {workspace.workspace_id} failed: "
                          "warehouse COMPUTE_WH is suspended\n")


def test_trigger_wait_json_prints_only_the_ended_run(workspace: EmulatorHandle) -> None:
    result = runs(workspace, "trigger", PIPELINE_ID, "--wait", "--json")

    assert (result.code, result.err) == (0, "")
    run = json.loads(result.out)
    assert (run["state"], run["records_mapped"]) == ("success", ROWS)


def test_trigger_wait_gives_up_after_the_timeout_and_exits_1(workspace: EmulatorHandle) -> None:
    workspace.control.set_run_durations(running=3600)

    result = runs(workspace, "trigger", PIPELINE_ID, "--wait", "--timeout-minutes", "0.5")

    assert result.code == 1
    run_id = result.lines[0].split()[1].rstrip(":")
    assert result.err == (
        f"runs: run {run_id} of pipeline 'backfill' in workspace {workspace.workspace_id} is still running after "
        f"--timeout-minutes 0.5; follow it with `mparticle-wsync runs watch backfill {run_id}`\n"
    )


def test_a_trigger_while_a_run_is_going_is_refused_naming_the_run(
    workspace: EmulatorHandle, client: WarehouseSyncClient
) -> None:
    workspace.control.set_run_durations(running=3600)
    going = client.trigger(PIPELINE_ID).run_id
    workspace.control.advance_clock(10)

    result = runs(workspace, "trigger", PIPELINE_ID, "--workspace", workspace.workspace_id)

    assert result == Result(1, "", (
        f"runs: pipeline 'backfill' in workspace {workspace.workspace_id} is busy with run {going} (running), so no "
        f"run was triggered (mParticle runs one at a time). Follow it with `mparticle-wsync runs watch backfill "
        f"{going} --workspace {workspace.workspace_id}`, or pass --wait to wait for it to end and then trigger\n"
    ))
    assert [run.run_id for run in client.iter_runs(PIPELINE_ID)] == [going]


def test_trigger_wait_waits_for_the_run_going_then_triggers(
    workspace: EmulatorHandle, client: WarehouseSyncClient
) -> None:
    going = client.trigger(PIPELINE_ID).run_id

    result = runs(workspace, "trigger", PIPELINE_ID, "--wait")

    assert (result.code, result.err) == (0, "")
    assert result.lines[0] == (f"Pipeline 'backfill' in workspace {workspace.workspace_id} is busy with run {going}: "
                               "waiting for it to end before triggering.")
    assert result.lines[1].startswith(f"run {going}: ")
    new = [run.run_id for run in client.iter_runs(PIPELINE_ID) if run.run_id != going]
    assert len(new) == 1
    assert result.lines[-1] == f"run {new[0]}: success, 0:03 elapsed, extracted {ROWS}, mapped {ROWS}"


def test_only_an_on_demand_pipeline_can_be_triggered(workspace: EmulatorHandle) -> None:
    schedule = {"type": "interval", "frequency": "daily", "start": "2026-01-01T00:15:00Z"}
    workspace.control.seed_object(workspace.workspace_id, wire.PIPELINES, pipeline_body("nightly", schedule))

    result = runs(workspace, "trigger", "nightly", "--wait")

    assert result == Result(2, "", (
        f"runs: pipeline 'nightly' in workspace {workspace.workspace_id} has schedule type 'interval': only "
        "on-demand pipelines (schedule type 'on_demand') can be triggered; a pipeline with a schedule runs by itself\n"
    ))
    assert workspace.control.count("POST", wire.PIPELINES) == 0


# --- show ------------------------------------------------------------------------------------------


def test_show_prints_one_run(workspace: EmulatorHandle, client: WarehouseSyncClient) -> None:
    workspace.control.set_next_run(workspace.workspace_id, PIPELINE_ID, "failed", "the warehouse said no")
    run = finished_run(workspace, client)

    result = runs(workspace, "show", PIPELINE_ID, str(run.run_id))

    assert (result.code, result.err) == (0, "")
    started, ended = format_time(run.start_date), format_time(run.end_date)
    assert result.lines == [
        f"Run {run.run_id} of pipeline backfill",
        "  state:             failed",
        "  type:              manual",
        f"  logical date:      {started}",
        f"  started:           {started}",
        f"  ended:             {ended}",
        f"  data interval:     2026-01-01T00:00:00Z .. {started}",
        f"  records extracted: {ROWS}",
        "  records mapped:    0",
        "  event batches:     0",
        "  errors:",
        "    - the warehouse said no",
    ]


def test_show_json_is_the_run_in_the_documented_shape(workspace: EmulatorHandle, client: WarehouseSyncClient) -> None:
    run = finished_run(workspace, client)

    result = runs(workspace, "show", PIPELINE_ID, str(run.run_id), "--json")

    assert (result.code, result.err) == (0, "")
    shown = json.loads(result.out)
    assert list(shown) == ["run_id", "pipeline_id", "state", "run_type", "logical_date", "start_date", "end_date",
                           "data_interval_start", "data_interval_end", "externally_triggered", "records_extracted",
                           "records_mapped", "event_batches_generated", "errors"]
    assert (shown["run_id"], shown["state"], shown["end_date"]) == (run.run_id, "success", run.end_date)


def test_show_of_a_run_the_pipeline_does_not_have(workspace: EmulatorHandle) -> None:
    assert runs(workspace, "show", PIPELINE_ID, "999") == Result(2, "", (
        f"runs: pipeline 'backfill' in workspace {workspace.workspace_id} has no run 999: "
        "`mparticle-wsync runs list backfill` lists its runs\n"
    ))


# --- watch -----------------------------------------------------------------------------------------


def test_watch_follows_the_latest_run_until_it_ends(workspace: EmulatorHandle, client: WarehouseSyncClient) -> None:
    workspace.control.set_run_durations(triggered=8, queued=5, running=10)
    run_id = client.trigger(PIPELINE_ID).run_id

    result = runs(workspace, "watch", PIPELINE_ID)

    assert result == Result(0, "\n".join([
        f"run {run_id}: triggered, 0:00 elapsed, extracted -, mapped -",
        f"run {run_id}: queued, 0:08 elapsed, extracted -, mapped -",
        f"run {run_id}: running, 0:13 elapsed, extracted {ROWS}, mapped 0",
        f"run {run_id}: success, 0:23 elapsed, extracted {ROWS}, mapped {ROWS}",
    ]) + "\n", "")


def test_watch_of_a_failing_run_exits_1_with_its_error(workspace: EmulatorHandle, client: WarehouseSyncClient) -> None:
    workspace.control.set_next_run(workspace.workspace_id, PIPELINE_ID, "failed", "the warehouse said no")
    run_id = client.trigger(PIPELINE_ID).run_id

    result = runs(workspace, "watch", PIPELINE_ID, str(run_id))

    assert result.code == 1
    assert result.lines[-1] == f"run {run_id}: failed, 0:03 elapsed, extracted {ROWS}, mapped 0"
    assert result.err == (f"runs: run {run_id} of pipeline 'backfill' in workspace {workspace.workspace_id} "
                          "failed: the warehouse said no\n")


def test_watch_of_a_run_that_ended_prints_it_and_its_outcome(
    workspace: EmulatorHandle, client: WarehouseSyncClient
) -> None:
    run = finished_run(workspace, client)

    result = runs(workspace, "watch", PIPELINE_ID, str(run.run_id))

    assert result == Result(0, f"run {run.run_id}: success, 0:03 elapsed, extracted {ROWS}, mapped {ROWS}\n", "")


def test_watch_without_a_run_going_says_which_run_it_shows(
    workspace: EmulatorHandle, client: WarehouseSyncClient
) -> None:
    finished_run(workspace, client)
    workspace.control.set_next_run(workspace.workspace_id, PIPELINE_ID, "failed", "the warehouse said no")
    latest = finished_run(workspace, client)

    result = runs(workspace, "watch", PIPELINE_ID)

    assert result == Result(1, (
        f"No run of pipeline 'backfill' in workspace {workspace.workspace_id} is going; its latest run is run "
        f"{latest.run_id}:\nrun {latest.run_id}: failed, 0:03 elapsed, extracted {ROWS}, mapped 0\n"
    ), (f"runs: run {latest.run_id} of pipeline 'backfill' in workspace {workspace.workspace_id} failed: "
        "the warehouse said no\n"))


def test_watch_of_a_pipeline_that_never_ran(workspace: EmulatorHandle) -> None:
    assert runs(workspace, "watch", PIPELINE_ID) == Result(
        0, f"Pipeline 'backfill' in workspace {workspace.workspace_id} has no runs yet: nothing to watch.\n", ""
    )


def test_a_new_pipeline_whose_status_is_not_ready_has_no_runs_yet(workspace: EmulatorHandle) -> None:
    workspace.control.set_switches(new_pipeline_status_404_seconds=60)
    workspace.control.seed_object(workspace.workspace_id, wire.PIPELINES, pipeline_body("fresh", ON_DEMAND))

    assert runs(workspace, "watch", "fresh").out.endswith("has no runs yet: nothing to watch.\n")
    assert runs(workspace, "list", "fresh", "--json") == Result(0, "[]\n", "")


# --- settings and usage ----------------------------------------------------------------------------


def test_the_workspace_option_overrides_the_environment(
    workspace: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MPARTICLE_WORKSPACE_ID", "424242")
    result = runs(workspace, "list", PIPELINE_ID, "--workspace", workspace.workspace_id, "--json")
    assert result == Result(0, "[]\n", "")


def test_missing_settings_are_named_with_how_to_set_them_and_no_secret_is_printed(
    workspace: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MPARTICLE_CLIENT_ID")
    monkeypatch.setenv("MPARTICLE_API_URL", "http://example.com")

    result = runs(workspace, "list", PIPELINE_ID)

    assert result.code == 2
    assert result.out == ""
    assert result.err == (
        "runs: 2 problems with the mparticle settings:\n"
        "- mparticle:clientId is not set: set it with MPARTICLE_CLIENT_ID (or mparticle:clientId in a stack's "
        "config, read with --stack NAME)\n"
        "- mparticle:apiUrl must use https:// (got 'http://example.com'): plain http:// is only allowed for "
        "loopback hosts (127.0.0.1, localhost, ::1); set it with MPARTICLE_API_URL (or mparticle:apiUrl in a "
        "stack's config, read with --stack NAME)\n"
    )
    assert workspace.client_secret not in result.err


def test_a_missing_workspace_names_the_option_and_the_variable(
    workspace: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MPARTICLE_WORKSPACE_ID")
    assert runs(workspace, "list", PIPELINE_ID) == Result(2, "", (
        "runs: no workspace id: pass --workspace ID, or set it with MPARTICLE_WORKSPACE_ID (or "
        "mparticle:workspaceId in a stack's config, read with --stack NAME)\n"
    ))


def test_a_refused_credential_is_an_error_without_the_secret(
    workspace: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MPARTICLE_CLIENT_SECRET", "not-the-secret-4711")
    result = runs(workspace, "list", PIPELINE_ID)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("runs: ")
    assert "not-the-secret-4711" not in result.err and workspace.client_secret not in result.err


def test_timeout_minutes_needs_wait(workspace: EmulatorHandle) -> None:
    assert runs(workspace, "trigger", PIPELINE_ID, "--timeout-minutes", "5") == Result(
        2, "", "runs: --timeout-minutes needs --wait\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("list", PIPELINE_ID, "--since", "2026-03-01T09:30:00"), "is neither a date"),
        (("list", PIPELINE_ID, "--since", "2026-02-30"), "'2026-02-30' is not a date"),
        (("list", "bad id!"), "is not a pipeline id"),
        (("show", PIPELINE_ID, "seven"), "'seven' is not a run id"),
        (("trigger", PIPELINE_ID, "--wait", "--timeout-minutes", "0"), "is not a number of minutes above 0"),
        (("watch",), "PIPELINE_ID"),
    ],
)
def test_usage_errors_exit_2(argv: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        parse(*argv)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_the_command_is_registered(workspace: EmulatorHandle, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["runs", "list", PIPELINE_ID, "--json"]) == 0
    assert capsys.readouterr().out == "[]\n"
