"""Fault injection for API and token calls (never for ``/_emulator``).

Each fault matches optionally by method and by a regular expression searched in the path, fires
with probability ``rate`` (from its own RNG, seedable for reproducible runs) and, when ``count`` is
given, only that many times. On every request all matching ``latency`` faults add their delay; the
first other matching fault that fires decides the answer:

- ``error``: answer ``status`` (default 503) without applying the request (with ``Retry-After``
  when ``retry_after`` is given);
- ``rate_limit``: answer 429 with ``Retry-After`` (default 1 s) and ``X-mp-rate-limit-exceeded``;
- ``drop``: abort the connection without a complete response (``after_apply`` applies it first);
- ``apply_then_error``: apply (and commit) the request, then answer ``status`` (default 500).
"""

from __future__ import annotations

import itertools
import random
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from ..rules import json_type_name as type_name
from .errors import bad_request
from .validation import shown

LATENCY: Final = "latency"
ERROR: Final = "error"
RATE_LIMIT: Final = "rate_limit"
DROP: Final = "drop"
APPLY_THEN_ERROR: Final = "apply_then_error"
FAULT_KINDS: Final = (LATENCY, ERROR, RATE_LIMIT, DROP, APPLY_THEN_ERROR)
DEFAULT_STATUS: Final = {ERROR: 503, APPLY_THEN_ERROR: 500, RATE_LIMIT: 429}
DEFAULT_RETRY_AFTER: Final = 1
MAX_LATENCY_MS: Final = 120_000
_SPEC_KEYS: Final = (
    "kind",
    "method",
    "path_regex",
    "rate",
    "count",
    "status",
    "retry_after",
    "latency_ms",
    "latency_jitter_ms",
    "seed",
    "after_apply",
)


@dataclass
class Fault:
    id: str
    kind: str
    method: str | None = None
    path_regex: str | None = None
    rate: float = 1.0
    count: int | None = None
    status: int | None = None
    retry_after: float | None = None
    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    seed: int | None = None
    after_apply: bool = False
    fired: int = 0
    _pattern: re.Pattern[str] | None = field(default=None, repr=False)
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    def matches(self, method: str, path: str) -> bool:
        if self.count is not None and self.fired >= self.count:
            return False
        if self.method is not None and self.method != method:
            return False
        return self._pattern is None or self._pattern.search(path) is not None

    def roll(self) -> bool:
        return self.rate >= 1.0 or self._rng.random() < self.rate

    def delay_seconds(self) -> float:
        jitter = self._rng.uniform(0, self.latency_jitter_ms) if self.latency_jitter_ms else 0.0
        return (self.latency_ms + jitter) / 1000.0

    def answer_status(self) -> int:
        return self.status if self.status is not None else DEFAULT_STATUS.get(self.kind, 500)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "method": self.method,
            "path_regex": self.path_regex,
            "rate": self.rate,
            "count": self.count,
            "status": self.status,
            "retry_after": self.retry_after,
            "latency_ms": self.latency_ms,
            "latency_jitter_ms": self.latency_jitter_ms,
            "seed": self.seed,
            "after_apply": self.after_apply,
            "fired": self.fired,
        }


@dataclass(frozen=True)
class FaultPlan:
    """What to do with one request: sleep ``delay_seconds``, then apply ``fault`` (or serve normally)."""

    delay_seconds: float = 0.0
    fault: Fault | None = None


class FaultSet:
    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def add(self, spec: object) -> Fault:
        fault = parse_fault(spec, f"fault-{next(self._ids)}")
        with self._lock:
            self._faults.append(fault)
        return fault

    def remove(self, fault_id: str) -> bool:
        with self._lock:
            kept = [f for f in self._faults if f.id != fault_id]
            removed = len(kept) != len(self._faults)
            self._faults = kept
        return removed

    def clear(self) -> None:
        with self._lock:
            self._faults = []

    def describe(self) -> list[dict[str, Any]]:
        with self._lock:
            return [f.as_dict() for f in self._faults]

    def plan(self, method: str, path: str) -> FaultPlan:
        delay = 0.0
        chosen: Fault | None = None
        with self._lock:
            for fault in self._faults:
                if (fault.kind != LATENCY and chosen is not None) or not fault.matches(method, path):
                    continue
                if not fault.roll():
                    continue
                fault.fired += 1
                if fault.kind == LATENCY:
                    delay += fault.delay_seconds()
                else:
                    chosen = fault
        return FaultPlan(delay, chosen)


