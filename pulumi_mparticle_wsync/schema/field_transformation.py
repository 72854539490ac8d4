"""Field transformations: how warehouse columns map onto mParticle's event batch (spec §5)."""

from __future__ import annotations

from typing import Final

from .. import wire
from ._declare import Block, Enum, Field, ForbiddenWhen, ListOf, RequiredWhen, ResourceSchema, Scalar, Text, same_names

MAPPING: Final = Block(
    "FieldMappingArgs",
    (
        Field("mapping_type", Enum(same_names("column", "static", "ignore")),
              "`column` needs source and destination; `static` needs destination and value; `ignore` needs "
              "source only.", wire="mapping_type", required=True),
        Field("source", Text(), "The warehouse column.", wire="source"),
        Field("destination", Text(), "A path into the event batch, e.g. `events[].data.custom_attributes.order_id`.",
              wire="destination"),
        Field("value", Scalar(), "The constant a `static` mapping writes (a string, number or boolean).",
              wire="value"),
    ),
    rules=(
        RequiredWhen("source", when="mapping_type", equals="column",
                     reason="a 'column' mapping needs source (the warehouse column)"),
        RequiredWhen("destination", when="mapping_type", equals="column",
                     reason="a 'column' mapping needs destination (a path such as events[].data.event_id)"),
        ForbiddenWhen("value", when="mapping_type", among=("column",),
                      reason="a 'column' mapping takes no value: remove it or use mapping_type 'static'"),
        RequiredWhen("destination", when="mapping_type", equals="static",
                     reason="a 'static' mapping needs destination"),
        RequiredWhen("value", when="mapping_type", equals="static",
                     reason="a 'static' mapping needs value (the constant to write)"),
        ForbiddenWhen("source", when="mapping_type", among=("static",),
                      reason="a 'static' mapping must not have source: remove it or use mapping_type 'column'"),
        RequiredWhen("source", when="mapping_type", equals="ignore",
                     reason="an 'ignore' mapping needs source (the column to drop)"),
        ForbiddenWhen("destination", when="mapping_type", among=("ignore",),
                      reason="an 'ignore' mapping must not have destination: remove it"),
        ForbiddenWhen("value", when="mapping_type", among=("ignore",),
                      reason="an 'ignore' mapping takes no value: remove it"),
    ),
)

FIELD_TRANSFORMATION: Final = ResourceSchema(
    kind="FieldTransformation",
    doc="A field transformation: how warehouse columns map onto mParticle's event batch (needed by `events` "
    "pipelines).",
    collection=wire.FIELD_TRANSFORMATIONS,
    label="Field transformation",
    fields=(
        Field("mappings", ListOf(
            MAPPING,
            empty_reason="needs at least one mapping, e.g. FieldMappingArgs(mapping_type=\"column\", "
            "source=\"order_id\", destination=\"events[].data.custom_attributes.order_id\")",
            unique="destination",
            unique_reason="{value} is already the destination of mappings[{first}]: each destination takes "
            "one mapping"),
            "At least one `FieldMappingArgs`. Each destination takes one mapping.", wire="mappings",
            required=True),
    ),
    wire_constants=(("destination_type", "event_batch", "confirmed"),),
)
