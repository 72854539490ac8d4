"""Pipelines: what to sync, from which connection and data model, and when (spec §6)."""

from __future__ import annotations

from typing import Final

from .. import wire
from ._declare import (
    Block,
    BothOrNeither,
    Enum,
    ExactlyOne,
    Field,
    ForbiddenWhen,
    Identifier,
    Later,
    Output,
    RequiredWhen,
    ResourceSchema,
    Switch,
    Text,
    Timestamp,
    WholeNumber,
    same_names,
)

ITERATOR_DATA_TYPES: Final = Enum(
    same_names(
        "timestamp", "timestamp_ltz", "timestamp_ntz", "timestamp_tz", "datetime", "date",
        "timestamp_unixtime_ms", "timestamp_unixtime_s",
    )
)
FREQUENCIES: Final = Enum(same_names("hourly", "daily", "weekly", "monthly"))
SCHEDULE_TYPES: Final = Enum(same_names("interval", "once", "on_demand"))
STATE: Final = Switch(on="paused", off="active")

SYNC_MODE: Final = Block(
    "SyncModeArgs",
    (
        Field("type", Enum(same_names("full", "incremental")), "`full` or `incremental`.", wire="type",
              tag="reconstructed", required=True),
        Field("iterator_field", Text(),
              "Incremental only (required): the column that grows with each change, e.g. `updated_at`.",
              wire="iterator_field", tag="reconstructed"),
        Field("iterator_data_type", ITERATOR_DATA_TYPES,
              f"Incremental only (required): the iterator column's type, one of {ITERATOR_DATA_TYPES.listed}.",
              wire="iterator_data_type", tag="v1"),
        Field("from_", Timestamp(), "Optional ISO 8601 lower bound on the rows loaded (the API's `from`).",
              wire="from", tag="reconstructed"),
        Field("until", Timestamp(), "Optional ISO 8601 upper bound; after `from_`.", wire="until",
              tag="reconstructed"),
    ),
    rules=(
        RequiredWhen("iterator_field", when="type", equals="incremental",
                     reason="is required for incremental sync: name the column that grows with each change "
                     "(e.g. updated_at)"),
        RequiredWhen("iterator_data_type", when="type", equals="incremental",
                     reason="is required for incremental sync: give the iterator column's type, one of "
                     + ", ".join(ITERATOR_DATA_TYPES.values)),
        ForbiddenWhen("iterator_field", when="type", among=("full",),
                      reason="only applies to incremental sync: remove it, or set type=\"incremental\""),
        ForbiddenWhen("iterator_data_type", when="type", among=("full",),
                      reason="only applies to incremental sync: remove it, or set type=\"incremental\""),
        Later("from_", "until", reason="must be after sync_mode.from_"),
    ),
)

SCHEDULE: Final = Block(
    "ScheduleArgs",
    (
        Field("type", SCHEDULE_TYPES, "`interval`, `once` or `on_demand`.",
              wire="type", tag="reconstructed", required=True),
        Field("frequency", FREQUENCIES, f"Interval only (required): {FREQUENCIES.listed}.", wire="frequency",
              tag="v1"),
        Field("start", Timestamp(),
              "Required for every type, `on_demand` included. ISO 8601 with a timezone; anchors an interval's "
              "recurrence (00:15 repeats hourly at :15), and an on-demand pipeline's first run loads the rows "
              "since it.", wire="start", tag="v1", required=True),
        Field("end", Timestamp(), "Optional; after `start`.", wire="end", tag="v1"),
    ),
    rules=(
        RequiredWhen("frequency", when="type", equals="interval",
                     reason="is required for an interval schedule: one of " + ", ".join(FREQUENCIES.values)),
        ForbiddenWhen("frequency", when="type", among=("once", "on_demand"),
                      reason="only applies to interval schedules: remove it, or set type=\"interval\" "
                 "(a {value} schedule has no frequency)"),
        Later("start", "end", reason="must be after schedule.start"),
    ),
)

PIPELINE: Final = ResourceSchema(
    kind="Pipeline",
    doc="A Warehouse Sync pipeline. `pipeline_type` cannot change (a change replaces it); `paused` pauses "
    "and resumes it in place. mParticle allows at most 5 active pipelines per workspace.",
    collection=wire.PIPELINES,
    label="Pipeline",
    fields=(
        Field("pipeline_type", Enum(same_names("user_attributes", "events")),
              "`user_attributes` or `events`.", wire="pipeline_type", tag="reconstructed", required=True,
              replaces=True),
        Field("connection_id", Identifier(), "The id of a `Connection` (pass `conn.id`).", wire="connection_id",
              tag="v1", required=True, references=wire.CONNECTIONS),
        Field("data_model_id", Identifier(), "The id of a `DataModel` (pass `model.id`).", wire="data_model_id",
              tag="v1", required=True, references=wire.DATA_MODELS),
        Field("field_transformation_id", Identifier(),
              "The id of a `FieldTransformation`: required for `events`, optional otherwise.",
              wire="field_transformation_id", tag="reconstructed", references=wire.FIELD_TRANSFORMATIONS),
        Field("partner_feed_id", WholeNumber(minimum=1),
              "The numeric id of the input feed that receives the data; or give `partner_feed_key`.",
              wire="partner_feed_id", tag="v1", server_filled=True),
        Field("partner_feed_key", Text(),
              "The input feed's key instead of its id (the server resolves the id, shown in the "
              "`partner_feed_id` output).", wire="partner_feed_key", tag="v1", secret=True),
        Field("sync_mode", SYNC_MODE, "How rows are loaded: `SyncModeArgs`.", wire="sync_mode", tag="reconstructed",
              required=True),
        Field("schedule", SCHEDULE, "When it runs: `ScheduleArgs`.", wire="schedule", tag="v1", required=True),
        Field("environment", Enum(same_names("development", "production")), "`development` or `production`.",
              wire="environment", tag="v1", required=True),
        Field("paused", STATE, "`True` pauses the pipeline, `False` (the default) resumes it; both in place.",
              wire="state", default=False),
        Field("data_plan_id", Text(), "Optional, with `data_plan_version`.", wire="data_plan_id",
              tag="reconstructed"),
        Field("data_plan_version", WholeNumber(minimum=1), "Optional, with `data_plan_id`.",
              wire="data_plan_version", tag="reconstructed"),
    ),
    rules=(
        RequiredWhen("field_transformation_id", when="pipeline_type", equals="events",
                     reason="is required for an events pipeline: create a FieldTransformation and pass its id"),
        ExactlyOne("partner_feed_id", "partner_feed_key",
                   both_reason="give either partner_feed_id or partner_feed_key, not both: remove one",
                   neither_reason="a Pipeline needs the input feed that receives the data: set partner_feed_id "
                   "(the feed's numeric id) or partner_feed_key (its key, as a secret)"),
        BothOrNeither("data_plan_id", "data_plan_version",
                      reason="data_plan_id and data_plan_version go together: set both or neither"),
    ),
    outputs=(
        Output("state", "`active` or `paused`, as the server reports it.", wire="state",
               python_type="str | None", enum=Enum(same_names("active", "paused"))),
        Output("partner_feed_id", "As written, or the feed the server resolved from `partner_feed_key`.",
               wire="partner_feed_id", python_type="int | None"),
    ),
)
