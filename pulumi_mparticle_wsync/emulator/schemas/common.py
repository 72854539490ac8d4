"""Pieces every resource body shares: the id/name pair, the context of a write, secret handling."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ... import wire
from ..validation import SERVER_FIELDS, Fields

SecretPath = tuple[str, ...]


@dataclass(frozen=True)
class WriteContext:
    """What a body is validated against: its workspace and, on PUT, the stored object it replaces."""

    workspace_id: str
    previous: Mapping[str, Any] | None = None


def read_id_and_name(fields: Fields) -> dict[str, Any]:
    """Check ``id`` and ``name``; returns the body minus server-computed fields, the start of the document."""
    document = {key: value for key, value in fields.data.items() if key not in SERVER_FIELDS}
    fields.identifier(wire.ID)
    fields.string(wire.NAME, missing="required: give the object a display name")
    return document


def read_secret(fields: Fields, key: str, previous: Mapping[str, Any] | None, *, required: bool) -> str | None:
    """A write-only string. On PUT the masked literal ``************`` keeps the stored value,
    so a client that sends back what a masked GET returned does not overwrite the secret."""
    value = fields.data.get(key)
    if value == wire.MASKED_SECRET and previous is not None and isinstance(previous.get(key), str):
        kept: str = previous[key]
        fields.data[key] = kept
        return kept
    return fields.string(key, required=required, secret=True)
