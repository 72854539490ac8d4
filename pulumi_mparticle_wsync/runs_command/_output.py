"""How runs are printed: a table and a detail view for people, a stable JSON shape for scripts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from .. import rules

if TYPE_CHECKING:
    from ..client import Run

MISSING: Final = "-"
TABLE_COLUMNS: Final = ("RUN", "STATE", "TYPE", "STARTED", "ENDED", "EXTRACTED", "MAPPED", "BATCHES")
_NUMERIC: Final = frozenset({"RUN", "EXTRACTED", "MAPPED", "BATCHES"})


def run_json(run: Run) -> dict[str, Any]:
    """A run in the documented ``--json`` shape (docs/runs.md): our names, every field always present."""
    return {
        "run_id": run.run_id,
        "pipeline_id": run.pipeline_id,
        "state": run.state,
        "run_type": run.run_type,
        "logical_date": run.logical_date,
        "start_date": run.start_date,
        "end_date": run.end_date,
        "data_interval_start": run.data_interval_start,
        "data_interval_end": run.data_interval_end,
        "externally_triggered": run.externally_triggered,
        "records_extracted": run.records_extracted,
        "records_mapped": run.records_mapped,
        "event_batches_generated": run.event_batches_generated,
        "errors": list(run.errors),
    }


def format_time(value: str | None) -> str:
    """A served timestamp as ``2026-03-01T09:30:00Z`` (UTC, whole seconds); served text that is not one, as is."""
    if value is None:
        return MISSING
    parsed = rules.parse_timestamp(value)
    if parsed is None:
        return value
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _count(value: int | None) -> str:
    return MISSING if value is None else str(value)


def _row(run: Run) -> tuple[str, ...]:
    return (
        str(run.run_id),
        run.state or MISSING,
        run.run_type or MISSING,
        format_time(run.start_date),
        format_time(run.end_date),
        _count(run.records_extracted),
        _count(run.records_mapped),
        _count(run.event_batches_generated),
    )


def format_table(runs: Sequence[Run]) -> str:
    """Aligned columns, one run a line: numbers right-aligned, text left-aligned."""
    rows = [TABLE_COLUMNS, *(_row(run) for run in runs)]
    widths = [max(len(row[index]) for row in rows) for index in range(len(TABLE_COLUMNS))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(width) if column in _NUMERIC else cell.ljust(width)
            for column, cell, width in zip(TABLE_COLUMNS, row, widths, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def format_details(run: Run) -> str:
    """One run, a field a line, its errors last."""
    interval = f"{format_time(run.data_interval_start)} .. {format_time(run.data_interval_end)}"
    fields = (
        ("state", run.state or MISSING),
        ("type", run.run_type or MISSING),
        ("logical date", format_time(run.logical_date)),
        ("started", format_time(run.start_date)),
        ("ended", format_time(run.end_date)),
        ("data interval", interval),
        ("records extracted", _count(run.records_extracted)),
        ("records mapped", _count(run.records_mapped)),
        ("event batches", _count(run.event_batches_generated)),
    )
    width = max(len(name) for name, _ in fields) + 1
    lines = [f"Run {run.run_id} of pipeline {run.pipeline_id or MISSING}"]
    lines += [f"  {(name + ':').ljust(width)} {value}" for name, value in fields]
    if run.errors:
        lines.append("  errors:")
        lines += [f"    - {message}" for message in run.errors]
    return "\n".join(lines) + "\n"


def elapsed(run: Run, now: datetime) -> timedelta | None:
    """How long the run has been going (or went): from its start to its end, or to ``now``."""
    started = rules.parse_timestamp(run.start_date) if run.start_date else None
    if started is None:
        return None
    ended = rules.parse_timestamp(run.end_date) if run.end_date else None
    return max((ended or now) - started, timedelta(0))


def format_elapsed(span: timedelta) -> str:
    """``m:ss`` under an hour, ``h:mm:ss`` from an hour (whole seconds, rounded down)."""
    seconds = int(span.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def progress_line(run: Run, now: datetime) -> str:
    """``run 7: running, 0:03 elapsed, extracted 0, mapped 0``: what ``watch`` prints on each change."""
    span = elapsed(run, now)
    timing = "not started" if span is None else f"{format_elapsed(span)} elapsed"
    return (
        f"run {run.run_id}: {run.state or 'unknown state'}, {timing}, "
        f"extracted {_count(run.records_extracted)}, mapped {_count(run.records_mapped)}"
    )


def progress_key(run: Run) -> tuple[object, ...]:
    """What counts as a change for ``watch`` (elapsed time alone is not one)."""
    return (run.run_id, run.state, run.records_extracted, run.records_mapped, run.event_batches_generated)
