"""``listing``: a collection read whole, for a caller that reads many of its objects; ``get(absent_from=)``.

A list answer is understood only as the spec has it: a bare JSON array (of objects with distinct
string ids, for ``listing``) and nothing saying that more pages exist. ``FakeAPI`` serves the
objects; ``reshaped`` changes its list answers as a server of another shape would.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import APIError, Timing, UnconfirmedNotFoundError, WarehouseSyncClient

from .client_fakes import WORKSPACE, FakeAPI, connection_body, make_harness, make_settings

BASE = f"/platform/v2/workspaces/{WORKSPACE}"
LIST = f"GET {BASE}/{wire.CONNECTIONS}"
TOKEN = "POST /oauth/token"

Reshape = Callable[[list[dict[str, Any]]], Any]


@pytest.fixture
def api() -> FakeAPI:
    api = FakeAPI()
    for object_id in ("a", "b"):
        api.seed(wire.CONNECTIONS, connection_body(object_id))
    return api


def reshaped(api: FakeAPI, reshape: Reshape, headers: dict[str, str] | None = None) -> WarehouseSyncClient:
    """A client of ``api`` whose connection lists come back as ``reshape`` makes them, with ``headers``."""

    def handle(request: httpx.Request) -> httpx.Response:
        response = api.handle(request)
        if request.method == "GET" and request.url.path == f"{BASE}/{wire.CONNECTIONS}":
            return httpx.Response(response.status_code, json=reshape(response.json()), headers=headers or {})
        return response

    timing = Timing(sleep=lambda _s: None, rng=random.Random(7))
    return WarehouseSyncClient(make_settings(), httpx.MockTransport(handle), timing=timing)


def as_served(listed: list[dict[str, Any]]) -> Any:
    return listed


def test_a_listing_holds_every_object_by_id(api: FakeAPI) -> None:
    client = make_harness(api).client
    listing = client.listing(wire.CONNECTIONS)
    assert sorted(listing.objects) == ["a", "b"]
    assert "a" in listing and "gone" not in listing
    found = listing.find("a")
    assert found is not None and found[wire.NAME] == "Main warehouse"
    found["config"]["database"] = "changed by the caller"
    assert (listing.find("a") or {})["config"]["database"] == "ANALYTICS"
    assert listing.find("gone") is None
    assert api.calls == [TOKEN, LIST]


REFUSED = [
    ("envelope", lambda listed: {"data": listed, "next": None}, {},
     "expected a JSON array of objects with distinct string 'id's, got dict"),
    ("an object without an id", lambda listed: [*listed, {wire.NAME: "no id"}], {},
     "expected a JSON array of objects with distinct string 'id's, got list"),
    ("a number id", lambda listed: [*listed, {wire.ID: 7}], {},
     "expected a JSON array of objects with distinct string 'id's, got list"),
    ("a repeated id", lambda listed: [*listed, listed[0]], {},
     "expected a JSON array of objects with distinct string 'id's, got list"),
    ("Link rel=next", lambda listed: listed[:1], {"Link": '<https://api.test/c?page=2>; rel="next"'},
     'expected the whole collection as one JSON array, got one page of several (a Link header with rel="next")'),
    ("Link rel=next among others", as_served, {"Link": "<https://x/1>; rel=prev, <https://x/3>; rel=next"},
     'expected the whole collection as one JSON array, got one page of several (a Link header with rel="next")'),
    ("a cursor header", lambda listed: listed[:1], {"X-Next-Cursor": "abc"},
     "expected the whole collection as one JSON array, got one page of several (the X-Next-Cursor header)"),
    ("a next-page header", as_served, {"X-Next-Page": "2"},
     "expected the whole collection as one JSON array, got one page of several (the X-Next-Page header)"),
    ("a total above the length", lambda listed: listed[:1], {"X-Total-Count": "2"},
     "expected the whole collection as one JSON array, got one page of several (X-Total-Count: 2 for an array of 1)"),
]


@pytest.mark.parametrize(("reshape", "headers", "message"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_listing_refuses_what_it_does_not_understand(
    api: FakeAPI, reshape: Reshape, headers: dict[str, str], message: str
) -> None:
    with pytest.raises(APIError) as caught:
        reshaped(api, reshape, headers).listing(wire.CONNECTIONS)
    assert caught.value.messages == [message]
    assert (caught.value.status_code, caught.value.method, caught.value.path) == (200, "GET", f"{BASE}/connections")


@pytest.mark.parametrize(
    "headers",
    [{"X-Total-Count": "2"}, {"Link": '<https://api.test/c>; rel="self"'}, {"X-Next-Page": ""}],
    ids=["total-equal-to-length", "link-to-itself", "empty-next-page"],
)
def test_headers_that_do_not_announce_more_pages_are_fine(api: FakeAPI, headers: dict[str, str]) -> None:
    client = reshaped(api, as_served, headers)
    assert sorted(client.listing(wire.CONNECTIONS).objects) == ["a", "b"]
    assert [o[wire.ID] for o in client.list(wire.CONNECTIONS)] == ["a", "b"]


ONE_PAGE = REFUSED[4:]


@pytest.mark.parametrize(("reshape", "headers", "message"), [c[1:] for c in ONE_PAGE], ids=[c[0] for c in ONE_PAGE])
def test_list_refuses_one_page_of_several_too(
    api: FakeAPI, reshape: Reshape, headers: dict[str, str], message: str
) -> None:
    """Export and recover take ``list`` as the whole collection: one page of it must not pass for it."""
    with pytest.raises(APIError) as caught:
        reshaped(api, reshape, headers).list(wire.CONNECTIONS)
    assert caught.value.messages == [message]


# --- get(absent_from=): the listing and the 404 prove together -------------------------------------


def test_a_404_for_an_object_the_listing_lacks_is_proof_without_another_listing(api: FakeAPI) -> None:
    client = make_harness(api).client
    listing = client.listing(wire.CONNECTIONS)
    assert client.get(wire.CONNECTIONS, "gone", absent_from=listing) is None
    assert api.calls == [TOKEN, LIST, f"GET {BASE}/connections/gone"]


def test_an_object_the_listing_lacks_but_the_server_holds_is_served(api: FakeAPI) -> None:
    client = make_harness(api).client
    listing = client.listing(wire.CONNECTIONS)
    api.seed(wire.CONNECTIONS, connection_body("late"))
    served = client.get(wire.CONNECTIONS, "late", absent_from=listing)
    assert served is not None and served[wire.ID] == "late"
    assert api.calls == [TOKEN, LIST, f"GET {BASE}/connections/late"]


def test_a_listing_that_holds_the_object_proves_nothing(api: FakeAPI) -> None:
    """Deleted since the listing: the 404 is checked by a listing of its own, as without one."""
    client = make_harness(api).client
    listing = client.listing(wire.CONNECTIONS)
    del api.store(wire.CONNECTIONS)["a"]
    assert client.get(wire.CONNECTIONS, "a", absent_from=listing) is None
    assert api.calls == [TOKEN, LIST, f"GET {BASE}/connections/a", LIST]


@pytest.mark.parametrize(("collection", "workspace"), [(wire.DATA_MODELS, WORKSPACE), (wire.CONNECTIONS, "2002")])
def test_a_listing_of_another_collection_or_workspace_proves_nothing(
    api: FakeAPI, collection: str, workspace: str
) -> None:
    client = make_harness(api).client
    listing = client.listing(collection, workspace_id=workspace)
    assert client.get(wire.CONNECTIONS, "gone", absent_from=listing) is None
    assert api.calls == [TOKEN, f"GET /platform/v2/workspaces/{workspace}/{collection}",
                         f"GET {BASE}/connections/gone", LIST]


def test_a_404_checked_by_one_page_of_several_is_not_taken_as_gone(api: FakeAPI) -> None:
    client = reshaped(api, lambda listed: listed[:1], {"Link": '<https://api.test/c?page=2>; rel="next"'})
    with pytest.raises(UnconfirmedNotFoundError) as caught:
        client.get(wire.CONNECTIONS, "gone")
    assert caught.value.messages[1].startswith(
        f"connection 'gone' could not be confirmed missing (listing its collection, GET {BASE}/connections, "
        'answered one page of several (a Link header with rel="next")), so it is not taken as gone. '
    )


# --- writes make a listing stale ---------------------------------------------------------------------


def test_a_write_of_the_collection_makes_its_listings_stale(api: FakeAPI) -> None:
    client = make_harness(api).client
    connections, models = client.listing(wire.CONNECTIONS), client.listing(wire.DATA_MODELS)
    assert not connections.written_since() and not models.written_since()
    client.replace(wire.CONNECTIONS, "a", connection_body("a", name="Renamed"))
    assert connections.written_since() and not models.written_since()
    assert not client.listing(wire.CONNECTIONS).written_since()


@pytest.mark.parametrize("write", ["create", "replace", "delete", "refused create"])
def test_every_write_counts_applied_or_not(api: FakeAPI, write: str) -> None:
    client = make_harness(api).client
    listing = client.listing(wire.CONNECTIONS)
    if write == "create":
        client.create(wire.CONNECTIONS, connection_body("new"))
    elif write == "replace":
        client.replace(wire.CONNECTIONS, "a", connection_body("a", name="Renamed"))
    elif write == "delete":
        client.delete(wire.CONNECTIONS, "b")
    else:
        with pytest.raises(APIError):
            client.create(wire.CONNECTIONS, connection_body("a"))  # the id is taken
    assert listing.written_since()
