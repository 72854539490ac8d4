"""Connections: the warehouse mParticle reads from (spec §3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal

from pydantic import ConfigDict, Field

from .. import wire
from ._common import (
    STATE,
    ArgsModel,
    CommonArgs,
    JsonObjectText,
    Maybe,
    NonBlank,
    Problem,
    Secret,
    WholeNumber,
    bind,
    carried_inputs,
    common_rules,
    common_server_outputs,
    from_wire_value,
    known,
    merge_problems,
    prefer_previous,
    same_value,
    secret_paths,
    to_wire_value,
    validate_model,
    without_nones,
)
from ._schema import ResourceSchema

# User-facing block names (ours) and the wire's service_provider values.
SNOWFLAKE: Final = "snowflake"
BIGQUERY: Final = "bigquery"
REDSHIFT: Final = "redshift"
DATABRICKS: Final = "databricks"
BLOCKS: Final = (SNOWFLAKE, BIGQUERY, REDSHIFT, DATABRICKS)
PROVIDER_OF_BLOCK: Final = bind(BLOCKS, wire.SERVICE_PROVIDERS)

STATES: Final = bind(("active", "inactive"), wire.CONNECTION_STATES)

# Output keys of the server-filled Snowflake fields, surfaced at the top level.
SERVICE_PROVIDER: Final = "service_provider"
AWS_IAM_USER_ARN: Final = "aws_iam_user_arn"
AWS_EXTERNAL_ID: Final = "aws_external_id"

# Per block, the user-facing argument names in the order wire.py lists the config keys
# (required then optional); ``bind`` pairs them with the wire names.
_REQUIRED_ARGS: Final[dict[str, tuple[str, ...]]] = {
    SNOWFLAKE: (
        "account_identifier", "region", "warehouse", "database", "role", "user", "password",
        "storage_integration",
    ),
    BIGQUERY: ("region", "project_id", "dataset_id", "service_account_id", "service_account_key"),
    REDSHIFT: ("host", "database", "user", "password", "aws_iam_role_arn"),
    DATABRICKS: ("provider", "catalog", "schema"),
}
_OPTIONAL_ARGS: Final[dict[str, tuple[str, ...]]] = {
    SNOWFLAKE: (AWS_IAM_USER_ARN, AWS_EXTERNAL_ID),
    BIGQUERY: (),
    REDSHIFT: ("port",),
    DATABRICKS: (),
}
CONFIG_FIELDS: Final[dict[str, dict[str, str]]] = {
    block: bind(
        _REQUIRED_ARGS[block] + _OPTIONAL_ARGS[block],
        wire.CONFIG_REQUIRED[PROVIDER_OF_BLOCK[block]] + wire.CONFIG_OPTIONAL[PROVIDER_OF_BLOCK[block]],
    )
    for block in BLOCKS
}
"""Per block: user-facing argument name -> wire config key."""

_SERVER_FILLED_ARGS: Final[dict[str, frozenset[str]]] = {
    block: frozenset(
        arg for arg, key in CONFIG_FIELDS[block].items()
        if key in wire.CONFIG_SERVER_FILLED[PROVIDER_OF_BLOCK[block]]
    )
    for block in BLOCKS
}
# A server-filled value the user never wrote is still drift when it differs from this default.
_SERVER_DEFAULTS: Final[dict[str, dict[str, Any]]] = {REDSHIFT: {"port": wire.REDSHIFT_DEFAULT_PORT}}


class SnowflakeConfig(ArgsModel):
    model_config = ConfigDict(title="SnowflakeConfigArgs")

    account_identifier: Maybe[NonBlank]
    region: Maybe[NonBlank]
    warehouse: Maybe[NonBlank]
    database: Maybe[NonBlank]
    role: Maybe[NonBlank]
    user: Maybe[NonBlank]
    password: Secret[Maybe[NonBlank]]
    storage_integration: Maybe[NonBlank]
    aws_iam_user_arn: Maybe[NonBlank] | None = None
    aws_external_id: Maybe[NonBlank] | None = None


class BigQueryConfig(ArgsModel):
    model_config = ConfigDict(title="BigQueryConfigArgs")

    region: Maybe[NonBlank]
    project_id: Maybe[NonBlank]
    dataset_id: Maybe[NonBlank]
    service_account_id: Maybe[NonBlank]
    service_account_key: Secret[Maybe[JsonObjectText]]


class RedshiftConfig(ArgsModel):
    model_config = ConfigDict(title="RedshiftConfigArgs")

    host: Maybe[NonBlank]
    port: Maybe[WholeNumber] | None = None
    database: Maybe[NonBlank]
    user: Maybe[NonBlank]
    password: Secret[Maybe[NonBlank]]
    aws_iam_role_arn: Maybe[NonBlank]


class DatabricksConfig(ArgsModel):
    model_config = ConfigDict(title="DatabricksConfigArgs")

    provider: Maybe[NonBlank]
    catalog: Maybe[NonBlank]
    # ``schema`` would shadow a BaseModel attribute, hence the alias.
    schema_: Maybe[NonBlank] = Field(alias="schema")


class ConnectionArgs(CommonArgs):
    model_config = ConfigDict(title="Connection")

    state: Maybe[Literal["active", "inactive"]] | None = None
    snowflake: Maybe[SnowflakeConfig] | None = None
    bigquery: Maybe[BigQueryConfig] | None = None
    redshift: Maybe[RedshiftConfig] | None = None
    databricks: Maybe[DatabricksConfig] | None = None


SECRET_ARGS: Final[dict[str, frozenset[str]]] = {
    block: frozenset(path[1] for path in secret_paths(ConnectionArgs) if path[0] == block) for block in BLOCKS
}
"""Per block: its secret arguments (as the config models declare them)."""


def block_of(inputs: Mapping[str, Any]) -> str | None:
    """The warehouse block the inputs set (the first one, if several)."""
    return next((b for b in BLOCKS if inputs.get(b) is not None), None)


def _rules(inputs: Mapping[str, Any]) -> list[Problem]:
    problems = common_rules(inputs)
    present = [b for b in BLOCKS if inputs.get(b) is not None]
    if not present:
        problems.append(
            Problem(
                "",
                "a Connection needs exactly one warehouse block: set one of "
                "snowflake=, bigquery=, redshift= or databricks=",
            )
        )
    for extra in present[1:]:
        problems.append(
            Problem(
                extra,
                f"a Connection takes exactly one warehouse block and {present[0]} is already set: "
                f"remove {extra} (or {present[0]}), and use one Connection per warehouse",
            )
        )
    redshift = inputs.get(REDSHIFT)
    if isinstance(redshift, Mapping):
        port = redshift.get("port")
        if isinstance(port, int | float) and not isinstance(port, bool) and not 1 <= port <= 65535:
            problems.append(Problem("redshift.port", "must be a TCP port between 1 and 65535"))
        role = redshift.get("aws_iam_role_arn")
        if known(role) and isinstance(role, str) and role.strip() and not role.startswith("arn:"):
            problems.append(
                Problem(
                    "redshift.aws_iam_role_arn",
                    "must be an IAM role ARN such as arn:aws:iam::123456789012:role/mparticle-redshift",
                )
            )
    return problems


def validate(inputs: Mapping[str, Any]) -> list[Problem]:
    return merge_problems(validate_model(ConnectionArgs, inputs), _rules(inputs))


def to_wire(inputs: Mapping[str, Any], object_id: str) -> dict[str, Any]:
    inputs = without_nones(dict(inputs))
    block = block_of(inputs)
    if block is None:
        raise ValueError("a Connection needs exactly one warehouse block")
    fields = CONFIG_FIELDS[block]
    config = {fields[arg]: value for arg, value in inputs[block].items() if arg in fields}
    if "port" in inputs[block]:
        config[fields["port"]] = int(inputs[block]["port"])
    body: dict[str, Any] = {
        wire.ID: object_id,
        wire.NAME: inputs["name"],
        wire.SERVICE_PROVIDER: PROVIDER_OF_BLOCK[block],
        wire.CONFIG: config,
    }
    if STATE in inputs:
        body[wire.STATE] = to_wire_value(STATES, inputs[STATE])
    return body


def served_block(served: Mapping[str, Any]) -> str | None:
    provider = str(served.get(wire.SERVICE_PROVIDER) or "").lower()
    return next((b for b, p in PROVIDER_OF_BLOCK.items() if p.lower() == provider), None)


def _block_from_wire(block: str, config: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, Any]:
    decoded: dict[str, Any] = {}
    for arg, key in CONFIG_FIELDS[block].items():
        if arg in SECRET_ARGS[block]:
            # Write-only: the API omits or masks it, so the configured value stands.
            if arg in previous:
                decoded[arg] = previous[arg]
            continue
        value = config.get(key)
        if value is None:
            continue
        if arg in _SERVER_FILLED_ARGS[block] and arg not in previous:
            default = _SERVER_DEFAULTS.get(block, {}).get(arg)
            if default is None or same_value(default, value):
                continue
        decoded[arg] = prefer_previous(previous.get(arg), value)
    return decoded


def from_wire(served: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, Any]:
    inputs: dict[str, Any] = {"name": prefer_previous(previous.get("name"), served.get(wire.NAME))}
    state = from_wire_value(STATES, served.get(wire.STATE))
    if STATE in previous:
        # A state the user cannot send (the server's "new") is not drift.
        inputs[STATE] = prefer_previous(previous[STATE], state) if state in STATES else previous[STATE]
    block = served_block(served)
    if block is not None:
        prior = previous.get(block)
        config = served.get(wire.CONFIG)
        inputs[block] = _block_from_wire(
            block,
            config if isinstance(config, Mapping) else {},
            prior if isinstance(prior, Mapping) else {},
        )
    inputs.update(carried_inputs(previous))
    return inputs


def server_outputs(served: Mapping[str, Any]) -> dict[str, Any]:
    config = served.get(wire.CONFIG)
    config = config if isinstance(config, Mapping) else {}
    block = served_block(served)
    outputs = common_server_outputs(served)
    outputs[STATE] = from_wire_value(STATES, served.get(wire.STATE))
    outputs[SERVICE_PROVIDER] = block
    snowflake = CONFIG_FIELDS[SNOWFLAKE]
    outputs[AWS_IAM_USER_ARN] = config.get(snowflake[AWS_IAM_USER_ARN]) if block == SNOWFLAKE else None
    outputs[AWS_EXTERNAL_ID] = config.get(snowflake[AWS_EXTERNAL_ID]) if block == SNOWFLAKE else None
    return outputs


SCHEMA: Final = ResourceSchema(
    kind="Connection",
    collection=wire.CONNECTIONS,
    args_model=ConnectionArgs,
    validate=validate,
    to_wire=to_wire,
    from_wire=from_wire,
    server_outputs=server_outputs,
    exclusive_keys=BLOCKS,
    server_filled_keys=frozenset({STATE}),
    server_output_keys=(STATE, SERVICE_PROVIDER, AWS_IAM_USER_ARN, AWS_EXTERNAL_ID),
)
