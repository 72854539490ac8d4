"""Lookups: the values of objects that exist, for programs that only need them.

    conn = mp.get_connection("warehouse")                      # Output[ConnectionInfo]
    pulumi.export("trust", conn.apply(lambda c: c.aws_external_id))
    hourly = mp.list_pipelines(connection_id="warehouse", state="active")

Like Terraform's data sources, they run in the program's process whenever the program runs,
``pulumi preview`` included, so a CI preview needs the credentials too. They read the settings the
resources read: the ``mparticle:*`` stack config (the client secret through ``get_secret``), then the
``MPARTICLE_*`` environment; or the ``account`` given. Nothing is recorded in the state (``.get()`` on
a resource class reads an object *into* the state instead).

Each result is a frozen dataclass whose fields are the resource's arguments in our names plus the
server's fields. Secrets are never in them: the API never returns one, and a masked value
(``************``) is dropped too; so the results are no Pulumi secrets either, even when the
credential that read them is one. A missing object fails the program with a message naming the
kind, the id and the workspace. The client knows nothing of Pulumi: this module turns Pulumi's
inputs into its settings and its answers into these types.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import pulumi

from . import wire
from .models import CONNECTION, DATA_MODEL, FIELD_TRANSFORMATION, PIPELINE, ResourceModel, account_problems
from .models import canonical_workspace_id as _canonical_workspace_id
from .resources.account import Account
from .resources.errors import ObjectNotFoundError, ResourceError
from .schema import Block, Field
from .state_layout import (
    ACCOUNT_API_URL,
    ACCOUNT_AUTH_URL,
    ACCOUNT_CLIENT_ID,
    ACCOUNT_CLIENT_SECRET,
    ACCOUNT_WORKSPACE_ID,
    RESOURCE_ID,
    WORKSPACE_ID,
)

if TYPE_CHECKING:
    from .client import ClientSettings, PipelineStatus, Run, WarehouseSyncClient

T = TypeVar("T")


class LookupFailedError(ResourceError, pulumi.RunError):
    """A lookup could not read what it was asked for; the program fails with this message (no traceback)."""


class LookupNotFoundError(LookupFailedError, ObjectNotFoundError):
    """The object looked up does not exist (the message names the kind, the id and the workspace)."""


# --- What a lookup returns ---------------------------------------------------------------------


@dataclass(frozen=True)
class ConnectionInfo:
    """A connection as the server holds it (``get_connection``)."""

    resource_id: str
    workspace_id: str
    name: str | None
    state: str | None
    """``active``, ``inactive`` or ``new``."""
    snowflake: dict[str, Any] | None
    """The warehouse block that is set, without its secret (``password``); the others are ``None``."""
    bigquery: dict[str, Any] | None
    redshift: dict[str, Any] | None
    databricks: dict[str, Any] | None
    service_provider: str | None
    status: str | None
    errors: list[str]
    aws_iam_user_arn: str | None
    aws_external_id: str | None
    created_on: str | None
    created_by: str | None
    last_modified_on: str | None
    last_modified_by: str | None


@dataclass(frozen=True)
class DataModelInfo:
    """A data model as the server holds it (``get_data_model``)."""

    resource_id: str
    workspace_id: str
    name: str | None
    sql_query: str | None
    state: str | None
    status: str | None
    errors: list[str]
    created_on: str | None
    created_by: str | None
    last_modified_on: str | None
    last_modified_by: str | None


@dataclass(frozen=True)
class FieldTransformationInfo:
    """A field transformation as the server holds it (``get_field_transformation``)."""

    resource_id: str
    workspace_id: str
    name: str | None
    mappings: list[dict[str, Any]]
    status: str | None
    errors: list[str]
    created_on: str | None
    created_by: str | None
    last_modified_on: str | None
    last_modified_by: str | None


@dataclass(frozen=True)
class PipelineInfo:
    """A pipeline as the server holds it (``get_pipeline``, ``list_pipelines``); never its ``partner_feed_key``."""

    resource_id: str
    workspace_id: str
    name: str | None
    pipeline_type: str | None
    connection_id: str | None
    data_model_id: str | None
    field_transformation_id: str | None
    partner_feed_id: int | None
    sync_mode: dict[str, Any] | None
    schedule: dict[str, Any] | None
    environment: str | None
    paused: bool | None
    data_plan_id: str | None
    data_plan_version: int | None
    state: str | None
    """``active`` or ``paused``."""
    status: str | None
    errors: list[str]
    created_on: str | None
    created_by: str | None
    last_modified_on: str | None
    last_modified_by: str | None


@dataclass(frozen=True)
class RunInfo:
    """One run of a pipeline (the latest, in ``PipelineStatusInfo``)."""

    run_id: int
    pipeline_id: str | None
    state: str | None
    """``triggered``, ``queued``, ``running``, ``dataset_triggered``, ``success`` or ``failed``."""
    run_type: str | None
    logical_date: str | None
    start_date: str | None
    end_date: str | None
    data_interval_start: str | None
    data_interval_end: str | None
    externally_triggered: bool | None
    records_extracted: int | None
    records_mapped: int | None
    event_batches_generated: int | None
    errors: list[str]


@dataclass(frozen=True)
class PipelineStatusInfo:
    """A pipeline's status (``get_pipeline_status``)."""

    pipeline_id: str
    workspace_id: str
    ready: bool
    """``False`` while the API has no status for the pipeline yet (about a minute after its creation):
    everything else is then ``None``."""
    active: bool | None
    """Active (not paused), whichever shape the API answered in."""
    running: bool
    """A run is going (a trigger now would be refused)."""
    latest_run: RunInfo | None
    is_active: bool | None
    is_faulted: bool | None
    is_connection_active: bool | None
    is_connection_faulted: bool | None
    status: str | None
    state: str | None


