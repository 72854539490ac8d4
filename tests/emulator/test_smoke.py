"""The fixture works end to end over a real socket."""

from __future__ import annotations

import httpx

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle


def test_fixture_serves_token_and_api(emulator: EmulatorHandle) -> None:
    with httpx.Client(base_url=emulator.url) as http:
        token = http.post(
            wire.TOKEN_PATH,
            json={
                wire.TOKEN_CLIENT_ID: emulator.client_id,
                wire.TOKEN_CLIENT_SECRET: emulator.client_secret,
                wire.TOKEN_AUDIENCE_FIELD: wire.TOKEN_AUDIENCE,
                wire.TOKEN_GRANT_TYPE_FIELD: wire.TOKEN_GRANT_TYPE,
            },
        ).json()[wire.TOKEN_ACCESS_TOKEN]
        listed = http.get(
            f"/platform/v2/workspaces/{emulator.workspace_id}/{wire.CONNECTIONS}",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert listed.status_code == 200
    assert listed.json() == []
    assert emulator.control.count("GET", wire.CONNECTIONS) == 1
    assert emulator.control.count("POST", "token") == 1
