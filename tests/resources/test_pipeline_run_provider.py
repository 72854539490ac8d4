"""``PipelineRunProvider`` called as the engine calls it: check, diff, create, update, read, delete.

The engine tests (tests/engine/test_pipeline_run.py) cover the same behaviour end to end; these pin
the exact messages, the diff's decisions and the request counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import clear_client_cache
from pulumi_mparticle_wsync.client._routes import forget_learned_routes
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.models import UNKNOWN
from pulumi_mparticle_wsync.resources import OperationError, PipelineRunProvider
from pulumi_mparticle_wsync.resources._stack_objects import STACK_OBJECTS
from pulumi_mparticle_wsync.resources.errors import InvalidArgumentsError

from .conftest import stack_config
from .helpers import engine_props

PIPELINE = "od-pipe"
FAST = {"triggered": 0.05, "queued": 0.05, "running": 0.1}


class FakeTime:
    """The provider's clock and sleep: a sleep moves the clock and the emulator's clock alike."""

    def __init__(self, emulator: EmulatorHandle) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self._emulator = emulator

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        self._emulator.control.advance_clock(seconds)


def _seed(emulator: EmulatorHandle, schedule: dict[str, Any] | None = None) -> None:
    ws, control = emulator.workspace_id, emulator.control
    control.seed_object(ws, wire.CONNECTIONS, {
        "id": "wh", "name": "Warehouse", "service_provider": "snowflake",
        "config": {"account_identifier": "acme", "region": "us-central1.gcp", "warehouse": "WH", "database": "DB",
                   "role": "SYNC", "user": "SYNC_USER", "password": "p", "storage_integration": "mp_us1_1_2_s3"}})
    control.seed_object(ws, wire.DATA_MODELS, {"id": "users", "name": "Users", "type": "sql",
                                               "config": {"sql_query": "SELECT email FROM db.s.users"}})
    control.seed_object(ws, wire.PIPELINES, {
        "id": PIPELINE, "name": "On demand", "pipeline_type": "user_attributes", "connection_id": "wh",
        "data_model_id": "users", "partner_feed_id": 4242, "state": "active", "environment": "development",
        "sync_mode": {"type": "full"},
        "schedule": schedule or {"type": "on_demand", "start": "2026-01-01T00:00:00Z"}})


@pytest.fixture
def provider(emulator: EmulatorHandle) -> Iterator[PipelineRunProvider]:
    clear_client_cache()
    forget_learned_routes()
    STACK_OBJECTS.clear()
    emulator.control.set_run_durations(**FAST)
    found = PipelineRunProvider()
    found.configure(ConfigureRequest(Config(stack_config(emulator), "test-project")))
    yield found
    STACK_OBJECTS.clear()
    clear_client_cache()


@pytest.fixture
def fake_time(provider: PipelineRunProvider, emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    time = FakeTime(emulator)
    monkeypatch.setattr(provider, "clock", time.clock)
    monkeypatch.setattr(provider, "sleep", time.sleep)
    return time


def _inputs(**changes: Any) -> dict[str, Any]:
    inputs: dict[str, Any] = {"pipeline_id": PIPELINE, "triggers": ["2026-12-01"], "__pulumi_name": "backfill"}
    inputs.update(changes)
    return {key: value for key, value in inputs.items() if value is not None}


def outs(result: Any) -> dict[str, Any]:
    """A create/update/read result's outputs (the SDK types them optional)."""
    found: dict[str, Any] | None = result.outs
    assert found is not None
    return found


def _triggers(emulator: EmulatorHandle) -> int:
    return sum(1 for r in emulator.control.requests() if r.method == "POST" and r.object_id == PIPELINE)


# --- check ------------------------------------------------------------------------------------


def test_check_names_each_bad_argument(provider: PipelineRunProvider) -> None:
    result = provider.check({}, engine_props({"pipeline_id": "no spaces allowed", "triggers": "x", "wait": "yes",
                                              "timeout_minutes": 0, "workspace_id": "ws-1"}))
    assert [(f.property, f.reason) for f in result.failures] == [
        ("pipeline_id", "must be a pipeline id (1-64 letters, digits, - and _): pass pipeline.id"),
        ("triggers", 'must be a list of values, e.g. [model.sql_query, "2026-12-01"]'),
        ("wait", "must be True or False"),
        ("timeout_minutes", "must be a number of minutes above 0 and at most 10080"),
        ("workspace_id", "must be the numeric workspace id"),
    ]
    missing = provider.check({}, engine_props({}))
    assert [(f.property, f.reason) for f in missing.failures] == [
        ("pipeline_id", "is required: pass the id of an on-demand Pipeline (pipeline.id)")]


