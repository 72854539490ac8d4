"""``Pipeline``: what to sync, from which connection and data model, and when."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi.dynamic

from .. import wire
from ..models import PIPELINE, is_unknown
from ..schema.pipeline import STATE as PIPELINE_STATE
from ..state_layout import RESOURCE_MODULE
from ._base import WarehouseSyncProvider
from ._props import arguments_of, read_resource, resource_options, resource_props
from ._stack_objects import STACK_OBJECTS, ObjectKey
from .account import Account

if TYPE_CHECKING:
    from ..client import WarehouseSyncClient


@dataclass(frozen=True, kw_only=True)
class SyncModeArgs:
    type: pulumi.Input[str]
    """``full`` or ``incremental``."""
    iterator_field: pulumi.Input[str] | None = None
    """Incremental only (required): the column that grows with each change, e.g. ``updated_at``."""
    iterator_data_type: pulumi.Input[str] | None = None
    """Incremental only (required): the iterator column's type, one of ``timestamp``, ``timestamp_ltz``,
    ``timestamp_ntz``, ``timestamp_tz``, ``datetime``, ``date``, ``timestamp_unixtime_ms`` or
    ``timestamp_unixtime_s``."""
    from_: pulumi.Input[str] | None = None
    """Optional ISO 8601 lower bound on the rows loaded (the API's ``from``)."""
    until: pulumi.Input[str] | None = None
    """Optional ISO 8601 upper bound; after ``from_``."""


@dataclass(frozen=True, kw_only=True)
class ScheduleArgs:
    type: pulumi.Input[str]
    """``interval``, ``once`` or ``on_demand``."""
    start: pulumi.Input[str]
    """Required for every type, ``on_demand`` included. ISO 8601 with a timezone; anchors an interval's
    recurrence (00:15 repeats hourly at :15), and an on-demand pipeline's first run loads the rows since it."""
    frequency: pulumi.Input[str] | None = None
    """Interval only (required): ``hourly``, ``daily``, ``weekly`` or ``monthly``."""
    end: pulumi.Input[str] | None = None
    """Optional; after ``start``."""


class PipelineProvider(WarehouseSyncProvider):
    model = PIPELINE

    def _note_inputs(self, key: ObjectKey, inputs: Mapping[str, Any]) -> None:
        schedule = inputs.get("schedule")
        schedule_type = schedule.get("type") if isinstance(schedule, Mapping) else None
        if isinstance(schedule_type, str) and not is_unknown(schedule_type):
            STACK_OBJECTS.note_schedule_type(key.workspace, key.object_id, schedule_type, key.account)

    def _create_refused_hint(self, client: WarehouseSyncClient, inputs: Mapping[str, Any], workspace: str) -> str:
        """A refused create of an active pipeline in a workspace already at the active limit.

        The usual way there is a replacement: Pulumi creates the new pipeline before it deletes
        the old one, so for a moment the workspace would hold one active pipeline too many.
        """
        from ..client import WarehouseSyncError

        if inputs.get("paused") is True:
            return ""
        try:
            served = client.list(wire.PIPELINES, workspace_id=workspace)
        except WarehouseSyncError:
            return ""
        active = [p for p in served if p.get(wire.STATE) == PIPELINE_STATE.off]
        if len(active) < wire.MAX_ACTIVE_PIPELINES:
            return ""
        return (
            f"Workspace {workspace} already has {len(active)} active pipelines, the most mParticle allows. "
            "If this pipeline replaces an active one (a change of pipeline_type, resource_id or "
            "workspace_id), let Pulumi delete the old one first: add "
            "opts=pulumi.ResourceOptions(delete_before_replace=True) to the Pipeline (the sync stops "
            "between the delete and the create). Otherwise pause another pipeline (paused=True) first"
        )


class PipelineReader(PipelineProvider):
    """The provider of ``Pipeline.get``: it reads the object, and never changes or deletes it."""

    read_only = True


BlockInput = Mapping[str, Any] | pulumi.Input[Mapping[str, Any]]


class Pipeline(pulumi.dynamic.Resource, module=RESOURCE_MODULE, name=PIPELINE.kind):
    """A Warehouse Sync pipeline. ``pipeline_type`` cannot change (a change replaces it);
    ``paused`` pauses and resumes it in place."""

    # Integer outputs stay annotated at run time: protobuf carries numbers as floats and the SDK
    # casts them back to int only for outputs annotated ``int``.
    partner_feed_id: pulumi.Output[int | None]
    """As written, or the feed the server resolved from ``partner_feed_key``."""
    data_plan_version: pulumi.Output[int | None]

    # The other output types are for type checkers only: at run time the SDK evaluates a resource
    # class's annotations again for every resource it registers (about 1 ms), and these change no value.
    if TYPE_CHECKING:
        # Inputs, as written.
        name: pulumi.Output[str]
        pipeline_type: pulumi.Output[str]
        connection_id: pulumi.Output[str]
        data_model_id: pulumi.Output[str]
        field_transformation_id: pulumi.Output[str | None]
        partner_feed_key: pulumi.Output[str | None]
        sync_mode: pulumi.Output[dict[str, Any]]
        schedule: pulumi.Output[dict[str, Any]]
        environment: pulumi.Output[str]
        paused: pulumi.Output[bool | None]
        data_plan_id: pulumi.Output[str | None]
        resource_id: pulumi.Output[str]
        workspace_id: pulumi.Output[str]
        account: pulumi.Output[dict[str, Any] | None]
        # Server-computed.
        state: pulumi.Output[str | None]
        """``active`` or ``paused``, as the server reports it."""
        status: pulumi.Output[str | None]
        errors: pulumi.Output[list[str]]
        created_on: pulumi.Output[str | None]
        created_by: pulumi.Output[str | None]
        last_modified_on: pulumi.Output[str | None]
        last_modified_by: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        pipeline_type: pulumi.Input[str],
        connection_id: pulumi.Input[str],
        data_model_id: pulumi.Input[str],
        sync_mode: SyncModeArgs | BlockInput,
        schedule: ScheduleArgs | BlockInput,
        environment: pulumi.Input[str],
        field_transformation_id: pulumi.Input[str] | None = None,
        partner_feed_id: pulumi.Input[int] | None = None,
        partner_feed_key: pulumi.Input[str] | None = None,
        paused: pulumi.Input[bool] | None = None,
        data_plan_id: pulumi.Input[str] | None = None,
        data_plan_version: pulumi.Input[int] | None = None,
        resource_id: pulumi.Input[str] | None = None,
        workspace_id: pulumi.Input[str] | None = None,
        account: Account | None = None,
        adopt: bool = False,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(
            PipelineProvider(),
            resource_name,
            resource_props(PIPELINE, resource_name, arguments_of(PIPELINE, locals()), adopt=adopt),
            resource_options(PIPELINE, opts),
        )

    @staticmethod
    def get(
        resource_name: str,
        id: pulumi.Input[str],
        workspace_id: pulumi.Input[str] | None = None,
        account: Account | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> Pipeline:
        """The pipeline ``id`` as the server holds it, read into the stack: every argument and server field
        is an output, refreshed by ``pulumi refresh``; Pulumi never changes or deletes it (``pulumi destroy``
        only forgets it). A missing pipeline fails the program, naming the id and the workspace."""
        return read_resource(Pipeline, PipelineReader(), PIPELINE, resource_name, id, workspace_id, account, opts)
