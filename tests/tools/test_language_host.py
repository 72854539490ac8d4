"""Our Python language host (tools/pulumi-cli/language_host.py) without the engine: which interpreter
it picks, the command and environment it runs a program with, and how an exit becomes a result.
The engine tests (tests/engine/test_examples.py) run real programs through it."""

from __future__ import annotations

import importlib.util
import json
import stat
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from google.protobuf import struct_pb2
from pulumi.runtime.proto import language_pb2

from ..engine.harness import REPO_ROOT


def _load_host() -> ModuleType:
    path = REPO_ROOT / "tools" / "pulumi-cli" / "language_host.py"
    spec = importlib.util.spec_from_file_location("language_host", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


host = _load_host()


def _info(root: Path, **options: str) -> Any:
    struct = struct_pb2.Struct()
    struct.update(options)
    return language_pb2.ProgramInfo(root_directory=str(root), program_directory=str(root), entry_point=".",
                                    options=struct)


def _fake_python(tmp_path: Path, exit_code: int) -> Path:
    """A stand-in interpreter that records its arguments and the config it was given, then exits."""
    script = tmp_path / "fake-python"
    record = tmp_path / "record.json"
    script.write_text(
        "#!/bin/sh\n"
        f"printf '%s\\n' \"$@\" > {record}.args\n"
        f"printf '%s' \"$PULUMI_CONFIG\" > {record}.config\n"
        f"printf '%s' \"$PULUMI_CONFIG_SECRET_KEYS\" > {record}.secret-keys\n"
        f"exit {exit_code}\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def _run_request(root: Path, **fields: Any) -> Any:
    request = dict(project="proj", stack="dev", pwd=str(root), program=".", parallel=8,
                   monitor_address="127.0.0.1:1", config={"proj:a": "1"}, configSecretKeys=["proj:a"],
                   info=_info(root))
    request.update(fields)
    return language_pb2.RunRequest(**request)


def test_virtualenv_option_is_resolved_from_the_project_directory(tmp_path: Path) -> None:
    (tmp_path / "venv" / "bin").mkdir(parents=True)
    (tmp_path / "venv" / "bin" / "python").touch()
    assert host.python_command(_info(tmp_path, virtualenv="venv")) == str(tmp_path / "venv" / "bin" / "python")


def test_a_missing_virtualenv_says_what_to_create(tmp_path: Path) -> None:
    with pytest.raises(host.SetupError, match=r"virtualenv .*venv.* does not exist.*make bootstrap"):
        host.python_command(_info(tmp_path, virtualenv="venv"))


def test_without_virtualenv_pulumi_python_cmd_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    python = _fake_python(tmp_path, 0)
    monkeypatch.setenv("PULUMI_PYTHON_CMD", str(python))
    assert host.python_command(_info(tmp_path)) == str(python)
    monkeypatch.setenv("PULUMI_PYTHON_CMD", "no-such-python-here")
    with pytest.raises(host.SetupError, match="PULUMI_PYTHON_CMD"):
        host.python_command(_info(tmp_path))


def test_run_passes_the_engine_settings_like_the_go_host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_PYTHON_CMD", str(_fake_python(tmp_path, 0)))
    answer = host.LanguageHost("127.0.0.1:2").Run(_run_request(tmp_path, dryRun=True, organization="org"), None)
    assert answer.error == "" and not answer.bail
    args = (tmp_path / "record.json.args").read_text().split("\n")
    assert args[:2] == ["-u", str(host.EXEC_SCRIPT)]
    flags = dict(zip(args[2:-2:2], args[3:-2:2], strict=True))
    assert flags == {"--project": "proj", "--stack": "dev", "--pwd": str(tmp_path), "--parallel": "8",
                     "--monitor": "127.0.0.1:1", "--engine": "127.0.0.1:2", "--dry_run": "true",
                     "--organization": "org", "--root_directory": str(tmp_path)}
    assert args[-2:] == [".", ""]
    assert json.loads((tmp_path / "record.json.config").read_text()) == {"proj:a": "1"}
    assert json.loads((tmp_path / "record.json.secret-keys").read_text()) == ["proj:a"]


@pytest.mark.parametrize(("exit_code", "error", "bail"), [
    (1, "Program exited with non-zero exit code: 1", False),
    (32, "", True),  # the program already showed the user its error
])
def test_a_failed_program_becomes_an_error_or_a_bail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exit_code: int, error: str, bail: bool
) -> None:
    monkeypatch.setenv("PULUMI_PYTHON_CMD", str(_fake_python(tmp_path, exit_code)))
    answer = host.LanguageHost("127.0.0.1:2").Run(_run_request(tmp_path), None)
    assert (answer.error, answer.bail) == (error, bail)


def test_run_without_an_interpreter_reports_the_setup_problem(tmp_path: Path) -> None:
    request = _run_request(tmp_path, info=_info(tmp_path, virtualenv=str(tmp_path / "nowhere")))
    answer = host.LanguageHost("127.0.0.1:2").Run(request, None)
    assert "does not exist" in answer.error and str(tmp_path / "nowhere") in answer.error


def test_the_engine_address_comes_from_the_handshake_when_given() -> None:
    language_host = host.LanguageHost("from-argv:1")
    language_host.Handshake(language_pb2.LanguageHandshakeRequest(engine_address="from-handshake:2"), None)
    assert language_host.engine_address == "from-handshake:2"

