"""``mparticle-wsync recover``: finish what an interrupted ``pulumi up`` left, without duplicates.

When ``pulumi up`` dies mid-apply (Ctrl-C twice, a killed CI job, a lost machine), the engine keeps
each create it had started as a *pending create*: the inputs are in the state, the id the provider
chose is not, and the stack stays locked. The objects may or may not exist on the server. The
usual repair, ``pulumi cancel`` then ``pulumi refresh --clear-pending-creates``, forgets them, and
the next ``up`` creates them again under new random ids: duplicates, the first ones left behind.

For each pending create of our four resources this command looks for the object that create made:

- with an explicit ``resource_id``, the object with that id; otherwise the objects whose id is what
  ``generate_id`` makes of the resource's name (``<name>-<8 hex>``);
- that no resource in the state already holds;
- created no earlier than the interrupted update started (less a clock tolerance);
- whose content matches the pending inputs (as for a create whose answer was lost).

Exactly one: it is recorded in the state under the pending URN. None: the create never happened
and the pending create is dropped (the next ``up`` creates the object). Several: nothing changes.

With ``--apply``: ``pulumi cancel`` (the lock), ``pulumi stack import`` of the state with those
pending creates resolved, then ``pulumi refresh --target`` of the recorded resources so that their
outputs come from the provider's own read. ``pulumi refresh --import-pending-creates URN ID`` looks
like the one-step way, but Pulumi v3.274.1 drops the pending creates it names without recording
them (the engine never reads the "importing" operations that flag produces), so the state is edited
through export and import instead.

Every ``pulumi`` command runs with this process's environment (backend URL, passphrase,
``PULUMI_HOME``) and the ``pulumi`` found on ``PATH``.

Exit status: 0 recovered (or nothing to recover), 1 a human must decide (objects that match
ambiguously, an unknown update start, an update still running), 2 an error.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TextIO
from urllib.parse import unquote, urlsplit

from . import rules, wire

# The models and the provider pull in pydantic and the Pulumi SDK (about a second): they are
# imported where used, so that building the ``mparticle-wsync`` parser stays fast for every command.
if TYPE_CHECKING:
    from .models import ResourceSchema

EXIT_OK: Final = 0
EXIT_NEEDS_HUMAN: Final = 1
EXIT_ERROR: Final = 2

DEFAULT_CLOCK_SKEW_SECONDS: Final = 60.0
"""How far the API's clock may be behind this machine's (the lock's time is local, ``created_on`` the server's)."""

# Pulumi's formats (not the API's wire): resource types, pending operations and secret envelopes.
RESOURCE_TYPE_PREFIX: Final = "pulumi-python:dynamic/mparticle:"
PENDING_CREATE: Final = "creating"
SECRET_SIGNATURE_KEY: Final = "4dabf18193072939515e22adb298388d"
SECRET_SIGNATURE: Final = "1b47061264138c4ac30d75fd1eb44270"

JSON = Any  # a decoded JSON value of Pulumi's deployment format


@cache
def _schemas_by_type() -> dict[str, ResourceSchema]:
    from .models import SCHEMAS

    return {resource_type(schema): schema for schema in SCHEMAS}


def resource_type(schema: ResourceSchema) -> str:
    """The Pulumi type of the resource, as the state records it."""
    return f"{RESOURCE_TYPE_PREFIX}{schema.kind}"


def schema_of_type(type_name: object) -> ResourceSchema | None:
    return _schemas_by_type().get(str(type_name))


class RecoveryError(Exception):
    """Recovery cannot go on; the message says why and what to do."""


# --- the state: pending creates --------------------------------------------------------------


@dataclass(frozen=True)
class PendingCreate:
    urn: str
    schema: ResourceSchema
    inputs: dict[str, Any]
    """The user's inputs with secrets in clear (from ``pulumi stack export --show-secrets``)."""

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]


@dataclass(frozen=True)
class OtherPendingOperation:
    """A pending operation this command leaves alone (another provider's, or not a create)."""

    urn: str
    type: str


