"""The vocabulary of a resource's schema: fields, value types, outputs and cross-field rules.

A schema is data. Each side reads it in its own terms: ``models/`` builds argument
validation and the wire encoding from it, the emulator its acceptance rules, ``check-api`` the
shapes it expects from a live workspace, and ``scripts/reference_docs.py`` the reference docs.
Nothing here imports Pulumi, pydantic or httpx.

A field's ``tag`` says how sure we are of its wire name and rules (spec
``shared/spec/warehouse-sync-api.md``): ``confirmed`` for v2, ``v1`` (from the earlier
version), or ``reconstructed`` (a guess a live account may correct).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

Tag: TypeAlias = Literal["confirmed", "v1", "reconstructed"]

# --- Value types ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A string, not blank."""

    starts_with: str = ""
    """A required prefix, and ``starts_with_reason`` the message when it is missing."""
    starts_with_reason: str = ""


@dataclass(frozen=True)
class Identifier:
    """An object id: 1-64 letters, digits, ``-`` and ``_``."""


@dataclass(frozen=True)
class Timestamp:
    """ISO 8601 with a time zone."""


@dataclass(frozen=True)
class SqlQuery:
    """One SELECT statement (``rules.sql_problem``)."""


@dataclass(frozen=True)
class JsonObjectText:
    """A string holding a JSON object (a service account's key file)."""


@dataclass(frozen=True)
class WorkspaceId:
    """The numeric workspace id, as a digit string or a whole number."""


@dataclass(frozen=True)
class Url:
    """An absolute ``https://`` URL (``http://`` only for a loopback host). ``api``: the API's base,
    which must not hold the workspace path."""

    api: bool = False


@dataclass(frozen=True)
class WholeNumber:
    minimum: int | None = None
    maximum: int | None = None
    range_reason: str = ""
    """The message for a value outside ``minimum``..``maximum`` (a generic one when empty)."""


@dataclass(frozen=True)
class Number:
    """A number above ``above`` and at most ``maximum`` (fractions allowed)."""

    above: float = 0
    maximum: float | None = None


@dataclass(frozen=True)
class Boolean:
    pass


@dataclass(frozen=True)
class AnyList:
    """A list of any values, only ever compared (``PipelineRun.triggers``)."""


@dataclass(frozen=True)
class Scalar:
    """A string, number or boolean."""


@dataclass(frozen=True)
class Enum:
    """One of ``members``: (our value, its wire value) pairs."""

    members: tuple[tuple[str, str], ...]

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(ours for ours, _ in self.members)

    @property
    def wire_values(self) -> tuple[str, ...]:
        return tuple(theirs for _, theirs in self.members)

    @property
    def listed(self) -> str:
        """Our values as a schema doc lists them: a, b or c, each in backticks."""
        quoted = [f"`{value}`" for value in self.values]
        return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"

    def to_wire(self, value: Any) -> Any:
        return dict(self.members).get(value, value) if isinstance(value, str) else value

    def from_wire(self, value: Any) -> Any:
        """Our value for a wire value; one we do not know passes through unchanged."""
        if not isinstance(value, str):
            return value
        return {theirs: ours for ours, theirs in self.members}.get(value, value)


def same_names(*names: str) -> tuple[tuple[str, str], ...]:
    """Enum members whose wire value is spelt as ours."""
    return tuple((name, name) for name in names)


@dataclass(frozen=True)
class Switch:
    """A boolean argument carried by a wire enum that is always sent: ``on`` for True, ``off``
    for False or omitted."""

    on: str
    off: str

    def to_wire(self, value: Any) -> str:
        return self.on if value is True else self.off

    def from_wire(self, value: Any) -> bool:
        return bool(value == self.on)


@dataclass(frozen=True)
class Block:
    """A nested object of arguments (``sync_mode``)."""

    title: str
    """The Python class users write it with (``SyncModeArgs``); messages name it."""
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...] = ()

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def by_wire(self, wire: str) -> Field | None:
        return next((f for f in self.fields if f.wire == wire), None)


@dataclass(frozen=True)
class ListOf:
    """A list of blocks. ``empty_reason``: an empty list is refused with this message."""

    item: Block
    empty_reason: str = ""
    unique: str = ""
    """An item field whose value may appear once in the list."""
    unique_reason: str = ""
    """The message for a repeated ``unique`` value: ``{value}`` and ``{first}`` (the index it was first at)."""


