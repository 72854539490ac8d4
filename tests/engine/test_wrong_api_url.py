"""A wrong ``mparticle:apiUrl`` under the real engine: nothing is dropped, forgotten or duplicated.

With a wrong API path every request answers 404. Before, ``pulumi refresh`` took each 404 as
"deleted outside Pulumi" and dropped every object from the state, and the next ``up`` created
them all again. Now a 404 counts only when the collection's listing proves it, so refresh and
destroy fail with a message naming ``mparticle:apiUrl`` and the state keeps every object.

Steps: up a connection, a data model and a pipeline; point ``mparticle:apiUrl`` at a wrong path.
``up`` has nothing to do and makes no API call, but it records the (wrong) settings in the state,
so the commands that use the recorded settings (``refresh``, the refresh of ``up --refresh``) get
them as well as those that run the program (``refresh --run-program``, ``destroy --run-program``):
each fails naming the setting, and the state and the server keep every object exactly once. Then
the documented base with ``/platform/v2/`` refreshes and previews with no changes, and an ``up``
with the original URL creates nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pulumi import automation as auto

import pulumi_mparticle_wsync as mp
from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .conftest import StackFactory
from .harness import EngineStack

KINDS = {"Connection": wire.CONNECTIONS, "DataModel": wire.DATA_MODELS, "Pipeline": wire.PIPELINES}
WRITES = ("POST", "PUT", "DELETE")


def program() -> None:
    conn = mp.Connection("wh", name="Warehouse",
                         databricks=mp.DatabricksConfigArgs(provider="share", catalog="main", schema="crm"))
    model = mp.DataModel("users", name="Users", sql_query="SELECT email, plan, updated_at FROM db.s.users")
    mp.Pipeline("sync", name="Users on demand", pipeline_type="user_attributes", connection_id=conn.id,
                data_model_id=model.id, partner_feed_id=42, sync_mode=mp.SyncModeArgs(type="full"),
                schedule=mp.ScheduleArgs(type="on_demand", start="2026-01-01T00:00:00Z"),
                environment="development")


def tracked(stack: EngineStack) -> dict[str, str]:
    """Our resources in the state: Pulumi type suffix -> id."""
    found: dict[str, str] = {}
    for resource in stack.resources():
        kind = resource.get("type", "").rsplit(":", 1)[-1]
        if kind in KINDS:
            assert kind not in found, stack.resources()
            found[kind] = resource["id"]
    return found


def served(emulator: EmulatorHandle) -> dict[str, list[str]]:
    """The ids the emulator holds, per kind."""
    return {
        kind: [obj[wire.ID] for obj in emulator.control.list_objects(emulator.workspace_id, collection)]
        for kind, collection in KINDS.items()
    }


def api_requests(emulator: EmulatorHandle) -> list[tuple[str, str, int]]:
    return [(r.method, r.path, r.status) for r in emulator.control.requests() if r.collection != "token"]


def failure(run: Callable[[], Any]) -> str:
    with pytest.raises(auto.CommandError) as failed:
        run()
    return str(failed.value)


def assert_names_the_setting(output: str, verb: str, url: str) -> None:
    assert f"{verb} " in output and "could not be confirmed missing" in output, output
    assert "answered 404 too), so it is not taken as gone" in output, output
    assert f"The route looks wrong: check that mparticle:apiUrl (now {url!r})" in output, output
    assert "`pulumi config set mparticle:apiUrl` or MPARTICLE_API_URL" in output, output


@pytest.mark.engine
def test_a_wrong_api_url_drops_nothing_and_duplicates_nothing(
    make_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    stack = make_stack(program)
    up = stack.up()
    assert up.result.summary.resource_changes == {"create": 4}  # the three objects and the stack
    ids = tracked(stack)
    assert served(emulator) == {kind: [object_id] for kind, object_id in ids.items()}

    # --- a wrong path: every request answers 404 ----------------------------------------------
    wrong = emulator.url + "/wrong"
    wrong_prefix = f"/wrong/platform/v2/workspaces/{emulator.workspace_id}/"
    stack.stack.set_config("mparticle:apiUrl", auto.ConfigValue(wrong + "/"))
    emulator.control.clear_log()

    # Nothing changed in the program: up needs no API call and changes nothing (it records the
    # wrong settings in the state, which the plain refresh below uses).
    up = stack.up()
    assert up.result.summary.resource_changes == {"same": 4}
    assert api_requests(emulator) == []

    everything = tuple(KINDS)
    # With --run-program the program runs: the pipeline waits for the connection's and data
    # model's reads, which fail, so it is never read.
    for name, run, kinds in [
        ("up --refresh", lambda: stack.up(refresh=True), everything),
        ("refresh --run-program", lambda: stack.refresh(run_program=True), ("Connection", "DataModel")),
        ("refresh", lambda: stack.refresh(), everything),
    ]:
        output = failure(run)
        assert_names_the_setting(output, "read", wrong)
        for kind in kinds:
            # Every read was refused, never taken as "deleted outside Pulumi".
            assert f"read {kind} {ids[kind]!r} in workspace {emulator.workspace_id} failed" in output, (name, output)
        # Each read lists its collection (404), then GETs its object, with one listing to check that 404.
        expected = [("GET", f"{wrong_prefix}{KINDS[kind]}/{ids[kind]}", 404) for kind in kinds]
        expected += [("GET", f"{wrong_prefix}{KINDS[kind]}", 404) for kind in kinds] * 2
        # Once two kinds are read, the others are listed ahead (404 too), though none of them is read.
        read = {KINDS[kind] for kind in kinds}
        expected += [("GET", f"{wrong_prefix}{c}", 404) for c in wire.COLLECTIONS if c not in read]
        assert sorted(api_requests(emulator)) == sorted(expected), (name, api_requests(emulator))
        assert tracked(stack) == ids, name
        assert served(emulator) == {kind: [object_id] for kind, object_id in ids.items()}, name
        emulator.control.clear_log()

    output = failure(lambda: stack.destroy(run_program=True))
    assert_names_the_setting(output, "delete", wrong)
    pipeline = ids["Pipeline"]
    assert f"delete Pipeline {pipeline!r} in workspace {emulator.workspace_id} failed" in output, output
    # The pipeline goes first; its delete is refused, so nothing that it uses is tried.
    assert api_requests(emulator) == [
        ("DELETE", f"{wrong_prefix}{wire.PIPELINES}/{pipeline}", 404),
        ("GET", f"{wrong_prefix}{wire.PIPELINES}", 404),
    ]
    assert tracked(stack) == ids
    assert served(emulator) == {kind: [object_id] for kind, object_id in ids.items()}

    # --- the documented base, with its version: accepted as it is -----------------------------
    stack.stack.set_config("mparticle:apiUrl", auto.ConfigValue(emulator.url + "/platform/v2/"))
    emulator.control.clear_log()
    refresh = stack.refresh(run_program=True)
    assert refresh.result.summary.resource_changes == {"same": 4}, refresh.output
    preview = stack.preview()
    assert set(preview.result.change_summary) == {"same"}, preview.output
    base = f"/platform/v2/workspaces/{emulator.workspace_id}/"
    # One list per kind, transformations included (listed ahead: the stack has none).
    assert sorted(api_requests(emulator)) == sorted(("GET", f"{base}{c}", 200) for c in wire.COLLECTIONS)
    assert tracked(stack) == ids

    # --- back to the original URL: up has nothing to create -----------------------------------
    stack.stack.set_config("mparticle:apiUrl", auto.ConfigValue(emulator.url))
    emulator.control.clear_log()
    up = stack.up()
    assert up.result.summary.resource_changes == {"same": 4}
    assert not [r for r in api_requests(emulator) if r[0] in WRITES]
    assert tracked(stack) == ids
    assert served(emulator) == {kind: [object_id] for kind, object_id in ids.items()}
