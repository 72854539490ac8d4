"""Tokens: one per credential, reused until shortly before expiry, renewed once after a 401."""

from __future__ import annotations

import threading

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import (
    AuthenticationError,
    TokenCache,
    WarehouseSyncClient,
    clear_client_cache,
    get_client,
)
from pulumi_mparticle_wsync.client._auth import refresh_skew

from .client_fakes import AUTH, CLIENT_SECRET, WORKSPACE, FakeAPI, make_harness, make_settings

LIST_PATH = f"/platform/v2/workspaces/{WORKSPACE}/{wire.CONNECTIONS}"


def test_token_request_body_follows_the_spec() -> None:
    h = make_harness()
    h.client.list(wire.CONNECTIONS)
    token_call = h.api.calls.index(f"POST {wire.TOKEN_PATH}")
    assert h.api.bodies[token_call] == {
        "client_id": "client-id-1",
        "client_secret": CLIENT_SECRET,
        "audience": "https://api.mparticle.com",
        "grant_type": "client_credentials",
    }


def test_one_token_serves_many_calls() -> None:
    h = make_harness()
    for _ in range(5):
        h.client.list(wire.CONNECTIONS)
    assert h.api.tokens_issued == 1
    assert h.api.count("POST", wire.TOKEN_PATH) == 1
    assert h.api.count("GET", LIST_PATH) == 5


def test_refresh_skew_is_five_minutes_or_ten_percent() -> None:
    assert refresh_skew(28800) == 300
    assert refresh_skew(600) == 60


def test_token_is_renewed_shortly_before_it_expires() -> None:
    h = make_harness(FakeAPI(token_lifetime=3600))
    h.client.list(wire.CONNECTIONS)
    h.clock.advance(3600 - 300 - 1)  # still more than the skew left
    h.client.list(wire.CONNECTIONS)
    assert h.api.tokens_issued == 1
    h.clock.advance(2)  # now within the last five minutes
    h.client.list(wire.CONNECTIONS)
    assert h.api.tokens_issued == 2


def test_a_401_renews_the_token_once_and_repeats_the_call_once() -> None:
    h = make_harness()
    h.client.list(wire.CONNECTIONS)
    h.api.expire_all_tokens()
    assert h.client.list(wire.CONNECTIONS) == []
    assert h.api.tokens_issued == 2
    assert h.api.count("GET", LIST_PATH) == 3  # first call, refused call, repeated call


def test_a_second_401_is_an_authentication_error_without_a_loop() -> None:
    h = make_harness()
    h.api.add_fault("unauthorized", path=LIST_PATH, times=10)
    with pytest.raises(AuthenticationError) as caught:
        h.client.list(wire.CONNECTIONS)
    assert caught.value.status_code == 401
    assert "Admin permission" in str(caught.value)
    assert h.api.count("GET", LIST_PATH) == 2
    assert h.api.tokens_issued == 2
    assert h.sleeps == []


def test_a_refused_credential_names_the_settings_to_fix() -> None:
    h = make_harness(client_secret="wrong-secret-value")
    with pytest.raises(AuthenticationError) as caught:
        h.client.list(wire.CONNECTIONS)
    message = str(caught.value)
    assert message.startswith(f"POST {wire.TOKEN_PATH} -> 401: Unauthorized")
    assert "mparticle:clientSecret" in message
    assert "MPARTICLE_CLIENT_SECRET" in message
    assert "wrong-secret-value" not in message
    assert h.api.count("GET") == 0


def test_concurrent_first_calls_mint_one_token() -> None:
    api = FakeAPI(token_delay=0.05)
    h = make_harness(api)
    start = threading.Barrier(4)
    results: list[object] = []

    def call() -> None:
        start.wait()
        results.append(h.client.list(wire.CONNECTIONS))

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [[], [], [], []]
    assert api.tokens_issued == 1


def test_concurrent_401s_renew_the_token_once() -> None:
    api = FakeAPI()
    h = make_harness(api)
    h.client.list(wire.CONNECTIONS)
    api.expire_all_tokens()
    api.token_delay = 0.05
    start = threading.Barrier(4)

    def call() -> None:
        start.wait()
        h.client.list(wire.CONNECTIONS)

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Each refused thread discards only the token it used, so the first renewal serves them all.
    assert api.tokens_issued == 2


def test_clients_sharing_a_token_cache_mint_once() -> None:
    api = FakeAPI()
    tokens = TokenCache()
    first = WarehouseSyncClient(make_settings(), api.transport(), token_cache=tokens)
    second = WarehouseSyncClient(make_settings(workspace_id="2002"), api.transport(), token_cache=tokens)
    first.list(wire.CONNECTIONS)
    second.list(wire.CONNECTIONS)
    assert api.tokens_issued == 1


def test_get_client_caches_per_settings_and_shares_the_token_per_credential() -> None:
    clear_client_cache()
    api = FakeAPI()
    transport = api.transport()
    try:
        a = get_client(make_settings(), transport=transport)
        assert get_client(make_settings(), transport=transport) is a
        b = get_client(make_settings(workspace_id="2002"), transport=transport)
        assert b is not a
        a.list(wire.CONNECTIONS)
        b.list(wire.CONNECTIONS)
        assert api.tokens_issued == 1
        other_endpoint = get_client(make_settings(auth_url=AUTH + ":8443"), transport=transport)
        other_endpoint.list(wire.CONNECTIONS)
        assert api.tokens_issued == 2
    finally:
        clear_client_cache()


def test_get_client_is_thread_safe() -> None:
    clear_client_cache()
    transport = FakeAPI().transport()
    start = threading.Barrier(8)
    seen: list[WarehouseSyncClient] = []

    def fetch() -> None:
        start.wait()
        seen.append(get_client(make_settings(), transport=transport))

    threads = [threading.Thread(target=fetch) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert len(seen) == 8
        assert all(client is seen[0] for client in seen)
    finally:
        clear_client_cache()
