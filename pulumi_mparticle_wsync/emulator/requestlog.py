"""The request log: one entry per API or token call (control calls are not logged).

Only method, path, query, status and what the request addresses are kept (for a create, the
``id`` its body names): never headers or bodies, so no secret can end up here.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from dataclasses import asdict, dataclass
from typing import Any, Final

MAX_ENTRIES: Final = 100_000
DROPPED_STATUS: Final = 0  # the status logged when the connection was dropped without an answer


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    query: str
    status: int
    workspace_id: str | None
    collection: str | None
    object_id: str | None
    action: str | None
    fault: str | None  # kind of the injected fault that decided the answer, if any
    time: float  # emulator clock, seconds since the epoch
    body_id: str | None = None  # a create (POST on a collection): the id its body names, if readable

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class RequestLog:
    def __init__(self) -> None:
        self._entries: deque[LoggedRequest] = deque(maxlen=MAX_ENTRIES)
        self._lock = threading.Lock()

    def record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._entries)

    def counts(self) -> dict[str, int]:
        """Calls per ``"METHOD /exact/path"``."""
        return dict(Counter(f"{e.method} {e.path}" for e in self.entries()))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
