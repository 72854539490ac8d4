"""A resource's ``account``: its objects live in that account, whatever the provider's settings say.

Two emulators stand for two accounts with the *same* workspace id: the stack's config names the first
(``emulator``), the ``account`` argument the second (``second``), whose credential is another one. The
request logs of both prove where every call went; a rotated secret is recorded without any call.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import ConfigurationError, clear_client_cache
from pulumi_mparticle_wsync.emulator.settings import EmulatorSettings
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle, running_emulator
from pulumi_mparticle_wsync.resources import OperationError, PipelineRunProvider
from pulumi_mparticle_wsync.resources._stack_objects import STACK_OBJECTS, ObjectKey
from pulumi_mparticle_wsync.state_layout import PROVIDER_KEY

from ..models import samples
from .conftest import Providers, configured
from .helpers import SERIALIZED, api_calls, engine_props

SECOND_CLIENT_ID = "eu-client"
SECOND_SECRET = "eu-secret-1"
ROTATED_SECRET = "eu-secret-2"


@pytest.fixture(scope="module")
def _second_session() -> Iterator[EmulatorHandle]:
    settings = EmulatorSettings(port=0, client_id=SECOND_CLIENT_ID, client_secret=SECOND_SECRET)
    with running_emulator(settings) as handle:
        yield handle


@pytest.fixture
def second(_second_session: EmulatorHandle) -> EmulatorHandle:
    """The other account's emulator, fresh; its workspace id is the first one's (1001)."""
    _second_session.control.reset()
    return _second_session


def account(handle: EmulatorHandle, **changes: Any) -> dict[str, Any]:
    """The ``account`` value as the engine hands it over."""
    value: dict[str, Any] = {
        "client_id": handle.client_id, "client_secret": handle.client_secret, "workspace_id": handle.workspace_id,
        "api_url": handle.url, "auth_url": handle.url,
    }
    value.update(changes)
    return {key: item for key, item in value.items() if item is not None}


def served_ids(handle: EmulatorHandle, collection: str) -> list[str]:
    return sorted(o[wire.ID] for o in handle.control.list_objects(handle.workspace_id, collection))


def outs(result: Any) -> dict[str, Any]:
    found: dict[str, Any] | None = result.outs
    assert found is not None
    return found


def writes(handle: EmulatorHandle) -> int:
    return sum(handle.control.count(method) for method in ("POST", "PUT", "DELETE"))


# --- where the calls go --------------------------------------------------------------------


def test_create_read_update_delete_reach_the_accounts_emulator_only(
    providers: Providers, emulator: EmulatorHandle, second: EmulatorHandle
) -> None:
    inputs = samples.data_model(resource_id="users", account=account(second))
    created = providers.data_model.create(engine_props(inputs))
    assert served_ids(second, wire.DATA_MODELS) == ["users"]
    assert served_ids(emulator, wire.DATA_MODELS) == []
    assert outs(created)["account"] == account(second)
    assert outs(created)["workspace_id"] == "1001"

    read = providers.data_model.read("users", {**outs(created), PROVIDER_KEY: SERIALIZED})
    assert read.id == "users" and read.inputs == inputs

    renamed = {**inputs, "name": "Renamed"}
    providers.data_model.update("users", outs(read), engine_props(renamed))
    assert second.control.get_object("1001", wire.DATA_MODELS, "users")["name"] == "Renamed"  # type: ignore[index]

    providers.data_model.delete("users", {**outs(read), PROVIDER_KEY: SERIALIZED})
    assert served_ids(second, wire.DATA_MODELS) == []
    assert api_calls(second) == {"TOKEN": 1, "POST": 1, "GET": 1, "PUT": 1, "DELETE": 1}
    assert api_calls(emulator) == {}


def test_refresh_and_destroy_use_the_recorded_account_not_the_config(
    emulator: EmulatorHandle, second: EmulatorHandle, no_env_settings: None
) -> None:
    """The provider is configured with no credential at all: only the account's can reach the API."""
    clear_client_cache()
    bare = configured({"mparticle:maxRetryWait": "5"})
    created = bare.connection.create(engine_props(samples.connection(resource_id="wh", account=account(second))))
    assert bare.connection.read("wh", {**outs(created), PROVIDER_KEY: SERIALIZED}).id == "wh"
    bare.connection.delete("wh", {**outs(created), PROVIDER_KEY: SERIALIZED})
    assert served_ids(second, wire.CONNECTIONS) == []
    assert api_calls(emulator) == {}