ValueType: TypeAlias = (
    Text | Identifier | Timestamp | SqlQuery | JsonObjectText | WorkspaceId | Url | WholeNumber | Number
    | Boolean | Scalar | AnyList | Enum | Switch | Block | ListOf
)


@dataclass(frozen=True)
class Variant:
    """The field is one of several blocks the wire tells apart by ``key``'s value (``service_provider``)."""

    key: str
    value: str
    tag: Tag
    case_insensitive: bool = False
    """Compare the served ``key`` case-insensitively (responses may capitalise it)."""


# --- Fields -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One argument: everything any layer knows about it."""

    name: str
    """Our (Python, Pulumi) name."""
    type: ValueType
    doc: str
    wire: str | None
    """Its key in the wire object holding it (dotted for a nested key: ``config.sql_query``);
    ``None`` for an argument the server never sees."""
    tag: Tag = "confirmed"
    required: bool = False
    secret: bool = False
    """Write-only on the wire, encrypted in the state, never quoted in a message."""
    replaces: bool = False
    """A change replaces the object."""
    server_filled: bool = False
    """When omitted the server decides: omitting it is no change, and the served value is not drift."""
    default: Any = None
    """What an omitted value means, for comparisons."""
    references: str = ""
    """The collection of the object whose id this is (in the same workspace)."""
    variant: Variant | None = None
    wire_fallbacks: tuple[str, ...] = ()
    """Other places a live server may answer it at (read only)."""
    served_values: tuple[str, ...] = ()
    """For an enum: wire values the server may answer that a client cannot send."""

    @property
    def block(self) -> Block | None:
        if isinstance(self.type, Block):
            return self.type
        if isinstance(self.type, ListOf):
            return self.type.item
        return None


@dataclass(frozen=True)
class Output:
    """A server-computed output (besides the inputs, which are outputs too)."""

    name: str
    doc: str
    wire: str
    """Dotted path in the served object."""
    python_type: str
    enum: Enum | None = None
    only_in_variant: str = ""
    """Only read when the served object is this variant (the block's name)."""
    is_variant_name: bool = False
    """The output is the name of the variant block the served object is."""


# --- Cross-field rules -------------------------------------------------------------------------
# Field names in a rule are those of the block (or resource) the rule is declared on. Values
# compared are ours (``"incremental"``); the emulator decodes wire values before it asks.


@dataclass(frozen=True)
class RequiredWhen:
    """``field`` is required when ``when`` is ``equals``."""

    field: str
    when: str
    equals: Any
    reason: str
    report_at: str = ""
    """Report it at this field instead of ``field``."""


@dataclass(frozen=True)
class ForbiddenWhen:
    """``field`` is refused when ``when`` is one of ``among``. ``{value}`` in the reason is the
    value ``when`` has."""

    field: str
    when: str
    among: tuple[Any, ...]
    reason: str


@dataclass(frozen=True)
class ExactlyOne:
    """One of ``first`` and ``second``: both is reported at ``second``, neither at ``first``."""

    first: str
    second: str
    both_reason: str
    neither_reason: str


@dataclass(frozen=True)
class BothOrNeither:
    """``first`` and ``second`` go together: the missing one is reported."""

    first: str
    second: str
    reason: str


@dataclass(frozen=True)
class Later:
    """``later`` must be after ``earlier`` (both timestamps), reported at ``later``."""

    earlier: str
    later: str
    reason: str


Rule: TypeAlias = RequiredWhen | ForbiddenWhen | ExactlyOne | BothOrNeither | Later


@dataclass(frozen=True)
class Broken:
    """A rule a document breaks: the field at fault (a name of the rule's block) and the reason."""

    field: str
    reason: str
    rule: Rule


def _present(value: Any) -> bool:
    return value is not None and value != ""


