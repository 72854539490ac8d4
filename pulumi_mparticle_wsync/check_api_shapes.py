"""What ``check-api`` expects a live workspace to serve: ``Field`` (one served value's expected
shape), the basic shapes, and the expected answers of the run endpoints (spec §7) in each spelling.

The objects' shapes are built from the resources' schemas in ``check_api`` (``EXPECTED``); the
runs' are written here, from ``wire``'s run names, because no resource declares them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Final

from . import wire
from .schema.pipeline import STATE as PIPELINE_STATE


@dataclass(frozen=True)
class Field:
    """Expected shape of one served field.

    kind: ``string``, ``integer``, ``enum`` (``values``, compared exactly), ``server_timestamp``
    (ISO 8601 UTC with milliseconds and ``Z``), ``timestamp`` (any ISO 8601 with a zone),
    ``object`` (``fields``), ``list`` (``items``), ``secret`` (write-only: omitted or masked),
    ``provider`` (a service provider, any case), ``connection_config`` (depends on the provider),
    ``boolean``, ``count`` (an integer, or a string of digits), ``run`` (a run in either spelling,
    ``RUN_FIELDS``), ``any``.
    """

    kind: str
    required: bool = True
    nullable: bool = False
    values: tuple[str, ...] = ()
    fields: Mapping[str, Field] | None = None
    items: Field | None = None
    wire_name: str = ""
    """The ``wire.py`` constant naming this key, shown with its differences (runs and statuses)."""
    values_name: str = ""
    """The ``wire.py`` constant listing its values, shown when a served value is not one of them."""


STRING: Final = Field("string")
INTEGER: Final = Field("integer")
SERVER_TIMESTAMP: Final = Field("server_timestamp")
ERROR_LIST: Final = Field("list", items=Field("object", fields={wire.ERROR_MESSAGE: STRING}))

_OPTIONAL_TIMESTAMP: Final = Field("timestamp", required=False, nullable=True)
_OPTIONAL_COUNT: Final = Field("count", required=False, nullable=True)
_OPTIONAL_STRING: Final = Field("string", required=False, nullable=True)
_RUN_TYPE: Final = Field("enum", values=wire.RUN_TYPES, wire_name="PIPELINE_RUN_TYPE", values_name="RUN_TYPES")
_RUN_COMMON: Final[dict[str, Field]] = {
    wire.PIPELINE_RUN_ID: Field("integer", wire_name="PIPELINE_RUN_ID"),
    wire.RUN_LOGICAL_DATE: _OPTIONAL_TIMESTAMP,
    wire.RUN_START_DATE: _OPTIONAL_TIMESTAMP,
    wire.RUN_END_DATE: _OPTIONAL_TIMESTAMP,
    wire.RUN_DATA_INTERVAL_START: _OPTIONAL_TIMESTAMP,
    wire.RUN_DATA_INTERVAL_END: _OPTIONAL_TIMESTAMP,
    wire.PIPELINE_RUN_TYPE: _RUN_TYPE,
    wire.RUN_IS_EXTERNALLY_TRIGGERED: Field("boolean", required=False, nullable=True),
    wire.RUN_RECORDS_EXTRACTED: _OPTIONAL_COUNT,
    wire.RUN_RECORDS_MAPPED: _OPTIONAL_COUNT,
    wire.RUN_EVENT_BATCHES_GENERATED: _OPTIONAL_COUNT,
    wire.ERRORS: Field("list", required=False, nullable=True, items=ERROR_LIST.items),
    wire.CREATED_ON: _OPTIONAL_TIMESTAMP,
    wire.CREATED_BY: _OPTIONAL_STRING,
    wire.LAST_MODIFIED_ON: _OPTIONAL_TIMESTAMP,
    wire.LAST_MODIFIED_BY: _OPTIONAL_STRING,
}


def _run_state(wire_name: str) -> Field:
    return Field("enum", values=wire.RUN_STATES, wire_name=wire_name, values_name="RUN_STATES")


def _either(*shapes: Mapping[str, Field]) -> dict[str, Field]:
    """Every key of ``shapes``, optional: for an answer that mixes two spellings, or has neither."""
    return {key: replace(shape, required=False) for fields in shapes for key, shape in fields.items()}


RUN_FIELDS: Final[dict[str, dict[str, Field]]] = {
    "v1": {
        **_RUN_COMMON,
        wire.RUN_PIPELINE_ID: Field("string", wire_name="RUN_PIPELINE_ID"),
        wire.RUN_WORKSPACE_ID: Field("integer", wire_name="RUN_WORKSPACE_ID"),
        wire.RUN_STATE: _run_state("RUN_STATE"),
    },
    "guess": {
        **_RUN_COMMON,
        wire.RUN_PIPELINE_ID_GUESS: Field("string", wire_name="RUN_PIPELINE_ID_GUESS"),
        wire.RUN_WORKSPACE_ID: Field("integer", required=False, wire_name="RUN_WORKSPACE_ID"),
        wire.RUN_STATE_GUESS: _run_state("RUN_STATE_GUESS"),
    },
}
"""A served run, per spelling (spec §7): v1's ``id``/``pipeline_run_state``, or the guessed
``pipeline_id``/``status``. ``either`` checks a run that mixes them or has neither."""
RUN_FIELDS["either"] = {**_either(RUN_FIELDS["v1"], RUN_FIELDS["guess"]), **_RUN_COMMON}

_LATEST_RUN: Final = Field("run", nullable=True, wire_name="LATEST_PIPELINE_RUN")
PIPELINE_STATUS_FIELDS: Final[dict[str, dict[str, Field]]] = {
    "v1": {
        wire.PIPELINE_ID: Field("string", wire_name="PIPELINE_ID"),
        wire.STATUS_WORKSPACE_ID: Field("integer", wire_name="STATUS_WORKSPACE_ID"),
        wire.STATUS_IS_ACTIVE: Field("boolean", wire_name="STATUS_IS_ACTIVE"),
        wire.STATUS_IS_FAULTED: Field("boolean", wire_name="STATUS_IS_FAULTED"),
        wire.STATUS_IS_CONNECTION_ACTIVE: Field("boolean", wire_name="STATUS_IS_CONNECTION_ACTIVE"),
        wire.STATUS_IS_CONNECTION_FAULTED: Field("boolean", wire_name="STATUS_IS_CONNECTION_FAULTED"),
        wire.LATEST_PIPELINE_RUN: _LATEST_RUN,
    },
    "guess": {
        wire.PIPELINE_ID: Field("string", wire_name="PIPELINE_ID"),
        wire.STATUS_STATUS_GUESS: Field("string", wire_name="STATUS_STATUS_GUESS"),
        wire.STATUS_STATE_GUESS: Field(
            "enum", values=(PIPELINE_STATE.off, PIPELINE_STATE.on), wire_name="STATUS_STATE_GUESS"
        ),
        wire.LATEST_PIPELINE_RUN: _LATEST_RUN,
    },
}
"""A pipeline's status answer, per shape (spec §7): v1's ``is_*`` flags, or the guessed
``status``/``state``; ``either`` as for runs."""
PIPELINE_STATUS_FIELDS["either"] = {
    **_either(PIPELINE_STATUS_FIELDS["v1"], PIPELINE_STATUS_FIELDS["guess"]),
    wire.PIPELINE_ID: PIPELINE_STATUS_FIELDS["v1"][wire.PIPELINE_ID],
    wire.LATEST_PIPELINE_RUN: _LATEST_RUN,
}
RUNS_PAGE_FIELDS: Final[dict[str, Field]] = {
    wire.RUNS_ITEMS: Field("list", items=Field("run"), wire_name="RUNS_ITEMS"),
}
