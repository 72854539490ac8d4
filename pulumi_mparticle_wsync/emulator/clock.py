"""The emulator's clock: real time plus an offset that tests advance to fast-forward runs and tokens."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime


def format_timestamp(moment: float) -> str:
    """ISO 8601 UTC with milliseconds and ``Z``, e.g. ``2023-10-24T19:59:30.828Z`` (spec §2)."""
    dt = datetime.fromtimestamp(moment, tz=UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


class Clock:
    """Seconds since the epoch, as ``time.time()`` plus an advanced offset."""

    def __init__(self, offset_seconds: float = 0.0) -> None:
        self._offset = offset_seconds
        self._lock = threading.Lock()

    @property
    def offset_seconds(self) -> float:
        with self._lock:
            return self._offset

    def now(self) -> float:
        with self._lock:
            return time.time() + self._offset

    def advance(self, seconds: float) -> float:
        """Move the clock forward; returns the new offset."""
        with self._lock:
            self._offset += seconds
            return self._offset

    def set_offset(self, seconds: float) -> None:
        with self._lock:
            self._offset = seconds

    def timestamp(self) -> str:
        return format_timestamp(self.now())
