"""Read a workspace and decide, object by object, what the exported program declares.

Each served object goes through the provider's own codec: ``from_wire`` turns it into arguments in
the user's shape, the schema says which arguments are secrets (the API never returns them: the
program reads them from the stack's config) and which hold another object's id. An object is
declared only when the program can reproduce it: its arguments pass the provider's validation, and
``to_wire`` of them gives back every value the server holds. Otherwise it is left out, with the
reasons, and never silently.

Values the server fills in itself: one equal to the field's ``default`` is left out (an omitted
value means the default: a Redshift port 5439, a pipeline not paused). Any other value the server
filled in is kept (a Snowflake ``aws_external_id``, a connection's ``state``, a pipeline's
``partner_feed_id``): adoption replaces the whole object (a PUT), and what the server would fill in
again is not known; keeping it, the adoption sends the object exactly as it is. A value the server
reports but a client cannot send (a connection's state ``new``) is left to the server, with a note.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import rules, schema, wire
from ..models import MODELS, UNKNOWN, ResourceModel, same_value
from ..models._common import as_int
from ..schema import Block, Enum, Field, ListOf, ResourceSchema, Switch, WholeNumber, value_at

if TYPE_CHECKING:
    from ..client import WarehouseSyncClient

_MODEL_OF: dict[str, ResourceModel] = {model.collection: model for model in MODELS}


@dataclass(frozen=True)
class Secret:
    """A secret argument the program reads from the stack's config."""

    path: tuple[str, ...]
    """Its argument path: ``("snowflake", "password")``."""
    field: Field


@dataclass(frozen=True)
class ObjectPlan:
    """One object the program declares."""

    schema: ResourceSchema
    object_id: str
    arguments: Mapping[str, Any]
    """The arguments in the user's shape, secrets aside; references hold the other object's id."""
    secrets: tuple[Secret, ...] = ()
    notes: tuple[str, ...] = ()
    """What a reader of the program should know about it (a comment above it)."""

    @property
    def display_name(self) -> str:
        return str(self.arguments.get(schema.common.NAME.name, ""))

    def references(self) -> Iterator[tuple[Field, str]]:
        """(the field, the id it names) for each argument holding another object's id."""
        for declared in self.schema.all_fields:
            target = self.arguments.get(declared.name)
            if declared.references and isinstance(target, str):
                yield declared, target


@dataclass(frozen=True)
class LeftOut:
    """An object the program cannot declare, and why."""

    schema: ResourceSchema
    object_id: str
    reasons: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.schema.kind} {self.object_id!r}: {'; '.join(self.reasons)}"


@dataclass
class ExportPlan:
    workspace_id: str
    objects: list[ObjectPlan] = field(default_factory=list)
    """In program order: every object after the ones it refers to."""
    left_out: list[LeftOut] = field(default_factory=list)

    def declared(self, collection: str, object_id: str) -> ObjectPlan | None:
        return next(
            (o for o in self.objects if o.schema.collection == collection and o.object_id == object_id), None
        )


def program_order(resources: Sequence[ResourceSchema] = schema.RESOURCES) -> tuple[ResourceSchema, ...]:
    """The resource kinds, each after the kinds its fields refer to (connections before pipelines)."""
    ordered: list[ResourceSchema] = []
    pending = list(resources)
    while pending:
        placed = {r.collection for r in ordered}
        ready = next(
            (r for r in pending
             if all(f.references in placed or f.references == r.collection for f in r.all_fields if f.references)),
            pending[0],  # a cycle: keep the declared order
        )
        ordered.append(ready)
        pending.remove(ready)
    return tuple(ordered)


