"""``mparticle-wsync emulator`` as a real process: start-up banner, answers, clean stop, --data, errors."""

from __future__ import annotations

import argparse
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.cli import configure_parser, main
from pulumi_mparticle_wsync.emulator.process import EmulatorProcess
from pulumi_mparticle_wsync.emulator.settings import (
    CLIENT_ID_ENV,
    CLIENT_SECRET_ENV,
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    EmulatorSettings,
)

from .emulator_support import ApiSession, data_model, fast_http_client

MAIN_CLI = [sys.executable, "-m", "pulumi_mparticle_wsync", "emulator"]
START_TIMEOUT = 20.0


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (CLIENT_ID_ENV, CLIENT_SECRET_ENV)}
    env.update(extra)
    return env


def read_until(process: subprocess.Popen[bytes], marker: str, timeout: float = START_TIMEOUT) -> str:
    """Stdout until it contains ``marker`` (raw reads: a buffered reader would hide lines from select)."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    selector = selectors.DefaultSelector()
    selector.register(fd, selectors.EVENT_READ)
    seen = b""
    deadline = time.monotonic() + timeout
    while marker.encode() not in seen:
        if time.monotonic() > deadline or process.poll() is not None:
            raise AssertionError(f"no {marker!r} in output: {seen!r}")
        if selector.select(timeout=0.2):
            seen += os.read(fd, 65536)
    return seen.decode()


@contextmanager
def emulator_process(*args: str, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [*MAIN_CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env or clean_env()
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def url_from(banner: str) -> str:
    first = banner.splitlines()[0]
    return first.rsplit(" ", 1)[1]


def test_starts_prints_url_and_credentials_answers_and_stops_on_sigterm(tmp_path: Path) -> None:
    with emulator_process("--port", "0") as process:
        banner = read_until(process, "Stop with Ctrl-C.")
        url = url_from(banner)
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
        assert f"client id:     {DEFAULT_CLIENT_ID}" in banner
        assert f"client secret: {DEFAULT_CLIENT_SECRET}" in banner
        assert f"pulumi config set mparticle:apiUrl {url}" in banner
        with fast_http_client(url) as http:
            api = ApiSession(http, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, "1001")
            assert api.list(wire.CONNECTIONS).json() == []
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=START_TIMEOUT)
        assert process.returncode == 0, err
        assert b"emulator stopped" in out


def test_data_file_keeps_state_across_restarts_of_both_process_forms(tmp_path: Path) -> None:
    data = tmp_path / "emulator.sqlite3"
    with emulator_process("--port", "0", "--data", str(data)) as process:
        banner = read_until(process, "Stop with Ctrl-C.")
        assert f"data:          {data}" in banner
        with fast_http_client(url_from(banner)) as http:
            api = ApiSession(http, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, "1001")
            created = api.create_ok(wire.DATA_MODELS, data_model())
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=START_TIMEOUT)
        assert process.returncode == 0

    # The second life runs through the subprocess runner the demo scripts use.
    runner = EmulatorProcess(EmulatorSettings(port=0, data_path=str(data)), workdir=tmp_path)
    with runner, fast_http_client(runner.url) as http:
        api = ApiSession(http, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, "1001")
        assert api.list(wire.DATA_MODELS).json() == [created]
    stdout, _ = runner.stop()
    assert runner.process is not None and runner.process.returncode == 0
    assert "emulator stopped" in stdout


def test_environment_credentials_port_file_and_sigint(tmp_path: Path) -> None:
    port_file = tmp_path / "port"
    env = clean_env(**{CLIENT_ID_ENV: "env-client", CLIENT_SECRET_ENV: "env-secret-value"})
    with emulator_process("--port", "0", "--port-file", str(port_file), env=env) as process:
        banner = read_until(process, "Stop with Ctrl-C.")
        assert "client id:     env-client" in banner
        assert url_from(banner).endswith(f":{int(port_file.read_text())}")
        with fast_http_client(url_from(banner)) as http:
            ApiSession(http, "env-client", "env-secret-value", "1001")  # asserts the token is issued
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=START_TIMEOUT)
        assert process.returncode == 0


def test_unusable_data_file_exits_2_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "not-a-db"
    bogus.write_text("plain text, not SQLite\n" * 100)
    assert main(["--port", "0", "--data", str(bogus)]) == 2
    assert "is not a usable SQLite data file" in capsys.readouterr().err


def test_busy_port_exits_2_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--port", str(port)]) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_parser_defaults_and_validation() -> None:
    parser = argparse.ArgumentParser()
    configure_parser(parser)
    args = parser.parse_args([])
    assert (args.host, args.port, args.data, args.token_lifetime) == ("127.0.0.1", 8484, ":memory:", 28800)
    assert args.run.__name__ == "run"
    for bad in (["--port", "70000"], ["--port", "x"], ["--token-lifetime", "0"]):
        with pytest.raises(SystemExit):
            parser.parse_args(bad)
