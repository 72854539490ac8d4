"""Scheduled runs: interval and once pipelines run as the emulator's clock passes their times, only
while active, created lazily when their runs are read or before the pipeline changes."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .emulator_support import ApiSession, messages, on_demand_pipeline, pipeline
from .run_support import (
    SLOW,
    SLOW_TOTAL,
    advance_to,
    clock_now,
    long_lived,
    next_hour,
    runs_of,
    shown,
    status,
    trigger,
)

P = wire.PIPELINES
USER = "demo@emulator.local"


def scheduled(api: ApiSession, pipeline_id: str, **schedule: Any) -> None:
    api.create_ok(P, pipeline(pipeline_id, schedule=schedule))


def logical_dates(api: ApiSession, pipeline_id: str) -> list[str]:
    return [r["logical_date"] for r in runs_of(api, pipeline_id, pageSize="1000")]


def scheduled_run(run_id: int, logical: datetime, interval_start: str, state: str = "success") -> dict[str, Any]:
    at = shown(logical)
    done = shown(logical + timedelta(seconds=SLOW_TOTAL))
    rows = 1_000 + (run_id * 7_919) % 9_000
    return {
        "pipeline_run_id": run_id,
        "id": "hourly",
        "workspace_id": 1001,
        "logical_date": at,
        "start_date": at,
        "end_date": done,
        "data_interval_start": interval_start,
        "data_interval_end": at,
        "pipeline_run_type": "scheduled",
        "pipeline_run_state": state,
        "is_externally_triggered": False,
        "records_extracted": rows,
        "records_mapped": rows,
        "event_batches_generated": 0,
        "errors": [],
        "created_on": at,
        "created_by": USER,
        "last_modified_on": done,
        "last_modified_by": USER,
    }


def test_an_hourly_pipeline_over_three_hours_runs_three_times_at_its_anchor(
    linked_api: ApiSession, emulator: EmulatorHandle
) -> None:
    control = emulator.control
    control.set_run_durations(**SLOW)
    start = next_hour(clock_now(control), 2) + timedelta(minutes=15)
    scheduled(linked_api, "hourly", type="interval", frequency="hourly", start=shown(start))
    assert runs_of(linked_api, "hourly") == []
    advance_to(control, start + timedelta(hours=2, minutes=30))
    control.clear_log()

    listed = runs_of(linked_api, "hourly")
    first, second, third = start, start + timedelta(hours=1), start + timedelta(hours=2)
    assert listed == [
        scheduled_run(3, third, shown(second)),
        scheduled_run(2, second, shown(first)),
        scheduled_run(1, first, shown(start)),  # the first run reads the history since schedule.start
    ]
    assert runs_of(linked_api, "hourly") == listed  # reading again creates nothing
    assert control.request_counts() == {f"GET {linked_api.path(P, 'hourly', wire.RUNS)}": 2}


def test_a_paused_span_never_runs(linked_api: ApiSession, emulator: EmulatorHandle) -> None:
    control = emulator.control
    start = next_hour(clock_now(control), 2) + timedelta(minutes=15)
    body = pipeline("hourly", schedule={"type": "interval", "frequency": "hourly", "start": shown(start)})
    linked_api.create_ok(P, body)
    advance_to(control, start + timedelta(minutes=30))
    assert linked_api.replace(P, "hourly", {**body, "state": "paused"}).status_code == 200
    advance_to(control, start + timedelta(hours=3, minutes=30))
    assert status(linked_api, "hourly")["latest_pipeline_run"]["logical_date"] == shown(start)
    assert logical_dates(linked_api, "hourly") == [shown(start)]
    assert linked_api.replace(P, "hourly", body).status_code == 200  # resumed at start+3h30
    advance_to(control, start + timedelta(hours=4, minutes=30))
    assert logical_dates(linked_api, "hourly") == [shown(start + timedelta(hours=4)), shown(start)]


def test_runs_due_before_a_change_are_created_before_it(linked_api: ApiSession, emulator: EmulatorHandle) -> None:
    control = emulator.control
    start = next_hour(clock_now(control), 2) + timedelta(minutes=15)
    body = pipeline("hourly", schedule={"type": "interval", "frequency": "hourly", "start": shown(start)})
    linked_api.create_ok(P, body)
    advance_to(control, start + timedelta(hours=1, minutes=30))
    # Nothing read the runs; pausing out of band (as in the UI) still keeps the two that were due.
    control.edit_object(emulator.workspace_id, P, "hourly", {"state": "paused"})
    advance_to(control, start + timedelta(hours=5))
    assert logical_dates(linked_api, "hourly") == [shown(start + timedelta(hours=1)), shown(start)]


def test_a_once_pipeline_runs_exactly_once(linked_api: ApiSession, emulator: EmulatorHandle) -> None:
    linked_api = long_lived(linked_api, emulator)
    control = emulator.control
    start = next_hour(clock_now(control), 2)
    scheduled(linked_api, "later", type="once", start=shown(start))
    advance_to(control, start - timedelta(minutes=1))
    assert logical_dates(linked_api, "later") == []
    advance_to(control, start + timedelta(days=3))
    assert logical_dates(linked_api, "later") == [shown(start)]
    (only,) = runs_of(linked_api, "later")
    assert (only["pipeline_run_type"], only["is_externally_triggered"]) == ("scheduled", False)


def test_a_once_pipeline_whose_start_has_passed_runs_when_created(
    linked_api: ApiSession, emulator: EmulatorHandle
) -> None:
    created = linked_api.create_ok(P, pipeline("past", schedule={"type": "once", "start": "2024-01-01T00:00:00Z"}))
    emulator.control.advance_clock(3600)
    assert logical_dates(linked_api, "past") == [created["created_on"]]


def test_no_runs_after_schedule_end(linked_api: ApiSession, emulator: EmulatorHandle) -> None:
    control = emulator.control
    start = next_hour(clock_now(control), 2)
    end = start + timedelta(hours=1)
    scheduled(linked_api, "short", type="interval", frequency="hourly", start=shown(start), end=shown(end))
    advance_to(control, start + timedelta(hours=5))
    assert logical_dates(linked_api, "short") == [shown(end), shown(start)]  # end is inclusive


def test_on_demand_pipelines_never_run_by_themselves(linked_api: ApiSession, emulator: EmulatorHandle) -> None:
    linked_api.create_ok(P, on_demand_pipeline("od"))
    emulator.control.advance_clock(7 * 3600)
    assert runs_of(linked_api, "od") == []


def test_a_year_of_fast_forward_keeps_the_latest_thousand_runs_and_stays_fast(
    linked_api: ApiSession, emulator: EmulatorHandle
) -> None:
    api = long_lived(linked_api, emulator)
    control = emulator.control
    start = next_hour(clock_now(control)) + timedelta(minutes=15)
    scheduled(api, "hourly", type="interval", frequency="hourly", start=shown(start))
    advance_to(control, start + timedelta(days=365, minutes=30))
    began = time.monotonic()
    dates = logical_dates(api, "hourly")
    elapsed = time.monotonic() - began
    latest = start + timedelta(days=365)
    assert dates == [shown(latest - timedelta(hours=hours)) for hours in range(1000)]
    assert elapsed < 5, elapsed


def test_the_next_run_failure_applies_to_a_scheduled_run(linked_api: ApiSession, emulator: EmulatorHandle) -> None:
    linked_api = long_lived(linked_api, emulator)
    control = emulator.control
    start = next_hour(clock_now(control), 2)
    scheduled(linked_api, "daily", type="interval", frequency="daily", start=shown(start))
    control.set_next_run(emulator.workspace_id, "daily", "failed", "scheduled failure")
    advance_to(control, start + timedelta(days=1, hours=1))
    newer, older = runs_of(linked_api, "daily")
    assert (older["pipeline_run_state"], older["errors"]) == ("failed", [{"message": "scheduled failure"}])
    assert (newer["pipeline_run_state"], newer["errors"]) == ("success", [])
    assert newer["data_interval_start"] == older["data_interval_start"] == shown(start)  # the failure read nothing


def test_a_trigger_is_refused_while_a_scheduled_run_is_active(
    linked_api: ApiSession, emulator: EmulatorHandle
) -> None:
    control = emulator.control
    control.set_run_durations(**SLOW)
    start = next_hour(clock_now(control), 2)
    scheduled(linked_api, "hourly", type="interval", frequency="hourly", start=shown(start))
    advance_to(control, start + timedelta(seconds=15))
    refused = linked_api.request("POST", linked_api.path(P, "hourly", wire.TRIGGER))
    assert (refused.status_code, messages(refused)) == (400, ["Pipeline hourly is already in progress."])
    latest = status(linked_api, "hourly")["latest_pipeline_run"]
    assert (latest["pipeline_run_type"], latest["pipeline_run_state"]) == ("scheduled", "queued")
    control.advance_clock(SLOW_TOTAL)
    refused = linked_api.request("POST", linked_api.path(P, "hourly", wire.TRIGGER))
    assert messages(refused) == [
        "Pipeline hourly has schedule.type interval: only on_demand pipelines can be triggered"
    ]


def test_an_active_scheduled_run_also_blocks_a_pipeline_switched_to_on_demand(
    linked_api: ApiSession, emulator: EmulatorHandle
) -> None:
    control = emulator.control
    control.set_run_durations(**SLOW)
    start = next_hour(clock_now(control), 2)
    body = pipeline("p", schedule={"type": "interval", "frequency": "hourly", "start": shown(start)})
    linked_api.create_ok(P, body)
    advance_to(control, start + timedelta(seconds=35))
    on_demand = {**body, "schedule": {"type": "on_demand", "start": shown(start)}}
    assert linked_api.replace(P, "p", on_demand).status_code == 200
    refused = linked_api.request("POST", linked_api.path(P, "p", wire.TRIGGER))
    assert (refused.status_code, messages(refused)) == (400, ["Pipeline p is already in progress."])
    control.advance_clock(SLOW_TOTAL)
    run_id = trigger(linked_api, "p")
    assert [(r["pipeline_run_id"], r["pipeline_run_type"]) for r in runs_of(linked_api, "p")] == [
        (run_id, "manual"),
        (1, "scheduled"),
    ]
