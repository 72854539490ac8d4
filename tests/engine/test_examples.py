"""The quickstart's dev and prod stacks, and every example in examples/, under the real engine.

The quickstart runs with the committed ``Pulumi.yaml`` and ``Pulumi.<stack>.yaml`` files (copied to
a temp directory so the test never edits them), pointed at the test's emulator: as an inline
Automation API program, and as a program directory with the ``pulumi`` commands a user types.
Each example runs as a program directory (a copy), through the Python language host.
"""

from __future__ import annotations

import json
import runpy
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from pulumi import automation as auto

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .harness import PULUMI_BIN, PULUMI_ROOT, REPO_ROOT, EngineStack, engine_env, program_stack, provider_config

EXAMPLES = REPO_ROOT / "examples"
DEMO_PASSPHRASE = "wsync-demo"  # the passphrase of the committed Pulumi.dev.yaml / Pulumi.prod.yaml
QUICKSTART_SECRETS = ("dev-snowflake-password", "dev-feed-key", "prod-snowflake-password", "prod-feed-key",
                      "emulator-secret")
QUICKSTART_OBJECTS = {wire.CONNECTIONS: 1, wire.DATA_MODELS: 2, wire.FIELD_TRANSFORMATIONS: 1, wire.PIPELINES: 2}


def _run_file(path: Path) -> Any:
    def program() -> None:
        runpy.run_path(str(path), run_name="__main__")

    return program


def _counts(emulator: EmulatorHandle, workspace_id: str) -> dict[str, int]:
    return {c: len(emulator.control.list_objects(workspace_id, c)) for c in wire.COLLECTIONS}


def _writes(emulator: EmulatorHandle) -> int:
    return sum(emulator.control.count(m) for m in ("POST", "PUT", "DELETE"))


def _quickstart_stack(project_dir: Path, stack_name: str, emulator: EmulatorHandle) -> EngineStack:
    env = engine_env(project_dir)
    env["PULUMI_CONFIG_PASSPHRASE"] = DEMO_PASSPHRASE
    (project_dir / "state").mkdir(exist_ok=True)
    stack = auto.create_or_select_stack(
        stack_name,
        project_name="wsync-quickstart",
        program=_run_file(EXAMPLES / "quickstart" / "__main__.py"),
        opts=auto.LocalWorkspaceOptions(
            work_dir=str(project_dir),
            pulumi_home=env["PULUMI_HOME"],
            env_vars=env,
            pulumi_command=auto.PulumiCommand(root=str(PULUMI_ROOT)),
        ),
    )
    stack.set_all_config({
        "mparticle:apiUrl": auto.ConfigValue(emulator.url),
        "mparticle:authUrl": auto.ConfigValue(emulator.url),
        "mparticle:maxRetryWait": auto.ConfigValue("5"),
    })
    return EngineStack(stack, project_dir)


