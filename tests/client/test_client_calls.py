"""The client's verbs against the fake API: paths, bodies, answers, and what 404 means for each."""

from __future__ import annotations

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import APIError, ConfigurationError, NotFoundError, TransportError

from .client_fakes import WORKSPACE, FakeAPI, connection_body, make_harness

BASE = f"/platform/v2/workspaces/{WORKSPACE}"


def api_calls(calls: list[str]) -> list[str]:
    return [call for call in calls if not call.endswith(wire.TOKEN_PATH)]


def test_round_trip_keeps_unknown_fields_and_omits_secrets() -> None:
    h = make_harness()
    h.client.create(wire.CONNECTIONS, connection_body())
    served = h.client.get(wire.CONNECTIONS, "warehouse")
    assert served is not None
    assert served["added_by_a_later_api_version"] is True
    assert "password" not in served['config']
    assert [obj[wire.ID] for obj in h.client.list(wire.CONNECTIONS)] == ["warehouse"]


def test_get_missing_is_none() -> None:
    h = make_harness()
    assert h.client.get(wire.DATA_MODELS, "nope") is None
    # The 404, then the listing that proves it: one extra request, only because it looked missing.
    assert api_calls(h.api.calls) == [f"GET {BASE}/{wire.DATA_MODELS}/nope", f"GET {BASE}/{wire.DATA_MODELS}"]


def test_replace_puts_the_full_body_with_the_path_id() -> None:
    h = make_harness()
    h.client.create(wire.CONNECTIONS, connection_body())
    body = connection_body()
    del body[wire.ID]
    body[wire.NAME] = "Renamed"
    replaced = h.client.replace(wire.CONNECTIONS, "warehouse", body)
    assert replaced[wire.NAME] == "Renamed"
    assert h.api.bodies[-1][wire.ID] == "warehouse"
    assert h.api.bodies[-1]['config']["password"] == "hunter2-very-secret"
    assert h.api.calls[-1] == f"PUT {BASE}/{wire.CONNECTIONS}/warehouse"


def test_replace_refuses_a_body_for_another_id() -> None:
    h = make_harness()
    with pytest.raises(ValueError, match="differs from the object id"):
        h.client.replace(wire.CONNECTIONS, "a", connection_body("b"))


def test_replace_of_a_missing_object_is_not_found() -> None:
    h = make_harness()
    with pytest.raises(NotFoundError) as caught:
        h.client.replace(wire.CONNECTIONS, "warehouse", connection_body())
    assert caught.value.status_code == 404


def test_put_is_retried_freely() -> None:
    h = make_harness()
    h.client.create(wire.CONNECTIONS, connection_body())
    h.api.add_fault("apply_then_drop", method="PUT")
    h.client.replace(wire.CONNECTIONS, "warehouse", connection_body(name="Again"))
    assert h.api.count("PUT") == 2


def test_delete_reports_whether_it_deleted() -> None:
    h = make_harness()
    h.client.create(wire.CONNECTIONS, connection_body())
    assert h.client.delete(wire.CONNECTIONS, "warehouse") is True
    assert h.client.delete(wire.CONNECTIONS, "warehouse") is False
    assert h.api.count("DELETE") == 2


def test_delete_whose_answer_was_lost_counts_as_deleted() -> None:
    h = make_harness()
    h.client.create(wire.CONNECTIONS, connection_body())
    h.api.add_fault("apply_then_status", method="DELETE", status=503)
    assert h.client.delete(wire.CONNECTIONS, "warehouse") is True
    assert h.api.count("DELETE") == 2
    assert h.api.store(wire.CONNECTIONS) == {}


def test_delete_refused_before_sending_and_then_404_is_already_gone() -> None:
    h = make_harness()
    h.api.add_fault("connect", method="DELETE")
    assert h.client.delete(wire.CONNECTIONS, "warehouse") is False


def test_ids_are_escaped_in_paths() -> None:
    h = make_harness()
    assert h.client.get(wire.CONNECTIONS, "../../1002/connections") is None
    assert h.client.get(wire.CONNECTIONS, "..") is None
    assert h.api.raw_paths[-4:] == [
        f"{BASE}/{wire.CONNECTIONS}/%2E%2E%2F%2E%2E%2F1002%2Fconnections",
        f"{BASE}/{wire.CONNECTIONS}",
        f"{BASE}/{wire.CONNECTIONS}/%2E%2E",
        f"{BASE}/{wire.CONNECTIONS}",
    ]


def test_unknown_collection_is_a_programming_error() -> None:
    h = make_harness()
    with pytest.raises(ValueError, match="unknown collection 'widgets'"):
        h.client.list("widgets")


def test_workspace_argument_overrides_settings() -> None:
    h = make_harness()
    h.client.list(wire.PIPELINES, workspace_id="2002")
    assert api_calls(h.api.calls) == [f"GET /platform/v2/workspaces/2002/{wire.PIPELINES}"]


def test_missing_workspace_names_every_way_to_set_it() -> None:
    h = make_harness(workspace_id=None)
    with pytest.raises(ConfigurationError) as caught:
        h.client.list(wire.CONNECTIONS)
    message = str(caught.value)
    assert "mparticle:workspaceId" in message
    assert "MPARTICLE_WORKSPACE_ID" in message
    assert "workspace_id" in message
    assert h.api.calls == []


def test_bad_workspace_argument_is_refused_before_any_request() -> None:
    h = make_harness()
    with pytest.raises(ConfigurationError, match="numeric workspace id"):
        h.client.get(wire.CONNECTIONS, "x", workspace_id="1/../2")
    assert h.api.calls == []


def test_a_list_that_is_not_an_array_is_an_api_error() -> None:
    h = make_harness()
    h.api.add_fault("status", method="GET", path=f"{wire.CONNECTIONS}$", status=200, body={"items": []})
    with pytest.raises(APIError, match="expected a JSON array of objects, got dict"):
        h.client.list(wire.CONNECTIONS)


def test_a_non_json_success_is_an_api_error() -> None:
    h = make_harness()
    h.api.add_fault("status", method="GET", path=f"{wire.CONNECTIONS}$", status=200, body=b"<html>hi</html>")
    with pytest.raises(APIError, match="expected a JSON answer"):
        h.client.list(wire.CONNECTIONS)


def test_every_collection_supports_the_five_verbs() -> None:
    h = make_harness()
    for collection in wire.COLLECTIONS:
        body = {wire.ID: f"{collection}-1", wire.NAME: "n"}
        assert h.client.create(collection, body)[wire.NAME] == "n"
        assert h.client.replace(collection, f"{collection}-1", {**body, wire.NAME: "m"})[wire.NAME] == "m"
        assert [o[wire.NAME] for o in h.client.list(collection)] == ["m"]
        assert h.client.delete(collection, f"{collection}-1") is True
        assert h.client.get(collection, f"{collection}-1") is None


def test_closed_client_refuses_to_send() -> None:
    h = make_harness(FakeAPI())
    with h.client as client:
        client.list(wire.CONNECTIONS)
    with pytest.raises((RuntimeError, TransportError)):
        h.client.list(wire.CONNECTIONS)
