"""The §8 switches: secrets omitted vs masked, provider case, duplicate-id status, token lifetime
(the run switches are in ``test_emulator_run_switches.py``)."""

from __future__ import annotations

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.control import EmulatorControlError
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .emulator_support import (
    PARTNER_FEED_KEY,
    ApiSession,
    connection,
    fast_http_client,
    message_text,
    pipeline,
    token_request,
)

C, P = wire.CONNECTIONS, wire.PIPELINES


def test_defaults(emulator: EmulatorHandle) -> None:
    assert emulator.control.switches() == {
        "secret_mode": wire.SECRET_MODE_OMIT,
        "provider_case": wire.PROVIDER_CASE_LOWER,
        "duplicate_id_status": wire.DUPLICATE_ID_409,
        "token_lifetime_seconds": wire.TOKEN_LIFETIME_SECONDS,
        "trigger_path": "trigger",
        "run_spelling": "v1",
        "status_shape": "v1",
        "new_pipeline_status_404_seconds": 0,
    }


def test_secret_mode_mask_answers_the_masked_literal(linked_api: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.set_switches(secret_mode=wire.SECRET_MODE_MASK)
    created = linked_api.create_ok(C, connection("bq", 'bigquery'))
    assert created["config"]["service_account_key"] == wire.MASKED_SECRET
    body = pipeline("keyed", partner_feed_key=PARTNER_FEED_KEY)
    del body["partner_feed_id"]
    keyed = linked_api.create_ok(P, body)
    assert keyed["partner_feed_key"] == wire.MASKED_SECRET
    assert isinstance(keyed["partner_feed_id"], int)
    assert linked_api.get(C, "conn-1").json()["config"]["password"] == wire.MASKED_SECRET
    assert PARTNER_FEED_KEY not in linked_api.list(P).text

    emulator.control.set_switches(secret_mode=wire.SECRET_MODE_OMIT)
    assert "password" not in linked_api.get(C, "conn-1").json()["config"]
    assert "partner_feed_key" not in linked_api.get(P, "keyed").json()


def test_provider_case_capitalised(api: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.set_switches(provider_case=wire.PROVIDER_CASE_CAPITALISED)
    created = api.create_ok(C, connection("snow"))
    assert created["service_provider"] == "Snowflake"
    assert api.get(C, "snow").json()["service_provider"] == "Snowflake"
    assert [c["service_provider"] for c in api.list(C, serviceProvider="snowflake").json()] == ["Snowflake"]
    # A client that sends back what it read is accepted.
    assert api.replace(C, "snow", {**connection("snow"), "service_provider": "Snowflake"}).status_code == 200
    emulator.control.set_switches(provider_case=wire.PROVIDER_CASE_LOWER)
    assert api.get(C, "snow").json()["service_provider"] == "snowflake"


def test_duplicate_id_as_400(api: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.set_switches(duplicate_id_status=wire.DUPLICATE_ID_400)
    api.create_ok(C, connection("dup"))
    answer = api.create(C, connection("dup"))
    assert answer.status_code == 400
    assert wire.DUPLICATE_ID_MESSAGE_FRAGMENT in message_text(answer)


def test_token_lifetime_switch(emulator: EmulatorHandle, api: ApiSession) -> None:
    emulator.control.set_switches(token_lifetime_seconds=90)
    answer = api.http.post(wire.TOKEN_PATH, json=token_request(emulator.client_id, emulator.client_secret))
    assert answer.json()[wire.TOKEN_EXPIRES_IN] == 90


def test_switches_reset_between_tests(emulator: EmulatorHandle) -> None:
    defaults = emulator.control.switches()
    emulator.control.set_switches(
        secret_mode="mask",
        provider_case="capitalised",
        duplicate_id_status=400,
        trigger_path="bare",
        run_spelling="guess",
        status_shape="guess",
        new_pipeline_status_404_seconds=60,
    )
    emulator.control.reset()
    assert emulator.control.switches() == defaults


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"secret_mode": "hide"}, "secret_mode: 'hide' is not one of 'omit', 'mask'"),
        ({"provider_case": "upper"}, "provider_case: 'upper' is not one of"),
        ({"duplicate_id_status": 422}, "duplicate_id_status: 422 is not one of 409, 400"),
        ({"token_lifetime_seconds": 0}, "token_lifetime_seconds: must be an integer from 1"),
        ({"colour": "red"}, "colour: unknown switch"),
    ],
)
def test_bad_switch_values_are_refused(emulator: EmulatorHandle, changes: dict[str, object], fragment: str) -> None:
    with fast_http_client(emulator.url) as http:  # raw, to send names the Python API does not have
        answer = http.post("/_emulator/switches", json=changes)
    assert answer.status_code == 400
    assert fragment in message_text(answer)


def test_control_client_raises_on_refused_switch(emulator: EmulatorHandle) -> None:
    with pytest.raises(EmulatorControlError, match="secret_mode"):
        emulator.control.set_switches(secret_mode="hide")
