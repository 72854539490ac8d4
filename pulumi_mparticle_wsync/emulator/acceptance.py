"""What the emulated server accepts in a request body, derived from each resource's schema.

The field declarations (``schema/``) give the keys, types, required fields, enum values and
secrets; the schema's cross-field rules are judged here too, on the body's values read back into
our names, and answered in the API's words (wire names, ``required when ...``). What the server
fills in (defaults, a Snowflake principal, a feed id resolved from its key) is the emulator's own.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from .. import rules, wire
from ..rules import json_type_name as type_name
from ..schema import (
    BY_COLLECTION,
    Block,
    BothOrNeither,
    Enum,
    ExactlyOne,
    Field,
    ForbiddenWhen,
    Identifier,
    Later,
    ListOf,
    RequiredWhen,
    ResourceSchema,
    Rule,
    Scalar,
    SqlQuery,
    Switch,
    Text,
    Timestamp,
    WholeNumber,
    broken_rules,
)
from .validation import SERVER_FIELDS, Fields, Problems, shown

SecretPath = tuple[str, ...]

# The AWS principal the server reports for Snowflake storage integrations [R]: a fixed,
# obviously fake account so nothing here looks like a real mParticle identifier.
EMULATED_AWS_ACCOUNT: Final = "000000000000"


@dataclass(frozen=True)
class WriteContext:
    """What a body is validated against: its workspace and, on PUT, the stored object it replaces."""

    workspace_id: str
    previous: Mapping[str, Any] | None = None


def schema_of(collection: str) -> ResourceSchema | None:
    return BY_COLLECTION.get(collection)


def immutable_keys(schema: ResourceSchema) -> tuple[str, ...]:
    """Top-level wire fields a PUT may not change (a change means a new object)."""
    keys = [f.wire for f in schema.fields if f.replaces and f.wire is not None and f.variant is None]
    keys += sorted({f.variant.key for f in schema.variants if f.variant is not None})
    return tuple(keys)


def secret_paths(schema: ResourceSchema) -> tuple[SecretPath, ...]:
    """Where a stored object of this kind keeps write-only values (every variant's, so a stored
    password stays hidden even if an out-of-band edit changes ``service_provider``)."""
    return schema.wire_secret_paths


def partner_feed_id_for(key: str) -> int:
    """The feed id the server resolves from a partner feed key: stable across restarts."""
    return 10_000 + int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") % 90_000


def provider_label(provider: str, case: str) -> str:
    """``service_provider`` as answered under the ``provider_case`` switch."""
    return provider.capitalize() if case == wire.PROVIDER_CASE_CAPITALISED else provider


# --- Reading one object ------------------------------------------------------------------------


class _Reader:
    """Reads the wire fields of one block into ``Fields``, keeping what each is in our terms."""

    def __init__(self, fields: Fields, previous: Mapping[str, Any] | None, missing_suffix: str = "") -> None:
        self.fields = fields
        self.previous = previous
        self.missing_suffix = missing_suffix
        """For a variant's block: ``for service_provider snowflake``."""
        self.ours: dict[str, Any] = {}
        """The values read, by our names and in our values, for the cross-field rules."""
        self._children: dict[str, Fields | None] = {}

    def _parent(self, path: list[str], required: bool) -> Fields | None:
        fields: Fields | None = self.fields
        for depth, key in enumerate(path):
            joined = ".".join(path[: depth + 1])
            if joined not in self._children:
                self._children[joined] = fields.obj(key, required=required) if fields is not None else None
            fields = self._children[joined]
        return fields

    def read(self, field: Field) -> None:
        assert field.wire is not None
        *parents, key = field.wire.split(".")
        holder = self._parent(parents, field.required)
        if holder is None:
            return
        self.ours[field.name] = _read_value(holder, key, field, self.previous, self.missing_suffix)

    def refuse_unknown(
        self, declared: tuple[Field, ...], extra: tuple[str, ...] = (), ignored: frozenset[str] = frozenset()
    ) -> None:
        top = [f.wire.split(".")[0] for f in declared if f.wire is not None]
        self.fields.refuse_unknown((*top, *extra), ignored=ignored)
        for joined, child in self._children.items():
            if child is None:
                continue
            prefix = f"{joined}."
            child.refuse_unknown(
                tuple(f.wire[len(prefix):] for f in declared if f.wire is not None and f.wire.startswith(prefix))
            )


