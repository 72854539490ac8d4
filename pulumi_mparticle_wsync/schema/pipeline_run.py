"""Pipeline runs: one on-demand run of a pipeline, started by ``pulumi up`` (spec §7).

A run is no object of a collection: it is started by a trigger, read through the pipeline's
status, and never changed or deleted. So its declaration is smaller than a ``ResourceSchema``:
the arguments (none goes on the wire as it is) and the outputs read from the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from .. import state_layout, wire
from ._declare import AnyList, Boolean, Field, Identifier, Number, Output, WorkspaceId
from .common import ACCOUNT


@dataclass(frozen=True)
class RunSchema:
    kind: str
    doc: str
    fields: tuple[Field, ...]
    outputs: tuple[Output, ...]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def replacing_keys(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.replaces)


DEFAULT_TIMEOUT_MINUTES: Final = 60
MAX_TIMEOUT_MINUTES: Final = 7 * 24 * 60

PIPELINE_RUN: Final = RunSchema(
    kind="PipelineRun",
    doc="One run of an on-demand pipeline, started when the resource is created. A change of "
    "`pipeline_id` or `triggers` starts a new run (a replacement); deleting the resource only forgets "
    "the run (a run cannot be deleted).",
    fields=(
        Field("pipeline_id", Identifier(), "The id of an on-demand `Pipeline` (pass `pipeline.id`).",
              wire=None, required=True, replaces=True, references=wire.PIPELINES),
        Field("triggers", AnyList(),
              "Any values; a change of any of them starts a new run (e.g. `[model.sql_query, \"2026-12-01\"]`).",
              wire=None, replaces=True),
        Field("wait", Boolean(),
              "`True`: `pulumi up` waits until the run ends and fails if it fails; a run already in progress "
              "is waited for first. `False` (the default): the run is started and left running.",
              wire=None, default=False),
        Field("timeout_minutes", Number(above=0, maximum=MAX_TIMEOUT_MINUTES),
              f"How long `wait` waits (default {DEFAULT_TIMEOUT_MINUTES}; fractions allowed). A run still going "
              "then is kept in the stack and waited for again by the next `pulumi up`.",
              wire=None, default=DEFAULT_TIMEOUT_MINUTES),
        Field(state_layout.WORKSPACE_ID, WorkspaceId(),
              "The pipeline's workspace; overrides `mparticle:workspaceId`. Another workspace starts a new run.",
              wire=None, replaces=True),
        ACCOUNT,
    ),
    outputs=(
        Output("run_id", "The run's id.", wire=wire.PIPELINE_RUN_ID, python_type="int"),
        Output("state", "`triggered`, `queued`, `running`, `dataset_triggered`, `success` or `failed`, as last "
               "read.", wire=wire.RUN_STATE, python_type="str"),
        Output("pipeline_run_type", "`manual` for a run started by a trigger.", wire=wire.PIPELINE_RUN_TYPE,
               python_type="str | None"),
        Output("start_date", "When the run started (ISO 8601).", wire=wire.RUN_START_DATE, python_type="str | None"),
        Output("end_date", "When it ended; `None` while it runs.", wire=wire.RUN_END_DATE, python_type="str | None"),
        Output("data_interval_start", "The start of the rows it loads.", wire=wire.RUN_DATA_INTERVAL_START,
               python_type="str | None"),
        Output("data_interval_end", "The end of the rows it loads.", wire=wire.RUN_DATA_INTERVAL_END,
               python_type="str | None"),
        Output("records_extracted", "Rows read from the warehouse; `None` until counted.",
               wire=wire.RUN_RECORDS_EXTRACTED, python_type="int | None"),
        Output("records_mapped", "Rows mapped to mParticle data; `None` until counted.",
               wire=wire.RUN_RECORDS_MAPPED, python_type="int | None"),
        Output("event_batches_generated", "Event batches sent (events pipelines); `None` until counted.",
               wire=wire.RUN_EVENT_BATCHES_GENERATED, python_type="int | None"),
        Output("errors", "The run's error messages.", wire=wire.ERRORS, python_type="list[str]"),
        Output("wait_timed_out", "`True` when `wait` gave up at `timeout_minutes` before the run ended.",
               wire="", python_type="bool"),
    ),
)
