"""Providers configured against the test's emulator, the way the engine configures them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_mparticle_wsync import _constants
from pulumi_mparticle_wsync.client import clear_client_cache
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.resources import (
    ConnectionProvider,
    DataModelProvider,
    FieldTransformationProvider,
    PipelineProvider,
)
from pulumi_mparticle_wsync.resources._stack_objects import STACK_OBJECTS


@dataclass(frozen=True)
class Providers:
    connection: ConnectionProvider
    data_model: DataModelProvider
    field_transformation: FieldTransformationProvider
    pipeline: PipelineProvider


def stack_config(emulator: EmulatorHandle, **overrides: str | None) -> dict[str, str]:
    config = {
        "mparticle:clientId": emulator.client_id,
        "mparticle:clientSecret": emulator.client_secret,
        "mparticle:workspaceId": emulator.workspace_id,
        "mparticle:apiUrl": emulator.url,
        "mparticle:authUrl": emulator.url,
        "mparticle:maxRetryWait": "5",
    }
    for key, value in overrides.items():
        config.pop(f"mparticle:{key}", None)
        if value is not None:
            config[f"mparticle:{key}"] = value
    return config


def configured(config: dict[str, str]) -> Providers:
    """Fresh providers, each configured as the engine does after deserializing it."""
    providers = Providers(
        ConnectionProvider(), DataModelProvider(), FieldTransformationProvider(), PipelineProvider()
    )
    request = ConfigureRequest(Config(config, "test-project"))
    for provider in (
        providers.connection, providers.data_model, providers.field_transformation, providers.pipeline
    ):
        provider.configure(request)
    return providers


@pytest.fixture
def no_env_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in _constants.ENV_VARS.values():
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def providers(emulator: EmulatorHandle, no_env_settings: None) -> Iterator[Providers]:
    clear_client_cache()  # one fresh token per test, as in a new provider process
    yield configured(stack_config(emulator))
    clear_client_cache()


@pytest.fixture(autouse=True)
def _fresh_stack_objects() -> Iterator[None]:
    """Each test is a new engine operation: a new provider process knows no stack objects yet."""
    STACK_OBJECTS.clear()
    yield
    STACK_OBJECTS.clear()