def test_check_passes_unknowns_and_adds_nothing(provider: PipelineRunProvider) -> None:
    news = _inputs(pipeline_id=UNKNOWN, triggers=UNKNOWN, wait=True, timeout_minutes=0.5)
    result = provider.check({}, engine_props(news))
    assert result.failures == [] and result.inputs == news


def test_check_refuses_a_pipeline_the_stack_declares_with_a_schedule(
    provider: PipelineRunProvider, emulator: EmulatorHandle
) -> None:
    STACK_OBJECTS.note_schedule_type(emulator.workspace_id, PIPELINE, "interval")
    result = provider.check({}, engine_props(_inputs()))
    assert [(f.property, f.reason) for f in result.failures] == [(
        "pipeline_id",
        f"pipeline '{PIPELINE}' in workspace {emulator.workspace_id} has schedule type 'interval', and only "
        "on-demand pipelines can be triggered: give the Pipeline schedule=ScheduleArgs(type=\"on_demand\", "
        "start=...), or remove this PipelineRun (a pipeline with a schedule runs by itself)",
    )]
    STACK_OBJECTS.note_schedule_type(emulator.workspace_id, PIPELINE, "on_demand")
    assert provider.check({}, engine_props(_inputs())).failures == []


# --- diff -------------------------------------------------------------------------------------

OLDS = {**_inputs(), "run_id": 7, "state": "success", "wait_timed_out": False, "workspace_id": "1001"}


@pytest.mark.parametrize(
    ("olds", "news", "changes", "replaces"),
    [
        (OLDS, _inputs(), False, []),
        (OLDS, _inputs(triggers=["2026-12-02"]), True, ["triggers"]),
        (OLDS, _inputs(triggers=UNKNOWN), True, ["triggers"]),
        (OLDS, _inputs(pipeline_id="other"), True, ["pipeline_id"]),
        (OLDS, _inputs(workspace_id="2002"), True, ["workspace_id"]),
        (OLDS, _inputs(wait=True), True, []),
        (OLDS, _inputs(timeout_minutes=60), False, []),  # the default, written out
        (OLDS, _inputs(timeout_minutes=5), True, []),
        ({**OLDS, "wait": True, "wait_timed_out": True}, _inputs(wait=True), True, []),
        ({**OLDS, "wait_timed_out": True}, _inputs(), False, []),  # no longer waiting: nothing to do
        ({**OLDS, "wait": True, "state": "failed"}, _inputs(wait=True), True, ["state"]),
        ({**OLDS, "state": "failed"}, _inputs(), False, []),  # without wait a failed run is left alone
    ],
    ids=["same", "triggers", "unknown-triggers", "pipeline", "workspace", "wait", "default-timeout", "timeout",
         "timed-out-waits-again", "timed-out-no-wait", "failed-runs-again", "failed-no-wait"],
)
def test_diff(
    provider: PipelineRunProvider, olds: dict[str, Any], news: dict[str, Any], changes: bool, replaces: list[str]
) -> None:
    result = provider.diff(f"{PIPELINE}/7", olds, engine_props(news))
    assert (result.changes, result.replaces, result.delete_before_replace) == (changes, replaces, False)


# --- create, update, read, delete --------------------------------------------------------------


def test_create_with_wait_triggers_once_and_records_the_ended_run(
    provider: PipelineRunProvider, emulator: EmulatorHandle, fake_time: FakeTime
) -> None:
    _seed(emulator)
    emulator.control.set_data_model_rows(emulator.workspace_id, "users", 321)
    created = provider.create(engine_props(_inputs(wait=True)))
    assert created.id == f"{PIPELINE}/1"
    served = outs(created)
    assert {k: served[k] for k in ("run_id", "state", "pipeline_run_type", "records_extracted", "records_mapped",
                                 "event_batches_generated", "errors", "wait_timed_out", "workspace_id")} == {
        "run_id": 1, "state": "success", "pipeline_run_type": "manual", "records_extracted": 321,
        "records_mapped": 321, "event_batches_generated": 0, "errors": [], "wait_timed_out": False,
        "workspace_id": emulator.workspace_id,
    }
    assert _triggers(emulator) == 1
    assert fake_time.sleeps == [1.0]


