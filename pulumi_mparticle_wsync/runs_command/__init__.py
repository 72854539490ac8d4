"""``mparticle-wsync runs``: list, trigger, show and watch the runs of a pipeline (spec §7).

    mparticle-wsync runs list PIPELINE_ID [--since DATE] [--json]
    mparticle-wsync runs trigger PIPELINE_ID [--wait] [--timeout-minutes N] [--json]
    mparticle-wsync runs show PIPELINE_ID RUN_ID [--json]
    mparticle-wsync runs watch PIPELINE_ID [RUN_ID]

Each takes ``--stack NAME`` (with ``--cwd DIR``) to read the settings from a Pulumi stack's config,
and ``--workspace ID``; otherwise the settings are the provider's ``MPARTICLE_*`` variables.

Exit status: 0 done (the run succeeded, for ``watch`` and ``trigger --wait``); 1 the run failed or
ended otherwise, ``--timeout-minutes`` ran out, or a trigger was refused because a run is going;
2 a usage, settings or API error; 130 interrupted. docs/runs.md documents the output and the JSON.

Layers: ``command_settings`` (shared with ``export``) finds the settings, ``_follow`` polls a run,
``_output`` prints, ``_commands`` is each sub-command. The client is imported where used, so that
building the parser stays fast.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Final, TextIO

from .. import rules, wire
from ..command_settings import CommandError, advised, resolve_settings
from ._commands import EXIT_ERROR, EXIT_OK, EXIT_RUN_FAILED, Context, list_runs, show_run, trigger_run, watch_run
from ._follow import Clock, Target

__all__ = ["EXIT_ERROR", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_RUN_FAILED", "Clock", "configure_parser", "run"]

EXIT_INTERRUPTED: Final = 130
DEFAULT_TIMEOUT_MINUTES: Final = 60.0
_DATE_RE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def configure_parser(parser: argparse.ArgumentParser) -> None:
    settings = argparse.ArgumentParser(add_help=False)
    group = settings.add_argument_group("settings (default: the MPARTICLE_* environment variables)")
    group.add_argument("--stack", metavar="NAME", help="read the mparticle:* settings from this Pulumi stack's config")
    group.add_argument("--cwd", type=Path, metavar="DIR", help="the stack's project directory (default: here)")
    group.add_argument("--workspace", metavar="ID", help="the workspace (default: mparticle:workspaceId)")
    pipeline = argparse.ArgumentParser(add_help=False)
    pipeline.add_argument("pipeline_id", metavar="PIPELINE_ID", type=_pipeline_id, help="the pipeline's id")

    commands = parser.add_subparsers(dest="runs_command", required=True, metavar="SUBCOMMAND")
    parents = [pipeline, settings]

    listing = _add(commands, "list", "list a pipeline's runs, newest first", parents)
    listing.add_argument("--since", type=since_argument, metavar="DATE",
                         help="only runs whose logical date is at or after DATE (2026-03-01, midnight UTC, "
                              "or an ISO 8601 time with a zone)")
    listing.add_argument("--json", action="store_true", help="print a JSON array of runs")
    listing.set_defaults(action=list_runs)

    trigger = _add(commands, "trigger", "start a run of an on-demand pipeline and print its id", parents)
    trigger.add_argument("--wait", action="store_true",
                         help="follow the run until it ends (a run already going is waited for first)")
    trigger.add_argument("--timeout-minutes", type=_minutes, metavar="N",
                         help=f"with --wait: give up after N minutes (default {DEFAULT_TIMEOUT_MINUTES:g})")
    trigger.add_argument("--json", action="store_true", help="print the run as JSON (the run as it ended, with --wait)")
    trigger.set_defaults(action=trigger_run)

    show = _add(commands, "show", "print one run", parents)
    show.add_argument("run_id", metavar="RUN_ID", type=_run_id, help="the run's id")
    show.add_argument("--json", action="store_true", help="print the run as JSON")
    show.set_defaults(action=show_run)

    watch = _add(commands, "watch", "follow a run until it ends, a line per change", parents)
    watch.add_argument("run_id", metavar="RUN_ID", type=_run_id, nargs="?",
                       help="the run to follow (default: the pipeline's latest run)")
    watch.set_defaults(action=watch_run)

    parser.allow_abbrev = False
    parser.set_defaults(run=run)


def _add(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    parents: list[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    added = commands.add_parser(name, help=summary, description=summary[:1].upper() + summary[1:] + ".",
                                parents=parents, allow_abbrev=False)
    return added


def since_argument(text: str) -> datetime:
    """``2026-03-01`` (midnight UTC) or an ISO 8601 time with a zone."""
    if _DATE_RE.match(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a date") from None
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    parsed = rules.parse_timestamp(text)
    if parsed is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is neither a date (2026-03-01, taken as midnight UTC) nor an ISO 8601 time with a zone "
            "(2026-03-01T09:30:00Z)"
        )
    return parsed


def _pipeline_id(text: str) -> str:
    if rules.id_problem(text) is not None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a pipeline id (1-64 letters, digits, - and _)")
    return text


def _run_id(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a run id (a whole number)")
    return int(text)


def _minutes(text: str) -> float:
    try:
        minutes = float(text)
    except ValueError:
        minutes = 0.0
    if not 0 < minutes < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of minutes above 0")
    return minutes


def run(
    args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None, clock: Clock | None = None
) -> int:
    from ..client import NotFoundError, StatusNotReadyError, WarehouseSyncClient, WarehouseSyncError

    out = out or sys.stdout
    err = err or sys.stderr
    if getattr(args, "timeout_minutes", None) is not None and not args.wait:
        print("runs: --timeout-minutes needs --wait", file=err)
        return EXIT_ERROR
    if getattr(args, "wait", False) and args.timeout_minutes is None:
        args.timeout_minutes = DEFAULT_TIMEOUT_MINUTES
    try:
        settings = resolve_settings(args)
        assert settings.workspace_id is not None  # resolve_settings requires one
        target = Target(settings.workspace_id, args.pipeline_id)
        with WarehouseSyncClient(settings) as client:
            ctx = Context(client, target, args, out, err, clock or Clock())
            try:
                status: int = args.action(ctx)
            except NotFoundError as error:
                if isinstance(error, StatusNotReadyError):
                    raise
                raise CommandError(_not_found(ctx, error)) from None
            return status
    except CommandError as error:
        print(f"runs: {error}", file=err)
        return EXIT_ERROR
    except WarehouseSyncError as error:
        print(f"runs: {advised(str(error), args)}", file=err)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("runs: interrupted", file=err)
        return EXIT_INTERRUPTED


def _not_found(ctx: Context, error: Exception) -> str:
    """What a 404 means here: no such pipeline, no such run, or (when neither can be told) the error itself."""
    from ..client import WarehouseSyncError
    from ._commands import missing_pipeline

    try:
        pipeline = ctx.client.get(wire.PIPELINES, ctx.target.pipeline_id, workspace_id=ctx.target.workspace)
    except WarehouseSyncError:
        return advised(str(error), ctx.args)
    if pipeline is None:
        return missing_pipeline(ctx.target)
    run_id = getattr(ctx.args, "run_id", None)
    if run_id is not None:
        return f"{ctx.target.describe()} has no run {run_id}: `{ctx.command('list')}` lists its runs"
    return advised(str(error), ctx.args)
