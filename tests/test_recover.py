"""``mparticle-wsync recover``: matching pending creates to served objects, the state edit, the update's start.

Crafted exports in Pulumi's deployment format stand in for an interrupted stack; served objects are
built from the resources' own wire encoding, or come from the emulator through the real client.
The whole command under the real engine is in ``tests/engine/test_interruption.py``.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pulumi_mparticle_wsync import cli, recover, wire
from pulumi_mparticle_wsync.client import ConfigurationError, missing_workspace_error
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.models import CONNECTION, DATA_MODEL, PIPELINE, ResourceModel
from pulumi_mparticle_wsync.recover import DEFAULT_CLOCK_SKEW_SECONDS
from pulumi_mparticle_wsync.recover._edit import resolved_deployment
from pulumi_mparticle_wsync.recover._matching import Decision, Ignored, Outcome, decide, without_double_claims
from pulumi_mparticle_wsync.recover._plan import Plan, decide_all, format_plan
from pulumi_mparticle_wsync.recover._start import StackLock, UpdateStart, _pulumi_running, read_locks, update_start
from pulumi_mparticle_wsync.recover._state import (
    SECRET_SIGNATURE,
    SECRET_SIGNATURE_KEY,
    OtherPendingOperation,
    PendingCreate,
    RecoveryError,
    pending_creates,
    reveal_secrets,
)
from pulumi_mparticle_wsync.state_layout import generate_id, id_stem, is_generated_id, resource_type

STACK_URN = "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev"
PROVIDER_URN = "urn:pulumi:dev::shop::pulumi:providers:pulumi-python::default::0b1c"
PICKLED_PROVIDER = (  # what the engine stores for DataModelProvider()
    "gASVSAAAAAAAAACMK3B1bHVtaV9tcGFydGljbGVfd3N5bmMucmVzb3VyY2VzLmRhdGFfbW9kZWyUjBFEYXRhTW9kZWxQcm92aWRlcpSTlCmBlC4="
)
STARTED = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
NOT_BEFORE = STARTED - timedelta(seconds=DEFAULT_CLOCK_SKEW_SECONDS)
WORKSPACE = "1001"

USERS_INPUTS: dict[str, Any] = {
    "name": "Users", "sql_query": "SELECT email, plan FROM db.s.users", "__pulumi_name": "users",
}


def _urn(schema: ResourceModel, name: str) -> str:
    return f"urn:pulumi:dev::shop::{resource_type(schema.kind)}::{name}"


def _pending_resource(schema: ResourceModel, name: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "urn": _urn(schema, name),
        "custom": True,
        "type": resource_type(schema.kind),
        "inputs": {"__provider": PICKLED_PROVIDER, **inputs},
        "parent": STACK_URN,
        "provider": PROVIDER_URN,
    }


def _pending(schema: ResourceModel, name: str, inputs: Mapping[str, Any]) -> PendingCreate:
    return PendingCreate(_urn(schema, name), schema, dict(inputs))


def _served(
    schema: ResourceModel, inputs: Mapping[str, Any], object_id: str, created_on: str = "2026-03-01T09:30:04.123Z",
    changes: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What the API serves after a create from ``inputs``: the body, server fields, no secrets."""
    served = schema.to_wire(inputs, object_id)
    for secret_key in ("password", 'partner_feed_key'):
        served.pop(secret_key, None)
        if isinstance(served.get('config'), dict):
            served['config'].pop(secret_key, None)
    served.update({wire.STATUS_FIELD: "healthy", wire.ERRORS: [], wire.CREATED_ON: created_on,
                   wire.CREATED_BY: "ops@example.com", wire.LAST_MODIFIED_ON: None, wire.LAST_MODIFIED_BY: None})
    served.setdefault(wire.STATE, "active")
    served.update(changes or {})
    return served


def _decide(pending: PendingCreate, *served: Mapping[str, Any], held: Mapping[tuple[str, str], str] | None = None,
            ) -> Decision:
    return decide(pending, WORKSPACE, served, held=held or {}, not_before=NOT_BEFORE)


