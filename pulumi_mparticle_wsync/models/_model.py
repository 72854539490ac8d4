"""One resource's schema as the provider uses it: validation, wire encoding and the diff's rules.

Importing this module (and ``models``) does not import pydantic: ``refresh`` and ``destroy`` only
read and delete, which need the wire decoding, not validation, and pydantic is about 150 ms of CPU
at the provider process's start-up. ``validate`` and ``args_model`` import ``_validate`` and
``_build`` (and so pydantic) on first use; the argument models are built once per schema.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..schema import Block, Field, ResourceSchema
from ..schema.common import CREATE_ONLY, KEPT_WHEN_OMITTED
from ..state_layout import arguments
from . import _codec
from ._common import Problem

if TYPE_CHECKING:
    from pydantic import BaseModel

Inputs = Mapping[str, Any]


def _renamed_on_wire(fields: tuple[Field, ...], prefix: str = "", wire_prefix: str = "") -> Iterator[tuple[str, str]]:
    for field in fields:
        if field.wire is None or field.variant is not None:
            continue
        wire_path, path = f"{wire_prefix}{field.wire}", f"{prefix}{field.name}"
        if wire_path != path:
            yield wire_path, path
        if isinstance(field.type, Block):
            yield from _renamed_on_wire(field.type.fields, f"{path}.", f"{wire_path}.")


@dataclass(frozen=True, eq=False)
class ResourceModel:
    schema: ResourceSchema

    @property
    def kind(self) -> str:
        """The user-facing class name, used in messages (``Pipeline``)."""
        return self.schema.kind

    @property
    def collection(self) -> str:
        return self.schema.collection

    @property
    def args_model(self) -> type[BaseModel]:
        """The pydantic model of the arguments, built on first use (and cached)."""
        from ._build import args_model  # pydantic: only when validating, see the module's docstring

        return args_model(self.schema)

    def validate(self, inputs: Inputs) -> list[Problem]:
        """Every problem with the inputs' arguments (the bookkeeping is not checked), offline; unknown
        values pass."""
        from . import _validate  # pydantic: only when validating, see the module's docstring

        return _validate.validate(self.schema, arguments(inputs))

    def to_wire(self, inputs: Inputs, object_id: str) -> dict[str, Any]:
        """Valid inputs and the object id -> the full request body for POST/PUT."""
        return _codec.to_wire(self.schema, inputs, object_id)

    def from_wire(self, served: Inputs, previous: Inputs) -> dict[str, Any]:
        """A served object and the previous inputs -> inputs in the user's shape (for refresh)."""
        return _codec.from_wire(self.schema, served, previous)

    def is_whole(self, served: Inputs) -> bool:
        """Does a served object (a listing's item) carry every required field, as a ``GET`` does?"""
        return _codec.is_whole(self.schema, served)

    def server_outputs(self, served: Inputs) -> dict[str, Any]:
        return _codec.server_outputs(self.schema, served)

    @cached_property
    def server_output_keys(self) -> tuple[str, ...]:
        """Outputs besides the inputs and the common server fields."""
        return tuple(output.name for output in self.schema.outputs)

    @cached_property
    def argument_keys(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.schema.all_fields)

    @cached_property
    def compared_keys(self) -> tuple[str, ...]:
        """Inputs that describe the object (``adopt`` only steers ``create``)."""
        return tuple(key for key in self.argument_keys if key not in CREATE_ONLY)

    @cached_property
    def replacing_keys(self) -> frozenset[str]:
        """Inputs whose change replaces the object."""
        return frozenset(field.name for field in self.schema.all_fields if field.replaces)

    @cached_property
    def exclusive_keys(self) -> tuple[str, ...]:
        """Blocks of which exactly one is set; switching to another replaces the object."""
        return tuple(field.name for field in self.schema.variants)

    @cached_property
    def unmanaged_when_omitted(self) -> frozenset[str]:
        """Optional inputs whose omission is no change (the server, or the provider, decides)."""
        return frozenset(f.name for f in self.schema.all_fields if f.server_filled) | KEPT_WHEN_OMITTED

    @cached_property
    def defaults(self) -> Mapping[str, Any]:
        """What an omitted optional input means, for comparisons."""
        return {f.name: f.default for f in self.schema.all_fields if f.default is not None}

    @cached_property
    def references(self) -> Mapping[str, str]:
        """Arguments holding the id of another object of the same workspace -> its collection."""
        return {f.name: f.references for f in self.schema.all_fields if f.references}

    @cached_property
    def arguments_of_wire_fields(self) -> Mapping[str, str]:
        """Wire fields (dotted) whose argument has another name, for the API's messages that name
        a wire field (``state: ... use state paused`` means the ``paused`` argument)."""
        return dict(_renamed_on_wire(self.schema.all_fields))

    @cached_property
    def secret_paths(self) -> tuple[tuple[str, ...], ...]:
        """Where the secret arguments are (``("snowflake", "password")``)."""
        return self.schema.secret_paths

    @cached_property
    def secret_outputs(self) -> tuple[str, ...]:
        """Top-level arguments that are secrets themselves (a block holding one is not)."""
        return tuple(path[0] for path in self.secret_paths if len(path) == 1)