def parse_fault(spec: object, fault_id: str) -> Fault:
    """A ``Fault`` from its JSON description; 400 naming every bad field."""
    if not isinstance(spec, dict):
        raise bad_request(f"fault: must be a JSON object, not {type_name(spec)}")
    problems: list[str] = [
        f"{key}: unknown fault field (allowed: {', '.join(_SPEC_KEYS)})" for key in spec if key not in _SPEC_KEYS
    ]
    kind = spec.get("kind")
    if kind not in FAULT_KINDS:
        problems.append(f"kind: {shown(kind)} is not one of {', '.join(FAULT_KINDS)}")
    method = spec.get("method")
    if method is not None and not (isinstance(method, str) and method.isalpha()):
        problems.append("method: must be an HTTP method such as POST, or null for any")
    path_regex = spec.get("path_regex")
    pattern: re.Pattern[str] | None = None
    if path_regex is not None:
        try:
            pattern = re.compile(path_regex) if isinstance(path_regex, str) else None
        except re.error as exc:
            problems.append(f"path_regex: not a regular expression ({exc})")
        if not isinstance(path_regex, str):
            problems.append("path_regex: must be a string")
    rate = _number(spec, "rate", 1.0, 0.0, 1.0, problems)
    count = _integer(spec, "count", 1, problems)
    status = _integer(spec, "status", 100, problems)
    if status is not None and not 400 <= status <= 599:
        problems.append("status: must be an HTTP error status from 400 to 599")
    if kind == RATE_LIMIT and status not in (None, 429):
        problems.append("status: a rate_limit fault always answers 429; leave status out")
    retry_after = _number(spec, "retry_after", None, 0.0, 3600.0, problems)
    latency_ms = _number(spec, "latency_ms", 0.0, 0.0, MAX_LATENCY_MS, problems) or 0.0
    jitter_ms = _number(spec, "latency_jitter_ms", 0.0, 0.0, MAX_LATENCY_MS, problems) or 0.0
    if kind == LATENCY and latency_ms == 0 and jitter_ms == 0:
        problems.append("latency_ms: give a delay for a latency fault (and optionally latency_jitter_ms)")
    seed = _integer(spec, "seed", None, problems)
    after_apply = spec.get("after_apply", False)
    if not isinstance(after_apply, bool):
        problems.append("after_apply: must be true or false")
    if problems:
        raise bad_request(*problems)
    return Fault(
        id=fault_id,
        kind=str(kind),
        method=method.upper() if isinstance(method, str) else None,
        path_regex=path_regex,
        rate=float(rate if rate is not None else 1.0),
        count=count,
        status=status,
        retry_after=DEFAULT_RETRY_AFTER if retry_after is None and kind == RATE_LIMIT else retry_after,
        latency_ms=latency_ms,
        latency_jitter_ms=jitter_ms,
        seed=seed,
        after_apply=bool(after_apply),
        _pattern=pattern,
        _rng=random.Random(seed),
    )


def _number(
    spec: Mapping[str, Any], key: str, default: float | None, low: float, high: float, problems: list[str]
) -> float | None:
    value = spec.get(key)
    if value is None:
        return default
    if not isinstance(value, int | float) or isinstance(value, bool) or not low <= value <= high:
        problems.append(f"{key}: must be a number from {low:g} to {high:g}")
        return default
    return float(value)


def _integer(spec: Mapping[str, Any], key: str, minimum: int | None, problems: list[str]) -> int | None:
    value = spec.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or (minimum is not None and value < minimum):
        problems.append(f"{key}: must be an integer" + (f" of at least {minimum}" if minimum is not None else ""))
        return None
    return value
