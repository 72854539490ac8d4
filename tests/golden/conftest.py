"""Providers configured the way the engine configures them, their client's wire seen through a
recording transport (against the session's emulator) or served by a literal fake API."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_mparticle_wsync.client import WarehouseSyncClient, clear_client_cache, get_client
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.resources import (
    ConnectionProvider,
    DataModelProvider,
    FieldTransformationProvider,
    PipelineProvider,
    _runtime,
)
from pulumi_mparticle_wsync.resources._stack_objects import STACK_OBJECTS

from .support import WORKSPACE, LiteralApi, RecordingTransport

FAKE_API_URL = "https://api.golden.test"


@dataclass(frozen=True)
class Providers:
    connection: ConnectionProvider
    data_model: DataModelProvider
    field_transformation: FieldTransformationProvider
    pipeline: PipelineProvider


def configured(config: dict[str, str]) -> Providers:
    providers = Providers(ConnectionProvider(), DataModelProvider(), FieldTransformationProvider(), PipelineProvider())
    request = ConfigureRequest(Config(config, "golden"))
    for provider in (providers.connection, providers.data_model, providers.field_transformation, providers.pipeline):
        provider.configure(request)
    return providers


def use_transport(monkeypatch: pytest.MonkeyPatch, transport: httpx.BaseTransport) -> None:
    """The providers' client (``_runtime.client``) sends through ``transport``."""

    def client(account: Mapping[str, Any] | None = None) -> WarehouseSyncClient:
        settings = _runtime.settings() if account is None else _runtime.account_settings(account)
        return get_client(settings, transport=transport)

    monkeypatch.setattr(_runtime, "client", client)


@pytest.fixture(autouse=True)
def _fresh_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test is a new provider process: no settings from the environment, no cached
    client or token, no stack objects."""
    for variable in list(os.environ):
        if variable.startswith("MPARTICLE_"):
            monkeypatch.delenv(variable)
    clear_client_cache()
    STACK_OBJECTS.clear()
    yield
    clear_client_cache()
    STACK_OBJECTS.clear()


@pytest.fixture
def sent() -> RecordingTransport:
    return RecordingTransport(httpx.HTTPTransport())


@pytest.fixture
def providers(emulator: EmulatorHandle, sent: RecordingTransport, monkeypatch: pytest.MonkeyPatch) -> Providers:
    """Providers against the emulator; every request they send is recorded in ``sent``."""
    assert emulator.workspace_id == WORKSPACE
    use_transport(monkeypatch, sent)
    return configured(
        {
            "mparticle:clientId": emulator.client_id,
            "mparticle:clientSecret": emulator.client_secret,
            "mparticle:workspaceId": WORKSPACE,
            "mparticle:apiUrl": emulator.url,
            "mparticle:authUrl": emulator.url,
            "mparticle:maxRetryWait": "5",
        }
    )


def serving(monkeypatch: pytest.MonkeyPatch, api: LiteralApi) -> Providers:
    """Providers whose API is ``api`` (a literal body, no emulator)."""
    use_transport(monkeypatch, api.transport())
    return configured(
        {
            "mparticle:clientId": "golden-client",
            "mparticle:clientSecret": "golden-client-secret",
            "mparticle:workspaceId": WORKSPACE,
            "mparticle:apiUrl": FAKE_API_URL,
            "mparticle:authUrl": FAKE_API_URL,
            "mparticle:maxAttempts": "1",
        }
    )
