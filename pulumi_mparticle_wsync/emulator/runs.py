"""Pipeline runs (spec §7): what one run records, how it moves on the emulator's clock, how it is served.

A run is ``triggered`` for ``RunDurations.triggered`` seconds, ``queued`` for ``queued``, ``running``
for ``running``, then ``success`` or ``failed``; the durations and the outcome are fixed when the run
is created, so a stored run never changes and its state follows from the clock alone. Counts:
``null`` while triggered or queued; ``records_extracted`` is set once running, ``records_mapped``
and ``event_batches_generated`` (one per 100 rows, events pipelines only) when the run succeeds; a
failed run mapped nothing (0).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Final

from .. import wire
from ..schema import PIPELINE, Enum, value_at
from .clock import format_timestamp
from .errors import bad_request
from .schedule import DAILY, HOURLY, INTERVAL, MONTHLY, ONCE, WEEKLY, Schedule

OUTCOMES: Final = (wire.RUN_SUCCESS, wire.RUN_FAILED)
EVENTS_PER_BATCH: Final = 100
MAX_DURATION_SECONDS: Final = 30 * 86400
DEFAULT_FAILURE: Final = "the emulator was told to fail this run (control API next-run)"

# Spec §6: records per run, by schedule.
ON_DEMAND_RECORD_LIMIT: Final = 24_000_000
INTERVAL_RECORD_LIMITS: Final = {HOURLY: 1_000_000, DAILY: 24_000_000, WEEKLY: 40_000_000, MONTHLY: 40_000_000}
ONCE_RECORD_LIMIT: Final = 40_000_000

# Runs stored before durations were recorded per run moved 2 s triggered, 8 s running.
_LEGACY_DURATIONS: Final = (2.0, 0.0, 8.0)

_pipeline_types = PIPELINE.field("pipeline_type").type
assert isinstance(_pipeline_types, Enum)
EVENTS: Final = _pipeline_types.to_wire("events")


@dataclass(frozen=True)
class RunDurations:
    """Seconds a new run spends in each active state (control API ``/_emulator/run-durations``)."""

    triggered: float = 0.5
    queued: float = 0.5
    running: float = 2.0

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    def updated(self, changes: object) -> RunDurations:
        """A copy with ``changes`` applied; 400 naming each bad field."""
        if not isinstance(changes, dict):
            raise bad_request("run durations: send a JSON object such as {\"triggered\": 1, \"running\": 5} (seconds)")
        known = tuple(self.as_dict())
        problems = [
            f"{name}: unknown run state; use {', '.join(known)}" for name in sorted(set(changes) - set(known))
        ]
        for name in known:
            value = changes.get(name)
            if name in changes and (
                not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= MAX_DURATION_SECONDS
            ):
                problems.append(f"{name}: must be a number of seconds from 0 to {MAX_DURATION_SECONDS}")
        if problems:
            raise bad_request(*problems)
        return replace(self, **{name: float(changes[name]) for name in known if name in changes})

    @classmethod
    def from_stored(cls, stored: object) -> RunDurations:
        if not isinstance(stored, dict):
            return cls()
        return cls().updated({name: value for name, value in stored.items() if name in cls().as_dict()})


@dataclass(frozen=True)
class NextRun:
    """How a pipeline's next run ends (control API ``.../next-run``)."""

    outcome: str
    error: str | None

    @classmethod
    def parse(cls, body: object) -> NextRun:
        if not isinstance(body, dict):
            raise bad_request('next run: send a JSON object such as {"outcome": "failed", "error": "..."}')
        problems = [f"{name}: unknown field; use outcome, error" for name in sorted(set(body) - {"outcome", "error"})]
        outcome, error = body.get("outcome"), body.get("error")
        if outcome not in OUTCOMES:
            problems.append(f"outcome: must be one of {', '.join(OUTCOMES)}")
        if error is not None and (not isinstance(error, str) or not error.strip() or len(error) > 1000):
            problems.append("error: must be a non-empty message of at most 1000 characters")
        if outcome == wire.RUN_SUCCESS and error is not None:
            problems.append("error: only a failed run has an error message")
        if problems:
            raise bad_request(*problems)
        return cls(str(outcome), error if outcome == wire.RUN_SUCCESS else (error or DEFAULT_FAILURE))

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


def record_limit(schedule: Schedule) -> int:
    if schedule.type == INTERVAL:
        return INTERVAL_RECORD_LIMITS.get(schedule.frequency or "", ON_DEMAND_RECORD_LIMIT)
    return ONCE_RECORD_LIMIT if schedule.type == ONCE else ON_DEMAND_RECORD_LIMIT


