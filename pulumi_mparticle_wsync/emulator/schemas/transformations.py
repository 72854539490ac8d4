"""Field transformations (spec §5): mappings from warehouse columns onto the event batch."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ... import rules, wire
from ...rules import json_type_name as type_name
from ..validation import SERVER_FIELDS, Fields, Problems
from .common import SecretPath, WriteContext, read_id_and_name

_TOP_LEVEL: Final = (wire.ID, wire.NAME, wire.DESTINATION_TYPE, wire.MAPPINGS)
_MAPPING_KEYS: Final = (wire.MAPPING_TYPE, wire.MAPPING_SOURCE, wire.MAPPING_DESTINATION, wire.MAPPING_VALUE)


def normalise(body: object, context: WriteContext) -> dict[str, Any]:
    problems = Problems()
    fields = Fields.root(body, problems)
    document = read_id_and_name(fields)
    document[wire.DESTINATION_TYPE] = (
        fields.string(wire.DESTINATION_TYPE, required=False, choices=(wire.DESTINATION_TYPE_EVENT_BATCH,))
        or wire.DESTINATION_TYPE_EVENT_BATCH
    )
    mappings = fields.array(wire.MAPPINGS)
    if mappings is not None:
        if not mappings:
            fields.report(wire.MAPPINGS, "add at least one mapping")
        for index, mapping in enumerate(mappings):
            _check_mapping(mapping, f"{wire.MAPPINGS}[{index}]", problems)
    fields.refuse_unknown(_TOP_LEVEL, ignored=SERVER_FIELDS)
    problems.raise_if_any()
    return document


def secret_paths(document: Mapping[str, Any]) -> list[SecretPath]:
    return []


def _check_mapping(mapping: object, path: str, problems: Problems) -> None:
    if not isinstance(mapping, dict):
        problems.add(path, f"must be an object with mapping_type, source, destination, value; not {type_name(mapping)}")
        return
    fields = Fields(mapping, f"{path}.", problems)
    before = len(problems.messages)
    mapping_type = fields.string(wire.MAPPING_TYPE, choices=wire.MAPPING_TYPES)
    for key in (wire.MAPPING_SOURCE, wire.MAPPING_DESTINATION):
        value = mapping.get(key)
        if value is not None and not isinstance(value, str):
            fields.report(key, f"must be a string, not {type_name(value)}")
    value = mapping.get(wire.MAPPING_VALUE)
    if isinstance(value, dict | list):
        fields.report(wire.MAPPING_VALUE, f"must be a string, number or boolean, not {type_name(value)}")
    fields.refuse_unknown(_MAPPING_KEYS)
    if mapping_type is not None and len(problems.messages) == before:
        problem = rules.mapping_problem(
            mapping_type,
            mapping.get(wire.MAPPING_SOURCE),
            mapping.get(wire.MAPPING_DESTINATION),
            mapping.get(wire.MAPPING_VALUE),
        )
        if problem is not None:
            problems.add(path, problem)
