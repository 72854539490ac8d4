"""``pulumi up`` killed mid-apply, then recovered: no duplicates, no orphans.

The stack: 2 connections, 4 data models and 4 pipelines (2 of them paused). While it comes up,
the emulator holds pipeline creates back: the first three wait 3 s (the first of them is then
refused with a 503, so that create never happens), the fourth is answered at once. As soon as that
answer is in the request log, the ``pulumi up`` CLI and the provider it started are killed with
SIGKILL, as when a CI job is cancelled. The delayed creates still complete on the server, but the
state only holds them as pending creates, and the stack stays locked.

``mparticle-wsync recover --stack test --apply`` must then record the objects those creates made
and drop the one that never happened, so that the next ``up`` creates only what is missing: the
workspace ends with exactly the declared objects, all of them in the state, and a preview sees
no change. The second test shows why the command exists: Pulumi's own repair (``pulumi cancel``,
``pulumi refresh --clear-pending-creates``) followed by ``up`` leaves duplicates on the server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest

import pulumi_mparticle_wsync as mp
from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .conftest import StackFactory
from .harness import REPO_ROOT, EngineStack, engine_env, write_program

CONNECTIONS = 2
DATA_MODELS = 4
PIPELINES = 4
DECLARED = {wire.CONNECTIONS: CONNECTIONS, wire.DATA_MODELS: DATA_MODELS, wire.PIPELINES: PIPELINES}
KIND_OF = {wire.CONNECTIONS: "Connection", wire.DATA_MODELS: "DataModel", wire.PIPELINES: "Pipeline"}
PIPELINE_CREATES = rf"/workspaces/[0-9]+/{wire.PIPELINES}$"
HELD_BACK_MS = 3000
SETTLE_TIMEOUT = 20.0
STACK = "test"



def _program() -> None:
    warehouses = [
        mp.Connection(
            f"warehouse-{i}", name=f"Warehouse {i}",
            snowflake=mp.SnowflakeConfigArgs(
                account_identifier="acme", region="us-central1.gcp", warehouse=f"WH_{i}", database="DB",
                role="SYNC", user="SYNC_USER", password=pulumi.Output.secret(f"interruption-password-{i}"),
                storage_integration="mp_us1_1_2_s3"),
        )
        for i in range(CONNECTIONS)
    ]
    models = [
        mp.DataModel(f"users-{i}", name=f"Users {i}", sql_query=f"SELECT email, plan, updated_at FROM db.s.users_{i}")
        for i in range(DATA_MODELS)
    ]
    for i in range(PIPELINES):
        mp.Pipeline(
            f"sync-{i}", name=f"Users {i} hourly", pipeline_type="user_attributes",
            connection_id=warehouses[i % CONNECTIONS].id, data_model_id=models[i].id,
            partner_feed_key=f"interruption-feed-key-{i}",
            sync_mode=mp.SyncModeArgs(type="incremental", iterator_field="updated_at",
                                      iterator_data_type="timestamp_ltz"),
            schedule=mp.ScheduleArgs(type="interval", frequency="hourly", start="2026-01-01T00:15:00Z"),
            environment="development",
            paused=i >= 2,  # a duplicate of each active one must stay within the 5-active limit
        )


# --- killing the CLI -----------------------------------------------------------------------


def _parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _children(pid: int) -> list[int]:  # Linux: the tree is read from /proc
    return [int(entry.name) for entry in Path("/proc").iterdir()
            if entry.name.isdigit() and _parent_of(int(entry.name)) == pid]


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    for child in _children(pid):
        found += [child, *_descendants(child)]
    return found


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _kill_pulumi_up(runner: int) -> list[int]:
    """SIGKILL the ``pulumi up`` under ``runner`` and everything it started (the provider); returns the pids."""
    killed: list[int] = []
    for pid in _descendants(runner):
        words = _command_line(pid).split()
        if words and Path(words[0]).name == "pulumi" and "up" in words:
            tree = [pid, *_descendants(pid)]  # listed first: once the CLI dies, its children get a new parent
            for member in tree:
                try:
                    os.kill(member, signal.SIGKILL)
                except ProcessLookupError:
                    continue
                killed.append(member)
    return killed


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = SETTLE_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.05)


def _pipeline_posts(emulator: EmulatorHandle) -> int:
    return emulator.control.count("POST", wire.PIPELINES)


# The interrupted ``up`` runs in a process of its own: the inline program it serves dies with the
# engine's connection, and that process, not the test's, is left to report it.
_UP_IN_A_PROCESS = """
import sys
from pathlib import Path

from tests.engine.harness import new_stack
from tests.engine.test_interruption import STACK, _program

