"""``EmulatorHandle``: what the ``emulator`` pytest fixture yields; reusable by engine tests and benchmarks.

with running_emulator() as handle:
    settings = ClientSettings(client_id=handle.client_id, ..., api_url=handle.url, auth_url=handle.url)
    handle.control.add_fault("error", count=1)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from .control import EmulatorControl
from .process import EmulatorProcess
from .server import EmulatorServer
from .settings import EmulatorSettings

DEFAULT_TEST_WORKSPACE_ID: Final = "1001"


@dataclass(frozen=True)
class EmulatorHandle:
    """One emulator as tests see it. ``url`` is both the client's ``api_url`` and ``auth_url``."""

    url: str
    client_id: str
    client_secret: str = field(repr=False)
    workspace_id: str
    control: EmulatorControl
    process_id: int | None = None
    """The emulator's own process (``emulator_process``); ``None`` when it runs in this one."""

    @property
    def api_url(self) -> str:
        return self.url

    @property
    def auth_url(self) -> str:
        return self.url


def handle_for(
    url: str,
    settings: EmulatorSettings,
    workspace_id: str = DEFAULT_TEST_WORKSPACE_ID,
    process_id: int | None = None,
) -> EmulatorHandle:
    return EmulatorHandle(
        url=url,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        workspace_id=workspace_id,
        control=EmulatorControl(url),
        process_id=process_id,
    )


@contextmanager
def running_emulator(settings: EmulatorSettings | None = None) -> Iterator[EmulatorHandle]:
    """Start an in-process emulator on a free loopback port, yield its handle, stop it."""
    with EmulatorServer(settings) as server:
        handle = handle_for(server.url, server.settings)
        try:
            yield handle
        finally:
            handle.control.close()


@contextmanager
def emulator_process(
    settings: EmulatorSettings | None = None, *, workdir: Path | None = None
) -> Iterator[EmulatorHandle]:
    """Start an emulator in a process of its own (``python -m pulumi_mparticle_wsync.emulator``) on a
    free loopback port, yield its handle, stop it. Its work then takes no time from this process."""
    settings = settings or EmulatorSettings(port=0)
    with EmulatorProcess(settings, workdir=workdir) as process:
        handle = handle_for(process.url, settings, process_id=process.pid)
        try:
            yield handle
        finally:
            handle.control.close()
