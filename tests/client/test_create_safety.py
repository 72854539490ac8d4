"""A create is never blindly repeated: after a lost answer the client looks before it POSTs again."""

from __future__ import annotations

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import (
    BadRequestError,
    ConflictError,
    ServerError,
    TransportError,
    WarehouseSyncError,
)

from .client_fakes import WORKSPACE, FakeAPI, connection_body, make_harness, pipeline_body

COLLECTION_PATH = f"/platform/v2/workspaces/{WORKSPACE}/{wire.CONNECTIONS}"
OBJECT_PATH = f"{COLLECTION_PATH}/warehouse"


def api_calls(calls: list[str]) -> list[str]:
    return [call for call in calls if not call.endswith(wire.TOKEN_PATH)]


def test_a_plain_create_is_one_post() -> None:
    h = make_harness()
    created = h.client.create(wire.CONNECTIONS, connection_body())
    assert created[wire.ID] == "warehouse"
    assert created[wire.CREATED_ON]
    assert api_calls(h.api.calls) == [f"POST {COLLECTION_PATH}"]


@pytest.mark.parametrize("kind", ["apply_then_status", "apply_then_drop", "read_timeout"])
def test_lost_answer_then_matching_object_is_taken_without_a_second_post(kind: str) -> None:
    h = make_harness()
    h.api.add_fault(kind, method="POST", path=COLLECTION_PATH, status=500)
    created = h.client.create(wire.CONNECTIONS, connection_body())
    assert created[wire.ID] == "warehouse"
    assert api_calls(h.api.calls) == [f"POST {COLLECTION_PATH}", f"GET {OBJECT_PATH}"]
    assert len(h.api.store(wire.CONNECTIONS)) == 1


@pytest.mark.parametrize("secret_mode", [wire.SECRET_MODE_OMIT, wire.SECRET_MODE_MASK])
def test_served_secrets_in_either_form_still_match(secret_mode: str) -> None:
    h = make_harness(FakeAPI(secret_mode=secret_mode, capitalise_provider=True))
    h.api.add_fault("apply_then_status", method="POST", status=502)
    created = h.client.create(wire.PIPELINES, pipeline_body())
    assert created[wire.ID] == "nightly"
    h.api.add_fault("apply_then_status", method="POST", status=502)
    h.client.create(wire.CONNECTIONS, connection_body())
    assert h.api.count("POST", COLLECTION_PATH) == 1
    assert h.api.count("GET", OBJECT_PATH) == 1


def test_failure_before_applying_then_get_404_posts_again() -> None:
    h = make_harness()
    h.api.add_fault("status", method="POST", path=COLLECTION_PATH, status=503)
    h.client.create(wire.CONNECTIONS, connection_body())
    # The 404 alone proves nothing: the listing without the id proves the POST was not applied.
    assert api_calls(h.api.calls) == [
        f"POST {COLLECTION_PATH}",
        f"GET {OBJECT_PATH}",
        f"GET {COLLECTION_PATH}",
        f"POST {COLLECTION_PATH}",
    ]
    assert len(h.api.store(wire.CONNECTIONS)) == 1


def test_dropped_before_applying_then_get_404_posts_again() -> None:
    h = make_harness()
    h.api.add_fault("drop", method="POST", path=COLLECTION_PATH)
    h.client.create(wire.CONNECTIONS, connection_body())
    assert api_calls(h.api.calls) == [
        f"POST {COLLECTION_PATH}",
        f"GET {OBJECT_PATH}",
        f"GET {COLLECTION_PATH}",
        f"POST {COLLECTION_PATH}",
    ]


def test_refused_connection_and_429_repost_without_looking() -> None:
    h = make_harness()
    h.api.add_fault("connect", method="POST", path=COLLECTION_PATH)
    h.api.add_fault("status", method="POST", path=COLLECTION_PATH, status=429, retry_after="1")
    h.client.create(wire.CONNECTIONS, connection_body())
    assert api_calls(h.api.calls) == [f"POST {COLLECTION_PATH}"] * 3
    assert h.sleeps[1] == 1.0


