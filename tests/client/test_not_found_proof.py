"""A 404 for one object means "gone" only when the collection's listing proves it.

A wrong ``mparticle:apiUrl`` answers 404 to everything: get, replace and delete must then raise
``UnconfirmedNotFoundError`` naming the setting, never return None/False or raise ``NotFoundError``
(which callers take as "deleted outside Pulumi"). Each test checks the exact requests the emulator
logged and what the server holds afterwards.
"""

from __future__ import annotations

import pickle
import random
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import (
    APIError,
    ClientSettings,
    NotFoundError,
    Timing,
    UnconfirmedNotFoundError,
    WarehouseSyncClient,
    WarehouseSyncError,
)
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .client_fakes import WORKSPACE, make_harness

UNKNOWN_ROUTE = (
    "no such endpoint: the API lives under /platform/v2/workspaces/{workspaceId}/ "
    "and the token endpoint at /oauth/token"
)
TOKEN = ("POST", "/oauth/token", 200)


def route_hint(api_url: str) -> str:
    return (
        f"The route looks wrong: check that mparticle:apiUrl (now {api_url!r}) is the API's base URL, such as "
        "https://api.mparticle.com or the proxy in front of it, below which the client requests "
        "/platform/v2/workspaces/{workspaceId}/...; set it with the mparticle:apiUrl setting or "
        "MPARTICLE_API_URL"
    )


def databricks(object_id: str, name: str = "Warehouse") -> dict[str, Any]:
    return {
        wire.ID: object_id,
        wire.NAME: name,
        wire.SERVICE_PROVIDER: 'databricks',
        'config': {"provider": "share", "catalog": "main", "schema": "crm"},
    }


def client_for(emulator: EmulatorHandle, api_url: str) -> WarehouseSyncClient:
    settings = ClientSettings(
        client_id=emulator.client_id,
        client_secret=emulator.client_secret,
        workspace_id=emulator.workspace_id,
        api_url=api_url,
        auth_url=emulator.url,
        max_attempts=3,
        max_retry_wait=5.0,
    )
    return WarehouseSyncClient(settings, timing=Timing(sleep=lambda _s: None, rng=random.Random(3)))


@pytest.fixture
def seeded(emulator: EmulatorHandle) -> Iterator[EmulatorHandle]:
    """The emulator holding connection "wh" (and "other"), with an empty request log."""
    emulator.control.seed_object(emulator.workspace_id, wire.CONNECTIONS, databricks("wh"))
    emulator.control.seed_object(emulator.workspace_id, wire.CONNECTIONS, databricks("other", "Other"))
    emulator.control.clear_log()
    yield emulator


def logged(emulator: EmulatorHandle) -> list[tuple[str, str, int]]:
    return [(r.method, r.path, r.status) for r in emulator.control.requests()]


def held(emulator: EmulatorHandle) -> list[tuple[str, str]]:
    listed = emulator.control.list_objects(emulator.workspace_id, wire.CONNECTIONS)
    return sorted((obj[wire.ID], obj[wire.NAME]) for obj in listed)


SEEDED = [("other", "Other"), ("wh", "Warehouse")]


# --- a wrong route: every verb raises, naming mparticle:apiUrl, and nothing changes -----------------


@pytest.mark.parametrize("verb", ["get", "replace", "delete"])
def test_a_wrong_api_path_raises_naming_the_setting_and_changes_nothing(
    seeded: EmulatorHandle, verb: str
) -> None:
    api_url = seeded.url + "/wrong"
    base = f"/wrong/platform/v2/workspaces/{seeded.workspace_id}/{wire.CONNECTIONS}"
    method = {"get": "GET", "replace": "PUT", "delete": "DELETE"}[verb]
    with client_for(seeded, seeded.url + "/wrong/") as client, pytest.raises(UnconfirmedNotFoundError) as caught:
        if verb == "get":
            client.get(wire.CONNECTIONS, "wh")
        elif verb == "replace":
            client.replace(wire.CONNECTIONS, "wh", databricks("wh", "Renamed"))
        else:
            client.delete(wire.CONNECTIONS, "wh")
    error = caught.value
    assert not isinstance(error, NotFoundError)
    assert str(error) == (
        f"{method} {base}/wh -> 404: {UNKNOWN_ROUTE}; connection 'wh' could not be confirmed missing "
        f"(listing its collection, GET {base}, answered 404 too), so it is not taken as gone. "
        f"{route_hint(api_url)}"
    )
    assert (error.status_code, error.method, error.path) == (404, method, f"{base}/wh")
    # The 404, one listing to check it, and nothing more: no retry, no second guess.
    assert logged(seeded) == [TOKEN, (method, f"{base}/wh", 404), ("GET", base, 404)]
    assert held(seeded) == SEEDED