def new_record(
    *,
    pipeline: Mapping[str, Any],
    moment_ms: int,
    run_type: str,
    durations: RunDurations,
    next_run: NextRun | None,
    rows: int | None,
    interval_start: str,
    created_by: str,
) -> dict[str, Any]:
    """A run as stored: everything its answers are computed from."""
    failed = next_run is not None and next_run.outcome == wire.RUN_FAILED
    return {
        "triggered_at": moment_ms / 1000,
        "run_type": run_type,
        "durations": [durations.triggered, durations.queued, durations.running],
        "outcome": wire.RUN_FAILED if failed else wire.RUN_SUCCESS,
        "error": next_run.error if failed and next_run is not None else None,
        "rows": rows,
        "record_limit": record_limit(Schedule.of(pipeline)),
        "pipeline_type": value_at(pipeline, PIPELINE.wire_path("pipeline_type")),
        "data_interval_start": interval_start,
        "data_interval_end": format_timestamp(moment_ms / 1000),
        "created_by": created_by,
    }


def interval_start(pipeline: Mapping[str, Any], previous: Sequence[Mapping[str, Any]]) -> str:
    """Where a run starts reading: the end of the last successful run, else ``schedule.start``,
    else when the pipeline was created (spec §7)."""
    for record in reversed(previous):
        if record.get("outcome") == wire.RUN_SUCCESS:
            return str(record["data_interval_end"])
    start = Schedule.of(pipeline).start_ms
    if start is not None:
        return format_timestamp(start / 1000)
    return str(pipeline.get(wire.CREATED_ON))


def _boundaries(record: Mapping[str, Any]) -> tuple[float, float, float]:
    """When the run leaves triggered, queued and running."""
    start = float(record["triggered_at"])
    triggered, queued, running = record.get("durations") or _LEGACY_DURATIONS
    return start + triggered, start + triggered + queued, start + triggered + queued + running


def run_state(record: Mapping[str, Any], now: float) -> str:
    queued_at, running_at, done_at = _boundaries(record)
    if now < queued_at:
        return wire.RUN_TRIGGERED
    if now < running_at:
        return wire.RUN_QUEUED
    if now < done_at:
        return wire.RUN_RUNNING
    return str(record["outcome"])


def is_active(record: Mapping[str, Any], now: float) -> bool:
    return run_state(record, now) in wire.RUN_ACTIVE_STATES


def synthetic_rows(run_id: int) -> int:
    """The rows a run reads when its data model's rows were not set: deterministic per run."""
    return 1_000 + (run_id * 7_919) % 9_000


def _counts(run_id: int, record: Mapping[str, Any], state: str) -> tuple[int | None, int | None, int | None]:
    if state in (wire.RUN_TRIGGERED, wire.RUN_QUEUED):
        return None, None, None
    stored_rows = record.get("rows")
    rows = synthetic_rows(run_id) if stored_rows is None else int(stored_rows)
    rows = min(rows, int(record.get("record_limit") or ON_DEMAND_RECORD_LIMIT))
    if state != wire.RUN_SUCCESS:
        return rows, 0, 0
    batches = math.ceil(rows / EVENTS_PER_BATCH) if record.get("pipeline_type") == EVENTS else 0
    return rows, rows, batches


def render_run(
    run_id: int, pipeline_id: str, workspace_id: str, record: Mapping[str, Any], now: float, spelling: str
) -> dict[str, Any]:
    """A run as the API answers it, in the v1 spelling or the guessed one (switch ``run_spelling``)."""
    state = run_state(record, now)
    started = float(record["triggered_at"])
    queued_at, running_at, done_at = _boundaries(record)
    changed = [moment for moment in (queued_at, running_at, done_at) if moment <= now]
    extracted, mapped, batches = _counts(run_id, record, state)
    failed = state == wire.RUN_FAILED
    created_by = record.get("created_by")
    v1 = spelling == wire.RUN_SPELLING_V1
    return {
        wire.PIPELINE_RUN_ID: run_id,
        (wire.RUN_PIPELINE_ID if v1 else wire.RUN_PIPELINE_ID_GUESS): pipeline_id,
        wire.RUN_WORKSPACE_ID: int(workspace_id),
        wire.RUN_LOGICAL_DATE: format_timestamp(started),
        wire.RUN_START_DATE: format_timestamp(started),
        wire.RUN_END_DATE: format_timestamp(done_at) if state in OUTCOMES else None,
        wire.RUN_DATA_INTERVAL_START: record["data_interval_start"],
        wire.RUN_DATA_INTERVAL_END: record["data_interval_end"],
        wire.PIPELINE_RUN_TYPE: record["run_type"],
        (wire.RUN_STATE if v1 else wire.RUN_STATE_GUESS): state,
        wire.RUN_IS_EXTERNALLY_TRIGGERED: record["run_type"] == wire.RUN_TYPE_MANUAL,
        wire.RUN_RECORDS_EXTRACTED: extracted,
        wire.RUN_RECORDS_MAPPED: mapped,
        wire.RUN_EVENT_BATCHES_GENERATED: batches,
        wire.ERRORS: [{wire.ERROR_MESSAGE: record.get("error") or DEFAULT_FAILURE}] if failed else [],
        wire.CREATED_ON: format_timestamp(started),
        wire.CREATED_BY: created_by,
        wire.LAST_MODIFIED_ON: format_timestamp(max(changed)) if changed else None,
        wire.LAST_MODIFIED_BY: created_by if changed else None,
    }