def reveal_secrets(value: JSON) -> JSON:
    """``value`` with every exported secret envelope replaced by its plaintext value."""
    if isinstance(value, dict):
        if value.get(SECRET_SIGNATURE_KEY) == SECRET_SIGNATURE:
            if "plaintext" not in value:
                raise RecoveryError(
                    "the exported state holds encrypted secrets: `pulumi stack export --show-secrets` must "
                    "be able to decrypt them (set PULUMI_CONFIG_PASSPHRASE or log in to the secrets provider)"
                )
            return reveal_secrets(json.loads(value["plaintext"]))
        return {key: reveal_secrets(item) for key, item in value.items()}
    if isinstance(value, list):
        return [reveal_secrets(item) for item in value]
    return value


def pending_operations(deployment: Mapping[str, JSON]) -> list[Mapping[str, JSON]]:
    operations = deployment.get("pending_operations") or []
    if not isinstance(operations, list):
        raise RecoveryError("the exported state's pending_operations is not a list")
    return operations


def pending_creates(revealed: Mapping[str, JSON]) -> tuple[list[PendingCreate], list[OtherPendingOperation]]:
    """The pending creates of our resources, and every other pending operation."""
    from .resources._base import user_inputs

    ours: list[PendingCreate] = []
    others: list[OtherPendingOperation] = []
    for operation in pending_operations(revealed):
        resource = operation.get("resource") or {}
        urn = str(resource.get("urn", "?"))
        kind = str(operation.get("type", "?"))
        schema = schema_of_type(resource.get("type"))
        if kind != PENDING_CREATE or schema is None:
            others.append(OtherPendingOperation(urn, kind))
            continue
        ours.append(PendingCreate(urn, schema, user_inputs(resource.get("inputs") or {})))
    return ours, others


def ids_in_state(deployment: Mapping[str, JSON]) -> dict[tuple[str, str], str]:
    """``(resource type, id) -> URN`` of every resource the state records."""
    held: dict[tuple[str, str], str] = {}
    for resource in deployment.get("resources") or []:
        if resource.get("id"):
            held[(str(resource.get("type")), str(resource["id"]))] = str(resource.get("urn"))
    return held


# --- matching: which object did a pending create make? ---------------------------------------


class Outcome(Enum):
    IMPORT = "import"
    NOT_CREATED = "not created"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class Ignored:
    """An object that looked like the pending create's at first sight, and why it is not."""

    object_id: str
    reason: str


@dataclass(frozen=True)
class Decision:
    pending: PendingCreate
    workspace: str
    outcome: Outcome
    chosen: Mapping[str, Any] | None = None
    """The served object to record (``IMPORT``)."""
    matching: tuple[str, ...] = ()
    """Every object that matches (``AMBIGUOUS``)."""
    ignored: tuple[Ignored, ...] = ()
    note: str = ""

    @property
    def object_id(self) -> str | None:
        return None if self.chosen is None else str(self.chosen[wire.ID])


def could_be_from(pending: PendingCreate, object_id: str) -> bool:
    """Is ``object_id`` an id the interrupted create could have used?"""
    from .models._common import NAME_PREFIX, RESOURCE_ID
    from .resources._base import is_generated_id

    explicit = pending.inputs.get(RESOURCE_ID)
    if explicit:
        return object_id == str(explicit)
    # Exactly what ``create`` does when it generates the id.
    return is_generated_id(object_id, str(pending.inputs.get(NAME_PREFIX) or ""), pending.schema.kind.lower())


def expected_body(pending: PendingCreate, object_id: str) -> dict[str, Any]:
    """The body the interrupted create sent for ``object_id``."""
    try:
        return pending.schema.to_wire(pending.inputs, object_id)
    except (ValueError, KeyError, TypeError) as exc:
        raise RecoveryError(f"cannot encode the inputs of {pending.urn} to compare them: {exc}") from exc


def why_not_ours(
    pending: PendingCreate,
    served: Mapping[str, Any],
    *,
    held: Mapping[tuple[str, str], str],
    not_before: datetime,
) -> str | None:
    """Why ``served`` cannot be the object the pending create made; ``None`` if it can."""
    from .client import differences

    object_id = str(served.get(wire.ID))
    holder = held.get((resource_type(pending.schema), object_id))
    if holder is not None:
        return f"already in the state as {holder}"
    created_on = served.get(wire.CREATED_ON)
    created = _parse_time(created_on)
    if created is None:
        return f"the API gives no usable {wire.CREATED_ON} ({created_on!r})"
    if created < not_before:
        return f"created {created_on}, before the interrupted update started"
    changed = differences(pending.schema.collection, expected_body(pending, object_id), served)
    if changed:
        return f"differs from the inputs in {', '.join(changed)}"
    return None


