"""The token endpoint and bearer checks (spec §1): validation, 401s, expiry under the clock."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.settings import EmulatorSettings
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle, running_emulator

from .emulator_support import ApiSession, fast_http_client, message_text, token_request


def post_token(emulator: EmulatorHandle, body: Any) -> Any:
    with fast_http_client(emulator.url) as http:
        return http.post(wire.TOKEN_PATH, json=body)


def test_token_answer_has_the_documented_shape(emulator: EmulatorHandle) -> None:
    answer = post_token(emulator, token_request(emulator.client_id, emulator.client_secret))
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {wire.TOKEN_ACCESS_TOKEN, wire.TOKEN_EXPIRES_IN, wire.TOKEN_TYPE}
    assert body[wire.TOKEN_EXPIRES_IN] == wire.TOKEN_LIFETIME_SECONDS
    assert body[wire.TOKEN_TYPE] == wire.TOKEN_TYPE_BEARER
    assert answer.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        (wire.TOKEN_CLIENT_ID, None, "client_id: required"),
        (wire.TOKEN_CLIENT_SECRET, None, "client_secret: required"),
        (wire.TOKEN_AUDIENCE_FIELD, None, "audience: required: send 'https://api.mparticle.com'"),
        (wire.TOKEN_GRANT_TYPE_FIELD, None, "grant_type: required: send 'client_credentials'"),
        (wire.TOKEN_AUDIENCE_FIELD, "https://example.com", "audience: 'https://example.com' is not accepted"),
        (wire.TOKEN_GRANT_TYPE_FIELD, "password", "grant_type: 'password' is not accepted"),
        (wire.TOKEN_CLIENT_SECRET, 12345, "client_secret: must be a string, not a number"),
    ],
)
def test_token_request_is_validated(emulator: EmulatorHandle, field: str, value: Any, fragment: str) -> None:
    body = token_request(emulator.client_id, emulator.client_secret)
    if value is None:
        del body[field]
    else:
        body[field] = value
    answer = post_token(emulator, body)
    assert answer.status_code == 400
    assert fragment in message_text(answer)


def test_token_body_must_be_a_json_object(emulator: EmulatorHandle) -> None:
    answer = post_token(emulator, ["client_id"])
    assert answer.status_code == 400
    assert "request body: must be a JSON object, not an array" in message_text(answer)


@pytest.mark.parametrize("wrong", ["client_id", "client_secret"])
def test_wrong_credentials_are_401_without_echoing_them(emulator: EmulatorHandle, wrong: str) -> None:
    body = token_request(emulator.client_id, emulator.client_secret)
    body[wrong] = "guessed-credential-value"
    answer = post_token(emulator, body)
    assert answer.status_code == 401
    assert "client_id or client_secret is wrong" in message_text(answer)
    assert "guessed-credential-value" not in answer.text
    assert emulator.client_secret not in answer.text


def test_api_calls_need_a_bearer_token(api: ApiSession) -> None:
    path = api.path(wire.CONNECTIONS)
    missing = api.http.get(path)
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    assert "missing Authorization header" in message_text(missing)
    basic = api.http.get(path, headers={"Authorization": "Basic abc"})
    assert basic.status_code == 401
    assert "must be 'Bearer <token>'" in message_text(basic)
    unknown = api.http.get(path, headers={"Authorization": "Bearer not-a-token"})
    assert unknown.status_code == 401
    assert "unknown token" in message_text(unknown)
    assert api.list(wire.CONNECTIONS).status_code == 200


def test_tokens_expire_after_their_lifetime(api: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.set_switches(token_lifetime_seconds=60)
    short = ApiSession(api.http, emulator.client_id, emulator.client_secret, emulator.workspace_id)
    assert short.list(wire.CONNECTIONS).status_code == 200
    emulator.control.advance_clock(59)
    assert short.list(wire.CONNECTIONS).status_code == 200
    emulator.control.advance_clock(1)
    expired = short.list(wire.CONNECTIONS)
    assert expired.status_code == 401
    assert "token expired: request a new one" in message_text(expired)
    # The default-lifetime token minted before the switch is still good.
    assert api.list(wire.CONNECTIONS).status_code == 200


def test_expire_tokens_expires_every_issued_token(api: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.expire_tokens()
    assert api.list(wire.CONNECTIONS).status_code == 401
    renewed = ApiSession(api.http, emulator.client_id, emulator.client_secret, emulator.workspace_id)
    assert renewed.list(wire.CONNECTIONS).status_code == 200


def test_tokens_survive_a_reset(api: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.reset()
    assert api.list(wire.CONNECTIONS).status_code == 200


def test_configured_credentials_and_lifetime() -> None:
    settings = EmulatorSettings(port=0, client_id="ci", client_secret="cs-value", token_lifetime_seconds=120)
    with running_emulator(settings) as handle:
        assert (handle.client_id, handle.client_secret) == ("ci", "cs-value")
        answer = post_token(handle, token_request("ci", "cs-value"))
        assert answer.json()[wire.TOKEN_EXPIRES_IN] == 120
        assert post_token(handle, token_request("emulator-client", "emulator-secret")).status_code == 401
