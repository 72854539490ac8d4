"""``mparticle-wsync runs --stack``: the settings come from a real stack's config, read by the real CLI,
and the client secret (a stack secret) is never printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pulumi import automation as auto

from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from ..cli.runs_support import PIPELINE_ID, ROWS, Result, runs, seed_on_demand_pipeline
from .conftest import StackFactory
from .harness import engine_env


def _no_program() -> None:
    """The stack only holds config here: its program never runs."""


@pytest.fixture
def stack_home(make_stack: StackFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stack ``dev`` (config from the emulator, client secret encrypted) and this process's
    environment set as a user's would be: the CLI on PATH, the backend, the passphrase, no ``MPARTICLE_*``."""
    home = tmp_path / "project"
    make_stack(_no_program, stack="dev", home=home)
    for variable, value in engine_env(home).items():
        monkeypatch.setenv(variable, value)
    return home


@pytest.mark.engine
def test_the_settings_come_from_the_stack_and_its_secret_is_never_printed(
    emulator: EmulatorHandle, stack_home: Path
) -> None:
    seed_on_demand_pipeline(emulator)
    assert emulator.client_secret not in (stack_home / "Pulumi.dev.yaml").read_text()  # encrypted there
    stack = ("--stack", "dev", "--cwd", str(stack_home))

    triggered = runs(emulator, "trigger", PIPELINE_ID, "--wait", *stack)
    listed = runs(emulator, "list", PIPELINE_ID, "--json", *stack)

    assert (triggered.code, triggered.err) == (0, "")
    assert triggered.lines[-1].endswith(f"success, 0:03 elapsed, extracted {ROWS}, mapped {ROWS}")
    assert [run["state"] for run in json.loads(listed.out)] == ["success"]
    for result in (triggered, listed):
        assert emulator.client_secret not in result.out + result.err


@pytest.mark.engine
def test_a_setting_the_stack_lacks_is_named_with_the_stack_command(
    emulator: EmulatorHandle, stack_home: Path, make_stack: StackFactory
) -> None:
    wrong = make_stack(_no_program, stack="wrong", home=stack_home)
    wrong.stack.remove_config("mparticle:clientId")
    wrong.stack.set_config("mparticle:clientSecret", auto.ConfigValue("not-the-secret-4711", secret=True))
    wrong.stack.set_config("mparticle:workspaceId", auto.ConfigValue("not-a-number"))

    result = runs(emulator, "list", PIPELINE_ID, "--stack", "wrong", "--cwd", str(stack_home))

    assert result.code == 2
    assert result.err == (
        "runs: 2 problems with the mparticle settings:\n"
        "- mparticle:clientId is not set: set it with `pulumi config set mparticle:clientId --stack wrong` or "
        "MPARTICLE_CLIENT_ID\n"
        "- mparticle:workspaceId must be the numeric workspace id shown in the mParticle UI (got 'not-a-number'); "
        "set it with `pulumi config set mparticle:workspaceId --stack wrong` or MPARTICLE_WORKSPACE_ID\n"
    )
    assert "not-the-secret-4711" not in result.out + result.err


@pytest.mark.engine
def test_the_workspace_option_overrides_the_stack_and_a_missing_stack_is_an_error(
    emulator: EmulatorHandle, stack_home: Path
) -> None:
    seed_on_demand_pipeline(emulator)
    stack = ("--stack", "dev", "--cwd", str(stack_home))

    elsewhere = runs(emulator, "list", PIPELINE_ID, "--workspace", "5005", *stack)
    missing = runs(emulator, "list", PIPELINE_ID, "--stack", "nope", "--cwd", str(stack_home))

    assert elsewhere == Result(
        2, "", "runs: there is no pipeline 'backfill' in workspace 5005: check the pipeline id and the workspace "
        "(--workspace)\n")
    assert missing.code == 2
    assert missing.err.startswith("runs: cannot read the config of stack 'nope': `pulumi config --json "
                                  "--show-secrets --stack nope` failed")
