"""Field transformations: how warehouse columns map onto mParticle's event batch (spec §5)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final, Literal

from pydantic import ConfigDict

from .. import rules, wire
from ._common import (
    ArgsModel,
    CommonArgs,
    Maybe,
    NonBlank,
    Problem,
    Scalar,
    bind,
    carried_inputs,
    common_rules,
    common_server_outputs,
    from_wire_value,
    known,
    merge_problems,
    prefer_previous,
    to_wire_value,
    validate_model,
    without_nones,
)
from ._schema import ResourceSchema

MAPPINGS: Final = "mappings"
MAPPING_TYPE: Final = "mapping_type"
SOURCE: Final = "source"
DESTINATION: Final = "destination"
VALUE: Final = "value"
MAPPING_TYPES: Final = bind(("column", "static", "ignore"), wire.MAPPING_TYPES)
_MAPPING_FIELDS: Final = {
    MAPPING_TYPE: wire.MAPPING_TYPE,
    SOURCE: wire.MAPPING_SOURCE,
    DESTINATION: wire.MAPPING_DESTINATION,
    VALUE: wire.MAPPING_VALUE,
}


class FieldMapping(ArgsModel):
    model_config = ConfigDict(title="FieldMappingArgs")

    mapping_type: Maybe[Literal["column", "static", "ignore"]]
    source: Maybe[NonBlank] | None = None
    destination: Maybe[NonBlank] | None = None
    value: Maybe[Scalar] | None = None


class FieldTransformationArgs(CommonArgs):
    model_config = ConfigDict(title="FieldTransformation")

    mappings: Maybe[list[Maybe[FieldMapping]]]


_FIELD_AT_FAULT: Final = re.compile(r"\b(?:needs|must not have|takes no) (source|destination|value)\b")


def _mapping_problem(mapping: Mapping[str, Any]) -> tuple[str, str] | None:
    """The first rule a mapping breaks, as (field at fault, message from ``rules``).

    ``rules.mapping_problem`` words every message as "needs X", "must not have X" or
    "takes no X"; the tests cover each rule, so a rewording there shows up here.
    """
    mapping_type = to_wire_value(MAPPING_TYPES, mapping[MAPPING_TYPE])
    problem = rules.mapping_problem(
        mapping_type, mapping.get(SOURCE), mapping.get(DESTINATION), mapping.get(VALUE)
    )
    if problem is None:
        return None
    at_fault = _FIELD_AT_FAULT.search(problem)
    return (at_fault.group(1) if at_fault else MAPPING_TYPE), problem


def _rules(inputs: Mapping[str, Any]) -> list[Problem]:
    problems = common_rules(inputs)
    mappings = inputs.get(MAPPINGS)
    if not isinstance(mappings, list):
        return problems
    if not mappings:
        problems.append(
            Problem(MAPPINGS, "needs at least one mapping, e.g. FieldMappingArgs(mapping_type=\"column\", "
                    "source=\"order_id\", destination=\"events[].data.custom_attributes.order_id\")")
        )
    mapped_to: dict[str, int] = {}
    for index, raw in enumerate(mappings):
        if not isinstance(raw, Mapping):
            continue
        mapping = without_nones(raw)
        if mapping.get(MAPPING_TYPE) not in MAPPING_TYPES or any(
            not known(v) for v in mapping.values()
        ):
            continue
        found = _mapping_problem(mapping)
        if found is not None:
            problems.append(Problem(f"{MAPPINGS}[{index}].{found[0]}", found[1]))
            continue
        destination = mapping.get(DESTINATION)
        if isinstance(destination, str):
            if destination in mapped_to:
                problems.append(
                    Problem(
                        f"{MAPPINGS}[{index}].{DESTINATION}",
                        f"{destination} is already the destination of mappings[{mapped_to[destination]}]: "
                        "each destination takes one mapping",
                    )
                )
            mapped_to.setdefault(destination, index)
    return problems


def validate(inputs: Mapping[str, Any]) -> list[Problem]:
    return merge_problems(validate_model(FieldTransformationArgs, inputs), _rules(inputs))


def _mapping_to_wire(mapping: Mapping[str, Any]) -> dict[str, Any]:
    encoded = {_MAPPING_FIELDS[k]: v for k, v in without_nones(dict(mapping)).items()}
    encoded[wire.MAPPING_TYPE] = to_wire_value(MAPPING_TYPES, mapping[MAPPING_TYPE])
    return encoded


def to_wire(inputs: Mapping[str, Any], object_id: str) -> dict[str, Any]:
    return {
        wire.ID: object_id,
        wire.NAME: inputs["name"],
        wire.DESTINATION_TYPE: wire.DESTINATION_TYPE_EVENT_BATCH,
        wire.MAPPINGS: [_mapping_to_wire(m) for m in inputs[MAPPINGS]],
    }


def _mapping_from_wire(served: Mapping[str, Any], previous: Any) -> dict[str, Any]:
    prior = previous if isinstance(previous, Mapping) else {}
    decoded: dict[str, Any] = {}
    for arg, key in _MAPPING_FIELDS.items():
        value = served.get(key)
        if arg == MAPPING_TYPE:
            value = from_wire_value(MAPPING_TYPES, value)
        if value is not None:
            decoded[arg] = prefer_previous(prior.get(arg), value)
    return decoded


def from_wire(served: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, Any]:
    served_mappings = served.get(wire.MAPPINGS) or []
    prior = previous.get(MAPPINGS)
    prior_mappings = prior if isinstance(prior, list) else []
    inputs: dict[str, Any] = {
        "name": prefer_previous(previous.get("name"), served.get(wire.NAME)),
        MAPPINGS: [
            _mapping_from_wire(m, prior_mappings[i] if i < len(prior_mappings) else None)
            for i, m in enumerate(served_mappings)
            if isinstance(m, Mapping)
        ],
    }
    inputs.update(carried_inputs(previous))
    return inputs


SCHEMA: Final = ResourceSchema(
    kind="FieldTransformation",
    collection=wire.FIELD_TRANSFORMATIONS,
    args_model=FieldTransformationArgs,
    validate=validate,
    to_wire=to_wire,
    from_wire=from_wire,
    server_outputs=common_server_outputs,
    server_output_keys=(),
)
