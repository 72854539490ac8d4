"""The four sub-commands of ``runs``: each takes a ``Context`` and returns the exit status."""

from __future__ import annotations

import argparse
import json
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, TextIO

from .. import schema, wire
from ..command_settings import CommandError, settings_options
from ..schema.pipeline import SCHEDULE_TYPES
from ._follow import Clock, Target, follow
from ._output import format_details, format_table, format_time, progress_line, run_json

if TYPE_CHECKING:
    from ..client import Run, WarehouseSyncClient

EXIT_OK: Final = 0
EXIT_RUN_FAILED: Final = 1
"""The run failed (or ended otherwise than in success), a wait ran out, or a trigger was refused: busy."""
EXIT_ERROR: Final = 2

ON_DEMAND: Final = "on_demand"
# The schema's declaration (what ``models.PIPELINE.schema`` holds), without loading pydantic and the Pulumi SDK.
SCHEDULE_TYPE_WIRE_PATH: Final = schema.PIPELINE.wire_path("schedule.type")
MAX_TRIGGER_ATTEMPTS: Final = 3
"""Triggers refused because a run had just started, each then waited for (``--wait``), before giving up."""


@dataclass(frozen=True)
class Context:
    client: WarehouseSyncClient
    target: Target
    args: argparse.Namespace
    out: TextIO
    err: TextIO
    clock: Clock

    def fail(self, message: str) -> None:
        print(f"runs: {message}", file=self.err)

    def command(self, subcommand: str, run_id: int | None = None) -> str:
        """A ``runs`` command line for this pipeline, with the settings options of this one."""
        words = ["mparticle-wsync", "runs", subcommand, self.target.pipeline_id]
        words += [] if run_id is None else [str(run_id)]
        return shlex.join([*words, *settings_options(self.args)])

    def print_json(self, value: Any) -> None:
        json.dump(value, self.out, indent=2)
        self.out.write("\n")


# --- list ------------------------------------------------------------------------------------------


def list_runs(ctx: Context) -> int:
    from ..client import StatusNotReadyError

    since = ctx.args.since
    try:
        runs = list(ctx.client.iter_runs(ctx.target.pipeline_id, workspace_id=ctx.target.workspace, since=since))
    except StatusNotReadyError:
        runs = []  # a pipeline created a moment ago: it has run nothing yet
    runs.sort(key=lambda run: run.run_id, reverse=True)
    if ctx.args.json:
        ctx.print_json([run_json(run) for run in runs])
    elif not runs:
        when = "" if since is None else f" since {format_time(since.isoformat())}"
        print(f"No runs of {ctx.target.describe()}{when}.", file=ctx.out)
    else:
        ctx.out.write(format_table(runs))
    return EXIT_OK


# --- show ------------------------------------------------------------------------------------------


def show_run(ctx: Context) -> int:
    run = ctx.client.get_run(ctx.target.pipeline_id, ctx.args.run_id, workspace_id=ctx.target.workspace)
    if ctx.args.json:
        ctx.print_json(run_json(run))
    else:
        ctx.out.write(format_details(run))
    return EXIT_OK


# --- watch -----------------------------------------------------------------------------------------


def watch_run(ctx: Context) -> int:
    if ctx.args.run_id is not None:
        run = ctx.client.get_run(ctx.target.pipeline_id, ctx.args.run_id, workspace_id=ctx.target.workspace)
    else:
        latest = _latest_run(ctx)
        if latest is None:
            print(f"{_capitalised(ctx.target.describe())} has no runs yet: nothing to watch.", file=ctx.out)
            return EXIT_OK
        if not latest.active:
            print(f"No run of {ctx.target.describe()} is going; its latest run is run {latest.run_id}:", file=ctx.out)
            print(progress_line(latest, ctx.clock.now()), file=ctx.out)
            return outcome(ctx, latest, timed_out=False)
        run = latest
    ended, _ = follow(ctx.client, ctx.target, run, ctx.clock, ctx.out)
    return outcome(ctx, ended, timed_out=False)


# --- trigger ---------------------------------------------------------------------------------------


