"""Write the exported program: ``__main__.py``, ``Pulumi.yaml`` and ``SECRETS.md``.

The program is built as expressions (``_writer``) from the plan (``_read``): one resource per
object, ``adopt=True`` with its ``resource_id``, the other arguments in the schema's order and
with the ``*Args`` classes the schema names, a reference as the other resource's ``.id``, each
secret as ``config.require_secret(KEY)``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..schema import Block, Field, ListOf
from ..schema.common import ADOPT, RESOURCE_ID
from . import _names
from ._read import ExportPlan, LeftOut, ObjectPlan, Secret, program_order
from ._writer import Call, Expr, Literal, Module, Name
from ._writer import ListOf as ListExpr

PROGRAM_FILE: Final = "__main__.py"
PROJECT_FILE: Final = "Pulumi.yaml"
SECRETS_FILE: Final = "SECRETS.md"


@dataclass(frozen=True)
class Names:
    """The names the program gives each object and secret."""

    variables: Mapping[tuple[str, str], str]
    """(collection, id) -> the Python variable."""
    resources: Mapping[tuple[str, str], str]
    """(collection, id) -> the Pulumi resource name."""
    secret_keys: Mapping[tuple[str, str, tuple[str, ...]], str]
    """(collection, id, argument path) -> the config key."""

    def variable(self, obj: ObjectPlan) -> str:
        return self.variables[(obj.schema.collection, obj.object_id)]

    def secret_key(self, obj: ObjectPlan, secret: Secret) -> str:
        return self.secret_keys[(obj.schema.collection, obj.object_id, secret.path)]


def assign_names(plan: ExportPlan) -> Names:
    place = {resource.collection: index for index, resource in enumerate(program_order())}
    keys = {
        (place[o.schema.collection], o.schema.kind, o.object_id): (o.schema.collection, o.object_id)
        for o in plan.objects
    }
    variables = {keys[k]: name for k, name in _names.variable_names(keys).items()}
    resources = {keys[k]: name for k, name in _names.resource_names(keys).items()}
    secrets = _names.secret_keys(
        ((o.schema.collection, o.object_id, s.path), variables[(o.schema.collection, o.object_id)], s.path[-1])
        for o in plan.objects
        for s in o.secrets
    )
    return Names(variables, resources, secrets)


def secret_lines(plan: ExportPlan, names: Names) -> list[str]:
    """The commands that set the program's secrets, one per secret, in program order."""
    return [f"pulumi config set --secret {names.secret_key(o, s)}" for o in plan.objects for s in o.secrets]


# --- __main__.py ------------------------------------------------------------------------------


def render_program(plan: ExportPlan, names: Names) -> str:
    module = Module()
    has_secrets = any(o.secrets for o in plan.objects)
    module.docstring([
        f"mParticle Warehouse Sync workspace {plan.workspace_id}, as `mparticle-wsync export` read it.",
        "Every object is adopted: `adopt=True` with its `resource_id`, so the first `pulumi up` takes each "
        "one over (an adoption creates nothing; it writes the object as declared here). Run it with "
        f"`mparticle:workspaceId` set to {plan.workspace_id}."
        + (" The secrets the API never returns are read from the stack's config: SECRETS.md lists them."
           if has_secrets else ""),
    ])
    if plan.left_out:
        module.line()
        _left_out_comment(module, plan.left_out)
    if not plan.objects:
        return module.text()  # nothing to declare: no imports (they would go unused)
    module.line()
    if has_secrets:
        module.line("import pulumi")
        module.line()
    module.line("import pulumi_mparticle_wsync as mp")
    if has_secrets:
        module.line()
        module.line("config = pulumi.Config()")
    for resource in program_order():
        objects = [o for o in plan.objects if o.schema is resource]
        if not objects:
            continue
        module.line()
        module.comment(_heading(resource.label, len(objects)))
        for obj in objects:
            module.line()
            for note in _notes(obj, plan):
                module.comment(note, hanging="  ")
            module.assign(names.variable(obj), _resource_call(obj, plan, names))
    return module.text()


def _heading(label: str, count: int) -> str:
    plural = label if count == 1 else f"{label}s"
    return f"{plural} ({count})"


def _left_out_comment(module: Module, left_out: Sequence[LeftOut]) -> None:
    count = len(left_out)
    module.comment(
        f"Left out: {count} object{'s' if count != 1 else ''} of the workspace that this program cannot declare "
        "(Pulumi does not manage them; see docs/adopting.md):"
    )
    for item in left_out:
        module.comment(f"- {item.describe()}", hanging="  ")


