"""Runs (spec §7): trigger, progress under the emulator's clock, status, listing and paging."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator import runs
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .emulator_support import ApiSession, message_text, on_demand_pipeline, pipeline

P = wire.PIPELINES


@pytest.fixture
def on_demand(linked_api: ApiSession) -> ApiSession:
    linked_api.create_ok(P, on_demand_pipeline("od"))
    return linked_api


def trigger(api: ApiSession, pipeline_id: str = "od") -> dict[str, Any]:
    answer = api.request("POST", api.path(P, pipeline_id, wire.TRIGGER))
    assert answer.status_code == 200, answer.text
    triggered: dict[str, Any] = answer.json()
    return triggered


def status(api: ApiSession, pipeline_id: str = "od") -> dict[str, Any]:
    answer = api.request("GET", api.path(P, pipeline_id, wire.STATUS))
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def run(api: ApiSession, run_id: object, pipeline_id: str = "od") -> dict[str, Any]:
    answer = api.request("GET", api.path(P, pipeline_id, wire.RUNS, str(run_id)))
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def test_trigger_answers_a_run_id(on_demand: ApiSession) -> None:
    answer = trigger(on_demand)
    assert answer[wire.STATUS_FIELD] == wire.TRIGGER_REQUESTED
    assert isinstance(answer[wire.PIPELINE_RUN_ID], int)


def test_only_on_demand_pipelines_can_be_triggered(linked_api: ApiSession) -> None:
    linked_api.create_ok(P, pipeline("hourly"))
    answer = linked_api.request("POST", linked_api.path(P, "hourly", wire.TRIGGER))
    assert answer.status_code == 400
    assert "Pipeline hourly has schedule.type interval: only on_demand pipelines can be triggered" in message_text(
        answer
    )


def test_trigger_of_a_missing_pipeline_is_404(linked_api: ApiSession) -> None:
    assert linked_api.request("POST", linked_api.path(P, "nope", wire.TRIGGER)).status_code == 404


def test_a_run_progresses_under_the_clock(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    run_id = trigger(on_demand)[wire.PIPELINE_RUN_ID]
    first = run(on_demand, run_id)
    assert first[wire.STATUS_FIELD] == "triggered"
    assert first[wire.RUN_END_DATE] is None
    assert first[wire.PIPELINE_RUN_TYPE] == "manual"
    assert first[wire.PIPELINE_ID] == "od"

    emulator.control.advance_clock(runs.TRIGGERED_SECONDS)
    assert run(on_demand, run_id)[wire.STATUS_FIELD] == "running"

    emulator.control.advance_clock(runs.RUNNING_SECONDS)
    done = run(on_demand, run_id)
    assert done[wire.STATUS_FIELD] == "success"
    assert done[wire.RUN_END_DATE] is not None
    assert isinstance(done[wire.RUN_RECORDS_EXTRACTED], int) and done[wire.RUN_RECORDS_EXTRACTED] > 0
    assert done[wire.ERRORS] == []


def test_trigger_is_refused_while_a_run_is_active(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    trigger(on_demand)
    for _ in range(2):  # triggered, then running
        refused = on_demand.request("POST", on_demand.path(P, "od", wire.TRIGGER))
        assert refused.status_code == 400
        assert message_text(refused) == "Pipeline od is already in progress."
        emulator.control.advance_clock(runs.TRIGGERED_SECONDS)
    emulator.control.advance_clock(runs.RUN_SECONDS)
    assert trigger(on_demand)[wire.STATUS_FIELD] == wire.TRIGGER_REQUESTED


def test_run_outcome_can_be_switched_to_failed(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.set_run_outcome(emulator.workspace_id, "od", "failed")
    run_id = trigger(on_demand)[wire.PIPELINE_RUN_ID]
    emulator.control.advance_clock(runs.RUN_SECONDS)
    failed = run(on_demand, run_id)
    assert failed[wire.STATUS_FIELD] == "failed"
    assert failed[wire.ERRORS]
    assert failed[wire.RUN_RECORDS_EXTRACTED] == 0


def test_each_run_starts_where_the_last_success_ended(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    first_id = trigger(on_demand)[wire.PIPELINE_RUN_ID]
    first = run(on_demand, first_id)
    assert first[wire.RUN_DATA_INTERVAL_START] == "2024-01-01T00:00:00.000Z"  # schedule.start
    emulator.control.advance_clock(runs.RUN_SECONDS + 60)
    second = run(on_demand, trigger(on_demand)[wire.PIPELINE_RUN_ID])
    assert second[wire.RUN_DATA_INTERVAL_START] == first[wire.RUN_DATA_INTERVAL_END]
    assert second[wire.RUN_DATA_INTERVAL_END] > first[wire.RUN_DATA_INTERVAL_END]


def test_a_failed_run_does_not_move_the_interval(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.set_run_outcome(emulator.workspace_id, "od", "failed")
    first = run(on_demand, trigger(on_demand)[wire.PIPELINE_RUN_ID])
    emulator.control.advance_clock(runs.RUN_SECONDS)
    emulator.control.set_run_outcome(emulator.workspace_id, "od", "success")
    second = run(on_demand, trigger(on_demand)[wire.PIPELINE_RUN_ID])
    assert second[wire.RUN_DATA_INTERVAL_START] == first[wire.RUN_DATA_INTERVAL_START]


def test_status_reports_the_latest_run(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    before = status(on_demand)
    assert before == {
        wire.PIPELINE_ID: "od",
        wire.STATUS_FIELD: "healthy",
        wire.STATE: "active",
        wire.LATEST_PIPELINE_RUN: None,
    }
    run_id = trigger(on_demand)[wire.PIPELINE_RUN_ID]
    latest = status(on_demand)[wire.LATEST_PIPELINE_RUN]
    assert isinstance(latest, dict)
    assert latest[wire.PIPELINE_RUN_ID] == run_id
    assert latest[wire.STATUS_FIELD] == "triggered"


def test_events_runs_report_event_batches(linked_api: ApiSession, emulator: EmulatorHandle) -> None:
    linked_api.create_ok(P, on_demand_pipeline("ev", pipeline_type="events", field_transformation_id="ft-1"))
    run_id = trigger(linked_api, "ev")[wire.PIPELINE_RUN_ID]
    emulator.control.advance_clock(runs.RUN_SECONDS)
    done = run(linked_api, run_id, "ev")
    assert isinstance(done[wire.RUN_EVENT_BATCHES_GENERATED], int) and done[wire.RUN_EVENT_BATCHES_GENERATED] > 0


def test_runs_are_listed_newest_first_with_paging(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    ids = []
    for _ in range(5):
        ids.append(trigger(on_demand)[wire.PIPELINE_RUN_ID])
        emulator.control.advance_clock(runs.RUN_SECONDS + 1)
    listed = on_demand.request("GET", on_demand.path(P, "od", wire.RUNS))
    assert listed.status_code == 200
    assert [r[wire.PIPELINE_RUN_ID] for r in listed.json()[wire.RUNS_ITEMS]] == ids[::-1]

    def page(number: int, size: int) -> list[object]:
        params = {wire.RUNS_PAGE_PARAM: str(number), wire.RUNS_PAGE_SIZE_PARAM: str(size)}
        answer = on_demand.request("GET", on_demand.path(P, "od", wire.RUNS), params=params)
        return [r[wire.PIPELINE_RUN_ID] for r in answer.json()[wire.RUNS_ITEMS]]

    assert page(1, 2) == ids[::-1][:2]
    assert page(2, 2) == ids[::-1][2:4]
    assert page(3, 2) == ids[::-1][4:]
    assert page(4, 2) == []


def test_runs_filter_by_date(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    first = run(on_demand, trigger(on_demand)[wire.PIPELINE_RUN_ID])
    emulator.control.advance_clock(3600)
    second = run(on_demand, trigger(on_demand)[wire.PIPELINE_RUN_ID])
    path = on_demand.path(P, "od", wire.RUNS)
    after = on_demand.request("GET", path, params={wire.RUNS_START_DATE_PARAM: second[wire.RUN_LOGICAL_DATE]})
    assert [r[wire.PIPELINE_RUN_ID] for r in after.json()[wire.RUNS_ITEMS]] == [second[wire.PIPELINE_RUN_ID]]
    before = on_demand.request("GET", path, params={wire.RUNS_END_DATE_PARAM: first[wire.RUN_LOGICAL_DATE]})
    assert [r[wire.PIPELINE_RUN_ID] for r in before.json()[wire.RUNS_ITEMS]] == [first[wire.PIPELINE_RUN_ID]]


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
    assert on_demand.request("GET", on_demand.path(P, "od", wire.RUNS, "999999")).status_code == 404
    malformed = on_demand.request("GET", on_demand.path(P, "od", wire.RUNS, "abc"))
    assert malformed.status_code == 400
    assert "runId in the path: 'abc' is not a run id" in message_text(malformed)


def test_deleting_a_pipeline_forgets_its_runs(on_demand: ApiSession) -> None:
    trigger(on_demand)
    assert on_demand.delete(P, "od").status_code == 204
    assert on_demand.request("GET", on_demand.path(P, "od", wire.STATUS)).status_code == 404
    on_demand.create_ok(P, on_demand_pipeline("od"))
    assert status(on_demand)[wire.LATEST_PIPELINE_RUN] is None
