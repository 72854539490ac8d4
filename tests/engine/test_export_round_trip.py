"""``mparticle-wsync export`` under the real engine: export a workspace, adopt it, change nothing.

The workspace (``tests/export/workspace.py``) is seeded through the emulator's API. The exported
program, with the seeded secrets in its stack's config, adopts every object: ``pulumi up`` sends no
POST and leaves every object as it was (what the API serves, and what the server stores: the
secrets too); a second preview shows no change, and a second export (its settings read from the
stack) gives the same program; an edit to the program updates that one object;
``pulumi destroy`` empties the workspace and leaves another workspace's objects alone.

The emulator here keeps its state in a file so that the test can read what the server stores,
secrets included (the API never serves them).
"""

from __future__ import annotations

import copy
import io
import json
import sqlite3
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from pulumi_mparticle_wsync import cli, wire
from pulumi_mparticle_wsync.emulator.acceptance import partner_feed_id_for
from pulumi_mparticle_wsync.emulator.settings import EmulatorSettings
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle, running_emulator
from tests.export.workspace import (
    COUNT,
    HIDDEN_FEED_KEY,
    HIDDEN_FEED_PIPELINE,
    RESOLVED_FEED_KEY,
    SECRETS,
    seed_other_workspace,
    seed_workspace,
)

from .harness import engine_env, program_stack, provider_config

WORKSPACE = "1001"
OTHER_WORKSPACE = "2002"
AUDIT = (wire.LAST_MODIFIED_ON, wire.LAST_MODIFIED_BY)
Stored = dict[tuple[str, str], dict[str, Any]]


@pytest.fixture
def emulator_with_file(tmp_path: Path) -> Iterator[tuple[EmulatorHandle, Path]]:
    data = tmp_path / "emulator.sqlite"
    with running_emulator(EmulatorSettings(port=0, data_path=str(data))) as handle:
        yield handle, data


def _stored(data: Path, workspace_id: str) -> Stored:
    """What the server stores for the workspace, secrets included: (collection, id) -> document."""
    with sqlite3.connect(f"file:{data}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT collection, object_id, document FROM objects WHERE workspace_id = ?",
                          (workspace_id,)).fetchall()
    return {(collection, object_id): json.loads(document) for collection, object_id, document in rows}


def _served(emulator: EmulatorHandle, workspace_id: str) -> Stored:
    """What the API serves for the workspace: (collection, id) -> object."""
    return {
        (collection, str(found[wire.ID])): found
        for collection in wire.COLLECTIONS
        for found in emulator.control.list_objects(workspace_id, collection)
    }


def _exact(objects: Stored, leave_out: tuple[str, ...] = ()) -> dict[tuple[str, str], str]:
    """Each object as JSON text, for an exact comparison (``2`` is not ``2.0``), without ``leave_out``."""
    return {
        key: json.dumps({k: v for k, v in found.items() if k not in leave_out}, sort_keys=True)
        for key, found in objects.items()
    }


def _without_audit(objects: Stored) -> dict[tuple[str, str], str]:
    return _exact(objects, AUDIT)