def _deployment(*pending_ops: Mapping[str, Any], resources: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "manifest": {"time": "2026-03-01T09:30:05Z", "magic": "", "version": "v3.274.1"},
        "resources": resources if resources is not None else [
            {"urn": STACK_URN, "custom": False, "type": "pulumi:pulumi:Stack"},
            {"urn": PROVIDER_URN.rsplit("::", 1)[0], "custom": True, "id": "0b1c",
             "type": "pulumi:providers:pulumi-python"},
        ],
        "pending_operations": list(pending_ops),
    }


# --- which ids a pending create could have used ---------------------------------------------------


@given(prefix=st.text(max_size=80))
def test_every_generated_id_is_recognised_as_its_names_and_no_other(prefix: str) -> None:
    generated = generate_id(prefix, "datamodel")
    assert is_generated_id(generated, prefix, "datamodel")
    assert not is_generated_id(f"{generated}0", prefix, "datamodel")
    if id_stem(prefix + "x", "datamodel") != id_stem(prefix, "datamodel"):  # not cut to the same length
        assert not is_generated_id(generated, prefix + "x", "datamodel")


def test_a_generated_id_needs_eight_lower_case_hex_digits() -> None:
    assert is_generated_id("users-1a2b3c4d", "users", "datamodel")
    assert not is_generated_id("users-1A2B3C4D", "users", "datamodel")
    assert not is_generated_id("users-1a2b3c4", "users", "datamodel")
    assert not is_generated_id("users-archive-1a2b3c4d", "users", "datamodel")  # another resource's name


# --- deciding ---------------------------------------------------------------------------------------


def test_one_matching_object_is_imported() -> None:
    pending = _pending(DATA_MODEL, "users", USERS_INPUTS)
    served = _served(DATA_MODEL, USERS_INPUTS, "users-1a2b3c4d")
    unrelated = _served(DATA_MODEL, {**USERS_INPUTS, "__pulumi_name": "orders"}, "orders-5e6f7a8b")
    decision = _decide(pending, unrelated, served)
    assert decision.outcome is Outcome.IMPORT
    assert decision.object_id == "users-1a2b3c4d"
    assert decision.ignored == ()  # an object of another name is not even a candidate


def test_no_matching_object_means_the_create_never_happened() -> None:
    decision = _decide(_pending(DATA_MODEL, "users", USERS_INPUTS))
    assert decision.outcome is Outcome.NOT_CREATED
    assert decision.object_id is None


def test_two_matching_objects_are_ambiguous_and_both_named() -> None:
    pending = _pending(DATA_MODEL, "users", USERS_INPUTS)
    decision = _decide(pending, _served(DATA_MODEL, USERS_INPUTS, "users-2222aaaa"),
                       _served(DATA_MODEL, USERS_INPUTS, "users-1111bbbb"))
    assert decision.outcome is Outcome.AMBIGUOUS
    assert decision.matching == ("users-1111bbbb", "users-2222aaaa")
    assert decision.chosen is None


def test_an_object_the_state_already_holds_is_not_a_candidate() -> None:
    pending = _pending(DATA_MODEL, "users", USERS_INPUTS)
    held_urn = _urn(DATA_MODEL, "users")
    decision = _decide(pending, _served(DATA_MODEL, USERS_INPUTS, "users-1a2b3c4d"),
                       held={(resource_type(DATA_MODEL.kind), "users-1a2b3c4d"): held_urn})
    assert decision.outcome is Outcome.NOT_CREATED
    assert decision.ignored == (Ignored("users-1a2b3c4d", f"already in the state as {held_urn}"),)


def test_an_id_held_by_another_kind_of_resource_does_not_count() -> None:
    pending = _pending(DATA_MODEL, "users", USERS_INPUTS)
    decision = _decide(pending, _served(DATA_MODEL, USERS_INPUTS, "users-1a2b3c4d"),
                       held={(resource_type(CONNECTION.kind), "users-1a2b3c4d"): "urn:of:a:connection"})
    assert decision.outcome is Outcome.IMPORT


