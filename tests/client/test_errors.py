"""Errors: one tree, readable messages from the API's body, and never a secret in them."""

from __future__ import annotations

import json
import pickle

import httpx
import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TransportError,
    WarehouseSyncError,
)
from pulumi_mparticle_wsync.client._responses import error_messages
from pulumi_mparticle_wsync.client._scrub import REDACTED, Scrubber, secret_values
from pulumi_mparticle_wsync.client.errors import api_error_class

from .client_fakes import CLIENT_SECRET, WORKSPACE, connection_body, make_harness, pipeline_body

PIPELINES_PATH = f"/platform/v2/workspaces/{WORKSPACE}/{wire.PIPELINES}"


def response(status: int, content: bytes | str, content_type: str = "application/json") -> httpx.Response:
    data = content.encode() if isinstance(content, str) else content
    return httpx.Response(
        status,
        content=data,
        headers={"Content-Type": content_type},
        request=httpx.Request("GET", "https://h/x"),
    )


def test_the_tree() -> None:
    for cls in (ConfigurationError, TransportError, APIError):
        assert issubclass(cls, WarehouseSyncError)
    for cls in (
        BadRequestError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        RateLimitError,
        ServerError,
    ):
        assert issubclass(cls, APIError)
    assert [api_error_class(s) for s in (400, 401, 403, 404, 409, 429, 500, 505, 422)] == [
        BadRequestError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        RateLimitError,
        ServerError,
        ServerError,
        APIError,
    ]


def test_message_reads_method_path_status_and_the_api_messages() -> None:
    h = make_harness()
    h.api.add_fault(
        "status",
        method="POST",
        path=PIPELINES_PATH,
        status=400,
        body={
            "statusCode": 400,
            "errors": [
                {"message": "sync_mode.iterator_field is required for incremental sync"},
                {"message": "schedule.frequency is required"},
            ],
        },
    )
    with pytest.raises(BadRequestError) as caught:
        h.client.create(wire.PIPELINES, pipeline_body())
    error = caught.value
    assert str(error) == (
        f"POST {PIPELINES_PATH} -> 400: sync_mode.iterator_field is required for incremental sync; "
        "schedule.frequency is required"
    )
    assert (error.status_code, error.method, error.path) == (400, "POST", PIPELINES_PATH)
    assert error.messages == [
        "sync_mode.iterator_field is required for incremental sync",
        "schedule.frequency is required",
    ]


@pytest.mark.parametrize(
    ("content", "content_type", "expected"),
    [
        ('{"statusCode": 404, "errors": [{"message": "not here"}]}', "application/json", ["not here"]),
        (
            '{"error": "access_denied", "error_description": "Unauthorized"}',
            "application/json",
            ["Unauthorized"],
        ),
        ('{"message": "Forbidden"}', "application/json", ["Forbidden"]),
        ('{"statusCode": 500, "errors": ["plain string"]}', "application/json", ["plain string"]),
        ('{"odd": 1}', "application/json", ['{"odd": 1}']),
        ("<html>Bad Gateway</html>", "text/html", ["<html>Bad Gateway</html>"]),
        ("", "text/plain", ["Service Unavailable"]),
        (b"\xff\xfe\x00garbage", "application/json", ["\ufffd\ufffd\x00garbage"]),
    ],
)
def test_error_bodies_of_every_shape_are_tolerated(
    content: str | bytes, content_type: str, expected: list[str]
) -> None:
    status = 503 if content == "" else 404
    assert error_messages(response(status, content, content_type)) == expected


def test_a_403_explains_the_permission_needed() -> None:
    h = make_harness()
    h.api.add_fault("status", method="GET", status=403)
    with pytest.raises(PermissionDeniedError, match="Admin permission"):
        h.client.list(wire.CONNECTIONS)


def test_secret_values_are_found_at_any_depth() -> None:
    body = {
        "config": {"password": "p1", "service_account_key": '{"k": "v"}', "user": "u"},
        "partner_feed_key": "fk",
        "nested": [{"password": "p2"}],
        "name": "password",
    }
    assert sorted(secret_values(body)) == sorted(["p1", '{"k": "v"}', "fk", "p2"])


