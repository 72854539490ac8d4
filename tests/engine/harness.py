"""Drive the real Pulumi CLI (Automation API: inline programs and program directories) against the emulator.

Every stack gets its own ``file://`` backend and ``PULUMI_HOME`` under the test's temp
directory, so stacks never share state. The dynamic provider runs in a subprocess started
by the engine; ``PULUMI_PYTHON_CMD`` points it at this interpreter, which has the package
installed.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pulumi import automation as auto

from scripts import pulumi_cli
from scripts.pulumi_cli import missing_cli_message as missing_cli_message  # for conftest and bench

REPO_ROOT = Path(__file__).resolve().parents[2]
# The CLI the bootstrap chose (PULUMI_CLI_DIR, the pulumi on PATH, or the build in .tools/pulumi/bin).
PULUMI_BIN = pulumi_cli.bin_dir()
PULUMI_ROOT = pulumi_cli.root()  # PULUMI_ROOT / "bin" / "pulumi" is the CLI, as the Automation API wants
PASSPHRASE = "engine-tests"


def closed_port() -> int:
    """A loopback port nothing listens on (a URL that refuses connections)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def engine_env(home: Path) -> dict[str, str]:
    """Environment for the CLI and the provider process it starts."""
    return {
        "PATH": f"{PULUMI_BIN}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PULUMI_HOME": str(home / "pulumi-home"),
        "PULUMI_BACKEND_URL": (home / "state").as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_PYTHON_CMD": sys.executable,
        # Our provider reads settings from stack config; make sure nothing leaks in from the shell.
        "MPARTICLE_CLIENT_ID": "",
        "MPARTICLE_CLIENT_SECRET": "",
        "MPARTICLE_WORKSPACE_ID": "",
        "MPARTICLE_API_URL": "",
        "MPARTICLE_AUTH_URL": "",
    }


@dataclass
class Run:
    """What one engine operation printed, plus its result object."""

    output: str
    result: Any


@dataclass
class EngineStack:
    """One stack of an inline program, with helpers that capture everything the CLI prints."""

    stack: auto.Stack
    home: Path
    transcript: list[str] = field(default_factory=list)

    def set_program(self, program: Callable[[], None]) -> None:
        self.stack.workspace.program = program

    def _capture(self) -> tuple[list[str], Callable[[str], None]]:
        lines: list[str] = []

        def on_output(line: str) -> None:
            lines.append(line)
            self.transcript.append(line)

        return lines, on_output

    def up(self, **kwargs: Any) -> Run:
        lines, on_output = self._capture()
        result = self.stack.up(on_output=on_output, color="never", **kwargs)
        return Run("\n".join(lines), result)

    def preview(self, **kwargs: Any) -> Run:
        lines, on_output = self._capture()
        result = self.stack.preview(on_output=on_output, color="never", diff=True, **kwargs)
        return Run("\n".join(lines), result)

    def refresh(self, **kwargs: Any) -> Run:
        lines, on_output = self._capture()
        result = self.stack.refresh(on_output=on_output, color="never", **kwargs)
        return Run("\n".join(lines), result)

    def destroy(self, **kwargs: Any) -> Run:
        lines, on_output = self._capture()
        result = self.stack.destroy(on_output=on_output, color="never", **kwargs)
        return Run("\n".join(lines), result)

    def exported_state(self) -> dict[str, Any]:
        deployment = self.stack.export_stack()
        if deployment.deployment is None:
            raise AssertionError(f"stack {self.stack.name} exported no deployment")
        return dict(deployment.deployment)

    def resources(self, type_suffix: str | None = None) -> list[dict[str, Any]]:
        found = self.exported_state().get("resources", [])
        return [r for r in found if type_suffix is None or r.get("type", "").endswith(type_suffix)]


def provider_config(url: str, workspace_id: str, client_id: str, client_secret: str) -> dict[str, auto.ConfigValue]:
    return {
        "mparticle:apiUrl": auto.ConfigValue(url),
        "mparticle:authUrl": auto.ConfigValue(url),
        "mparticle:clientId": auto.ConfigValue(client_id),
        "mparticle:clientSecret": auto.ConfigValue(client_secret, secret=True),
        "mparticle:workspaceId": auto.ConfigValue(workspace_id),
        # Keep retry sleeps short in tests; the policy itself is unit-tested.
        "mparticle:maxRetryWait": auto.ConfigValue("5"),
    }


def _workspace_options(home: Path, **options: Any) -> auto.LocalWorkspaceOptions:
    """A private backend and ``PULUMI_HOME`` under ``home``, our CLI, passphrase secrets."""
    (home / "state").mkdir(parents=True, exist_ok=True)
    env = engine_env(home)
    return auto.LocalWorkspaceOptions(
        pulumi_home=env["PULUMI_HOME"],
        env_vars=env,
        secrets_provider="passphrase",
        pulumi_command=auto.PulumiCommand(root=str(PULUMI_ROOT)),
        **options,
    )


def _configured(stack: auto.Stack, home: Path, config: Mapping[str, auto.ConfigValue] | None) -> EngineStack:
    if config:
        stack.set_all_config(dict(config))
    return EngineStack(stack, home)


def new_stack(
    home: Path,
    program: Callable[[], None],
    *,
    project: str = "wsync-test",
    stack: str = "test",
    config: Mapping[str, auto.ConfigValue] | None = None,
) -> EngineStack:
    """Create (or select) an inline-program stack with a private backend under ``home``."""
    options = _workspace_options(
        home, work_dir=str(home), project_settings=auto.ProjectSettings(name=project, runtime="python")
    )
    created = auto.create_or_select_stack(stack, project_name=project, program=program, opts=options)
    return _configured(created, home, config)


_PROGRAM_FILE = """import sys

sys.path.insert(0, {root!r})
from {module} import {function}

{function}()
"""


def write_program(stack: EngineStack, module: str, function: str) -> None:
    """Make an inline-program stack's directory a project the CLI can run: ``__main__.py`` calls
    ``module.function``. For commands run with ``--run-program`` outside the Automation API."""
    (stack.home / "__main__.py").write_text(
        _PROGRAM_FILE.format(root=str(REPO_ROOT), module=module, function=function), encoding="utf-8"
    )
    project_file = stack.home / "Pulumi.yaml"
    project = yaml.safe_load(project_file.read_text(encoding="utf-8"))
    project.pop("main", None)  # an inline stack's: the creating process's working directory
    project_file.write_text(yaml.safe_dump(project), encoding="utf-8")


def program_stack(
    project_dir: Path, *, stack: str = "test", config: Mapping[str, auto.ConfigValue] | None = None
) -> EngineStack:
    """A stack of the program directory ``project_dir`` (its ``Pulumi.yaml``), run by the language host.

    Backend and ``PULUMI_HOME`` live in ``project_dir``; stack config is written to its
    ``Pulumi.<stack>.yaml``, so pass a copy, never a directory of the repository.
    """
    created = auto.create_or_select_stack(stack, work_dir=str(project_dir), opts=_workspace_options(project_dir))
    return _configured(created, project_dir, config)
