"""A refresh reads each collection with one list request; objects it lacks are read by their own GET.

The stack: a connection, three data models and two pipelines, created by the providers; each
test then refreshes it as a new engine operation would (a new provider process: a new token, no
listing yet). The emulator's request log proves the calls, its contents that nothing changed.
Before listings, a refresh of this stack was 1 token + 6 GETs.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from pulumi.dynamic import ReadResult

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.resources import OperationError, _listings
from pulumi_mparticle_wsync.resources._stack_objects import STACK_OBJECTS

from .conftest import Providers
from .helpers import engine_props
from .listing_support import (
    LISTS,
    MODELS,
    TOKEN,
    ListRewriter,
    Resource,
    Rewrite,
    Stack,
    assert_unchanged,
    build_stack,
    fail_lists_of,
    failing_lists,
    first_page_with_cursor,
    first_page_with_link,
    logged,
    omitting,
    refresh,
    served,
    summaries,
    use_transport,
    wrapped,
)


@pytest.fixture
def stack(providers: Providers, emulator: EmulatorHandle) -> Stack:
    return build_stack(providers, emulator)


@pytest.fixture(autouse=True)
def _no_listing_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests follow each kind's reads request by request, so no kind is listed ahead (in a
    thread of its own, at a moment of its own): ``test_listing_ahead.py`` tests that."""
    monkeypatch.setattr(_listings, "PREFETCHED", ())


# --- (1) one list per collection ------------------------------------------------------------------


def test_a_refresh_lists_each_collection_once(stack: Stack, emulator: EmulatorHandle) -> None:
    before = served(emulator)
    results = refresh(stack)
    assert_unchanged(stack, results)
    assert logged(emulator) == [TOKEN, *LISTS]  # was 1 token + 6 GETs
    assert served(emulator) == before
    assert STACK_OBJECTS.workspaces_of(wire.DATA_MODELS, "model-2") == {emulator.workspace_id}


def test_concurrent_reads_of_a_collection_share_one_list_request(stack: Stack, emulator: EmulatorHandle) -> None:
    """Four reads at once (the provider host's limit) while the list request is slow: they all wait for it."""
    emulator.control.add_fault("latency", method="GET", path_regex=f"/{wire.DATA_MODELS}$", latency_ms=300)
    models = [stack[object_id] for object_id in MODELS]
    start = threading.Barrier(len(models))

    def read(resource: Resource) -> ReadResult:
        start.wait()
        return resource.provider.read(resource.id, resource.state())

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = dict(zip(MODELS, pool.map(read, models), strict=True))
    assert_unchanged({object_id: stack[object_id] for object_id in MODELS}, results)
    assert logged(emulator) == [TOKEN, ("GET", wire.DATA_MODELS, 200)]


# --- (2) objects the listing lacks ----------------------------------------------------------------


def test_an_object_deleted_out_of_band_is_dropped_after_its_own_get_answers_404(
    stack: Stack, emulator: EmulatorHandle
) -> None:
    emulator.control.delete_object(emulator.workspace_id, wire.DATA_MODELS, "model-3")
    before = served(emulator)
    results = refresh(stack)
    assert (results["model-3"].id, results["model-3"].outs) == ("", {})  # the engine drops it from the state
    assert_unchanged(stack, results, except_ids=("model-3",))
    # The listing lacks it and so does its GET: that is the proof, no second listing needed.
    assert logged(emulator) == [TOKEN, *LISTS[:2], ("GET", f"{wire.DATA_MODELS}/model-3", 404), LISTS[2]]
    assert served(emulator) == before


