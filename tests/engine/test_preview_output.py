"""What a reviewer sees: ``pulumi preview --diff`` (text) and ``pulumi preview --json`` on the quickstart,
for each kind of change a pull request makes, run by the real CLI against the emulator.

Each output must name the changed property with its old and new values, show ``[secret]`` for every
secret (and never a secret's value), say replace or update correctly, and show none of the provider's
bookkeeping (``__pulumi_name``, ``__input_keys``). Property lines are compared with their alignment
spaces collapsed (the engine pads keys to the widest one); everything else is literal.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .harness import PULUMI_BIN, REPO_ROOT, engine_env

PASSPHRASE = "wsync-demo"  # the quickstart's Pulumi.dev.yaml
PROGRAM = Path("examples") / "quickstart" / "__main__.py"
TYPE = "pulumi-python:dynamic/mparticle"
NOTE = "mparticle: "
PASSWORD = "orig-snowflake-pw-41"
FEED_KEY = "orig-feed-key-77"
ORDERS_SQL = ("SELECT order_id, customer_id, amount, currency, ordered_at FROM analytics.public.orders "
              "WHERE status = 'complete'")


class Quickstart:
    """A copy of the quickstart whose dev stack points at the emulator, deployed once."""

    def __init__(self, directory: Path, emulator: EmulatorHandle) -> None:
        self.directory = directory
        self.emulator = emulator
        self.original = (directory / PROGRAM).read_text()

    def pulumi(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        env = {**engine_env(self.directory), "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE}
        done = subprocess.run([str(PULUMI_BIN / "pulumi"), *args, "--stack", "dev", "--color", "never"],
                              cwd=self.directory, env=env, capture_output=True, text=True, timeout=600, check=False)
        if ok:
            assert done.returncode == 0, f"pulumi {shlex.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done

    def edit_program(self, old: str, new: str) -> None:
        assert old in self.original, old
        (self.directory / PROGRAM).write_text(self.original.replace(old, new, 1))

    def restore(self) -> None:
        (self.directory / PROGRAM).write_text(self.original)

    def preview(self, *flags: str) -> tuple[str, dict[str, Any]]:
        """The text of ``preview --diff`` (its diagnostics, which it prints on stderr, after the rest)
        and the document of ``preview --json``."""
        done = self.pulumi("preview", "--diff", *flags)
        document: dict[str, Any] = json.loads(self.pulumi("preview", "--json", *flags).stdout)
        return done.stdout + done.stderr, document

    def object_id(self, collection: str, name: str) -> str:
        [found] = [o[wire.ID] for o in self.emulator.control.list_objects("1001", collection) if o["name"] == name]
        return str(found)


@pytest.fixture
def quickstart(tmp_path: Path, emulator: EmulatorHandle) -> Quickstart:
    directory = tmp_path / "repo"
    directory.mkdir()
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml"):
        shutil.copy(REPO_ROOT / name, directory / name)
    shutil.copytree(REPO_ROOT / "examples" / "quickstart", directory / "examples" / "quickstart")
    (directory / "state").mkdir()
    project = Quickstart(directory, emulator)
    project.pulumi("stack", "init")
    for key in ("apiUrl", "authUrl"):
        project.pulumi("config", "set", f"mparticle:{key}", emulator.url)
    project.pulumi("config", "set", "paused", "false")
    project.pulumi("config", "set", "--secret", "snowflakePassword", PASSWORD)
    project.pulumi("config", "set", "--secret", "feedKey", FEED_KEY)
    project.pulumi("up", "--yes", "--skip-preview")
    return project


def _squeezed(line: str) -> str:
    """The line without its alignment: single spaces, and none between a key and its colon."""
    return re.sub(r"^((?:[~+-]+ )?[\w.\[\]]+) :", r"\1:", " ".join(line.split()))


HEADERS = ("+-pulumi-python", "~ pulumi-python", "+ pulumi-python", "- pulumi-python", "--pulumi-python",
           "++pulumi-python", "--outputs:--", "Resources:", "pulumi:pulumi:Stack", "~ pulumi:pulumi:Stack")


def _ends_block(line: str) -> bool:
    """The next resource's header, or the stack's outputs (a refresh's own ``--outputs:--`` is indented)."""
    stripped = line.lstrip()
    if stripped.startswith("--outputs:--"):
        return len(line) - len(stripped) <= 4
    return stripped.startswith(HEADERS)


def resource_blocks(text: str, name: str) -> list[list[str]]:
    """Each block ``preview --diff`` prints for the resource ``name``: its header to the next header."""
    lines = text.splitlines()
    blocks = []
    for at, line in enumerate(lines):
        if not (line.strip().startswith("[urn=") and line.rstrip().endswith(f"::{name}]")):
            continue
        first = at - 1 if lines[at - 1].lstrip().startswith(HEADERS) else at - 2  # a create has no [id=...]
        end = at + 1
        while end < len(lines) and not _ends_block(lines[end]):
            end += 1
        blocks.append([_squeezed(kept) for kept in lines[first:end] if kept.strip() and not kept.startswith(NOTE)])
    return blocks


def resource_block(text: str, name: str) -> list[str]:
    [block] = resource_blocks(text, name)
    return block


def changed_steps(document: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The steps of ``preview --json`` that change something, by resource name."""
    return {step["urn"].rsplit("::", 1)[-1]: step for step in document["steps"] if step["op"] != "same"}


def notes(text: str) -> list[str]:
    return [line.strip()[len(NOTE):] for line in text.splitlines() if line.strip().startswith(NOTE)]


def json_notes(document: Mapping[str, Any]) -> list[str]:
    return [d["message"].strip()[len(NOTE):] for d in document.get("diagnostics", [])
            if d["message"].startswith(NOTE)]


def assert_readable(text: str, document: Mapping[str, Any]) -> None:
    """No bookkeeping shown and no secret's value, in either rendering. (The JSON's states hold the
    bookkeeping under the engine's internal ``__`` keys, as they hold ``__provider``.)"""
    for hidden in ("pulumi_name", "input_keys", "name_prefix", PASSWORD, FEED_KEY):
        assert hidden not in text, hidden
    for secret in (PASSWORD, FEED_KEY):
        assert secret not in json.dumps(document)
    for step in document["steps"]:
        for state in ("oldState", "newState"):
            for part in ("inputs", "outputs"):
                keys = set((step.get(state) or {}).get(part) or {})
                assert not keys & {"pulumi_name", "input_keys", "name_prefix"}, (step["urn"], state, part)


@pytest.mark.engine
def test_each_kind_of_change_names_the_property_with_old_and_new_values(quickstart: Quickstart) -> None:
    orders = quickstart.object_id(wire.DATA_MODELS, "Completed orders")
    users_model = quickstart.object_id(wire.DATA_MODELS, "Active users")
    users = quickstart.object_id(wire.PIPELINES, "Users")
    purchases = quickstart.object_id(wire.PIPELINES, "Purchases")
    transformation = quickstart.object_id(wire.FIELD_TRANSFORMATIONS, "Orders as purchase events")
    warehouse = quickstart.object_id(wire.CONNECTIONS, "Analytics warehouse")

    # Nothing changed: nothing to read.
    text, document = quickstart.preview()
    assert changed_steps(document) == {} and "7 unchanged" in text
    assert_readable(text, document)

    # A SQL change: one update, the query old => new, nothing else marked.
    quickstart.edit_program("WHERE status = 'complete'", "WHERE status = 'shipped'")
    text, document = quickstart.preview()
    assert resource_block(text, "orders") == [
        f"~ {TYPE}:DataModel: (update)",
        f"[id={orders}]",
        f"[urn=urn:pulumi:dev::wsync-quickstart::{TYPE}:DataModel::orders]",
        'name: "Completed orders"',
        f'~ sql_query: "{ORDERS_SQL}" => "{ORDERS_SQL.replace("complete", "shipped")}"',
    ]
    steps = changed_steps(document)
    assert {name: step["op"] for name, step in steps.items()} == {"orders": "update"}
    assert (steps["orders"]["oldState"]["inputs"]["sql_query"], steps["orders"]["newState"]["inputs"]["sql_query"]) \
        == (ORDERS_SQL, ORDERS_SQL.replace("complete", "shipped"))
    assert "1 to update" in text and notes(text) == [] and json_notes(document) == []
    assert_readable(text, document)
    quickstart.restore()

    # A schedule change (stack config): both pipelines, the frequency old => new inside the schedule.
    quickstart.pulumi("config", "set", "frequency", "daily")
    text, document = quickstart.preview()
    for name, pipeline in (("users", users), ("purchases", purchases)):
        block = resource_block(text, name)
        assert block[:3] == [f"~ {TYPE}:Pipeline: (update)", f"[id={pipeline}]",
                             f"[urn=urn:pulumi:dev::wsync-quickstart::{TYPE}:Pipeline::{name}]"]
        at = block.index("~ schedule: {")
        assert block[at + 1:at + 3] == ['~ frequency: "hourly" => "daily"', 'start: "2026-01-01T00:15:00Z"'
                                        if name == "users" else 'start: "2026-01-01T00:30:00Z"']
        assert "partner_feed_key: [secret]" in block
        assert sum(line.startswith("~ ") for line in block) == 3  # the header, schedule and frequency
    steps = changed_steps(document)
    assert {name: step["op"] for name, step in steps.items()} == {"users": "update", "purchases": "update"}
    assert steps["users"]["newState"]["inputs"]["schedule"]["frequency"] == "daily"
    assert steps["users"]["newState"]["inputs"]["partner_feed_key"] == "[secret]"
    assert_readable(text, document)
    quickstart.pulumi("config", "set", "frequency", "hourly")

    # Pausing: paused false => true on both pipelines.
    quickstart.pulumi("config", "set", "paused", "true")
    text, document = quickstart.preview()
    for name in ("users", "purchases"):
        block = resource_block(text, name)
        assert "~ paused: false => true" in block
        assert [line for line in block if line.startswith("~ ")] == [f"~ {TYPE}:Pipeline: (update)",
                                                                   "~ paused: false => true"]
    assert {n: (s["op"], s["newState"]["inputs"]["paused"]) for n, s in changed_steps(document).items()} == {
        "users": ("update", True), "purchases": ("update", True)}
    assert_readable(text, document)
    quickstart.pulumi("config", "set", "paused", "false")

    # A mapping added: the new item of the list, with its fields.
    quickstart.edit_program(
        '        mp.FieldMappingArgs(mapping_type="ignore", source="currency"),\n',
        '        mp.FieldMappingArgs(mapping_type="ignore", source="currency"),\n'
        '        mp.FieldMappingArgs(mapping_type="column", source="ordered_at",\n'
        '                            destination="events[].data.custom_attributes.ordered_at"),\n')
    text, document = quickstart.preview()
    block = resource_block(text, "purchase-events")
    assert block[:3] == [f"~ {TYPE}:FieldTransformation: (update)", f"[id={transformation}]",
                         f"[urn=urn:pulumi:dev::wsync-quickstart::{TYPE}:FieldTransformation::purchase-events]"]
    at = block.index("+ [5]: {")
    assert block[3] == "~ mappings: ["
    assert block[at:at + 5] == [
        "+ [5]: {",
        '+ destination: "events[].data.custom_attributes.ordered_at"',
        '+ mapping_type: "column"',
        '+ source: "ordered_at"',
        "}",
    ]
    # the header, mappings and the new item only: the five mappings before it are unchanged
    assert sum(line.startswith(("~ ", "+ ", "- ")) for line in block) == 6, block
    assert {n: s["op"] for n, s in changed_steps(document).items()} == {"purchase-events": "update"}
    assert len(changed_steps(document)["purchase-events"]["newState"]["inputs"]["mappings"]) == 6
    assert_readable(text, document)
    quickstart.restore()

    # A secret changed: [secret] on both sides, and its version counted where the reviewer sees it.
    quickstart.pulumi("config", "set", "--secret", "snowflakePassword", "rotated-snowflake-pw-42")
    text, document = quickstart.preview()
    block = resource_block(text, "warehouse")
    assert block[:6] == [
        f"~ {TYPE}:Connection: (update)",
        f"[id={warehouse}]",
        f"[urn=urn:pulumi:dev::wsync-quickstart::{TYPE}:Connection::warehouse]",
        'name: "Analytics warehouse"',
        "~ secret_versions: {",
        "~ snowflake.password: 1 => 2",
    ]
    assert "password: [secret]" in block
    step = changed_steps(document)["warehouse"]
    assert step["op"] == "update"
    assert (step["oldState"]["inputs"]["secret_versions"], step["newState"]["inputs"]["secret_versions"]) == (
        {"snowflake.password": 1}, {"snowflake.password": 2})
    assert step["newState"]["inputs"]["snowflake"]["password"] == "[secret]"
    assert "rotated-snowflake-pw-42" not in text + json.dumps(document)
    assert_readable(text, document)
    quickstart.pulumi("config", "set", "--secret", "snowflakePassword", PASSWORD)

    # A replacement: the op, the property that forces it (the note and replaceReasons), and the
    # pipeline that follows the new id.
    quickstart.edit_program('    name="Active users",\n', '    name="Active users",\n    resource_id="active-users",\n')
    text, document = quickstart.preview()
    block = resource_block(text, "active-users")
    assert block[:3] == [f"+-{TYPE}:DataModel: (replace)", f"[id={users_model}]",
                         f"[urn=urn:pulumi:dev::wsync-quickstart::{TYPE}:DataModel::active-users]"]
    assert f'~ resource_id: "{users_model}" => "active-users"' in block
    assert notes(text) == json_notes(document) == [
        f"DataModel 'active-users' is replaced, not updated: resource_id (\"{users_model}\" => \"active-users\") "
        f"cannot change in place, so a new data model is created, then '{users_model}' is deleted."
    ]
    plain = quickstart.pulumi("preview").stdout  # what a CI job comments on a pull request
    assert "Diagnostics:" in plain and notes(plain) == notes(text)
    steps = changed_steps(document)
    assert (steps["active-users"]["op"], steps["active-users"]["replaceReasons"]) == ("replace", ["resource_id"])
    assert steps["users"]["op"] == "update"
    assert f'~ data_model_id: "{users_model}" => [unknown]' in resource_block(text, "users")
    assert "+-1 to replace" in text and "~ 1 to update" in text
    assert_readable(text, document)
    quickstart.restore()

    # An adoption: a create, and a note that a live object may be overwritten.
    quickstart.emulator.control.seed_object("1001", wire.DATA_MODELS, {
        wire.ID: "legacy-orders", "name": "Orders (by hand)", "type": "sql",
        "config": {"sql_query": "SELECT order_id FROM analytics.public.orders"}})
    quickstart.edit_program("purchase_events = mp.FieldTransformation(", (
        'legacy = mp.DataModel("legacy-orders", name="Orders", resource_id="legacy-orders", adopt=True,\n'
        '                      sql_query="SELECT order_id, amount FROM analytics.public.orders")\n\n'
        "purchase_events = mp.FieldTransformation("))
    text, document = quickstart.preview()
    block = resource_block(text, "legacy-orders")
    assert block == [
        f"+ {TYPE}:DataModel: (create)",
        f"[urn=urn:pulumi:dev::wsync-quickstart::{TYPE}:DataModel::legacy-orders]",
        "adopt: true",
        'name: "Orders"',
        'resource_id: "legacy-orders"',
        'sql_query: "SELECT order_id, amount FROM analytics.public.orders"',
    ]
    assert notes(text) == json_notes(document) == [
        "DataModel 'legacy-orders' has adopt=True: if DataModel 'legacy-orders' already exists in workspace 1001, "
        "`pulumi up` takes it over and overwrites it with this program's values (a PUT of the whole object: what "
        "the program leaves out is reset); otherwise it creates it. See docs/adopting.md."
    ]
    assert {n: s["op"] for n, s in changed_steps(document).items()} == {"legacy-orders": "create"}
    assert_readable(text, document)
    quickstart.restore()


@pytest.mark.engine
def test_an_edit_in_the_ui_reads_as_one_property_in_refresh_diff(quickstart: Quickstart) -> None:
    orders = quickstart.object_id(wire.DATA_MODELS, "Completed orders")
    quickstart.emulator.control.edit_object("1001", wire.DATA_MODELS, orders, {"config": {"sql_query": "SELECT 1"}})

    done = quickstart.pulumi("refresh", "--diff", "--yes")

    [preview, applied] = resource_blocks(done.stdout, "orders")  # the refresh's preview, then the refresh
    assert preview == applied
    changed = [line for line in applied if line.startswith(("~ ", "+ ", "- "))]
    assert changed[0] == f"~ {TYPE}:DataModel: (update)"
    assert changed[1:] == [
        '+ last_modified_by: "ui-user@emulator.local"',
        changed[2],  # + last_modified_on: "<when the edit was made>"
        f'~ sql_query: "{ORDERS_SQL}" => "SELECT 1"',
    ] and changed[2].startswith("+ last_modified_on: ")
    for hidden in ("pulumi_name", "input_keys"):
        assert hidden not in done.stdout, hidden
    # The next preview undoes the edit: the program's query on the right.
    text, document = quickstart.preview()
    assert f'~ sql_query: "SELECT 1" => "{ORDERS_SQL}"' in resource_block(text, "orders")
    assert {name: step["op"] for name, step in changed_steps(document).items()} == {"orders": "update"}


@pytest.mark.engine
def test_an_object_deleted_in_the_ui_shows_as_a_create_after_a_refresh(quickstart: Quickstart) -> None:
    users = quickstart.object_id(wire.PIPELINES, "Users")
    quickstart.emulator.control.delete_object("1001", wire.PIPELINES, users)

    text, document = quickstart.preview("--refresh")

    expected_note = (f"Pipeline 'users': Pipeline '{users}' in workspace 1001 was deleted outside Pulumi; the "
                     "refresh removes it from the stack's state, and the next `pulumi up` creates it again.")
    assert expected_note in notes(text) and expected_note in json_notes(document)
    refreshed, created = resource_blocks(text, "users")  # the refresh's block: every output removed
    block = refreshed
    assert block[:3] == [f"~ {TYPE}:Pipeline: (refresh)", f"[id={users}]",
                         f"[urn=urn:pulumi:dev::wsync-quickstart::{TYPE}:Pipeline::users]"]
    assert '- name: "Users"' in block and "- partner_feed_key: [secret]" in block
    assert created[:2] == [f"+ {TYPE}:Pipeline: (create)",
                           f"[urn=urn:pulumi:dev::wsync-quickstart::{TYPE}:Pipeline::users]"]
    assert 'name: "Users"' in created and "partner_feed_key: [secret]" in created
    ops = [(step["urn"].rsplit("::", 1)[-1], step["op"]) for step in document["steps"] if step["op"] != "same"]
    assert [(name, op) for name, op in ops if op != "refresh"] == [("users", "create")]
    assert len([op for _, op in ops if op == "refresh"]) == 7  # the 7 resources, read back
    assert "+ 1 to create" in text and "6 unchanged" in text
    assert_readable(text, document)
    # A preview changes nothing: the state still holds the pipeline, the workspace still lacks it.
    assert quickstart.emulator.control.get_object("1001", wire.PIPELINES, users) is None
    assert users in quickstart.pulumi("stack", "export").stdout