def decide(
    pending: PendingCreate,
    workspace: str,
    served_objects: Iterable[Mapping[str, Any]],
    *,
    held: Mapping[tuple[str, str], str],
    not_before: datetime,
) -> Decision:
    """Import the one object the pending create made, drop the create if none, refuse to guess between several.

    ``served_objects``: the objects of the pending create's collection in ``workspace`` (all of them,
    or only the explicit ``resource_id``'s); ``held``: ``ids_in_state``; ``not_before``: when the
    interrupted update started, less the clock tolerance.
    """
    matching: list[Mapping[str, Any]] = []
    ignored: list[Ignored] = []
    for served in served_objects:
        object_id = served.get(wire.ID)
        if not isinstance(object_id, str) or not could_be_from(pending, object_id):
            continue
        reason = why_not_ours(pending, served, held=held, not_before=not_before)
        if reason is None:
            matching.append(served)
        else:
            ignored.append(Ignored(object_id, reason))
    if len(matching) == 1:
        return Decision(pending, workspace, Outcome.IMPORT, chosen=matching[0], ignored=tuple(ignored))
    if not matching:
        return Decision(pending, workspace, Outcome.NOT_CREATED, ignored=tuple(ignored))
    return Decision(
        pending, workspace, Outcome.AMBIGUOUS,
        matching=tuple(sorted(str(m[wire.ID]) for m in matching)), ignored=tuple(ignored),
    )


def without_double_claims(decisions: Sequence[Decision]) -> list[Decision]:
    """An object is what one create made: when it would be recorded for several pending creates, it is for none."""

    def claim(decision: Decision) -> tuple[str, str, str | None]:
        return (decision.pending.schema.collection, decision.workspace, decision.object_id)

    claimants: dict[tuple[str, str, str | None], list[str]] = {}
    for decision in decisions:
        if decision.outcome is Outcome.IMPORT:
            claimants.setdefault(claim(decision), []).append(decision.pending.name)
    checked: list[Decision] = []
    for decision in decisions:
        names = claimants.get(claim(decision), []) if decision.outcome is Outcome.IMPORT else []
        if len(names) > 1:
            others = ", ".join(name for name in names if name != decision.pending.name)
            decision = Decision(
                decision.pending, decision.workspace, Outcome.AMBIGUOUS, matching=(str(decision.object_id),),
                ignored=decision.ignored, note=f"the same object would also be recorded for {others}",
            )
        checked.append(decision)
    return checked


def chosen_by_user(
    pending: PendingCreate,
    workspace: str,
    served: Mapping[str, Any] | None,
    object_id: str,
    *,
    held: Mapping[tuple[str, str], str],
) -> Decision:
    """``--use URN=ID``: the user has looked and picked the object; it must exist and be unclaimed."""
    where = f"{pending.schema.kind} {object_id!r} in workspace {workspace}"
    if served is None:
        raise RecoveryError(f"--use {pending.name}={object_id}: there is no {where}")
    holder = held.get((resource_type(pending.schema), object_id))
    if holder is not None:
        raise RecoveryError(f"--use {pending.name}={object_id}: {where} is already in the state as {holder}")
    return Decision(pending, workspace, Outcome.IMPORT, chosen=served, note="chosen with --use")


def workspace_of(pending: PendingCreate, configured: str | None) -> str:
    """Where the interrupted create went: the resource's argument, else the provider setting."""
    from .client._settings import missing_workspace_error
    from .models._common import WORKSPACE_ID, canonical_workspace_id

    workspace = canonical_workspace_id(pending.inputs.get(WORKSPACE_ID)) or configured
    if workspace is None:
        raise missing_workspace_error()
    return workspace


# --- the state edit ----------------------------------------------------------------------------