def test_two_accounts_one_client_each(providers: Providers, emulator: EmulatorHandle, second: EmulatorHandle) -> None:
    providers.data_model.create(engine_props(samples.data_model(resource_id="users")))
    providers.data_model.create(engine_props(samples.data_model(resource_id="users", account=account(second))))
    providers.data_model.create(engine_props(samples.data_model(resource_id="orders", account=account(second))))
    assert served_ids(emulator, wire.DATA_MODELS) == ["users"]
    assert served_ids(second, wire.DATA_MODELS) == ["orders", "users"]
    assert api_calls(emulator) == {"TOKEN": 1, "POST": 1}
    assert api_calls(second) == {"TOKEN": 1, "POST": 2}  # one cached client (and token) for the account


def test_an_account_without_a_workspace_uses_none_of_the_config(providers: Providers) -> None:
    inputs = samples.data_model(account={"client_id": "x", "client_secret": "y"})
    with pytest.raises(ConfigurationError) as raised:
        providers.data_model.create(engine_props(inputs))
    assert str(raised.value) == (
        "no workspace id: pass the DataModel's workspace_id argument, or give its Account a workspace_id (a "
        "resource with an account never uses mparticle:workspaceId)"
    )


def test_the_resources_workspace_id_wins_over_the_accounts(providers: Providers, second: EmulatorHandle) -> None:
    inputs = samples.data_model(resource_id="users", workspace_id="2002", account=account(second))
    created = providers.data_model.create(engine_props(inputs))
    assert outs(created)["workspace_id"] == "2002"
    assert second.control.get_object("2002", wire.DATA_MODELS, "users") is not None


def test_a_refused_account_credential_is_named_with_what_to_do(
    providers: Providers, second: EmulatorHandle
) -> None:
    created = providers.data_model.create(engine_props(samples.data_model(resource_id="users",
                                                                          account=account(second))))
    stale = {**outs(created), "account": account(second, client_secret="revoked"), PROVIDER_KEY: SERIALIZED}
    with pytest.raises(OperationError) as raised:
        providers.data_model.read("users", stale)
    message = str(raised.value)
    assert message.startswith("read DataModel 'users' in workspace 1001 of account 'eu-client' failed: ")
    assert message.endswith(
        ". `pulumi refresh` and `pulumi destroy` use the account recorded with the resource by the last `pulumi "
        "up`: if you changed the Account's credentials or URLs since, run `pulumi up` first (new credentials are "
        "recorded without a change on the server)"
    )
    assert "revoked" not in message


# --- check and diff ------------------------------------------------------------------------


def test_check_names_the_accounts_bad_values(providers: Providers) -> None:
    inputs = samples.data_model(account={"client_id": "", "client_secret": "s3cr3t-value", "workspace_id": "ws",
                                         "api_url": "http://api.example.com", "auth_url": "https://sso/?x=1"})
    result = providers.data_model.check({}, engine_props(inputs))
    assert [(f.property, f.reason) for f in result.failures] == [
        ("account", "account.client_id: must not be empty: give it a value"),
        ("account", 'account.workspace_id: must be the numeric workspace id shown in the mParticle UI, e.g. "1001"'),
        ("account", "account.api_url: must use https:// (got 'http://api.example.com'): plain http:// is only "
                    "allowed for loopback hosts (127.0.0.1, localhost, ::1)"),
        ("account", "account.auth_url: must not carry a query or fragment (got 'https://sso/?x=1')"),
    ]
    assert all("s3cr3t-value" not in f.reason for f in result.failures)