# --- The functions --------------------------------------------------------------------------------


def get_connection(
    id: pulumi.Input[str], workspace_id: pulumi.Input[str] | None = None, account: Account | None = None
) -> pulumi.Output[ConnectionInfo]:
    """The connection ``id`` as the server holds it."""
    return _get_object(CONNECTION, ConnectionInfo, id, workspace_id, account)


def get_data_model(
    id: pulumi.Input[str], workspace_id: pulumi.Input[str] | None = None, account: Account | None = None
) -> pulumi.Output[DataModelInfo]:
    """The data model ``id`` as the server holds it."""
    return _get_object(DATA_MODEL, DataModelInfo, id, workspace_id, account)


def get_field_transformation(
    id: pulumi.Input[str], workspace_id: pulumi.Input[str] | None = None, account: Account | None = None
) -> pulumi.Output[FieldTransformationInfo]:
    """The field transformation ``id`` as the server holds it."""
    return _get_object(FIELD_TRANSFORMATION, FieldTransformationInfo, id, workspace_id, account)


def get_pipeline(
    id: pulumi.Input[str], workspace_id: pulumi.Input[str] | None = None, account: Account | None = None
) -> pulumi.Output[PipelineInfo]:
    """The pipeline ``id`` as the server holds it."""
    return _get_object(PIPELINE, PipelineInfo, id, workspace_id, account)


def get_pipeline_status(
    id: pulumi.Input[str], workspace_id: pulumi.Input[str] | None = None, account: Account | None = None
) -> pulumi.Output[PipelineStatusInfo]:
    """The status of the pipeline ``id``, with its latest run."""

    def read(client: WarehouseSyncClient, workspace: str, object_id: str, where: str) -> PipelineStatusInfo:
        from .client import NotFoundError, StatusNotReadyError

        try:
            status = client.pipeline_status(object_id, workspace_id=workspace)
        except StatusNotReadyError:
            return _status_not_ready(object_id, workspace)
        except NotFoundError as exc:
            raise LookupNotFoundError(_missing(PIPELINE, object_id, where, "get_pipeline_status")) from exc
        return _status_info(status, object_id, workspace)

    return _lookup(id, workspace_id, account, read, f"the status of {PIPELINE.kind}")


def list_pipelines(
    connection_id: pulumi.Input[str] | None = None,
    data_model_id: pulumi.Input[str] | None = None,
    state: pulumi.Input[str] | None = None,
    workspace_id: pulumi.Input[str] | None = None,
    account: Account | None = None,
) -> pulumi.Output[list[PipelineInfo]]:
    """The workspace's pipelines, as the server lists them, keeping those with the ``connection_id``,
    ``data_model_id`` and ``state`` (``active`` or ``paused``) given."""
    filters = pulumi.Output.all(connection_id, data_model_id, state)

    def read(client: WarehouseSyncClient, workspace: str, wanted: list[Any], _where: str) -> list[PipelineInfo]:
        connection, model, pipeline_state = wanted
        found = [_info(PIPELINE, PipelineInfo, served, workspace)
                 for served in client.list(wire.PIPELINES, workspace_id=workspace)]
        return [
            pipeline for pipeline in found
            if (connection is None or pipeline.connection_id == connection)
            and (model is None or pipeline.data_model_id == model)
            and (pipeline_state is None or pipeline.state == pipeline_state)
        ]

    return _lookup(filters, workspace_id, account, read, "the pipelines")


# --- How ---------------------------------------------------------------------------------------------


InfoT = TypeVar("InfoT")


