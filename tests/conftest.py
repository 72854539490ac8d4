"""Shared fixtures. ``emulator``: one emulator server per test session (per xdist worker), reset
before every test, seen through an ``EmulatorHandle`` (url, client_id, client_secret,
workspace_id, control).

The server runs in-process in a background thread by default. Set ``WSYNC_EMULATOR_FIXTURE=subprocess``
to run it as ``python -m pulumi_mparticle_wsync.emulator --port 0`` instead (a real separate process).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest

from pulumi_mparticle_wsync.emulator.server import EmulatorServer
from pulumi_mparticle_wsync.emulator.settings import EmulatorSettings
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle, emulator_process, handle_for

FIXTURE_MODE_ENV = "WSYNC_EMULATOR_FIXTURE"


@pytest.fixture(scope="session")
def _emulator_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorHandle]:
    settings = EmulatorSettings(port=0)
    mode = os.environ.get(FIXTURE_MODE_ENV, "thread")
    if mode == "subprocess":
        with emulator_process(settings, workdir=tmp_path_factory.mktemp("emulator")) as handle:
            yield handle
        return
    if mode != "thread":
        raise pytest.UsageError(f"{FIXTURE_MODE_ENV} must be 'thread' or 'subprocess', not {mode!r}")
    with EmulatorServer(settings) as server:
        handle = handle_for(server.url, settings)
        yield handle
        handle.control.close()


@pytest.fixture(autouse=True)
def _fresh_listings() -> None:
    """Each test starts as a new provider process: no listing of an earlier test (the session's one
    emulator has the same URL in every test) serves its reads. Imported only if a test did."""
    listings = sys.modules.get("pulumi_mparticle_wsync.resources._listings")
    if listings is not None:
        listings.LISTINGS.clear()


@pytest.fixture
def emulator(_emulator_session: EmulatorHandle) -> EmulatorHandle:
    """The session's emulator with fresh state: no objects, faults, log entries or switch changes."""
    _emulator_session.control.reset()
    return _emulator_session