new_stack(Path(sys.argv[1]), _program, stack=STACK).up()
"""


def _interrupted_up(stack: EngineStack, emulator: EmulatorHandle) -> None:
    """``up`` until the first pipeline create is answered, then SIGKILL; returns once the server is quiet."""
    emulator.control.add_fault("latency", method="POST", path_regex=PIPELINE_CREATES, latency_ms=HELD_BACK_MS,
                               count=PIPELINES - 1)
    emulator.control.add_fault("error", method="POST", path_regex=PIPELINE_CREATES, status=503, count=1)
    with subprocess.Popen([sys.executable, "-c", _UP_IN_A_PROCESS, str(stack.home)], cwd=REPO_ROOT,
                          env={**os.environ, **engine_env(stack.home)}, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True) as runner:
        try:
            _wait_for(lambda: _pipeline_posts(emulator) >= 1 or runner.poll() is not None,
                      "the first pipeline create", timeout=120)
            if runner.poll() is not None:
                pytest.fail(f"pulumi up ended before it could be interrupted:\n{runner.communicate()[0]}")
            assert _kill_pulumi_up(runner.pid), "no `pulumi up` process to kill"
            output, _ = runner.communicate(timeout=60)
        finally:
            if runner.poll() is None:
                runner.kill()
    assert runner.returncode != 0, f"pulumi up succeeded although it was killed:\n{output}"
    # The held-back creates were sent before the kill: each ends on the server (applied or refused).
    _wait_for(lambda: _pipeline_posts(emulator) >= PIPELINES, "the held-back pipeline creates")
    emulator.control.clear_faults()


def _pulumi(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["pulumi", *args, "--stack", STACK, "--non-interactive", "--color", "never"],
                          cwd=home, env={**os.environ, **engine_env(home)}, capture_output=True, text=True,
                          timeout=300, check=False)


def _recover(home: Path, *args: str, run_in: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``mparticle-wsync recover`` as a user runs it: in the project directory, with the stack's environment."""
    command = [str(Path(sys.executable).parent / "mparticle-wsync"), "recover", "--stack", STACK, *args]
    return subprocess.run(command, cwd=run_in or home, env={**os.environ, **engine_env(home)}, capture_output=True,
                          text=True, timeout=300, check=False)


# --- what the server and the state hold -------------------------------------------------------


def _served_ids(emulator: EmulatorHandle, collection: str) -> list[str]:
    return sorted(o[wire.ID] for o in emulator.control.list_objects(emulator.workspace_id, collection))


def _state_ids(stack: EngineStack, collection: str) -> list[str]:
    return sorted(str(r["id"]) for r in stack.resources(f"mparticle:{KIND_OF[collection]}"))


def _pending_creates(stack: EngineStack) -> list[dict[str, Any]]:
    return [op for op in stack.exported_state().get("pending_operations") or [] if op["type"] == "creating"]


def _assert_interrupted_with_orphans(stack: EngineStack, emulator: EmulatorHandle) -> None:
    """The dangerous situation: pipelines on the server that the state only knows as pending creates."""
    pending = _pending_creates(stack)
    assert pending, "the kill left no pending create"
    orphans = set(_served_ids(emulator, wire.PIPELINES)) - set(_state_ids(stack, wire.PIPELINES))
    assert orphans, "every pipeline the server holds is already in the state: nothing to recover"
    assert len(_served_ids(emulator, wire.PIPELINES)) == PIPELINES - 1  # the refused create never happened


@pytest.mark.engine
def test_recover_after_a_killed_up_leaves_exactly_the_declared_objects(
    make_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    stack = make_stack(_program, stack=STACK)
    _interrupted_up(stack, emulator)
    _assert_interrupted_with_orphans(stack, emulator)
    held_back_ids = set(_served_ids(emulator, wire.PIPELINES)) - set(_state_ids(stack, wire.PIPELINES))
    write_program(stack, "tests.engine.test_interruption", "_program")  # recover's refresh runs the program

    dry_run = _recover(stack.home, "--cwd", str(stack.home), run_in=REPO_ROOT)
    assert dry_run.returncode == 0, dry_run.stdout + dry_run.stderr
    assert f"To apply this plan: mparticle-wsync recover --stack {STACK} --cwd {stack.home} --apply" in dry_run.stdout
    assert _pending_creates(stack), "without --apply nothing may change"

    applied = _recover(stack.home, "--apply")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    for object_id in held_back_ids:
        assert f"-> {object_id} (Pipeline" in applied.stdout, applied.stdout
    assert "not created (Pipeline" in applied.stdout, applied.stdout  # the create refused with a 503
    assert not _pending_creates(stack)
    assert held_back_ids <= set(_state_ids(stack, wire.PIPELINES))

    stack.up()
    for collection, declared in DECLARED.items():
        served = _served_ids(emulator, collection)
        assert len(served) == declared, f"{collection}: {served}"
        assert served == _state_ids(stack, collection), collection
    assert held_back_ids <= set(_served_ids(emulator, wire.PIPELINES))
    preview = stack.preview()
    assert set(preview.result.change_summary) == {"same"}, preview.output


@pytest.mark.engine
def test_pulumis_own_repair_after_a_killed_up_duplicates_the_objects(
    make_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    """Why ``recover`` exists: ``pulumi cancel`` + ``refresh --clear-pending-creates`` + ``up`` duplicates."""
    stack = make_stack(_program, stack=STACK)
    _interrupted_up(stack, emulator)
    _assert_interrupted_with_orphans(stack, emulator)

    for args in (("cancel", "--yes"), ("refresh", "--yes", "--skip-preview", "--clear-pending-creates")):
        done = _pulumi(stack.home, *args)
        assert done.returncode == 0, done.stdout + done.stderr
    stack.up()

    served = _served_ids(emulator, wire.PIPELINES)
    in_state = _state_ids(stack, wire.PIPELINES)
    assert len(in_state) == PIPELINES
    orphans = sorted(set(served) - set(in_state))
    assert orphans, "no duplicate: Pulumi's own repair would be enough"
    assert len(served) == PIPELINES + len(orphans)