def _missing(field: Field, suffix: str) -> str:
    if suffix:
        text = f"required {suffix}"
        return f"{text}; it is write-only, so send it on every create and replace" if field.secret else text
    if isinstance(field.type, SqlQuery):
        return "required: write the SELECT statement that reads the warehouse"
    if field.name == "name":
        return "required: give the object a display name"
    return "required"


def _read_value(holder: Fields, key: str, field: Field, previous: Mapping[str, Any] | None, suffix: str) -> Any:
    """Check one wire value; the value in our terms (``None`` when absent or refused)."""
    value_type = field.type
    required = field.required
    missing = _missing(field, suffix)
    if field.secret:
        if required and holder.data.get(key) is None:
            holder.report(key, missing)
            return None
        return _read_secret(holder, key, previous, required=required)
    if isinstance(value_type, Enum):
        return value_type.from_wire(holder.string(key, required=required, choices=value_type.wire_values,
                                                  missing=missing))
    if isinstance(value_type, Switch):
        read = holder.string(key, required=False, choices=(value_type.off, value_type.on))
        return value_type.from_wire(read) if read is not None else None
    if isinstance(value_type, Identifier):
        what = f"id of an existing {_label(field.references)}" if field.references else "id"
        if required and holder.data.get(key) is None and suffix:
            holder.report(key, missing)
            return None
        return holder.identifier(key, required=required, what=what)
    if isinstance(value_type, Timestamp):
        return holder.timestamp(key, required=required)
    if isinstance(value_type, WholeNumber):
        if required and holder.data.get(key) is None and suffix:
            holder.report(key, missing)
            return None
        number = holder.integer(key, required=required, minimum=value_type.minimum)
        if number is not None and value_type.maximum is not None and number > value_type.maximum:
            holder.report(key, value_type.range_reason or f"must be at most {value_type.maximum}")
            return None
        return number
    if isinstance(value_type, Scalar):
        value = holder.data.get(key)
        if isinstance(value, dict | list):
            holder.report(key, f"must be a string, number or boolean, not {type_name(value)}")
            return None
        return value
    if isinstance(value_type, Block):
        child = holder.obj(key, required=required)
        return None if child is None else _read_block(child, value_type, None)
    if isinstance(value_type, ListOf):
        return _read_list(holder, key, field, value_type)
    text = holder.string(key, required=required, missing=missing)
    if text is None:
        return None
    if isinstance(value_type, SqlQuery) and (problem := rules.sql_problem(text)) is not None:
        holder.report(key, problem)
        return None
    if isinstance(value_type, Text) and value_type.starts_with and not text.startswith(value_type.starts_with):
        holder.report(key, value_type.starts_with_reason)
        return None
    return text


def _read_secret(fields: Fields, key: str, previous: Mapping[str, Any] | None, *, required: bool) -> str | None:
    """A write-only string. On PUT the masked literal ``************`` keeps the stored value,
    so a client that sends back what a masked GET returned does not overwrite the secret."""
    value = fields.data.get(key)
    if value == wire.MASKED_SECRET and previous is not None and isinstance(previous.get(key), str):
        kept: str = previous[key]
        fields.data[key] = kept
        return kept
    return fields.string(key, required=required, secret=True)


def _label(collection: str) -> str:
    target = BY_COLLECTION.get(collection)
    return target.label.lower() if target is not None else collection


def _read_block(fields: Fields, block: Block, previous: Mapping[str, Any] | None, suffix: str = "") -> dict[str, Any]:
    reader = _Reader(fields, previous, suffix)
    for field in block.fields:
        reader.read(field)
    reader.refuse_unknown(block.fields)
    _judge(fields, block.rules, block.fields, reader.ours)
    return reader.ours


