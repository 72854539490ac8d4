"""Runs of pipelines (spec §7): trigger, status, listing, and the scheduled runs the clock brings.

Scheduled runs are created lazily: whenever a pipeline's runs are read or triggered, and before any
change to the pipeline (``WarehouseSyncService`` calls ``catch_up`` first), the runs its schedule
made since the last catch-up are stored, only while the pipeline is active (a catch-up of a paused
pipeline just moves the mark, so a paused span never runs). Times before the pipeline was created
never run: a new interval pipeline's first run reads the history since ``schedule.start`` instead.
At most ``MAX_CATCH_UP_RUNS`` (the latest) are created at once, so a long fast-forward stays fast.

Callers hold the store's transaction; each public method is one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from typing import Any, Final

from .. import rules, wire
from ..schema import CONNECTION, PIPELINE, Enum, value_at
from ..schema.pipeline import STATE as PIPELINE_STATE
from . import runs
from .clock import Clock
from .errors import bad_request, not_found
from .schedule import ON_DEMAND, Schedule, occurrences, timestamp_ms
from .store import Store, StoredRun
from .switches import Switches
from .validation import shown

MAX_CATCH_UP_RUNS: Final = 1000
DEFAULT_RUNS_PAGE_SIZE: Final = 50
MAX_RUNS_PAGE_SIZE: Final = 1000
MAX_ROWS: Final = 10**15
DURATIONS_KEY: Final = "run_durations"
# Per-object settings (Store.get_setting names).
SCHEDULED_UNTIL: Final = "scheduled_until"  # ms: scheduled runs before this time exist (or were skipped)
NEXT_RUN: Final = "next_run"  # NextRun.as_dict(): how the pipeline's next run ends
ROWS: Final = "rows"  # int: the rows a data model yields

_connection_states = CONNECTION.field("state").type
assert isinstance(_connection_states, Enum)
_ACTIVE: Final = _connection_states.to_wire("active")

Require = Callable[[str, str, str], dict[str, Any]]
"""(workspace id, collection, object id) -> the stored object; 404 (or 400 for a bad id) otherwise."""


class PipelineRuns:
    def __init__(
        self, store: Store, clock: Clock, switches: Callable[[], Switches], user_email: str, require: Require
    ) -> None:
        self._store = store
        self._clock = clock
        self._switches = switches
        self._user_email = user_email
        self._require = require

    # --- the API ------------------------------------------------------------------------
    def trigger(self, workspace_id: str, pipeline_id: str) -> dict[str, Any]:
        with self._store.transaction():
            pipeline = self._require(workspace_id, wire.PIPELINES, pipeline_id)
            now = self._clock.now()
            self.catch_up(workspace_id, pipeline, now)
            stored = self._store.runs(workspace_id, pipeline_id)
            if any(runs.is_active(run.record, now) for run in stored):
                raise bad_request(f"Pipeline {pipeline_id} is {wire.ALREADY_IN_PROGRESS_FRAGMENT}.")
            schedule_type = Schedule.of(pipeline).type
            if schedule_type != ON_DEMAND:
                raise bad_request(
                    f"Pipeline {pipeline_id} has {PIPELINE.wire_path('schedule.type')} {schedule_type}: only "
                    f"{ON_DEMAND} pipelines can be triggered"
                )
            (record,) = self._new_records(
                workspace_id, pipeline, [run.record for run in stored], [math.floor(now * 1000)], wire.RUN_TYPE_MANUAL
            )
            run_id = self._store.insert_run(workspace_id, pipeline_id, record)
        return {wire.PIPELINE_RUN_ID: run_id, wire.STATUS_FIELD: wire.TRIGGER_REQUESTED}

    def status(self, workspace_id: str, pipeline_id: str) -> dict[str, Any]:
        with self._store.transaction():
            pipeline, stored, now = self._readable_runs(workspace_id, pipeline_id)
            connection_id = value_at(pipeline, PIPELINE.wire_path("connection_id"))
            connection = self._store.get(workspace_id, wire.CONNECTIONS, str(connection_id))
        latest = _newest_first(stored)[0] if stored else None
        rendered = None if latest is None else self._render(workspace_id, latest, now)
        if self._switches().status_shape == wire.STATUS_SHAPE_GUESS:
            return {
                wire.PIPELINE_ID: pipeline_id,
                wire.STATUS_STATUS_GUESS: pipeline.get(wire.STATUS_FIELD),
                wire.STATUS_STATE_GUESS: pipeline.get(wire.STATE),
                wire.LATEST_PIPELINE_RUN: rendered,
            }
        faulted = wire.CONNECTION_STATUSES[1]
        latest_failed = latest is not None and runs.run_state(latest.record, now) == wire.RUN_FAILED
        return {
            wire.PIPELINE_ID: pipeline_id,
            wire.STATUS_WORKSPACE_ID: int(workspace_id),
            wire.STATUS_IS_ACTIVE: pipeline.get(wire.STATE) == PIPELINE_STATE.off,
            wire.STATUS_IS_FAULTED: latest_failed or pipeline.get(wire.STATUS_FIELD) == faulted,
            wire.STATUS_IS_CONNECTION_ACTIVE: connection is not None and connection.get(wire.STATE) == _ACTIVE,
            wire.STATUS_IS_CONNECTION_FAULTED: connection is not None and connection.get(wire.STATUS_FIELD) == faulted,
            wire.LATEST_PIPELINE_RUN: rendered,
        }

    def list_runs(self, workspace_id: str, pipeline_id: str, query: Mapping[str, str]) -> dict[str, Any]:
        page = _page_param(query, wire.RUNS_PAGE_PARAM, 1, None)
        size = _page_param(query, wire.RUNS_PAGE_SIZE_PARAM, DEFAULT_RUNS_PAGE_SIZE, MAX_RUNS_PAGE_SIZE)
        start = _date_param(query, wire.RUNS_START_DATE_PARAM)
        end = _date_param(query, wire.RUNS_END_DATE_PARAM)
        with self._store.transaction():
            _, stored, now = self._readable_runs(workspace_id, pipeline_id)

        def logical_ms(run: StoredRun) -> int:
            return round(float(run.record["triggered_at"]) * 1000)

        selected = [
            run
            for run in _newest_first(stored)
            if (start is None or logical_ms(run) >= start) and (end is None or logical_ms(run) <= end)
        ]
        window = selected[(page - 1) * size : page * size]
        return {wire.RUNS_ITEMS: [self._render(workspace_id, run, now) for run in window]}

    def get_run(self, workspace_id: str, pipeline_id: str, run_id: str) -> dict[str, Any]:
        if not run_id.isdigit() or len(run_id) > 18:
            raise bad_request(f"runId in the path: {shown(run_id)} is not a run id (an integer)")
        with self._store.transaction():
            _, stored, now = self._readable_runs(workspace_id, pipeline_id)
        for run in stored:
            if run.run_id == int(run_id):
                return self._render(workspace_id, run, now)
        raise not_found(f"Run {run_id} of pipeline {pipeline_id} was not found in workspace {workspace_id}")

    # --- the control API ------------------------------------------------------------------
    def durations(self) -> runs.RunDurations:
        stored = self._store.get_meta(DURATIONS_KEY)
        return runs.RunDurations.from_stored(None if stored is None else _json(stored))

    def set_durations(self, changes: object) -> runs.RunDurations:
        with self._store.transaction():
            durations = self.durations().updated(changes)
            self._store.set_meta(DURATIONS_KEY, _dumps(durations.as_dict()))
        return durations

    def set_next_run(self, workspace_id: str, pipeline_id: str, body: object) -> None:
        next_run = runs.NextRun.parse(body)
        with self._store.transaction():
            self._require(workspace_id, wire.PIPELINES, pipeline_id)
            value = next_run.as_dict() if next_run.outcome == wire.RUN_FAILED else None
            self._store.set_setting(workspace_id, wire.PIPELINES, pipeline_id, NEXT_RUN, value)

    def set_rows(self, workspace_id: str, model_id: str, body: object) -> None:
        rows = body.get(ROWS, ...) if isinstance(body, dict) else ...
        extra = sorted(set(body) - {ROWS}) if isinstance(body, dict) else []
        valid = rows is None or (isinstance(rows, int) and not isinstance(rows, bool) and 0 <= rows <= MAX_ROWS)
        if rows is ... or extra or not valid:
            raise bad_request(
                f"{ROWS}: send {{\"{ROWS}\": N}} with N a whole number from 0 to {MAX_ROWS}, "
                "or null for the default synthetic count"
            )
        with self._store.transaction():
            self._require(workspace_id, wire.DATA_MODELS, model_id)
            self._store.set_setting(workspace_id, wire.DATA_MODELS, model_id, ROWS, rows)

    # --- scheduled runs -------------------------------------------------------------------
    def catch_up(self, workspace_id: str, pipeline: Mapping[str, Any], now: float) -> None:
        """Store the scheduled runs due since the last catch-up (none if the pipeline is paused)."""
        pipeline_id = str(pipeline[wire.ID])
        now_ms = math.floor(now * 1000)
        since = self._store.get_setting(workspace_id, wire.PIPELINES, pipeline_id, SCHEDULED_UNTIL)
        created_ms = timestamp_ms(str(pipeline.get(wire.CREATED_ON))) or now_ms
        since_ms = int(since) if isinstance(since, int) else created_ms
        if now_ms <= since_ms:
            return
        if pipeline.get(wire.STATE) == PIPELINE_STATE.off:
            due = occurrences(Schedule.of(pipeline), created_ms, since_ms, now_ms, MAX_CATCH_UP_RUNS)
            if due:
                previous = [run.record for run in self._store.runs(workspace_id, pipeline_id)]
                for record in self._new_records(workspace_id, pipeline, previous, due, wire.RUN_TYPE_SCHEDULED):
                    self._store.insert_run(workspace_id, pipeline_id, record)
        self._store.set_setting(workspace_id, wire.PIPELINES, pipeline_id, SCHEDULED_UNTIL, now_ms)

    # --- helpers --------------------------------------------------------------------------
    def _readable_runs(self, workspace_id: str, pipeline_id: str) -> tuple[dict[str, Any], list[StoredRun], float]:
        """The pipeline, its runs (caught up) and the time; 404 while a new pipeline's status is not ready."""
        pipeline = self._require(workspace_id, wire.PIPELINES, pipeline_id)
        now = self._clock.now()
        window = self._switches().new_pipeline_status_404_seconds
        created_ms = timestamp_ms(str(pipeline.get(wire.CREATED_ON)))
        if window > 0 and created_ms is not None and now < created_ms / 1000 + window:
            raise not_found(
                f"Pipeline {pipeline_id}: no status yet in workspace {workspace_id} "
                "(a new pipeline's status can take about a minute to appear)"
            )
        self.catch_up(workspace_id, pipeline, now)
        return pipeline, self._store.runs(workspace_id, pipeline_id), now

    def _new_records(
        self,
        workspace_id: str,
        pipeline: Mapping[str, Any],
        previous: list[dict[str, Any]],
        moments_ms: list[int],
        run_type: str,
    ) -> list[dict[str, Any]]:
        """The records of new runs at ``moments_ms`` (oldest first); the first takes the pipeline's
        pending next-run outcome, the rest succeed."""
        pipeline_id = str(pipeline[wire.ID])
        pending = self._store.get_setting(workspace_id, wire.PIPELINES, pipeline_id, NEXT_RUN)
        if pending is not None:
            self._store.set_setting(workspace_id, wire.PIPELINES, pipeline_id, NEXT_RUN, None)
        model_id = value_at(pipeline, PIPELINE.wire_path("data_model_id"))
        rows = self._store.get_setting(workspace_id, wire.DATA_MODELS, str(model_id), ROWS)
        durations = self.durations()
        interval_start = runs.interval_start(pipeline, previous)
        records: list[dict[str, Any]] = []
        for moment_ms in moments_ms:
            next_run = None if pending is None else runs.NextRun(str(pending["outcome"]), pending.get("error"))
            pending = None
            record = runs.new_record(
                pipeline=pipeline,
                moment_ms=moment_ms,
                run_type=run_type,
                durations=durations,
                next_run=next_run,
                rows=rows if isinstance(rows, int) else None,
                interval_start=interval_start,
                created_by=self._user_email,
            )
            if record["outcome"] == wire.RUN_SUCCESS:
                interval_start = record["data_interval_end"]
            records.append(record)
        return records

    def _render(self, workspace_id: str, run: StoredRun, now: float) -> dict[str, Any]:
        spelling = self._switches().run_spelling
        return runs.render_run(run.run_id, run.pipeline_id, workspace_id, run.record, now, spelling)


def _newest_first(stored: list[StoredRun]) -> list[StoredRun]:
    return sorted(stored, key=lambda run: (float(run.record["triggered_at"]), run.run_id), reverse=True)


def _page_param(query: Mapping[str, str], name: str, default: int, maximum: int | None) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        raise bad_request(f"{name}: {shown(raw)} must be a positive integer")
    value = int(raw)
    if maximum is not None and value > maximum:
        raise bad_request(f"{name}: at most {maximum}")
    return value


def _date_param(query: Mapping[str, str], name: str) -> int | None:
    """A date filter in whole milliseconds (runs' logical dates are whole milliseconds)."""
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    parsed = rules.parse_timestamp(raw)
    if parsed is None:
        raise bad_request(f"{name}: {shown(raw)} is not an ISO 8601 timestamp with a time zone")
    return round(parsed.timestamp() * 1000)


def _json(text: str) -> Any:
    return json.loads(text)


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))
