"""Manual runs (spec §7): trigger, the states a run moves through on the emulator's clock, counts,
the next-run failure, the in-progress refusal, status, listing and paging."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .emulator_support import ApiSession, message_text, messages, on_demand_pipeline, pipeline
from .run_support import SLOW, SLOW_TOTAL, later, run, runs_of, status, trigger

P = wire.PIPELINES
SCHEDULE_START = "2024-01-01T00:00:00.000Z"  # on_demand_pipeline()'s schedule.start
USER = "demo@emulator.local"
SYNTHETIC_ROWS_OF_RUN_1 = 8_919  # 1000 + (1 * 7919) % 9000


@pytest.fixture
def on_demand(linked_api: ApiSession, emulator: EmulatorHandle) -> ApiSession:
    emulator.control.set_run_durations(**SLOW)
    linked_api.create_ok(P, on_demand_pipeline("od"))
    return linked_api


def manual_run(run_id: int, logical: str, state: str, **changes: Any) -> dict[str, Any]:
    """A manual run of ``od`` as the emulator serves it (v1 spelling), triggered at ``logical``."""
    body: dict[str, Any] = {
        "pipeline_run_id": run_id,
        "id": "od",
        "workspace_id": 1001,
        "logical_date": logical,
        "start_date": logical,
        "end_date": None,
        "data_interval_start": SCHEDULE_START,
        "data_interval_end": logical,
        "pipeline_run_type": "manual",
        "pipeline_run_state": state,
        "is_externally_triggered": True,
        "records_extracted": None,
        "records_mapped": None,
        "event_batches_generated": None,
        "errors": [],
        "created_on": logical,
        "created_by": USER,
        "last_modified_on": None,
        "last_modified_by": None,
    }
    body.update(changes)
    return body


def test_a_manual_run_moves_through_every_state(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    run_id = trigger(on_demand)
    assert run_id == 1  # run ids start at 1 after a reset
    first = run(on_demand, run_id)
    t = first["logical_date"]
    assert first == manual_run(1, t, "triggered")

    emulator.control.advance_clock(SLOW["triggered"])
    assert run(on_demand, run_id) == manual_run(
        1, t, "queued", last_modified_on=later(t, 10), last_modified_by=USER
    )
    emulator.control.advance_clock(SLOW["queued"])
    assert run(on_demand, run_id) == manual_run(
        1,
        t,
        "running",
        records_extracted=SYNTHETIC_ROWS_OF_RUN_1,
        records_mapped=0,
        event_batches_generated=0,
        last_modified_on=later(t, 30),
        last_modified_by=USER,
    )
    emulator.control.advance_clock(SLOW["running"])
    assert run(on_demand, run_id) == manual_run(
        1,
        t,
        "success",
        end_date=later(t, SLOW_TOTAL),
        records_extracted=SYNTHETIC_ROWS_OF_RUN_1,
        records_mapped=SYNTHETIC_ROWS_OF_RUN_1,
        event_batches_generated=0,
        last_modified_on=later(t, SLOW_TOTAL),
        last_modified_by=USER,
    )


def test_default_durations_finish_a_run_within_three_seconds(linked_api: ApiSession, emulator: EmulatorHandle) -> None:
    assert emulator.control.run_durations() == {"triggered": 0.5, "queued": 0.5, "running": 2.0}
    linked_api.create_ok(P, on_demand_pipeline("od"))
    run_id = trigger(linked_api)
    states = []
    for step in (0.5, 0.5, 2.0):
        emulator.control.advance_clock(step)
        states.append(run(linked_api, run_id)["pipeline_run_state"])
    assert states == ["queued", "running", "success"]


def test_data_model_rows_and_the_record_limit(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    control, workspace = emulator.control, emulator.workspace_id
    control.set_data_model_rows(workspace, "model-1", 250)
    first = trigger(on_demand)
    control.advance_clock(SLOW_TOTAL)
    control.set_data_model_rows(workspace, "model-1", 30_000_000)
    second = trigger(on_demand)
    control.advance_clock(SLOW_TOTAL)
    control.set_data_model_rows(workspace, "model-1", None)
    third = trigger(on_demand)
    control.advance_clock(SLOW_TOTAL)

    def counts(run_id: int) -> tuple[object, ...]:
        found = run(on_demand, run_id)
        return found["records_extracted"], found["records_mapped"], found["event_batches_generated"]

    assert counts(first) == (250, 250, 0)
    assert counts(second) == (24_000_000, 24_000_000, 0)  # spec §6: 24 million per on-demand trigger
    assert counts(third) == (1_000 + (3 * 7_919) % 9_000,) * 2 + (0,)  # synthetic again


def test_events_runs_report_one_batch_per_hundred_rows(linked_api: ApiSession, emulator: EmulatorHandle) -> None:
    linked_api.create_ok(P, on_demand_pipeline("ev", pipeline_type="events", field_transformation_id="ft-1"))
    emulator.control.set_data_model_rows(emulator.workspace_id, "model-1", 250)
    run_id = trigger(linked_api, "ev")
    emulator.control.advance_clock(3)
    done = run(linked_api, run_id, "ev")
    assert (done["records_extracted"], done["records_mapped"], done["event_batches_generated"]) == (250, 250, 3)


def test_only_the_next_run_fails_with_the_given_error(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.set_data_model_rows(emulator.workspace_id, "model-1", 500)
    emulator.control.set_next_run(emulator.workspace_id, "od", "failed", "warehouse timed out")
    failed_id = trigger(on_demand)
    t = run(on_demand, failed_id)["logical_date"]
    assert run(on_demand, failed_id)["errors"] == []  # the outcome shows only at the end
    emulator.control.advance_clock(SLOW_TOTAL)
    assert run(on_demand, failed_id) == manual_run(
        failed_id,
        t,
        "failed",
        end_date=later(t, SLOW_TOTAL),
        records_extracted=500,
        records_mapped=0,
        event_batches_generated=0,
        errors=[{"message": "warehouse timed out"}],
        last_modified_on=later(t, SLOW_TOTAL),
        last_modified_by=USER,
    )
    assert status(on_demand)["is_faulted"] is True

    second = trigger(on_demand)
    emulator.control.advance_clock(SLOW_TOTAL)
    assert run(on_demand, second)["pipeline_run_state"] == "success"
    assert run(on_demand, second)["errors"] == []
    assert status(on_demand)["is_faulted"] is False


def test_a_failure_without_a_message_and_one_taken_back(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    control, workspace = emulator.control, emulator.workspace_id
    control.set_next_run(workspace, "od")
    first = trigger(on_demand)
    control.advance_clock(SLOW_TOTAL)
    assert run(on_demand, first)["errors"] == [
        {"message": "the emulator was told to fail this run (control API next-run)"}
    ]
    control.set_next_run(workspace, "od", "failed", "never seen")
    control.set_next_run(workspace, "od", "success")
    second = trigger(on_demand)
    control.advance_clock(SLOW_TOTAL)
    assert run(on_demand, second)["pipeline_run_state"] == "success"


def test_each_run_starts_where_the_last_success_ended(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    first = run(on_demand, trigger(on_demand))
    assert first["data_interval_start"] == SCHEDULE_START
    emulator.control.advance_clock(SLOW_TOTAL + 60)
    second = run(on_demand, trigger(on_demand))
    assert second["data_interval_start"] == first["data_interval_end"]
    assert second["data_interval_end"] == second["logical_date"] > first["data_interval_end"]


def test_a_failed_run_does_not_move_the_interval(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.set_next_run(emulator.workspace_id, "od", "failed", "boom")
    first = run(on_demand, trigger(on_demand))
    emulator.control.advance_clock(SLOW_TOTAL)
    second = run(on_demand, trigger(on_demand))
    assert second["data_interval_start"] == first["data_interval_start"] == SCHEDULE_START


def test_trigger_is_refused_in_every_active_state(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    run_id = trigger(on_demand)
    seen = []
    for step in (SLOW["triggered"], SLOW["queued"], SLOW["running"]):
        seen.append(run(on_demand, run_id)["pipeline_run_state"])
        refused = on_demand.request("POST", on_demand.path(P, "od", wire.TRIGGER))
        assert refused.status_code == 400
        assert refused.json() == {"statusCode": 400, "errors": [{"message": "Pipeline od is already in progress."}]}
        emulator.control.advance_clock(step)
    assert seen == ["triggered", "queued", "running"]
    assert trigger(on_demand) == run_id + 1
    assert emulator.control.request_counts()[f"POST {on_demand.path(P, 'od', wire.TRIGGER)}"] == 5


def test_only_on_demand_pipelines_can_be_triggered(linked_api: ApiSession) -> None:
    linked_api.create_ok(P, pipeline("hourly"))
    answer = linked_api.request("POST", linked_api.path(P, "hourly", wire.TRIGGER))
    assert answer.status_code == 400
    assert messages(answer) == ["Pipeline hourly has schedule.type interval: only on_demand pipelines can be triggered"]


def test_trigger_of_a_missing_pipeline_is_404(linked_api: ApiSession) -> None:
    assert linked_api.request("POST", linked_api.path(P, "nope", wire.TRIGGER)).status_code == 404


def test_status_in_the_v1_shape(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    idle = {
        "pipeline_id": "od",
        "workspace_id": 1001,
        "is_active": True,
        "is_faulted": False,
        "is_connection_active": True,
        "is_connection_faulted": False,
        "latest_pipeline_run": None,
    }
    assert status(on_demand) == idle
    run_id = trigger(on_demand)
    t = run(on_demand, run_id)["logical_date"]
    assert status(on_demand) == {**idle, "latest_pipeline_run": manual_run(run_id, t, "triggered")}

    control, workspace = emulator.control, emulator.workspace_id
    control.edit_object(workspace, wire.CONNECTIONS, "conn-1", {"state": "inactive", "status": "faulted"})
    control.edit_object(workspace, P, "od", {"state": "paused"})
    flags = {key: value for key, value in status(on_demand).items() if key.startswith("is_")}
    assert flags == {
        "is_active": False,
        "is_faulted": False,
        "is_connection_active": False,
        "is_connection_faulted": True,
    }


def test_runs_are_listed_newest_first_with_paging(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    ids = []
    for _ in range(5):
        ids.append(trigger(on_demand))
        emulator.control.advance_clock(SLOW_TOTAL + 1)
    assert [r["pipeline_run_id"] for r in runs_of(on_demand, "od")] == [5, 4, 3, 2, 1] == ids[::-1]

    def page(number: int, size: int) -> list[object]:
        return [r["pipeline_run_id"] for r in runs_of(on_demand, "od", currentPage=str(number), pageSize=str(size))]

    assert page(1, 2) == [5, 4]
    assert page(2, 2) == [3, 2]
    assert page(3, 2) == [1]
    assert page(4, 2) == []


def test_runs_filter_on_the_logical_date(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    first = run(on_demand, trigger(on_demand))
    emulator.control.advance_clock(3600)
    second = run(on_demand, trigger(on_demand))
    after = runs_of(on_demand, "od", startDate=second["logical_date"])
    assert [r["pipeline_run_id"] for r in after] == [second["pipeline_run_id"]]
    before = runs_of(on_demand, "od", endDate=first["logical_date"])
    assert [r["pipeline_run_id"] for r in before] == [first["pipeline_run_id"]]
    both = runs_of(on_demand, "od", startDate=first["logical_date"], endDate=second["logical_date"])
    assert [r["pipeline_run_id"] for r in both] == [2, 1]


@pytest.mark.parametrize(
    ("param", "value", "fragment"),
    [
        (wire.RUNS_PAGE_PARAM, "0", "currentPage: '0' must be a positive integer"),
        (wire.RUNS_PAGE_SIZE_PARAM, "ten", "pageSize: 'ten' must be a positive integer"),
        (wire.RUNS_PAGE_SIZE_PARAM, "5000", "pageSize: at most 1000"),
        (wire.RUNS_START_DATE_PARAM, "yesterday", "startDate: 'yesterday' is not an ISO 8601 timestamp"),
    ],
)
def test_bad_run_query_parameters_are_400(on_demand: ApiSession, param: str, value: str, fragment: str) -> None:
    answer = on_demand.request("GET", on_demand.path(P, "od", wire.RUNS), params={param: value})
    assert answer.status_code == 400
    assert fragment in message_text(answer)


def test_unknown_or_malformed_run_ids(on_demand: ApiSession) -> None:
    missing = on_demand.request("GET", on_demand.path(P, "od", wire.RUNS, "999999"))
    assert missing.status_code == 404
    assert messages(missing) == ["Run 999999 of pipeline od was not found in workspace 1001"]
    malformed = on_demand.request("GET", on_demand.path(P, "od", wire.RUNS, "abc"))
    assert malformed.status_code == 400
    assert "runId in the path: 'abc' is not a run id" in message_text(malformed)


def test_deleting_a_pipeline_forgets_its_runs_and_settings(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.set_next_run(emulator.workspace_id, "od", "failed", "left over")
    trigger(on_demand)
    emulator.control.set_next_run(emulator.workspace_id, "od", "failed", "pending")
    assert on_demand.delete(P, "od").status_code == 204
    assert on_demand.request("GET", on_demand.path(P, "od", wire.STATUS)).status_code == 404
    on_demand.create_ok(P, on_demand_pipeline("od"))
    assert status(on_demand)["latest_pipeline_run"] is None
    run_id = trigger(on_demand)
    emulator.control.advance_clock(SLOW_TOTAL)
    assert run(on_demand, run_id)["pipeline_run_state"] == "success"  # the pending failure went with it
