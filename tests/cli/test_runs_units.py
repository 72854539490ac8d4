"""``runs`` pieces without a server: formatting, ``--since``, the polling backoff, settings advice."""

from __future__ import annotations

import argparse
import io
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest

from pulumi_mparticle_wsync.client import Run, StatusNotReadyError, WarehouseSyncClient
from pulumi_mparticle_wsync.command_settings import advised
from pulumi_mparticle_wsync.runs_command import since_argument
from pulumi_mparticle_wsync.runs_command._follow import MAX_POLL_SECONDS, Clock, Target, follow
from pulumi_mparticle_wsync.runs_command._output import format_elapsed, format_table, progress_line

START = "2026-03-01T09:30:00.250Z"


def test_elapsed_time_is_minutes_and_seconds_then_hours() -> None:
    assert [format_elapsed(timedelta(seconds=s)) for s in (0, 9.99, 61, 3599, 3600, 90061)] == [
        "0:00", "0:09", "1:01", "59:59", "1:00:00", "25:01:01"]


def test_a_line_per_change_shows_state_elapsed_time_and_counts() -> None:
    now = datetime(2026, 3, 1, 9, 31, 5, 900000, tzinfo=UTC)
    running = Run(run_id=7, pipeline_id="p", state="running", start_date=START, records_extracted=120)
    ended = Run(run_id=7, pipeline_id="p", state="success", start_date=START, end_date="2026-03-01T11:30:00Z",
                records_extracted=120, records_mapped=118)
    assert progress_line(running, now) == "run 7: running, 1:05 elapsed, extracted 120, mapped -"
    assert progress_line(ended, now) == "run 7: success, 1:59:59 elapsed, extracted 120, mapped 118"
    assert progress_line(Run(run_id=8, pipeline_id="p", state="queued"), now) == (
        "run 8: queued, not started, extracted -, mapped -")


def test_the_table_aligns_columns_and_shows_missing_values_as_a_dash() -> None:
    runs = [
        Run(run_id=12, pipeline_id="p", state="running", run_type="manual", start_date=START, records_extracted=5),
        Run(run_id=9, pipeline_id="p", state="success", run_type="scheduled", start_date=START,
            end_date="2026-03-01T10:00:00+01:00", records_extracted=123456, records_mapped=123456,
            event_batches_generated=1235),
    ]
    assert format_table(runs).splitlines() == [
        "RUN  STATE    TYPE       STARTED               ENDED                 EXTRACTED  MAPPED  BATCHES",
        " 12  running  manual     2026-03-01T09:30:00Z  -                             5       -        -",
        "  9  success  scheduled  2026-03-01T09:30:00Z  2026-03-01T09:00:00Z     123456  123456     1235",
    ]


def test_since_takes_a_date_as_midnight_utc_or_a_time_with_its_zone() -> None:
    assert since_argument("2026-03-01") == datetime(2026, 3, 1, tzinfo=UTC)
    assert since_argument("2026-03-01T10:30:00+01:00") == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    for bad in ("2026-03-01T10:30:00", "yesterday", "2026-13-01"):
        with pytest.raises(argparse.ArgumentTypeError):
            since_argument(bad)


class ScriptedClient:
    """Answers ``get_run`` from a script; an exception in it is raised instead."""

    def __init__(self, answers: Sequence[Run | Exception]) -> None:
        self.answers: Iterator[Run | Exception] = iter(answers)

    def get_run(self, pipeline_id: str, run_id: int, *, workspace_id: str | None = None) -> Run:
        answer = next(self.answers)
        if isinstance(answer, Exception):
            raise answer
        return answer


def _run(state: str, extracted: int | None = None) -> Run:
    return Run(run_id=3, pipeline_id="p", state=state, start_date=START, records_extracted=extracted)


def test_polls_back_off_from_1_to_15_seconds_and_only_changes_are_printed() -> None:
    slept: list[float] = []
    answers = [_run("running", 0)] * 9 + [_run("running", 40), _run("failed", 40)]
    clock = Clock(sleep=slept.append, monotonic=lambda: sum(slept),
                  now=lambda: datetime(2026, 3, 1, 9, 30, 10, tzinfo=UTC))
    out = io.StringIO()

    ended, timed_out = follow(cast(WarehouseSyncClient, ScriptedClient(answers)), Target("1", "p"),
                              _run("triggered"), clock, out)

    assert (ended.state, timed_out) == ("failed", False)
    assert slept[:7] == [1, 1.5, 2.25, 3.375, 5.0625, 7.59375, 11.390625]
    assert slept[7:] == [MAX_POLL_SECONDS] * 4
    assert out.getvalue().splitlines() == [
        "run 3: triggered, 0:09 elapsed, extracted -, mapped -",
        "run 3: running, 0:09 elapsed, extracted 0, mapped -",
        "run 3: running, 0:09 elapsed, extracted 40, mapped -",
        "run 3: failed, 0:09 elapsed, extracted 40, mapped -",
    ]


def test_a_status_not_ready_yet_is_polled_again_and_a_deadline_ends_the_wait() -> None:
    slept: list[float] = []
    not_ready = StatusNotReadyError(404, "GET", "/status/runs/3", ["not yet"], pipeline_id="p")
    answers: list[Run | Exception] = [not_ready, *[_run("running")] * 11]
    clock = Clock(sleep=slept.append, monotonic=lambda: sum(slept))

    ended, timed_out = follow(cast(WarehouseSyncClient, ScriptedClient(answers)), Target("1", "p"),
                              _run("triggered"), clock, None, deadline=10.0)

    assert (ended.state, timed_out) == ("running", True)
    assert sum(slept) == 10.0 and slept[-1] == 10.0 - 8.125


def _args(**values: Any) -> argparse.Namespace:
    return argparse.Namespace(**{"stack": None, "cwd": None, "workspace": None, **values})


def test_settings_advice_names_the_stack_command_or_the_variable() -> None:
    message = ("mparticle:clientSecret is not set: set it with the mparticle:clientSecret setting or "
               "MPARTICLE_CLIENT_SECRET")
    assert advised(message, _args(stack="acme/dev")) == (
        "mparticle:clientSecret is not set: set it with `pulumi config set --secret mparticle:clientSecret "
        "--stack acme/dev` or MPARTICLE_CLIENT_SECRET")
    assert advised(message, _args()) == (
        "mparticle:clientSecret is not set: set it with MPARTICLE_CLIENT_SECRET (or mparticle:clientSecret in a "
        "stack's config, read with --stack NAME)")
