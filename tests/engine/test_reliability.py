"""Reliability under the real engine: faults never corrupt state, and token expiry is invisible.

A 40-resource stack (10 pipelines, each with its own connection, data model and field
transformation, over two workspaces so that each stays within the 5-active-pipelines rule)
comes up while the emulator injects seeded faults: 20% 5xx, 429 bursts with ``Retry-After``,
latency spikes, dropped connections (reads dropped unanswered, creates dropped after being
applied) and "write applied, then 500". ``pulumi up`` is repeated until it succeeds; then the
workspaces hold exactly the declared objects, the state's ids are the server's, a refresh and
a preview see no change, and the request log proves that no create was ever repeated for an id
the server already had.

The seeds fix each fault's sequence of dice; which request meets which roll still depends on
how the engine interleaves its parallel operations, so the test asserts only what must hold
for every interleaving.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from pulumi import automation as auto

import pulumi_mparticle_wsync as mp
from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.control import EmulatorControl, RequestRecord
from pulumi_mparticle_wsync.emulator.paths import TOKEN_COLLECTION
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .conftest import StackFactory
from .harness import EngineStack, Run

SECOND_WORKSPACE = "2002"
PIPELINES_PER_WORKSPACE = 5  # the API's limit of active pipelines per workspace: every one is active
MAX_UPS = 5
KIND_OF_COLLECTION = {
    wire.CONNECTIONS: "Connection",
    wire.DATA_MODELS: "DataModel",
    wire.FIELD_TRANSFORMATIONS: "FieldTransformation",
    wire.PIPELINES: "Pipeline",
}
# Log entries of writes the server applied although the answer said otherwise.
APPLYING_FAULTS = frozenset({"apply_then_error", "drop"})  # every POST drop below is after_apply
NOT_APPLYING_FAULTS = frozenset({"error", "rate_limit"})


def _warehouse(index: int) -> dict[str, Any]:
    """One of the four warehouse blocks, so that every kind of connection meets the faults."""
    kind = ("snowflake", "bigquery", "redshift", "databricks")[index % 4]
    if kind == "snowflake":
        return {"snowflake": mp.SnowflakeConfigArgs(
            account_identifier="acme", region="us-central1.gcp", warehouse=f"WH_{index}", database="DB",
            role="SYNC", user="SYNC_USER", password=f"reliability-password-{index}",
            storage_integration="mp_us1_1_2_s3")}
    if kind == "bigquery":
        return {"bigquery": mp.BigQueryConfigArgs(
            region="us-east4", project_id="acme", dataset_id=f"crm_{index}", service_account_id="sa@acme.iam",
            service_account_key=f'{{"type": "service_account", "private_key": "reliability-key-{index}"}}')}
    if kind == "redshift":
        return {"redshift": mp.RedshiftConfigArgs(
            host=f"cluster-{index}.example.com", database="events", user="mparticle",
            password=f"reliability-password-{index}", aws_iam_role_arn="arn:aws:iam::123456789012:role/mp")}
    return {"databricks": mp.DatabricksConfigArgs(provider="acme-share", catalog="main", schema=f"crm_{index}")}


def _sync_unit(index: int) -> None:
    """A pipeline with its own connection, data model and field transformation."""
    # Even units live in the provider's configured workspace, odd ones name a second workspace.
    workspace = None if index % 2 == 0 else SECOND_WORKSPACE
    connection = mp.Connection(f"conn-{index}", name=f"Warehouse {index}", workspace_id=workspace,
                               **_warehouse(index))
    model = mp.DataModel(f"model-{index}", name=f"Orders {index}", workspace_id=workspace,
                         sql_query=f"SELECT order_id, email, amount, updated_at FROM db.s.orders_{index}")
    transformation = mp.FieldTransformation(
        f"ft-{index}", name=f"Orders {index} as events", workspace_id=workspace,
        mappings=[
            mp.FieldMappingArgs(mapping_type="column", source="order_id", destination="events[].data.event_id"),
            mp.FieldMappingArgs(mapping_type="static", value="purchase", destination="events[].data.event_name"),
            mp.FieldMappingArgs(mapping_type="ignore", source="amount"),
        ])
    pipeline_type = "events" if index % 3 else "user_attributes"
    mp.Pipeline(
        f"pipe-{index}", name=f"Orders {index}", workspace_id=workspace, pipeline_type=pipeline_type,
        connection_id=connection.id, data_model_id=model.id, field_transformation_id=transformation.id,
        partner_feed_key=f"reliability-feed-key-{index}",
        sync_mode=mp.SyncModeArgs(type="incremental", iterator_field="updated_at", iterator_data_type="timestamp"),
        schedule=mp.ScheduleArgs(type="interval", frequency="hourly", start="2026-01-01T00:15:00Z"),
        environment="development",
    )


def _program(units: int) -> Callable[[], None]:
    def program() -> None:
        for index in range(units):
            _sync_unit(index)

    return program


# --- what the server and the state hold ------------------------------------------------------


@dataclass(frozen=True, order=True)
class ObjectRef:
    workspace_id: str
    collection: str
    object_id: str


def _server_objects(emulator: EmulatorHandle) -> set[ObjectRef]:
    return {
        ObjectRef(ws, collection, served["id"])
        for ws in (emulator.workspace_id, SECOND_WORKSPACE)
        for collection in wire.COLLECTIONS
        for served in emulator.control.list_objects(ws, collection)
    }


def _state_objects(stack: EngineStack) -> set[ObjectRef]:
    found: set[ObjectRef] = set()
    for resource in stack.resources():
        kind = resource["type"].rsplit(":", 1)[-1]
        collection = next((c for c, k in KIND_OF_COLLECTION.items() if k == kind), None)
        if collection is None:
            continue  # the stack and the provider resource
        found.add(ObjectRef(str(resource["outputs"]["workspace_id"]), collection, resource["id"]))
    return found


def _changes(run: Run) -> dict[str, int]:
    summary: dict[str, int] = run.result.summary.resource_changes
    return {op: n for op, n in summary.items() if op != "same"}


def _up_until_it_succeeds(stack: EngineStack) -> list[str]:
    """Run ``up`` until it succeeds (at most ``MAX_UPS`` times); the outputs of the failed runs."""
    failures: list[str] = []
    for _ in range(MAX_UPS):
        try:
            stack.up()
        except auto.CommandError as exc:
            failures.append(str(exc))
            continue
        return failures
    pytest.fail(f"up failed {MAX_UPS} times under faults; last failure:\n{failures[-1][-4000:]}")


def _applied(record: RequestRecord) -> bool:
    """Whether the server applied this create (whatever the client was told)."""
    if record.fault is None:
        return 200 <= record.status < 300
    return record.fault in APPLYING_FAULTS


def _repeated_creates(records: list[RequestRecord]) -> dict[tuple[str, str, str], list[str]]:
    """Per (workspace, collection, id): the creates that came after one the server had applied.

    Every POST is listed with its outcome; an id is fine when the POSTs before its one applied
    create were all refused before being applied, and none came after it. (An id whose POSTs
    were all refused belongs to a failed ``up``; the next one chose a new id.)
    """
    by_id: dict[tuple[str, str, str], list[RequestRecord]] = defaultdict(list)
    for record in records:
        if record.method == "POST" and record.body_id is not None:
            by_id[(str(record.workspace_id), str(record.collection), record.body_id)].append(record)
    repeated: dict[tuple[str, str, str], list[str]] = {}
    for key, posts in by_id.items():
        applied_at = [i for i, post in enumerate(posts) if _applied(post)]
        before_applied = posts[: applied_at[0]] if applied_at else posts
        refused_first = all(post.fault in NOT_APPLYING_FAULTS for post in before_applied)
        if len(applied_at) > 1 or (applied_at and applied_at[0] != len(posts) - 1) or not refused_first:
            repeated[key] = [f"{post.status} {post.fault or ''}".strip() for post in posts]
    return repeated


def _add_seeded_faults(control: EmulatorControl) -> None:
    """The fault mix of the issue. Seeds make each fault's dice reproducible.

    Order matters: of the non-latency faults matching a request, the first that fires decides.
    """
    # A burst of 429s when the pipelines are created (they come last: they depend on the rest) ...
    control.add_fault("rate_limit", method="POST", path_regex=f"/{wire.PIPELINES}$", count=4, retry_after=1)
    # ... and scattered ones everywhere.
    control.add_fault("rate_limit", rate=0.05, retry_after=1, seed=11)
    control.add_fault("latency", rate=0.1, latency_ms=300, latency_jitter_ms=700, seed=12)
    control.add_fault("error", rate=0.2, status=503, seed=13)  # 20% 5xx on every call, token calls too
    control.add_fault("apply_then_error", method="POST", rate=0.1, status=500, seed=14)
    control.add_fault("drop", method="POST", rate=0.05, after_apply=True, seed=15)
    control.add_fault("drop", method="GET", rate=0.05, seed=16)


@pytest.mark.engine
def test_forty_resources_come_up_whole_under_faults(make_stack: StackFactory, emulator: EmulatorHandle) -> None:
    units = 2 * PIPELINES_PER_WORKSPACE
    stack = make_stack(_program(units))
    _add_seeded_faults(emulator.control)

    failed_runs = _up_until_it_succeeds(stack)

    log = emulator.control.requests()
    injected = {record.fault for record in log} - {None}
    assert injected >= {"rate_limit", "error", "apply_then_error", "drop"}, injected
    emulator.control.clear_faults()

    # Exactly the declared objects: 10 of each kind, 5 per workspace, no duplicates, no orphans.
    served = _server_objects(emulator)
    for ws in (emulator.workspace_id, SECOND_WORKSPACE):
        for collection in wire.COLLECTIONS:
            held = [ref for ref in served if ref.workspace_id == ws and ref.collection == collection]
            assert len(held) == PIPELINES_PER_WORKSPACE, (ws, collection, sorted(held), failed_runs)
    # The state's ids are the server's ids.
    assert _state_objects(stack) == served
    active = [p for ws in (emulator.workspace_id, SECOND_WORKSPACE)
              for p in emulator.control.list_objects(ws, wire.PIPELINES) if p["state"] == "active"]
    assert len(active) == units

    # No create was repeated for an id the server already had, and none reported a conflict.
    assert _repeated_creates(log) == {}
    assert not [r for r in log if r.method == "POST" and r.status == 409]
    creates = {(str(r.workspace_id), str(r.collection), r.body_id) for r in log if r.body_id is not None}
    assert {(ref.workspace_id, ref.collection, ref.object_id) for ref in served} <= creates

    # With the faults gone: refresh finds nothing to change, and neither does a preview.
    emulator.control.clear_log()
    refresh = stack.refresh()
    assert _changes(refresh) == {}, refresh.output
    preview = stack.preview()
    assert set(preview.result.change_summary) == {"same"}, preview.output
    assert not [r for r in emulator.control.requests()
                if r.method in ("POST", "PUT", "DELETE") and r.collection != TOKEN_COLLECTION]


@dataclass(frozen=True)
class AppliedButFailed:
    """A create the server applied whose call still ended in an error."""

    name: str
    settings: dict[str, str]
    faults: list[dict[str, Any]]


APPLIED_BUT_FAILED = [
    # The only attempt allowed is applied and answered 500.
    AppliedButFailed("500 on the last attempt", {"mparticle:maxAttempts": "1"},
                     [{"kind": "apply_then_error", "method": "POST", "count": 1}]),
    # Applied and answered 500; the look that follows is rate limited beyond the wait budget.
    AppliedButFailed("429 beyond the wait budget", {},
                     [{"kind": "apply_then_error", "method": "POST", "count": 1},
                      {"kind": "rate_limit", "method": "GET", "count": 1, "retry_after": 30}]),
]


@pytest.mark.engine
@pytest.mark.parametrize("case", APPLIED_BUT_FAILED, ids=lambda c: c.name)
def test_a_create_applied_but_failed_is_recorded_not_orphaned(
    case: AppliedButFailed, make_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    """The provider looks once more before it gives up, finds its object, and records it."""

    def program() -> None:
        mp.DataModel("users", name="Users", sql_query="SELECT email, plan FROM db.s.users")

    stack = make_stack(program, config=case.settings)
    for fault in case.faults:
        emulator.control.add_fault(path_regex=f"/{wire.DATA_MODELS}", **fault)
    up = stack.up()
    assert up.result.summary.result == "succeeded"
    assert all(fault["fired"] == fault["count"] for fault in emulator.control.faults())
    served = _server_objects(emulator)
    assert len(served) == 1
    assert _state_objects(stack) == served
    assert emulator.control.count("POST", wire.DATA_MODELS) == 1
    emulator.control.clear_log()
    assert _changes(stack.up()) == {}
    assert emulator.control.count("POST", wire.DATA_MODELS) == 0


# --- token expiry in the middle of an up ----------------------------------------------------


def _token_calls(log: list[RequestRecord]) -> list[RequestRecord]:
    return [r for r in log if r.collection == TOKEN_COLLECTION]


def _refused_and_never_repeated(log: list[RequestRecord]) -> list[RequestRecord]:
    """Calls answered 401 that no later call of the same method and path (and body id) made good."""
    return [
        refused for index, refused in enumerate(log) if refused.status == 401
        and not any(
            (later.method, later.path, later.body_id) == (refused.method, refused.path, refused.body_id)
            and 200 <= later.status < 300
            for later in log[index + 1:]
        )
    ]


@contextmanager
def _expiring_tokens(control: EmulatorControl, every: float) -> Iterator[list[int]]:
    """Expire every issued token ``every`` seconds after the latest mint, until the block ends;
    yields the expiries so far.

    Waiting for a new mint between expiries keeps the test realistic: a real token lives
    hours, so no single call can see its renewed token expire too.
    """
    expiries: list[int] = []
    stop = threading.Event()

    def mints() -> int:
        return len(_token_calls(control.requests()))

    def expire() -> None:
        seen = 0
        while not stop.is_set():
            while mints() <= seen:
                if stop.wait(0.05):
                    return
            seen = mints()
            if stop.wait(every):
                return
            control.expire_tokens()
            expiries.append(seen)

    worker = threading.Thread(target=expire, daemon=True)
    worker.start()
    try:
        yield expiries
    finally:
        stop.set()
        worker.join()


@pytest.mark.engine
def test_tokens_expired_during_up_are_renewed_invisibly(make_stack: StackFactory, emulator: EmulatorHandle) -> None:
    units = 5
    stack = make_stack(_program(units))
    # Slow every API call down so that the up spans several expiries.
    emulator.control.add_fault("latency", path_regex="^/platform/", latency_ms=300)
    # A separate control client: httpx clients are not shared across threads here.
    with EmulatorControl(emulator.url) as control, _expiring_tokens(control, 0.8) as expiries:
        up = stack.up()
    assert up.result.summary.result == "succeeded"
    assert len(expiries) >= 2, "the up ended before tokens could expire: make it slower"

    log = emulator.control.requests()
    assert [r for r in log if r.status == 401], "no call met an expired token"
    # One mint at the start, then one after each expiry that a later call ran into.
    assert len(_token_calls(log)) >= len(expiries), "the token was not re-minted"
    # Every refused call was repeated with a fresh token: nothing failed, everything exists.
    assert _refused_and_never_repeated(log) == []
    assert len(_server_objects(emulator)) == 4 * units
    assert "401" not in up.output and "expired" not in up.output.lower()
    emulator.control.clear_faults()
    assert set(stack.preview().result.change_summary) == {"same"}


@pytest.mark.engine
def test_short_lived_tokens_are_renewed_during_up(make_stack: StackFactory, emulator: EmulatorHandle) -> None:
    # One-second tokens and half-second calls: the up outlives many tokens.
    emulator.control.set_switches(token_lifetime_seconds=1)
    emulator.control.add_fault("latency", path_regex="^/platform/", latency_ms=500)
    units = 5
    stack = make_stack(_program(units))
    up = stack.up()
    assert up.result.summary.result == "succeeded"
    log = emulator.control.requests()
    assert len(_token_calls(log)) >= 2, "a one-second token outlived a multi-second up"
    assert len(_server_objects(emulator)) == 4 * units
    # A call may meet its token's expiry in flight (401); it is repeated with a new one, never failed.
    assert [r for r in log if r.status >= 400 and r.status != 401] == []
    assert _refused_and_never_repeated(log) == []
    assert "401" not in up.output
