"""Data models: the SQL query that selects the rows to sync (spec §4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, ConfigDict
from pydantic_core import PydanticCustomError

from .. import rules, wire
from ._common import (
    STATE,
    CommonArgs,
    Maybe,
    NonBlank,
    Problem,
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

SQL_QUERY: Final = "sql_query"
STATES: Final = bind(("active", "inactive"), wire.DATA_MODEL_STATES)


def _sql(value: str) -> str:
    problem = rules.sql_problem(value)
    if problem:
        raise PydanticCustomError("sql", "{problem}", {"problem": problem})
    return value


class DataModelArgs(CommonArgs):
    model_config = ConfigDict(title="DataModel")

    sql_query: Maybe[Annotated[NonBlank, AfterValidator(_sql)]]
    state: Maybe[Literal["active", "inactive"]] | None = None


def validate(inputs: Mapping[str, Any]) -> list[Problem]:
    return merge_problems(validate_model(DataModelArgs, inputs), common_rules(inputs))


def to_wire(inputs: Mapping[str, Any], object_id: str) -> dict[str, Any]:
    inputs = without_nones(dict(inputs))
    body: dict[str, Any] = {
        wire.ID: object_id,
        wire.NAME: inputs["name"],
        wire.DATA_MODEL_TYPE: wire.DATA_MODEL_TYPE_SQL,
        wire.CONFIG: {wire.SQL_QUERY: inputs[SQL_QUERY]},
    }
    if STATE in inputs:
        body[wire.STATE] = to_wire_value(STATES, inputs[STATE])
    return body


def _served_sql(served: Mapping[str, Any]) -> Any:
    config = served.get(wire.CONFIG)
    if isinstance(config, Mapping) and wire.SQL_QUERY in config:
        return config[wire.SQL_QUERY]
    return served.get(wire.SQL_QUERY)  # [v1] placement, should a live API still use it


def from_wire(served: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, Any]:
    inputs: dict[str, Any] = {
        "name": prefer_previous(previous.get("name"), served.get(wire.NAME)),
        SQL_QUERY: prefer_previous(previous.get(SQL_QUERY), _served_sql(served)),
    }
    if STATE in previous:
        state = from_wire_value(STATES, served.get(wire.STATE))
        inputs[STATE] = prefer_previous(previous[STATE], state) if state in STATES else previous[STATE]
    inputs.update(carried_inputs(previous))
    return inputs


def server_outputs(served: Mapping[str, Any]) -> dict[str, Any]:
    outputs = common_server_outputs(served)
    outputs[STATE] = from_wire_value(STATES, served.get(wire.STATE))
    return outputs


SCHEMA: Final = ResourceSchema(
    kind="DataModel",
    collection=wire.DATA_MODELS,
    args_model=DataModelArgs,
    validate=validate,
    to_wire=to_wire,
    from_wire=from_wire,
    server_outputs=server_outputs,
    server_output_keys=(STATE,),
    server_filled_keys=frozenset({STATE}),
    arguments_of_wire_fields={f"{wire.CONFIG}.{wire.SQL_QUERY}": SQL_QUERY},
)
