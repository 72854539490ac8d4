"""A Python language host for the Pulumi CLI: what `pulumi up` needs to run a program directory.

Pulumi's own host, ``pulumi-language-python``, is a Go module the Go module proxy refuses to
serve here (see build.sh), so the CLI we build could only run Automation API inline programs.
This host implements the part of the ``LanguageRuntime`` gRPC service that ``pulumi preview``,
``up``, ``refresh``, ``destroy`` and ``stack`` use, the way the Go host does it: ``Run`` starts
``pulumi-language-python-exec`` (the script from the sdk/v3 module that configures the Python SDK
and runs ``__main__.py``) with the engine's settings, and reports its exit. It does not install
dependencies (``pulumi install``): the program's virtualenv must already exist.

The interpreter that runs the program: the project's ``virtualenv`` runtime option (relative to
the directory of ``Pulumi.yaml``), else ``PULUMI_PYTHON_CMD``, else ``python3``.

Started by the engine as ``pulumi-language-python [flags] <engine address>``; it prints the port
it listens on as its first line of output, as every Pulumi plugin does.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import threading
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2, json_format
from pulumi.runtime.proto import language_pb2, language_pb2_grpc, plugin_pb2

HERE = Path(__file__).resolve().parent
EXEC_SCRIPT = HERE / "pulumi-language-python-exec"
VERSION_FILE = HERE.parent / "VERSION"  # .tools/pulumi/VERSION, written by build.sh
# The exec script's exit code after it has shown the user an actionable error itself.
USER_ACTIONABLE_EXIT = 32


def plugin_version() -> str:
    try:
        return VERSION_FILE.read_text().strip().removeprefix("v")
    except OSError:
        return "0.0.0"


def program_options(info: language_pb2.ProgramInfo) -> dict[str, Any]:
    return json_format.MessageToDict(info.options) if info.HasField("options") else {}


class SetupError(Exception):
    """The program cannot run as set up; the message says what to do."""


def python_command(info: language_pb2.ProgramInfo) -> str:
    """The interpreter for the program; ``SetupError`` says what to set up when there is none."""
    virtualenv = program_options(info).get("virtualenv")
    if virtualenv:
        venv = Path(virtualenv)
        if not venv.is_absolute():
            venv = Path(info.root_directory or os.getcwd()) / venv
        python = venv / "bin" / "python"
        if not python.exists():
            raise SetupError(
                f"the virtualenv {venv} (runtime option `virtualenv` in Pulumi.yaml) does not exist: "
                "create it and install the program's packages into it (in this repository: make bootstrap)"
            )
        return str(python)
    command = os.environ.get("PULUMI_PYTHON_CMD") or "python3"
    if shutil.which(command) is None:
        raise SetupError(f"no Python interpreter: {command!r} is not on PATH; set PULUMI_PYTHON_CMD")
    return command


class LanguageHost(language_pb2_grpc.LanguageRuntimeServicer):
    """The RPCs the CLI's deployment commands call; the rest answer UNIMPLEMENTED (the base class)."""

    def __init__(self, engine_address: str) -> None:
        self.engine_address = engine_address
        self._running: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()

    def Handshake(self, request: Any, context: Any) -> Any:
        self.engine_address = request.engine_address or self.engine_address
        return language_pb2.LanguageHandshakeResponse()

    def GetPluginInfo(self, request: Any, context: Any) -> Any:
        return plugin_pb2.PluginInfo(version=plugin_version())

    def GetRequiredPlugins(self, request: Any, context: Any) -> Any:
        # Dynamic providers come with the SDK; this project uses no plugin that must be installed.
        return language_pb2.GetRequiredPluginsResponse(plugins=[])

    def GetRequiredPackages(self, request: Any, context: Any) -> Any:
        return language_pb2.GetRequiredPackagesResponse(packages=[])

    def RuntimeOptionsPrompts(self, request: Any, context: Any) -> Any:
        return language_pb2.RuntimeOptionsResponse(prompts=[])

    def About(self, request: Any, context: Any) -> Any:
        try:
            python = python_command(request.info)
        except SetupError:
            return language_pb2.AboutResponse()
        asked = subprocess.run([python, "-c", "import platform; print(platform.python_version())"],
                               capture_output=True, text=True, timeout=30, check=False)
        return language_pb2.AboutResponse(executable=python, version=asked.stdout.strip())

    def GetProgramDependencies(self, request: Any, context: Any) -> Any:
        return language_pb2.GetProgramDependenciesResponse(dependencies=[])

    def InstallDependencies(self, request: Any, context: Any) -> Any:
        try:
            message = f"dependencies are not installed by this language host; using {python_command(request.info)}"
        except SetupError as problem:
            message = str(problem)
        yield language_pb2.InstallDependenciesResponse(stderr=f"{message}\n".encode())

    def Cancel(self, request: Any, context: Any) -> Any:
        with self._lock:
            running = list(self._running)
        for process in running:
            process.send_signal(signal.SIGINT)
        return empty_pb2.Empty()

    def Run(self, request: Any, context: Any) -> Any:
        try:
            python = python_command(request.info)
        except SetupError as problem:
            return language_pb2.RunResponse(error=str(problem))
        pwd = request.pwd or request.info.program_directory or os.getcwd()
        args = [
            python, "-u", str(EXEC_SCRIPT),
            "--project", request.project,
            "--stack", request.stack,
            "--pwd", pwd,
            "--parallel", str(request.parallel),
            "--monitor", request.monitor_address,
            "--engine", self.engine_address,
        ]
        if request.dryRun:
            args += ["--dry_run", "true"]
        if request.organization:
            args += ["--organization", request.organization]
        if request.info.root_directory:
            args += ["--root_directory", request.info.root_directory]
        args += [request.program or ".", *request.args]
        env = dict(os.environ)
        env["PULUMI_CONFIG"] = json.dumps(dict(request.config))
        env["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(list(request.configSecretKeys))
        process = subprocess.Popen(args, cwd=pwd, env=env)
        with self._lock:
            self._running.add(process)
        try:
            code = process.wait()
        finally:
            with self._lock:
                self._running.discard(process)
        if code == 0:
            return language_pb2.RunResponse()
        if code == USER_ACTIONABLE_EXIT:
            return language_pb2.RunResponse(bail=True)
        return language_pb2.RunResponse(error=f"Program exited with non-zero exit code: {code}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="pulumi-language-python")
    # The engine passes logging and tracing flags before the address; none of them matter here.
    parser.add_argument("engine_address", nargs="?", default="")
    options, _flags = parser.parse_known_args(argv)
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=8),
        options=[("grpc.max_receive_message_length", 400 * 1024 * 1024)],
    )
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(LanguageHost(options.engine_address), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    # The engine interrupts its plugins when it is done with them: stop quietly.
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, lambda *_: server.stop(grace=1))
    server.wait_for_termination()


if __name__ == "__main__":
    main()