def test_a_create_on_a_wrong_api_path_raises_naming_the_setting(seeded: EmulatorHandle) -> None:
    base = f"/wrong/platform/v2/workspaces/{seeded.workspace_id}/{wire.CONNECTIONS}"
    with client_for(seeded, seeded.url + "/wrong") as client, pytest.raises(UnconfirmedNotFoundError) as caught:
        client.create(wire.CONNECTIONS, databricks("new"))
    assert str(caught.value) == (
        f"POST {base} -> 404: {UNKNOWN_ROUTE}; the connections collection itself answered 404, so nothing "
        f"was created. {route_hint(seeded.url + '/wrong')}"
    )
    assert logged(seeded) == [TOKEN, ("POST", base, 404)]
    assert held(seeded) == SEEDED


def test_the_documented_base_with_its_version_works(seeded: EmulatorHandle) -> None:
    base = f"/platform/v2/workspaces/{seeded.workspace_id}/{wire.CONNECTIONS}"
    with client_for(seeded, seeded.url + "/platform/v2/") as client:
        assert client.settings.api_url == seeded.url
        served = client.get(wire.CONNECTIONS, "wh")
        assert served is not None and served[wire.NAME] == "Warehouse"
        client.replace(wire.CONNECTIONS, "wh", databricks("wh", "Renamed"))
        assert client.delete(wire.CONNECTIONS, "other") is True
    assert logged(seeded) == [
        TOKEN, ("GET", f"{base}/wh", 200), ("PUT", f"{base}/wh", 200), ("DELETE", f"{base}/other", 204)
    ]
    assert held(seeded) == [("wh", "Renamed")]


# --- the normal path costs what it always did ----------------------------------------------------


def test_found_objects_cost_one_request_each(seeded: EmulatorHandle) -> None:
    base = f"/platform/v2/workspaces/{seeded.workspace_id}/{wire.CONNECTIONS}"
    with client_for(seeded, seeded.url) as client:
        client.get(wire.CONNECTIONS, "wh")
        client.replace(wire.CONNECTIONS, "wh", databricks("wh", "Renamed"))
        client.delete(wire.CONNECTIONS, "wh")
        client.create(wire.CONNECTIONS, databricks("new"))
    assert logged(seeded) == [
        TOKEN,
        ("GET", f"{base}/wh", 200),
        ("PUT", f"{base}/wh", 200),
        ("DELETE", f"{base}/wh", 204),
        ("POST", base, 200),
    ]
    assert held(seeded) == [("new", "Warehouse"), ("other", "Other")]


# --- a truly missing object: proven gone with exactly one extra request -------------------------------


def test_a_missing_object_is_proven_gone_by_one_listing(seeded: EmulatorHandle) -> None:
    base = f"/platform/v2/workspaces/{seeded.workspace_id}/{wire.CONNECTIONS}"
    with client_for(seeded, seeded.url) as client:
        assert client.get(wire.CONNECTIONS, "gone") is None
        assert client.delete(wire.CONNECTIONS, "gone") is False
        with pytest.raises(NotFoundError) as caught:
            client.replace(wire.CONNECTIONS, "gone", databricks("gone"))
    assert type(caught.value) is NotFoundError
    assert str(caught.value) == f"PUT {base}/gone -> 404: Connection 'gone' was not found in workspace 1001"
    assert logged(seeded) == [
        TOKEN,
        ("GET", f"{base}/gone", 404), ("GET", base, 200),
        ("DELETE", f"{base}/gone", 404), ("GET", base, 200),
        ("PUT", f"{base}/gone", 404), ("GET", base, 200),
    ]
    assert held(seeded) == SEEDED


def test_a_delete_whose_answer_was_lost_is_deleted_once_the_listing_proves_it(seeded: EmulatorHandle) -> None:
    base = f"/platform/v2/workspaces/{seeded.workspace_id}/{wire.CONNECTIONS}"
    seeded.control.add_fault("apply_then_error", method="DELETE", count=1)
    with client_for(seeded, seeded.url) as client:
        assert client.delete(wire.CONNECTIONS, "wh") is True
    assert logged(seeded) == [
        TOKEN, ("DELETE", f"{base}/wh", 500), ("DELETE", f"{base}/wh", 404), ("GET", base, 200)
    ]
    assert held(seeded) == [("other", "Other")]