def _read_list(holder: Fields, key: str, field: Field, of: ListOf) -> list[Any] | None:
    items = holder.array(key, required=field.required)
    if items is None:
        return None
    if not items and of.empty_reason:
        holder.report(key, "add at least one item")
    read: list[Any] = []
    first_at: dict[str, int] = {}
    for index, item in enumerate(items):
        path = f"{holder.path(key)}[{index}]"
        if not isinstance(item, dict):
            keys = ", ".join(_wire_keys(of.item))
            holder.problems.add(path, f"must be an object with {keys}; not {type_name(item)}")
            continue
        before = len(holder.problems.messages)
        ours = _read_block(Fields(item, f"{path}.", holder.problems), of.item, None)
        read.append(ours)
        unique = of.item.field(of.unique) if of.unique else None
        value = ours.get(of.unique) if of.unique else None
        refused = len(holder.problems.messages) > before
        if unique is None or unique.wire is None or not isinstance(value, str) or refused:
            continue
        if value in first_at:
            holder.problems.add(
                f"{path}.{unique.wire}", f"{shown(value)} is already used by {key}[{first_at[value]}]: use it once"
            )
        first_at.setdefault(value, index)
    return read


def _wire_keys(block: Block) -> list[str]:
    return [f.wire for f in block.fields if f.wire is not None]


# --- Cross-field rules, in the API's words ----------------------------------------------------


def _judge(
    fields: Fields, block_rules: tuple[Rule, ...], declared: tuple[Field, ...], ours: Mapping[str, Any]
) -> None:
    by_name = {f.name: f for f in declared}
    for broken in broken_rules(block_rules, declared, ours, lambda _: True, rules.parse_timestamp):
        at = by_name[broken.field]
        if at.wire is not None:
            fields.report(at.wire, _wire_reason(broken.rule, by_name, ours, fields.prefix))


def _wire_value(field: Field, ours: Any) -> Any:
    return field.type.to_wire(ours) if isinstance(field.type, Enum | Switch) else ours


def _wire_reason(rule: Rule, by_name: Mapping[str, Field], ours: Mapping[str, Any], prefix: str) -> str:
    def name(field_name: str) -> str:
        return f"{prefix}{by_name[field_name].wire}"

    if isinstance(rule, RequiredWhen):
        when = by_name[rule.when]
        text = f"required when {name(rule.when)} is {_wire_value(when, rule.equals)}"
        target = by_name[rule.field].type
        return f"{text}; use one of {', '.join(target.wire_values)}" if isinstance(target, Enum) else text
    if isinstance(rule, ForbiddenWhen):
        when = by_name[rule.when]
        value = _wire_value(when, ours.get(rule.when))
        text = f"not allowed when {name(rule.when)} is {value}: remove it"
        if isinstance(when.type, Enum):
            others = [v for v in when.type.values if v not in rule.among]
            if len(others) == 1:
                text += f" or use {_wire_value(when, others[0])}"
        return text
    if isinstance(rule, ExactlyOne):
        first, second = by_name[rule.first].wire, by_name[rule.second].wire
        if ours.get(rule.first) is not None:
            return f"give either {first} or {second}, not both"
        return f"required: give {first} or {second}"
    if isinstance(rule, BothOrNeither):
        missing = rule.second if ours.get(rule.first) is not None else rule.first
        other = rule.first if missing == rule.second else rule.second
        return f"required when {name(other)} is set: give both or neither"
    assert isinstance(rule, Later)
    return f"must be after {name(rule.earlier)}"


# --- A whole object --------------------------------------------------------------------------


