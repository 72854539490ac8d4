"""Provider settings: read in ``configure`` from stack config (environment as fallback);
``check`` and ``diff`` never need them; a missing one fails the first API call, naming it."""

from __future__ import annotations

import pytest

from pulumi_mparticle_wsync import _constants as c
from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import ConfigurationError, setting_source
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.resources.errors import with_pulumi_advice

from ..models import samples
from .conftest import configured, stack_config
from .helpers import engine_props, stored


@pytest.mark.usefixtures("no_env_settings")
def test_check_and_diff_work_without_any_setting() -> None:
    providers = configured({})
    inputs = samples.pipeline()
    assert providers.pipeline.check({}, engine_props(inputs)).failures == []
    outs = {**inputs, "resource_id": "p", "workspace_id": "1001", "__input_keys": sorted(inputs)}
    assert providers.pipeline.diff("p", outs, engine_props(inputs)).changes is False
    with pytest.raises(ConfigurationError, match=r"mparticle:clientId.*MPARTICLE_CLIENT_ID"):
        providers.pipeline.create(engine_props(inputs))


@pytest.mark.usefixtures("no_env_settings")
def test_missing_secret_names_the_config_key_and_variable(emulator: EmulatorHandle) -> None:
    providers = configured(stack_config(emulator, clientSecret=None))
    with pytest.raises(ConfigurationError) as missing:
        providers.data_model.create(engine_props(samples.data_model()))
    assert str(missing.value) == (
        "mparticle:clientSecret is not set: set it with `pulumi config set --secret mparticle:clientSecret` or "
        "MPARTICLE_CLIENT_SECRET"
    )
    assert missing.value.problems == (str(missing.value),)


@pytest.mark.usefixtures("no_env_settings")
def test_every_problem_says_how_to_set_its_setting_with_pulumi(emulator: EmulatorHandle) -> None:
    providers = configured(stack_config(emulator, clientId=None, apiUrl="http://api.example.com", timeout="0"))
    with pytest.raises(ConfigurationError) as refused:
        providers.data_model.create(engine_props(samples.data_model()))
    assert [problem.rsplit("; ", 1)[-1].split(": ", 1)[-1] for problem in refused.value.problems] == [
        "set it with `pulumi config set mparticle:clientId` or MPARTICLE_CLIENT_ID",
        "set it with `pulumi config set mparticle:apiUrl` or MPARTICLE_API_URL",
        "set it with `pulumi config set mparticle:timeout` or MPARTICLE_TIMEOUT",
    ]
    assert str(refused.value).startswith("3 problems with the mparticle settings:\n")
    assert all(f"- {problem}" in str(refused.value) for problem in refused.value.problems)
    assert " setting or MPARTICLE_" not in str(refused.value)  # none left in the client's neutral words


@pytest.mark.parametrize("key", list(c.ENV_VARS))
def test_the_pulumi_advice_replaces_the_clients_neutral_words_for_every_setting(key: str) -> None:
    command = f"pulumi config set --secret {key}" if key in c.SECRET_CONFIG_KEYS else f"pulumi config set {key}"
    neutral = f"{key} is wrong; set it with {setting_source(key)}"
    assert with_pulumi_advice(neutral) == f"{key} is wrong; set it with `{command}` or {c.ENV_VARS[key]}"


@pytest.mark.usefixtures("no_env_settings")
def test_missing_workspace_names_every_way_to_set_it(emulator: EmulatorHandle) -> None:
    providers = configured(stack_config(emulator, workspaceId=None))
    with pytest.raises(ConfigurationError) as missing:
        providers.data_model.create(engine_props(samples.data_model()))
    for way in ("workspace_id", "mparticle:workspaceId", "MPARTICLE_WORKSPACE_ID"):
        assert way in str(missing.value)
    created = providers.data_model.create(engine_props(samples.data_model(workspace_id="4004")))
    assert emulator.control.get_object("4004", wire.DATA_MODELS, created.id) is not None


@pytest.mark.usefixtures("no_env_settings")
def test_plain_http_is_refused_except_on_loopback(emulator: EmulatorHandle) -> None:
    providers = configured(stack_config(emulator, apiUrl="http://api.example.com"))
    with pytest.raises(ConfigurationError, match="mparticle:apiUrl"):
        providers.data_model.create(engine_props(samples.data_model()))


def test_environment_is_the_fallback(emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPARTICLE_CLIENT_ID", emulator.client_id)
    monkeypatch.setenv("MPARTICLE_CLIENT_SECRET", emulator.client_secret)
    monkeypatch.setenv("MPARTICLE_WORKSPACE_ID", emulator.workspace_id)
    monkeypatch.setenv("MPARTICLE_API_URL", emulator.url)
    monkeypatch.setenv("MPARTICLE_AUTH_URL", emulator.url)
    providers = configured({})
    created = providers.data_model.create(engine_props(samples.data_model()))
    assert stored(emulator, wire.DATA_MODELS, created.id) is not None


@pytest.mark.usefixtures("no_env_settings")
def test_configuration_error_never_shows_the_secret(emulator: EmulatorHandle) -> None:
    config = stack_config(emulator, apiUrl="ftp://example.com")
    providers = configured(config)
    with pytest.raises(ConfigurationError) as refused:
        providers.data_model.create(engine_props(samples.data_model()))
    assert emulator.client_secret not in str(refused.value)