def test_run_check_names_the_accounts_bad_values(providers: Providers) -> None:
    provider = PipelineRunProvider()
    result = provider.check({}, engine_props({"pipeline_id": "p", "account": {"client_id": "a"}}))
    assert [(f.property, f.reason) for f in result.failures] == [
        ("account", "account.client_secret: is required by Account: add it"),
    ]


OLD = samples.data_model(resource_id="users")


def _diff(providers: Providers, olds: dict[str, Any], news: dict[str, Any]) -> tuple[bool, list[str], bool]:
    result = providers.data_model.diff("users", olds, engine_props(news))
    return bool(result.changes), list(result.replaces or []), bool(result.delete_before_replace)


@pytest.mark.parametrize(("change", "expected"), [
    ({"client_secret": ROTATED_SECRET}, (True, [], False)),
    ({"client_id": "eu-client-2"}, (True, [], False)),
    ({"auth_url": "https://sso.example.com"}, (True, [], False)),
    ({"api_url": "https://api.example.com"}, (True, ["account"], False)),
    ({"api_url": None}, (True, ["account"], False)),  # the default URL is another API than the emulator
    ({"workspace_id": "2002"}, (True, ["workspace_id"], False)),
    ({}, (False, [], False)),
], ids=["secret", "client-id", "auth-url", "api-url", "api-url-default", "workspace", "nothing"])
def test_only_where_the_object_is_replaces_it(
    providers: Providers, second: EmulatorHandle, change: dict[str, Any], expected: tuple[bool, list[str], bool]
) -> None:
    olds = {**OLD, "account": account(second), "workspace_id": "1001"}
    news = {**OLD, "account": account(second, **change)}
    assert _diff(providers, olds, news) == expected


def test_the_same_api_url_spelt_otherwise_is_no_move(providers: Providers, second: EmulatorHandle) -> None:
    olds = {**OLD, "account": account(second), "workspace_id": "1001"}
    news = {**OLD, "account": account(second, api_url=f"{second.url}/platform/v2/")}
    assert _diff(providers, olds, news) == (True, [], False)


def test_giving_or_removing_an_account_compares_its_api_with_the_configured_one(
    providers: Providers, emulator: EmulatorHandle, second: EmulatorHandle
) -> None:
    config_olds = {**OLD, "workspace_id": "1001"}
    assert _diff(providers, config_olds, {**OLD, "account": account(second)}) == (True, ["account"], False)
    assert _diff(providers, {**config_olds, "account": account(second)}, OLD) == (True, ["account"], False)
    # The configured account written out as an Account: the object stays where it is.
    same = account(emulator)
    assert _diff(providers, config_olds, {**OLD, "account": same}) == (True, [], False)


def test_a_replacement_into_another_account_keeping_the_id_creates_first(
    providers: Providers, second: EmulatorHandle
) -> None:
    """The id is free in the other account: no need to delete the old object first."""
    olds = {**OLD, "account": account(second), "workspace_id": "1001"}
    news = {**OLD, "account": account(second, api_url="https://api.example.com")}
    assert _diff(providers, olds, news) == (True, ["account"], False)


def test_an_account_not_known_yet_may_be_anywhere(providers: Providers, second: EmulatorHandle) -> None:
    from pulumi_mparticle_wsync.models import UNKNOWN

    olds = {**OLD, "account": account(second), "workspace_id": "1001"}
    assert _diff(providers, olds, {**OLD, "account": UNKNOWN}) == (True, ["workspace_id", "account"], False)
    unknown_secret = {**OLD, "account": account(second, client_secret=UNKNOWN)}
    assert _diff(providers, olds, unknown_secret) == (True, [], False)


# --- a rotated credential ----------------------------------------------------------------------


