"""Connections: the warehouse mParticle reads from (spec §3). One block per warehouse; the wire
tells them apart by ``service_provider`` and carries the block as ``config``."""

from __future__ import annotations

from typing import Final

from .. import wire
from ._declare import (
    Block,
    Enum,
    Field,
    JsonObjectText,
    Output,
    ResourceSchema,
    Tag,
    Text,
    Variant,
    WholeNumber,
    same_names,
)

PASSWORD_DOC: Final = (
    "Secret: kept secret in the state even when given as a plain string (the rest of the block is not)."
)


def _text(name: str, doc: str, tag: Tag, *, required: bool = True, **more: object) -> Field:
    return Field(name, Text(), doc, wire=name, tag=tag, required=required, **more)  # type: ignore[arg-type]


SNOWFLAKE: Final = Block(
    "SnowflakeConfigArgs",
    (
        _text("account_identifier", "The Snowflake account identifier.", "confirmed"),
        _text("region", "The Snowflake account's region, e.g. `us-central1.gcp`.", "confirmed"),
        _text("warehouse", "The virtual warehouse.", "confirmed"),
        _text("database", "The database.", "confirmed"),
        _text("role", "The role mParticle uses.", "confirmed"),
        _text("user", "The user mParticle signs in as.", "confirmed"),
        _text("password", PASSWORD_DOC, "confirmed", secret=True),
        _text("storage_integration", "Named `mp_{pod}_{orgId}_{accountId}_s3` in mParticle's setup guide.",
              "confirmed"),
        _text("aws_iam_user_arn", "Filled in by the server when omitted (see the `aws_iam_user_arn` output).",
              "confirmed", required=False, server_filled=True),
        _text("aws_external_id", "Filled in by the server when omitted (see the `aws_external_id` output).",
              "confirmed", required=False, server_filled=True),
    ),
)
BIGQUERY: Final = Block(
    "BigQueryConfigArgs",
    (
        _text("region", "The dataset location, e.g. `us-east4`.", "reconstructed"),
        _text("project_id", "The Google Cloud project.", "reconstructed"),
        _text("dataset_id", "The dataset.", "reconstructed"),
        _text("service_account_id", "The service account mParticle uses.", "reconstructed"),
        Field("service_account_key", JsonObjectText(),
              "Secret: the whole JSON key file as a string, kept secret in the state (the rest of the block "
              "is not).", wire="service_account_key", tag="reconstructed", required=True, secret=True),
    ),
)
REDSHIFT: Final = Block(
    "RedshiftConfigArgs",
    (
        _text("host", "The cluster's endpoint host.", "confirmed"),
        _text("database", "The database.", "confirmed"),
        _text("user", "The user mParticle signs in as.", "confirmed"),
        _text("password", PASSWORD_DOC, "reconstructed", secret=True),
        Field("aws_iam_role_arn", Text(starts_with="arn:", starts_with_reason=(
            "must be an IAM role ARN such as arn:aws:iam::123456789012:role/mparticle-redshift")),
            "The IAM role mParticle assumes.", wire="aws_iam_role_arn", tag="confirmed", required=True),
        Field("port", WholeNumber(minimum=1, maximum=65535, range_reason="must be a TCP port between 1 and 65535"),
              "The server uses 5439 when omitted.", wire="port", tag="reconstructed", server_filled=True,
              default=5439),
    ),
)
DATABRICKS: Final = Block(
    "DatabricksConfigArgs",
    (
        _text("provider", "The Delta Sharing provider name.", "reconstructed"),
        _text("catalog", "The catalog.", "reconstructed"),
        _text("schema", "The schema.", "reconstructed"),
    ),
)


def _warehouse(name: str, block: Block, provider: str) -> Field:
    return Field(
        name,
        block,
        f"The {block.title.removesuffix('ConfigArgs')} warehouse: `{block.title}`.",
        wire="config",
        tag="confirmed",
        variant=Variant(wire.SERVICE_PROVIDER, provider, tag="confirmed", case_insensitive=True),
    )


CONNECTION: Final = ResourceSchema(
    kind="Connection",
    doc="A Warehouse Sync connection. Set exactly one of `snowflake`, `bigquery`, `redshift` or `databricks`; "
    "switching to another warehouse replaces the connection.",
    collection=wire.CONNECTIONS,
    label="Connection",
    fields=(
        Field("state", Enum(same_names("active", "inactive")),
              "`active` or `inactive`. When omitted, the server decides (it may report `new`).", wire="state",
              tag="confirmed", server_filled=True, served_values=("new",)),
        _warehouse("snowflake", SNOWFLAKE, "snowflake"),
        _warehouse("bigquery", BIGQUERY, "bigquery"),
        _warehouse("redshift", REDSHIFT, "redshift"),
        _warehouse("databricks", DATABRICKS, "databricks"),
    ),
    variant_reason="a Connection needs exactly one warehouse block: set one of snowflake=, bigquery=, redshift= "
    "or databricks=",
    variant_extra_reason="a Connection takes exactly one warehouse block and {first} is already set: remove "
    "{extra} (or {first}), and use one Connection per warehouse",
    outputs=(
        Output("state", "`active`/`inactive` as written; when omitted, the server's state (which may be `new`).",
               wire="state",
               python_type="str | None", enum=Enum(same_names("active", "inactive"))),
        Output("service_provider", "`snowflake`, `bigquery`, `redshift` or `databricks`.",
               wire=wire.SERVICE_PROVIDER, python_type="str", is_variant_name=True),
        Output("aws_iam_user_arn", "Snowflake: the AWS user to trust in the storage integration's policy.",
               wire="config.aws_iam_user_arn", python_type="str | None", only_in_variant="snowflake"),
        Output("aws_external_id", "Snowflake: the external id for the storage integration's trust policy.",
               wire="config.aws_external_id", python_type="str | None", only_in_variant="snowflake"),
    ),
)
