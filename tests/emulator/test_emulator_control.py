"""The ``/_emulator`` controls through ``EmulatorControl``: request log, out-of-band objects,
clock, reset, and the loopback-only rule."""

from __future__ import annotations

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.app import create_emulator
from pulumi_mparticle_wsync.emulator.control import EmulatorControlError
from pulumi_mparticle_wsync.emulator.settings import DEFAULT_USER_EMAIL, UI_USER_EMAIL
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .emulator_support import (
    SECRET_VALUES,
    ApiSession,
    TestClient,
    connection,
    data_model,
    fast_http_client,
    message_text,
    pipeline,
)

C, D, P = wire.CONNECTIONS, wire.DATA_MODELS, wire.PIPELINES


def test_request_log_records_api_and_token_calls(api: ApiSession, emulator: EmulatorHandle) -> None:
    api.create_ok(C, connection("c1"))
    api.get(C, "c1")
    api.get(C, "missing")
    api.request("GET", api.path(P, "p", wire.RUNS, "7"))
    records = emulator.control.requests()
    assert [(r.method, r.path, r.status) for r in records] == [
        ("POST", wire.TOKEN_PATH, 200),
        ("POST", "/platform/v2/workspaces/1001/connections", 200),
        ("GET", "/platform/v2/workspaces/1001/connections/c1", 200),
        ("GET", "/platform/v2/workspaces/1001/connections/missing", 404),
        ("GET", "/platform/v2/workspaces/1001/pipelines/p/status/runs/7", 404),
    ]
    token, create, get, _, run = records
    assert (token.collection, token.workspace_id) == ("token", None)
    assert (create.workspace_id, create.collection, create.object_id) == ("1001", C, None)
    assert (get.collection, get.object_id, get.action) == (C, "c1", None)
    assert (run.collection, run.object_id, run.action) == (P, "p", wire.RUNS)
    assert all(r.fault is None for r in records)


def test_request_counts_and_count(api: ApiSession, emulator: EmulatorHandle) -> None:
    api.create_ok(C, connection("c1"))
    api.create_ok(D, data_model("m1"))
    api.get(C, "c1")
    api.get(C, "c1")
    api.request("GET", api.path(D, workspace_id="2002"))
    control = emulator.control
    counts = control.request_counts()
    assert counts["GET /platform/v2/workspaces/1001/connections/c1"] == 2
    assert counts["POST /oauth/token"] == 1
    assert control.count("POST") == 2  # token calls count only under "token"
    assert control.count("POST", "token") == 1
    assert control.count("GET", C) == 2
    assert control.count("get", D) == 1
    assert control.count("GET", D, workspace_id="1001") == 0
    assert control.count("GET", workspace_id="2002") == 1
    control.clear_log()
    assert control.requests() == []
    assert control.request_counts() == {}


def test_control_calls_are_not_logged(emulator: EmulatorHandle) -> None:
    emulator.control.list_objects("1001", C)
    emulator.control.switches()
    assert emulator.control.requests() == []


def test_request_log_never_holds_secret_values(api: ApiSession, emulator: EmulatorHandle) -> None:
    api.create_ok(C, connection("c1"))
    api.create(C, {**connection("c2"), "config": {"password": "snowflake-password-value"}})
    with fast_http_client(emulator.url) as http:
        text = http.get("/_emulator/requests").text
    assert not any(value in text for value in SECRET_VALUES)
    assert emulator.client_secret not in text


def test_get_and_list_objects_as_the_api_serves_them(api: ApiSession, emulator: EmulatorHandle) -> None:
    created = api.create_ok(C, connection("c1"))
    assert emulator.control.get_object("1001", C, "c1") == created
    assert emulator.control.list_objects("1001", C) == [created]
    assert emulator.control.get_object("1001", C, "nope") is None
    assert "password" not in created["config"]


def test_edit_object_deep_merges_and_bumps_last_modified(api: ApiSession, emulator: EmulatorHandle) -> None:
    api.create_ok(C, connection("c1"))
    edited = emulator.control.edit_object("1001", C, "c1", {"name": "Edited in the UI", "config": {"role": "R2"}})
    assert edited["name"] == "Edited in the UI"
    assert edited["config"]["role"] == "R2"
    assert edited["config"]["warehouse"] == "COMPUTE_WH"  # untouched keys stay
    assert edited[wire.LAST_MODIFIED_BY] == UI_USER_EMAIL
    assert edited[wire.LAST_MODIFIED_ON] is not None
    assert api.get(C, "c1").json() == edited  # the drift is what the API now serves