def resolved_deployment(deployment: Mapping[str, JSON], decisions: Sequence[Decision]) -> dict[str, JSON]:
    """``deployment`` (as exported, secrets encrypted) with the decided pending creates resolved.

    An imported object becomes a resource under the pending URN, with the outputs its create
    would have returned. If the URN is already in the state, the create was a replacement's:
    the old resource is marked for deletion, as the engine does once a replacement is created.
    A create that never happened is dropped. Everything else stays as it was.
    """
    edited: dict[str, JSON] = copy.deepcopy(dict(deployment))
    decided = {d.pending.urn: d for d in decisions if d.outcome is not Outcome.AMBIGUOUS}
    remaining: list[JSON] = []
    recorded: list[JSON] = []
    for operation in pending_operations(edited):
        resource = operation.get("resource") or {}
        decision = decided.get(str(resource.get("urn")))
        if operation.get("type") != PENDING_CREATE or decision is None:
            remaining.append(operation)
        elif decision.outcome is Outcome.IMPORT:
            recorded.append(_recorded_resource(resource, decision))
    recorded_urns = {resource["urn"] for resource in recorded}
    resources: list[JSON] = edited.setdefault("resources", [])
    for resource in resources:
        if resource.get("urn") in recorded_urns and not resource.get("delete"):
            resource["delete"] = True
    resources.extend(recorded)
    if remaining:
        edited["pending_operations"] = remaining
    else:
        edited.pop("pending_operations", None)
    return edited


def _recorded_resource(pending_resource: Mapping[str, JSON], decision: Decision) -> dict[str, JSON]:
    from .resources._base import PROVIDER_KEY, build_outputs, user_inputs

    assert decision.chosen is not None and decision.object_id is not None
    resource: dict[str, JSON] = copy.deepcopy(dict(pending_resource))
    inputs = resource.get("inputs") or {}
    outputs = build_outputs(
        decision.pending.schema, user_inputs(inputs), decision.chosen, decision.object_id, decision.workspace
    )
    if PROVIDER_KEY in inputs:
        outputs[PROVIDER_KEY] = inputs[PROVIDER_KEY]  # the dynamic provider host reads it back
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    resource.update(id=decision.object_id, outputs=outputs, created=now, modified=now)
    return resource


# --- when did the interrupted update start? ------------------------------------------------------


@dataclass(frozen=True)
class UpdateStart:
    time: datetime
    source: str


@dataclass(frozen=True)
class StackLock:
    """A lock file of a ``file://`` backend: who took it, when."""

    path: Path
    pid: int | None
    hostname: str | None
    time: datetime | None

    def held_by_running_process(self) -> bool:
        return self.hostname == socket.gethostname() and self.pid is not None and _pulumi_running(self.pid)


def read_locks(backend_url: str, project: str, stack: str) -> list[StackLock]:
    """The stack's lock files if the backend is a local directory; ``[]`` otherwise or when unlocked."""
    root = local_backend_root(backend_url)
    if root is None:
        return []
    locks_dir = root / ".pulumi" / "locks"
    paths = sorted(locks_dir.glob(f"*/{project}/{stack}/*.json")) + sorted(locks_dir.glob(f"{stack}/*.json"))
    return [_read_lock(path) for path in paths]


def local_backend_root(backend_url: str) -> Path | None:
    parts = urlsplit(backend_url)
    if parts.scheme != "file":
        return None
    if parts.netloc == "~":
        return Path.home() / unquote(parts.path).lstrip("/")
    return Path(unquote(parts.path))


def _read_lock(path: Path) -> StackLock:
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        content = {}
    if not isinstance(content, dict):
        content = {}
    pid = content.get("pid")
    return StackLock(
        path=path,
        pid=pid if isinstance(pid, int) else None,
        hostname=content.get("hostname") if isinstance(content.get("hostname"), str) else None,
        time=_parse_time(content.get("timestamp")),
    )


