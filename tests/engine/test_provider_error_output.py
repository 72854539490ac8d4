"""A failed provider operation, as the CLI prints it: one short traceback ending in the sentence that matters.

The dynamic-provider host sends the engine ``traceback.format_exc()``; our errors used to be
raised ``from`` the client's, so each failure printed two chained tracebacks (38 lines for a
taken id) before the message. The CLI still starts the resource's progress line with the
traceback's first line; the Diagnostics section holds the whole report, once per resource.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from pulumi import automation as auto

import pulumi_mparticle_wsync as mp
from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .conftest import StackFactory

SQL = "SELECT email FROM db.s.users"
MAX_REPORT_LINES = 12
"""``error: Traceback ...``, the host's two frames and ours (file, code, carets), the error."""


def diagnostics_of(output: str, resource: str) -> str:
    """The Diagnostics entry of one resource (``  <type> (<name>):`` up to the next entry)."""
    section = output.split("\nDiagnostics:\n", 1)[1]
    entry = re.search(rf"^  \S+ \({re.escape(resource)}\):\n(.*?)(?=^  \S|^\S|\Z)", section, re.M | re.S)
    assert entry is not None, section
    return entry.group(1).rstrip()


def assert_one_short_traceback(entry: str, error: str, fragment: str) -> None:
    lines = entry.splitlines()
    assert lines[0].strip() == "error: Traceback (most recent call last):", entry
    assert entry.count("Traceback") == 1, entry
    assert "direct cause" not in entry and "During handling" not in entry, entry
    assert len(lines) <= MAX_REPORT_LINES, entry
    last = lines[-1].strip()
    assert last.startswith(f"pulumi_mparticle_wsync.resources.errors.{error}: "), entry
    assert fragment in last, entry


@dataclass(frozen=True)
class Failure:
    name: str
    error: str
    fragment: str
    operation: Callable[[StackFactory, EmulatorHandle], str]


def _taken_id(make_stack: StackFactory, emulator: EmulatorHandle) -> str:
    emulator.control.seed_object(emulator.workspace_id, wire.DATA_MODELS, {
        "id": "taken", "name": "Made in the UI", "type": "sql", "config": {"sql_query": SQL}})

    def program() -> None:
        mp.DataModel("users", name="Users", resource_id="taken", sql_query=SQL)

    with pytest.raises(auto.CommandError) as failed:
        make_stack(program).up()
    return str(failed.value)


def _refused_delete(make_stack: StackFactory, emulator: EmulatorHandle) -> str:
    def program() -> None:
        mp.DataModel("users", name="Users", resource_id="users", sql_query=SQL)

    stack = make_stack(program)
    stack.up()
    emulator.control.seed_object(emulator.workspace_id, wire.CONNECTIONS, {
        "id": "wh", "name": "UI", "service_provider": "databricks",
        "config": {"provider": "share", "catalog": "main", "schema": "crm"}})
    emulator.control.seed_object(emulator.workspace_id, wire.PIPELINES, {
        "id": "ui-pipeline", "name": "UI", "pipeline_type": "user_attributes", "connection_id": "wh",
        "data_model_id": "users", "partner_feed_id": 7, "state": "paused", "sync_mode": {"type": "full"},
        "schedule": {"type": "on_demand", "start": "2026-01-01T00:00:00Z"}, "environment": "development"})
    with pytest.raises(auto.CommandError) as failed:
        stack.destroy()
    return str(failed.value)


FAILURES = [
    Failure("taken id", "DuplicateIdError", "already exists", _taken_id),
    Failure("refused delete", "DeleteRefusedError", "ui-pipeline", _refused_delete),
]


@pytest.mark.engine
@pytest.mark.parametrize("failure", FAILURES, ids=lambda f: f.name)
def test_a_provider_error_prints_one_short_traceback(
    failure: Failure, make_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    output = failure.operation(make_stack, emulator)
    assert "direct cause" not in output and "During handling" not in output
    assert_one_short_traceback(diagnostics_of(output, "users"), failure.error, failure.fragment)