def _get_object(
    model: ResourceModel, info: type[InfoT], object_id: pulumi.Input[str], workspace_id: pulumi.Input[str] | None,
    account: Account | None,
) -> pulumi.Output[InfoT]:
    def read(client: WarehouseSyncClient, workspace: str, wanted: str, where: str) -> InfoT:
        served = client.get(model.collection, wanted, workspace_id=workspace)
        if served is None:
            raise LookupNotFoundError(_missing(model, wanted, where, f"get_{_snake(model.kind)}"))
        return _info(model, info, served, workspace)

    return _lookup(object_id, workspace_id, account, read, model.kind)


def _missing(model: ResourceModel, object_id: str, where: str, function: str) -> str:
    return (
        f"{model.kind} {object_id!r} does not exist in {where}: check the id and the workspace (and the account) "
        f"given to {function}"
    )


def _snake(kind: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in kind).lstrip("_")


def _lookup(
    subject: pulumi.Input[Any],
    workspace_id: pulumi.Input[str] | None,
    account: Account | None,
    read: Callable[[WarehouseSyncClient, str, Any, str], T],
    what: str,
) -> pulumi.Output[T]:
    """``read(client, workspace, subject, where)`` in a worker thread once every input is known (a preview
    included), with the client of ``account`` or of the stack's settings. The result is no secret."""
    settings = _settings(account)

    def run(values: list[Any]) -> Any:
        found_settings, wanted, workspace_arg = values
        workspace = _workspace(workspace_arg, found_settings, account is not None, what)
        where = f"workspace {workspace}" + (f" of account {found_settings.client_id!r}" if account else "")

        def call() -> T:
            return _call(found_settings, what, where, lambda client: read(client, workspace, wanted, where))

        return asyncio.get_running_loop().run_in_executor(None, call)

    result: pulumi.Output[T] = pulumi.Output.all(settings, subject, workspace_id).apply(run)
    # Read with a secret credential, the values are no secret: the API never returns one and masked
    # values are dropped. Left secret, every value a program exports would show as [secret].
    return pulumi.Output.unsecret(result)


def _call(settings: ClientSettings, what: str, where: str, action: Callable[[WarehouseSyncClient], T]) -> T:
    from .client import ConfigurationError, WarehouseSyncError, get_client

    try:
        return action(get_client(settings))
    except LookupFailedError:
        raise
    except ConfigurationError as exc:
        from .resources.errors import with_pulumi_advice

        raise LookupFailedError(f"looking up {what} failed: {with_pulumi_advice(str(exc))}") from None
    except WarehouseSyncError as exc:
        from .resources.errors import with_pulumi_advice

        raise LookupFailedError(f"looking up {what} in {where} failed: {with_pulumi_advice(str(exc))}") from None


def _workspace(argument: Any, settings: ClientSettings, has_account: bool, what: str) -> str:
    if argument is not None:
        workspace = _canonical_workspace_id(argument)
        if workspace is None:
            raise LookupFailedError(f"looking up {what}: workspace_id must be the numeric workspace id (got "
                                    f"{argument!r})")
        return workspace
    if settings.workspace_id is not None:
        return settings.workspace_id
    where = "give the Account a workspace_id" if has_account else (
        "set mparticle:workspaceId with `pulumi config set mparticle:workspaceId <id>` or MPARTICLE_WORKSPACE_ID")
    raise LookupFailedError(f"looking up {what}: no workspace id: pass workspace_id=..., or {where}")


# --- Settings, in the program's process ----------------------------------------------------------------


def _settings(account: Account | None) -> pulumi.Output[ClientSettings]:
    """The client settings of ``account``, else of the ``mparticle:*`` config (then ``MPARTICLE_*``), with the
    stack's numeric settings either way."""
    config = pulumi.Config("mparticle")

    def lookup(key: str) -> str | None:
        return config.get(key.split(":", 1)[1])

    if account is None:
        secret = config.get_secret("clientSecret")
        return pulumi.Output.from_input(secret).apply(lambda value: _configured_settings(lookup, value))
    values = pulumi.Output.all(account.client_id, account.client_secret, account.workspace_id, account.api_url,
                               account.auth_url)
    return values.apply(lambda known: _account_settings(lookup, known))


def _configured_settings(lookup: Callable[[str], str | None], secret: str | None) -> ClientSettings:
    from . import _constants as c
    from .client import ConfigurationError, load_settings
    from .resources.errors import with_pulumi_advice

    def with_secret(key: str) -> str | None:
        return secret if key == c.CONFIG_CLIENT_SECRET else lookup(key)

    try:
        return load_settings(with_secret)
    except ConfigurationError as exc:
        raise LookupFailedError(f"the lookups' settings: {with_pulumi_advice(str(exc))}") from None


