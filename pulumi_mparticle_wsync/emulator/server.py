"""Run the emulator in-process: uvicorn in a daemon thread on a free (or given) loopback port.

    with EmulatorServer() as server:
        print(server.url)  # http://127.0.0.1:54321

The CLI uses the same runner, so the main thread stays free to handle SIGINT/SIGTERM.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from types import TracebackType
from typing import Final

import uvicorn

from .app import create_app
from .settings import EmulatorSettings
from .state import EmulatorState

START_TIMEOUT_SECONDS: Final = 10.0
STOP_TIMEOUT_SECONDS: Final = 10.0


class EmulatorStartError(RuntimeError):
    """The server could not bind or did not become ready."""


class _HideDroppedConnectionNoise(logging.Filter):
    """A ``drop`` fault ends a response on purpose; uvicorn reports it as an error otherwise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "without completing response" not in record.getMessage()


_DROPPED_CONNECTION_FILTER: Final = _HideDroppedConnectionNoise()


class EmulatorServer:
    """A running emulator. ``port=0`` (the default here) binds a free port; ``url`` tells which."""

    def __init__(self, settings: EmulatorSettings | None = None, *, access_log: bool = False) -> None:
        base = settings or EmulatorSettings(port=0)
        self.settings = base
        self.state = EmulatorState(base)
        self._access_log = access_log
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self.port = 0

    @property
    def host(self) -> str:
        return self.settings.host

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> EmulatorServer:
        if self._thread is not None:
            raise EmulatorStartError("the emulator is already running")
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # proto=IPPROTO_TCP matters: asyncio only disables Nagle on sockets that say they are TCP,
        # and with Nagle on, a response's header and body writes cost 40 ms of delayed ACK each.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.settings.port))
        except OSError as exc:
            sock.close()
            self.state.close()
            raise EmulatorStartError(
                f"cannot listen on {self.host}:{self.settings.port} ({exc.strerror}): choose another --port"
            ) from exc
        sock.listen(128)
        self._socket = sock
        self.port = int(sock.getsockname()[1])
        config = uvicorn.Config(
            create_app(self.state),
            lifespan="off",
            log_level="warning",
            access_log=self._access_log,
            timeout_graceful_shutdown=2,
        )
        logging.getLogger("uvicorn.error").addFilter(_DROPPED_CONNECTION_FILTER)  # idempotent
        server = uvicorn.Server(config)
        self._server = server
        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="mparticle-wsync-emulator", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise EmulatorStartError("the emulator did not start; see the log above")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(STOP_TIMEOUT_SECONDS)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None
        self.state.close()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the server thread ends (``True``) or ``timeout`` passes (``False``)."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