def test_edit_object_can_set_server_fields(api: ApiSession, emulator: EmulatorHandle) -> None:
    api.create_ok(C, connection("c1"))
    emulator.control.edit_object("1001", C, "c1", {"status": "faulted", "errors": [{"message": "bad password"}]})
    answer = api.get(C, "c1").json()
    assert answer["status"] == "faulted"
    assert answer["errors"] == [{"message": "bad password"}]


def test_edit_object_refuses_missing_objects_and_id_changes(api: ApiSession, emulator: EmulatorHandle) -> None:
    with pytest.raises(EmulatorControlError) as missing:
        emulator.control.edit_object("1001", C, "nope", {"name": "x"})
    assert missing.value.status_code == 404
    api.create_ok(C, connection("c1"))
    with pytest.raises(EmulatorControlError, match="ids cannot be changed"):
        emulator.control.edit_object("1001", C, "c1", {"id": "c2"})


def test_seed_object_is_validated_like_post(emulator: EmulatorHandle, api: ApiSession) -> None:
    seeded = emulator.control.seed_object("1001", D, data_model("m1"))
    assert seeded[wire.CREATED_BY] == UI_USER_EMAIL
    assert api.get(D, "m1").json() == seeded
    with pytest.raises(EmulatorControlError) as bad:
        emulator.control.seed_object("1001", D, data_model("m2", sql="DROP TABLE users"))
    assert bad.value.status_code == 400
    assert "config.sql_query: uses the refused keyword DROP" in str(bad.value)
    with pytest.raises(EmulatorControlError) as duplicate:
        emulator.control.seed_object("1001", D, data_model("m1"))
    assert duplicate.value.status_code == 409


def test_delete_object_skips_the_reference_check(linked_api: ApiSession, emulator: EmulatorHandle) -> None:
    linked_api.create_ok(P, pipeline())
    assert linked_api.delete(C, "conn-1").status_code == 400
    assert emulator.control.delete_object("1001", C, "conn-1") is True
    assert linked_api.get(C, "conn-1").status_code == 404
    assert emulator.control.delete_object("1001", C, "conn-1") is False
    assert linked_api.get(P, "pipe-1").status_code == 200  # the dangling pipeline is left as drift


def test_unknown_collection_in_controls_is_404(emulator: EmulatorHandle) -> None:
    with pytest.raises(EmulatorControlError) as error:
        emulator.control.list_objects("1001", "widgets")
    assert error.value.status_code == 404


def test_clock(emulator: EmulatorHandle) -> None:
    assert emulator.control.clock()["offset_seconds"] == 0
    emulator.control.advance_clock(90.5)
    assert emulator.control.clock()["offset_seconds"] == 90.5
    with pytest.raises(EmulatorControlError, match="seconds"):
        emulator.control.advance_clock(-1)


def test_reset_forgets_everything(api: ApiSession, emulator: EmulatorHandle) -> None:
    api.create_ok(C, connection("c1"))
    control = emulator.control
    control.add_fault("latency", latency_ms=1, path_regex="^/nowhere$")
    control.set_switches(secret_mode="mask")
    control.advance_clock(100)
    control.reset()
    assert control.list_objects("1001", C) == []
    assert control.faults() == []
    assert control.requests() == []
    assert control.switches()["secret_mode"] == "omit"
    assert control.clock()["offset_seconds"] == 0
    assert api.create_ok(C, connection("c1"))[wire.CREATED_BY] == DEFAULT_USER_EMAIL


def test_index_lists_the_endpoints(emulator: EmulatorHandle) -> None:
    with fast_http_client(emulator.url) as http:
        endpoints = http.get("/_emulator/").json()["endpoints"]
    assert "POST /_emulator/reset" in endpoints
    assert "POST /_emulator/faults" in endpoints


def test_controls_answer_loopback_clients_only() -> None:
    app, state = create_emulator()
    with TestClient(app, client=("127.0.0.1", 40000)) as local:
        assert local.get("/_emulator/health").status_code == 200
    with TestClient(app, client=("203.0.113.9", 40000)) as remote:
        refused = remote.get("/_emulator/health")
        assert refused.status_code == 403
        assert "loopback clients only" in message_text(refused)
        assert remote.post(wire.TOKEN_PATH, json={}).status_code == 400  # the API itself still answers
    state.close()


def test_secret_looking_query_values_are_redacted_in_the_log(api: ApiSession, emulator: EmulatorHandle) -> None:
    api.list(C, client_secret="snowflake-password-value", serviceProvider="snowflake")
    (record,) = [r for r in emulator.control.requests() if r.collection == C]
    assert record.query == "client_secret=REDACTED&serviceProvider=snowflake"
