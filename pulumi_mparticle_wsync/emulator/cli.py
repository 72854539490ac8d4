"""``mparticle-wsync emulator``: run the emulator until SIGINT/SIGTERM.

State lives in memory unless ``--data PATH`` names an SQLite file, which keeps every object
across restarts (``pulumi up``, restart the emulator, ``pulumi refresh``).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TextIO

from .settings import (
    CLIENT_ID_ENV,
    CLIENT_SECRET_ENV,
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_HOST,
    DEFAULT_PORT,
    DEFAULT_TOKEN_LIFETIME_SECONDS,
    DEFAULT_USER_EMAIL,
    MEMORY_DATABASE,
    EmulatorSettings,
)

EXIT_OK = 0
EXIT_START_FAILED = 2
EXIT_NOT_INSTALLED = 3

SERVER_MODULES = ("starlette", "uvicorn")
"""What only the emulator needs: the ``emulator`` extra of the package."""
INSTALL_COMMAND = "pip install 'pulumi-mparticle-wsync[emulator]'"


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help=f"port to listen on; 0 picks a free one (default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--data",
        default=MEMORY_DATABASE,
        metavar="PATH",
        help="SQLite file that keeps state across restarts (default: in memory, lost on exit)",
    )
    parser.add_argument(
        "--port-file",
        type=Path,
        metavar="PATH",
        help="write the bound port to PATH once listening (for scripts)",
    )
    parser.add_argument(
        "--client-id",
        default=os.environ.get(CLIENT_ID_ENV, DEFAULT_CLIENT_ID),
        help=f"the seeded API client id (env {CLIENT_ID_ENV}; default {DEFAULT_CLIENT_ID})",
    )
    parser.add_argument(
        "--client-secret",
        default=os.environ.get(CLIENT_SECRET_ENV, DEFAULT_CLIENT_SECRET),
        help=f"the seeded API client secret (env {CLIENT_SECRET_ENV}; default {DEFAULT_CLIENT_SECRET})",
    )
    parser.add_argument(
        "--user-email",
        default=DEFAULT_USER_EMAIL,
        help=f"reported as created_by (default {DEFAULT_USER_EMAIL})",
    )
    parser.add_argument(
        "--token-lifetime",
        type=_positive_int,
        default=DEFAULT_TOKEN_LIFETIME_SECONDS,
        metavar="SECONDS",
        help=f"lifetime of issued tokens (default {DEFAULT_TOKEN_LIFETIME_SECONDS})",
    )
    parser.add_argument("--access-log", action="store_true", help="log every request to stderr")
    parser.set_defaults(run=run)


def missing_server_message(error: ModuleNotFoundError) -> str | None:
    """What to tell a user whose install lacks the ``emulator`` extra, or ``None`` for another missing module."""
    missing = (error.name or "").partition(".")[0]
    if missing not in SERVER_MODULES:
        return None
    return (
        f"the emulator's web server is not installed ({missing} is missing): the emulator is an optional "
        f"part of this package; add it with\n    {INSTALL_COMMAND}\n(the Pulumi resources work without it)"
    )


def run(args: argparse.Namespace) -> int:
    try:
        from .server import EmulatorServer, EmulatorStartError
    except ModuleNotFoundError as exc:
        message = missing_server_message(exc)
        if message is None:
            raise
        print(f"mparticle-wsync emulator: {message}", file=sys.stderr)
        return EXIT_NOT_INSTALLED
    from .store import StoreError

    settings = EmulatorSettings(
        host=args.host,
        port=args.port,
        data_path=args.data,
        client_id=args.client_id,
        client_secret=args.client_secret,
        user_email=args.user_email,
        token_lifetime_seconds=args.token_lifetime,
    )
    try:
        server = EmulatorServer(settings, access_log=args.access_log).start()
    except (EmulatorStartError, StoreError) as exc:
        print(f"mparticle-wsync emulator: {exc}", file=sys.stderr)
        return EXIT_START_FAILED
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    if args.port_file is not None:
        args.port_file.write_text(f"{server.port}\n")
    print_banner(server.url, settings, sys.stdout)
    try:
        while not stop.wait(0.5):
            if server.wait(0):
                print("mparticle-wsync emulator: the server stopped unexpectedly", file=sys.stderr)
                return EXIT_START_FAILED
    finally:
        server.stop()
    print("emulator stopped", flush=True)
    return EXIT_OK


def print_banner(url: str, settings: EmulatorSettings, out: TextIO) -> None:
    if settings.data_path == MEMORY_DATABASE:
        data = "in memory (lost on exit; pass --data PATH to keep state across restarts)"
    else:
        data = settings.data_path
    lines = [
        f"mParticle Warehouse Sync emulator listening on {url}",
        f"  API:           {url}/platform/v2/workspaces/<any numeric workspace id>/",
        f"  token:         {url}/oauth/token",
        f"  controls:      {url}/_emulator/",
        f"  client id:     {settings.client_id}",
        f"  client secret: {settings.client_secret}",
        f"  data:          {data}",
        "Point the provider at it:",
        f"  pulumi config set mparticle:apiUrl {url}",
        f"  pulumi config set mparticle:authUrl {url}",
        f"  pulumi config set mparticle:clientId {settings.client_id}",
        f"  pulumi config set --secret mparticle:clientSecret {settings.client_secret}",
        "  pulumi config set mparticle:workspaceId 1001",
        "Stop with Ctrl-C.",
    ]
    out.write("\n".join(lines) + "\n")
    out.flush()


def _port(text: str) -> int:
    value = int(text) if text.isdigit() else -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number from 0 to 65535")
    return value


def _positive_int(text: str) -> int:
    value = int(text) if text.isdigit() else 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number of seconds")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pulumi_mparticle_wsync.emulator")
    configure_parser(parser)
    args = parser.parse_args(argv)
    code: int = args.run(args)
    return code
