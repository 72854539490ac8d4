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
pending creates resolved, then ``pulumi refresh --run-program --target`` of the recorded resources so
that their outputs come from the provider's own read, with the stack's current ``mparticle:*``
settings (the ones used to find the objects; a plain refresh would use those of the last ``up``).
``pulumi refresh --import-pending-creates URN ID`` looks like the one-step way, but Pulumi v3.274.1
drops the pending creates it names without recording them (the engine never reads the "importing"
operations that flag produces), so the state is edited through export and import instead.

Every ``pulumi`` command runs with this process's environment (backend URL, passphrase,
``PULUMI_HOME``) and the ``pulumi`` found on ``PATH``, in the project directory (``--cwd``): the
refresh runs the program.

Exit status: 0 recovered (or nothing to recover), 1 a human must decide (objects that match
ambiguously, an unknown update start, an update still running), 2 an error.

Layers: ``_state`` reads Pulumi's export format, ``_start`` dates the interrupted update,
``_matching`` decides per pending create, ``_plan`` gathers the decisions from the API and prints
them, ``_edit`` writes them into the state, ``_pulumi`` runs the CLI; this module is the command.
The models, the client and the provider are imported where used, so that building the
``mparticle-wsync`` parser stays fast for every command.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final, TextIO

from ._edit import resolved_deployment
from ._plan import Plan, decide_all, format_plan
from ._pulumi import PulumiCli
from ._start import StackLock, format_time, parse_time, read_locks, update_start
from ._state import (
    JSON,
    PendingCreate,
    RecoveryError,
    pending_creates,
    pending_operations,
    project_of,
    reveal_secrets,
)

EXIT_OK: Final = 0
EXIT_NEEDS_HUMAN: Final = 1
EXIT_ERROR: Final = 2

DEFAULT_CLOCK_SKEW_SECONDS: Final = 60.0
"""How far the API's clock may be behind this machine's (the lock's time is local, ``created_on`` the server's)."""


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
    parsed = parse_time(text)
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
    from ..client import WarehouseSyncError

    out = out or sys.stdout
    err = err or sys.stderr
    try:
        return _recover(args, out)
    except RecoveryError as exc:
        print(f"recover: {exc}", file=err)
        return EXIT_ERROR
    except WarehouseSyncError as exc:
        # The settings are the stack's config, as for the provider: the same advice on setting them.
        from ..resources.errors import with_pulumi_advice

        print(f"recover: {with_pulumi_advice(str(exc))}", file=err)
        return EXIT_ERROR


def _recover(args: argparse.Namespace, out: TextIO) -> int:
    if args.cwd is not None and not args.cwd.is_dir():
        raise RecoveryError(f"--cwd {str(args.cwd)!r} is not a directory")
    if args.clock_skew < 0:
        raise RecoveryError(f"--clock-skew must be >= 0 seconds (got {args.clock_skew:g})")
    cli = PulumiCli(args.stack, args.cwd)
    deployment = cli.deployment()
    project = project_of(deployment)
    locks = [] if project is None else read_locks(cli.backend_url(), project, args.stack.rsplit("/", 1)[-1])
    running = [lock for lock in locks if lock.held_by_running_process()]
    if running:
        print(
            f"An update of stack {args.stack!r} is still running (pid {running[0].pid}, lock {running[0].path}): "
            "let it finish, or stop it, then run this command again. Nothing was changed.",
            file=out,
        )
        return EXIT_NEEDS_HUMAN

    if not pending_creates(deployment)[0]:
        print(f"Stack {args.stack!r} has no interrupted create of an mParticle resource.", file=out)
        return _unlock_only(cli, args, locks, out)

    ours, others = pending_creates(reveal_secrets(cli.deployment(show_secrets=True)))
    start = update_start(args.since, locks, cli.history)
    if start is None:
        print(_unknown_start_message(args.stack, ours), file=out)
        return EXIT_NEEDS_HUMAN
    not_before = start.time - timedelta(seconds=args.clock_skew)
    plan = Plan(args.stack, start, not_before, others=others)
    plan.decisions = decide_all(ours, deployment, cli.config(), not_before, dict(args.use))
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
                f"then run `pulumi refresh --run-program --stack {plan.stack} {targets}` and `pulumi up`."
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
        words += ["--since", format_time(args.since)]
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