# --- doubt: the listing fails, or contradicts the 404 ------------------------------------------------


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_listing_never_means_gone(seeded: EmulatorHandle, status: int) -> None:
    base = f"/platform/v2/workspaces/{seeded.workspace_id}/{wire.CONNECTIONS}"
    # A 401 is answered with one token renewal and a second try, as for every call.
    seeded.control.add_fault("error", method="GET", path_regex=f"/{wire.CONNECTIONS}$", status=status)
    with client_for(seeded, seeded.url) as client:
        for verb in ("get", "delete", "replace"):
            with pytest.raises(UnconfirmedNotFoundError) as caught:
                if verb == "get":
                    client.get(wire.CONNECTIONS, "gone")
                elif verb == "delete":
                    client.delete(wire.CONNECTIONS, "gone")
                else:
                    client.replace(wire.CONNECTIONS, "gone", databricks("gone"))
            message = str(caught.value)
            assert f"listing its collection failed: GET {base} -> {status}: injected error fault" in message
            assert "needs Platform API access with the Admin permission" in message
            assert "mparticle:apiUrl" in message
    renewal = [TOKEN, ("GET", base, 401)] if status == 401 else []
    per_verb = {
        "get": ("GET", f"{base}/gone", 404),
        "delete": ("DELETE", f"{base}/gone", 404),
        "replace": ("PUT", f"{base}/gone", 404),
    }
    expected = [TOKEN]
    for verb in ("get", "delete", "replace"):
        expected += [per_verb[verb], ("GET", base, status), *renewal]
    assert logged(seeded) == expected
    assert held(seeded) == SEEDED


def test_a_listing_that_still_holds_the_object_raises(seeded: EmulatorHandle) -> None:
    base = f"/platform/v2/workspaces/{seeded.workspace_id}/{wire.CONNECTIONS}"
    seeded.control.add_fault("error", method="DELETE", path_regex="/wh$", status=404, count=1)
    with client_for(seeded, seeded.url) as client, pytest.raises(UnconfirmedNotFoundError) as caught:
        client.delete(wire.CONNECTIONS, "wh")
    assert str(caught.value) == (
        f"DELETE {base}/wh -> 404: injected error fault ({seeded.control.faults()[0]['id']}) answered 404; "
        f"connection 'wh' could not be confirmed missing (listing its collection, GET {base}, still holds "
        f"it), so it is not taken as gone. {route_hint(seeded.url)}"
    )
    assert logged(seeded) == [TOKEN, ("DELETE", f"{base}/wh", 404), ("GET", base, 200)]
    assert held(seeded) == SEEDED


# --- create: a 404 after a lost answer means "not created" only when the listing proves it -----------


def test_create_after_a_lost_answer_takes_the_listed_object_when_the_get_lags(seeded: EmulatorHandle) -> None:
    base = f"/platform/v2/workspaces/{seeded.workspace_id}/{wire.CONNECTIONS}"
    seeded.control.add_fault("apply_then_error", method="POST", path_regex=f"/{wire.CONNECTIONS}$", count=1)
    seeded.control.add_fault("error", method="GET", path_regex="/new$", status=404, count=1)
    with client_for(seeded, seeded.url) as client:
        created = client.create(wire.CONNECTIONS, databricks("new", "New"))
    assert created[wire.ID] == "new"
    assert logged(seeded) == [TOKEN, ("POST", base, 500), ("GET", f"{base}/new", 404), ("GET", base, 200)]
    assert held(seeded) == [("new", "New"), ("other", "Other"), ("wh", "Warehouse")]


def test_create_after_a_lost_answer_fails_safely_when_the_listing_fails(seeded: EmulatorHandle) -> None:
    base = f"/platform/v2/workspaces/{seeded.workspace_id}/{wire.CONNECTIONS}"
    seeded.control.add_fault("apply_then_error", method="POST", path_regex=f"/{wire.CONNECTIONS}$", count=1)
    seeded.control.add_fault("error", method="GET", path_regex="/new$", status=404)
    seeded.control.add_fault("error", method="GET", path_regex=f"/{wire.CONNECTIONS}$", status=403)
    with client_for(seeded, seeded.url) as client, pytest.raises(UnconfirmedNotFoundError) as caught:
        client.create(wire.CONNECTIONS, databricks("new", "New"))
    assert "connection 'new' could not be confirmed missing (listing its collection failed" in str(caught.value)
    # Never a second POST: the look after the lost answer, then the last look, both unconfirmed.
    assert logged(seeded) == [
        TOKEN,
        ("POST", base, 500),
        ("GET", f"{base}/new", 404), ("GET", base, 403),
        ("GET", f"{base}/new", 404), ("GET", base, 403),
    ]
    assert held(seeded) == [("new", "New"), ("other", "Other"), ("wh", "Warehouse")]


