"""``FieldTransformation``: how warehouse columns map onto mParticle's event batch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi.dynamic

from ..models import FIELD_TRANSFORMATION
from ..state_layout import RESOURCE_MODULE
from ._base import WarehouseSyncProvider
from ._props import arguments_of, read_resource, resource_options, resource_props
from .account import Account


@dataclass(frozen=True, kw_only=True)
class FieldMappingArgs:
    """One mapping. ``column`` needs source and destination; ``static`` needs destination and
    value; ``ignore`` needs source only."""

    mapping_type: pulumi.Input[str]
    """``column`` needs source and destination; ``static`` needs destination and value; ``ignore`` needs
    source only."""
    source: pulumi.Input[str] | None = None
    """The warehouse column."""
    destination: pulumi.Input[str] | None = None
    """A path into the event batch, e.g. ``events[].data.custom_attributes.order_id``."""
    value: pulumi.Input[str | int | float | bool] | None = None
    """The constant a ``static`` mapping writes (a string, number or boolean)."""


class FieldTransformationProvider(WarehouseSyncProvider):
    model = FIELD_TRANSFORMATION


class FieldTransformationReader(FieldTransformationProvider):
    """The provider of ``FieldTransformation.get``: it reads the object, and never changes or deletes it."""

    read_only = True


MappingInput = FieldMappingArgs | Mapping[str, Any] | pulumi.Input[Mapping[str, Any]]


class FieldTransformation(pulumi.dynamic.Resource, module=RESOURCE_MODULE, name=FIELD_TRANSFORMATION.kind):
    """A field transformation (needed by ``events`` pipelines)."""

    # Output types for type checkers only: at run time the SDK evaluates a resource class's
    # annotations again for every resource it registers (about 1 ms), and these change no value.
    if TYPE_CHECKING:
        # Inputs, as written.
        name: pulumi.Output[str]
        mappings: pulumi.Output[list[dict[str, Any]]]
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
        mappings: Sequence[MappingInput] | pulumi.Input[Sequence[Mapping[str, Any]]],
        resource_id: pulumi.Input[str] | None = None,
        workspace_id: pulumi.Input[str] | None = None,
        account: Account | None = None,
        adopt: bool = False,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(
            FieldTransformationProvider(),
            resource_name,
            resource_props(
                FIELD_TRANSFORMATION, resource_name, arguments_of(FIELD_TRANSFORMATION, locals()), adopt=adopt
            ),
            resource_options(FIELD_TRANSFORMATION, opts),
        )

    @staticmethod
    def get(
        resource_name: str,
        id: pulumi.Input[str],
        workspace_id: pulumi.Input[str] | None = None,
        account: Account | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> FieldTransformation:
        """The field transformation ``id`` as the server holds it, read into the stack: every argument and server field
        is an output, refreshed by ``pulumi refresh``; Pulumi never changes or deletes it (``pulumi destroy``
        only forgets it). A missing field transformation fails the program, naming the id and the workspace."""
        return read_resource(
            FieldTransformation, FieldTransformationReader(), FIELD_TRANSFORMATION, resource_name, id, workspace_id,
            account, opts,
        )
