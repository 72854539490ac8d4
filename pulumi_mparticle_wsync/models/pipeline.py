"""Pipelines: what to sync, from which connection and data model, and when (spec §6)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal

from pydantic import ConfigDict

from .. import rules, wire
from ._common import (
    STATE,
    ArgsModel,
    CommonArgs,
    Identifier,
    Maybe,
    NonBlank,
    PositiveNumber,
    Problem,
    Secret,
    Timestamp,
    as_int,
    bind,
    carried_inputs,
    common_rules,
    common_server_outputs,
    from_wire_value,
    merge_problems,
    prefer_previous,
    to_wire_value,
    validate_model,
    without_nones,
)
from ._schema import ResourceSchema

PIPELINE_TYPE: Final = "pipeline_type"
CONNECTION_ID: Final = "connection_id"
DATA_MODEL_ID: Final = "data_model_id"
FIELD_TRANSFORMATION_ID: Final = "field_transformation_id"
PARTNER_FEED_ID: Final = "partner_feed_id"
PARTNER_FEED_KEY: Final = "partner_feed_key"
SYNC_MODE: Final = "sync_mode"
SCHEDULE: Final = "schedule"
ENVIRONMENT: Final = "environment"
PAUSED: Final = "paused"
DATA_PLAN_ID: Final = "data_plan_id"
DATA_PLAN_VERSION: Final = "data_plan_version"

# Sub-argument names of sync_mode and schedule (ours; ``from_`` because ``from`` is a keyword).
TYPE: Final = "type"
ITERATOR_FIELD: Final = "iterator_field"
ITERATOR_DATA_TYPE: Final = "iterator_data_type"
FROM: Final = "from_"
UNTIL: Final = "until"
FREQUENCY: Final = "frequency"
START: Final = "start"
END: Final = "end"

PIPELINE_TYPES: Final = bind(("user_attributes", "events"), wire.PIPELINE_TYPES)
SYNC_MODE_TYPES: Final = bind(("full", "incremental"), wire.SYNC_MODE_TYPES)
ITERATOR_DATA_TYPES: Final = bind(
    (
        "timestamp", "timestamp_ltz", "timestamp_ntz", "timestamp_tz", "datetime", "date",
        "timestamp_unixtime_ms", "timestamp_unixtime_s",
    ),
    wire.ITERATOR_DATA_TYPES,
)
SCHEDULE_TYPES: Final = {
    "interval": wire.SCHEDULE_INTERVAL,
    "once": wire.SCHEDULE_ONCE,
    "on_demand": wire.SCHEDULE_ON_DEMAND,
}
FREQUENCIES: Final = bind(("hourly", "daily", "weekly", "monthly"), wire.FREQUENCIES)
ENVIRONMENTS: Final = bind(("development", "production"), wire.ENVIRONMENTS)
STATES: Final = bind(("active", "paused"), wire.PIPELINE_STATES)

_SYNC_MODE_FIELDS: Final = {
    TYPE: wire.SYNC_MODE_TYPE,
    ITERATOR_FIELD: wire.SYNC_ITERATOR_FIELD,
    ITERATOR_DATA_TYPE: wire.SYNC_ITERATOR_DATA_TYPE,
    FROM: wire.SYNC_FROM,
    UNTIL: wire.SYNC_UNTIL,
}
_SCHEDULE_FIELDS: Final = {
    TYPE: wire.SCHEDULE_TYPE,
    FREQUENCY: wire.SCHEDULE_FREQUENCY,
    START: wire.SCHEDULE_START,
    END: wire.SCHEDULE_END,
}
_ENUMS: Final[dict[str, dict[str, str]]] = {
    f"{SYNC_MODE}.{TYPE}": SYNC_MODE_TYPES,
    f"{SYNC_MODE}.{ITERATOR_DATA_TYPE}": ITERATOR_DATA_TYPES,
    f"{SCHEDULE}.{TYPE}": SCHEDULE_TYPES,
    f"{SCHEDULE}.{FREQUENCY}": FREQUENCIES,
}
# Top-level references and plain values: user key -> wire key.
_PLAIN_FIELDS: Final = {
    CONNECTION_ID: wire.CONNECTION_ID,
    DATA_MODEL_ID: wire.DATA_MODEL_ID,
    FIELD_TRANSFORMATION_ID: wire.FIELD_TRANSFORMATION_ID,
    PARTNER_FEED_ID: wire.PARTNER_FEED_ID,
    DATA_PLAN_ID: wire.DATA_PLAN_ID,
    DATA_PLAN_VERSION: wire.DATA_PLAN_VERSION,
}
_OPTIONAL_FIELDS: Final = (FIELD_TRANSFORMATION_ID, DATA_PLAN_ID, DATA_PLAN_VERSION)


class SyncMode(ArgsModel):
    model_config = ConfigDict(title="SyncModeArgs")

    type: Maybe[Literal["full", "incremental"]]
    iterator_field: Maybe[NonBlank] | None = None
    iterator_data_type: Maybe[
        Literal[
            "timestamp", "timestamp_ltz", "timestamp_ntz", "timestamp_tz", "datetime", "date",
            "timestamp_unixtime_ms", "timestamp_unixtime_s",
        ]
    ] | None = None
    from_: Maybe[Timestamp] | None = None
    until: Maybe[Timestamp] | None = None


class Schedule(ArgsModel):
    model_config = ConfigDict(title="ScheduleArgs")

    type: Maybe[Literal["interval", "once", "on_demand"]]
    frequency: Maybe[Literal["hourly", "daily", "weekly", "monthly"]] | None = None
    start: Maybe[Timestamp]
    end: Maybe[Timestamp] | None = None


class PipelineArgs(CommonArgs):
    model_config = ConfigDict(title="Pipeline")

    pipeline_type: Maybe[Literal["user_attributes", "events"]]
    connection_id: Maybe[Identifier]
    data_model_id: Maybe[Identifier]
    field_transformation_id: Maybe[Identifier] | None = None
    partner_feed_id: Maybe[PositiveNumber] | None = None
    partner_feed_key: Secret[Maybe[NonBlank]] | None = None
    sync_mode: Maybe[SyncMode]
    schedule: Maybe[Schedule]
    environment: Maybe[Literal["development", "production"]]
    paused: Maybe[bool] | None = None
    data_plan_id: Maybe[NonBlank] | None = None
    data_plan_version: Maybe[PositiveNumber] | None = None


def _later(first: Any, second: Any) -> bool | None:
    """Whether ``second`` is after ``first``; ``None`` when either is not a known timestamp."""
    a = rules.parse_timestamp(first) if isinstance(first, str) else None
    b = rules.parse_timestamp(second) if isinstance(second, str) else None
    return None if a is None or b is None else b > a


def _sync_mode_rules(sync_mode: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    kind = sync_mode.get(TYPE)
    if kind == "incremental":
        if ITERATOR_FIELD not in sync_mode:
            problems.append(
                Problem(
                    f"{SYNC_MODE}.{ITERATOR_FIELD}",
                    "is required for incremental sync: name the column that grows with each change "
                    "(e.g. updated_at)",
                )
            )
        if ITERATOR_DATA_TYPE not in sync_mode:
            problems.append(
                Problem(
                    f"{SYNC_MODE}.{ITERATOR_DATA_TYPE}",
                    "is required for incremental sync: give the iterator column's type, one of "
                    + ", ".join(ITERATOR_DATA_TYPES),
                )
            )
    elif kind == "full":
        for forbidden in (ITERATOR_FIELD, ITERATOR_DATA_TYPE):
            if forbidden in sync_mode:
                problems.append(
                    Problem(
                        f"{SYNC_MODE}.{forbidden}",
                        "only applies to incremental sync: remove it, or set type=\"incremental\"",
                    )
                )
    if _later(sync_mode.get(FROM), sync_mode.get(UNTIL)) is False:
        problems.append(Problem(f"{SYNC_MODE}.{UNTIL}", "must be after sync_mode.from_"))
    return problems


def _schedule_rules(schedule: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    kind = schedule.get(TYPE)
    if kind == "interval" and FREQUENCY not in schedule:
        problems.append(
            Problem(
                f"{SCHEDULE}.{FREQUENCY}",
                "is required for an interval schedule: one of " + ", ".join(FREQUENCIES),
            )
        )
    elif kind in SCHEDULE_TYPES and kind != "interval" and FREQUENCY in schedule:
        problems.append(
            Problem(
                f"{SCHEDULE}.{FREQUENCY}",
                f"only applies to interval schedules: remove it, or set type=\"interval\" "
                f"(a {kind} schedule has no frequency)",
            )
        )
    if _later(schedule.get(START), schedule.get(END)) is False:
        problems.append(Problem(f"{SCHEDULE}.{END}", "must be after schedule.start"))
    return problems


def _rules(raw: Mapping[str, Any]) -> list[Problem]:
    inputs = without_nones(dict(raw))
    problems = common_rules(inputs)
    if inputs.get(PIPELINE_TYPE) == "events" and FIELD_TRANSFORMATION_ID not in inputs:
        problems.append(
            Problem(
                FIELD_TRANSFORMATION_ID,
                "is required for an events pipeline: create a FieldTransformation and pass its id",
            )
        )
    has_id, has_key = PARTNER_FEED_ID in inputs, PARTNER_FEED_KEY in inputs
    if has_id and has_key:
        problems.append(
            Problem(PARTNER_FEED_KEY, "give either partner_feed_id or partner_feed_key, not both: remove one")
        )
    elif not has_id and not has_key:
        problems.append(
            Problem(
                PARTNER_FEED_ID,
                "a Pipeline needs the input feed that receives the data: set partner_feed_id "
                "(the feed's numeric id) or partner_feed_key (its key, as a secret)",
            )
        )
    if (DATA_PLAN_ID in inputs) != (DATA_PLAN_VERSION in inputs):
        missing = DATA_PLAN_VERSION if DATA_PLAN_ID in inputs else DATA_PLAN_ID
        problems.append(
            Problem(missing, "data_plan_id and data_plan_version go together: set both or neither")
        )
    sync_mode = inputs.get(SYNC_MODE)
    if isinstance(sync_mode, Mapping):
        problems += _sync_mode_rules(sync_mode)
    schedule = inputs.get(SCHEDULE)
    if isinstance(schedule, Mapping):
        problems += _schedule_rules(schedule)
    return problems


def validate(inputs: Mapping[str, Any]) -> list[Problem]:
    return merge_problems(validate_model(PipelineArgs, inputs), _rules(inputs))


def _block_to_wire(block: str, value: Mapping[str, Any], fields: Mapping[str, str]) -> dict[str, Any]:
    encoded: dict[str, Any] = {}
    for arg, item in without_nones(dict(value)).items():
        enum = _ENUMS.get(f"{block}.{arg}")
        encoded[fields[arg]] = to_wire_value(enum, item) if enum else item
    return encoded


def to_wire(inputs: Mapping[str, Any], object_id: str) -> dict[str, Any]:
    inputs = without_nones(dict(inputs))
    body: dict[str, Any] = {
        wire.ID: object_id,
        wire.NAME: inputs["name"],
        wire.PIPELINE_TYPE: to_wire_value(PIPELINE_TYPES, inputs[PIPELINE_TYPE]),
        wire.STATE: wire.PIPELINE_STATE_PAUSED if inputs.get(PAUSED) else wire.PIPELINE_STATE_ACTIVE,
        wire.SYNC_MODE: _block_to_wire(SYNC_MODE, inputs[SYNC_MODE], _SYNC_MODE_FIELDS),
        wire.SCHEDULE: _block_to_wire(SCHEDULE, inputs[SCHEDULE], _SCHEDULE_FIELDS),
        wire.ENVIRONMENT: to_wire_value(ENVIRONMENTS, inputs[ENVIRONMENT]),
    }
    for arg, key in _PLAIN_FIELDS.items():
        if arg in inputs:
            body[key] = as_int(inputs[arg])
    if PARTNER_FEED_KEY in inputs:
        body[wire.PARTNER_FEED_KEY] = inputs[PARTNER_FEED_KEY]
    return body


def _block_from_wire(
    block: str, served: Any, previous: Any, fields: Mapping[str, str]
) -> dict[str, Any]:
    served = served if isinstance(served, Mapping) else {}
    prior = previous if isinstance(previous, Mapping) else {}
    decoded: dict[str, Any] = {}
    for arg, key in fields.items():
        value = served.get(key)
        if value is None:
            continue
        enum = _ENUMS.get(f"{block}.{arg}")
        decoded[arg] = prefer_previous(prior.get(arg), from_wire_value(enum, value) if enum else value)
    return decoded


def from_wire(served: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, Any]:
    inputs: dict[str, Any] = {
        "name": prefer_previous(previous.get("name"), served.get(wire.NAME)),
        PIPELINE_TYPE: from_wire_value(PIPELINE_TYPES, served.get(wire.PIPELINE_TYPE)),
        CONNECTION_ID: served.get(wire.CONNECTION_ID),
        DATA_MODEL_ID: served.get(wire.DATA_MODEL_ID),
        SYNC_MODE: _block_from_wire(SYNC_MODE, served.get(wire.SYNC_MODE), previous.get(SYNC_MODE),
                                    _SYNC_MODE_FIELDS),
        SCHEDULE: _block_from_wire(SCHEDULE, served.get(wire.SCHEDULE), previous.get(SCHEDULE),
                                   _SCHEDULE_FIELDS),
        ENVIRONMENT: from_wire_value(ENVIRONMENTS, served.get(wire.ENVIRONMENT)),
    }
    for arg in _OPTIONAL_FIELDS:
        value = served.get(_PLAIN_FIELDS[arg])
        if value is not None:
            inputs[arg] = prefer_previous(previous.get(arg), value)
    # The feed: whichever of id or key the user manages. The key is write-only, and the id
    # the server resolves from a key is not the user's to manage.
    if PARTNER_FEED_KEY in previous:
        inputs[PARTNER_FEED_KEY] = previous[PARTNER_FEED_KEY]
    if PARTNER_FEED_ID in previous or PARTNER_FEED_KEY not in previous:
        feed_id = served.get(wire.PARTNER_FEED_ID)
        if feed_id is not None:
            inputs[PARTNER_FEED_ID] = prefer_previous(previous.get(PARTNER_FEED_ID), feed_id)
    paused = served.get(wire.STATE) == wire.PIPELINE_STATE_PAUSED
    if PAUSED in previous or paused:
        inputs[PAUSED] = paused
    inputs.update(carried_inputs(previous))
    return inputs


def server_outputs(served: Mapping[str, Any]) -> dict[str, Any]:
    outputs = common_server_outputs(served)
    outputs[STATE] = from_wire_value(STATES, served.get(wire.STATE))
    outputs[PARTNER_FEED_ID] = served.get(wire.PARTNER_FEED_ID)
    return outputs


SCHEMA: Final = ResourceSchema(
    kind="Pipeline",
    collection=wire.PIPELINES,
    args_model=PipelineArgs,
    validate=validate,
    to_wire=to_wire,
    from_wire=from_wire,
    server_outputs=server_outputs,
    server_output_keys=(STATE, PARTNER_FEED_ID),
    immutable_keys=frozenset({PIPELINE_TYPE}),
    server_filled_keys=frozenset({PARTNER_FEED_ID}),
    defaults={PAUSED: False},
    references={
        argument: collection
        for argument, wire_key in _PLAIN_FIELDS.items()
        for wire_field, collection in wire.PIPELINE_REFERENCES
        if wire_key == wire_field
    },
    arguments_of_wire_fields={
        wire.STATE: PAUSED,
        f"{wire.SYNC_MODE}.{wire.SYNC_FROM}": f"{SYNC_MODE}.{FROM}",
    },
)
