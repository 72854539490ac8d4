"""The client's run verbs against the fake API: the exact requests (method, path, body) and their
counts, the trigger path fallback and its per-process memory, the lost-answer guard, the 404s of
a pipeline's status, paging, and the single-run route's fallback."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import (
    APIError,
    BadRequestError,
    NotFoundError,
    PipelineStatus,
    Run,
    RunInProgressError,
    StatusNotReadyError,
    TriggerAnswer,
    UnconfirmedNotFoundError,
)

from .client_fakes import WORKSPACE, FakeAPI, Harness, make_harness, pipeline_body

PIPELINE = f"/platform/v2/workspaces/{WORKSPACE}/pipelines/nightly"
TRIGGER = f"POST {PIPELINE}/trigger"
BARE = f"POST {PIPELINE}"
STATUS = f"GET {PIPELINE}/status"
RUNS = f"GET {PIPELINE}/status/runs"


def harness(**fake: Any) -> Harness:
    h = make_harness(FakeAPI(**fake))
    h.api.seed(wire.PIPELINES, pipeline_body())
    return h


def api_calls(h: Harness) -> list[str]:
    return [call for call in h.api.calls if not call.endswith(wire.TOKEN_PATH)]


def finish_runs(h: Harness, pipeline_id: str = "nightly") -> None:
    for run in h.api.runs.get(pipeline_id, []):
        run["state"] = wire.RUN_SUCCESS


# --- trigger ---------------------------------------------------------------------------------


def test_trigger_posts_to_the_trigger_path_without_a_body() -> None:
    h = harness()
    answer = h.client.trigger("nightly")
    assert answer == TriggerAnswer(run_id=1, status="trigger_requested", path=wire.TRIGGER, adopted=False)
    assert api_calls(h) == [TRIGGER]
    assert h.api.bodies[-1] is None


@pytest.mark.parametrize("refusal", [405, 404])
def test_trigger_falls_back_to_the_bare_path_and_goes_there_first_next_time(refusal: int) -> None:
    h = harness(trigger_paths=(wire.TRIGGER_BARE,), missing_trigger_status=refusal)
    answer = h.client.trigger("nightly")
    assert answer == TriggerAnswer(run_id=1, status="trigger_requested", path=wire.TRIGGER_BARE)
    # A 405 proves the route wrong by itself; a 404 only once a GET shows the pipeline is there.
    proof = [] if refusal == 405 else [f"GET {PIPELINE}"]
    assert api_calls(h) == [TRIGGER, *proof, BARE]
    assert h.api.bodies[-1] is None

    finish_runs(h)
    h.api.calls.clear()
    assert h.client.trigger("nightly").run_id == 2
    assert api_calls(h) == [BARE]

    # The memory is per process and API URL, not per client.
    finish_runs(h)
    h.api.calls.clear()
    again = make_harness(h.api)
    assert again.client.trigger("nightly").path == wire.TRIGGER_BARE
    assert api_calls(again) == [BARE]
    finish_runs(h)
    h.api.calls.clear()
    elsewhere = make_harness(h.api, api_url="https://other-api.test")
    elsewhere.client.trigger("nightly")
    assert api_calls(elsewhere) == [TRIGGER, *proof, BARE]


def test_a_remembered_path_that_stops_working_falls_back_to_the_other() -> None:
    h = harness(trigger_paths=(wire.TRIGGER_BARE,), missing_trigger_status=405)
    h.client.trigger("nightly")
    finish_runs(h)
    h.api.trigger_paths = (wire.TRIGGER,)
    h.api.calls.clear()
    assert h.client.trigger("nightly").path == wire.TRIGGER
    assert api_calls(h) == [BARE, TRIGGER]  # the bare POST answers 405: the route is gone
    finish_runs(h)
    h.api.calls.clear()
    h.client.trigger("nightly")
    assert api_calls(h) == [TRIGGER]


def test_trigger_of_a_missing_pipeline_is_not_found_and_tries_no_other_path() -> None:
    h = harness(trigger_paths=(wire.TRIGGER, wire.TRIGGER_BARE))
    with pytest.raises(NotFoundError) as caught:
        h.client.trigger("gone")
    assert type(caught.value) is NotFoundError
    assert "pipeline 'gone' does not exist" in str(caught.value)
    base = f"/platform/v2/workspaces/{WORKSPACE}/pipelines"
    assert api_calls(h) == [f"POST {base}/gone/trigger", f"GET {base}/gone", f"GET {base}"]
    assert h.api.count("POST", "/pipelines") == 1


def test_trigger_when_the_pipeline_cannot_be_confirmed_missing_is_unconfirmed() -> None:
    h = harness()
    h.api.add_fault("status", method="GET", path=r"/pipelines$", status=404)
    with pytest.raises(UnconfirmedNotFoundError):
        h.client.trigger("gone")
    assert h.api.count("POST", "/pipelines") == 1


def test_trigger_when_neither_path_exists_says_to_run_check_api() -> None:
    h = harness(trigger_paths=())
    with pytest.raises(APIError) as caught:
        h.client.trigger("nightly")
    message = str(caught.value)
    assert "neither trigger path exists for pipeline 'nightly'" in message
    assert f"{TRIGGER} answered 404" in message and f"{BARE} answered 405" in message
    assert "mparticle-wsync check-api" in message and "wire.TRIGGER_PATHS" in message
    assert api_calls(h) == [TRIGGER, f"GET {PIPELINE}", BARE]
    h.api.calls.clear()
    with pytest.raises(APIError):
        h.client.trigger("nightly")
    assert api_calls(h) == [TRIGGER, f"GET {PIPELINE}", BARE]  # nothing was remembered


@pytest.mark.parametrize("spelling", [wire.RUN_SPELLING_V1, wire.RUN_SPELLING_GUESS])
@pytest.mark.parametrize("shape", [wire.STATUS_SHAPE_V1, wire.STATUS_SHAPE_GUESS])
def test_a_trigger_whose_answer_was_lost_adopts_the_run_it_started(spelling: str, shape: str) -> None:
    h = harness(run_spelling=spelling, status_shape=shape)
    h.api.add_fault("apply_then_drop", method="POST", path="/trigger$")
    answer = h.client.trigger("nightly")
    assert answer == TriggerAnswer(run_id=1, status="trigger_requested", path=wire.TRIGGER, adopted=True)
    assert api_calls(h) == [TRIGGER, STATUS]
    assert h.api.count("POST", "/pipelines") == 1
    assert len(h.api.runs["nightly"]) == 1


def test_a_lost_trigger_on_the_bare_path_is_adopted_too() -> None:
    h = harness(trigger_paths=(wire.TRIGGER_BARE,), missing_trigger_status=405)
    h.api.add_fault("apply_then_drop", method="POST", path="/nightly$")
    answer = h.client.trigger("nightly")
    assert (answer.path, answer.adopted, answer.run_id) == (wire.TRIGGER_BARE, True, 1)
    assert api_calls(h) == [TRIGGER, BARE, STATUS]


def test_a_lost_trigger_that_started_nothing_is_sent_again() -> None:
    h = harness()
    h.api.add_fault("drop", method="POST", path="/trigger$")
    h.api.add_run("nightly", wire.RUN_SUCCESS)  # the latest run has ended: not ours
    answer = h.client.trigger("nightly")
    assert (answer.run_id, answer.adopted) == (2, False)
    assert api_calls(h) == [TRIGGER, STATUS, TRIGGER]
    assert len(h.api.runs["nightly"]) == 2


def test_a_trigger_answered_503_is_sent_again_after_the_status_shows_no_run() -> None:
    h = harness()
    h.api.add_fault("status", method="POST", path="/trigger$", status=503)
    h.client.trigger("nightly")
    assert api_calls(h) == [TRIGGER, STATUS, TRIGGER]
    assert len(h.api.runs["nightly"]) == 1


def test_a_trigger_while_a_run_is_going_raises_run_in_progress() -> None:
    h = harness()
    h.client.trigger("nightly")
    with pytest.raises(RunInProgressError) as caught:
        h.client.trigger("nightly")
    error = caught.value
    assert isinstance(error, BadRequestError)
    assert (error.status_code, error.pipeline_id) == (400, "nightly")
    assert "Pipeline nightly is already in progress." in error.messages
    assert h.api.count("POST", "/pipelines") == 2


def test_other_bad_requests_stay_bad_requests() -> None:
    h = harness()
    h.api.add_fault("status", method="POST", path="/trigger$", status=400)
    with pytest.raises(BadRequestError) as caught:
        h.client.trigger("nightly")
    assert type(caught.value) is BadRequestError


# --- status ----------------------------------------------------------------------------------


def test_status_in_either_shape() -> None:
    statuses: dict[str, PipelineStatus] = {}
    for shape in (wire.STATUS_SHAPE_V1, wire.STATUS_SHAPE_GUESS):
        h = harness(status_shape=shape)
        h.api.add_run("nightly", wire.RUN_QUEUED)
        statuses[shape] = h.client.pipeline_status("nightly")
        assert api_calls(h) == [STATUS]
    v1, guess = statuses[wire.STATUS_SHAPE_V1], statuses[wire.STATUS_SHAPE_GUESS]
    assert (v1.shape, guess.shape) == ("v1", "guess")
    assert v1.latest_run == guess.latest_run == Run(
        run_id=1, pipeline_id="nightly", state="queued", run_type="manual", start_date="2024-05-01T10:00:00.000Z"
    )
    assert v1.active is guess.active is True
    assert v1.running and guess.running
    assert (v1.is_faulted, guess.status, guess.state) == (False, "healthy", "active")


def test_status_of_a_new_pipeline_is_not_ready_yet() -> None:
    h = harness(status_not_ready={"nightly"})
    with pytest.raises(StatusNotReadyError) as caught:
        h.client.pipeline_status("nightly")
    error = caught.value
    assert isinstance(error, NotFoundError)
    assert error.pipeline_id == "nightly"
    assert "answers 404 for about a minute after a pipeline is created; try again shortly" in str(error)
    assert api_calls(h) == [STATUS, f"GET {PIPELINE}"]


def test_status_of_a_missing_pipeline_is_not_found() -> None:
    h = harness()
    with pytest.raises(NotFoundError) as caught:
        h.client.pipeline_status("gone")
    assert type(caught.value) is NotFoundError
    assert "pipeline 'gone' does not exist" in str(caught.value)


def test_a_lost_trigger_while_the_status_is_not_ready_is_not_sent_again() -> None:
    h = harness(status_not_ready={"nightly"})
    h.api.add_fault("apply_then_drop", method="POST", path="/trigger$")
    with pytest.raises(StatusNotReadyError, match="the trigger's answer was lost, so it may have started a run"):
        h.client.trigger("nightly")
    assert h.api.count("POST", "/pipelines") == 1


# --- runs ------------------------------------------------------------------------------------


def test_list_runs_sends_the_paging_and_date_parameters() -> None:
    h = harness()
    h.api.add_run("nightly", wire.RUN_SUCCESS)
    h.client.list_runs(
        "nightly", page=2, page_size=10, start_date=datetime(2024, 1, 1, tzinfo=UTC), end_date="2024-02-01T00:00:00Z"
    )
    assert api_calls(h) == [RUNS]
    assert h.api.raw_paths[-1].endswith(
        "/status/runs?currentPage=2&pageSize=10&startDate=2024-01-01T00%3A00%3A00.000Z&endDate=2024-02-01T00%3A00%3A00Z"
    )


@pytest.mark.parametrize("as_array", [False, True])
def test_list_runs_reads_either_spelling_and_either_page_shape(as_array: bool) -> None:
    pages: dict[str, list[Run]] = {}
    for spelling in (wire.RUN_SPELLING_V1, wire.RUN_SPELLING_GUESS):
        h = harness(run_spelling=spelling, runs_as_array=as_array)
        h.api.add_run("nightly", wire.RUN_FAILED)
        h.api.add_run("nightly", wire.RUN_RUNNING)
        pages[spelling] = h.client.list_runs("nightly")
    v1, guess = pages[wire.RUN_SPELLING_V1], pages[wire.RUN_SPELLING_GUESS]
    assert v1 == guess
    assert [(run.run_id, run.state, run.pipeline_id) for run in v1] == [
        (2, "running", "nightly"),
        (1, "failed", "nightly"),
    ]
    assert {run.spelling for run in v1} == {"v1"}
    assert {run.spelling for run in guess} == {"guess"}


def test_list_runs_refuses_a_run_without_an_id() -> None:
    h = harness()
    h.api.add_fault("status", method="GET", path="/runs$", status=200, body={"items": [{"status": "running"}]})
    with pytest.raises(APIError, match="run 0 of the page: a run without an integer pipeline_run_id"):
        h.client.list_runs("nightly")


def test_runs_of_a_new_pipeline_are_not_ready_yet() -> None:
    h = harness(status_not_ready={"nightly"})
    with pytest.raises(StatusNotReadyError):
        h.client.list_runs("nightly")


@pytest.mark.parametrize(("count", "pages"), [(5, 3), (4, 3), (0, 1), (1, 1)])
def test_iter_runs_pages_until_a_short_page(count: int, pages: int) -> None:
    h = harness()
    for _ in range(count):
        h.api.add_run("nightly", wire.RUN_SUCCESS)
    runs = list(h.client.iter_runs("nightly", page_size=2, since="2024-01-01T00:00:00Z"))
    assert [run.run_id for run in runs] == list(range(count, 0, -1))
    assert api_calls(h) == [RUNS] * pages
    assert [path.split("?")[1] for path in h.api.raw_paths if "/runs" in path] == [
        f"currentPage={page}&pageSize=2&startDate=2024-01-01T00%3A00%3A00Z" for page in range(1, pages + 1)
    ]


def test_iter_runs_stops_when_the_server_ignores_paging() -> None:
    h = harness(ignore_paging=True)
    for _ in range(3):
        h.api.add_run("nightly", wire.RUN_SUCCESS)
    assert [run.run_id for run in h.client.iter_runs("nightly", page_size=2)] == [3, 2, 1]
    assert api_calls(h) == [RUNS, RUNS]


def test_iter_runs_refuses_a_page_size_below_one() -> None:
    h = harness()
    with pytest.raises(ValueError, match="page_size"):
        h.client.iter_runs("nightly", page_size=0)


def test_get_run_uses_the_single_run_route() -> None:
    h = harness(run_spelling=wire.RUN_SPELLING_GUESS)
    h.api.add_run("nightly", wire.RUN_RUNNING)
    run = h.client.get_run("nightly", 1)
    assert (run.run_id, run.state, run.spelling) == (1, "running", "guess")
    assert api_calls(h) == [f"{RUNS}/1"]


@pytest.mark.parametrize("refusal", [404, 405])
def test_get_run_falls_back_to_the_listing_and_remembers_the_route_is_missing(refusal: int) -> None:
    h = harness(run_route_status=refusal)
    for _ in range(3):
        h.api.add_run("nightly", wire.RUN_SUCCESS)
    assert h.client.get_run("nightly", 2).run_id == 2
    assert api_calls(h) == [f"{RUNS}/2", RUNS]
    h.api.calls.clear()
    assert h.client.get_run("nightly", "1").run_id == 1
    assert api_calls(h) == [RUNS]


def test_get_run_of_a_missing_run_names_run_and_pipeline() -> None:
    h = harness()
    h.api.add_run("nightly", wire.RUN_SUCCESS)
    with pytest.raises(NotFoundError) as caught:
        h.client.get_run("nightly", 99)
    assert "run 99 of pipeline 'nightly' was not found" in str(caught.value)
    assert api_calls(h) == [f"{RUNS}/99", RUNS]
    h.api.calls.clear()
    with pytest.raises(NotFoundError):
        h.client.get_run("nightly", 98)
    assert api_calls(h) == [f"{RUNS}/98", RUNS]  # a 404 for a run that is nowhere proves no route missing


def test_get_run_of_a_missing_pipeline_is_not_found() -> None:
    h = harness()
    with pytest.raises(NotFoundError, match="pipeline 'gone' does not exist"):
        h.client.get_run("gone", 1)


def test_the_new_errors_pickle_with_their_pipeline() -> None:
    import pickle

    for cls, base in ((RunInProgressError, BadRequestError), (StatusNotReadyError, NotFoundError)):
        error = cls(400, "POST", "/p", ["busy"], pipeline_id="nightly")
        clone = pickle.loads(pickle.dumps(error))
        assert type(clone) is cls and isinstance(clone, base)
        assert (clone.pipeline_id, str(clone)) == ("nightly", str(error))