def test_lost_answer_then_a_different_object_is_a_conflict() -> None:
    h = make_harness()
    h.api.seed(wire.CONNECTIONS, connection_body(name="Someone else's"))
    h.api.add_fault("status", method="POST", path=COLLECTION_PATH, status=500)
    with pytest.raises(ConflictError) as caught:
        h.client.create(wire.CONNECTIONS, connection_body())
    message = str(caught.value)
    assert message.startswith(
        f"POST {COLLECTION_PATH} -> 409: id 'warehouse' is already taken by a different"
    )
    assert "name" in message
    assert "hunter2" not in message
    assert api_calls(h.api.calls) == [f"POST {COLLECTION_PATH}", f"GET {OBJECT_PATH}"]


def test_the_verifying_get_is_itself_retried() -> None:
    h = make_harness()
    h.api.add_fault("apply_then_status", method="POST", path=COLLECTION_PATH, status=500)
    h.api.add_fault("status", method="GET", path=OBJECT_PATH, status=503, times=2)
    h.client.create(wire.CONNECTIONS, connection_body())
    assert api_calls(h.api.calls) == [f"POST {COLLECTION_PATH}"] + [f"GET {OBJECT_PATH}"] * 3


def test_looking_and_posting_share_one_attempt_budget() -> None:
    h = make_harness(max_attempts=3)
    h.api.add_fault("status", method="POST", path=COLLECTION_PATH, status=503, times=10)
    with pytest.raises(ServerError):
        h.client.create(wire.CONNECTIONS, connection_body())
    # attempt 1: POST; attempts 2 and 3: GET 404, the listing, then POST; then one last look
    # (GET 404 and the listing)
    assert h.api.count("POST", COLLECTION_PATH) == 3
    assert h.api.count("GET", OBJECT_PATH) == 3
    assert h.api.count("GET", f"{COLLECTION_PATH}$") == 3
    assert len(h.sleeps) == 2


def test_applied_on_the_last_attempt_is_found_by_a_last_look() -> None:
    h = make_harness(max_attempts=2)
    h.api.add_fault("status", method="POST", path=COLLECTION_PATH, status=503, times=1)
    h.api.add_fault("apply_then_status", method="POST", path=COLLECTION_PATH, status=503)
    created = h.client.create(wire.CONNECTIONS, connection_body())
    assert created[wire.ID] == "warehouse"
    assert api_calls(h.api.calls) == [f"POST {COLLECTION_PATH}", f"GET {OBJECT_PATH}", f"GET {COLLECTION_PATH}",
                                      f"POST {COLLECTION_PATH}", f"GET {OBJECT_PATH}"]
    assert len(h.api.store(wire.CONNECTIONS)) == 1


def test_applied_then_a_final_non_retryable_5xx_is_found_by_a_last_look() -> None:
    h = make_harness()
    h.api.add_fault("apply_then_status", method="POST", path=COLLECTION_PATH, status=501)
    created = h.client.create(wire.CONNECTIONS, connection_body())
    assert created[wire.ID] == "warehouse"
    assert api_calls(h.api.calls) == [f"POST {COLLECTION_PATH}", f"GET {OBJECT_PATH}"]


@pytest.mark.parametrize("status", [403, 404, 429])
def test_a_create_that_cannot_have_been_applied_fails_without_a_look(status: int) -> None:
    h = make_harness(max_attempts=2)
    h.api.add_fault("status", method="POST", path=COLLECTION_PATH, status=status, times=10)
    with pytest.raises(WarehouseSyncError):
        h.client.create(wire.CONNECTIONS, connection_body())
    assert h.api.count("GET", OBJECT_PATH) == 0


def test_a_last_look_at_a_different_object_keeps_the_error() -> None:
    h = make_harness(max_attempts=1)
    h.api.add_fault("status", method="POST", path=COLLECTION_PATH, status=503)
    h.api.seed(wire.CONNECTIONS, {**connection_body(), wire.NAME: "someone else's"})
    with pytest.raises(ServerError):
        h.client.create(wire.CONNECTIONS, connection_body())
    assert api_calls(h.api.calls) == [f"POST {COLLECTION_PATH}", f"GET {OBJECT_PATH}"]


