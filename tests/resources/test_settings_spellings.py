"""Settings as users copy them from mParticle's documentation, each spelling against the emulator.

mParticle's docs give the token endpoint as a full URL (``https://sso.auth.mparticle.com/oauth/token``)
and the API base with its version (``https://api.mparticle.com/platform/v2/``). The provider takes
the host alone, the host with a trailing slash, the documented URL, and the documented URL with a
trailing slash, for both settings, from stack config (as the engine configures a provider) and
from the ``MPARTICLE_*`` environment variables alike: a token is minted, the workspace's one
object is listed, and no request is answered 404.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_mparticle_wsync import _constants as c
from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import clear_client_cache
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.resources import _runtime

from .conftest import configured, stack_config

TOKEN_COLLECTION = "token"  # the collection under which the emulator logs token calls

# Each spelling as a suffix of the emulator's URL (which stands in for the host).
SPELLINGS = {
    c.CONFIG_AUTH_URL: {
        "host": "",
        "host/": "/",
        "documented token URL": wire.TOKEN_PATH,
        "documented token URL/": f"{wire.TOKEN_PATH}/",
    },
    c.CONFIG_API_URL: {
        "host": "",
        "host/": "/",
        "documented base": "/platform/v2",
        "documented base/": "/platform/v2/",
    },
}
CASES = [
    pytest.param(key, suffix, source, id=f"{key.split(':')[1]}={name}-{source}")
    for key, spellings in SPELLINGS.items()
    for name, suffix in spellings.items()
    for source in ("config", "env")
]


@pytest.fixture
def fresh_clients(no_env_settings: None) -> Iterator[None]:
    clear_client_cache()  # a new token for each case, as in a new provider process
    yield
    clear_client_cache()


@pytest.mark.parametrize(("key", "suffix", "source"), CASES)
def test_each_documented_spelling_reaches_the_api(
    emulator: EmulatorHandle, fresh_clients: None, monkeypatch: pytest.MonkeyPatch, key: str, suffix: str, source: str
) -> None:
    emulator.control.seed_object(emulator.workspace_id, wire.DATA_MODELS, {
        "id": "active-users", "name": "Active users", "type": "sql",
        "config": {"sql_query": "SELECT email FROM analytics.public.users"}})
    emulator.control.clear_log()
    settings = stack_config(emulator)
    settings[key] = f"{emulator.url}{suffix}"
    if source == "config":
        configured(settings)
    else:
        for name, value in settings.items():
            monkeypatch.setenv(c.ENV_VARS[name], value)
        configured({})

    listed = _runtime.client().list(wire.DATA_MODELS)

    assert [item["id"] for item in listed] == ["active-users"]
    calls = [(r.method, r.collection, r.status) for r in emulator.control.requests()]
    assert calls == [("POST", TOKEN_COLLECTION, 200), ("GET", wire.DATA_MODELS, 200)]
    assert [r.path for r in emulator.control.requests()] == [
        wire.TOKEN_PATH,
        f"{wire.WORKSPACE_PATH.format(workspace_id=emulator.workspace_id)}/{wire.DATA_MODELS}",
    ]