def test_an_object_the_listing_omits_but_the_server_holds_is_kept(
    stack: Stack, emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_transport(monkeypatch, ListRewriter(omitting("model-2")))
    results = refresh(stack)
    assert_unchanged(stack, results)  # model-2 too: read by its GET
    assert logged(emulator) == [TOKEN, *LISTS[:2], ("GET", f"{wire.DATA_MODELS}/model-2", 200), LISTS[2]]


def test_an_object_the_listing_omits_whose_get_fails_is_an_error_not_a_deletion(
    stack: Stack, emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_transport(monkeypatch, ListRewriter(omitting("model-2")))
    emulator.control.add_fault("error", method="GET", path_regex="/model-2$", status=403)
    model = stack["model-2"]
    with pytest.raises(OperationError, match=r"^read DataModel 'model-2' in workspace 1001 failed: GET .* -> 403"):
        model.provider.read(model.id, model.state())
    assert logged(emulator) == [TOKEN, LISTS[1], ("GET", f"{wire.DATA_MODELS}/model-2", 403)]
    assert emulator.control.get_object(emulator.workspace_id, wire.DATA_MODELS, "model-2") is not None


# --- (3) objects the stack does not hold ----------------------------------------------------------


def test_objects_listed_that_the_stack_does_not_hold_change_nothing(stack: Stack, emulator: EmulatorHandle) -> None:
    emulator.control.seed_object(
        emulator.workspace_id, wire.DATA_MODELS,
        {wire.ID: "someone-elses", wire.NAME: "Theirs", "config": {"sql_query": "SELECT email FROM db.s.theirs"}},
    )
    emulator.control.clear_log()
    before = served(emulator)
    results = refresh(stack)
    assert_unchanged(stack, results)
    assert logged(emulator) == [TOKEN, *LISTS]
    assert served(emulator) == before
    assert STACK_OBJECTS.workspaces_of(wire.DATA_MODELS, "someone-elses") == set()


# --- (4) a list that fails or is not understood: each object by its own GET -----------------------


BY_GET = [TOKEN, LISTS[0]] + [("GET", f"{wire.DATA_MODELS}/{m}", 200) for m in MODELS] + [LISTS[2]]


@pytest.mark.parametrize(
    "rewrite", [wrapped, first_page_with_link, first_page_with_cursor], ids=["wrapped", "link-header", "cursor-header"]
)
def test_a_list_answer_not_understood_falls_back_to_one_get_per_object(
    stack: Stack, emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch, rewrite: Rewrite
) -> None:
    use_transport(monkeypatch, ListRewriter(rewrite, (wire.DATA_MODELS,)))
    results = refresh(stack)
    assert_unchanged(stack, results)  # model-2 and model-3, missing from the one page, are not dropped
    assert logged(emulator) == [*BY_GET[:2], LISTS[1], *BY_GET[2:]]


def test_listed_summaries_are_never_read_as_the_objects(
    stack: Stack, emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The spec says a list is a bare array, not that its items are whole: an item without the fields a
    GET has (here: no warehouse block, no query, no pipeline settings) would read as drift, and a
    connection without its block would be replaced by the next up. Each object is read by GET instead."""
    use_transport(monkeypatch, ListRewriter(summaries))
    results = refresh(stack)
    assert_unchanged(stack, results)
    gets = [("GET", f"{c}/{object_id}", 200) for object_id, r in stack.items() for c in [r.collection]]
    assert logged(emulator) == [TOKEN, LISTS[0], gets[0], LISTS[1], *gets[1:4], LISTS[2], *gets[4:]]


@failing_lists
def test_a_failing_list_falls_back_to_one_get_per_object(
    stack: Stack, emulator: EmulatorHandle, status: int, attempts: int
) -> None:
    fail_lists_of(emulator, wire.DATA_MODELS, status)
    results = refresh(stack)
    assert_unchanged(stack, results)
    # The failed listing is not taken again by the other reads of the collection.
    assert logged(emulator) == [*BY_GET[:2], *[("GET", wire.DATA_MODELS, status)] * attempts, *BY_GET[2:]]


# --- (5) drift --------------------------------------------------------------------------------------


def test_drift_is_seen_exactly(stack: Stack, emulator: EmulatorHandle) -> None:
    emulator.control.edit_object(emulator.workspace_id, wire.DATA_MODELS, "model-2", {wire.NAME: "Renamed in the UI"})
    emulator.control.edit_object(emulator.workspace_id, wire.PIPELINES, "pipe-1", {wire.STATE: "active"})
    emulator.control.clear_log()
    results = refresh(stack)
    assert_unchanged(stack, results, except_ids=("model-2", "pipe-1"))
    model, pipe = stack["model-2"], stack["pipe-1"]
    assert results["model-2"].inputs == {**model.inputs, "name": "Renamed in the UI"}
    assert results["pipe-1"].inputs == {**pipe.inputs, "paused": False}
    for resource in (model, pipe):
        diff = resource.provider.diff(resource.id, results[resource.id].outs or {}, engine_props(resource.inputs))
        assert diff.changes is True
    assert logged(emulator) == [TOKEN, *LISTS]


# --- (6) one object of a kind costs what it did ---------------------------------------------------


def test_a_single_object_costs_one_request_as_before(stack: Stack, emulator: EmulatorHandle) -> None:
    connection = stack["warehouse"]
    assert connection.provider.read(connection.id, connection.state()).outs == connection.created.outs
    assert logged(emulator) == [TOKEN, LISTS[0]]  # was the GET of the object


def test_a_single_deleted_object_costs_two_requests_as_before(stack: Stack, emulator: EmulatorHandle) -> None:
    emulator.control.delete_object(emulator.workspace_id, wire.CONNECTIONS, "warehouse")
    emulator.control.clear_log()
    connection = stack["warehouse"]
    assert connection.provider.read(connection.id, connection.state()).id == ""
    # Was its GET (404) and a listing to prove it; now the listing and the GET.
    assert logged(emulator) == [TOKEN, LISTS[0], ("GET", f"{wire.CONNECTIONS}/warehouse", 404)]


# --- a listing never hides a write of this process ------------------------------------------------


def test_a_read_after_a_write_of_the_collection_lists_again_and_sees_the_write(
    stack: Stack, emulator: EmulatorHandle
) -> None:
    """``up --refresh``: the refresh reads, then the update writes; a later read must not be served the old listing."""
    model_1, model_2 = stack["model-1"], stack["model-2"]
    model_1.provider.read(model_1.id, model_1.state())
    renamed = {**model_2.inputs, "name": "Renamed by the program"}
    model_2.provider.update(model_2.id, model_2.created.outs or {}, engine_props(renamed))
    read = model_2.provider.read(model_2.id, model_2.state())
    assert (read.inputs or {})["name"] == "Renamed by the program"
    assert logged(emulator) == [
        TOKEN, LISTS[1], ("PUT", f"{wire.DATA_MODELS}/model-2", 200), LISTS[1]
    ]


def test_a_write_of_another_collection_keeps_the_listing(stack: Stack, emulator: EmulatorHandle) -> None:
    model_1, model_2, pipe = stack["model-1"], stack["model-2"], stack["pipe-1"]
    model_1.provider.read(model_1.id, model_1.state())
    pipe.provider.update(pipe.id, pipe.created.outs or {}, engine_props({**pipe.inputs, "name": "Renamed"}))
    model_2.provider.read(model_2.id, model_2.state())
    assert logged(emulator) == [TOKEN, LISTS[1], ("PUT", f"{wire.PIPELINES}/pipe-1", 200)]
