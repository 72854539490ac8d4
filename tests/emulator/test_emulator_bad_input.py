"""Bad input gets a clear 4xx in the error format, never a 500 (over a real socket where it matters)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.settings import MAX_BODY_BYTES
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .emulator_support import ApiSession, connection, data_model, message_text, messages, transformation

C, D, T = wire.CONNECTIONS, wire.DATA_MODELS, wire.FIELD_TRANSFORMATIONS


def raw(api: ApiSession, method: str, content: bytes, content_type: str = "application/json") -> httpx.Response:
    return api.request(method, api.path(C), content=content, headers={"Content-Type": content_type})


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"{not json", "request body: not valid JSON"),
        (b'{"id": "a",}', "request body: not valid JSON"),
        (b"", "request body: required; send a JSON object"),
        (b"   ", "request body: required"),
        (b"[1, 2]", "request body: must be a JSON object, not an array"),
        (b'"text"', "request body: must be a JSON object, not a string"),
        (b"null", "request body: must be a JSON object, not null"),
        (b'{"id": NaN}', "request body: not valid JSON"),
        (b"\xff\xfe{}", "request body: not valid JSON"),
        (b'{"name": "\\ud800"}', "lone surrogate"),
        (b"[" * 100 + b"]" * 100, "nested deeper than 32 levels"),
        (b"[" * 100_000, "request body"),
    ],
)
def test_malformed_bodies_are_400(api: ApiSession, content: bytes, fragment: str) -> None:
    answer = raw(api, "POST", content)
    assert answer.status_code == 400
    assert fragment in message_text(answer)


def test_non_json_content_type_is_415(api: ApiSession) -> None:
    answer = raw(api, "POST", b"id=a", "application/x-www-form-urlencoded")
    assert answer.status_code == 415
    assert "Content-Type: send application/json" in message_text(answer)
    assert raw(api, "POST", b"{}", "application/json; charset=utf-8").status_code == 400  # parsed, then validated


def test_wrong_types_name_the_field(api: ApiSession) -> None:
    answer = api.create(C, {"id": ["a"], "name": {"x": 1}, "service_provider": True, "config": []})
    assert answer.status_code == 400
    assert messages(answer) == [
        "id: must be a string, not an array",
        "name: must be a string, not an object",
        "service_provider: must be a string, not a boolean",
        "config: must be an object, not an array",
    ]


def test_declared_huge_body_is_413_before_reading(api: ApiSession) -> None:
    body = b'{"id": "' + b"x" * (MAX_BODY_BYTES + 10) + b'"}'
    answer = raw(api, "POST", body)
    assert answer.status_code == 413
    assert f"larger than {MAX_BODY_BYTES} bytes" in message_text(answer)


def test_streamed_huge_body_is_413(api: ApiSession) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer encoding
        yield b'{"id": "'
        for _ in range(200):
            yield b"x" * 10_000

    answer = api.request("POST", api.path(C), content=chunks(), headers={"Content-Type": "application/json"})
    assert answer.status_code == 413


def test_body_just_under_the_cap_is_read(api: ApiSession) -> None:
    filler = "x" * (MAX_BODY_BYTES - 200)
    answer = api.create(D, data_model(name=filler))
    assert answer.status_code == 200
    assert answer.json()["name"] == filler


@pytest.mark.parametrize(
    ("object_id", "status", "fragment"),
    [
        ("a b", 400, "id in the path contains ' '"),
        ("a.b", 400, "id in the path contains '.'"),
        ("x" * 1000, 400, "id in the path is 1000 characters long"),
        ("caf%C3%A9", 400, "id in the path contains 'é'"),
        ("a%2Fb", 404, "no such endpoint"),
    ],
)
def test_bad_ids_in_the_path(api: ApiSession, object_id: str, status: int, fragment: str) -> None:
    path = f"{api.path(C)}/{object_id.replace(' ', '%20')}"
    for method in ("GET", "PUT", "DELETE"):
        kwargs = {"json": connection()} if method == "PUT" else {}
        answer = api.request(method, path, **kwargs)
        assert answer.status_code == status, (method, answer.text)
        assert fragment in message_text(answer)


def test_dot_dot_path_segment_over_a_raw_socket(api: ApiSession, emulator: EmulatorHandle) -> None:
    """HTTP clients normalise ``..`` away, so send it literally."""
    host, port = emulator.url.removeprefix("http://").split(":")
    request = (
        f"GET {api.path(C)}/.. HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {api.token}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400")
    assert b"id in the path contains '.'" in answer


@pytest.mark.parametrize("workspace_id", ["abc", "12a", "-1", "1.5", "9" * 30])
def test_non_numeric_workspace_ids_are_400(api: ApiSession, workspace_id: str) -> None:
    answer = api.request("GET", api.path(C, workspace_id=workspace_id))
    assert answer.status_code == 400
    assert "is not a workspace id: use the integer shown in the mParticle UI" in message_text(answer)


def test_unicode_names_round_trip(api: ApiSession) -> None:
    name = "Données clients — 顧客 🚀"
    created = api.create_ok(T, transformation("ft-u", name=name))
    assert created["name"] == name
    assert api.get(T, "ft-u").json()["name"] == name


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/platform/v2",
        "/platform/v2/workspaces/1001",
        "/platform/v2/workspaces/1001/connections/",
        "/platform/v2/workspaces/1001/widgets",
        "/platform/v2/workspaces/1001/connections/c1/trigger",
        "/platform/v2/workspaces/1001/pipelines/p1/status/runs/1/extra",
        "/platform/v1/workspaces/1001/connections",
    ],
)
def test_unknown_routes_are_404_in_the_error_format(api: ApiSession, path: str) -> None:
    answer = api.request("GET", path)
    assert answer.status_code == 404
    assert messages(answer)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/platform/v2/workspaces/1001/connections", "GET, POST"),
        ("PATCH", "/platform/v2/workspaces/1001/connections/c1", "GET, PUT, DELETE"),
        ("POST", "/platform/v2/workspaces/1001/connections/c1", "GET, PUT, DELETE"),
        ("GET", "/platform/v2/workspaces/1001/pipelines/p1/trigger", "POST"),
        ("GET", wire.TOKEN_PATH, "POST"),
    ],
)
def test_wrong_methods_are_405_in_the_error_format(api: ApiSession, method: str, path: str, allowed: str) -> None:
    answer = api.request(method, path)
    assert answer.status_code == 405
    assert message_text(answer) == f"{method} is not allowed on {path}: use {allowed}"


def test_huge_unknown_keys_and_values_are_shortened_in_messages(api: ApiSession) -> None:
    answer = api.create(C, {**connection(), "k" * 5000: 1, "service_provider": "s" * 5000})
    assert answer.status_code == 400
    assert len(answer.content) < 2000