def test_a_rotated_secret_is_recorded_without_any_call(providers: Providers, second: EmulatorHandle) -> None:
    created = providers.connection.create(engine_props(samples.connection(resource_id="wh",
                                                                          account=account(second))))
    second.control.clear_log()
    rotated = samples.connection(resource_id="wh", account=account(second, client_secret=ROTATED_SECRET))
    updated = providers.connection.update("wh", outs(created), engine_props(rotated))
    assert second.control.requests() == []
    assert outs(updated)["account"]["client_secret"] == ROTATED_SECRET
    kept = {k: v for k, v in outs(created).items() if k != "account"}
    assert {k: v for k, v in outs(updated).items() if k != "account"} == kept  # the server's fields as last read


def test_new_credentials_with_another_change_are_used_for_the_put(
    providers: Providers, emulator: EmulatorHandle, no_env_settings: None
) -> None:
    """The update writes with the new credential: after a rotation the old one may be refused."""
    settings = EmulatorSettings(port=0, client_id="rotating", client_secret="old-secret")
    with running_emulator(settings) as rotating:
        created = providers.data_model.create(engine_props(samples.data_model(resource_id="users",
                                                                              account=account(rotating))))
    with running_emulator(EmulatorSettings(port=0, client_id="rotating", client_secret="new-secret")) as renewed:
        moved = {**outs(created), "account": account(renewed, client_secret="old-secret")}  # its URL, for the test
        renewed.control.seed_object("1001", wire.DATA_MODELS, {
            "id": "users", "name": "Active users", "type": "sql", "config": {"sql_query": OLD["sql_query"]}})
        news = samples.data_model(resource_id="users", name="Renamed",
                                  account=account(renewed, client_secret="new-secret"))
        providers.data_model.update("users", moved, engine_props(news))
        assert renewed.control.count("PUT") == 1
        assert [r.status for r in renewed.control.requests() if r.collection == "token"] == [200]


def test_a_run_records_a_rotated_secret_without_any_call(second: EmulatorHandle, no_env_settings: None) -> None:
    clear_client_cache()
    provider = PipelineRunProvider()
    provider.configure(ConfigureRequest(Config({"mparticle:maxRetryWait": "5"}, "test-project")))
    olds = {"pipeline_id": "p", "run_id": 7, "state": "success", "errors": [], "wait_timed_out": False,
            "account": account(second), "workspace_id": "1001", "__input_keys": ["account", "pipeline_id"]}
    news = {"pipeline_id": "p", "account": account(second, client_secret=ROTATED_SECRET)}
    diff = provider.diff("p/7", olds, engine_props(news))
    assert (diff.changes, diff.replaces) == (True, [])
    moved = provider.diff("p/7", olds, engine_props({**news, "account": account(second, api_url="https://x.io")}))
    assert moved.replaces == ["account"]
    updated = provider.update("p/7", olds, engine_props(news))
    assert second.control.requests() == []
    assert outs(updated)["account"]["client_secret"] == ROTATED_SECRET
    assert outs(updated)["run_id"] == 7 and outs(updated)["state"] == "success"


# --- STACK_OBJECTS ------------------------------------------------------------------------------


def test_two_accounts_with_the_same_workspace_are_not_confused(
    providers: Providers, emulator: EmulatorHandle, second: EmulatorHandle
) -> None:
    """Same id, same workspace id, two accounts: removing one resource deletes its object, not skips it."""
    here = providers.connection.create(engine_props(samples.connection(resource_id="wh", pulumi_name="here")))
    providers.connection.create(engine_props(samples.connection(resource_id="wh", pulumi_name="there",
                                                                account=account(second))))
    providers.connection.delete("wh", {**outs(here), PROVIDER_KEY: SERIALIZED})
    assert served_ids(emulator, wire.CONNECTIONS) == []
    assert served_ids(second, wire.CONNECTIONS) == ["wh"]
    key = f"{second.url} {SECOND_CLIENT_ID}"
    assert STACK_OBJECTS.workspaces_of(wire.CONNECTIONS, "wh", key) == {"1001"}
    assert STACK_OBJECTS.workspaces_of(wire.CONNECTIONS, "wh") == set()
    assert ObjectKey("1001", wire.CONNECTIONS, "wh", key) != ObjectKey("1001", wire.CONNECTIONS, "wh")


