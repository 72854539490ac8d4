"""Data models (spec §4): one SQL query, checked by ``rules.sql_problem``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ... import rules, wire
from ..validation import SERVER_FIELDS, Fields, Problems
from .common import SecretPath, WriteContext, read_id_and_name

_TOP_LEVEL: Final = (wire.ID, wire.NAME, wire.DATA_MODEL_TYPE, wire.CONFIG, wire.STATE)


def normalise(body: object, context: WriteContext) -> dict[str, Any]:
    problems = Problems()
    fields = Fields.root(body, problems)
    document = read_id_and_name(fields)
    # ``type`` has a single allowed value, so it may be left out and is then filled in.
    document[wire.DATA_MODEL_TYPE] = (
        fields.string(wire.DATA_MODEL_TYPE, required=False, choices=(wire.DATA_MODEL_TYPE_SQL,))
        or wire.DATA_MODEL_TYPE_SQL
    )
    document[wire.STATE] = fields.string(wire.STATE, required=False, choices=wire.DATA_MODEL_STATES) or "active"
    config = fields.obj(wire.CONFIG)
    if config is not None:
        query = config.string(wire.SQL_QUERY, missing="required: write the SELECT statement that reads the warehouse")
        if query is not None and (problem := rules.sql_problem(query)) is not None:
            config.report(wire.SQL_QUERY, problem)
        config.refuse_unknown((wire.SQL_QUERY,))
    fields.refuse_unknown(_TOP_LEVEL, ignored=SERVER_FIELDS)
    problems.raise_if_any()
    return document


def secret_paths(document: Mapping[str, Any]) -> list[SecretPath]:
    return []
