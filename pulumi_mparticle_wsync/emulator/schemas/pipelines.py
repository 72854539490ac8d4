"""Pipelines (spec §6): the shape rules. Rules that need other objects (references, the
active-pipeline limit, immutable fields) live in the service."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, Final

from ... import rules, wire
from ..validation import SERVER_FIELDS, Fields, Problems
from .common import SecretPath, WriteContext, read_id_and_name, read_secret

_TOP_LEVEL: Final = (
    wire.ID,
    wire.NAME,
    wire.PIPELINE_TYPE,
    wire.CONNECTION_ID,
    wire.DATA_MODEL_ID,
    wire.FIELD_TRANSFORMATION_ID,
    wire.PARTNER_FEED_ID,
    wire.PARTNER_FEED_KEY,
    wire.STATE,
    wire.SYNC_MODE,
    wire.SCHEDULE,
    wire.ENVIRONMENT,
    wire.DATA_PLAN_ID,
    wire.DATA_PLAN_VERSION,
)
_SYNC_MODE_KEYS: Final = (
    wire.SYNC_MODE_TYPE,
    wire.SYNC_ITERATOR_FIELD,
    wire.SYNC_ITERATOR_DATA_TYPE,
    wire.SYNC_FROM,
    wire.SYNC_UNTIL,
)
_SCHEDULE_KEYS: Final = (wire.SCHEDULE_TYPE, wire.SCHEDULE_FREQUENCY, wire.SCHEDULE_START, wire.SCHEDULE_END)
_INCREMENTAL: Final = "incremental"
_FULL: Final = "full"
_EVENTS: Final = "events"


def partner_feed_id_for(key: str) -> int:
    """The feed id the server resolves from a partner feed key: stable across restarts."""
    return 10_000 + int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") % 90_000


def normalise(body: object, context: WriteContext) -> dict[str, Any]:
    problems = Problems()
    fields = Fields.root(body, problems)
    document = read_id_and_name(fields)
    pipeline_type = fields.string(wire.PIPELINE_TYPE, choices=wire.PIPELINE_TYPES)
    fields.identifier(wire.CONNECTION_ID, what="id of an existing connection")
    fields.identifier(wire.DATA_MODEL_ID, what="id of an existing data model")
    transformation = fields.identifier(
        wire.FIELD_TRANSFORMATION_ID, required=False, what="id of an existing field transformation"
    )
    if pipeline_type == _EVENTS and transformation is None and not fields.present(wire.FIELD_TRANSFORMATION_ID):
        fields.report(
            wire.FIELD_TRANSFORMATION_ID,
            "required when pipeline_type is events: name the field transformation that maps the columns",
        )
    feed_id = _read_partner_feed(fields, context)
    if feed_id is not None:
        document[wire.PARTNER_FEED_ID] = feed_id
    document[wire.STATE] = (
        fields.string(wire.STATE, required=False, choices=wire.PIPELINE_STATES) or wire.PIPELINE_STATE_ACTIVE
    )
    _check_sync_mode(fields)
    _check_schedule(fields)
    fields.string(wire.ENVIRONMENT, required=False, choices=wire.ENVIRONMENTS)
    _check_data_plan(fields)
    fields.refuse_unknown(_TOP_LEVEL, ignored=SERVER_FIELDS)
    problems.raise_if_any()
    if wire.PARTNER_FEED_KEY in fields.data:
        document[wire.PARTNER_FEED_KEY] = fields.data[wire.PARTNER_FEED_KEY]
    return document


def secret_paths(document: Mapping[str, Any]) -> list[SecretPath]:
    return [(wire.PARTNER_FEED_KEY,)]


def _read_partner_feed(fields: Fields, context: WriteContext) -> int | None:
    feed_id = fields.integer(wire.PARTNER_FEED_ID, required=False, minimum=1)
    has_key = fields.present(wire.PARTNER_FEED_KEY)
    if fields.present(wire.PARTNER_FEED_ID) and has_key:
        fields.report(wire.PARTNER_FEED_ID, "give either partner_feed_id or partner_feed_key, not both")
        return None
    if has_key:
        key = read_secret(fields, wire.PARTNER_FEED_KEY, context.previous, required=True)
        return None if key is None else partner_feed_id_for(key)
    if not fields.present(wire.PARTNER_FEED_ID):
        fields.report(
            wire.PARTNER_FEED_ID,
            "required: give partner_feed_id or partner_feed_key (the input feed that receives the data)",
        )
    return feed_id


def _check_sync_mode(fields: Fields) -> None:
    sync = fields.obj(wire.SYNC_MODE)
    if sync is None:
        return
    sync_type = sync.string(wire.SYNC_MODE_TYPE, choices=wire.SYNC_MODE_TYPES)
    if sync_type == _INCREMENTAL:
        sync.string(wire.SYNC_ITERATOR_FIELD, missing="required when sync_mode.type is incremental")
        sync.string(
            wire.SYNC_ITERATOR_DATA_TYPE,
            choices=wire.ITERATOR_DATA_TYPES,
            missing="required when sync_mode.type is incremental; use one of " + ", ".join(wire.ITERATOR_DATA_TYPES),
        )
    elif sync_type == _FULL:
        for key in (wire.SYNC_ITERATOR_FIELD, wire.SYNC_ITERATOR_DATA_TYPE):
            sync.forbid(key, "not allowed when sync_mode.type is full: remove it or use incremental")
    sync.timestamp(wire.SYNC_FROM, required=False)
    sync.timestamp(wire.SYNC_UNTIL, required=False)
    sync.refuse_unknown(_SYNC_MODE_KEYS)


def _check_schedule(fields: Fields) -> None:
    schedule = fields.obj(wire.SCHEDULE)
    if schedule is None:
        return
    schedule_type = schedule.string(wire.SCHEDULE_TYPE, choices=wire.SCHEDULE_TYPES)
    if schedule_type == wire.SCHEDULE_INTERVAL:
        schedule.string(
            wire.SCHEDULE_FREQUENCY,
            choices=wire.FREQUENCIES,
            missing=f"required when schedule.type is interval; use one of {', '.join(wire.FREQUENCIES)}",
        )
    elif schedule_type is not None:
        schedule.forbid(
            wire.SCHEDULE_FREQUENCY,
            f"not allowed when schedule.type is {schedule_type}: remove it or use interval",
        )
    # ``start`` anchors a recurrence or a one-off run, and bounds an on-demand pipeline's first
    # run (spec §6, §7): required for every type.
    start = schedule.timestamp(wire.SCHEDULE_START)
    end = schedule.timestamp(wire.SCHEDULE_END, required=False)
    if start is not None and end is not None:
        start_at, end_at = rules.parse_timestamp(start), rules.parse_timestamp(end)
        if start_at is not None and end_at is not None and end_at <= start_at:
            schedule.report(wire.SCHEDULE_END, "must be after schedule.start")
    schedule.refuse_unknown(_SCHEDULE_KEYS)


def _check_data_plan(fields: Fields) -> None:
    fields.string(wire.DATA_PLAN_ID, required=False)
    fields.integer(wire.DATA_PLAN_VERSION, required=False, minimum=1)
    has_id, has_version = fields.present(wire.DATA_PLAN_ID), fields.present(wire.DATA_PLAN_VERSION)
    if has_id and not has_version:
        fields.report(wire.DATA_PLAN_VERSION, "required when data_plan_id is set: give both or neither")
    elif has_version and not has_id:
        fields.report(wire.DATA_PLAN_ID, "required when data_plan_version is set: give both or neither")
