"""Pipeline runs (spec §7) under the emulator's clock.

A triggered run is ``triggered`` for ``TRIGGERED_SECONDS``, then ``running`` for
``RUNNING_SECONDS``, then ``success`` (or ``failed`` when the pipeline's run outcome was switched
through the control API). Advance the clock to fast-forward. Record counts are synthetic.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

from .. import rules, wire
from ..schema import PIPELINE, value_at
from .clock import format_timestamp

TRIGGERED_SECONDS: Final = 2.0
RUNNING_SECONDS: Final = 8.0
RUN_SECONDS: Final = TRIGGERED_SECONDS + RUNNING_SECONDS
STATUS_TRIGGERED, STATUS_RUNNING, OUTCOME_SUCCESS, OUTCOME_FAILED = (
    wire.RUN_TRIGGERED, wire.RUN_RUNNING, wire.RUN_SUCCESS, wire.RUN_FAILED
)
OUTCOMES: Final = (OUTCOME_SUCCESS, OUTCOME_FAILED)
ACTIVE_STATUSES: Final = frozenset(wire.RUN_ACTIVE_STATES)
RUN_TYPE_MANUAL: Final = wire.RUN_TYPE_MANUAL
# Spec §6: at most 24 million records per on-demand trigger.
ON_DEMAND_RECORD_LIMIT: Final = 24_000_000
EVENTS_PER_BATCH: Final = 100
EMULATED_FAILURE: Final = "the emulator was told to fail this pipeline's runs (control API run outcome)"


def new_run_record(pipeline: Mapping[str, Any], now: float, interval_start: str, outcome: str) -> dict[str, Any]:
    return {
        # Whole milliseconds, as the answers show them, so date filters compare exactly.
        "triggered_at": math.floor(now * 1000) / 1000,
        "outcome": outcome,
        "run_type": RUN_TYPE_MANUAL,
        "pipeline_type": value_at(pipeline, PIPELINE.wire_path("pipeline_type")),
        "data_interval_start": interval_start,
        "data_interval_end": format_timestamp(now),
    }


def run_status(record: Mapping[str, Any], now: float) -> str:
    elapsed = now - float(record["triggered_at"])
    if elapsed < TRIGGERED_SECONDS:
        return STATUS_TRIGGERED
    if elapsed < RUN_SECONDS:
        return STATUS_RUNNING
    return str(record["outcome"])


def interval_start(pipeline: Mapping[str, Any], previous_runs: Sequence[Mapping[str, Any]], now: float) -> str:
    """Where an on-demand run starts reading: the end of the last successful run, else
    ``schedule.start``, else when the pipeline was created (spec §7)."""
    for record in reversed(previous_runs):
        if run_status(record, now) == OUTCOME_SUCCESS:
            return str(record["data_interval_end"])
    start = value_at(pipeline, PIPELINE.wire_path("schedule.start"))
    if isinstance(start, str) and (parsed := rules.parse_timestamp(start)) is not None:
        return format_timestamp(parsed.timestamp())
    created = pipeline.get(wire.CREATED_ON)
    return str(created) if created else format_timestamp(now)


def render_run(run_id: int, pipeline_id: str, record: Mapping[str, Any], now: float) -> dict[str, Any]:
    status = run_status(record, now)
    triggered_at = float(record["triggered_at"])
    finished = status not in ACTIVE_STATUSES
    records = min(1_000 + (run_id * 7_919) % 9_000, ON_DEMAND_RECORD_LIMIT) if status == OUTCOME_SUCCESS else 0
    batches = -(-records // EVENTS_PER_BATCH) if record.get("pipeline_type") == "events" else 0
    return {
        wire.PIPELINE_RUN_ID: run_id,
        wire.PIPELINE_ID: pipeline_id,
        wire.RUN_LOGICAL_DATE: format_timestamp(triggered_at),
        wire.RUN_START_DATE: format_timestamp(triggered_at),
        wire.RUN_END_DATE: format_timestamp(triggered_at + RUN_SECONDS) if finished else None,
        wire.RUN_DATA_INTERVAL_START: record["data_interval_start"],
        wire.RUN_DATA_INTERVAL_END: record["data_interval_end"],
        wire.PIPELINE_RUN_TYPE: record["run_type"],
        wire.STATUS_FIELD: status,
        wire.ERRORS: [{wire.ERROR_MESSAGE: EMULATED_FAILURE}] if status == OUTCOME_FAILED else [],
        wire.RUN_RECORDS_EXTRACTED: records,
        wire.RUN_RECORDS_MAPPED: records,
        wire.RUN_EVENT_BATCHES_GENERATED: batches,
    }