def _pulumi_running(pid: int) -> bool:
    """Is ``pid`` a live (not zombie) process, and a Pulumi one where that can be told?"""
    proc = Path("/proc") / str(pid)
    if Path("/proc/self").exists():
        try:
            stat = (proc / "stat").read_text()
            command = (proc / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            return False
        state = stat.rsplit(")", 1)[-1].split()[0]
        return state != "Z" and "pulumi" in command
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def update_start(
    since: datetime | None, locks: Sequence[StackLock], history: Sequence[Mapping[str, JSON]]
) -> UpdateStart | None:
    """When the interrupted update started: ``--since``, else the lock, else an update still in progress."""
    if since is not None:
        return UpdateStart(since, "--since")
    lock_times = [lock.time for lock in locks if lock.time is not None]
    if lock_times:
        return UpdateStart(min(lock_times), "the stack's lock")
    for entry in history:  # newest first
        if entry.get("kind") != "update":
            continue
        started = _parse_time(entry.get("startTime"))
        if entry.get("result") == "in-progress" and started is not None:
            return UpdateStart(started, "the update in progress in the stack's history")
        break
    return None


def _parse_time(value: object) -> datetime | None:
    return rules.parse_timestamp(value) if isinstance(value, str) else None


def _format_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- the Pulumi CLI ------------------------------------------------------------------------------


class PulumiCli:
    """The ``pulumi`` commands recovery needs, run with this process's environment."""

    def __init__(self, stack: str, cwd: Path | None, executable: str | None = None) -> None:
        found = executable or shutil.which("pulumi")
        if found is None:
            raise RecoveryError("`pulumi` is not on PATH: install the Pulumi CLI or add its directory to PATH")
        self.executable = found
        self.stack = stack
        self.cwd = cwd
        self.format_version: JSON = 3
        """The ``version`` of the last export, given back to ``stack import``."""

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [self.executable, *args, "--non-interactive", "--color", "never"]
        try:
            return subprocess.run(command, cwd=self.cwd, capture_output=True, text=True, check=False)
        except OSError as exc:
            raise RecoveryError(f"cannot run {self.executable}: {exc.strerror}") from exc

    def _checked(self, *args: str) -> str:
        done = self._run(*args)
        if done.returncode != 0:
            output = (done.stderr.strip() or done.stdout.strip())[-2000:]
            raise RecoveryError(f"`pulumi {' '.join(args)}` failed (exit {done.returncode}):\n{output}")
        return done.stdout

    def _json(self, *args: str) -> JSON:
        text = self._checked(*args)
        try:
            return json.loads(text)
        except ValueError as exc:
            raise RecoveryError(f"`pulumi {' '.join(args)}` did not print JSON: {exc}") from exc

    def deployment(self, *, show_secrets: bool = False) -> dict[str, JSON]:
        exported = self._json("stack", "export", "--stack", self.stack, *(["--show-secrets"] if show_secrets else []))
        deployment = exported.get("deployment") if isinstance(exported, dict) else None
        if not isinstance(deployment, dict):
            raise RecoveryError(f"`pulumi stack export --stack {self.stack}` printed no deployment")
        self.format_version = exported.get("version", self.format_version)
        return deployment

    def config(self) -> dict[str, JSON]:
        config = self._json("config", "--json", "--show-secrets", "--stack", self.stack)
        return config if isinstance(config, dict) else {}

    def history(self) -> list[Mapping[str, JSON]]:
        entries = self._json("stack", "history", "--json", "--page-size", "10", "--stack", self.stack)
        return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []

    def backend_url(self) -> str:
        who = self._json("whoami", "--json")
        return str(who.get("url", "")) if isinstance(who, dict) else ""

    def cancel(self) -> str | None:
        """Remove the lock; the CLI's complaint if it would not (nothing in progress, usually)."""
        done = self._run("cancel", "--yes", "--stack", self.stack)
        return None if done.returncode == 0 else (done.stderr.strip() or done.stdout.strip())

    def import_deployment(self, deployment: Mapping[str, JSON]) -> None:
        with tempfile.TemporaryDirectory(prefix="mparticle-wsync-recover-") as scratch:
            path = Path(scratch) / "state.json"
            path.write_text(json.dumps({"version": self.format_version, "deployment": deployment}), encoding="utf-8")
            self._checked("stack", "import", "--stack", self.stack, "--file", str(path))

    def refresh(self, urns: Sequence[str]) -> None:
        targets = [arg for urn in urns for arg in ("--target", urn)]
        self._checked("refresh", "--yes", "--skip-preview", "--stack", self.stack, *targets)


# --- the command ---------------------------------------------------------------------------------


@dataclass
class Plan:
    stack: str
    start: UpdateStart | None
    not_before: datetime | None
    decisions: list[Decision] = field(default_factory=list)
    others: list[OtherPendingOperation] = field(default_factory=list)

    @property
    def ambiguous(self) -> list[Decision]:
        return [d for d in self.decisions if d.outcome is Outcome.AMBIGUOUS]

    @property
    def imports(self) -> list[Decision]:
        return [d for d in self.decisions if d.outcome is Outcome.IMPORT]

    @property
    def drops(self) -> list[Decision]:
        return [d for d in self.decisions if d.outcome is Outcome.NOT_CREATED]


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stack", required=True, help="the stack whose `pulumi up` was interrupted")
    parser.add_argument(
        "--cwd", type=Path, help="the Pulumi project directory (default: the current directory)"
    )
    parser.add_argument(
        "--apply",
        action="store_true",
        help="cancel the lock, record the objects found and drop the creates that never happened "
        "(default: only print the plan)",
    )
    parser.add_argument(
        "--since",
        type=_since,
        help="when the interrupted `pulumi up` started, at the latest (ISO 8601 with a zone, e.g. "
        "2026-03-01T09:30:00Z); needed only once the stack is no longer locked",
    )
    parser.add_argument(
        "--use",
        action="append",
        default=[],
        metavar="NAME=ID",
        type=_use,
        help="record the object ID for the pending create of resource NAME (its name or URN), after you "
        "have checked it is the one; repeatable",
    )
    parser.add_argument(
        "--clock-skew",
        type=float,
        default=DEFAULT_CLOCK_SKEW_SECONDS,
        metavar="SECONDS",
        help=f"how far the API's clock may lag this machine's (default {DEFAULT_CLOCK_SKEW_SECONDS:g})",
    )
    parser.allow_abbrev = False
    parser.set_defaults(run=run)


def _since(text: str) -> datetime:
    parsed = _parse_time(text)
    if parsed is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 time with a zone: write e.g. 2026-03-01T09:30:00Z"
        )
    return parsed


