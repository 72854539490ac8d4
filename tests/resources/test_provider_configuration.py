"""Provider settings: read in ``configure`` from stack config (environment as fallback);
``check`` and ``diff`` never need them; a missing one fails the first API call, naming it."""

from __future__ import annotations

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import ConfigurationError
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from ..models import samples
from .conftest import configured, stack_config
from .helpers import engine_props, stored


@pytest.mark.usefixtures("no_env_settings")
def test_check_and_diff_work_without_any_setting() -> None:
    providers = configured({})
    inputs = samples.pipeline()
    assert providers.pipeline.check({}, engine_props(inputs)).failures == []
    outs = {**inputs, "resource_id": "p", "workspace_id": "1001", "input_keys": sorted(inputs)}
    assert providers.pipeline.diff("p", outs, engine_props(inputs)).changes is False
    with pytest.raises(ConfigurationError, match=r"mparticle:clientId.*MPARTICLE_CLIENT_ID"):
        providers.pipeline.create(engine_props(inputs))


@pytest.mark.usefixtures("no_env_settings")
def test_missing_secret_names_the_config_key_and_variable(emulator: EmulatorHandle) -> None:
    providers = configured(stack_config(emulator, clientSecret=None))
    with pytest.raises(ConfigurationError) as missing:
        providers.data_model.create(engine_props(samples.data_model()))
    assert "mparticle:clientSecret" in str(missing.value)
    assert "MPARTICLE_CLIENT_SECRET" in str(missing.value)


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