def _account_settings(lookup: Callable[[str], str | None], values: Sequence[Any]) -> ClientSettings:
    from . import _constants as c
    from .client import ClientSettings, ConfigurationError, load_tuning
    from .resources.errors import with_pulumi_advice

    keys = (ACCOUNT_CLIENT_ID, ACCOUNT_CLIENT_SECRET, ACCOUNT_WORKSPACE_ID, ACCOUNT_API_URL, ACCOUNT_AUTH_URL)
    given = {key: value for key, value in zip(keys, values, strict=True) if value is not None}
    problems = account_problems(given)
    if problems:
        listed = "; ".join(f"{problem.path}: {problem.reason}" for problem in problems)
        raise LookupFailedError(f"invalid account: {listed}")
    try:
        tuning = load_tuning(lookup)
    except ConfigurationError as exc:
        raise LookupFailedError(f"the lookups' settings: {with_pulumi_advice(str(exc))}") from None
    return ClientSettings(
        client_id=str(given[ACCOUNT_CLIENT_ID]),
        client_secret=str(given[ACCOUNT_CLIENT_SECRET]),
        workspace_id=_canonical_workspace_id(given.get(ACCOUNT_WORKSPACE_ID)),
        api_url=str(given.get(ACCOUNT_API_URL) or c.DEFAULT_API_URL),
        auth_url=str(given.get(ACCOUNT_AUTH_URL) or c.DEFAULT_AUTH_URL),
        max_attempts=tuning.max_attempts,
        max_retry_wait=tuning.max_retry_wait,
        timeout=tuning.timeout,
    )


# --- Served objects as values ----------------------------------------------------------------------


def _everything(fields: Sequence[Field]) -> dict[str, Any]:
    """"Previous inputs" naming every field that is no secret: ``from_wire`` then keeps every value the
    server holds (one it filled in, or a default, which a refresh leaves out of a resource's inputs)."""
    skeleton: dict[str, Any] = {}
    for field in fields:
        if field.wire is None or field.secret:
            continue
        skeleton[field.name] = _everything(field.type.fields) if isinstance(field.type, Block) else None
    return skeleton


def _without_masked(value: Any) -> Any:
    """``value`` without any masked secret (``************``) in it, however deep."""
    if isinstance(value, Mapping):
        return {key: _without_masked(item) for key, item in value.items() if item != wire.MASKED_SECRET}
    if isinstance(value, list):
        return [_without_masked(item) for item in value if item != wire.MASKED_SECRET]
    return value


def _info(model: ResourceModel, info: type[InfoT], served: Mapping[str, Any], workspace: str) -> InfoT:
    fields = model.schema.all_fields
    values: dict[str, Any] = model.from_wire(served, _everything(fields))
    values.update({key: value for key, value in model.server_outputs(served).items() if value is not None})
    secret = {path[0] for path in model.secret_paths if len(path) == 1}
    values = {key: value for key, value in _without_masked(values).items() if key not in secret}
    values[RESOURCE_ID] = str(served.get(wire.ID, ""))
    values[WORKSPACE_ID] = workspace
    names = info.__dataclass_fields__  # type: ignore[attr-defined]
    return info(**{name: values.get(name, [] if name == "errors" else None) for name in names})


def _run_info(run: Run) -> RunInfo:
    return RunInfo(
        run_id=run.run_id, pipeline_id=run.pipeline_id, state=run.state, run_type=run.run_type,
        logical_date=run.logical_date, start_date=run.start_date, end_date=run.end_date,
        data_interval_start=run.data_interval_start, data_interval_end=run.data_interval_end,
        externally_triggered=run.externally_triggered, records_extracted=run.records_extracted,
        records_mapped=run.records_mapped, event_batches_generated=run.event_batches_generated,
        errors=list(run.errors),
    )


def _status_info(status: PipelineStatus, pipeline_id: str, workspace: str) -> PipelineStatusInfo:
    return PipelineStatusInfo(
        pipeline_id=status.pipeline_id or pipeline_id, workspace_id=workspace, ready=True, active=status.active,
        running=status.running, latest_run=None if status.latest_run is None else _run_info(status.latest_run),
        is_active=status.is_active, is_faulted=status.is_faulted, is_connection_active=status.is_connection_active,
        is_connection_faulted=status.is_connection_faulted, status=status.status, state=status.state,
    )


def _status_not_ready(pipeline_id: str, workspace: str) -> PipelineStatusInfo:
    return PipelineStatusInfo(
        pipeline_id=pipeline_id, workspace_id=workspace, ready=False, active=None, running=False, latest_run=None,
        is_active=None, is_faulted=None, is_connection_active=None, is_connection_faulted=None, status=None,
        state=None,
    )
