"""``mparticle-wsync export`` against the emulator: the files it writes, what it prints, its exit status,
and a generated program that ruff and mypy accept as they accept the repository's code."""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from pulumi_mparticle_wsync import cli, export, wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .workspace import COUNT, SECRETS, seed_workspace

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def run_export(*argv: str) -> Result:
    args = cli.build_parser().parse_args(["export", *argv])
    out, err = io.StringIO(), io.StringIO()
    code = export.run(args, out=out, err=err)
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def env(emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch) -> EmulatorHandle:
    """The provider's ``MPARTICLE_*`` settings, pointing at the emulator (no workspace: each test names it)."""
    for variable, value in (
        ("MPARTICLE_CLIENT_ID", emulator.client_id),
        ("MPARTICLE_CLIENT_SECRET", emulator.client_secret),
        ("MPARTICLE_API_URL", emulator.url),
        ("MPARTICLE_AUTH_URL", emulator.url),
    ):
        monkeypatch.setenv(variable, value)
    monkeypatch.delenv("MPARTICLE_WORKSPACE_ID", raising=False)
    return emulator


@pytest.fixture
def seeded(env: EmulatorHandle) -> EmulatorHandle:
    seed_workspace(env.control, env.workspace_id)
    return env


def test_a_workspace_it_can_express_whole_exits_0(seeded: EmulatorHandle, tmp_path: Path) -> None:
    out = tmp_path / "program"
    seeded.control.clear_log()
    result = run_export("--workspace", seeded.workspace_id, "--out", str(out), "--project", "acme-crm")

    assert (result.code, result.err) == (0, "")
    assert result.out == (
        f"Wrote {out}/__main__.py: workspace {seeded.workspace_id}, 5 connections, 2 data models, "
        "1 field transformation, 6 pipelines.\n"
        "Set its 5 secrets in the stack's config before the first `pulumi up` (SECRETS.md says what each one is):\n"
        + "".join(f"  pulumi config set --secret {key}\n" for key in SECRETS)
        + f"Then, in {out}: pulumi stack init, pulumi config set mparticle:workspaceId {seeded.workspace_id} "
        "(and the provider's credentials, as for any stack), and pulumi preview (every object shows as a create: "
        "an adoption).\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["Pulumi.yaml", "SECRETS.md", "__main__.py"]
    assert (out / "Pulumi.yaml").read_text().startswith("name: acme-crm\n")
    program = (out / "__main__.py").read_text()
    assert program.count("    adopt=True,\n") == COUNT
    assert program.count("config.require_secret(") == len(SECRETS)
    secrets = (out / "SECRETS.md").read_text()
    for key in SECRETS:
        assert f"pulumi config set --secret {key}\n" in secrets
        assert f"| `{key}` | " in secrets
    assert "| `ordersOncePartnerFeedKey` | Pipeline `orders_once` (id `orders-once`, \"Orders once\") | " \
           "`partner_feed_key` | " in secrets
    assert "| `analyticsBqServiceAccountKey` | Connection `analytics_bq` (id `analytics-bq`, " \
           "\"BigQuery (inactive)\") | `bigquery.service_account_key` | " in secrets
    # One GET per collection (and a token), nothing else.
    assert sorted((r.method, r.collection) for r in seeded.control.requests() if r.collection != "token") == sorted(
        ("GET", collection) for collection in wire.COLLECTIONS)


def test_the_generated_programs_pass_ruff_and_mypy(seeded: EmulatorHandle, tmp_path: Path) -> None:
    """The whole workspace; the same with two objects left out (and pipelines naming them by id);
    an empty workspace."""
    ws = seeded.workspace_id
    whole, partial, empty = tmp_path / "whole", tmp_path / "partial", tmp_path / "empty"
    assert run_export("--workspace", ws, "--out", str(whole)).code == 0
    seeded.control.edit_object(ws, wire.CONNECTIONS, "delta-share", {"config": {"tls_mode": "strict"}})
    seeded.control.edit_object(ws, wire.DATA_MODELS, "orders", {"type": "dbt"})
    assert run_export("--workspace", ws, "--out", str(partial)).code == 1
    assert run_export("--workspace", "5005", "--out", str(empty)).code == 0
    programs = [str(directory / "__main__.py") for directory in (whole, partial, empty)]
    checks = {
        "ruff, the repository's rules": [[sys.executable, "-m", "ruff", "check", "--no-cache", "--config",
                                          str(REPO_ROOT / "pyproject.toml"), *programs]],
        "ruff, its default rules": [[sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", *programs]],
        # One program per run: each is a module named __main__.
        "mypy --strict": [[sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy-cache"),
                           program] for program in programs],
    }
    for what, commands in checks.items():
        for command in commands:
            done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, f"{what}:\n{done.stdout}{done.stderr}"


def test_a_server_that_masks_secrets_and_capitalises_providers_gives_the_same_program(
    seeded: EmulatorHandle, tmp_path: Path
) -> None:
    plain, switched = tmp_path / "plain", tmp_path / "switched"
    assert run_export("--workspace", seeded.workspace_id, "--out", str(plain)).code == 0
    seeded.control.set_switches(secret_mode=wire.SECRET_MODE_MASK, provider_case=wire.PROVIDER_CASE_CAPITALISED)
    assert run_export("--workspace", seeded.workspace_id, "--out", str(switched)).code == 0
    assert (switched / "__main__.py").read_text() == (plain / "__main__.py").read_text()


def test_exports_of_the_same_workspace_are_the_same(seeded: EmulatorHandle, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert run_export("--workspace", seeded.workspace_id, "--out", str(first)).code == 0
    assert run_export("--workspace", seeded.workspace_id, "--out", str(second)).code == 0
    for name in ("Pulumi.yaml", "__main__.py", "SECRETS.md"):
        assert (first / name).read_text() == (second / name).read_text()


def test_objects_left_out_exit_1_and_are_named_on_stderr_and_in_the_program(
    seeded: EmulatorHandle, tmp_path: Path
) -> None:
    ws = seeded.workspace_id
    seeded.control.edit_object(ws, wire.CONNECTIONS, "delta-share", {"config": {"tls_mode": "strict"}})
    seeded.control.edit_object(ws, wire.DATA_MODELS, "orders", {"type": "dbt"})
    out = tmp_path / "program"

    result = run_export("--workspace", ws, "--out", str(out))

    assert result.code == 1
    assert result.err == (
        "export: left out 2 objects the program cannot declare (listed at the top of __main__.py too):\n"
        "  Connection 'delta-share': fields this provider does not know: config.tls_mode (adopting it, a PUT of "
        "the whole object, would remove them)\n"
        "  DataModel 'orders': type: the server holds 'dbt', which the program cannot give back (it would send "
        "'sql')\n"
    )
    assert "3 connections" not in result.out and "4 connections, 1 data model," in result.out
    program = (out / "__main__.py").read_text()
    assert "# Left out: 2 objects of the workspace" in program
    assert "# - Connection 'delta-share': fields this provider does not know: config.tls_mode" in program
    # The pipelines using them name them by id.
    assert 'connection_id="delta-share",' in program and 'data_model_id="orders",' in program
    assert "# connection_id: Connection 'delta-share' is left out of this program" in program
    compile(program, "__main__.py", "exec")


def test_an_empty_workspace_exits_0(env: EmulatorHandle, tmp_path: Path) -> None:
    out = tmp_path / "program"
    result = run_export("--workspace", "5005", "--out", str(out))
    assert (result.code, result.err) == (0, "")
    assert "0 connections, 0 data models, 0 field transformations, 0 pipelines" in result.out
    program = (out / "__main__.py").read_text()
    assert "import" not in program
    compile(program, "__main__.py", "exec")


def test_a_directory_that_is_not_empty_is_refused_without_force(seeded: EmulatorHandle, tmp_path: Path) -> None:
    out = tmp_path / "program"
    out.mkdir()
    (out / "Pulumi.dev.yaml").write_text("config: {}\n")
    seeded.control.clear_log()

    refused = run_export("--workspace", seeded.workspace_id, "--out", str(out))

    assert refused == Result(2, "", (
        f"export: --out '{out}' is not empty: choose another directory, or pass --force to write Pulumi.yaml, "
        "__main__.py and SECRETS.md into it (other files are left as they are)\n"
    ))
    assert seeded.control.requests() == []  # refused before reading the workspace
    forced = run_export("--workspace", seeded.workspace_id, "--out", str(out), "--force")
    assert forced.code == 0
    assert sorted(p.name for p in out.iterdir()) == ["Pulumi.dev.yaml", "Pulumi.yaml", "SECRETS.md", "__main__.py"]
    assert (out / "Pulumi.dev.yaml").read_text() == "config: {}\n"


def test_an_out_path_that_is_a_file_is_refused(env: EmulatorHandle, tmp_path: Path) -> None:
    out = tmp_path / "file"
    out.write_text("x")
    result = run_export("--workspace", env.workspace_id, "--out", str(out))
    assert result == Result(2, "", f"export: --out '{out}' is a file, not a directory\n")


def test_settings_and_api_errors_exit_2(env: EmulatorHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "program"
    assert run_export("--out", str(out)) == Result(2, "", (
        "export: no workspace id: pass --workspace ID, or set it with MPARTICLE_WORKSPACE_ID (or "
        "mparticle:workspaceId in a stack's config, read with --stack NAME)\n"
    ))
    monkeypatch.setenv("MPARTICLE_CLIENT_SECRET", "not-the-secret-4711")
    refused = run_export("--workspace", env.workspace_id, "--out", str(out))
    assert (refused.code, refused.out) == (2, "")
    assert refused.err.startswith("export: ") and "not-the-secret-4711" not in refused.err
    assert not out.exists()


def test_the_workspace_can_come_from_the_environment(seeded: EmulatorHandle, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPARTICLE_WORKSPACE_ID", seeded.workspace_id)
    monkeypatch.chdir(tmp_path)
    result = run_export()
    assert result.code == 0
    program = tmp_path / f"wsync-workspace-{seeded.workspace_id}" / "__main__.py"
    assert program.read_text().count("    adopt=True,\n") == COUNT
    assert f"name: wsync-workspace-{seeded.workspace_id}\n" in (program.parent / "Pulumi.yaml").read_text()


@pytest.mark.parametrize("project", ["", "has space", "x" * 101, "ünïcode"])
def test_a_bad_project_name_is_a_usage_error(project: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.build_parser().parse_args(["export", "--workspace", "1", "--project", project])
    assert exited.value.code == 2
    assert "is not a Pulumi project name" in capsys.readouterr().err


def test_the_command_is_listed() -> None:
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert "export" in commands.choices