def read_workspace(client: WarehouseSyncClient, workspace_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every object of every collection of the workspace (one ``GET`` per collection)."""
    return {r.collection: client.list(r.collection, workspace_id=workspace_id) for r in program_order()}


def plan_workspace(workspace_id: str, served: Mapping[str, Sequence[Mapping[str, Any]]]) -> ExportPlan:
    """What the program declares of the objects ``served`` (collection -> the listed objects)."""
    plan = ExportPlan(workspace_id)
    known = {
        collection: {str(o.get(wire.ID)) for o in objects if isinstance(o, Mapping)}
        for collection, objects in served.items()
    }
    for resource in program_order():
        seen: set[str] = set()
        listed = [o for o in served.get(resource.collection, ()) if isinstance(o, Mapping)]
        for document in sorted(listed, key=lambda o: str(o.get(wire.ID))):
            object_id = str(document.get(wire.ID))
            if object_id in seen:
                plan.left_out.append(LeftOut(resource, object_id, ("listed more than once",)))
                continue
            seen.add(object_id)
            planned = plan_object(resource, document, workspace_id, known)
            if isinstance(planned, LeftOut):
                plan.left_out.append(planned)
            else:
                plan.objects.append(planned)
    return plan


def plan_object(
    resource: ResourceSchema,
    served: Mapping[str, Any],
    workspace_id: str,
    known: Mapping[str, set[str]],
) -> ObjectPlan | LeftOut:
    """The program's declaration of one served object, or why there can be none."""
    model = _MODEL_OF[resource.collection]
    object_id = served.get(wire.ID)
    if not isinstance(object_id, str) or rules.id_problem(object_id) is not None:
        return LeftOut(resource, str(object_id), (
            "its id is not one a program can give as resource_id (1-64 letters, digits, - and _)",))
    problem = _unknown_variant(resource, served)
    if problem:
        return LeftOut(resource, object_id, (problem,))
    try:
        arguments = model.from_wire(served, {})
    except Exception as error:  # a served shape the codec does not expect
        return LeftOut(resource, object_id, (f"the provider cannot read it ({type(error).__name__}: {error})",))
    notes: list[str] = []
    _keep_server_filled(resource.all_fields, served, arguments, notes, "")
    _whole_numbers(resource.all_fields, arguments)
    secrets = _secrets(model, arguments)
    reasons = [
        *_missing_references(resource, arguments, workspace_id, known),
        *_problems(model, arguments, secrets),
    ]
    if not reasons:
        reasons += _not_reproduced(model, served, arguments, secrets, object_id)
    if reasons:
        return LeftOut(resource, object_id, tuple(reasons))
    return ObjectPlan(resource, object_id, arguments, secrets, tuple(notes))


def _unknown_variant(resource: ResourceSchema, served: Mapping[str, Any]) -> str:
    if not resource.variants:
        return ""
    from ..models._codec import served_variant

    if served_variant(resource, served) is not None:
        return ""
    key = next(f.variant.key for f in resource.variants if f.variant is not None)
    values = [f.variant.value for f in resource.variants if f.variant is not None]
    listed = f"{', '.join(values[:-1])} or {values[-1]}"
    return f"{key} {served.get(key)!r} is not one this provider knows ({listed})"


def _served_value(declared: Field, document: Mapping[str, Any]) -> Any:
    assert declared.wire is not None
    value = value_at(document, declared.wire)
    for fallback in declared.wire_fallbacks:
        if value is None:
            value = value_at(document, fallback)
    return value


def _keep_server_filled(
    fields: tuple[Field, ...], served: Mapping[str, Any], arguments: dict[str, Any], notes: list[str], prefix: str
) -> None:
    """Put back the values the server filled in that ``from_wire`` leaves out (module docstring)."""
    for declared in fields:
        if declared.wire is None:
            continue
        if isinstance(declared.type, Block):
            block = arguments.get(declared.name)
            holder = value_at(served, declared.wire)
            if isinstance(block, dict) and isinstance(holder, Mapping):
                _keep_server_filled(declared.type.fields, holder, block, notes, f"{prefix}{declared.name}.")
            continue
        if not declared.server_filled or declared.default is not None or declared.name in arguments:
            continue
        value = _served_value(declared, served)
        if value is None:
            continue
        if value in declared.served_values:
            notes.append(
                f"{prefix}{declared.name}: the server reports {value!r}, which a program cannot set "
                "(left to the server)"
            )
            continue
        if isinstance(declared.type, Enum):
            value = declared.type.from_wire(value)  # a value it does not know stays, and fails validation
        arguments[declared.name] = value


def _whole_numbers(fields: tuple[Field, ...], arguments: dict[str, Any]) -> None:
    """``5439.0`` (a JSON number read as a float) written as ``5439``."""
    for declared in fields:
        value = arguments.get(declared.name)
        if isinstance(declared.type, WholeNumber) and value is not None:
            arguments[declared.name] = as_int(value)
        elif isinstance(declared.type, Block) and isinstance(value, dict):
            _whole_numbers(declared.type.fields, value)
        elif isinstance(declared.type, ListOf) and isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    _whole_numbers(declared.type.item.fields, item)


def _field_at(resource: ResourceSchema, path: tuple[str, ...]) -> Field:
    fields, found = resource.all_fields, None
    for name in path:
        found = next(f for f in fields if f.name == name)
        fields = found.block.fields if found.block is not None else ()
    assert found is not None
    return found


def _with_secrets(arguments: Mapping[str, Any], secrets: Sequence[Secret]) -> dict[str, Any]:
    """``arguments`` with each secret set to the engine's unknown value (valid whatever it turns out to be)."""
    filled: dict[str, Any] = {k: dict(v) if isinstance(v, Mapping) else v for k, v in arguments.items()}
    for secret in secrets:
        holder = filled
        for name in secret.path[:-1]:
            holder = holder[name]
        holder[secret.path[-1]] = UNKNOWN
    return filled


def _secrets(model: ResourceModel, arguments: Mapping[str, Any]) -> tuple[Secret, ...]:
    """The secret arguments the object needs, found through the schema: each required one of the
    blocks it has, and an optional one when the schema's rules ask for it (``partner_feed_key``
    when there is no ``partner_feed_id``)."""
    secrets: list[Secret] = []
    for path in model.schema.secret_paths:
        if len(path) > 1 and not isinstance(arguments.get(path[0]), Mapping):
            continue  # a block the object does not have (another warehouse's)
        declared = _field_at(model.schema, path)
        candidate = Secret(path, declared)
        if not declared.required:
            without = {p.path for p in model.validate(_with_secrets(arguments, secrets))}
            with_it = {p.path for p in model.validate(_with_secrets(arguments, [*secrets, candidate]))}
            if not without - with_it:
                continue
        secrets.append(candidate)
    return tuple(secrets)


def _missing_references(
    resource: ResourceSchema, arguments: Mapping[str, Any], workspace_id: str, known: Mapping[str, set[str]]
) -> Iterator[str]:
    for declared in resource.all_fields:
        target = arguments.get(declared.name)
        if declared.references and isinstance(target, str) and target not in known.get(declared.references, ()):
            label = schema.BY_COLLECTION[declared.references].label.lower()
            yield f"{declared.name} names {label} {target!r}, which is not in workspace {workspace_id}"


def _problems(model: ResourceModel, arguments: Mapping[str, Any], secrets: Sequence[Secret]) -> Iterator[str]:
    for problem in model.validate(_with_secrets(arguments, secrets)):
        yield f"{problem.path or model.kind}: {problem.reason}"


# --- Does the program give back what the server holds? ------------------------------------------


def _not_reproduced(
    model: ResourceModel,
    served: Mapping[str, Any],
    arguments: Mapping[str, Any],
    secrets: Sequence[Secret],
    object_id: str,
) -> list[str]:
    """What ``to_wire`` of the arguments would not send back as the server holds it: fields the
    schema does not know (an adoption's PUT would drop them) and values it would change."""
    body = model.to_wire(_with_secrets(arguments, secrets), object_id)
    expected = _expected(model.schema, served, arguments)
    unknown: list[str] = []
    changed: list[str] = []
    _compare(expected, body, "", unknown, changed, _case_insensitive_keys(model.schema))
    reasons = []
    if unknown:
        reasons.append(
            f"fields this provider does not know: {', '.join(unknown)} (adopting it, a PUT of the whole object, "
            "would remove them)"
        )
    reasons += changed
    return reasons


def _case_insensitive_keys(resource: ResourceSchema) -> frozenset[str]:
    return frozenset(f.variant.key for f in resource.variants if f.variant is not None and f.variant.case_insensitive)


def _expected(resource: ResourceSchema, served: Mapping[str, Any], arguments: Mapping[str, Any]) -> dict[str, Any]:
    """What of ``served`` a body must carry: not the server's own fields, nor the write-only
    secrets, nor what the server fills in by itself (a value a client cannot send, a default the
    arguments leave out); a value read at a fallback place moved to its own."""
    expected: dict[str, Any] = _drop_nulls(dict(served))
    for key in wire.SERVER_FIELDS:
        expected.pop(key, None)
    for path in resource.wire_secret_paths:
        _remove(expected, path)
    for declared in resource.all_fields:
        for fallback in declared.wire_fallbacks if declared.wire is not None else ():
            value = value_at(expected, fallback)
            if value is not None:
                _remove(expected, tuple(fallback.split(".")))
                if value_at(expected, str(declared.wire)) is None:
                    _put(expected, str(declared.wire), value)
    _drop_server_filled(resource.all_fields, expected, arguments)
    return expected


def _drop_server_filled(fields: tuple[Field, ...], document: dict[str, Any], arguments: Mapping[str, Any]) -> None:
    for declared in fields:
        if declared.wire is None:
            continue
        value = value_at(document, declared.wire)
        if isinstance(declared.type, Block):
            inner = arguments.get(declared.name)
            if isinstance(value, dict) and isinstance(inner, Mapping):
                _drop_server_filled(declared.type.fields, value, inner)
            continue
        if value is None:
            continue
        served_only = value in declared.served_values
        omitted_default = (
            declared.name not in arguments
            and declared.default is not None
            and same_value(declared.type.from_wire(value) if isinstance(declared.type, Enum | Switch) else value,
                           declared.default)
        )
        if served_only or omitted_default:
            _remove(document, tuple(declared.wire.split(".")))


def _drop_nulls(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value


def _remove(document: dict[str, Any], path: tuple[str, ...]) -> None:
    holder: Any = document
    for key in path[:-1]:
        holder = holder.get(key) if isinstance(holder, dict) else None
    if isinstance(holder, dict):
        holder.pop(path[-1], None)


def _put(document: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, key = dotted.split(".")
    for parent in parents:
        document = document.setdefault(parent, {})
    document[key] = value


def _compare(
    expected: Any, sent: Any, path: str, unknown: list[str], changed: list[str], case_insensitive: frozenset[str]
) -> None:
    if isinstance(expected, Mapping) and isinstance(sent, Mapping):
        for key, value in expected.items():
            here = f"{path}.{key}" if path else key
            if key not in sent:
                unknown.append(here)
            elif not path and key in case_insensitive and isinstance(value, str) and isinstance(sent[key], str):
                if value.lower() != sent[key].lower():
                    changed.append(_changed(here, value, sent[key]))
            else:
                _compare(value, sent[key], here, unknown, changed, case_insensitive)
        return
    if isinstance(expected, list) and isinstance(sent, list):
        if len(expected) != len(sent):
            changed.append(f"{path}: the server holds {len(expected)} items, of which the program can give back "
                           f"{len(sent)} (the others are not objects it can read)")
            return
        for index, (item, sent_item) in enumerate(zip(expected, sent, strict=True)):
            _compare(item, sent_item, f"{path}[{index}]", unknown, changed, case_insensitive)
        return
    if not same_value(expected, sent) or isinstance(expected, Mapping | list):
        changed.append(_changed(path, expected, sent))


def _changed(path: str, served: Any, sent: Any) -> str:
    return (
        f"{path}: the server holds {_shown(served)}, which the program cannot give back (it would send "
        f"{_shown(sent)})"
    )


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
