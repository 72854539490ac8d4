"""What the generic provider needs to know about one kind of resource."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from ._common import ADOPT, NAME_PREFIX, RESOURCE_ID, WORKSPACE_ID, Problem, secret_paths

Inputs = Mapping[str, Any]


@dataclass(frozen=True)
class ResourceSchema:
    kind: str
    """User-facing class name, used in messages (``Pipeline``)."""
    collection: str
    """Wire collection (``wire.PIPELINES``)."""
    args_model: type[BaseModel]
    validate: Callable[[Inputs], list[Problem]]
    """Every problem with the inputs, offline; unknown values pass."""
    to_wire: Callable[[Inputs, str], dict[str, Any]]
    """Valid inputs and the object id -> the full request body for POST/PUT."""
    from_wire: Callable[[Inputs, Inputs], dict[str, Any]]
    """A served object and the previous inputs -> inputs in the user's shape (for refresh)."""
    server_outputs: Callable[[Inputs], dict[str, Any]]
    """A served object -> the server-computed outputs."""
    server_output_keys: tuple[str, ...]
    """Outputs besides the inputs and the common server fields."""
    immutable_keys: frozenset[str] = frozenset()
    """Inputs whose change replaces the object (besides resource_id and workspace_id)."""
    exclusive_keys: tuple[str, ...] = ()
    """Blocks of which exactly one is set; switching to another replaces the object."""
    server_filled_keys: frozenset[str] = frozenset()
    """Optional inputs the server decides when omitted: omitting one is not a change."""
    defaults: Mapping[str, Any] = field(default_factory=dict)
    """What an omitted optional input means, for comparisons."""
    references: Mapping[str, str] = field(default_factory=dict)
    """Arguments holding the id of another object, which must be in the same workspace: argument ->
    the collection of that object."""
    arguments_of_wire_fields: Mapping[str, str] = field(default_factory=dict)
    """Wire fields (dotted) whose user-facing argument has another name, for the API's messages
    that name a wire field (``state: ... use state paused`` means the ``paused`` argument)."""

    @property
    def secret_paths(self) -> tuple[tuple[str, ...], ...]:
        """Where the secret arguments are (``("snowflake", "password")``), as ``args_model`` declares them."""
        return secret_paths(self.args_model)

    @property
    def secret_outputs(self) -> tuple[str, ...]:
        """Top-level arguments that are secrets themselves (a block holding one is not)."""
        return tuple(path[0] for path in self.secret_paths if len(path) == 1)

    @property
    def argument_keys(self) -> tuple[str, ...]:
        return tuple(f.alias or name for name, f in self.args_model.model_fields.items())

    @property
    def replacing_keys(self) -> frozenset[str]:
        return self.immutable_keys | {RESOURCE_ID, WORKSPACE_ID}

    @property
    def unmanaged_when_omitted(self) -> frozenset[str]:
        return self.server_filled_keys | {RESOURCE_ID, WORKSPACE_ID}

    @property
    def compared_keys(self) -> tuple[str, ...]:
        """Inputs that describe the object (name_prefix and adopt only steer ``create``)."""
        return tuple(k for k in self.argument_keys if k not in (NAME_PREFIX, ADOPT))