def test_scrubber_removes_raw_and_json_escaped_forms() -> None:
    key = '{"private_key": "-----BEGIN-----\\nabc"}'
    scrub = Scrubber([key, "short", wire.MASKED_SECRET, ""])
    echoed = json.dumps({"message": f"bad key {key}"})
    assert key not in scrub(f"raw {key}")
    assert json.dumps(key)[1:-1] not in scrub(echoed)
    assert scrub("a short one") == f"a {REDACTED} one"
    assert scrub(wire.MASKED_SECRET) == wire.MASKED_SECRET


def _leaky_body(*secrets: str) -> dict[str, object]:
    return {
        "statusCode": 400,
        "errors": [{"message": f"rejected value {s}"} for s in secrets]
        + [{"message": "see " + json.dumps(secrets)}],
    }


def assert_nowhere(secret: str, error: BaseException) -> None:
    for text in (str(error), repr(error), repr(error.args), str(getattr(error, "messages", ""))):
        assert secret not in text
        assert json.dumps(secret)[1:-1] not in text


@pytest.mark.parametrize("status", [400, 409, 500, 503])
def test_no_secret_sent_in_the_body_appears_in_an_error(status: int) -> None:
    h = make_harness(max_attempts=1)
    bigquery_key = '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE\\n"}'
    body = connection_body(
        service_provider='bigquery',
        config={
            "region": "us-east4",
            "project_id": "p",
            "dataset_id": "d",
            "service_account_id": "sa@p.iam",
            "service_account_key": bigquery_key,
        },
    )
    h.api.add_fault(
        "status",
        method="POST",
        path=wire.CONNECTIONS,
        status=status,
        body=_leaky_body(bigquery_key, CLIENT_SECRET),
    )
    with pytest.raises(APIError) as caught:
        h.client.create(wire.CONNECTIONS, body)
    assert_nowhere(bigquery_key, caught.value)
    assert_nowhere(CLIENT_SECRET, caught.value)
    assert REDACTED in str(caught.value)


def test_no_pipeline_feed_key_or_password_in_errors() -> None:
    h = make_harness(max_attempts=1)
    pipeline = pipeline_body()
    h.api.add_fault(
        "status", method="POST", path=wire.PIPELINES, status=400, body=_leaky_body("feed-key-secret-123")
    )
    with pytest.raises(BadRequestError) as caught:
        h.client.create(wire.PIPELINES, pipeline)
    assert_nowhere("feed-key-secret-123", caught.value)

    h.api.add_fault("status", method="PUT", status=400, body=_leaky_body("hunter2-very-secret"))
    with pytest.raises(BadRequestError) as caught_put:
        h.client.replace(wire.CONNECTIONS, "warehouse", connection_body())
    assert_nowhere("hunter2-very-secret", caught_put.value)


def test_the_bearer_token_never_appears_in_errors() -> None:
    h = make_harness(max_attempts=1)
    h.client.list(wire.CONNECTIONS)
    token = next(iter(h.api.valid_tokens))
    h.api.add_fault("status", method="GET", status=500, body=_leaky_body(f"Bearer {token}"))
    with pytest.raises(ServerError) as caught:
        h.client.list(wire.CONNECTIONS)
    assert_nowhere(token, caught.value)


def test_the_client_secret_never_appears_in_token_errors() -> None:
    h = make_harness(max_attempts=1)
    h.api.add_fault("status", path=wire.TOKEN_PATH, status=400, body=_leaky_body(CLIENT_SECRET))
    with pytest.raises(BadRequestError) as caught:
        h.client.list(wire.CONNECTIONS)
    assert_nowhere(CLIENT_SECRET, caught.value)


def test_client_and_settings_reprs_hold_no_secret() -> None:
    h = make_harness()
    assert CLIENT_SECRET not in repr(h.client)
    assert CLIENT_SECRET not in repr(h.client.settings)


def test_errors_survive_pickling() -> None:
    error = ConflictError(409, "POST", "/p", ["taken"])
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is ConflictError
    assert (clone.status_code, clone.method, clone.path, clone.messages) == (409, "POST", "/p", ["taken"])
    transport = TransportError("GET", "/p", "ConnectError: refused", attempts=3)
    assert str(pickle.loads(pickle.dumps(transport))) == str(transport)
