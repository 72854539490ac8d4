"""When a pipeline's schedule (spec §6) makes it run: the times of its scheduled runs.

Times are whole milliseconds since the epoch, as the answers show them. An interval schedule
repeats from ``schedule.start`` (hourly, daily, weekly, or monthly on the same day of the month,
clamped to the month's last day) until ``schedule.end`` (inclusive); a ``once`` schedule runs at
``schedule.start``, or at the pipeline's creation when that start had already passed. An on-demand
schedule never runs by itself.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from .. import rules
from ..schema import PIPELINE, value_at
from ..schema.pipeline import FREQUENCIES, SCHEDULE_TYPES

INTERVAL: Final = SCHEDULE_TYPES.to_wire("interval")
ONCE: Final = SCHEDULE_TYPES.to_wire("once")
ON_DEMAND: Final = SCHEDULE_TYPES.to_wire("on_demand")
HOURLY: Final = FREQUENCIES.to_wire("hourly")
DAILY: Final = FREQUENCIES.to_wire("daily")
WEEKLY: Final = FREQUENCIES.to_wire("weekly")
MONTHLY: Final = FREQUENCIES.to_wire("monthly")
PERIOD_MS: Final = {HOURLY: 3_600_000, DAILY: 86_400_000, WEEKLY: 7 * 86_400_000}
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Schedule:
    type: str | None
    frequency: str | None
    start_ms: int | None
    end_ms: int | None

    @classmethod
    def of(cls, pipeline: Mapping[str, Any]) -> Schedule:
        def text(path: str) -> str | None:
            value = value_at(pipeline, PIPELINE.wire_path(path))
            return value if isinstance(value, str) else None

        return cls(
            type=text("schedule.type"),
            frequency=text("schedule.frequency"),
            start_ms=timestamp_ms(text("schedule.start")),
            end_ms=timestamp_ms(text("schedule.end")),
        )


def timestamp_ms(text: str | None) -> int | None:
    """An ISO 8601 timestamp with a time zone as whole milliseconds; ``None`` if it is not one."""
    parsed = rules.parse_timestamp(text) if text is not None else None
    return None if parsed is None else _ms(parsed)


def occurrences(schedule: Schedule, created_ms: int, since_ms: int, until_ms: int, limit: int) -> list[int]:
    """The scheduled times in ``[since_ms, until_ms)``, oldest first: at most the ``limit`` latest."""
    if schedule.start_ms is None or since_ms >= until_ms or limit < 1:
        return []
    if schedule.type == ONCE:
        moment = max(schedule.start_ms, created_ms)
        return [moment] if since_ms <= moment < until_ms else []
    if schedule.type != INTERVAL:
        return []
    low = max(since_ms, schedule.start_ms)
    high = until_ms if schedule.end_ms is None else min(until_ms, schedule.end_ms + 1)
    if low >= high:
        return []
    period = PERIOD_MS.get(schedule.frequency or "")
    if period is not None:
        first = -(-(low - schedule.start_ms) // period)
        last = -(-(high - schedule.start_ms) // period) - 1
        return [schedule.start_ms + k * period for k in range(max(first, last - limit + 1), last + 1)]
    if schedule.frequency == MONTHLY:
        return _monthly(schedule.start_ms, low, high)[-limit:]
    return []


def _monthly(start_ms: int, low: int, high: int) -> list[int]:
    start = datetime.fromtimestamp(start_ms / 1000, tz=UTC)
    first_month = _month_index(datetime.fromtimestamp(low / 1000, tz=UTC)) - _month_index(start) - 1
    found: list[int] = []
    month = max(first_month, 0)
    while (moment := _ms(_add_months(start, month))) < high:
        if moment >= low:
            found.append(moment)
        month += 1
    return found


def _month_index(moment: datetime) -> int:
    return moment.year * 12 + moment.month - 1


def _add_months(start: datetime, months: int) -> datetime:
    year, month = divmod(_month_index(start) + months, 12)
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return start.replace(year=year, month=month + 1, day=day)


def _ms(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(milliseconds=1)

