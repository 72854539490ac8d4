"""The run controls under ``/_emulator``: run durations, a pipeline's next run, a data model's rows;
their validation, and reset forgetting them."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.control import EmulatorControlError
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .emulator_support import ApiSession, fast_http_client, on_demand_pipeline
from .run_support import run, trigger

P = wire.PIPELINES
DEFAULT_DURATIONS = {"triggered": 0.5, "queued": 0.5, "running": 2.0}


def refused(call: Any, *args: Any, **kwargs: Any) -> tuple[int, list[str]]:
    with pytest.raises(EmulatorControlError) as error:
        call(*args, **kwargs)
    return error.value.status_code, error.value.messages


def test_run_durations_are_read_and_changed_in_part(emulator: EmulatorHandle) -> None:
    control = emulator.control
    assert control.run_durations() == DEFAULT_DURATIONS
    assert control.set_run_durations(running=60) == {"triggered": 0.5, "queued": 0.5, "running": 60.0}
    assert control.set_run_durations(triggered=0, queued=1.5) == {"triggered": 0.0, "queued": 1.5, "running": 60.0}
    assert control.run_durations() == {"triggered": 0.0, "queued": 1.5, "running": 60.0}


@pytest.mark.parametrize(
    ("body", "problems"),
    [
        ({"triggered": -1}, ["triggered: must be a number of seconds from 0 to 2592000"]),
        ({"queued": True}, ["queued: must be a number of seconds from 0 to 2592000"]),
        ({"running": "5"}, ["running: must be a number of seconds from 0 to 2592000"]),
        ({"running": 2592001}, ["running: must be a number of seconds from 0 to 2592000"]),
        (
            {"finished": 1, "triggered": None},
            [
                "finished: unknown run state; use triggered, queued, running",
                "triggered: must be a number of seconds from 0 to 2592000",
            ],
        ),
        ([1, 2, 3], ['run durations: send a JSON object such as {"triggered": 1, "running": 5} (seconds)']),
    ],
)
def test_bad_run_durations_are_400_naming_the_field(emulator: EmulatorHandle, body: Any, problems: list[str]) -> None:
    with fast_http_client(emulator.url) as http:
        answer = http.put("/_emulator/run-durations", json=body)
    assert answer.status_code == 400
    assert answer.json() == {"statusCode": 400, "errors": [{"message": problem} for problem in problems]}
    assert emulator.control.run_durations() == DEFAULT_DURATIONS  # nothing changed


@pytest.mark.parametrize(
    ("body", "problems"),
    [
        ({"outcome": "crashed"}, ["outcome: must be one of success, failed"]),
        ({"outcome": "failed", "error": ""}, ["error: must be a non-empty message of at most 1000 characters"]),
        ({"outcome": "failed", "error": 7}, ["error: must be a non-empty message of at most 1000 characters"]),
        ({"outcome": "success", "error": "x"}, ["error: only a failed run has an error message"]),
        ({"outcome": "failed", "when": "now"}, ["when: unknown field; use outcome, error"]),
    ],
)
def test_bad_next_run_bodies_are_400(
    linked_api: ApiSession, emulator: EmulatorHandle, body: dict[str, Any], problems: list[str]
) -> None:
    linked_api.create_ok(P, on_demand_pipeline("od"))
    with fast_http_client(emulator.url) as http:
        answer = http.put("/_emulator/workspaces/1001/pipelines/od/next-run", json=body)
    assert (answer.status_code, [e["message"] for e in answer.json()["errors"]]) == (400, problems)


def test_next_run_and_rows_of_missing_objects_are_404(linked_api: ApiSession, emulator: EmulatorHandle) -> None:
    control = emulator.control
    assert refused(control.set_next_run, "1001", "nope", "failed", "x") == (
        404,
        ["Pipeline 'nope' was not found in workspace 1001"],
    )
    assert refused(control.set_data_model_rows, "1001", "nope", 5) == (
        404,
        ["Data model 'nope' was not found in workspace 1001"],
    )


@pytest.mark.parametrize(
    "body", [{"rows": -1}, {"rows": 1.5}, {"rows": True}, {"rows": 10**16}, {}, {"rows": 1, "x": 2}]
)
def test_bad_rows_are_400(linked_api: ApiSession, emulator: EmulatorHandle, body: dict[str, Any]) -> None:
    with fast_http_client(emulator.url) as http:
        answer = http.put("/_emulator/workspaces/1001/data-models/model-1/rows", json=body)
    assert answer.status_code == 400
    assert answer.json()["errors"] == [
        {"message": 'rows: send {"rows": N} with N a whole number from 0 to 1000000000000000, '
         "or null for the default synthetic count"}
    ]


def test_reset_forgets_durations_next_runs_and_rows(linked_api: ApiSession, emulator: EmulatorHandle) -> None:
    control, workspace = emulator.control, emulator.workspace_id
    linked_api.create_ok(P, on_demand_pipeline("od"))
    control.set_run_durations(triggered=100, queued=100, running=100)
    control.set_next_run(workspace, "od", "failed", "before the reset")
    control.set_data_model_rows(workspace, "model-1", 5)
    control.reset()
    assert control.run_durations() == DEFAULT_DURATIONS
    linked_api.seed_pipeline_dependencies()
    linked_api.create_ok(P, on_demand_pipeline("od"))
    run_id = trigger(linked_api)
    control.advance_clock(3)
    done = run(linked_api, run_id)
    assert (done["pipeline_run_state"], done["errors"]) == ("success", [])
    assert done["records_extracted"] == 1_000 + (run_id * 7_919) % 9_000


def test_durations_apply_to_new_runs_only(linked_api: ApiSession, emulator: EmulatorHandle) -> None:
    linked_api.create_ok(P, on_demand_pipeline("od"))
    run_id = trigger(linked_api)  # 0.5 + 0.5 + 2 s
    emulator.control.set_run_durations(running=600)
    emulator.control.advance_clock(3)
    assert run(linked_api, run_id)["pipeline_run_state"] == "success"


def test_index_lists_the_run_controls(emulator: EmulatorHandle) -> None:
    with fast_http_client(emulator.url) as http:
        endpoints = http.get("/_emulator/").json()["endpoints"]
    assert {
        "GET /_emulator/run-durations",
        "PUT /_emulator/run-durations",
        "PUT /_emulator/workspaces/{ws}/pipelines/{id}/next-run",
        "PUT /_emulator/workspaces/{ws}/data-models/{id}/rows",
    } <= set(endpoints)
    assert not any("run-outcome" in endpoint for endpoint in endpoints)