def normalise(schema: ResourceSchema, body: object, context: WriteContext) -> dict[str, Any]:
    """The document to store for a POST or PUT ``body``; a 400 naming every problem otherwise."""
    problems = Problems()
    fields = Fields.root(body, problems)
    document = {key: value for key, value in fields.data.items() if key not in SERVER_FIELDS}
    fields.identifier(wire.ID)
    reader = _Reader(fields, context.previous)
    on_wire = [f for f in schema.all_fields if f.wire is not None and f.variant is None]
    reader.read(on_wire[0])  # the name, which every body has, before what is particular to this kind
    for key, value, _ in schema.wire_constants:
        document[key] = fields.string(key, required=False, choices=(value,)) or value
    extra_keys = [wire.ID, *(key for key, _, _ in schema.wire_constants)]
    if schema.variants:
        extra_keys += _read_variant(schema, fields, document, context)
    for field in on_wire[1:]:
        reader.read(field)
    _judge(fields, schema.rules, schema.all_fields, reader.ours)
    reader.refuse_unknown(tuple(on_wire), tuple(extra_keys), ignored=SERVER_FIELDS)
    problems.raise_if_any()
    _fill_in(schema, document, reader.ours, context)
    return document


def _read_variant(schema: ResourceSchema, fields: Fields, document: dict[str, Any], context: WriteContext) -> list[str]:
    """Read the discriminator (``service_provider``) and the block it selects; the keys they take."""
    first = schema.variants[0]
    assert first.variant is not None and first.wire is not None
    key, body_key = first.variant.key, first.wire
    values = [f.variant.value for f in schema.variants if f.variant is not None]
    raw = fields.string(key, missing=f"required: use one of {', '.join(values)}")
    chosen: Field | None = None
    if raw is not None:
        # Responses may capitalise it, so a client echoing ``Snowflake`` back is accepted.
        chosen = next((f for f in schema.variants if f.variant is not None and f.variant.value == raw.lower()), None)
        if chosen is None:
            fields.report(key, f"{shown(raw)} is not one of {', '.join(values)}")
    config = fields.obj(body_key)
    if chosen is not None and chosen.variant is not None:
        document[key] = chosen.variant.value
        if config is not None:
            previous = context.previous
            previous_config = (
                previous.get(body_key) if previous is not None and previous.get(key) == chosen.variant.value else None
            )
            block = chosen.block
            assert block is not None
            _read_block(
                config,
                block,
                previous_config if isinstance(previous_config, Mapping) else None,
                f"for {key} {chosen.variant.value}",
            )
            document[body_key] = dict(config.data)
    return [key, body_key]


def _fill_in(schema: ResourceSchema, document: dict[str, Any], ours: Mapping[str, Any], context: WriteContext) -> None:
    """What the server sets itself when a body leaves it out [R]."""
    for field in schema.fields:
        if field.wire != wire.STATE or document.get(wire.STATE) is not None:
            continue
        if isinstance(field.type, Switch):
            document[wire.STATE] = field.type.off
        elif isinstance(field.type, Enum):
            document[wire.STATE] = field.type.wire_values[0]
    if schema.collection == wire.PIPELINES:
        key = document.get(str(schema.field("partner_feed_key").wire))
        if isinstance(key, str):
            document[str(schema.field("partner_feed_id").wire)] = partner_feed_id_for(key)
    if schema.variants:
        _fill_in_variant(schema, document, context)


def _fill_in_variant(schema: ResourceSchema, document: dict[str, Any], context: WriteContext) -> None:
    config = document.get("config")
    provider = document.get(wire.SERVICE_PROVIDER)
    chosen = next((f for f in schema.variants if f.variant is not None and f.variant.value == provider), None)
    if not isinstance(config, dict) or chosen is None or chosen.block is None:
        return
    workspace_id, connection_id = context.workspace_id, str(document.get(wire.ID))
    for field in chosen.block.fields:
        if not field.server_filled or field.wire is None or config.get(field.wire) is not None:
            continue
        if field.default is not None:
            config[field.wire] = field.default
        elif field.wire == "aws_iam_user_arn":
            config[field.wire] = f"arn:aws:iam::{EMULATED_AWS_ACCOUNT}:user/mparticle-warehouse-sync-{workspace_id}"
        elif field.wire == "aws_external_id":
            config[field.wire] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"wsync-emulator:{workspace_id}:{connection_id}"))
