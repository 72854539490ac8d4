"""``client.runs``: literal answers of either spelling (spec §7) read into the same typed values."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pulumi_mparticle_wsync.client import (
    PipelineStatus,
    Run,
    TriggerAnswer,
    parse_run,
    parse_runs,
    parse_status,
    parse_trigger,
)
from pulumi_mparticle_wsync.client.runs import run_spelling, status_shape

V1_RUN = json.loads(
    """{
        "pipeline_run_id": 4711,
        "id": "nightly",
        "workspace_id": 1001,
        "logical_date": "2024-05-01T10:00:00.000Z",
        "start_date": "2024-05-01T10:00:01.000Z",
        "end_date": null,
        "data_interval_start": "2024-04-30T10:00:00.000Z",
        "data_interval_end": "2024-05-01T10:00:00.000Z",
        "pipeline_run_type": "manual",
        "pipeline_run_state": "dataset_triggered",
        "is_externally_triggered": true,
        "records_extracted": "1200",
        "records_mapped": 1100,
        "event_batches_generated": null,
        "errors": [{"message": "one row skipped"}],
        "created_on": "2024-05-01T10:00:00.000Z",
        "created_by": "someone@example.com",
        "last_modified_on": null,
        "last_modified_by": null
    }"""
)
GUESS_RUN = json.loads(
    """{
        "pipeline_run_id": 4711,
        "pipeline_id": "nightly",
        "workspace_id": 1001,
        "logical_date": "2024-05-01T10:00:00.000Z",
        "start_date": "2024-05-01T10:00:01.000Z",
        "end_date": null,
        "data_interval_start": "2024-04-30T10:00:00.000Z",
        "data_interval_end": "2024-05-01T10:00:00.000Z",
        "pipeline_run_type": "manual",
        "status": "dataset_triggered",
        "is_externally_triggered": true,
        "records_extracted": 1200,
        "records_mapped": "1100",
        "event_batches_generated": null,
        "errors": ["one row skipped"]
    }"""
)
EXPECTED_RUN = Run(
    run_id=4711,
    pipeline_id="nightly",
    state="dataset_triggered",
    run_type="manual",
    logical_date="2024-05-01T10:00:00.000Z",
    start_date="2024-05-01T10:00:01.000Z",
    end_date=None,
    data_interval_start="2024-04-30T10:00:00.000Z",
    data_interval_end="2024-05-01T10:00:00.000Z",
    externally_triggered=True,
    records_extracted=1200,
    records_mapped=1100,
    event_batches_generated=None,
    errors=("one row skipped",),
)


def test_a_run_in_either_spelling_is_the_same_run() -> None:
    v1, guess = parse_run(V1_RUN), parse_run(GUESS_RUN)
    assert v1 == guess == EXPECTED_RUN
    assert (v1.spelling, guess.spelling) == ("v1", "guess")
    assert v1.active and not v1.succeeded and not v1.failed


def test_a_status_in_either_shape_reads_the_same_run_and_activity() -> None:
    v1_text = """{"pipeline_id": "nightly", "workspace_id": 1001, "is_active": true, "is_faulted": false,
        "is_connection_active": true, "is_connection_faulted": false, "latest_pipeline_run": RUN}"""
    guess_text = """{"pipeline_id": "nightly", "status": "healthy", "state": "active", "latest_pipeline_run": RUN}"""
    v1 = parse_status(json.loads(v1_text.replace("RUN", json.dumps(V1_RUN))))
    guess = parse_status(json.loads(guess_text.replace("RUN", json.dumps(GUESS_RUN))))
    assert v1 == PipelineStatus(
        pipeline_id="nightly",
        latest_run=EXPECTED_RUN,
        is_active=True,
        is_faulted=False,
        is_connection_active=True,
        is_connection_faulted=False,
    )
    assert guess == PipelineStatus(pipeline_id="nightly", latest_run=EXPECTED_RUN, status="healthy", state="active")
    assert (v1.shape, guess.shape) == ("v1", "guess")
    assert v1.active is guess.active is True
    assert v1.running and guess.running


def test_a_status_without_a_run_and_a_paused_pipeline() -> None:
    status = parse_status({"pipeline_id": "p", "state": "paused", "latest_pipeline_run": None})
    assert (status.latest_run, status.active, status.running) == (None, False, False)
    assert parse_status({"pipeline_id": "p", "is_active": False}).active is False
    assert parse_status({"pipeline_id": "p"}).active is None


def test_the_trigger_answer() -> None:
    answer = parse_trigger(json.loads('{"pipeline_run_id": 12, "status": "trigger_requested"}'), "")
    assert answer == TriggerAnswer(run_id=12, status="trigger_requested", path="", adopted=False)


@pytest.mark.parametrize("page", [{"items": [V1_RUN, GUESS_RUN]}, [V1_RUN, GUESS_RUN]])
def test_a_page_of_runs_in_an_envelope_or_a_bare_array(page: Any) -> None:
    assert parse_runs(page) == [EXPECTED_RUN, EXPECTED_RUN]


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ({"runs": []}, 'expected {"items": [<run>, ...]} or an array of runs'),
        ([1], "run 0 of the page is not an object"),
        ([V1_RUN, {"status": "running"}], "run 1 of the page: a run without an integer pipeline_run_id"),
    ],
)
def test_a_page_that_is_not_runs(page: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("{", r"\{")):
        parse_runs(page)


def test_which_spelling_and_shape_were_served() -> None:
    assert run_spelling(V1_RUN) == "v1"
    assert run_spelling(GUESS_RUN) == "guess"
    assert run_spelling({"pipeline_run_id": 1, "id": "p", "status": "running"}) == "mixed"
    assert run_spelling({"pipeline_run_id": 1}) is None
    assert status_shape({"is_active": True}) == "v1"
    assert status_shape({"status": "healthy", "state": "active"}) == "guess"
    assert status_shape({"is_active": True, "state": "active"}) == "mixed"
    assert status_shape({"pipeline_id": "p"}) is None
