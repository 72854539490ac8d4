"""Once reads of two kinds have started, the other kinds are listed ahead, before their own reads.

The engine hands the provider at most 4 reads at a time in the order of the state, so the reads of a
kind that comes late (pipelines) used to start their list only after the earlier kinds' reads were
served. The stack is ``listing_support.build_stack``: a connection, three data models and two
pipelines, no transformation. The lists listed ahead run in threads of their own, so the log is
compared without its order where they may interleave.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.resources._listings import LIST_AHEAD_THREAD

from .conftest import Providers
from .listing_support import (
    LISTS,
    MODELS,
    PIPELINES,
    TOKEN,
    Stack,
    assert_unchanged,
    build_stack,
    fail_lists_of,
    failing_lists,
    logged,
    new_operation,
    refresh,
    served,
)

TRANSFORMATIONS_LIST = ("GET", wire.FIELD_TRANSFORMATIONS, 200)


@pytest.fixture
def stack(providers: Providers, emulator: EmulatorHandle) -> Stack:
    return build_stack(providers, emulator)


def join_lists_ahead() -> None:
    """Wait for the threads listing ahead: once they are done, their requests are in the log."""
    for thread in threading.enumerate():
        if thread.name.startswith(LIST_AHEAD_THREAD):
            thread.join(timeout=30)
            assert not thread.is_alive(), thread.name


def test_a_refresh_of_several_kinds_lists_every_kind_once(stack: Stack, emulator: EmulatorHandle) -> None:
    before = served(emulator)
    results = refresh(stack)
    assert_unchanged(stack, results)
    join_lists_ahead()
    # Transformations too: the stack has none, and that list is the price of listing ahead.
    assert Counter(logged(emulator)) == Counter([TOKEN, *LISTS, TRANSFORMATIONS_LIST])
    assert served(emulator) == before


def test_the_pipelines_are_listed_before_any_pipeline_is_read(stack: Stack, emulator: EmulatorHandle) -> None:
    connection, model = stack["warehouse"], stack[MODELS[0]]
    connection.provider.read(connection.id, connection.state())
    model.provider.read(model.id, model.state())  # the second kind: the others are listed ahead
    join_lists_ahead()
    assert Counter(logged(emulator)) == Counter([TOKEN, *LISTS, TRANSFORMATIONS_LIST])

    emulator.control.clear_log()
    for object_id in PIPELINES:
        pipe = stack[object_id]
        assert pipe.provider.read(pipe.id, pipe.state()).outs == pipe.created.outs
    assert logged(emulator) == []  # served by the listing taken ahead


def test_reads_of_one_kind_list_nothing_else(stack: Stack, emulator: EmulatorHandle) -> None:
    for object_id in MODELS:
        model = stack[object_id]
        assert model.provider.read(model.id, model.state()).outs == model.created.outs
    join_lists_ahead()
    assert logged(emulator) == [TOKEN, LISTS[1]]


def test_kinds_are_listed_ahead_once_per_process(stack: Stack, emulator: EmulatorHandle) -> None:
    refresh(stack)
    join_lists_ahead()
    emulator.control.clear_log()
    refresh(stack)  # the same process, within the listings' max age: nothing is listed again
    join_lists_ahead()
    assert logged(emulator) == []


@failing_lists
def test_a_pipelines_list_that_fails_ahead_leaves_each_pipeline_to_its_get(
    stack: Stack, emulator: EmulatorHandle, status: int, attempts: int
) -> None:
    fail_lists_of(emulator, wire.PIPELINES, status)
    results = refresh(stack)
    assert_unchanged(stack, results)
    join_lists_ahead()
    pipeline_gets = [("GET", f"{wire.PIPELINES}/{object_id}", 200) for object_id in PIPELINES]
    assert Counter(logged(emulator)) == Counter(
        [TOKEN, LISTS[0], LISTS[1], TRANSFORMATIONS_LIST, *[("GET", wire.PIPELINES, status)] * attempts, *pipeline_gets]
    )


def test_a_new_operation_lists_ahead_again(stack: Stack, emulator: EmulatorHandle) -> None:
    refresh(stack)
    join_lists_ahead()
    new_operation(emulator)
    refresh(stack)
    join_lists_ahead()
    assert Counter(logged(emulator)) == Counter([TOKEN, *LISTS, TRANSFORMATIONS_LIST])