def _notes(obj: ObjectPlan, plan: ExportPlan) -> list[str]:
    notes = list(obj.notes)
    for declared, target in obj.references():
        if plan.declared(declared.references, target) is None:
            notes.append(
                f"{declared.name}: {_kind_of(declared.references)} {target!r} is left out of this program "
                "(see the top), so its id is written as is"
            )
    return notes


def _kind_of(collection: str) -> str:
    return next(r.kind for r in program_order() if r.collection == collection)


def _resource_call(obj: ObjectPlan, plan: ExportPlan, names: Names) -> Call:
    kwargs: list[tuple[str, Expr]] = [(RESOURCE_ID.name, Literal(obj.object_id)), (ADOPT.name, Literal(True))]
    secrets = {secret.path: names.secret_key(obj, secret) for secret in obj.secrets}
    for declared in obj.schema.all_fields:
        if declared.wire is None:
            continue
        path = (declared.name,)
        if declared.name not in obj.arguments and path not in secrets:
            continue
        kwargs.append((declared.name, _value(declared, obj.arguments.get(declared.name), path, secrets, obj, plan,
                                            names)))
    return Call(
        f"mp.{obj.schema.kind}",
        args=(Literal(names.resources[(obj.schema.collection, obj.object_id)]),),
        kwargs=tuple(kwargs),
        exploded=True,
    )


def _value(
    declared: Field,
    value: Any,
    path: tuple[str, ...],
    secrets: Mapping[tuple[str, ...], str],
    obj: ObjectPlan,
    plan: ExportPlan,
    names: Names,
) -> Expr:
    if path in secrets:
        return Call("config.require_secret", args=(Literal(secrets[path]),))
    if declared.references and isinstance(value, str):
        target = plan.declared(declared.references, value)
        if target is not None:
            return Name(f"{names.variable(target)}.id")
        return Literal(value)
    if isinstance(declared.type, Block):
        return _block(declared.type, value if isinstance(value, Mapping) else {}, path, secrets, obj, plan, names)
    if isinstance(declared.type, ListOf):
        item = declared.type.item
        return ListExpr(tuple(_block(item, entry, (), {}, obj, plan, names) for entry in value))
    return Literal(value)


def _block(
    block: Block,
    value: Mapping[str, Any],
    path: tuple[str, ...],
    secrets: Mapping[tuple[str, ...], str],
    obj: ObjectPlan,
    plan: ExportPlan,
    names: Names,
) -> Call:
    kwargs = tuple(
        (inner.name, _value(inner, value.get(inner.name), (*path, inner.name), secrets, obj, plan, names))
        for inner in block.fields
        if inner.name in value or (*path, inner.name) in secrets
    )
    return Call(f"mp.{block.title}", kwargs=kwargs)


# --- SECRETS.md and Pulumi.yaml ---------------------------------------------------------------


def render_secrets(plan: ExportPlan, names: Names) -> str:
    lines = ["# Secrets of this program", ""]
    rows = [(o, s) for o in plan.objects for s in o.secrets]
    if not rows:
        lines.append(
            f"The program exported from workspace {plan.workspace_id} reads no secrets: none of its objects "
            "has a write-only value."
        )
        return "\n".join(lines) + "\n"
    lines += [
        "The Warehouse Sync API never returns these values, so `mparticle-wsync export` could not write them",
        f"into `{PROGRAM_FILE}`: the program reads each one from the stack's config with",
        "`config.require_secret(KEY)`. Set them before the first `pulumi up` (each command asks for the value;",
        "an adoption writes it to the object, so give the value the object uses now):",
        "",
        "```sh",
        *secret_lines(plan, names),
        "```",
        "",
        "| config key | resource | field | what it is |",
        "|---|---|---|---|",
    ]
    for obj, secret in rows:
        resource = f"{obj.schema.kind} `{names.variable(obj)}` (id `{obj.object_id}`, {_quoted(obj.display_name)})"
        what = secret.field.doc.replace("|", "\\|")
        lines.append(f"| `{names.secret_key(obj, secret)}` | {resource} | `{'.'.join(secret.path)}` | {what} |")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("|", "\\|")


def render_project(project: str, workspace_id: str) -> str:
    description = f"mParticle Warehouse Sync workspace {workspace_id}, exported by mparticle-wsync export"
    return f"name: {project}\ndescription: {json.dumps(description)}\nruntime: python\n"