def broken_rules(
    rules: tuple[Rule, ...],
    fields: tuple[Field, ...],
    value_of: Mapping[str, Any],
    known: Callable[[Any], bool],
    parse_time: Callable[[str], Any],
) -> Iterator[Broken]:
    """The rules ``value_of`` (a block's ``fields`` by our names, with our values) breaks.

    ``known(value)`` says whether a value is known (a preview's unknowns are not: a rule that
    needs one is not judged); ``parse_time(text)`` is the timestamp parser both sides share.
    """
    for rule in rules:
        if isinstance(rule, RequiredWhen):
            when = value_of.get(rule.when)
            if known(when) and when == rule.equals and not _present(value_of.get(rule.field)):
                yield Broken(rule.report_at or rule.field, rule.reason, rule)
        elif isinstance(rule, ForbiddenWhen):
            when = value_of.get(rule.when)
            if known(when) and when in rule.among and value_of.get(rule.field) is not None:
                yield Broken(rule.field, rule.reason.replace("{value}", str(when)), rule)
        elif isinstance(rule, ExactlyOne):
            has_first, has_second = value_of.get(rule.first) is not None, value_of.get(rule.second) is not None
            if has_first and has_second:
                yield Broken(rule.second, rule.both_reason, rule)
            elif not has_first and not has_second:
                yield Broken(rule.first, rule.neither_reason, rule)
        elif isinstance(rule, BothOrNeither):
            has_first, has_second = value_of.get(rule.first) is not None, value_of.get(rule.second) is not None
            if has_first != has_second:
                yield Broken(rule.second if has_first else rule.first, rule.reason, rule)
        else:
            earlier, later = value_of.get(rule.earlier), value_of.get(rule.later)
            a = parse_time(earlier) if isinstance(earlier, str) else None
            b = parse_time(later) if isinstance(later, str) else None
            if a is not None and b is not None and b <= a:
                yield Broken(rule.later, rule.reason, rule)


# --- Resources ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceSchema:
    """Everything declared about one kind of resource."""

    kind: str
    """The Pulumi resource class (``Pipeline``)."""
    doc: str
    collection: str
    """Its wire collection (``pipelines``)."""
    label: str
    """How the API names one in messages (``Field transformation``)."""
    fields: tuple[Field, ...]
    """The resource's own arguments (the common ones are in ``COMMON_FIELDS``)."""
    rules: tuple[Rule, ...] = ()
    outputs: tuple[Output, ...] = ()
    """Server-computed outputs of this kind (the common ones are in ``COMMON_OUTPUTS``)."""
    wire_constants: tuple[tuple[str, str, Tag], ...] = ()
    """Wire fields with one allowed value, always sent: (key, value, tag)."""
    variant_reason: str = ""
    """For a resource whose blocks are variants: the message when none is set."""
    variant_extra_reason: str = ""
    """... and when a second one is: ``{first}`` and ``{extra}`` name the two blocks."""

    def field(self, name: str) -> Field:
        return next(f for f in self.all_fields if f.name == name)

    def wire_path(self, path: str) -> str:
        """The dotted wire path of an argument path: ``schedule.type`` -> ``schedule.type``,
        ``paused`` -> ``state``, ``sync_mode.from_`` -> ``sync_mode.from``."""
        fields, parts = self.all_fields, []
        for name in path.split("."):
            field = next(f for f in fields if f.name == name)
            parts.append(str(field.wire))
            fields = field.block.fields if field.block is not None else ()
        return ".".join(parts)

    @property
    def all_fields(self) -> tuple[Field, ...]:
        from .common import COMMON_FIELDS

        return (*COMMON_FIELDS, *self.fields)

    @property
    def all_outputs(self) -> tuple[Output, ...]:
        from .common import COMMON_OUTPUTS

        return (*COMMON_OUTPUTS, *self.outputs)

    @property
    def variants(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.variant is not None)

    @property
    def secret_paths(self) -> tuple[tuple[str, ...], ...]:
        """Where the secret arguments are, as paths of our names: ``(("snowflake", "password"),)``."""
        return tuple(secret_paths(self.all_fields))

    @property
    def wire_secret_paths(self) -> tuple[tuple[str, ...], ...]:
        """Where the secrets are on the wire: ``(("config", "password"),)`` (list items not included)."""
        return tuple(sorted(set(wire_secret_paths(self.fields))))


def secret_paths(fields: tuple[Field, ...], prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for f in fields:
        if f.secret:
            yield (*prefix, f.name)
        elif isinstance(f.type, Block):
            yield from secret_paths(f.type.fields, (*prefix, f.name))


def wire_secret_paths(fields: tuple[Field, ...], prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for f in fields:
        if f.wire is None:
            continue
        here = (*prefix, *f.wire.split("."))
        if f.secret:
            yield here
        elif isinstance(f.type, Block):
            yield from wire_secret_paths(f.type.fields, here)


def value_at(document: Mapping[str, Any], dotted: str) -> Any:
    """The value at a dotted wire path of a served object; ``None`` when any step is missing."""
    value: Any = document
    for key in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value