def test_create_without_wait_refuses_a_busy_pipeline_and_triggers_nothing(
    provider: PipelineRunProvider, emulator: EmulatorHandle, fake_time: FakeTime
) -> None:
    _seed(emulator)
    first = provider.create(engine_props(_inputs()))
    assert outs(first)["state"] in {"triggered", "queued"}
    with pytest.raises(OperationError) as refused:
        provider.create(engine_props(_inputs(triggers=["again"])))
    assert str(refused.value) == (
        f"pipeline '{PIPELINE}' in workspace {emulator.workspace_id} is busy with run 1 "
        f"({outs(first)['state']}), so this PipelineRun started no run (mParticle runs one at a time). Set wait=True "
        "to wait for it to end and then start one, or run `pulumi up` again once it has ended "
        f"(`mparticle-wsync runs watch {PIPELINE} 1` follows it)"
    )
    assert _triggers(emulator) == 1


def test_create_refuses_a_pipeline_with_a_schedule_before_any_trigger(
    provider: PipelineRunProvider, emulator: EmulatorHandle
) -> None:
    _seed(emulator, {"type": "interval", "frequency": "daily", "start": "2026-01-01T00:00:00Z"})
    with pytest.raises(InvalidArgumentsError, match="has schedule type 'interval', and only on-demand pipelines"):
        provider.create(engine_props(_inputs()))
    with pytest.raises(InvalidArgumentsError) as missing:
        provider.create(engine_props(_inputs(pipeline_id="nope")))
    assert str(missing.value) == (
        f"pipeline_id: there is no pipeline 'nope' in workspace {emulator.workspace_id}: pass the id of an existing "
        "Pipeline (pipeline.id), in the workspace of this PipelineRun"
    )
    assert _triggers(emulator) == 0


def test_a_timed_out_wait_is_recorded_and_the_update_follows_the_same_run(
    provider: PipelineRunProvider, emulator: EmulatorHandle, fake_time: FakeTime
) -> None:
    _seed(emulator)
    emulator.control.set_run_durations(running=600.0)
    created = provider.create(engine_props(_inputs(wait=True, timeout_minutes=0.1)))  # 6 s
    assert (outs(created)["run_id"], outs(created)["state"], outs(created)["wait_timed_out"]) == (1, "running", True)
    assert sum(fake_time.sleeps) == pytest.approx(6.0)

    fake_time.sleeps.clear()
    updated = provider.update(created.id, outs(created), engine_props(_inputs(wait=True)))
    assert (outs(updated)["run_id"], outs(updated)["state"], outs(updated)["wait_timed_out"]) == (1, "success", False)
    assert _triggers(emulator) == 1


def test_read_follows_the_run_and_drops_it_only_with_its_pipeline(
    provider: PipelineRunProvider, emulator: EmulatorHandle, fake_time: FakeTime
) -> None:
    _seed(emulator)
    created = provider.create(engine_props(_inputs()))
    fake_time.sleep(5)
    read = provider.read(created.id, outs(created))
    assert (read.id, outs(read)["state"], read.inputs) == (created.id, "success", _inputs())

    emulator.control.delete_object(emulator.workspace_id, wire.PIPELINES, PIPELINE)
    gone = provider.read(created.id, outs(created))
    assert (gone.id, gone.outs) == ("", {})


def test_delete_calls_nothing(provider: PipelineRunProvider, emulator: EmulatorHandle) -> None:
    emulator.control.clear_log()
    provider.delete(f"{PIPELINE}/1", {**OLDS})
    assert emulator.control.requests() == []


def test_stack_objects_hear_each_pipelines_schedule_type(emulator: EmulatorHandle) -> None:
    """The Pipeline provider's diff tells the PipelineRun's check what it declares."""
    from pulumi_mparticle_wsync.resources import PipelineProvider

    STACK_OBJECTS.clear()
    pipeline = PipelineProvider()
    olds = {"workspace_id": "1001", "__pulumi_name": "pipe", "schedule": {"type": "on_demand", "start": "x"}}
    pipeline.diff(PIPELINE, olds, engine_props({**olds, "schedule": {"type": "once", "start": "x"}}))
    assert STACK_OBJECTS.schedule_type("1001", PIPELINE) == "once"
    assert STACK_OBJECTS.workspaces_of(wire.PIPELINES, PIPELINE) == {"1001"}
    STACK_OBJECTS.clear()


def test_a_new_pipeline_whose_runs_answer_404_for_a_while(
    provider: PipelineRunProvider, emulator: EmulatorHandle, fake_time: FakeTime
) -> None:
    """v1's tutorial: a pipeline's status answers 404 for about a minute after it is created."""
    emulator.control.set_switches(new_pipeline_status_404_seconds=30)
    _seed(emulator)
    created = provider.create(engine_props(_inputs(wait=True)))
    assert (outs(created)["run_id"], outs(created)["state"]) == (1, "success")
    assert _triggers(emulator) == 1
    assert sum(fake_time.sleeps) >= 30  # it kept asking through the 404s
