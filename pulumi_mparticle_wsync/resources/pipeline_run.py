"""``PipelineRun``: one on-demand run of a pipeline, started by ``pulumi up``.

Create triggers a run (never two for one create: the client takes a run its lost answer started
as its own) and, with ``wait``, polls until the run ends. What the stack records:

- a run that ended, or one left running (``wait=False``): its outputs;
- a run ``wait`` gave up on (``timeout_minutes``): recorded with ``wait_timed_out``, so that the
  next ``pulumi up`` waits for that same run again (an update) instead of starting another;
- a failed run: recorded as failed, so that the next ``pulumi up`` starts a new one (a replacement).

In the last two cases ``pulumi up`` must still fail. A dynamic provider cannot record a resource
and fail its step, so the provider records it and the resource class fails the program once the
outputs arrive (``_fail_unfinished``): the update ends in error with the run's id and errors,
and the state keeps the run.

The pipeline must be on demand. A pipeline the stack declares is known at preview (``check``, from
``STACK_OBJECTS``); any other is checked by ``create`` before it triggers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, TypeVar

import pulumi
import pulumi.dynamic
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from .. import rules, wire
from ..models import PIPELINE, account_problems, canonical_workspace_id, contains_unknown, is_unknown, same_value
from ..schema import value_at
from ..schema._declare import secret_paths
from ..schema.pipeline import SCHEDULE_TYPES
from ..schema.pipeline_run import DEFAULT_TIMEOUT_MINUTES, MAX_TIMEOUT_MINUTES, PIPELINE_RUN
from ..state_layout import (
    ACCOUNT,
    INPUT_KEYS,
    PULUMI_NAME,
    RESOURCE_MODULE,
    SECRET_VERSIONS,
    WORKSPACE_ID,
    user_inputs,
    written_input_keys,
)
from . import _runtime
from ._accounts import (
    AccountValues,
    account_changed,
    account_in,
    account_key,
    account_workspace,
    moved_account,
    of_account,
)
from ._props import account_input, read_options, read_props
from ._review import secret_versions
from ._stack_objects import STACK_OBJECTS
from .account import Account
from .errors import (
    InvalidArgumentsError,
    ObjectNotFoundError,
    OperationError,
    short_traceback,
    with_pulumi_advice,
    with_pulumi_advice_error,
)

if TYPE_CHECKING:
    from ..client import Run, WarehouseSyncClient

ON_DEMAND: Final = "on_demand"
SCHEDULE_TYPE_WIRE_PATH: Final = PIPELINE.schema.wire_path("schedule.type")

# Polling while waiting: the first look soon (an emulator run takes seconds), then less often.
FIRST_POLL_SECONDS: Final = 1.0
POLL_GROWTH: Final = 1.5
_SECRET_PATHS: Final = tuple(secret_paths(PIPELINE_RUN.fields))
"""The run's secret arguments (its account's client secret), counted in ``secret_versions``."""
MAX_POLL_SECONDS: Final = 15.0
# A trigger refused because a run started just before it (a scheduled one): how often to wait and retry.
MAX_TRIGGER_ATTEMPTS: Final = 3

PIPELINE_ID: Final = "pipeline_id"
TRIGGERS: Final = "triggers"
WAIT: Final = "wait"
TIMEOUT_MINUTES: Final = "timeout_minutes"
RUN_ID: Final = "run_id"
STATE: Final = "state"
WAIT_TIMED_OUT: Final = "wait_timed_out"

T = TypeVar("T")
Sleep = Callable[[float], None]
Clock = Callable[[], float]


@dataclass(frozen=True)
class RunTarget:
    """The run a resource is about: where (the workspace, and the resource's own account if any), which pipeline."""

    workspace: str
    pipeline_id: str
    account: AccountValues | None = None

    def describe(self) -> str:
        return f"pipeline {self.pipeline_id!r} in workspace {self.workspace}{of_account(self.account)}"


def _problems(inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The arguments' problems, offline (unknown values pass): ``(argument, reason)`` pairs."""
    problems: list[tuple[str, str]] = []
    pipeline_id = inputs.get(PIPELINE_ID)
    if pipeline_id is None:
        problems.append((PIPELINE_ID, "is required: pass the id of an on-demand Pipeline (pipeline.id)"))
    elif not is_unknown(pipeline_id) and (
        not isinstance(pipeline_id, str) or rules.id_problem(pipeline_id) is not None
    ):
        problems.append((PIPELINE_ID, "must be a pipeline id (1-64 letters, digits, - and _): pass pipeline.id"))
    triggers = inputs.get(TRIGGERS)
    if triggers is not None and not is_unknown(triggers) and not isinstance(triggers, list):
        problems.append((TRIGGERS, "must be a list of values, e.g. [model.sql_query, \"2026-12-01\"]"))
    wait = inputs.get(WAIT)
    if wait is not None and not is_unknown(wait) and not isinstance(wait, bool):
        problems.append((WAIT, "must be True or False"))
    timeout = inputs.get(TIMEOUT_MINUTES)
    if timeout is not None and not is_unknown(timeout) and (
        isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= MAX_TIMEOUT_MINUTES
    ):
        problems.append((TIMEOUT_MINUTES, f"must be a number of minutes above 0 and at most {MAX_TIMEOUT_MINUTES}"))
    workspace = inputs.get(WORKSPACE_ID)
    if workspace is not None and not is_unknown(workspace) and canonical_workspace_id(workspace) is None:
        problems.append((WORKSPACE_ID, "must be the numeric workspace id"))
    problems += [(ACCOUNT, f"{problem.path}: {problem.reason}") for problem in account_problems(inputs.get(ACCOUNT))]
    return problems


def run_outputs(run: Run, inputs: Mapping[str, Any], workspace: str, *, timed_out: bool) -> dict[str, Any]:
    outputs: dict[str, Any] = dict(inputs)
    outputs.update({
        RUN_ID: run.run_id,
        STATE: run.state,
        "pipeline_run_type": run.run_type,
        "start_date": run.start_date,
        "end_date": run.end_date,
        "data_interval_start": run.data_interval_start,
        "data_interval_end": run.data_interval_end,
        "records_extracted": run.records_extracted,
        "records_mapped": run.records_mapped,
        "event_batches_generated": run.event_batches_generated,
        "errors": list(run.errors),
        WAIT_TIMED_OUT: timed_out,
        WORKSPACE_ID: inputs.get(WORKSPACE_ID, workspace),
        INPUT_KEYS: sorted(inputs),
    })
    return outputs


def resource_id(pipeline_id: str, run_id: int) -> str:
    """The Pulumi id of a run: ``<pipeline id>/<run id>`` (run ids are unique per pipeline only)."""
    return f"{pipeline_id}/{run_id}"


class PipelineRunProvider(ResourceProvider):
    """Holds nothing (it is pickled into the state); the clock and the sleep are seams for tests."""

    serialize_as_secret_always = False
    sleep: Sleep = staticmethod(time.sleep)
    clock: Clock = staticmethod(time.monotonic)
    read_only = False
    """The provider of ``PipelineRun.get``: it reads the run and starts none."""

    def configure(self, req: ConfigureRequest) -> None:
        _runtime.configure(req.config.get)

    # --- offline ------------------------------------------------------------------------------

    @short_traceback
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = user_inputs(news)
        inputs.pop(SECRET_VERSIONS, None)
        versions = secret_versions(_SECRET_PATHS, user_inputs(_olds), inputs)
        if versions is not None:
            inputs[SECRET_VERSIONS] = versions
        failures = [CheckFailure(argument, reason) for argument, reason in _problems(inputs)]
        if not failures:
            failures += self._schedule_failures(inputs)
        return CheckResult(inputs, failures)

    @staticmethod
    def _schedule_failures(inputs: Mapping[str, Any]) -> list[CheckFailure]:
        """A pipeline of this stack that is not on demand cannot be triggered: say so at preview."""
        pipeline_id = inputs.get(PIPELINE_ID)
        if not isinstance(pipeline_id, str) or is_unknown(pipeline_id):
            return []
        if inputs.get(ACCOUNT) is not None and (account_in(inputs) is None or contains_unknown(inputs[ACCOUNT])):
            return []  # an account not known yet
        account = account_in(inputs)
        workspace = canonical_workspace_id(inputs.get(WORKSPACE_ID)) or account_workspace(account)
        if workspace is None:
            return []
        schedule_type = STACK_OBJECTS.schedule_type(workspace, pipeline_id, account_key(account))
        if schedule_type is None or schedule_type == ON_DEMAND:
            return []
        target = RunTarget(workspace, pipeline_id, account)
        return [CheckFailure(PIPELINE_ID, _not_on_demand(target, schedule_type))]

    @short_traceback
    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        news = user_inputs(_news)
        replaces = [key for key in PIPELINE_RUN.replacing_keys if self._changed(key, _olds, news)]
        if account_changed(_olds, news) and moved_account(_olds, news):
            replaces.append(ACCOUNT)  # a run in another account's API: new credentials alone are an update
        waits = news.get(WAIT) is True
        if not replaces and waits and _olds.get(STATE) == wire.RUN_FAILED:
            replaces = [STATE]  # the failed run is run again, as a failed create would be
        changed = bool(replaces) or any(self._changed(key, _olds, news) for key in (WAIT, TIMEOUT_MINUTES))
        changed = changed or (waits and _olds.get(WAIT_TIMED_OUT) is True) or account_changed(_olds, news)
        return DiffResult(changes=changed, replaces=replaces, delete_before_replace=False)

    @staticmethod
    def _changed(key: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
        new = news.get(key)
        if key == WORKSPACE_ID and new is None:
            return False  # the run stays where it ran
        if contains_unknown(new):
            return True
        default = PIPELINE_RUN.field(key).default
        old = olds.get(key)
        return not same_value(default if old is None else old, default if new is None else new)

    # --- online -------------------------------------------------------------------------------

    @short_traceback
    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = user_inputs(props)
        target = self._target(inputs, {})
        deadline = self._deadline(inputs)

        def start(client: WarehouseSyncClient) -> tuple[Run, bool]:
            self._require_on_demand(client, target)
            run = self._trigger(client, target, inputs, deadline)
            if inputs.get(WAIT) is not True:
                return run, False
            return self._wait(client, target, run, deadline)

        run, timed_out = self._call("start a run of", target, start)
        outputs = run_outputs(run, inputs, target.workspace, timed_out=timed_out)
        return CreateResult(resource_id(target.pipeline_id, run.run_id), outputs)

    @short_traceback
    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        """Only ``wait`` and ``timeout_minutes`` changed, or an earlier wait gave up: never a new run."""
        inputs = user_inputs(_news)
        target = self._target(inputs, _olds)
        run_id = int(_olds[RUN_ID])
        follows = inputs.get(WAIT) is True and _olds.get(WAIT_TIMED_OUT) is True
        unchanged = not any(self._changed(key, _olds, inputs) for key in (WAIT, TIMEOUT_MINUTES))
        if unchanged and not follows:
            # Only the account's credentials changed: recorded, and the run is not read again.
            return UpdateResult(self._kept_outputs(_olds, inputs, target.workspace))
        deadline = self._deadline(inputs)

        def follow(client: WarehouseSyncClient) -> tuple[Run, bool]:
            run = client.get_run(target.pipeline_id, run_id, workspace_id=target.workspace)
            if inputs.get(WAIT) is not True:
                return run, False
            return self._wait(client, target, run, deadline)

        run, timed_out = self._call("follow", target, follow, run_id=run_id)
        return UpdateResult(run_outputs(run, inputs, target.workspace, timed_out=timed_out))

    @staticmethod
    def _kept_outputs(olds: Mapping[str, Any], inputs: Mapping[str, Any], workspace: str) -> dict[str, Any]:
        """The run as last read, with the new inputs."""
        outputs = {output.name: olds.get(output.name) for output in PIPELINE_RUN.outputs}
        outputs.update(inputs)
        outputs[WORKSPACE_ID] = inputs.get(WORKSPACE_ID, olds.get(WORKSPACE_ID, workspace))
        outputs[INPUT_KEYS] = sorted(inputs)
        return outputs

    @short_traceback
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        written = written_input_keys(props)
        keys = written if written is not None else [f.name for f in PIPELINE_RUN.fields] + [PULUMI_NAME]
        inputs = user_inputs({key: props[key] for key in keys if key in props and props[key] is not None})
        target = self._target(inputs, props)
        run_id = int(props.get(RUN_ID) or _run_id_of(id_))

        def look(client: WarehouseSyncClient) -> Run | None:
            from ..client import NotFoundError

            try:
                return client.get_run(target.pipeline_id, run_id, workspace_id=target.workspace)
            except NotFoundError:
                if client.get(wire.PIPELINES, target.pipeline_id, workspace_id=target.workspace) is None:
                    return None  # the pipeline is gone, and its runs with it
                raise

        run = self._call("read", target, look, run_id=run_id)
        if run is None:
            if self.read_only and written is None:
                raise ObjectNotFoundError(
                    f"run {run_id} of {target.describe()} does not exist: there is no such pipeline; check the id "
                    "(\"<pipeline id>/<run id>\") and the workspace (and the account) given to PipelineRun.get"
                )
            return ReadResult("", {})
        timed_out = props.get(WAIT_TIMED_OUT) is True and run.active
        return ReadResult(id_, run_outputs(run, inputs, target.workspace, timed_out=timed_out), inputs)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """A run cannot be deleted: the stack forgets it, the pipeline's history keeps it."""

    # --- steps --------------------------------------------------------------------------------

    def _require_on_demand(self, client: WarehouseSyncClient, target: RunTarget) -> None:
        served = client.get(wire.PIPELINES, target.pipeline_id, workspace_id=target.workspace)
        if served is None:
            raise InvalidArgumentsError(
                f"pipeline_id: there is no pipeline {target.pipeline_id!r} in workspace {target.workspace}: pass "
                "the id of an existing Pipeline (pipeline.id), in the workspace of this PipelineRun"
            )
        ours = SCHEDULE_TYPES.from_wire(value_at(served, SCHEDULE_TYPE_WIRE_PATH))
        if ours != ON_DEMAND:
            raise InvalidArgumentsError(_not_on_demand(target, str(ours)))

    def _trigger(
        self, client: WarehouseSyncClient, target: RunTarget, inputs: Mapping[str, Any], deadline: float
    ) -> Run:
        """Start the run; a run already going is waited for first (``wait``) or refused."""
        from ..client import RunInProgressError

        for _attempt in range(MAX_TRIGGER_ATTEMPTS):
            busy = self._active_run(client, target)
            if busy is not None:
                self._wait_for_other(client, target, busy, inputs, deadline)
            try:
                answer = client.trigger(target.pipeline_id, workspace_id=target.workspace)
            except RunInProgressError:
                if inputs.get(WAIT) is not True:
                    raise OperationError(_busy_message(target, None)) from None
                continue  # a run started between the look and the trigger: wait for it, then again
            return self._started_run(client, target, answer.run_id)
        raise OperationError(
            f"could not start a run of {target.describe()}: it was busy each of {MAX_TRIGGER_ATTEMPTS} times this "
            "PipelineRun waited for a run to end (its schedule or someone else keeps starting runs). Nothing "
            "was started; run `pulumi up` again"
        )

    def _wait_for_other(
        self, client: WarehouseSyncClient, target: RunTarget, busy: Run, inputs: Mapping[str, Any], deadline: float
    ) -> None:
        if inputs.get(WAIT) is not True:
            raise OperationError(_busy_message(target, busy))
        ended, timed_out = self._wait(client, target, busy, deadline)
        if timed_out:
            raise OperationError(
                f"{target.describe()} was still busy with run {ended.run_id} ({ended.state}) when timeout_minutes "
                "ran out, so this PipelineRun started no run. Run `pulumi up` again once that run ends, or raise "
                "timeout_minutes"
            )

    @staticmethod
    def _active_run(client: WarehouseSyncClient, target: RunTarget) -> Run | None:
        from ..client import StatusNotReadyError

        try:
            status = client.pipeline_status(target.pipeline_id, workspace_id=target.workspace)
        except StatusNotReadyError:
            return None  # a pipeline created a moment ago: it has run nothing yet
        latest = status.latest_run
        return latest if latest is not None and latest.active else None

    @staticmethod
    def _started_run(client: WarehouseSyncClient, target: RunTarget, run_id: int | None) -> Run:
        """The run a trigger started, as served now (the answer carries only its id)."""
        from ..client import NotFoundError, StatusNotReadyError

        if run_id is None:
            try:
                latest = client.pipeline_status(target.pipeline_id, workspace_id=target.workspace).latest_run
            except StatusNotReadyError:
                latest = None
            if latest is None:
                raise OperationError(
                    f"{target.describe()} accepted a trigger but named no run, and its status shows none. A run "
                    "may have started: see `mparticle-wsync runs list "
                    f"{target.pipeline_id}` before running `pulumi up` again"
                )
            return latest
        try:
            return client.get_run(target.pipeline_id, run_id, workspace_id=target.workspace)
        except NotFoundError:
            from ..client import Run

            return Run(run_id=run_id, pipeline_id=target.pipeline_id, state=wire.RUN_TRIGGERED)

    def _wait(
        self, client: WarehouseSyncClient, target: RunTarget, run: Run, deadline: float
    ) -> tuple[Run, bool]:
        """Poll ``run`` until it ends or ``deadline``: the run as last read, and whether time ran out.

        A pipeline created a moment ago answers 404 for its runs for about a minute: the run is
        then kept as last read and asked again.
        """
        from ..client import StatusNotReadyError

        pause = FIRST_POLL_SECONDS
        while run.active:
            left = deadline - self.clock()
            if left <= 0:
                return run, True
            self.sleep(min(pause, left))
            pause = min(pause * POLL_GROWTH, MAX_POLL_SECONDS)
            try:
                run = client.get_run(target.pipeline_id, run.run_id, workspace_id=target.workspace)
            except StatusNotReadyError:
                continue
        return run, False

    # --- helpers ------------------------------------------------------------------------------

    def _deadline(self, inputs: Mapping[str, Any]) -> float:
        minutes = inputs.get(TIMEOUT_MINUTES)
        minutes = DEFAULT_TIMEOUT_MINUTES if not isinstance(minutes, int | float) else minutes
        return self.clock() + float(minutes) * 60

    @staticmethod
    def _target(inputs: Mapping[str, Any], outputs: Mapping[str, Any]) -> RunTarget:
        problems = _problems(inputs)
        if problems:
            listed = "; ".join(f"{argument}: {reason}" for argument, reason in problems)
            raise InvalidArgumentsError(f"invalid PipelineRun arguments: {listed}")
        account = account_in(inputs) or account_in(outputs)
        workspace = None
        for candidate in (inputs.get(WORKSPACE_ID), outputs.get(WORKSPACE_ID)):
            workspace = canonical_workspace_id(candidate)
            if workspace is not None:
                break
        if workspace is None and account is not None:
            workspace = account_workspace(account)
            if workspace is None:
                from ..client import ConfigurationError

                raise ConfigurationError(
                    "no workspace id: pass the PipelineRun's workspace_id argument, or give its Account a "
                    "workspace_id (a resource with an account never uses mparticle:workspaceId)"
                )
        if workspace is None:
            workspace = _runtime.settings().workspace_id
        if workspace is None:
            from ..client import ConfigurationError

            raise ConfigurationError(
                "no workspace id: pass the PipelineRun's workspace_id argument, or set mparticle:workspaceId "
                "with `pulumi config set mparticle:workspaceId <id>` or MPARTICLE_WORKSPACE_ID"
            )
        return RunTarget(workspace, str(inputs[PIPELINE_ID]), account)

    @staticmethod
    def _call(
        verb: str, target: RunTarget, action: Callable[[WarehouseSyncClient], T], *, run_id: int | None = None
    ) -> T:
        from ..client import ConfigurationError, WarehouseSyncError

        client = _runtime.client(target.account)
        try:
            return action(client)
        except ConfigurationError as exc:
            raise with_pulumi_advice_error(exc) from exc
        except WarehouseSyncError as exc:
            what = target.describe() if run_id is None else f"run {run_id} of {target.describe()}"
            raise OperationError(f"{verb} {what} failed: {with_pulumi_advice(str(exc))}") from exc


def _run_id_of(resource_id_: str) -> int:
    """The run id in a PipelineRun's id (``<pipeline id>/<run id>``)."""
    _, _, run = resource_id_.rpartition("/")
    if not run.isdigit():
        raise InvalidArgumentsError(
            f"{resource_id_!r} is not a PipelineRun id: it is \"<pipeline id>/<run id>\", e.g. \"users-hourly/42\""
        )
    return int(run)


class PipelineRunReader(PipelineRunProvider):
    """The provider of ``PipelineRun.get``: it reads the run, and starts or forgets none."""

    read_only = True


def _not_on_demand(target: RunTarget, schedule_type: str) -> str:
    return (
        f"{target.describe()} has schedule type {schedule_type!r}, and only on-demand pipelines can be "
        "triggered: give the Pipeline schedule=ScheduleArgs(type=\"on_demand\", start=...), or remove this "
        "PipelineRun (a pipeline with a schedule runs by itself)"
    )


def _busy_message(target: RunTarget, busy: Run | None) -> str:
    which = "a run" if busy is None else f"run {busy.run_id} ({busy.state})"
    watch = f"mparticle-wsync runs watch {target.pipeline_id}" + ("" if busy is None else f" {busy.run_id}")
    return (
        f"{target.describe()} is busy with {which}, so this PipelineRun started no run (mParticle runs one at a "
        f"time). Set wait=True to wait for it to end and then start one, or run `pulumi up` again once it has "
        f"ended (`{watch}` follows it)"
    )


def unfinished_message(pipeline_id: str, run_id: Any, state: Any, errors: Any, timed_out: bool) -> str | None:
    """Why an update must fail although the run is recorded; ``None`` when it need not."""
    if timed_out:
        return (
            f"run {run_id} of pipeline {pipeline_id!r} had not ended when timeout_minutes ran out (it is "
            f"{state}). It is recorded in the stack: the next `pulumi up` waits for this same run again and "
            f"starts no other. Follow it with `mparticle-wsync runs watch {pipeline_id} {run_id}`"
        )
    if state == wire.RUN_FAILED:
        listed = "; ".join(str(e) for e in errors) if isinstance(errors, list) and errors else "no error given"
        return (
            f"run {run_id} of pipeline {pipeline_id!r} failed: {listed}. It is recorded in the stack as failed; "
            "the next `pulumi up` starts a new run. Details: "
            f"`mparticle-wsync runs show {pipeline_id} {run_id}`"
        )
    return None


class PipelineRun(pulumi.dynamic.Resource, module=RESOURCE_MODULE, name=PIPELINE_RUN.kind):
    """One run of an on-demand pipeline, started when the resource is created. A change of
    ``pipeline_id`` or ``triggers`` starts a new run; deleting the resource only forgets the run."""

    run_id: pulumi.Output[int]
    """The run's id."""
    records_extracted: pulumi.Output[int | None]
    """Rows read from the warehouse; ``None`` until counted."""
    records_mapped: pulumi.Output[int | None]
    """Rows mapped to mParticle data; ``None`` until counted."""
    event_batches_generated: pulumi.Output[int | None]
    """Event batches sent (events pipelines); ``None`` until counted."""

    if TYPE_CHECKING:
        pipeline_id: pulumi.Output[str]
        triggers: pulumi.Output[list[Any] | None]
        wait: pulumi.Output[bool | None]
        timeout_minutes: pulumi.Output[float | None]
        workspace_id: pulumi.Output[str]
        account: pulumi.Output[dict[str, Any] | None]
        state: pulumi.Output[str]
        """``triggered``, ``queued``, ``running``, ``dataset_triggered``, ``success`` or ``failed``, as last read."""
        pipeline_run_type: pulumi.Output[str | None]
        """``manual`` for a run started by a trigger."""
        start_date: pulumi.Output[str | None]
        """When the run started (ISO 8601)."""
        end_date: pulumi.Output[str | None]
        """When it ended; ``None`` while it runs."""
        data_interval_start: pulumi.Output[str | None]
        """The start of the rows it loads."""
        data_interval_end: pulumi.Output[str | None]
        """The end of the rows it loads."""
        errors: pulumi.Output[list[str]]
        """The run's error messages."""
        wait_timed_out: pulumi.Output[bool]
        """``True`` when ``wait`` gave up at ``timeout_minutes`` before the run ended."""

    def __init__(
        self,
        resource_name: str,
        *,
        pipeline_id: pulumi.Input[str],
        triggers: pulumi.Input[list[Any]] | None = None,
        wait: pulumi.Input[bool] | None = None,
        timeout_minutes: pulumi.Input[float] | None = None,
        workspace_id: pulumi.Input[str] | None = None,
        account: Account | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        arguments = {
            PIPELINE_ID: pipeline_id, TRIGGERS: triggers, WAIT: wait, TIMEOUT_MINUTES: timeout_minutes,
            WORKSPACE_ID: workspace_id, ACCOUNT: account_input(account),
        }
        props: dict[str, Any] = dict.fromkeys(output.name for output in PIPELINE_RUN.outputs)
        props.update(arguments)
        props[PULUMI_NAME] = resource_name
        super().__init__(PipelineRunProvider(), resource_name, props, opts)
        if not pulumi.runtime.is_dry_run():
            pulumi.Output.all(
                self.pipeline_id, self.run_id, self.state, self.errors, self.wait_timed_out, self.wait
            ).apply(_fail_unfinished)

    @staticmethod
    def get(
        resource_name: str,
        id: pulumi.Input[str],
        workspace_id: pulumi.Input[str] | None = None,
        account: Account | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> PipelineRun:
        """The run ``id`` (``"<pipeline id>/<run id>"``) as the server holds it, read into the stack: refreshed
        by ``pulumi refresh``; Pulumi starts no run for it and only forgets it (``pulumi destroy``). A missing
        pipeline fails the program, naming it and the workspace."""
        pipeline_id = pulumi.Output.from_input(id).apply(_pipeline_id_of)
        keys = [output.name for output in PIPELINE_RUN.outputs] + [PIPELINE_ID, TRIGGERS, WAIT, TIMEOUT_MINUTES]
        props = read_props(keys, workspace_id, account, **{PIPELINE_ID: pipeline_id})
        resource = PipelineRun.__new__(PipelineRun)
        pulumi.dynamic.Resource.__init__(resource, PipelineRunReader(), resource_name, props, read_options(id, opts))
        return resource


def _pipeline_id_of(resource_id_: str) -> str:
    _run_id_of(resource_id_)  # a clear message for an id of another shape
    return resource_id_.rpartition("/")[0]


def _fail_unfinished(values: list[Any]) -> None:
    pipeline_id, run_id, state, errors, timed_out, wait = values
    if wait is not True:
        return
    message = unfinished_message(pipeline_id, run_id, state, errors, timed_out is True)
    if message is not None:
        raise pulumi.RunError(message)