def _pulumi(project_dir: Path, *args: str) -> str:
    """Run ``pulumi <args>`` in ``project_dir`` as a user would; fail with everything it printed."""
    env = {**engine_env(project_dir), "PULUMI_CONFIG_PASSPHRASE": DEMO_PASSPHRASE}
    done = subprocess.run([str(PULUMI_BIN / "pulumi"), *args, "--color", "never"], cwd=project_dir, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"pulumi {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture
def quickstart_dir(tmp_path: Path) -> Path:
    project = tmp_path / "quickstart"
    project.mkdir()
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"):
        shutil.copy(REPO_ROOT / name, project / name)
    shutil.copytree(EXAMPLES / "quickstart", project / "examples" / "quickstart")
    return project


@pytest.mark.engine
def test_quickstart_dev_and_prod_stay_independent(quickstart_dir: Path, emulator: EmulatorHandle) -> None:
    dev = _quickstart_stack(quickstart_dir, "dev", emulator)
    prod = _quickstart_stack(quickstart_dir, "prod", emulator)
    dev_ws = yaml.safe_load((REPO_ROOT / "Pulumi.dev.yaml").read_text())["config"]["mparticle:workspaceId"]
    prod_ws = yaml.safe_load((REPO_ROOT / "Pulumi.prod.yaml").read_text())["config"]["mparticle:workspaceId"]
    assert dev_ws != prod_ws

    dev.up()
    prod.up()
    assert _counts(emulator, dev_ws) == QUICKSTART_OBJECTS
    assert _counts(emulator, prod_ws) == QUICKSTART_OBJECTS
    dev_states = {p["state"] for p in emulator.control.list_objects(dev_ws, wire.PIPELINES)}
    prod_pipelines = emulator.control.list_objects(prod_ws, wire.PIPELINES)
    assert dev_states == {"paused"}
    assert {p["state"] for p in prod_pipelines} == {"active"}
    assert {p["environment"] for p in prod_pipelines} == {"production"}
    assert {p["schedule"]["frequency"] for p in prod_pipelines} == {"daily"}

    # Nothing to do on either stack, and a repeated up writes nothing.
    emulator.control.clear_log()
    assert set(dev.preview().result.change_summary) == {"same"}
    assert set(prod.preview().result.change_summary) == {"same"}
    dev.up()
    assert _writes(emulator) == 0, emulator.control.request_counts()

    # A config change on dev touches dev only, and the preview names the property.
    dev.stack.set_config("wsync-quickstart:frequency", auto.ConfigValue("weekly"))
    preview = dev.preview()
    assert preview.result.change_summary.get("update") == 2
    assert "frequency" in preview.output
    assert set(prod.preview().result.change_summary) == {"same"}
    dev.up()
    assert {p["schedule"]["frequency"] for p in emulator.control.list_objects(prod_ws, wire.PIPELINES)} == {"daily"}

    # Destroying dev leaves prod's workspace as it was.
    dev.destroy()
    assert _counts(emulator, dev_ws) == dict.fromkeys(wire.COLLECTIONS, 0)
    assert _counts(emulator, prod_ws) == QUICKSTART_OBJECTS
    prod.destroy()
    assert _counts(emulator, prod_ws) == dict.fromkeys(wire.COLLECTIONS, 0)


@pytest.mark.engine
def test_quickstart_secrets_never_in_plaintext(quickstart_dir: Path, emulator: EmulatorHandle) -> None:
    dev = _quickstart_stack(quickstart_dir, "dev", emulator)
    dev.up()
    rotated = "rotated-snowflake-password-31f"
    dev.stack.set_config("wsync-quickstart:snowflakePassword", auto.ConfigValue(rotated, secret=True))
    preview = dev.preview()
    assert preview.result.change_summary.get("update") == 1, preview.output
    assert "[secret]" in preview.output
    dev.up()
    dev.refresh()
    # The rotated password reached the server (a PUT carries every secret again).
    connection = emulator.control.list_objects(dev.stack.get_config("mparticle:workspaceId").value,
                                               wire.CONNECTIONS)[0]
    assert "password" not in connection["config"]

    exported = _pulumi(quickstart_dir, "stack", "export", "--stack", "dev")
    json.loads(exported)
    state_files = "".join(p.read_text(errors="replace") for p in (quickstart_dir / "state").rglob("*") if p.is_file())
    everything = "\n".join([exported, state_files, *dev.transcript])
    for secret in (*QUICKSTART_SECRETS, rotated):
        assert secret not in everything, f"{secret!r} appears in plaintext"
    dev.destroy()


EXAMPLE_CONFIG: dict[str, dict[str, auto.ConfigValue]] = {
    "bigquery_user_attributes": {
        "serviceAccountKey": auto.ConfigValue('{"type": "service_account", "private_key": "example-bq-key-0c1"}',
                                              secret=True),
        "partnerFeedId": auto.ConfigValue("4242"),
    },
    "shared_snowflake": {
        "snowflakePassword": auto.ConfigValue("example-snowflake-password", secret=True),
        "feedKey": auto.ConfigValue("example-feed-key", secret=True),
    },
    "events_with_transformation": {
        "redshiftPassword": auto.ConfigValue("example-redshift-password", secret=True),
        "feedKey": auto.ConfigValue("example-feed-key", secret=True),
    },
    "adopt_existing": {},
    "on_demand_backfill": {
        "snowflakePassword": auto.ConfigValue("example-backfill-password", secret=True),
        "feedKey": auto.ConfigValue("example-backfill-feed-key", secret=True),
    },
}


def _seed_adoptable(emulator: EmulatorHandle) -> None:
    ws = emulator.workspace_id
    emulator.control.seed_object(ws, wire.CONNECTIONS, {
        "id": "legacy-warehouse", "name": "Made in the UI", "service_provider": "databricks",
        "config": {"provider": "acme-delta-share", "catalog": "main", "schema": "old"}})
    emulator.control.seed_object(ws, wire.DATA_MODELS, {
        "id": "legacy-model", "name": "Made in the UI", "type": "sql",
        "config": {"sql_query": "SELECT customer_id FROM main.crm.loyalty"}})
    emulator.control.seed_object(ws, wire.DATA_MODELS, {
        "id": "team-model", "name": "Another team's model", "type": "sql",
        "config": {"sql_query": "SELECT account_id, region FROM main.sales.accounts"}})


def _example_copy(example: str, destination: Path) -> Path:
    """A copy of the example's directory whose ``virtualenv`` option names this test's interpreter's venv."""
    directory = destination / example
    shutil.copytree(EXAMPLES / example, directory)
    settings = yaml.safe_load((directory / "Pulumi.yaml").read_text())
    assert settings["runtime"]["options"]["virtualenv"] == "../../.venv", "examples use the repository's venv"
    settings["runtime"]["options"]["virtualenv"] = sys.prefix
    (directory / "Pulumi.yaml").write_text(yaml.safe_dump(settings))
    return directory


@pytest.mark.engine
@pytest.mark.parametrize("example", sorted(EXAMPLE_CONFIG))
def test_example(example: str, emulator: EmulatorHandle, tmp_path: Path) -> None:
    directory = _example_copy(example, tmp_path)
    project = yaml.safe_load((directory / "Pulumi.yaml").read_text())["name"]
    config = provider_config(emulator.url, emulator.workspace_id, emulator.client_id, emulator.client_secret)
    config |= {f"{project}:{key}": value for key, value in EXAMPLE_CONFIG[example].items()}
    if example == "adopt_existing":
        _seed_adoptable(emulator)
    stack = program_stack(directory, config=config)

    up = stack.up()
    assert up.result.summary.result == "succeeded"
    created = sum(_counts(emulator, emulator.workspace_id).values())
    managed = [r for r in stack.resources()
               if r["type"].startswith("pulumi-python:dynamic/") and not r["type"].endswith(":PipelineRun")
               and not r.get("external")]
    read_only = [r for r in stack.resources() if r.get("external")]
    assert created == len(managed) + len(read_only)
    if example == "on_demand_backfill":
        outputs = {key: value.value for key, value in up.result.outputs.items()}
        assert outputs["run_state"] == "success", outputs
        assert emulator.control.count("POST", wire.PIPELINES) == 2  # the pipeline's create and one trigger
    if example == "adopt_existing":
        adopted = emulator.control.get_object(emulator.workspace_id, wire.CONNECTIONS, "legacy-warehouse")
        assert adopted is not None and adopted["config"]["schema"] == "crm"
        assert emulator.control.count("POST") == 0
        outputs = {key: value.value for key, value in up.result.outputs.items()}
        assert outputs["team_model_sql"] == "SELECT account_id, region FROM main.sales.accounts"
        assert outputs["team_model_state"] == "active"
        assert [r["id"] for r in read_only] == ["team-model"]
    emulator.control.clear_log()
    assert set(stack.preview().result.change_summary) == {"same"}
    if example == "adopt_existing":
        # The lookup and the .get() read at every preview (docs/lookups-and-accounts.md): reads only.
        # The lookup GETs the object; the .get() reads it by listing its collection (object id None).
        seen = {(r.method, r.object_id) for r in emulator.control.requests() if r.collection != "token"}
        assert seen == {("GET", "team-model"), ("GET", None)}, seen
    else:
        assert emulator.control.requests() == []
    stack.destroy()
    remaining = [o["id"] for c in wire.COLLECTIONS for o in emulator.control.list_objects(emulator.workspace_id, c)]
    assert remaining == [r["id"] for r in read_only], "destroy deletes what the stack manages, never a .get()"
    printed = "\n".join(stack.transcript)
    for value in EXAMPLE_CONFIG[example].values():
        if value.secret:
            assert value.value not in printed, "a secret was printed by the engine"


@pytest.mark.engine
def test_quickstart_runs_from_the_cli(quickstart_dir: Path, emulator: EmulatorHandle) -> None:
    """``pulumi up`` in the project directory: the language host runs examples/quickstart/ (``main``)."""
    (quickstart_dir / "state").mkdir()
    _pulumi(quickstart_dir, "stack", "init", "dev")
    for key in ("apiUrl", "authUrl"):
        _pulumi(quickstart_dir, "config", "set", f"mparticle:{key}", emulator.url)
    dev_ws = yaml.safe_load((REPO_ROOT / "Pulumi.dev.yaml").read_text())["config"]["mparticle:workspaceId"]

    up = _pulumi(quickstart_dir, "up", "--yes")
    assert "7 created" in up, up
    assert _counts(emulator, dev_ws) == QUICKSTART_OBJECTS
    outputs = json.loads(_pulumi(quickstart_dir, "stack", "output", "--json"))
    pipeline_ids = {p["id"] for p in emulator.control.list_objects(dev_ws, wire.PIPELINES)}
    assert {p["id"] for p in outputs["pipelines"].values()} == pipeline_ids

    emulator.control.clear_log()
    _pulumi(quickstart_dir, "preview", "--expect-no-changes")
    assert emulator.control.requests() == []
    _pulumi(quickstart_dir, "refresh", "--yes", "--expect-no-changes")
    assert _writes(emulator) == 0
    _pulumi(quickstart_dir, "destroy", "--yes")
    assert _counts(emulator, dev_ws) == dict.fromkeys(wire.COLLECTIONS, 0)