def test_the_configured_account_written_as_an_account_is_the_same_account(
    providers: Providers, emulator: EmulatorHandle
) -> None:
    """Adopting a config resource's object under an explicit Account of the same credential: the old
    resource's delete leaves it to the new one, as with any adoption."""
    old = providers.connection.create(engine_props(samples.connection(resource_id="wh", pulumi_name="old")))
    providers.connection.create(engine_props(samples.connection(resource_id="wh", pulumi_name="new", adopt=True,
                                                                account=account(emulator))))
    emulator.control.clear_log()
    providers.connection.delete("wh", {**outs(old), PROVIDER_KEY: SERIALIZED})
    assert emulator.control.count("DELETE") == 0
    assert served_ids(emulator, wire.CONNECTIONS) == ["wh"]


def test_a_run_of_another_accounts_pipeline_is_not_judged_by_this_ones_schedule(
    providers: Providers, second: EmulatorHandle
) -> None:
    STACK_OBJECTS.note_schedule_type("1001", "pipe", "interval")  # the config account's pipeline "pipe"
    provider = PipelineRunProvider()
    here = provider.check({}, engine_props({"pipeline_id": "pipe"}))
    there = provider.check({}, engine_props({"pipeline_id": "pipe", "account": account(second)}))
    assert [f.property for f in here.failures] == ["pipeline_id"]
    assert there.failures == []


# --- what stays as it was -------------------------------------------------------------------------


def test_a_resource_without_an_account_is_written_read_and_diffed_as_before(
    providers: Providers, emulator: EmulatorHandle
) -> None:
    """No ``account`` key appears in the state of a resource without one, so a state written before
    accounts existed is exactly what this version writes: no diff, no refresh change."""
    inputs = samples.data_model(resource_id="users")
    created = outs(providers.data_model.create(engine_props(inputs)))
    assert "account" not in created and created["__input_keys"] == sorted(inputs)
    read = providers.data_model.read("users", {**created, PROVIDER_KEY: SERIALIZED})
    assert read.inputs == inputs and outs(read) == created
    diff = providers.data_model.diff("users", outs(read), engine_props(inputs))
    assert (diff.changes, diff.replaces) == (False, [])


def test_an_accounts_client_takes_the_stacks_retries_and_timeouts(
    emulator: EmulatorHandle, second: EmulatorHandle, no_env_settings: None
) -> None:
    from pulumi_mparticle_wsync.resources import _runtime

    configured({"mparticle:maxAttempts": "2", "mparticle:timeout": "7", "mparticle:maxRetryWait": "3",
                "mparticle:apiUrl": emulator.url, "mparticle:clientId": "not-this-one"})
    settings = _runtime.account_settings(account(second, workspace_id=None, auth_url=None))
    assert (settings.client_id, settings.client_secret, settings.api_url) == (SECOND_CLIENT_ID, SECOND_SECRET,
                                                                               second.url)
    assert (settings.auth_url, settings.workspace_id) == ("https://sso.auth.mparticle.com", None)
    assert (settings.max_attempts, settings.timeout, settings.max_retry_wait) == (2, 7.0, 3.0)
    configured({"mparticle:maxAttempts": "many"})
    with pytest.raises(ConfigurationError) as raised:
        _runtime.account_settings(account(second))
    assert str(raised.value) == (
        "mparticle:maxAttempts must be a whole number (got 'many'); set it with `pulumi config set "
        "mparticle:maxAttempts` or MPARTICLE_MAX_ATTEMPTS"
    )
