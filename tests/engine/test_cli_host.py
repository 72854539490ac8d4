"""What a user types in a program directory, under Pulumi's own Python language host: ``pulumi install``
creating the program's virtualenv, ``pulumi about``, and a Python policy pack in ``pulumi preview``.

These run the ``pulumi`` CLI as a subprocess with the user's environment, without
``PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION``: the language host must not take this package for a
provider plugin to download (``pulumi_mparticle_wsync/pulumi-plugin.json`` says there is none).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .harness import PULUMI_BIN, REPO_ROOT, engine_env

EXAMPLE = "shared_snowflake"
PIPELINES = ("subscriptions-sync", "preferences-sync", "support-tier-sync")
EXAMPLE_SECRETS = {"snowflakePassword": "example-snowflake-password", "feedKey": "example-feed-key"}


def _user_env(directory: Path, *, repo_venv: bool) -> dict[str, str]:
    """The caller's environment (pip's settings, HOME...) with the harness's backend, home and passphrase.

    ``repo_venv=False``: nothing points at this interpreter, so only the program's own virtualenv can
    run the program and the dynamic provider.
    """
    env = {**os.environ, **engine_env(directory)}
    env.pop("PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION")
    if not repo_venv:
        env.pop("PULUMI_PYTHON_CMD")
        elsewhere = [p for p in os.environ.get("PATH", "").split(os.pathsep) if not p.startswith(sys.prefix)]
        env["PATH"] = os.pathsep.join([str(PULUMI_BIN), *elsewhere])
    return env


def _pulumi(directory: Path, env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(PULUMI_BIN / "pulumi"), *args, "--color", "never"], cwd=directory, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    if ok:
        assert done.returncode == 0, f"pulumi {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def _example(tmp_path: Path, virtualenv: str) -> Path:
    """A copy of the example whose Pulumi.yaml names ``virtualenv``, with a stack and its config."""
    directory = tmp_path / EXAMPLE
    shutil.copytree(REPO_ROOT / "examples" / EXAMPLE, directory)
    settings = yaml.safe_load((directory / "Pulumi.yaml").read_text())
    assert settings["runtime"]["options"] == {"toolchain": "pip", "virtualenv": "../../.venv"}
    settings["runtime"]["options"]["virtualenv"] = virtualenv
    (directory / "Pulumi.yaml").write_text(yaml.safe_dump(settings))
    (directory / "state").mkdir()
    return directory


def _configure(directory: Path, env: dict[str, str], emulator: EmulatorHandle) -> None:
    _pulumi(directory, env, "stack", "init", "dev")
    settings = {"apiUrl": emulator.url, "authUrl": emulator.url, "clientId": emulator.client_id,
                "workspaceId": emulator.workspace_id, "maxRetryWait": "5"}
    for key, value in settings.items():
        _pulumi(directory, env, "config", "set", f"mparticle:{key}", value)
    _pulumi(directory, env, "config", "set", "--secret", "mparticle:clientSecret", emulator.client_secret)
    for key, value in EXAMPLE_SECRETS.items():
        _pulumi(directory, env, "config", "set", "--secret", key, value)


def _objects(emulator: EmulatorHandle) -> int:
    return sum(len(emulator.control.list_objects(emulator.workspace_id, c)) for c in wire.COLLECTIONS)


@pytest.mark.engine
def test_pulumi_install_creates_the_virtualenv_the_program_and_provider_run_in(
    tmp_path: Path, emulator: EmulatorHandle
) -> None:
    """``pulumi install`` makes the ``virtualenv`` the project names and installs requirements.txt into it
    (this package, from the repository); ``pulumi up`` and ``destroy`` then run in that virtualenv alone."""
    directory = _example(tmp_path, "venv")
    (directory / "requirements.txt").write_text(f"pulumi-mparticle-wsync @ {REPO_ROOT.as_uri()}\n")
    env = _user_env(directory, repo_venv=False)

    installed = _pulumi(directory, env, "install")
    printed = installed.stdout + installed.stderr
    assert "Finished installing dependencies" in printed
    assert "mparticle-wsync" not in printed.replace("pulumi-mparticle-wsync", ""), "taken for a plugin"
    python = directory / "venv" / "bin" / "python"
    where = subprocess.run([str(python), "-c", "import pulumi_mparticle_wsync as p; print(p.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert Path(where.strip()).is_relative_to(directory / "venv"), where  # installed, not this checkout

    _configure(directory, env, emulator)
    up = _pulumi(directory, env, "up", "--yes", "--skip-preview")
    assert "8 created" in up.stdout, up.stdout
    assert _objects(emulator) == 1 + 2 * len(PIPELINES)
    _pulumi(directory, env, "destroy", "--yes", "--skip-preview")
    assert _objects(emulator) == 0


@pytest.mark.engine
def test_pulumi_about_reports_the_cli_its_python_host_and_the_programs_runtime(
    tmp_path: Path, emulator: EmulatorHandle
) -> None:
    directory = _example(tmp_path, sys.prefix)
    env = _user_env(directory, repo_venv=True)
    _configure(directory, env, emulator)
    version = _pulumi(directory, env, "version").stdout.strip().removeprefix("v")

    about = json.loads(_pulumi(directory, env, "about", "--json").stdout)
    assert about["cliAbout"]["version"] == version
    assert about["plugins"] == [{"name": "python", "version": version, "kind": "language"}]  # nothing to download
    runtime = about["runtime"]
    assert runtime["language"] == "python" and runtime["toolchain"] == "Pip"
    assert Path(runtime["executable"]) == Path(sys.prefix) / "bin" / "python"
    assert runtime["version"] == ".".join(str(part) for part in sys.version_info[:3])
    assert {"name": "pulumi-mparticle-wsync", "version": _distribution_version()} in about["dependencies"]
    assert about["currentStack"]["name"] == "dev"


def _distribution_version() -> str:
    from importlib.metadata import version

    return version("pulumi-mparticle-wsync")


POLICY_PACK = '''from pulumi_policy import (EnforcementLevel, PolicyPack, ReportViolation, ResourceValidationArgs,
                           ResourceValidationPolicy)


def paused_is_explicit(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type.endswith(":Pipeline") and args.props.get("paused") is None:
        report_violation(f"pipeline {args.name} must set paused=True or paused=False")


PolicyPack(
    name="wsync-pipelines",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[ResourceValidationPolicy(name="pipeline-paused-explicit",
                                       description="Every Pipeline says whether it is paused.",
                                       validate=paused_is_explicit)],
)
'''


def _policy_pack(tmp_path: Path) -> Path:
    """A Python policy pack in its own virtualenv. To keep it quick, that virtualenv sees this interpreter's
    packages (pulumi, grpcio...) through a .pth file and gets only pulumi-policy from PyPI."""
    pack = tmp_path / "policy-pack"
    pack.mkdir()
    (pack / "PulumiPolicy.yaml").write_text(yaml.safe_dump({
        "description": "Warehouse Sync pipelines must say whether they are paused",
        "runtime": {"name": "python", "options": {"virtualenv": "venv"}},
    }))
    (pack / "__main__.py").write_text(POLICY_PACK)
    subprocess.run([sys.executable, "-m", "venv", str(pack / "venv")], check=True, timeout=120)
    python = pack / "venv" / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / "wsync-test-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "pulumi-policy>=1.13,<2"],
                   check=True, timeout=300)
    return pack


@pytest.mark.engine
def test_a_python_policy_pack_refuses_pipelines_without_paused(tmp_path: Path, emulator: EmulatorHandle) -> None:
    pack = _policy_pack(tmp_path)
    directory = _example(tmp_path, sys.prefix)
    env = _user_env(directory, repo_venv=True)
    _configure(directory, env, emulator)

    refused = _pulumi(directory, env, "preview", "--policy-pack", str(pack), ok=False)
    assert refused.returncode != 0
    for pipeline in PIPELINES:
        assert f"[mandatory]  pipeline-paused-explicit  (pulumi-python:dynamic/mparticle:Pipeline: {pipeline})" \
            in refused.stdout, refused.stdout
        assert f"pipeline {pipeline} must set paused=True or paused=False" in refused.stdout
    assert emulator.control.requests() == []  # a preview validates offline

    program = directory / "__main__.py"
    source = program.read_text()
    explicit = source.replace('        environment="production",\n    )',
                              '        environment="production",\n        paused=False,\n    )')
    assert explicit != source
    program.write_text(explicit)
    passed = _pulumi(directory, env, "preview", "--policy-pack", str(pack))
    assert "wsync-pipelines@v0.0.1" in passed.stdout and "pipeline-paused-explicit" not in passed.stdout
