"""Fixtures for the emulator's own tests (the ``emulator`` fixture itself is in ``tests/conftest.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .emulator_support import ApiSession, fast_http_client


@pytest.fixture
def api(emulator: EmulatorHandle) -> Iterator[ApiSession]:
    """An authenticated session on the ``emulator`` fixture's default workspace, over a real socket."""
    with fast_http_client(emulator.url) as http:
        yield ApiSession(http, emulator.client_id, emulator.client_secret, emulator.workspace_id)


@pytest.fixture
def linked_api(api: ApiSession) -> ApiSession:
    """``api`` with the connection, data model and transformation that ``pipeline()`` bodies name."""
    api.seed_pipeline_dependencies()
    return api
