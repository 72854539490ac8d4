"""``Listings``: how long a listing serves reads, whose reads it serves, and what makes it stale.

Clients here talk to ``FakeAPI`` (``tests/client/client_fakes``), whose ``calls`` log is exact;
the clock is a test's own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import httpx
import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.resources._listings import MAX_AGE_SECONDS, Listings

from ..client.client_fakes import CLIENT_ID, WORKSPACE, FakeAPI, Harness, connection_body, make_harness

OTHER_WORKSPACE = "2002"
OTHER_CLIENT_ID = "client-id-2"
LIST = f"GET /platform/v2/workspaces/{WORKSPACE}/{wire.CONNECTIONS}"
TOKEN = "POST /oauth/token"


def get(object_id: str, workspace: str = WORKSPACE) -> str:
    return f"GET /platform/v2/workspaces/{workspace}/{wire.CONNECTIONS}/{object_id}"


@dataclass
class TwoCredentialAPI(FakeAPI):
    """``FakeAPI`` that also grants tokens to ``OTHER_CLIENT_ID`` (with the same secret)."""

    def _token(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if body.get(wire.TOKEN_CLIENT_ID) == OTHER_CLIENT_ID:
            request = httpx.Request(request.method, request.url, json={**body, wire.TOKEN_CLIENT_ID: CLIENT_ID})
        return super()._token(request)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def api() -> FakeAPI:
    api = TwoCredentialAPI()
    for object_id in ("a", "b", "c"):
        api.seed(wire.CONNECTIONS, connection_body(object_id))
    api.seed(wire.CONNECTIONS, connection_body("a"), workspace=OTHER_WORKSPACE)
    return api


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def listings(clock: Clock) -> Listings:
    return Listings(clock=clock)


def read(listings: Listings, harness: Harness, object_id: str, workspace: str = WORKSPACE) -> str | None:
    served = listings.read(harness.client, wire.CONNECTIONS, object_id, workspace)
    return None if served is None else str(served[wire.ID])


def test_a_listing_serves_reads_for_max_age_seconds(api: FakeAPI, listings: Listings, clock: Clock) -> None:
    harness = make_harness(api)
    assert [read(listings, harness, o) for o in ("a", "b")] == ["a", "b"]
    clock.now += MAX_AGE_SECONDS - 0.001
    assert read(listings, harness, "c") == "c"
    assert api.calls == [TOKEN, LIST]
    clock.now += 0.001
    assert read(listings, harness, "a") == "a"
    assert api.calls == [TOKEN, LIST, LIST]


def test_a_served_object_is_a_copy(api: FakeAPI, listings: Listings) -> None:
    harness = make_harness(api)
    served = listings.read(harness.client, wire.CONNECTIONS, "a", WORKSPACE)
    assert served is not None
    served[wire.NAME] = "changed by the caller"
    again = listings.read(harness.client, wire.CONNECTIONS, "a", WORKSPACE)
    assert again is not None and again[wire.NAME] == "Main warehouse"


def test_listings_are_kept_per_workspace_and_per_credential(api: FakeAPI, listings: Listings) -> None:
    harness, other_credential = make_harness(api), make_harness(api, client_id=OTHER_CLIENT_ID)
    assert read(listings, harness, "a") == "a"
    assert read(listings, harness, "a", OTHER_WORKSPACE) == "a"
    assert read(listings, other_credential, "b") == "b"
    assert read(listings, harness, "b") == "b"
    other_list = f"GET /platform/v2/workspaces/{OTHER_WORKSPACE}/{wire.CONNECTIONS}"
    assert api.calls == [TOKEN, LIST, other_list, TOKEN, LIST]


def test_a_write_by_any_client_of_the_process_makes_the_listing_stale(api: FakeAPI, listings: Listings) -> None:
    harness, other_credential = make_harness(api), make_harness(api, client_id=OTHER_CLIENT_ID)
    assert read(listings, harness, "a") == "a"
    other_credential.client.replace(wire.CONNECTIONS, "b", connection_body("b", name="Renamed"))
    served = listings.read(harness.client, wire.CONNECTIONS, "b", WORKSPACE)
    assert served is not None and served[wire.NAME] == "Renamed"
    assert api.calls == [TOKEN, LIST, TOKEN, f"PUT {get('b').removeprefix('GET ')}", LIST]


def test_a_write_to_another_workspace_keeps_the_listing(api: FakeAPI, listings: Listings) -> None:
    harness = make_harness(api)
    assert read(listings, harness, "a") == "a"
    harness.client.delete(wire.CONNECTIONS, "a", workspace_id=OTHER_WORKSPACE)
    assert read(listings, harness, "b") == "b"
    assert api.calls == [TOKEN, LIST, f"DELETE {get('a', OTHER_WORKSPACE).removeprefix('GET ')}"]


def test_a_failed_listing_sends_reads_to_get_until_max_age(api: FakeAPI, listings: Listings, clock: Clock) -> None:
    api.add_fault("status", method="GET", path=f"/{wire.CONNECTIONS}$", status=403)
    harness = make_harness(api)
    assert [read(listings, harness, o) for o in ("a", "b")] == ["a", "b"]
    assert api.calls == [TOKEN, LIST, get("a"), get("b")]
    clock.now += MAX_AGE_SECONDS
    assert read(listings, harness, "c") == "c"
    assert api.calls == [TOKEN, LIST, get("a"), get("b"), LIST]


def test_a_list_that_gets_no_answer_fails_the_read_without_a_get(api: FakeAPI, listings: Listings) -> None:
    """A GET would get no answer either, after as many retries: a dead URL is waited for once."""
    from pulumi_mparticle_wsync.client import TransportError

    api.add_fault("connect", method="GET", path=f"/{wire.CONNECTIONS}$", times=100)
    harness = make_harness(api)
    with pytest.raises(TransportError):
        read(listings, harness, "a")
    attempts = api.count("GET")
    assert attempts >= 1 and api.calls == [TOKEN, *[LIST] * attempts]
    api.faults.clear()
    assert read(listings, harness, "b") == "b"  # the next read lists again
    assert api.calls == [TOKEN, *[LIST] * attempts, LIST]


def test_a_missing_object_is_proven_gone_by_the_listing_and_its_404(api: FakeAPI, listings: Listings) -> None:
    harness = make_harness(api)
    assert read(listings, harness, "gone") is None
    assert api.calls == [TOKEN, LIST, get("gone")]
