"""Fault injection over a real socket: each kind, matching by method and path, counts, seeded rates."""

from __future__ import annotations

import time

import httpx
import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.control import EmulatorControlError
from pulumi_mparticle_wsync.emulator.requestlog import DROPPED_STATUS
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .emulator_support import ApiSession, connection, data_model, message_text

C, D = wire.CONNECTIONS, wire.DATA_MODELS


def test_error_fault_answers_503_without_applying(api: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.add_fault("error", method="POST", count=1)
    failed = api.create(C, connection("c1"))
    assert failed.status_code == 503
    assert "injected error fault" in message_text(failed)
    assert api.get(C, "c1").status_code == 404  # not applied
    assert api.create(C, connection("c1")).status_code == 200  # the burst of one is over


def test_error_fault_with_custom_status_and_retry_after(api: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.add_fault("error", status=502, retry_after=3, count=1)
    answer = api.list(C)
    assert answer.status_code == 502
    assert answer.headers[wire.RETRY_AFTER_HEADER] == "3"


def test_rate_limit_burst_with_retry_after(api: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.add_fault("rate_limit", path_regex=f"/{C}$", count=3, retry_after=2)
    for _ in range(3):
        limited = api.list(C)
        assert limited.status_code == 429
        assert limited.headers[wire.RETRY_AFTER_HEADER] == "2"
        assert limited.headers[wire.RATE_LIMIT_HEADER] == "true"
        assert messages_are_errors(limited)
    assert api.list(C).status_code == 200
    assert [r.status for r in emulator.control.requests()[1:]] == [429, 429, 429, 200]


def messages_are_errors(response: httpx.Response) -> bool:
    return bool(message_text(response))


def test_rate_limit_defaults_to_one_second(api: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.add_fault("rate_limit", count=1)
    assert api.list(C).headers[wire.RETRY_AFTER_HEADER] == "1"


def test_drop_cuts_the_connection_without_applying(api: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.add_fault("drop", method="POST", path_regex=f"/{C}$", count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        api.create(C, connection("c1"))
    assert api.get(C, "c1").status_code == 404
    dropped = [r for r in emulator.control.requests() if r.fault == "drop"]
    assert [(r.method, r.status) for r in dropped] == [("POST", DROPPED_STATUS)]


def test_drop_after_apply_loses_the_answer_but_keeps_the_write(api: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.add_fault("drop", method="POST", path_regex=f"/{C}$", count=1, after_apply=True)
    with pytest.raises(httpx.RemoteProtocolError):
        api.create(C, connection("c1"))
    assert api.get(C, "c1").status_code == 200


def test_apply_then_error_commits_then_answers_500(api: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.add_fault("apply_then_error", method="POST", path_regex=f"/{C}$", count=1)
    failed = api.create(C, connection("c1"))
    assert failed.status_code == 500
    assert api.get(C, "c1").status_code == 200  # the write happened
    retried = api.create(C, connection("c1"))  # what a naive client would do next
    assert retried.status_code == 409


def test_apply_then_error_custom_status(api: ApiSession, emulator: EmulatorHandle) -> None:
    api.create_ok(D, data_model("m1"))
    emulator.control.add_fault("apply_then_error", method="DELETE", status=504, count=1)
    assert api.delete(D, "m1").status_code == 504
    assert api.get(D, "m1").status_code == 404


def test_latency_delays_matching_requests(api: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.add_fault("latency", method="GET", path_regex=f"/{D}$", latency_ms=300, count=1)
    started = time.monotonic()
    assert api.list(D).status_code == 200
    assert time.monotonic() - started >= 0.3
    assert emulator.control.faults()[0]["fired"] == 1


def test_latency_combines_with_an_error(api: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.add_fault("latency", latency_ms=1, latency_jitter_ms=5, seed=3)
    emulator.control.add_fault("error", status=500, count=1)
    assert api.list(D).status_code == 500
    assert [f["fired"] for f in emulator.control.faults()] == [1, 1]


def test_faults_match_method_and_path(api: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.add_fault("error", method="DELETE")
    emulator.control.add_fault("error", path_regex="/data-models/m2$")
    assert api.create(D, data_model("m1")).status_code == 200
    assert api.get(D, "m1").status_code == 200
    assert api.delete(D, "m1").status_code == 503
    assert api.create(D, data_model("m2")).status_code == 200  # POST path is /data-models, no match
    assert api.get(D, "m2").status_code == 503


def test_faults_apply_to_the_token_endpoint(emulator: EmulatorHandle, api: ApiSession) -> None:
    emulator.control.add_fault("error", path_regex=f"^{wire.TOKEN_PATH}$", count=1)
    with pytest.raises(AssertionError):
        ApiSession(api.http, emulator.client_id, emulator.client_secret, emulator.workspace_id)
    ApiSession(api.http, emulator.client_id, emulator.client_secret, emulator.workspace_id)
    assert [r.status for r in emulator.control.requests() if r.collection == "token"][-2:] == [503, 200]


def test_controls_are_never_faulted(emulator: EmulatorHandle) -> None:
    emulator.control.add_fault("error", path_regex=".*")
    assert emulator.control.health()
    emulator.control.clear_faults()
    assert emulator.control.faults() == []


def outcome_pattern(api: ApiSession, emulator: EmulatorHandle, seed: int) -> list[int]:
    emulator.control.reset()
    emulator.control.add_fault("error", path_regex=f"/{D}$", rate=0.5, seed=seed)
    return [api.list(D).status_code for _ in range(30)]


def test_seeded_rates_are_reproducible(api: ApiSession, emulator: EmulatorHandle) -> None:
    first = outcome_pattern(api, emulator, seed=11)
    assert first == outcome_pattern(api, emulator, seed=11)
    assert {200, 503} == set(first)  # some fail, some pass
    assert first != outcome_pattern(api, emulator, seed=12)


def test_rate_and_count_together(api: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.add_fault("error", rate=0.5, count=2, seed=5)
    statuses = [api.list(D).status_code for _ in range(20)]
    assert statuses.count(503) == 2


def test_remove_one_fault(api: ApiSession, emulator: EmulatorHandle) -> None:
    doomed = emulator.control.add_fault("error", method="GET")
    kept = emulator.control.add_fault("error", method="DELETE")
    emulator.control.remove_fault(doomed)
    assert [f["id"] for f in emulator.control.faults()] == [kept]
    assert api.list(D).status_code == 200
    with pytest.raises(EmulatorControlError):
        emulator.control.remove_fault(doomed)


@pytest.mark.parametrize(
    ("kind", "options", "fragment"),
    [
        ("explode", {}, "kind: 'explode' is not one of latency, error, rate_limit, drop, apply_then_error"),
        ("error", {"rate": 1.5}, "rate: must be a number from 0 to 1"),
        ("error", {"count": 0}, "count: must be an integer of at least 1"),
        ("error", {"status": 200}, "status: must be an HTTP error status"),
        ("rate_limit", {"status": 503}, "status: a rate_limit fault always answers 429"),
        ("latency", {}, "latency_ms: give a delay"),
        ("error", {"path_regex": "("}, "path_regex: not a regular expression"),
    ],
)
def test_bad_fault_specs_are_refused(
    emulator: EmulatorHandle, kind: str, options: dict[str, object], fragment: str
) -> None:
    with pytest.raises(EmulatorControlError) as error:
        emulator.control.add_fault(kind, **options)  # type: ignore[arg-type]
    assert error.value.status_code == 400
    assert fragment in str(error.value)