# --- the emulator's two 404s, and listing a fresh workspace ------------------------------------------


def test_the_emulator_answers_a_missing_object_with_the_spec_error_body(emulator: EmulatorHandle) -> None:
    token = httpx.post(
        emulator.url + wire.TOKEN_PATH,
        json={
            wire.TOKEN_CLIENT_ID: emulator.client_id,
            wire.TOKEN_CLIENT_SECRET: emulator.client_secret,
            wire.TOKEN_AUDIENCE_FIELD: wire.TOKEN_AUDIENCE,
            wire.TOKEN_GRANT_TYPE_FIELD: wire.TOKEN_GRANT_TYPE,
        },
    ).json()[wire.TOKEN_ACCESS_TOKEN]
    headers = {"Authorization": f"Bearer {token}"}
    missing = httpx.get(f"{emulator.url}/platform/v2/workspaces/1001/{wire.PIPELINES}/nope", headers=headers)
    assert (missing.status_code, missing.json()) == (
        404, {"statusCode": 404, "errors": [{"message": "Pipeline 'nope' was not found in workspace 1001"}]}
    )
    unknown = httpx.get(f"{emulator.url}/v2/workspaces/1001/{wire.PIPELINES}/nope", headers=headers)
    assert (unknown.status_code, unknown.json()) == (
        404, {"statusCode": 404, "errors": [{"message": UNKNOWN_ROUTE}]}
    )
    fresh = httpx.get(f"{emulator.url}/platform/v2/workspaces/4242/{wire.PIPELINES}", headers=headers)
    assert (fresh.status_code, fresh.json()) == (200, [])


# --- shapes the emulator does not serve (the fake API) ------------------------------------------------

BASE = f"/platform/v2/workspaces/{WORKSPACE}/{wire.CONNECTIONS}"


@pytest.mark.parametrize(
    ("body", "got"),
    [
        ({"items": []}, "dict"),
        (None, "null"),
        ([{"name": "no id"}], "an array holding something other than objects with an id"),
        (["warehouse"], "an array holding something other than objects with an id"),
    ],
)
def test_a_listing_that_is_not_an_array_of_objects_never_means_gone(body: Any, got: str) -> None:
    h = make_harness()
    h.api.add_fault("status", method="GET", path=f"{BASE}$", status=200, body=body if body is not None else b"null")
    with pytest.raises(UnconfirmedNotFoundError) as caught:
        h.client.get(wire.CONNECTIONS, "warehouse")
    assert (
        f"connection 'warehouse' could not be confirmed missing (listing its collection, GET {BASE}, did not "
        f"answer a JSON array of objects with an 'id' (got {got})), so it is not taken as gone" in str(caught.value)
    )
    assert [call for call in h.api.calls if "token" not in call] == [f"GET {BASE}/warehouse", f"GET {BASE}"]


def test_a_listing_that_is_not_json_never_means_gone() -> None:
    h = make_harness()
    h.api.add_fault("status", method="GET", path=f"{BASE}$", status=200, body=b"<html>login</html>")
    with pytest.raises(UnconfirmedNotFoundError, match="expected a JSON answer, got '<html>login</html>'"):
        h.client.delete(wire.CONNECTIONS, "warehouse")


def test_a_5xx_listing_repeats_the_attempt() -> None:
    h = make_harness()
    h.api.add_fault("status", method="GET", path=f"{BASE}$", status=503)
    assert h.client.get(wire.CONNECTIONS, "warehouse") is None
    assert [call for call in h.api.calls if "token" not in call] == [
        f"GET {BASE}/warehouse", f"GET {BASE}", f"GET {BASE}/warehouse", f"GET {BASE}"
    ]
    assert len(h.sleeps) == 1


def test_the_error_pickles_and_sits_in_the_tree() -> None:
    error = UnconfirmedNotFoundError(404, "GET", "/p", ["not here", "could not be confirmed missing"])
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is UnconfirmedNotFoundError
    assert str(clone) == str(error) == "GET /p -> 404: not here; could not be confirmed missing"
    assert issubclass(UnconfirmedNotFoundError, APIError)
    assert issubclass(UnconfirmedNotFoundError, WarehouseSyncError)
    assert not issubclass(UnconfirmedNotFoundError, NotFoundError)
