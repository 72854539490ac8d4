"""``Connection``: the warehouse mParticle reads from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi.dynamic

from ..models import CONNECTION
from ..state_layout import RESOURCE_MODULE
from ._base import WarehouseSyncProvider
from ._props import arguments_of, read_resource, resource_options, resource_props
from .account import Account


@dataclass(frozen=True, kw_only=True)
class SnowflakeConfigArgs:
    account_identifier: pulumi.Input[str]
    """The Snowflake account identifier."""
    region: pulumi.Input[str]
    """The Snowflake account's region, e.g. ``us-central1.gcp``."""
    warehouse: pulumi.Input[str]
    """The virtual warehouse."""
    database: pulumi.Input[str]
    """The database."""
    role: pulumi.Input[str]
    """The role mParticle uses."""
    user: pulumi.Input[str]
    """The user mParticle signs in as."""
    password: pulumi.Input[str]
    """Secret: kept secret in the state even when given as a plain string (the rest of the block is not)."""
    storage_integration: pulumi.Input[str]
    """Named ``mp_{pod}_{orgId}_{accountId}_s3`` in mParticle's setup guide."""
    aws_iam_user_arn: pulumi.Input[str] | None = None
    """Filled in by the server when omitted (see the ``aws_iam_user_arn`` output)."""
    aws_external_id: pulumi.Input[str] | None = None
    """Filled in by the server when omitted (see the ``aws_external_id`` output)."""


@dataclass(frozen=True, kw_only=True)
class BigQueryConfigArgs:
    region: pulumi.Input[str]
    """The dataset location, e.g. ``us-east4``."""
    project_id: pulumi.Input[str]
    """The Google Cloud project."""
    dataset_id: pulumi.Input[str]
    """The dataset."""
    service_account_id: pulumi.Input[str]
    """The service account mParticle uses."""
    service_account_key: pulumi.Input[str]
    """Secret: the whole JSON key file as a string, kept secret in the state (the rest of the block is not)."""


@dataclass(frozen=True, kw_only=True)
class RedshiftConfigArgs:
    host: pulumi.Input[str]
    """The cluster's endpoint host."""
    database: pulumi.Input[str]
    """The database."""
    user: pulumi.Input[str]
    """The user mParticle signs in as."""
    password: pulumi.Input[str]
    """Secret: kept secret in the state even when given as a plain string (the rest of the block is not)."""
    aws_iam_role_arn: pulumi.Input[str]
    """The IAM role mParticle assumes."""
    port: pulumi.Input[int] | None = None
    """The server uses 5439 when omitted."""


@dataclass(frozen=True, kw_only=True)
class DatabricksConfigArgs:
    provider: pulumi.Input[str]
    """The Delta Sharing provider name."""
    catalog: pulumi.Input[str]
    """The catalog."""
    schema: pulumi.Input[str]
    """The schema."""


class ConnectionProvider(WarehouseSyncProvider):
    model = CONNECTION


class ConnectionReader(ConnectionProvider):
    """The provider of ``Connection.get``: it reads the object, and never changes or deletes it."""

    read_only = True


BlockInput = Mapping[str, Any] | pulumi.Input[Mapping[str, Any]]


class Connection(pulumi.dynamic.Resource, module=RESOURCE_MODULE, name=CONNECTION.kind):
    """A Warehouse Sync connection. Set exactly one of ``snowflake``, ``bigquery``, ``redshift``
    or ``databricks``; switching to another warehouse replaces the connection."""

    # Output types for type checkers only: at run time the SDK evaluates a resource class's
    # annotations again for every resource it registers (about 1 ms), and these change no value.
    if TYPE_CHECKING:
        # Inputs, as written.
        name: pulumi.Output[str]
        state: pulumi.Output[str | None]
        """``active``/``inactive`` as written; when omitted, the server's state (which may be ``new``)."""
        snowflake: pulumi.Output[dict[str, Any] | None]
        bigquery: pulumi.Output[dict[str, Any] | None]
        redshift: pulumi.Output[dict[str, Any] | None]
        databricks: pulumi.Output[dict[str, Any] | None]
        resource_id: pulumi.Output[str]
        workspace_id: pulumi.Output[str]
        account: pulumi.Output[dict[str, Any] | None]
        # Server-computed.
        service_provider: pulumi.Output[str]
        status: pulumi.Output[str | None]
        errors: pulumi.Output[list[str]]
        aws_iam_user_arn: pulumi.Output[str | None]
        aws_external_id: pulumi.Output[str | None]
        created_on: pulumi.Output[str | None]
        created_by: pulumi.Output[str | None]
        last_modified_on: pulumi.Output[str | None]
        last_modified_by: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        snowflake: SnowflakeConfigArgs | BlockInput | None = None,
        bigquery: BigQueryConfigArgs | BlockInput | None = None,
        redshift: RedshiftConfigArgs | BlockInput | None = None,
        databricks: DatabricksConfigArgs | BlockInput | None = None,
        state: pulumi.Input[str] | None = None,
        resource_id: pulumi.Input[str] | None = None,
        workspace_id: pulumi.Input[str] | None = None,
        account: Account | None = None,
        adopt: bool = False,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(
            ConnectionProvider(),
            resource_name,
            resource_props(CONNECTION, resource_name, arguments_of(CONNECTION, locals()), adopt=adopt),
            resource_options(CONNECTION, opts),
        )

    @staticmethod
    def get(
        resource_name: str,
        id: pulumi.Input[str],
        workspace_id: pulumi.Input[str] | None = None,
        account: Account | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> Connection:
        """The connection ``id`` as the server holds it, read into the stack: every argument and server field
        is an output, refreshed by ``pulumi refresh``; Pulumi never changes or deletes it (``pulumi destroy``
        only forgets it). A missing connection fails the program, naming the id and the workspace."""
        return read_resource(Connection, ConnectionReader(), CONNECTION, resource_name, id, workspace_id, account, opts)