def trigger_run(ctx: Context) -> int:
    from ..client import RunInProgressError

    _require_on_demand(ctx)
    wait: bool = ctx.args.wait
    lines = None if ctx.args.json else ctx.out
    deadline = ctx.clock.monotonic() + ctx.args.timeout_minutes * 60 if wait else None
    for _attempt in range(MAX_TRIGGER_ATTEMPTS):
        busy = _active_run(ctx)
        if busy is not None:
            if not wait:
                return _refuse_busy(ctx, busy)
            if lines is not None:
                print(f"{_capitalised(ctx.target.describe())} is busy with run {busy.run_id}: waiting for it to end "
                      "before triggering.", file=lines)
            ended, timed_out = follow(ctx.client, ctx.target, busy, ctx.clock, lines, deadline=deadline)
            if timed_out:
                ctx.fail(f"{ctx.target.describe()} was still busy with run {ended.run_id} ({ended.state}) when "
                         f"--timeout-minutes {ctx.args.timeout_minutes:g} ran out, so no run was triggered")
                return EXIT_RUN_FAILED
        try:
            answer = ctx.client.trigger(ctx.target.pipeline_id, workspace_id=ctx.target.workspace)
        except RunInProgressError:
            if not wait:
                return _refuse_busy(ctx, None)
            continue  # a run started between the look and the trigger: wait for it, then trigger again
        run = _started_run(ctx, answer.run_id)
        if not wait:
            if ctx.args.json:
                ctx.print_json(run_json(run))
            else:
                print(run.run_id, file=ctx.out)
            return EXIT_OK
        ended, timed_out = follow(ctx.client, ctx.target, run, ctx.clock, lines, deadline=deadline)
        if ctx.args.json:
            ctx.print_json(run_json(ended))
        return outcome(ctx, ended, timed_out=timed_out)
    ctx.fail(f"{ctx.target.describe()} was busy each of the {MAX_TRIGGER_ATTEMPTS} times a run ended and this "
             "command triggered (its schedule or someone else keeps starting runs); no run was triggered")
    return EXIT_RUN_FAILED


def _require_on_demand(ctx: Context) -> None:
    from ..schema import value_at

    served = ctx.client.get(wire.PIPELINES, ctx.target.pipeline_id, workspace_id=ctx.target.workspace)
    if served is None:
        raise CommandError(missing_pipeline(ctx.target))
    schedule_type = SCHEDULE_TYPES.from_wire(value_at(served, SCHEDULE_TYPE_WIRE_PATH))
    if schedule_type != ON_DEMAND:
        raise CommandError(
            f"{ctx.target.describe()} has schedule type {schedule_type!r}: only on-demand pipelines (schedule "
            f"type {ON_DEMAND!r}) can be triggered; a pipeline with a schedule runs by itself"
        )


def _refuse_busy(ctx: Context, busy: Run | None) -> int:
    which = "a run" if busy is None else f"run {busy.run_id} ({busy.state})"
    run_id = None if busy is None else busy.run_id
    ctx.fail(
        f"{ctx.target.describe()} is busy with {which}, so no run was triggered (mParticle runs one at a time). "
        f"Follow it with `{ctx.command('watch', run_id)}`, or pass --wait to wait for it to end and then trigger"
    )
    return EXIT_RUN_FAILED


def _latest_run(ctx: Context) -> Run | None:
    from ..client import StatusNotReadyError

    try:
        return ctx.client.pipeline_status(ctx.target.pipeline_id, workspace_id=ctx.target.workspace).latest_run
    except StatusNotReadyError:
        return None  # a pipeline created a moment ago: it has run nothing yet


def _active_run(ctx: Context) -> Run | None:
    latest = _latest_run(ctx)
    return latest if latest is not None and latest.active else None


def _started_run(ctx: Context, run_id: int | None) -> Run:
    """The run a trigger started, as served now (the trigger's answer carries only its id)."""
    from ..client import NotFoundError, Run

    if run_id is None:
        latest = _latest_run(ctx)
        if latest is None:
            raise CommandError(
                f"{ctx.target.describe()} accepted the trigger but named no run, and its status shows none: see "
                f"`{ctx.command('list')}` before triggering again"
            )
        return latest
    try:
        return ctx.client.get_run(ctx.target.pipeline_id, run_id, workspace_id=ctx.target.workspace)
    except NotFoundError:
        return Run(run_id=run_id, pipeline_id=ctx.target.pipeline_id, state=wire.RUN_TRIGGERED)


# --- endings ---------------------------------------------------------------------------------------


def outcome(ctx: Context, run: Run, *, timed_out: bool) -> int:
    """The exit status for a run that ended (or was still going when time ran out), saying why if not 0."""
    what = f"run {run.run_id} of {ctx.target.describe()}"
    if timed_out:
        ctx.fail(f"{what} is still {run.state} after --timeout-minutes {ctx.args.timeout_minutes:g}; follow it "
                 f"with `{ctx.command('watch', run.run_id)}`")
        return EXIT_RUN_FAILED
    if run.succeeded:
        return EXIT_OK
    if run.failed:
        ctx.fail(f"{what} failed: {'; '.join(run.errors) or 'the API gave no error message'}")
    else:
        ctx.fail(f"{what} ended {run.state!r}, not in success")
    return EXIT_RUN_FAILED


def missing_pipeline(target: Target) -> str:
    return f"there is no {target.describe()}: check the pipeline id and the workspace (--workspace)"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
