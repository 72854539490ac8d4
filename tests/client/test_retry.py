"""The single retry choke point: which failures are retried, how long it waits, when it gives up."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import (
    APIError,
    BadRequestError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    TransportError,
)
from pulumi_mparticle_wsync.client._retry import parse_retry_after

from .client_fakes import WORKSPACE, Harness, connection_body, make_harness

LIST_PATH = f"/platform/v2/workspaces/{WORKSPACE}/{wire.CONNECTIONS}"
WALL_CLOCK = 1_700_000_000.0


# --- the policy alone ------------------------------------------------------------------------


def test_backoff_ceiling_grows_exponentially_up_to_the_cap() -> None:
    policy = RetryPolicy(base_delay=0.5, backoff_factor=2.0, max_delay=8.0)
    assert [policy.backoff_ceiling(n) for n in range(1, 8)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


@given(
    attempt=st.integers(min_value=1, max_value=30),
    waited=st.floats(min_value=0, max_value=100),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_jittered_delay_stays_within_ceiling_and_budget(attempt: int, waited: float, seed: int) -> None:
    policy = RetryPolicy(max_attempts=100, max_retry_wait=60.0)
    delay = policy.delay_before_retry(
        attempts_made=attempt, waited=waited, retry_after=None, rng=random.Random(seed)
    )
    remaining = 60.0 - waited
    if remaining <= 0:
        assert delay is None
    else:
        assert delay is not None
        assert 0.0 <= delay <= min(policy.backoff_ceiling(attempt), remaining)


def test_jitter_is_spread_over_the_whole_range() -> None:
    policy = RetryPolicy(max_attempts=100, max_retry_wait=1000.0)
    rng = random.Random(3)
    delays = [
        policy.delay_before_retry(attempts_made=4, waited=0, retry_after=None, rng=rng) for _ in range(500)
    ]
    values = [d for d in delays if d is not None]
    assert len(values) == 500
    assert min(values) < 0.5
    assert max(values) > 3.5  # ceiling for the 4th attempt is 4.0


def test_retry_after_is_obeyed_exactly_and_refused_beyond_the_budget() -> None:
    policy = RetryPolicy(max_attempts=5, max_retry_wait=10.0)
    rng = random.Random(0)
    assert policy.delay_before_retry(attempts_made=1, waited=0.0, retry_after=7.0, rng=rng) == 7.0
    assert policy.delay_before_retry(attempts_made=1, waited=4.0, retry_after=7.0, rng=rng) is None
    assert policy.delay_before_retry(attempts_made=5, waited=0.0, retry_after=0.0, rng=rng) is None


def test_retry_after_header_forms() -> None:
    now = WALL_CLOCK
    in_30s = format_datetime(datetime.fromtimestamp(now + 30, tz=UTC), usegmt=True)
    assert parse_retry_after("3", now) == 3.0
    assert parse_retry_after(" 1.5 ", now) == 1.5
    assert parse_retry_after(in_30s, now) == pytest.approx(30.0)
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now) == 0.0  # in the past: retry at once
    assert parse_retry_after("-4", now) == 0.0
    assert parse_retry_after("soonish", now) is None
    assert parse_retry_after(None, now) is None


# --- through the client ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_retryable_statuses_are_retried(status: int) -> None:
    h = make_harness()
    h.api.add_fault("status", path=LIST_PATH, status=status, times=2)
    assert h.client.list(wire.CONNECTIONS) == []
    assert h.api.count("GET", LIST_PATH) == 3
    assert len(h.sleeps) == 2


@pytest.mark.parametrize(("status", "error"), [(400, BadRequestError), (505, ServerError), (418, APIError)])
def test_other_statuses_are_not_retried(status: int, error: type[APIError]) -> None:
    h = make_harness()
    h.api.add_fault("status", path=LIST_PATH, status=status)
    with pytest.raises(error) as caught:
        h.client.list(wire.CONNECTIONS)
    assert type(caught.value) is error
    assert caught.value.status_code == status
    assert h.api.count("GET", LIST_PATH) == 1
    assert h.sleeps == []


@pytest.mark.parametrize("kind", ["connect", "drop", "read_timeout"])
def test_connection_failures_are_retried(kind: str) -> None:
    h = make_harness()
    h.api.add_fault(kind, path=LIST_PATH, times=3)
    assert h.client.list(wire.CONNECTIONS) == []
    assert h.api.count("GET", LIST_PATH) == 4


def test_attempts_are_capped_and_the_last_error_is_raised() -> None:
    h = make_harness(max_attempts=3)
    h.api.add_fault("status", path=LIST_PATH, status=503, times=10)
    with pytest.raises(ServerError) as caught:
        h.client.list(wire.CONNECTIONS)
    assert caught.value.status_code == 503
    assert h.api.count("GET", LIST_PATH) == 3
    assert len(h.sleeps) == 2


def test_transport_error_after_attempts_says_how_many() -> None:
    h = make_harness(max_attempts=2)
    h.api.add_fault("connect", path=LIST_PATH, times=10)
    with pytest.raises(TransportError) as caught:
        h.client.list(wire.CONNECTIONS)
    assert caught.value.attempts == 2
    assert str(caught.value).startswith(f"GET {LIST_PATH} failed (after 2 attempts): ConnectError")


def test_retry_after_seconds_is_slept_exactly() -> None:
    h = make_harness()
    h.api.add_fault("status", path=LIST_PATH, status=429, retry_after="2")
    h.client.list(wire.CONNECTIONS)
    assert h.sleeps == [2.0]


def test_retry_after_http_date_is_slept_until_that_moment() -> None:
    h = make_harness(wall_clock=WALL_CLOCK)
    when = format_datetime(datetime.fromtimestamp(WALL_CLOCK + 5, tz=UTC), usegmt=True)
    h.api.add_fault("status", path=LIST_PATH, status=503, retry_after=when)
    h.client.list(wire.CONNECTIONS)
    assert h.sleeps == [pytest.approx(5.0)]


def test_retry_after_beyond_the_budget_gives_up_without_sleeping() -> None:
    h = make_harness(max_retry_wait=10.0)
    h.api.add_fault("status", path=LIST_PATH, status=429, retry_after="60")
    with pytest.raises(RateLimitError) as caught:
        h.client.list(wire.CONNECTIONS)
    assert caught.value.status_code == 429
    assert h.sleeps == []
    assert h.api.count("GET", LIST_PATH) == 1


def test_the_wait_budget_bounds_the_total_sleep() -> None:
    h = make_harness(max_attempts=50, max_retry_wait=5.0)
    h.api.add_fault("status", path=LIST_PATH, status=503, times=100)
    with pytest.raises(ServerError):
        h.client.list(wire.CONNECTIONS)
    assert sum(h.sleeps) == pytest.approx(5.0)
    assert all(0 <= s <= 8.0 for s in h.sleeps)


def test_backoff_sleeps_respect_each_ceiling() -> None:
    h = make_harness(max_attempts=6, max_retry_wait=1000.0)
    h.api.add_fault("status", path=LIST_PATH, status=500, times=5)
    h.client.list(wire.CONNECTIONS)
    policy = RetryPolicy()
    assert len(h.sleeps) == 5
    for retry_number, slept in enumerate(h.sleeps, start=1):
        assert 0 <= slept <= policy.backoff_ceiling(retry_number)


def test_a_single_attempt_setting_never_retries() -> None:
    h = make_harness(max_attempts=1)
    h.api.add_fault("status", path=LIST_PATH, status=503)
    with pytest.raises(ServerError):
        h.client.list(wire.CONNECTIONS)
    assert h.sleeps == []


def test_token_requests_go_through_the_same_retries() -> None:
    h = make_harness()
    h.api.add_fault("status", path=wire.TOKEN_PATH, status=503, times=2)
    assert h.client.list(wire.CONNECTIONS) == []
    assert h.api.count("POST", wire.TOKEN_PATH) == 3
    assert h.api.tokens_issued == 1
    assert len(h.sleeps) == 2


# --- one budget per call: the token requests it needs draw from it too ------------------------------


def requests(h: Harness) -> list[str]:
    return [call.split(" ", 1)[0] + (" token" if call.endswith(wire.TOKEN_PATH) else " api") for call in h.api.calls]


def test_token_failures_and_api_failures_share_the_calls_attempts() -> None:
    h = make_harness(max_attempts=5)
    h.api.add_fault("status", path=wire.TOKEN_PATH, status=503, times=2)
    h.api.add_fault("status", path=LIST_PATH, status=503, times=10)
    with pytest.raises(ServerError) as caught:
        h.client.list(wire.CONNECTIONS)
    assert caught.value.path == LIST_PATH
    # Attempts 1 and 2 fail minting; 3 mints and fails the GET; 4 and 5 fail the GET: 5 attempts, 6 requests.
    assert requests(h) == ["POST token"] * 3 + ["GET api"] * 3
    assert len(h.sleeps) == 4


def test_a_small_budget_is_spent_by_the_token_requests_first() -> None:
    h = make_harness(max_attempts=3)
    h.api.add_fault("status", path=wire.TOKEN_PATH, status=503, times=2)
    h.api.add_fault("status", path=LIST_PATH, status=503, times=10)
    with pytest.raises(ServerError):
        h.client.list(wire.CONNECTIONS)
    assert requests(h) == ["POST token"] * 3 + ["GET api"]
    assert len(h.sleeps) == 2


def test_a_token_endpoint_that_keeps_failing_uses_the_calls_attempts_and_no_more() -> None:
    h = make_harness(max_attempts=4)
    h.api.add_fault("status", path=wire.TOKEN_PATH, status=503, times=10)
    with pytest.raises(ServerError) as caught:
        h.client.list(wire.CONNECTIONS)
    assert caught.value.path == wire.TOKEN_PATH
    assert requests(h) == ["POST token"] * 4
    assert len(h.sleeps) == 3


def test_the_wait_budget_is_shared_by_the_token_requests_and_the_api_requests() -> None:
    h = make_harness(max_retry_wait=10.0)
    h.api.add_fault("status", path=wire.TOKEN_PATH, status=503, retry_after="6")
    h.api.add_fault("status", path=LIST_PATH, status=503, retry_after="6")
    with pytest.raises(ServerError) as caught:
        h.client.list(wire.CONNECTIONS)
    assert caught.value.path == LIST_PATH
    assert h.sleeps == [6.0]  # the second 6 s would overrun the 10 s of the call
    assert requests(h) == ["POST token", "POST token", "GET api"]


def test_a_401_and_its_token_renewal_are_one_attempt() -> None:
    h = make_harness(max_attempts=2)
    h.client.list(wire.CONNECTIONS)
    h.api.calls.clear()
    h.api.add_fault("unauthorized", path=LIST_PATH)
    h.api.add_fault("status", path=LIST_PATH, status=503)
    assert h.client.list(wire.CONNECTIONS) == []
    # Attempt 1: refused, renewed, repeated (a 503); attempt 2: the answer. Two attempts: within the budget.
    assert requests(h) == ["GET api", "POST token", "GET api", "GET api"]
    assert len(h.sleeps) == 1


def test_a_renewal_that_fails_is_retried_by_the_call_and_the_request_is_sent_once_renewed() -> None:
    h = make_harness(max_attempts=2)
    h.client.list(wire.CONNECTIONS)
    h.api.calls.clear()
    h.api.expire_all_tokens()
    h.api.add_fault("status", path=wire.TOKEN_PATH, status=503)
    assert h.client.list(wire.CONNECTIONS) == []
    assert requests(h) == ["GET api", "POST token", "POST token", "GET api"]
    assert h.api.tokens_issued == 2


def test_a_create_whose_token_request_failed_is_posted_without_looking_first() -> None:
    # The POST was never sent: the next attempt repeats it, it does not look for an applied one.
    h = make_harness()
    h.api.add_fault("status", path=wire.TOKEN_PATH, status=503)
    h.client.create(wire.CONNECTIONS, connection_body())
    assert requests(h) == ["POST token", "POST token", "POST api"]
