"""Two mParticle accounts in one stack, under the real engine.

The stack's config names the first emulator (``emulator``); an ``Account`` names a second one, whose
credential is another. Both hold workspace 1001, and the program declares the same ids in each (a
connection ``wh`` and a data model ``users``): every call must reach its own emulator.

Then the second account's secret is rotated: the second emulator is restarted on the same port and
data with a new credential (the old one is refused from then on), and the stack's config gets the new
secret. The preview shows an update of the two resources in that account and no replacement; the up
records the new secret without a single request; refresh and destroy (which use what the state
recorded) reach each object on its own emulator. No secret is ever in the state or the engine's
output in plaintext.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

import pulumi_mparticle_wsync as mp
from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.server import EmulatorServer
from pulumi_mparticle_wsync.emulator.settings import EmulatorSettings
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle, handle_for

from .conftest import StackFactory
from .harness import PULUMI_BIN, EngineStack, closed_port, engine_env

SECOND_CLIENT_ID = "eu-engine-client"
SECOND_SECRET = "EU-secret-first-7f3a91"
ROTATED_SECRET = "EU-secret-rotated-c2e804"
WRITES = ("POST", "PUT", "DELETE")
COLLECTIONS = (wire.CONNECTIONS, wire.DATA_MODELS)


def _program() -> None:
    config = pulumi.Config()
    eu = mp.Account(
        client_id=config.require("euClientId"),
        client_secret=config.require_secret("euSecret"),
        workspace_id="1001",
        api_url=config.require("euUrl"),
        auth_url=config.require("euUrl"),
    )
    databricks = mp.DatabricksConfigArgs(provider="acme_share", catalog="main", schema="crm")
    sql = "SELECT email, plan FROM db.s.users"
    home_wh = mp.Connection("home-wh", name="Home warehouse", databricks=databricks, resource_id="wh")
    home_users = mp.DataModel("home-users", name="Home users", sql_query=sql, resource_id="users")
    eu_wh = mp.Connection("eu-wh", name="EU warehouse", databricks=databricks, resource_id="wh", account=eu)
    eu_users = mp.DataModel("eu-users", name="EU users", sql_query=sql, resource_id="users", account=eu)
    pulumi.export("home", [home_wh.id, home_users.id, home_wh.name])
    pulumi.export("eu", [eu_wh.id, eu_users.id, eu_wh.name])


@dataclass
class SecondAccount:
    """The second emulator: a file database and a fixed port, so that it can restart with a new secret."""

    settings: EmulatorSettings
    server: EmulatorServer | None = None

    @property
    def handle(self) -> EmulatorHandle:
        assert self.server is not None
        return handle_for(self.server.url, self.settings)

    def start(self) -> None:
        self.server = EmulatorServer(self.settings).start()

    def rotate(self, secret: str) -> None:
        """The credential's secret is rotated: the old one is refused from now on."""
        self.stop()
        self.settings = replace(self.settings, client_secret=secret)
        self.start()

    def stop(self) -> None:
        if self.server is not None:
            self.handle.control.close()
            self.server.stop()
            self.server = None


@pytest.fixture
def second(tmp_path: Path) -> Iterator[SecondAccount]:
    account = SecondAccount(EmulatorSettings(
        port=closed_port(), data_path=str(tmp_path / "second.sqlite3"),
        client_id=SECOND_CLIENT_ID, client_secret=SECOND_SECRET,
    ))
    account.start()
    yield account
    account.stop()


def _served(handle: EmulatorHandle) -> dict[str, list[str]]:
    return {
        collection: sorted(o[wire.ID] for o in handle.control.list_objects("1001", collection))
        for collection in COLLECTIONS
    }


def _names(handle: EmulatorHandle) -> list[str]:
    return sorted(str(handle.control.get_object("1001", c, i)["name"])  # type: ignore[index]
                  for c, i in ((wire.CONNECTIONS, "wh"), (wire.DATA_MODELS, "users")))


def _writes(handle: EmulatorHandle) -> int:
    return sum(handle.control.count(method) for method in WRITES)


def exported_without_secrets(stack: EngineStack) -> str:
    """``pulumi stack export`` as a user runs it (the Automation API's export shows secrets), and the
    backend's files."""
    exported = subprocess.run(
        [str(PULUMI_BIN / "pulumi"), "stack", "export", "--stack", stack.stack.name],
        cwd=stack.home, env=engine_env(stack.home), check=True, capture_output=True, text=True,
    ).stdout
    backend = stack.home / "state"
    return exported + "\n".join(p.read_text(errors="replace") for p in sorted(backend.rglob("*")) if p.is_file())