def test_transport_failures_until_the_end_raise_transport_error() -> None:
    h = make_harness(max_attempts=2)
    h.api.add_fault("drop", method="POST", path=COLLECTION_PATH, times=10)
    with pytest.raises(TransportError):
        h.client.create(wire.CONNECTIONS, connection_body())
    assert h.api.count("POST", COLLECTION_PATH) == 2


@pytest.mark.parametrize("status", [wire.DUPLICATE_ID_409, wire.DUPLICATE_ID_400])
def test_an_existing_id_is_a_conflict_in_both_forms(status: int) -> None:
    h = make_harness(FakeAPI(duplicate_status=status))
    h.api.seed(wire.CONNECTIONS, connection_body())
    with pytest.raises(ConflictError) as caught:
        h.client.create(wire.CONNECTIONS, connection_body())
    assert caught.value.status_code == status
    assert "already exists" in str(caught.value)
    assert "choose another id" in str(caught.value)
    assert api_calls(h.api.calls) == [f"POST {COLLECTION_PATH}"]


def test_a_400_about_something_else_is_not_a_conflict() -> None:
    h = make_harness()
    h.api.add_fault(
        "status",
        method="POST",
        path=COLLECTION_PATH,
        status=400,
        body={"statusCode": 400, "errors": [{"message": "config.database is required"}]},
    )
    with pytest.raises(BadRequestError) as caught:
        h.client.create(wire.CONNECTIONS, connection_body())
    assert type(caught.value) is BadRequestError
    assert str(caught.value) == f"POST {COLLECTION_PATH} -> 400: config.database is required"


@pytest.mark.parametrize("status", [wire.DUPLICATE_ID_409, wire.DUPLICATE_ID_400])
def test_duplicate_after_an_ambiguous_failure_is_checked_and_accepted(status: int) -> None:
    h = make_harness(FakeAPI(duplicate_status=status))
    # The first POST is applied but answered 500, and the verifying GET and listing read a lagging
    # replica (404, and a listing without it), so the client POSTs again and meets its own object
    # as a duplicate.
    h.api.add_fault("apply_then_status", method="POST", path=COLLECTION_PATH, status=500)
    h.api.add_fault("status", method="GET", path=OBJECT_PATH, status=404)
    h.api.add_fault("status", method="GET", path=f"{COLLECTION_PATH}$", status=200, body=[])
    created = h.client.create(wire.CONNECTIONS, connection_body())
    assert created[wire.ID] == "warehouse"
    # POST (applied, 500) -> GET (404) -> list (lagging: []) -> POST (duplicate) -> GET (matches)
    assert api_calls(h.api.calls) == [
        f"POST {COLLECTION_PATH}",
        f"GET {OBJECT_PATH}",
        f"GET {COLLECTION_PATH}",
        f"POST {COLLECTION_PATH}",
        f"GET {OBJECT_PATH}",
    ]
    assert list(h.api.store(wire.CONNECTIONS)) == ["warehouse"]


def test_duplicate_after_an_ambiguous_failure_with_different_content_is_a_conflict() -> None:
    h = make_harness()
    # Our first POST fails unapplied and the GET answers 404 (injected: a lagging read), but the
    # listing that must confirm the 404 shows someone else's object under the id: no second POST.
    h.api.seed(wire.CONNECTIONS, connection_body(name="Other"))
    h.api.add_fault("status", method="POST", path=COLLECTION_PATH, status=500)
    h.api.add_fault("status", method="GET", path=OBJECT_PATH, status=404)
    with pytest.raises(ConflictError) as caught:
        h.client.create(wire.CONNECTIONS, connection_body())
    assert "already taken by a different connection (it differs in name)" in str(caught.value)
    assert api_calls(h.api.calls) == [
        f"POST {COLLECTION_PATH}",
        f"GET {OBJECT_PATH}",
        f"GET {COLLECTION_PATH}",
    ]
    assert h.api.store(wire.CONNECTIONS)["warehouse"][wire.NAME] == "Other"


def test_create_needs_a_client_chosen_id() -> None:
    h = make_harness()
    body = connection_body()
    del body[wire.ID]
    with pytest.raises(ValueError, match="ids are chosen by the client"):
        h.client.create(wire.CONNECTIONS, body)
