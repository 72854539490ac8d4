"""The run switches (spec §8): trigger path, run spelling, status shape and the 404 of a new
pipeline's status. Every answer is also read by the client's ``parse_run`` / ``parse_status``."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client.runs import PipelineStatus, Run, parse_run, parse_status, parse_trigger
from pulumi_mparticle_wsync.emulator.control import EmulatorControlError
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .emulator_support import ApiSession, messages, on_demand_pipeline
from .run_support import SLOW, SLOW_TOTAL, get_json, run, runs_of, status, trigger

P = wire.PIPELINES
ROWS = 321


@pytest.fixture
def on_demand(linked_api: ApiSession, emulator: EmulatorHandle) -> ApiSession:
    emulator.control.set_run_durations(**SLOW)
    emulator.control.set_data_model_rows(emulator.workspace_id, "model-1", ROWS)
    linked_api.create_ok(P, on_demand_pipeline("od"))
    return linked_api


# --- run_spelling ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "pipeline_key", "state_key", "absent"),
    [
        (wire.RUN_SPELLING_V1, "id", "pipeline_run_state", {"pipeline_id", "status"}),
        (wire.RUN_SPELLING_GUESS, "pipeline_id", "status", {"id", "pipeline_run_state"}),
    ],
)
def test_run_spelling(
    on_demand: ApiSession, emulator: EmulatorHandle, spelling: str, pipeline_key: str, state_key: str, absent: set[str]
) -> None:
    assert emulator.control.set_switches(run_spelling=spelling)["run_spelling"] == spelling
    run_id = trigger(on_demand)
    emulator.control.advance_clock(SLOW_TOTAL)
    served = run(on_demand, run_id)
    t = served["logical_date"]
    assert served == {
        "pipeline_run_id": run_id,
        pipeline_key: "od",
        "workspace_id": 1001,
        "logical_date": t,
        "start_date": t,
        "end_date": served["end_date"],
        "data_interval_start": "2024-01-01T00:00:00.000Z",
        "data_interval_end": t,
        "pipeline_run_type": "manual",
        state_key: "success",
        "is_externally_triggered": True,
        "records_extracted": ROWS,
        "records_mapped": ROWS,
        "event_batches_generated": 0,
        "errors": [],
        "created_on": t,
        "created_by": "demo@emulator.local",
        "last_modified_on": served["end_date"],
        "last_modified_by": "demo@emulator.local",
    }
    assert not absent & set(served)
    parsed = parse_run(served)
    assert parsed.spelling == spelling
    assert parsed == Run(
        run_id=run_id,
        pipeline_id="od",
        state="success",
        run_type="manual",
        logical_date=t,
        start_date=t,
        end_date=served["end_date"],
        data_interval_start="2024-01-01T00:00:00.000Z",
        data_interval_end=t,
        externally_triggered=True,
        records_extracted=ROWS,
        records_mapped=ROWS,
        event_batches_generated=0,
        errors=(),
    )
    # The list and the status carry the same spelling.
    assert runs_of(on_demand, "od") == [served]
    assert status(on_demand)["latest_pipeline_run"] == served


# --- status_shape ---------------------------------------------------------------------------------


def test_status_shape_v1(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.set_next_run(emulator.workspace_id, "od", "failed", "no warehouse")
    run_id = trigger(on_demand)
    emulator.control.advance_clock(SLOW_TOTAL)
    served = status(on_demand)
    latest = run(on_demand, run_id)
    assert served == {
        "pipeline_id": "od",
        "workspace_id": 1001,
        "is_active": True,
        "is_faulted": True,
        "is_connection_active": True,
        "is_connection_faulted": False,
        "latest_pipeline_run": latest,
    }
    parsed = parse_status(served)
    assert parsed.shape == "v1"
    assert parsed == PipelineStatus(
        pipeline_id="od",
        latest_run=parse_run(latest),
        is_active=True,
        is_faulted=True,
        is_connection_active=True,
        is_connection_faulted=False,
    )
    assert parsed.latest_run is not None and parsed.latest_run.errors == ("no warehouse",)


def test_status_shape_guess(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.set_switches(status_shape=wire.STATUS_SHAPE_GUESS, run_spelling=wire.RUN_SPELLING_GUESS)
    idle = status(on_demand)
    assert idle == {"pipeline_id": "od", "status": "healthy", "state": "active", "latest_pipeline_run": None}
    run_id = trigger(on_demand)
    served = status(on_demand)
    latest = run(on_demand, run_id)
    assert latest["status"] == "triggered"
    assert served == {"pipeline_id": "od", "status": "healthy", "state": "active", "latest_pipeline_run": latest}
    parsed = parse_status(served)
    assert parsed.shape == "guess"
    assert parsed == PipelineStatus(
        pipeline_id="od", latest_run=parse_run(latest), status="healthy", state="active"
    )
    assert parsed.latest_run is not None and parsed.latest_run.active


# --- trigger_path ---------------------------------------------------------------------------------


def test_trigger_path_suffix_and_the_bare_path_it_does_not_serve(
    on_demand: ApiSession, emulator: EmulatorHandle
) -> None:
    suffix, bare = on_demand.path(P, "od", wire.TRIGGER), on_demand.path(P, "od")
    emulator.control.clear_log()
    refused = on_demand.request("POST", bare)
    assert refused.status_code == 405
    assert refused.headers["Allow"] == "GET, PUT, DELETE"
    assert messages(refused) == [f"POST is not allowed on {bare}: use GET, PUT, DELETE"]
    answer = on_demand.request("POST", suffix)
    assert answer.status_code == 200
    parsed = parse_trigger(answer.json(), wire.TRIGGER)
    assert (parsed.run_id, parsed.status, parsed.path) == (1, "trigger_requested", wire.TRIGGER)
    assert emulator.control.request_counts() == {f"POST {bare}": 1, f"POST {suffix}": 1}


def test_trigger_path_bare_and_the_suffix_it_does_not_serve(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.set_switches(trigger_path=wire.TRIGGER_PATH_BARE)
    suffix, bare = on_demand.path(P, "od", wire.TRIGGER), on_demand.path(P, "od")
    emulator.control.clear_log()
    missing = on_demand.request("POST", suffix)
    assert missing.status_code == 404
    assert messages(missing) == [
        "no such endpoint: the API lives under /platform/v2/workspaces/{workspaceId}/ and the token endpoint at "
        "/oauth/token"
    ]
    answer = on_demand.request("POST", bare)  # no body, as v1's text shows it
    assert answer.status_code == 200
    assert answer.json() == {"pipeline_run_id": 1, "status": "trigger_requested"}
    assert parse_trigger(answer.json(), wire.TRIGGER_BARE).run_id == 1
    refused = on_demand.request("POST", bare)
    assert messages(refused) == ["Pipeline od is already in progress."]
    # The object path still serves the rest, and POST only on pipelines.
    assert on_demand.get(P, "od").status_code == 200
    patch = on_demand.request("PATCH", bare)
    assert messages(patch) == [f"PATCH is not allowed on {bare}: use GET, POST, PUT, DELETE"]
    connection = on_demand.path(wire.CONNECTIONS, "conn-1")
    assert messages(on_demand.request("POST", connection)) == [
        f"POST is not allowed on {connection}: use GET, PUT, DELETE"
    ]
    assert emulator.control.request_counts() == {
        f"POST {suffix}": 1,
        f"POST {bare}": 2,
        f"GET {bare}": 1,
        f"PATCH {bare}": 1,
        f"POST {connection}": 1,
    }


def test_a_trigger_on_the_path_not_served_starts_nothing(on_demand: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.set_switches(trigger_path=wire.TRIGGER_PATH_BARE)
    on_demand.request("POST", on_demand.path(P, "od", wire.TRIGGER))
    emulator.control.set_switches(trigger_path=wire.TRIGGER_PATH_SUFFIX)
    on_demand.request("POST", on_demand.path(P, "od"))
    assert runs_of(on_demand, "od") == []


# --- new_pipeline_status_404_seconds --------------------------------------------------------------


def test_a_new_pipelines_status_and_runs_answer_404_for_a_while(
    linked_api: ApiSession, emulator: EmulatorHandle
) -> None:
    control = emulator.control
    control.set_switches(new_pipeline_status_404_seconds=60)
    linked_api.create_ok(P, on_demand_pipeline("od"))
    paths = [linked_api.path(P, "od", suffix) for suffix in (wire.STATUS, wire.RUNS, f"{wire.RUNS}/1")]
    run_id = trigger(linked_api)  # the trigger itself works meanwhile
    assert run_id == 1
    for path in paths:
        answer = linked_api.request("GET", path)
        assert answer.status_code == 404
        assert messages(answer) == [
            "Pipeline od: no status yet in workspace 1001 (a new pipeline's status can take about a minute to appear)"
        ]
    control.advance_clock(59)
    assert [linked_api.request("GET", path).status_code for path in paths] == [404, 404, 404]
    control.advance_clock(1)
    assert [linked_api.request("GET", path).status_code for path in paths] == [200, 200, 200]
    assert parse_status(status(linked_api)).latest_run == parse_run(run(linked_api, run_id))


def test_the_404_window_is_counted_from_each_pipelines_creation(
    linked_api: ApiSession, emulator: EmulatorHandle
) -> None:
    linked_api.create_ok(P, on_demand_pipeline("old"))
    emulator.control.advance_clock(120)
    emulator.control.set_switches(new_pipeline_status_404_seconds=60)
    linked_api.create_ok(P, on_demand_pipeline("new"))
    assert get_json(linked_api, "old", wire.STATUS)["pipeline_id"] == "old"
    assert linked_api.request("GET", linked_api.path(P, "new", wire.STATUS)).status_code == 404


# --- validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"trigger_path": "slash"}, "trigger_path: 'slash' is not one of 'trigger', 'bare'"),
        ({"run_spelling": "v2"}, "run_spelling: 'v2' is not one of 'v1', 'guess'"),
        ({"status_shape": True}, "status_shape: True is not one of 'v1', 'guess'"),
        (
            {"new_pipeline_status_404_seconds": -1},
            "new_pipeline_status_404_seconds: must be a number of seconds from 0 to 86400",
        ),
        (
            {"new_pipeline_status_404_seconds": "60"},
            "new_pipeline_status_404_seconds: must be a number of seconds from 0 to 86400",
        ),
    ],
)
def test_bad_run_switch_values_are_400_naming_the_switch(
    emulator: EmulatorHandle, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(EmulatorControlError) as refused:
        emulator.control.set_switches(**changes)
    assert (refused.value.status_code, refused.value.messages) == (400, [message])
