"""One ``Kind`` per collection: how its bodies are validated and where its secrets live."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from ... import wire
from . import connections, data_models, pipelines, transformations
from .common import SecretPath, WriteContext


@dataclass(frozen=True)
class Kind:
    collection: str
    label: str  # used in messages: "Connection 'c1' was not found"
    normalise: Callable[[object, WriteContext], dict[str, Any]]
    secret_paths: Callable[[Mapping[str, Any]], list[SecretPath]]


KINDS: Final[dict[str, Kind]] = {
    wire.CONNECTIONS: Kind(wire.CONNECTIONS, "Connection", connections.normalise, connections.secret_paths),
    wire.DATA_MODELS: Kind(wire.DATA_MODELS, "Data model", data_models.normalise, data_models.secret_paths),
    wire.FIELD_TRANSFORMATIONS: Kind(
        wire.FIELD_TRANSFORMATIONS,
        "Field transformation",
        transformations.normalise,
        transformations.secret_paths,
    ),
    wire.PIPELINES: Kind(wire.PIPELINES, "Pipeline", pipelines.normalise, pipelines.secret_paths),
}

__all__ = ["KINDS", "Kind", "SecretPath", "WriteContext"]