def _export(*argv: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        status = cli.main(["export", *argv])
    return status, stdout.getvalue(), stderr.getvalue()


@pytest.mark.engine
def test_export_then_adopt_changes_nothing_and_destroy_empties_the_workspace(
    emulator_with_file: tuple[EmulatorHandle, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator, data = emulator_with_file
    seed_workspace(emulator.control, WORKSPACE)
    seed_other_workspace(emulator.control, OTHER_WORKSPACE)
    stored_before, served_before = _stored(data, WORKSPACE), _served(emulator, WORKSPACE)
    other_before = _stored(data, OTHER_WORKSPACE)
    assert len(stored_before) == COUNT

    # Export: every object in the program, the secrets listed with the commands that set them.
    program_dir = tmp_path / "exported"
    for variable, value in (("MPARTICLE_CLIENT_ID", emulator.client_id),
                            ("MPARTICLE_CLIENT_SECRET", emulator.client_secret),
                            ("MPARTICLE_API_URL", emulator.url), ("MPARTICLE_AUTH_URL", emulator.url)):
        monkeypatch.setenv(variable, value)
    status, printed, errors = _export("--workspace", WORKSPACE, "--out", str(program_dir))
    assert (status, errors) == (0, ""), printed + errors
    assert [line.strip() for line in printed.splitlines() if "config set --secret" in line] == [
        f"pulumi config set --secret {key}" for key in SECRETS
    ]
    assert sorted(p.name for p in program_dir.iterdir()) == ["Pulumi.yaml", "SECRETS.md", "__main__.py"]

    # The secrets set as the values used when seeding; then the first up adopts everything.
    project = "wsync-workspace-" + WORKSPACE
    config = provider_config(emulator.url, WORKSPACE, emulator.client_id, emulator.client_secret)
    config |= {f"{project}:{key}": auto.ConfigValue(value, secret=True) for key, value in SECRETS.items()}
    stack = program_stack(program_dir, config=config)
    emulator.control.clear_log()
    up = stack.up()
    assert up.result.summary.result == "succeeded"
    assert up.result.summary.resource_changes == {"create": COUNT + 1}  # and the stack itself
    assert emulator.control.count("POST") == 0, emulator.control.request_counts()
    assert emulator.control.count("DELETE") == 0
    assert emulator.control.count("PUT") == COUNT

    # Every object as it was: what the API serves (audit fields aside), except that the pipeline
    # whose feed id was hidden gets it back: the server resolved it again from the key the stack's
    # config gave, which is the one seeded ...
    hidden = (wire.PIPELINES, HIDDEN_FEED_PIPELINE)
    assert served_before[hidden]["partner_feed_id"] is None
    served_before[hidden]["partner_feed_id"] = partner_feed_id_for(HIDDEN_FEED_KEY)
    assert _without_audit(_served(emulator, WORKSPACE)) == _without_audit(served_before)
    # ... and what the server stores, secrets included.
    stored_after = _stored(data, WORKSPACE)
    assert stored_after[hidden]["partner_feed_key"] == HIDDEN_FEED_KEY
    # The pipeline seeded with a feed key whose id the server reports is exported with that id: the
    # same feed, now given by its id, so the server keeps no key for it.
    resolved = (wire.PIPELINES, "orders-on-demand")
    assert stored_after[resolved]["partner_feed_id"] == partner_feed_id_for(RESOLVED_FEED_KEY)
    assert stored_before[resolved].pop("partner_feed_key") == RESOLVED_FEED_KEY
    expected = copy.deepcopy(stored_before)
    expected[hidden]["partner_feed_id"] = partner_feed_id_for(HIDDEN_FEED_KEY)
    assert _without_audit(stored_after) == _without_audit(expected)

    # Nothing left to do: a second preview shows no change and sends nothing.
    emulator.control.clear_log()
    preview = stack.preview()
    assert set(preview.result.change_summary) == {"same"}, preview.output
    assert emulator.control.requests() == []

    # Exported again, with the settings read from the stack's config (the real CLI reads it): the same
    # program, except for the pipeline whose feed id the server reports again: now given by that id.
    for variable, value in engine_env(program_dir).items():
        monkeypatch.setenv(variable, value)
    again = tmp_path / "again"
    status, printed, errors = _export("--stack", "test", "--cwd", str(program_dir), "--out", str(again))
    assert (status, errors) == (0, ""), printed + errors
    program = program_dir / "__main__.py"
    by_key = '    partner_feed_key=config.require_secret("ordersOncePartnerFeedKey"),\n'
    by_id = f"    partner_feed_id={partner_feed_id_for(HIDDEN_FEED_KEY)},\n"
    assert program.read_text().count(by_key) == 1
    assert (again / "__main__.py").read_text() == program.read_text().replace(by_key, by_id)

    # An edit to the program updates that object as usual, and only it.
    old_sql = "SELECT email, plan, updated_at FROM analytics.crm.users WHERE plan IN ('pro', 'team')"
    new_sql = "SELECT email, plan, updated_at FROM analytics.crm.users WHERE plan = 'team'"
    assert program.read_text().count(json.dumps(old_sql)) == 1
    program.write_text(program.read_text().replace(json.dumps(old_sql), json.dumps(new_sql)))
    preview = stack.preview()
    assert preview.result.change_summary == {"same": COUNT, "update": 1}, preview.output
    emulator.control.clear_log()
    stack.up()
    assert [(r.method, r.collection, r.object_id) for r in emulator.control.requests() if r.method != "GET"
            and r.collection != "token"] == [("PUT", wire.DATA_MODELS, "users")]
    changed = emulator.control.get_object(WORKSPACE, wire.DATA_MODELS, "users")
    assert changed is not None and changed["config"]["sql_query"] == new_sql

    # Destroy deletes exactly those objects: the workspace is empty, the other one untouched.
    emulator.control.clear_log()
    stack.destroy()
    assert emulator.control.count("DELETE") == COUNT
    assert _stored(data, WORKSPACE) == {}
    assert _exact(_stored(data, OTHER_WORKSPACE)) == _exact(other_before)
    printed_by_engine = "\n".join(stack.transcript)
    for value in SECRETS.values():
        assert value not in printed_by_engine