def _assert_no_secret(stack: EngineStack) -> None:
    state = exported_without_secrets(stack)
    printed = "\n".join(stack.transcript)
    for secret in (SECOND_SECRET, ROTATED_SECRET):
        assert secret not in state
        assert secret not in printed
    exported = _first_json(state)
    resources = exported["deployment"]["resources"]
    eu = [r for r in resources if r.get("urn", "").endswith(("::eu-wh", "::eu-users"))]
    assert len(eu) == 2
    for resource in eu:  # the account is recorded, its secret encrypted
        assert resource["inputs"]["account"]["client_id"] == SECOND_CLIENT_ID
        assert resource["inputs"]["account"]["client_secret"]["4dabf18193072939515e22adb298388d"] == (
            "1b47061264138c4ac30d75fd1eb44270")
        assert "ciphertext" in resource["outputs"]["account"]["client_secret"]


def _first_json(text: str) -> dict[str, Any]:
    found, _ = json.JSONDecoder().raw_decode(text)
    assert isinstance(found, dict)
    return found


def test_two_accounts_one_stack_and_a_rotated_secret(
    make_stack: StackFactory, emulator: EmulatorHandle, second: SecondAccount
) -> None:
    config: dict[str, object] = {
        "euClientId": SECOND_CLIENT_ID,
        "euUrl": second.handle.url,
        "euSecret": auto.ConfigValue(SECOND_SECRET, secret=True),
    }
    stack = make_stack(_program, config=config)

    stack.up()
    both = {wire.CONNECTIONS: ["wh"], wire.DATA_MODELS: ["users"]}
    assert _served(emulator) == both and _served(second.handle) == both
    assert _names(emulator) == ["Home users", "Home warehouse"]
    assert _names(second.handle) == ["EU users", "EU warehouse"]
    assert emulator.control.count("POST") == 2 and second.handle.control.count("POST") == 2

    assert set(stack.preview().result.change_summary) == {"same"}

    second.rotate(ROTATED_SECRET)
    stack.stack.set_config("euSecret", auto.ConfigValue(ROTATED_SECRET, secret=True))
    emulator.control.clear_log()

    preview = stack.preview()
    assert preview.result.change_summary == {"same": 3, "update": 2}, preview.output
    lines = [line.strip() for line in preview.output.splitlines() if "(update)" in line or "[urn=" in line]
    updated = sorted(zip(lines[1::2], lines[2::2], strict=True))  # the engine shows them in either order
    assert updated == [
        ("~ pulumi-python:dynamic/mparticle:Connection: (update)",
         "[urn=urn:pulumi:test::wsync-test::pulumi-python:dynamic/mparticle:Connection::eu-wh]"),
        ("~ pulumi-python:dynamic/mparticle:DataModel: (update)",
         "[urn=urn:pulumi:test::wsync-test::pulumi-python:dynamic/mparticle:DataModel::eu-users]"),
    ], preview.output
    assert "replace" not in preview.output

    up = stack.up()
    assert up.result.summary.resource_changes == {"same": 3, "update": 2}
    assert second.handle.control.requests() == []  # recorded without a request
    assert _writes(emulator) == 0
    assert set(stack.preview().result.change_summary) == {"same"}

    refresh = stack.refresh()  # with what the state recorded: the new secret
    assert refresh.result.summary.resource_changes == {"same": 5}
    # Per account: the lists of its two kinds, and of the two the stack lacks (listed ahead).
    assert second.handle.control.count("GET") == 4 and emulator.control.count("GET") == 4
    tokens = [r.status for r in second.handle.control.requests() if r.collection == "token"]
    assert tokens == [200]
    _assert_no_secret(stack)

    stack.destroy()
    assert _served(emulator) == _served(second.handle) == {wire.CONNECTIONS: [], wire.DATA_MODELS: []}
    assert emulator.control.count("DELETE") == 2 and second.handle.control.count("DELETE") == 2
    _assert_no_secret_printed(stack)


def _assert_no_secret_printed(stack: EngineStack) -> None:
    printed = "\n".join(stack.transcript)
    assert SECOND_SECRET not in printed and ROTATED_SECRET not in printed


def test_the_recorded_account_is_in_the_state_secret_only_where_it_must_be(
    make_stack: StackFactory, emulator: EmulatorHandle, second: SecondAccount
) -> None:
    config: dict[str, object] = {
        "euClientId": SECOND_CLIENT_ID,
        "euUrl": second.handle.url,
        "euSecret": auto.ConfigValue(SECOND_SECRET, secret=True),
    }
    stack = make_stack(_program, config=config)
    stack.up()
    _assert_no_secret(stack)
    outputs = stack.stack.outputs()
    assert outputs["eu"].value == ["wh", "users", "EU warehouse"]
    assert outputs["home"].value == ["wh", "users", "Home warehouse"]
    assert not outputs["eu"].secret
