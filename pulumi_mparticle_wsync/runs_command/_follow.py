"""Following a run until it ends: polls with backoff, a line per change, time through a seam."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final, TextIO

from ._output import progress_key, progress_line

if TYPE_CHECKING:
    from ..client import Run, WarehouseSyncClient

FIRST_POLL_SECONDS: Final = 1.0
POLL_GROWTH: Final = 1.5
MAX_POLL_SECONDS: Final = 15.0


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Clock:
    """Time as the command sees it. ``monotonic`` measures ``--timeout-minutes``; ``now`` (aware, UTC)
    is compared with the served start of a run for its elapsed time. Tests pass a fake one."""

    sleep: Callable[[float], None] = time.sleep
    monotonic: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = _utc_now


@dataclass(frozen=True)
class Target:
    """The pipeline a command is about, and its workspace."""

    workspace: str
    pipeline_id: str

    def describe(self) -> str:
        return f"pipeline {self.pipeline_id!r} in workspace {self.workspace}"


def follow(
    client: WarehouseSyncClient,
    target: Target,
    run: Run,
    clock: Clock,
    out: TextIO | None,
    *,
    deadline: float | None = None,
) -> tuple[Run, bool]:
    """Poll ``run`` until it ends, printing a ``progress_line`` to ``out`` (unless ``None``) for it
    and for each change. Returns the run as last read, and whether ``deadline`` (``clock.monotonic``)
    passed first."""
    from ..client import StatusNotReadyError

    seen: tuple[object, ...] | None = None
    pause = FIRST_POLL_SECONDS
    while True:
        if out is not None and progress_key(run) != seen:
            seen = progress_key(run)
            print(progress_line(run, clock.now()), file=out, flush=True)
        if not run.active:
            return run, False
        wait = pause
        if deadline is not None:
            left = deadline - clock.monotonic()
            if left <= 0:
                return run, True
            wait = min(pause, left)
        clock.sleep(wait)
        pause = min(pause * POLL_GROWTH, MAX_POLL_SECONDS)
        try:
            run = client.get_run(target.pipeline_id, run.run_id, workspace_id=target.workspace)
        except StatusNotReadyError:
            continue  # a new pipeline's runs can answer 404 for about a minute: look again later
