"""Run the emulator as a separate process (``python -m pulumi_mparticle_wsync.emulator``) on a free port.

    with EmulatorProcess(workdir=tmp_path) as process:
        print(process.url)

The port is read from ``--port-file``; the process is stopped with SIGTERM (then killed if needed).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Final

from .settings import CLIENT_ID_ENV, CLIENT_SECRET_ENV, EmulatorSettings

START_TIMEOUT_SECONDS: Final = 15.0
STOP_TIMEOUT_SECONDS: Final = 10.0


class EmulatorProcess:
    def __init__(
        self,
        settings: EmulatorSettings | None = None,
        *,
        workdir: Path | None = None,
        extra_args: list[str] | None = None,
    ) -> None:
        self.settings = settings or EmulatorSettings(port=0)
        self._workdir = workdir
        self._extra_args = extra_args or []
        self._tempdir: tempfile.TemporaryDirectory[str] | None = None
        self.process: subprocess.Popen[str] | None = None
        self._output: tuple[str, str] | None = None
        self.port = 0

    @property
    def pid(self) -> int:
        if self.process is None:
            raise RuntimeError("the emulator process is not started")
        return self.process.pid

    @property
    def url(self) -> str:
        return f"http://{self.settings.host}:{self.port}"

    def command(self, port_file: Path) -> list[str]:
        s = self.settings
        return [
            sys.executable,
            "-m",
            "pulumi_mparticle_wsync.emulator",
            "--host",
            s.host,
            "--port",
            str(s.port),
            "--data",
            s.data_path,
            "--user-email",
            s.user_email,
            "--token-lifetime",
            str(s.token_lifetime_seconds),
            "--port-file",
            str(port_file),
            *self._extra_args,
        ]

    def start(self) -> EmulatorProcess:
        if self._workdir is None:
            self._tempdir = tempfile.TemporaryDirectory(prefix="wsync-emulator-")
            workdir = Path(self._tempdir.name)
        else:
            workdir = self._workdir
        port_file = workdir / f"port-{os.getpid()}-{id(self)}"
        port_file.unlink(missing_ok=True)
        # Credentials travel through the environment so they do not show in the process list.
        env = {
            **os.environ,
            CLIENT_ID_ENV: self.settings.client_id,
            CLIENT_SECRET_ENV: self.settings.client_secret,
        }
        self.process = subprocess.Popen(
            self.command(port_file), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                _, stderr = self.stop()
                raise RuntimeError(f"the emulator process did not start: {stderr.strip()[-2000:]}")
            time.sleep(0.02)
        self.port = int(port_file.read_text().strip())
        return self

    def stop(self) -> tuple[str, str]:
        """Stop with SIGTERM (kill after a timeout); returns the process's stdout and stderr.
        Calling it again returns the same output."""
        if self.process is not None and self._output is None:
            if self.process.poll() is None:
                self.process.terminate()
            try:
                self._output = self.process.communicate(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self._output = self.process.communicate()
        if self._tempdir is not None:
            self._tempdir.cleanup()
            self._tempdir = None
        return self._output or ("", "")

    def __enter__(self) -> EmulatorProcess:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
