"""``emulator.schedule.occurrences``: the times each kind of schedule runs at, in a window."""

from __future__ import annotations

import pytest

from pulumi_mparticle_wsync.emulator.schedule import Schedule, occurrences, timestamp_ms


def ms(text: str) -> int:
    moment = timestamp_ms(text)
    assert moment is not None
    return moment


def times(
    schedule: Schedule, since: str, until: str, *, created: str = "2020-01-01T00:00:00Z", limit: int = 100
) -> list[int]:
    return occurrences(schedule, ms(created), ms(since), ms(until), limit)


def as_ms(*texts: str) -> list[int]:
    return [ms(text) for text in texts]


def interval(frequency: str, start: str, end: str | None = None) -> Schedule:
    return Schedule("interval", frequency, ms(start), None if end is None else ms(end))


def test_hourly_repeats_at_the_minute_of_its_start() -> None:
    hourly = interval("hourly", "2024-01-01T00:15:00Z")
    assert times(hourly, "2024-03-01T10:00:00Z", "2024-03-01T13:15:00Z") == as_ms(
        "2024-03-01T10:15:00Z", "2024-03-01T11:15:00Z", "2024-03-01T12:15:00Z"
    )  # the window is [since, until): 13:15 is the next catch-up's


def test_daily_and_weekly() -> None:
    daily = interval("daily", "2024-01-01T06:00:00Z")
    assert times(daily, "2024-01-01T00:00:00Z", "2024-01-03T06:00:01Z") == as_ms(
        "2024-01-01T06:00:00Z", "2024-01-02T06:00:00Z", "2024-01-03T06:00:00Z"
    )
    weekly = interval("weekly", "2024-01-01T06:00:00Z")  # a Monday
    assert times(weekly, "2024-01-02T00:00:00Z", "2024-01-23T00:00:00Z") == as_ms(
        "2024-01-08T06:00:00Z", "2024-01-15T06:00:00Z", "2024-01-22T06:00:00Z"
    )


def test_monthly_keeps_its_day_and_clamps_to_short_months() -> None:
    monthly = interval("monthly", "2024-01-31T12:00:00Z")
    assert times(monthly, "2024-01-01T00:00:00Z", "2024-05-01T00:00:00Z") == as_ms(
        "2024-01-31T12:00:00Z", "2024-02-29T12:00:00Z", "2024-03-31T12:00:00Z", "2024-04-30T12:00:00Z"
    )
    assert times(monthly, "2025-02-01T00:00:00Z", "2025-03-01T00:00:00Z") == as_ms("2025-02-28T12:00:00Z")


def test_nothing_before_start_and_after_end() -> None:
    bounded = interval("hourly", "2024-01-01T10:00:00Z", end="2024-01-01T12:00:00Z")
    assert times(bounded, "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z") == as_ms(
        "2024-01-01T10:00:00Z", "2024-01-01T11:00:00Z", "2024-01-01T12:00:00Z"
    )


@pytest.mark.parametrize(
    ("frequency", "first", "last"),
    [
        ("hourly", "2029-11-20T08:00:00Z", "2029-12-31T23:00:00Z"),
        ("monthly", "1946-09-01T00:00:00Z", "2029-12-01T00:00:00Z"),
    ],
)
def test_the_limit_keeps_the_latest(frequency: str, first: str, last: str) -> None:
    schedule = interval(frequency, "1900-01-01T00:00:00Z")
    latest = times(schedule, "1900-01-01T00:00:00Z", "2030-01-01T00:00:00Z", limit=1000)
    assert len(latest) == 1000
    assert (latest[0], latest[-1]) == (ms(first), ms(last))


def test_once_runs_at_start_or_at_creation_when_start_had_passed() -> None:
    once = Schedule("once", None, ms("2024-06-01T00:00:00Z"), None)
    assert times(once, "2024-01-01T00:00:00Z", "2024-07-01T00:00:00Z") == as_ms("2024-06-01T00:00:00Z")
    assert times(once, "2024-06-01T00:00:01Z", "2024-07-01T00:00:00Z") == []
    created = "2024-06-10T08:00:00Z"
    assert times(once, created, "2024-07-01T00:00:00Z", created=created) == as_ms(created)


def test_on_demand_never_runs_by_itself() -> None:
    on_demand = Schedule("on_demand", None, ms("2024-01-01T00:00:00Z"), None)
    assert times(on_demand, "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z") == []