def _use(text: str) -> tuple[str, str]:
    name, separator, object_id = text.rpartition("=")
    if not separator or not name or not object_id:
        raise argparse.ArgumentTypeError(f"{text!r}: write NAME=ID, e.g. --use users-hourly=users-hourly-1a2b3c4d")
    return name, object_id


def run(args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from .client import WarehouseSyncError

    out = out or sys.stdout
    err = err or sys.stderr
    try:
        return _recover(args, out)
    except (RecoveryError, WarehouseSyncError) as exc:
        print(f"recover: {exc}", file=err)
        return EXIT_ERROR


def _recover(args: argparse.Namespace, out: TextIO) -> int:
    if args.cwd is not None and not args.cwd.is_dir():
        raise RecoveryError(f"--cwd {str(args.cwd)!r} is not a directory")
    if args.clock_skew < 0:
        raise RecoveryError(f"--clock-skew must be >= 0 seconds (got {args.clock_skew:g})")
    cli = PulumiCli(args.stack, args.cwd)
    deployment = cli.deployment()
    project = _project_of(deployment)
    locks = [] if project is None else read_locks(cli.backend_url(), project, args.stack.rsplit("/", 1)[-1])
    running = [lock for lock in locks if lock.held_by_running_process()]
    if running:
        print(
            f"An update of stack {args.stack!r} is still running (pid {running[0].pid}, lock {running[0].path}): "
            "let it finish, or stop it, then run this command again. Nothing was changed.",
            file=out,
        )
        return EXIT_NEEDS_HUMAN

    has_ours = any(op.get("type") == PENDING_CREATE and schema_of_type((op.get("resource") or {}).get("type"))
                   for op in pending_operations(deployment))
    if not has_ours:
        print(f"Stack {args.stack!r} has no interrupted create of an mParticle resource.", file=out)
        return _unlock_only(cli, args, locks, out)

    ours, others = pending_creates(reveal_secrets(cli.deployment(show_secrets=True)))
    dated_otherwise = args.since is not None or any(lock.time is not None for lock in locks)
    start = update_start(args.since, locks, [] if dated_otherwise else cli.history())
    if start is None:
        print(_unknown_start_message(args.stack, ours), file=out)
        return EXIT_NEEDS_HUMAN
    not_before = start.time - timedelta(seconds=args.clock_skew)
    plan = Plan(args.stack, start, not_before, others=others)
    plan.decisions = _decide_all(ours, deployment, cli.config(), not_before, dict(args.use))
    print(format_plan(plan), file=out)
    if plan.ambiguous:
        print(
            "\nNothing was changed. Delete the objects that are not this stack's (they may belong to another "
            "stack using the same resource names in this workspace), or pick one with --use NAME=ID, then run "
            "this command again.",
            file=out,
        )
        return EXIT_NEEDS_HUMAN
    if not args.apply:
        print(f"\nTo apply this plan: {_apply_command(args)}", file=out)
        return EXIT_OK
    _apply(cli, plan, deployment, out)
    return EXIT_OK


def _unlock_only(cli: PulumiCli, args: argparse.Namespace, locks: Sequence[StackLock], out: TextIO) -> int:
    if not args.apply:
        if locks:
            print(f"It is locked by an interrupted update: `pulumi cancel --yes --stack {args.stack}` unlocks it.",
                  file=out)
        return EXIT_OK
    complaint = cli.cancel()
    print("The stack is unlocked (pulumi cancel)." if complaint is None else f"pulumi cancel: {complaint}", file=out)
    return EXIT_OK


def _project_of(deployment: Mapping[str, JSON]) -> str | None:
    """The project name, from any URN (``urn:pulumi:<stack>::<project>::...``); ``None`` for an empty state."""
    for resource in [*(deployment.get("resources") or []),
                     *(op.get("resource") or {} for op in pending_operations(deployment))]:
        parts = str(resource.get("urn", "")).split("::")
        if len(parts) > 2:
            return parts[1]
    return None


def _decide_all(
    ours: Sequence[PendingCreate],
    deployment: Mapping[str, JSON],
    config: Mapping[str, JSON],
    not_before: datetime,
    chosen: Mapping[str, str],
) -> list[Decision]:
    from .client import WarehouseSyncClient, load_settings
    from .models._common import RESOURCE_ID

    def lookup(key: str) -> str | None:
        entry = config.get(key)
        value = entry.get("value") if isinstance(entry, dict) else None
        return None if value is None else str(value)

    chosen_by_urn = _resolve_choices(ours, chosen)
    held = ids_in_state(deployment)
    settings = load_settings(lookup)
    decisions: list[Decision] = []
    with WarehouseSyncClient(settings) as client:
        listings: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for pending in ours:
            workspace = workspace_of(pending, settings.workspace_id)
            collection = pending.schema.collection
            object_id = chosen_by_urn.get(pending.urn)
            if object_id is not None:
                served = client.get(collection, object_id, workspace_id=workspace)
                decisions.append(chosen_by_user(pending, workspace, served, object_id, held=held))
                continue
            explicit = pending.inputs.get(RESOURCE_ID)
            if explicit:
                found = client.get(collection, str(explicit), workspace_id=workspace)
                objects = [] if found is None else [found]
            else:
                key = (workspace, collection)
                if key not in listings:
                    listings[key] = client.list(collection, workspace_id=workspace)
                objects = listings[key]
            decisions.append(decide(pending, workspace, objects, held=held, not_before=not_before))
    return without_double_claims(decisions)


def _resolve_choices(ours: Sequence[PendingCreate], chosen: Mapping[str, str]) -> dict[str, str]:
    """``--use`` names (a resource name or URN) -> pending URNs."""
    resolved: dict[str, str] = {}
    for name, object_id in chosen.items():
        named = [p for p in ours if name in (p.urn, p.name)]
        if len(named) != 1:
            listed = ", ".join(p.name for p in ours) or "none"
            problem = "names no" if not named else "names more than one"
            raise RecoveryError(
                f"--use {name}={object_id}: {name!r} {problem} interrupted create (the interrupted creates: "
                f"{listed}; give the full URN if a name repeats)"
            )
        resolved[named[0].urn] = object_id
    return resolved


def _apply(cli: PulumiCli, plan: Plan, deployment: Mapping[str, JSON], out: TextIO) -> None:
    complaint = cli.cancel()
    if complaint is not None:
        print(f"pulumi cancel: {complaint} (going on: the stack is probably not locked)", file=out)
    current = cli.deployment()
    if _pending_urns(current) != _pending_urns(deployment):
        raise RecoveryError("the stack's pending operations changed while recovering: run this command again")
    cli.import_deployment(resolved_deployment(current, plan.decisions))
    recorded = [d.pending.urn for d in plan.imports]
    if recorded:
        try:
            cli.refresh(recorded)
        except RecoveryError as exc:
            targets = " ".join(f"--target {urn}" for urn in recorded)
            raise RecoveryError(
                f"the objects are recorded in the state, but reading their outputs failed: {exc}\nFix the cause, "
                f"then run `pulumi refresh --stack {plan.stack} {targets}` and `pulumi up`."
            ) from exc
    print(
        f"\nRecovered stack {plan.stack!r}: {len(plan.imports)} object(s) recorded, "
        f"{len(plan.drops)} pending create(s) dropped. Run `pulumi up` to finish the update.",
        file=out,
    )


def _pending_urns(deployment: Mapping[str, JSON]) -> set[tuple[str, str]]:
    return {(str(op.get("type")), str((op.get("resource") or {}).get("urn"))) for op in pending_operations(deployment)}


def _apply_command(args: argparse.Namespace) -> str:
    words = ["mparticle-wsync", "recover", "--stack", args.stack]
    if args.cwd is not None:
        words += ["--cwd", str(args.cwd)]
    if args.since is not None:
        words += ["--since", _format_time(args.since)]
    for name, object_id in args.use:
        words += ["--use", f"{name}={object_id}"]
    if args.clock_skew != DEFAULT_CLOCK_SKEW_SECONDS:
        words += ["--clock-skew", f"{args.clock_skew:g}"]
    return " ".join(_shell_quote(word) for word in [*words, "--apply"])


def _shell_quote(word: str) -> str:
    return word if re.fullmatch(r"[A-Za-z0-9_./:=@+-]+", word) else "'" + word.replace("'", "'\\''") + "'"


def _unknown_start_message(stack: str, ours: Sequence[PendingCreate]) -> str:
    return (
        f"Stack {stack!r} has {len(ours)} interrupted create(s), but when the interrupted update started is "
        "unknown: the stack is no longer locked (was `pulumi cancel` run?) and its history shows no update in "
        "progress. Objects created before that update must not be taken for its own, so pass --since with a "
        "time at or before the start of the interrupted `pulumi up` (from the CI log or your terminal), e.g. "
        "--since 2026-03-01T09:30:00Z. Nothing was changed."
    )


def format_plan(plan: Plan) -> str:
    lines: list[str] = []
    if plan.start is not None and plan.not_before is not None:
        lines.append(
            f"Stack {plan.stack!r}: {len(plan.decisions)} interrupted create(s). The update started "
            f"{_format_time(plan.start.time)} (from {plan.start.source}); objects created from "
            f"{_format_time(plan.not_before)} on are considered."
        )
    for decision in plan.decisions:
        lines.append(f"  {decision.pending.urn}")
        lines.append(f"    -> {_describe(decision)}")
        lines.extend(f"       ignored {i.object_id}: {i.reason}" for i in decision.ignored)
    for other in plan.others:
        lines.append(f"  {other.urn}: pending {other.type}, left as it is (not an mParticle create)")
    return "\n".join(lines)


def _describe(decision: Decision) -> str:
    where = f"{decision.pending.schema.kind} in workspace {decision.workspace}"
    if decision.outcome is Outcome.IMPORT:
        note = f", {decision.note}" if decision.note else ""
        return f"{decision.object_id} ({where}{note}): record it in the state"
    if decision.outcome is Outcome.NOT_CREATED:
        return f"not created ({where}): drop the pending create; `pulumi up` creates it"
    matches = "all match" if len(decision.matching) > 1 else "matches"
    note = f"; {decision.note}" if decision.note else ""
    return f"ambiguous ({where}): {', '.join(decision.matching)} {matches}{note}"

