"""The one place that decides whether, and when, a request is tried again.

Every HTTP exchange of the client, token requests included, goes through ``exchange`` (which
classifies one outcome) inside ``call_with_retries`` (which sleeps and tries again). Callers that
must not blindly repeat a request (a POST whose answer was lost) look at
``RetryableFailure.may_have_applied`` and change what the next attempt does; they never loop
on their own.

One budget per call: ``call_with_retries`` runs a call's attempts, at most ``max_attempts`` of
them and ``max_retry_wait`` seconds of waiting in all (``RetryPolicy``, defaults in
``_constants``). An attempt is everything one try of the call sends: the token request it needs
(a first token, or a new one after a 401), the API request, and a listing that proves a 404. A
retryable failure of any of them fails the attempt; nothing else retries, so a token endpoint
that answers 503 spends the same attempts and the same wait as the API would.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from typing import Final, TypeVar

import httpx

from .. import _constants as c
from .. import wire
from ._responses import display_path, error_from_response
from ._scrub import Scrubber
from .errors import TransportError, WarehouseSyncError

logger: Final = logging.getLogger(__name__)

T = TypeVar("T")

# Failures where the request never left this machine: repeating it cannot duplicate anything.
_NOT_SENT: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures worth another attempt; the rest (bad URL, unsupported protocol, ...) will not heal.
_TRANSIENT: Final = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


@dataclass(frozen=True)
class RetryPolicy:
    """How many attempts, how long to wait between them, and which answers deserve another try."""

    max_attempts: int = c.DEFAULT_MAX_ATTEMPTS
    max_retry_wait: float = c.DEFAULT_MAX_RETRY_WAIT
    base_delay: float = c.RETRY_BASE_DELAY
    backoff_factor: float = c.RETRY_BACKOFF_FACTOR
    max_delay: float = c.RETRY_MAX_DELAY
    retryable_statuses: frozenset[int] = c.RETRYABLE_STATUS_CODES

    def backoff_ceiling(self, retry_number: int) -> float:
        """Upper bound of the sleep before retry ``retry_number`` (1 for the first retry)."""
        return min(self.max_delay, self.base_delay * self.backoff_factor ** (retry_number - 1))

    def delay_before_retry(
        self, *, attempts_made: int, waited: float, retry_after: float | None, rng: random.Random
    ) -> float | None:
        """Seconds to sleep before the next attempt, or ``None`` to give up.

        A server's ``Retry-After`` is obeyed exactly; if it asks for more than the remaining
        budget, waiting would be pointless and the call gives up. Otherwise the sleep is drawn
        from [0, capped exponential] ("full jitter") and clipped to the remaining budget.
        """
        if attempts_made >= self.max_attempts:
            return None
        remaining = self.max_retry_wait - waited
        if retry_after is not None:
            return retry_after if retry_after <= remaining else None
        if remaining <= 0:
            return None
        return min(rng.uniform(0.0, self.backoff_ceiling(attempts_made)), remaining)


@dataclass(frozen=True)
class Timing:
    """Sleeping, the wall clock and randomness, injectable so tests never really wait."""

    sleep: Callable[[float], None] = time.sleep
    wall_clock: Callable[[], float] = time.time
    rng: random.Random = field(default_factory=random.Random)


class RetryableFailure(Exception):
    """One attempt failed in a way another attempt may fix.

    ``error`` is what the caller gets if no attempt is left. ``may_have_applied`` is true when
    the server may have acted on the request before the failure (5xx, a lost answer).
    """

    def __init__(
        self, error: WarehouseSyncError, *, may_have_applied: bool, retry_after: float | None = None
    ):
        super().__init__(str(error))
        self.error = error
        self.may_have_applied = may_have_applied
        self.retry_after = retry_after


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def exchange(
    http: httpx.Client, request: httpx.Request, *, policy: RetryPolicy, scrubber: Scrubber, timing: Timing
) -> httpx.Response:
    """Send one request; return the answer, or raise ``RetryableFailure`` / a final error.

    Non-retryable error statuses (400, 401, 404, ...) are returned, not raised: callers decide
    what they mean (a 404 on GET is ``None``, a 401 triggers one token renewal).
    """
    method, path = request.method, display_path(request)
    try:
        response = http.send(request)
    except _TRANSIENT as exc:
        reason = scrubber(f"{type(exc).__name__}: {exc}".rstrip(": "))
        raise RetryableFailure(
            TransportError(method, path, reason), may_have_applied=not isinstance(exc, _NOT_SENT)
        ) from exc
    except httpx.TransportError as exc:
        raise TransportError(method, path, scrubber(f"{type(exc).__name__}: {exc}")) from exc
    if response.status_code in policy.retryable_statuses:
        raise RetryableFailure(
            error_from_response(response, scrubber),
            may_have_applied=response.status_code != 429,
            retry_after=parse_retry_after(response.headers.get(wire.RETRY_AFTER_HEADER), timing.wall_clock()),
        )
    return response


def call_with_retries(operation: Callable[[], T], *, policy: RetryPolicy, timing: Timing) -> T:
    """Run ``operation`` until it returns, raises a final error, or the attempt/wait budget runs out."""
    attempts_made = 0
    waited = 0.0
    while True:
        attempts_made += 1
        try:
            return operation()
        except RetryableFailure as failure:
            delay = policy.delay_before_retry(
                attempts_made=attempts_made, waited=waited, retry_after=failure.retry_after, rng=timing.rng
            )
            if delay is None:
                raise _final(failure.error, attempts_made) from failure.__cause__
            logger.debug("retrying in %.2fs after attempt %d: %s", delay, attempts_made, failure.error)
            timing.sleep(delay)
            waited += delay


def _final(error: WarehouseSyncError, attempts_made: int) -> WarehouseSyncError:
    return error.after_attempts(attempts_made) if isinstance(error, TransportError) else error
