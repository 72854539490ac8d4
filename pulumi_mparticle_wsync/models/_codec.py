"""The wire encoding of a schema's arguments, both ways, and the server-computed outputs.

``to_wire``: valid inputs (our names and values) -> the request body. ``from_wire``: a served
object and the previous inputs -> the inputs in the user's shape, for ``refresh``: the user's own
spelling of an unchanged value is kept, a write-only secret is never read back, and a value the
server filled in that the user never wrote is not drift.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import wire
from ..schema import Block, Enum, Field, ListOf, ResourceSchema, Scalar, Switch, WholeNumber
from ..schema import value_at as served_at
from ._common import as_int, prefer_previous, same_value, without_nones


def _put(body: dict[str, Any], path: str, value: Any) -> None:
    *parents, key = path.split(".")
    for parent in parents:
        body = body.setdefault(parent, {})
    body[key] = value


def _encode(value_type: Any, value: Any) -> Any:
    if isinstance(value_type, Block):
        return encode_fields(value_type.fields, value)
    if isinstance(value_type, ListOf):
        return [encode_fields(value_type.item.fields, item) for item in value]
    if isinstance(value_type, Enum):
        return value_type.to_wire(value)
    if isinstance(value_type, WholeNumber | Scalar):
        # The engine hands every number over as a float: a mapping's static value 2 is sent as 2, not 2.0.
        return as_int(value)
    return value


def encode_fields(fields: tuple[Field, ...], inputs: Mapping[str, Any]) -> dict[str, Any]:
    inputs = without_nones(dict(inputs))
    body: dict[str, Any] = {}
    for field in fields:
        if field.wire is None:
            continue
        value = inputs.get(field.name)
        if isinstance(field.type, Switch):
            _put(body, field.wire, field.type.to_wire(value))
            continue
        if value is None:
            continue
        if field.variant is not None:
            body[field.variant.key] = field.variant.value
        _put(body, field.wire, _encode(field.type, value))
    return body


def to_wire(schema: ResourceSchema, inputs: Mapping[str, Any], object_id: str) -> dict[str, Any]:
    """The full request body for a create or replace (PUT) of the object ``object_id``."""
    body: dict[str, Any] = {wire.ID: object_id}
    body.update({key: value for key, value, _ in schema.wire_constants})
    body.update(encode_fields(schema.all_fields, inputs))
    return body


def served_variant(schema: ResourceSchema, served: Mapping[str, Any]) -> Field | None:
    """The variant block (``snowflake``) the served object is, if any."""
    for field in schema.variants:
        assert field.variant is not None
        value = served.get(field.variant.key)
        if not isinstance(value, str):
            continue
        if value == field.variant.value or (
            field.variant.case_insensitive and value.lower() == field.variant.value.lower()
        ):
            return field
    return None


def _served_value(field: Field, served: Mapping[str, Any]) -> Any:
    assert field.wire is not None
    value = served_at(served, field.wire)
    for fallback in field.wire_fallbacks:
        if value is not None:
            break
        value = served_at(served, fallback)
    return value


def _decode(field: Field, value: Any, previous: Any) -> Any:
    value_type = field.type
    if isinstance(value_type, Block):
        return decode_fields(value_type.fields, value if isinstance(value, Mapping) else {},
                             previous if isinstance(previous, Mapping) else {})
    if isinstance(value_type, ListOf):
        prior = previous if isinstance(previous, list) else []
        return [
            decode_fields(value_type.item.fields, item, prior[i] if i < len(prior) and isinstance(prior[i], Mapping)
                          else {})
            for i, item in enumerate(value if isinstance(value, list) else [])
            if isinstance(item, Mapping)
        ]
    if isinstance(value_type, Enum | Switch):
        value = value_type.from_wire(value)
    return prefer_previous(previous, value)


def _decoded(field: Field, served: Mapping[str, Any], previous: Mapping[str, Any]) -> tuple[bool, Any]:
    """Whether the inputs hold ``field`` after a refresh, and its value."""
    written = field.name in previous
    if field.secret:
        # Write-only: the API omits or masks it, so the configured value stands.
        return written, previous.get(field.name)
    value = _served_value(field, served)
    if isinstance(field.type, Block | ListOf):
        return True, _decode(field, value, previous.get(field.name))
    if value is None:
        return False, None
    if isinstance(field.type, Enum) and value not in field.type.wire_values and field.server_filled:
        # A value the user cannot send (a connection's "new" state) is not drift.
        return written, previous.get(field.name)
    decoded = _decode(field, value, previous.get(field.name))
    if not written:
        if field.default is not None and same_value(decoded, field.default):
            return False, None
        if field.server_filled and field.default is None:
            return False, None
    return True, decoded


def decode_fields(fields: tuple[Field, ...], served: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, Any]:
    decoded: dict[str, Any] = {}
    for field in fields:
        if field.wire is None or field.variant is not None:
            continue
        present, value = _decoded(field, served, previous)
        if present:
            decoded[field.name] = value
    return decoded


def from_wire(schema: ResourceSchema, served: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, Any]:
    """A served object and the previous inputs -> the inputs in the user's shape."""
    inputs = decode_fields(schema.all_fields, served, previous)
    variant = served_variant(schema, served)
    if variant is not None:
        inputs[variant.name] = _decode(variant, served_at(served, str(variant.wire)), previous.get(variant.name))
    # Arguments the server never sees (resource_id, workspace_id, ...) are kept as written.
    inputs.update({f.name: previous[f.name] for f in schema.all_fields if f.wire is None and f.name in previous})
    return inputs


def is_whole(schema: ResourceSchema, served: Mapping[str, Any]) -> bool:
    """Does ``served`` carry every required field, as a ``GET`` of the object does?

    A listing's items are taken as whole objects (spec §2 says a list is a bare array; not what each
    item holds): one that lacks a required field (a summary) must not be read as the object, or a
    refresh would record the missing fields as drift (a connection without its warehouse block would
    even be replaced by the next ``up``). Secrets are not required here: the server may mask or omit them.
    """
    if schema.variants and served_variant(schema, served) is None:
        return False
    for field in schema.fields:
        if field.wire is None or not field.required or field.secret:
            continue
        if served_at(served, field.wire) is None:
            return False
    variant = served_variant(schema, served)
    if variant is not None and isinstance(variant.type, Block):
        block = served_at(served, str(variant.wire))
        if not isinstance(block, Mapping):
            return False
        required = [f for f in variant.type.fields if f.wire is not None and f.required and not f.secret]
        return all(served_at(block, str(f.wire)) is not None for f in required)
    return True


def error_messages(served: Mapping[str, Any]) -> list[str]:
    errors = served.get(wire.ERRORS) or []
    if not isinstance(errors, list):
        return [str(errors)]
    return [str(e.get(wire.ERROR_MESSAGE, e)) if isinstance(e, Mapping) else str(e) for e in errors]


def server_outputs(schema: ResourceSchema, served: Mapping[str, Any]) -> dict[str, Any]:
    """The server-computed outputs of a served object."""
    variant = served_variant(schema, served)
    outputs: dict[str, Any] = {}
    for output in schema.all_outputs:
        if output.wire == wire.ERRORS:
            outputs[output.name] = error_messages(served)
        elif output.is_variant_name:
            outputs[output.name] = variant.name if variant is not None else None
        elif output.only_in_variant and (variant is None or variant.name != output.only_in_variant):
            outputs[output.name] = None
        else:
            value = served_at(served, output.wire)
            outputs[output.name] = output.enum.from_wire(value) if output.enum is not None else value
    return outputs