def test_an_object_created_before_the_update_started_is_not_a_candidate() -> None:
    pending = _pending(DATA_MODEL, "users", USERS_INPUTS)
    early = (NOT_BEFORE - timedelta(milliseconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    just_in = NOT_BEFORE.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    decision = _decide(pending, _served(DATA_MODEL, USERS_INPUTS, "users-0000aaaa", created_on=early),
                       _served(DATA_MODEL, USERS_INPUTS, "users-1111bbbb", created_on=just_in))
    assert decision.outcome is Outcome.IMPORT
    assert decision.object_id == "users-1111bbbb"
    assert decision.ignored == (
        Ignored("users-0000aaaa", f"created {early}, before the interrupted update started"),
    )


def test_an_object_without_a_creation_time_is_not_taken() -> None:
    served = _served(DATA_MODEL, USERS_INPUTS, "users-1a2b3c4d")
    del served[wire.CREATED_ON]
    decision = _decide(_pending(DATA_MODEL, "users", USERS_INPUTS), served)
    assert decision.outcome is Outcome.NOT_CREATED
    assert "created_on" in decision.ignored[0].reason


def test_an_object_whose_content_differs_is_not_a_candidate_and_the_field_is_named() -> None:
    pending = _pending(DATA_MODEL, "users", USERS_INPUTS)
    other_query = _served(DATA_MODEL, USERS_INPUTS, "users-1a2b3c4d",
                          changes={'config': {'sql_query': "SELECT email FROM db.s.other"}})
    decision = _decide(pending, other_query)
    assert decision.outcome is Outcome.NOT_CREATED
    assert decision.ignored == (
        Ignored("users-1a2b3c4d", f"differs from the inputs in {'config'}.{'sql_query'}"),
    )


def test_an_object_two_pending_creates_would_record_is_recorded_for_neither() -> None:
    # "users" and "users/" generate ids of the same shape: one object cannot be what both made.
    slash_inputs = {**USERS_INPUTS, "__pulumi_name": "users/"}
    served = _served(DATA_MODEL, USERS_INPUTS, "users-1a2b3c4d")
    orders_inputs = {**USERS_INPUTS, "__pulumi_name": "orders"}
    decisions = without_double_claims([
        _decide(_pending(DATA_MODEL, "users", USERS_INPUTS), served),
        _decide(_pending(DATA_MODEL, "users/", slash_inputs), served),
        _decide(_pending(DATA_MODEL, "orders", orders_inputs), _served(DATA_MODEL, orders_inputs, "orders-1a2b3c4d")),
    ])
    assert [(d.pending.name, d.outcome, d.matching) for d in decisions] == [
        ("users", Outcome.AMBIGUOUS, ("users-1a2b3c4d",)),
        ("users/", Outcome.AMBIGUOUS, ("users-1a2b3c4d",)),
        ("orders", Outcome.IMPORT, ()),
    ]
    assert decisions[0].note == "the same object would also be recorded for users/"


def test_an_explicit_resource_id_is_the_only_candidate() -> None:
    inputs = {**USERS_INPUTS, "resource_id": "users"}
    pending = _pending(DATA_MODEL, "users", inputs)
    generated_lookalike = _served(DATA_MODEL, inputs, "users-1a2b3c4d")
    assert _decide(pending, generated_lookalike).outcome is Outcome.NOT_CREATED
    decision = _decide(pending, generated_lookalike, _served(DATA_MODEL, inputs, "users"))
    assert (decision.outcome, decision.object_id) == (Outcome.IMPORT, "users")


def test_an_explicit_resource_id_created_before_the_update_was_not_this_create() -> None:
    inputs = {**USERS_INPUTS, "resource_id": "users"}
    served = _served(DATA_MODEL, inputs, "users", created_on="2026-02-01T00:00:00.000Z")
    assert _decide(_pending(DATA_MODEL, "users", inputs), served).outcome is Outcome.NOT_CREATED


def test_write_only_secrets_do_not_stop_a_match_and_served_fields_we_did_not_send_are_ignored() -> None:
    inputs = {
        "name": "Warehouse", "__pulumi_name": "warehouse",
        "snowflake": {"account_identifier": "acme", "region": "us-central1.gcp", "warehouse": "WH", "database": "DB",
                      "role": "SYNC", "user": "SYNC_USER", "password": "pw-recover-1",
                      "storage_integration": "mp_us1_1_2_s3"},
    }
    omitted = _served(CONNECTION, inputs, "warehouse-1a2b3c4d")
    omitted['config'].update(aws_iam_user_arn="arn:aws:iam::1:user/x", aws_external_id="e-1")  # server-filled
    decision = _decide(_pending(CONNECTION, "warehouse", inputs), omitted)
    assert (decision.outcome, decision.object_id) == (Outcome.IMPORT, "warehouse-1a2b3c4d")

    masked = copy.deepcopy(omitted)
    masked['config']["password"] = wire.MASKED_SECRET
    assert _decide(_pending(CONNECTION, "warehouse", inputs), masked).outcome is Outcome.IMPORT


# --- reading the export -----------------------------------------------------------------------------


def _secret(value: Any) -> dict[str, str]:
    return {SECRET_SIGNATURE_KEY: SECRET_SIGNATURE, "plaintext": json.dumps(value)}


def test_pending_creates_of_our_types_are_read_with_their_secrets_revealed() -> None:
    pipeline_inputs = {"name": "Sync", "__pulumi_name": "sync", "partner_feed_key": _secret("feed-key-9"),
                       "sync_mode": {"type": "full"}}
    exported = _deployment(
        {"type": "creating", "resource": _pending_resource(PIPELINE, "sync", pipeline_inputs)},
        {"type": "updating", "resource": _pending_resource(DATA_MODEL, "users", USERS_INPUTS)},
        {"type": "creating", "resource": {"urn": "urn:pulumi:dev::shop::aws:s3/bucket:Bucket::b",
                                          "type": "aws:s3/bucket:Bucket", "inputs": {}}},
    )
    ours, others = pending_creates(reveal_secrets(exported))
    assert [(p.urn, p.model.kind, p.name) for p in ours] == [(_urn(PIPELINE, "sync"), "Pipeline", "sync")]
    assert ours[0].inputs["partner_feed_key"] == "feed-key-9"
    assert "__provider" not in ours[0].inputs
    assert [(o.type, o.urn.rsplit("::", 1)[-1]) for o in others] == [("updating", "users"), ("creating", "b")]


def test_an_encrypted_secret_cannot_be_revealed_and_the_error_says_what_to_set() -> None:
    encrypted = {SECRET_SIGNATURE_KEY: SECRET_SIGNATURE, "ciphertext": "v1:abc"}
    with pytest.raises(RecoveryError, match="PULUMI_CONFIG_PASSPHRASE"):
        reveal_secrets({"inputs": {"password": encrypted}})


# --- the state edit -----------------------------------------------------------------------------------


def test_the_edit_records_imports_drops_creates_that_never_happened_and_keeps_everything_else() -> None:
    encrypted_key = {SECRET_SIGNATURE_KEY: SECRET_SIGNATURE, "ciphertext": "v1:feed"}
    orders_inputs = {**USERS_INPUTS, "name": "Orders", "__pulumi_name": "orders"}
    imported = _pending_resource(DATA_MODEL, "users", USERS_INPUTS)
    imported["inputs"]["secret_note"] = encrypted_key  # secrets stay encrypted through the edit
    exported = _deployment(
        {"type": "creating", "resource": imported},
        {"type": "creating", "resource": _pending_resource(DATA_MODEL, "orders", orders_inputs)},
        {"type": "deleting", "resource": {**_pending_resource(DATA_MODEL, "old", USERS_INPUTS), "id": "old-1"}},
    )
    served = _served(DATA_MODEL, USERS_INPUTS, "users-1a2b3c4d")
    decisions = [
        Decision(_pending(DATA_MODEL, "users", USERS_INPUTS), WORKSPACE, Outcome.IMPORT, chosen=served),
        Decision(_pending(DATA_MODEL, "orders", orders_inputs), WORKSPACE, Outcome.NOT_CREATED),
    ]
    before = copy.deepcopy(exported)
    edited = resolved_deployment(exported, decisions)

    assert exported == before  # the export is not modified in place
    assert [op["type"] for op in edited["pending_operations"]] == ["deleting"]
    recorded = edited["resources"][-1]
    assert len(edited["resources"]) == len(exported["resources"]) + 1
    assert recorded["urn"] == _urn(DATA_MODEL, "users")
    assert recorded["id"] == "users-1a2b3c4d"
    assert recorded["provider"] == PROVIDER_URN and recorded["parent"] == STACK_URN
    outputs = recorded["outputs"]
    assert outputs["__provider"] == PICKLED_PROVIDER
    assert outputs["resource_id"] == "users-1a2b3c4d"
    assert outputs["workspace_id"] == WORKSPACE
    assert outputs["created_on"] == served[wire.CREATED_ON]
    assert outputs["sql_query"] == USERS_INPUTS["sql_query"]
    assert outputs["secret_note"] == encrypted_key
    assert outputs["__input_keys"] == sorted([*USERS_INPUTS, "secret_note"])


def test_an_ambiguous_create_stays_pending_and_no_pending_operation_leaves_none_in_the_edit() -> None:
    pending_op = {"type": "creating", "resource": _pending_resource(DATA_MODEL, "users", USERS_INPUTS)}
    ambiguous = Decision(_pending(DATA_MODEL, "users", USERS_INPUTS), WORKSPACE, Outcome.AMBIGUOUS,
                         matching=("users-1111bbbb", "users-2222aaaa"))
    assert resolved_deployment(_deployment(pending_op), [ambiguous])["pending_operations"] == [pending_op]
    dropped = Decision(_pending(DATA_MODEL, "users", USERS_INPUTS), WORKSPACE, Outcome.NOT_CREATED)
    assert "pending_operations" not in resolved_deployment(_deployment(pending_op), [dropped])


def test_importing_the_create_of_a_replacement_marks_the_replaced_resource_for_deletion() -> None:
    old = {**_pending_resource(DATA_MODEL, "users", USERS_INPUTS), "id": "users-0000aaaa",
           "outputs": {"resource_id": "users-0000aaaa"}}
    exported = _deployment({"type": "creating", "resource": _pending_resource(DATA_MODEL, "users", USERS_INPUTS)})
    exported["resources"].append(old)
    decision = Decision(_pending(DATA_MODEL, "users", USERS_INPUTS), WORKSPACE, Outcome.IMPORT,
                        chosen=_served(DATA_MODEL, USERS_INPUTS, "users-1a2b3c4d"))
    edited = resolved_deployment(exported, [decision])
    same_urn = [r for r in edited["resources"] if r["urn"] == _urn(DATA_MODEL, "users")]
    assert [(r["id"], r.get("delete", False)) for r in same_urn] == [("users-0000aaaa", True),
                                                                     ("users-1a2b3c4d", False)]


# --- when the update started --------------------------------------------------------------------------


def _lock(time: datetime | None, pid: int | None = 4242, hostname: str | None = "ci-runner") -> StackLock:
    return StackLock(Path("/backend/.pulumi/locks/organization/shop/dev/x.json"), pid, hostname, time)


HISTORY_DONE: list[dict[str, Any]] = [
    {"kind": "refresh", "result": "succeeded", "startTime": "2026-03-01T10:00:00.000Z"},
    {"kind": "update", "result": "succeeded", "startTime": "2026-03-01T08:00:00.000Z",
     "endTime": "2026-03-01T08:01:00.000Z"},
]


def _unasked() -> list[dict[str, Any]]:
    raise AssertionError("the history must not be read when --since or a lock dates the update")


def test_the_start_is_since_then_the_earliest_lock_then_an_update_in_progress() -> None:
    since = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    locks = [_lock(STARTED + timedelta(seconds=5)), _lock(STARTED), _lock(None)]
    assert update_start(since, locks, _unasked) == UpdateStart(since, "--since")
    assert update_start(None, locks, _unasked) == UpdateStart(STARTED, "the stack's lock")
    in_progress = [{"kind": "update", "result": "in-progress", "startTime": "2026-03-01T09:30:00.000Z"}]
    assert update_start(None, [], lambda: in_progress) == UpdateStart(
        STARTED, "the update in progress in the stack's history")


def test_a_finished_update_in_the_history_does_not_date_the_interrupted_one() -> None:
    # Pulumi keeps pending creates through later updates, so a finished update may be later than the
    # interrupted one; only a lock or an update still in progress tells when it started.
    assert update_start(None, [], lambda: HISTORY_DONE) is None
    assert update_start(None, [_lock(None)], list) is None


def test_lock_files_of_a_file_backend_are_read_for_this_project_and_stack(tmp_path: Path) -> None:
    locks_dir = tmp_path / ".pulumi" / "locks"
    ours = locks_dir / "organization" / "shop" / "dev"
    ours.mkdir(parents=True)
    (ours / "a.json").write_text(json.dumps({"pid": 11, "username": "ci", "hostname": "runner-7",
                                             "timestamp": "2026-03-01T09:30:00.864583726Z"}))
    (ours / "broken.json").write_text("{not json")
    other_stack = locks_dir / "organization" / "shop" / "prod"
    other_stack.mkdir(parents=True)
    (other_stack / "b.json").write_text(json.dumps({"pid": 12, "timestamp": "2026-03-01T07:00:00Z"}))

    found = read_locks(tmp_path.as_uri() + "?no_tmp_dir=true", "shop", "dev")
    assert [(lock.path.name, lock.pid, lock.hostname) for lock in found] == [("a.json", 11, "runner-7"),
                                                                              ("broken.json", None, None)]
    assert found[0].time == STARTED + timedelta(microseconds=864583)
    assert read_locks("https://api.pulumi.com", "shop", "dev") == []


@pytest.fixture
def process_named_pulumi() -> Iterator[int]:
    """A live process whose command line names pulumi, as a running ``pulumi up`` would."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "pulumi", "up"])
    try:
        yield process.pid
    finally:
        process.kill()
        process.wait()


def test_a_lock_is_held_only_by_a_running_pulumi_process_on_this_host(process_named_pulumi: int) -> None:
    here = socket.gethostname()
    assert _lock(STARTED, process_named_pulumi, here).held_by_running_process()
    assert not _lock(STARTED, process_named_pulumi, f"not-{here}").held_by_running_process()
    assert not _lock(STARTED, os.getpid(), here).held_by_running_process()  # alive, but not pulumi
    finished = subprocess.Popen([sys.executable, "-c", "pass", "pulumi"])
    finished.wait()
    assert not _lock(STARTED, finished.pid, here).held_by_running_process()


def test_without_proc_any_live_process_counts_as_running(process_named_pulumi: int, tmp_path: Path) -> None:
    no_proc = tmp_path / "no-proc"  # as on a system without /proc: only liveness can be told
    assert _pulumi_running(process_named_pulumi, no_proc)
    assert _pulumi_running(os.getpid(), no_proc)
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    assert not _pulumi_running(finished.pid, no_proc)


# --- against the emulator, through the real client -----------------------------------------------------


def _config(emulator: EmulatorHandle) -> dict[str, Any]:
    return {
        "mparticle:apiUrl": {"value": emulator.url, "secret": False},
        "mparticle:authUrl": {"value": emulator.url, "secret": False},
        "mparticle:clientId": {"value": emulator.client_id, "secret": False},
        "mparticle:clientSecret": {"value": emulator.client_secret, "secret": True},
        "mparticle:workspaceId": {"value": emulator.workspace_id, "secret": False},
    }


def test_decisions_read_the_workspace_of_each_pending_create(emulator: EmulatorHandle) -> None:
    other_workspace = "2002"
    emulator.control.seed_object(emulator.workspace_id, wire.DATA_MODELS,
                                 DATA_MODEL.to_wire(USERS_INPUTS, "users-1a2b3c4d"))
    emulator.control.seed_object(other_workspace, wire.DATA_MODELS,
                                 DATA_MODEL.to_wire(USERS_INPUTS, "users-5e6f7a8b"))
    explicit = {**USERS_INPUTS, "__pulumi_name": "explicit", "resource_id": "users-explicit"}
    emulator.control.seed_object(emulator.workspace_id, wire.DATA_MODELS,
                                 DATA_MODEL.to_wire(explicit, "users-explicit"))
    ours = [
        _pending(DATA_MODEL, "users", USERS_INPUTS),
        _pending(DATA_MODEL, "users-elsewhere", {**USERS_INPUTS, "workspace_id": other_workspace}),
        _pending(DATA_MODEL, "explicit", explicit),
        _pending(DATA_MODEL, "missing", {**USERS_INPUTS, "__pulumi_name": "missing"}),
    ]
    not_before = datetime.now(UTC) - timedelta(minutes=5)
    decisions = decide_all(ours, _deployment(), _config(emulator), not_before, {})
    assert [(d.pending.name, d.workspace, d.outcome, d.object_id) for d in decisions] == [
        ("users", emulator.workspace_id, Outcome.IMPORT, "users-1a2b3c4d"),
        ("users-elsewhere", other_workspace, Outcome.IMPORT, "users-5e6f7a8b"),
        ("explicit", emulator.workspace_id, Outcome.IMPORT, "users-explicit"),
        ("missing", emulator.workspace_id, Outcome.NOT_CREATED, None),
    ]
    # One listing per workspace and collection; the explicit id is fetched alone.
    gets = [r for r in emulator.control.requests() if r.method == "GET" and r.collection == wire.DATA_MODELS]
    assert sorted((r.workspace_id, r.object_id or "") for r in gets) == sorted(
        [(emulator.workspace_id, ""), (other_workspace, ""), (emulator.workspace_id, "users-explicit")])


def test_use_picks_an_object_the_user_checked_and_refuses_one_that_is_missing_or_held(
    emulator: EmulatorHandle,
) -> None:
    for object_id in ("users-1111bbbb", "users-2222aaaa"):
        emulator.control.seed_object(emulator.workspace_id, wire.DATA_MODELS,
                                     DATA_MODEL.to_wire(USERS_INPUTS, object_id))
    ours = [_pending(DATA_MODEL, "users", USERS_INPUTS)]
    not_before = datetime.now(UTC) - timedelta(minutes=5)
    config = _config(emulator)
    assert decide_all(ours, _deployment(), config, not_before, {})[0].outcome is Outcome.AMBIGUOUS

    chosen = decide_all(ours, _deployment(), config, not_before, {"users": "users-2222aaaa"})[0]
    assert (chosen.outcome, chosen.object_id, chosen.note) == (Outcome.IMPORT, "users-2222aaaa", "chosen with --use")
    with pytest.raises(RecoveryError, match="there is no DataModel 'users-0000cccc' in workspace 1001"):
        decide_all(ours, _deployment(), config, not_before, {"users": "users-0000cccc"})
    holding = _deployment(resources=[{"urn": "urn:held", "type": resource_type(DATA_MODEL.kind),
                                      "id": "users-1111bbbb"}])
    with pytest.raises(RecoveryError, match="already in the state as urn:held"):
        decide_all(ours, holding, config, not_before, {"users": "users-1111bbbb"})
    with pytest.raises(RecoveryError, match="'orders' names no interrupted create"):
        decide_all(ours, _deployment(), config, not_before, {"orders": "orders-1111bbbb"})


def test_a_pending_create_with_no_workspace_anywhere_names_the_setting(emulator: EmulatorHandle) -> None:
    config = _config(emulator)
    del config["mparticle:workspaceId"]
    with pytest.raises(ConfigurationError, match="mparticle:workspaceId"):
        decide_all([_pending(DATA_MODEL, "users", USERS_INPUTS)], _deployment(), config,
                            datetime.now(UTC), {})


# --- the command line ---------------------------------------------------------------------------------------


def _parse(*argv: str) -> argparse.Namespace:
    return cli.build_parser().parse_args(["recover", *argv])


def test_the_plan_names_each_urn_and_what_happens_to_it() -> None:
    users = _pending(DATA_MODEL, "users", USERS_INPUTS)
    plan = Plan("dev", UpdateStart(STARTED, "the stack's lock"), NOT_BEFORE, [
        Decision(users, WORKSPACE, Outcome.IMPORT, chosen=_served(DATA_MODEL, USERS_INPUTS, "users-1a2b3c4d"),
                 ignored=(Ignored("users-0000aaaa", "created 2026-02-01T00:00:00.000Z, before ..."),)),
        Decision(_pending(DATA_MODEL, "orders", USERS_INPUTS), WORKSPACE, Outcome.NOT_CREATED),
        Decision(_pending(DATA_MODEL, "carts", USERS_INPUTS), WORKSPACE, Outcome.AMBIGUOUS,
                 matching=("carts-1111bbbb", "carts-2222aaaa")),
    ], [OtherPendingOperation("urn:pulumi:dev::shop::aws:s3/bucket:Bucket::b", "creating")])
    text = format_plan(plan)
    assert "The update started 2026-03-01T09:30:00Z (from the stack's lock)" in text
    assert "from 2026-03-01T09:29:00Z on are considered" in text
    assert f"  {users.urn}\n    -> users-1a2b3c4d (DataModel in workspace 1001): record it in the state" in text
    assert "       ignored users-0000aaaa: created 2026-02-01" in text
    assert "-> not created (DataModel in workspace 1001)" in text
    assert "-> ambiguous (DataModel in workspace 1001): carts-1111bbbb, carts-2222aaaa all match" in text
    assert "aws:s3/bucket:Bucket::b: pending creating, left as it is" in text
    assert [d.pending.name for d in plan.imports] == ["users"]
    assert [d.pending.name for d in plan.drops] == ["orders"]
    assert [d.pending.name for d in plan.ambiguous] == ["carts"]


def test_the_printed_apply_command_repeats_every_choice() -> None:
    args = _parse("--stack", "acme/shop/dev", "--cwd", "infra dir", "--since", "2026-03-01T10:30:00+01:00",
                  "--use", "users=users-1a2b3c4d", "--clock-skew", "5")
    assert recover._apply_command(args) == (
        "mparticle-wsync recover --stack acme/shop/dev --cwd 'infra dir' --since 2026-03-01T09:30:00Z "
        "--use users=users-1a2b3c4d --clock-skew 5 --apply"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--stack", "dev", "--since", "2026-03-01T09:30:00"), "not an ISO 8601 time with a zone"),
        (("--stack", "dev", "--use", "users"), "write NAME=ID"),
        (("--stack", "dev", "--use", "=users-1"), "write NAME=ID"),
        (("--since", "2026-03-01T09:30:00Z",), "--stack"),
    ],
)
def test_bad_arguments_are_refused_with_the_fix(
    argv: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _parse(*argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_without_pulumi_on_path_the_command_fails_and_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    err = io.StringIO()
    assert recover.run(_parse("--stack", "dev"), out=io.StringIO(), err=err) == recover.EXIT_ERROR
    assert "`pulumi` is not on PATH" in err.getvalue()


def test_a_cwd_that_is_not_a_directory_is_refused(tmp_path: Path) -> None:
    err = io.StringIO()
    args = _parse("--stack", "dev", "--cwd", str(tmp_path / "nowhere"))
    assert recover.run(args, out=io.StringIO(), err=err) == recover.EXIT_ERROR
    assert "is not a directory" in err.getvalue()


def test_a_client_error_says_how_to_set_the_setting_with_pulumi(monkeypatch: pytest.MonkeyPatch) -> None:
    # recover reads the stack's config, as the provider does: the client's neutral words get the command.
    def without_workspace(_args: argparse.Namespace, _out: Any) -> int:
        raise missing_workspace_error()

    monkeypatch.setattr(recover, "_recover", without_workspace)
    err = io.StringIO()
    assert recover.run(_parse("--stack", "dev"), out=io.StringIO(), err=err) == recover.EXIT_ERROR
    assert err.getvalue() == (
        "recover: no workspace id: pass the resource's workspace_id argument, or set it with "
        "`pulumi config set mparticle:workspaceId` or MPARTICLE_WORKSPACE_ID\n"
    )
