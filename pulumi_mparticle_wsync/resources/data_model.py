"""``DataModel``: the SQL query that selects the rows a pipeline syncs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pulumi
import pulumi.dynamic

from ..models import DATA_MODEL
from ..state_layout import RESOURCE_MODULE
from ._base import WarehouseSyncProvider
from ._props import arguments_of, read_resource, resource_options, resource_props
from .account import Account


class DataModelProvider(WarehouseSyncProvider):
    model = DATA_MODEL


class DataModelReader(DataModelProvider):
    """The provider of ``DataModel.get``: it reads the object, and never changes or deletes it."""

    read_only = True


class DataModel(pulumi.dynamic.Resource, module=RESOURCE_MODULE, name=DATA_MODEL.kind):
    """A Warehouse Sync data model: one ``SELECT`` (at most 100 columns) over the warehouse.

    Every selected column becomes a user attribute, except the reserved identity columns
    (``email``, ``customer_id``, ``mpid``, ...), which identify the user.
    """

    # Output types for type checkers only: at run time the SDK evaluates a resource class's
    # annotations again for every resource it registers (about 1 ms), and these change no value.
    if TYPE_CHECKING:
        # Inputs, as written.
        name: pulumi.Output[str]
        sql_query: pulumi.Output[str]
        state: pulumi.Output[str | None]
        """``active``/``inactive`` as written; when omitted, the server's state."""
        resource_id: pulumi.Output[str]
        workspace_id: pulumi.Output[str]
        account: pulumi.Output[dict[str, Any] | None]
        # Server-computed.
        status: pulumi.Output[str | None]
        errors: pulumi.Output[list[str]]
        created_on: pulumi.Output[str | None]
        created_by: pulumi.Output[str | None]
        last_modified_on: pulumi.Output[str | None]
        last_modified_by: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        sql_query: pulumi.Input[str],
        state: pulumi.Input[str] | None = None,
        resource_id: pulumi.Input[str] | None = None,
        workspace_id: pulumi.Input[str] | None = None,
        account: Account | None = None,
        adopt: bool = False,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(
            DataModelProvider(),
            resource_name,
            resource_props(DATA_MODEL, resource_name, arguments_of(DATA_MODEL, locals()), adopt=adopt),
            resource_options(DATA_MODEL, opts),
        )

    @staticmethod
    def get(
        resource_name: str,
        id: pulumi.Input[str],
        workspace_id: pulumi.Input[str] | None = None,
        account: Account | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> DataModel:
        """The data model ``id`` as the server holds it, read into the stack: every argument and server field
        is an output, refreshed by ``pulumi refresh``; Pulumi never changes or deletes it (``pulumi destroy``
        only forgets it). A missing data model fails the program, naming the id and the workspace."""
        return read_resource(DataModel, DataModelReader(), DATA_MODEL, resource_name, id, workspace_id, account, opts)
