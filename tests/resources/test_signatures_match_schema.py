"""The hand-written Python surfaces agree with the schema, field by field.

For each resource (``pulumi_mparticle_wsync/schema/``) and its class in ``resources/``:

- the constructor's keyword arguments are the schema's arguments, required exactly when the field
  is, each annotated as its value type says (``INPUT_ANNOTATIONS``);
- each ``*Args`` dataclass (named by its block's ``title``) has exactly the block's fields, required
  exactly when the field is, annotated the same way, and documented with the field's ``doc``;
- the class's output annotations (at class level and under ``if TYPE_CHECKING:``) cover every
  argument and every server output, typed as the schema says, and an output's docstring is the
  schema's.

A docstring is compared with the schema's ``doc`` in reST: ```x``` for the schema's ```x```, runs of
whitespace as one space. The annotations are compared as written (the modules use
``from __future__ import annotations``), so a change of either side fails here with what to change.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from pulumi_mparticle_wsync import resources, schema
from pulumi_mparticle_wsync.resources import account as account_module
from pulumi_mparticle_wsync.schema import Block, Field, ListOf, ResourceSchema, ValueType
from pulumi_mparticle_wsync.schema.common import ACCOUNT, ADOPT, CREATE_ONLY, KEPT_WHEN_OMITTED
from pulumi_mparticle_wsync.schema.pipeline_run import PIPELINE_RUN

# What the constructor and the ``*Args`` classes annotate a value of each type with (its ``| None``
# when optional added by ``input_annotation``). Blocks and lists are below.
INPUT_ANNOTATIONS: dict[type, str] = {
    schema.Text: "pulumi.Input[str]",
    schema.Identifier: "pulumi.Input[str]",
    schema.Timestamp: "pulumi.Input[str]",
    schema.SqlQuery: "pulumi.Input[str]",
    schema.JsonObjectText: "pulumi.Input[str]",
    schema.WorkspaceId: "pulumi.Input[str]",
    schema.Url: "pulumi.Input[str]",
    schema.Enum: "pulumi.Input[str]",
    schema.WholeNumber: "pulumi.Input[int]",
    schema.Boolean: "pulumi.Input[bool]",
    schema.Switch: "pulumi.Input[bool]",
    schema.Scalar: "pulumi.Input[str | int | float | bool]",
    schema.Number: "pulumi.Input[float]",
    schema.AnyList: "pulumi.Input[list[Any]]",
}
BLOCK_ANNOTATION = "{title} | BlockInput"
"""A block: its ``*Args`` class, or a dict (``BlockInput``, a module-level alias)."""
LIST_ANNOTATION = re.compile(r"Sequence\[(?P<alias>\w+)\] \| pulumi\.Input\[Sequence\[Mapping\[str, Any\]\]\]")
"""A list of blocks: a sequence of an alias (``MappingInput``) that takes the item's ``*Args`` class."""

# The same value types as outputs: what ``pulumi.Output[...]`` holds (``| None`` when it may be unset).
OUTPUT_TYPES: dict[type, str] = {
    **{kind: "str" for kind, annotation in INPUT_ANNOTATIONS.items() if annotation == "pulumi.Input[str]"},
    schema.WholeNumber: "int",
    schema.Boolean: "bool",
    schema.Switch: "bool",
    schema.Scalar: "str | int | float | bool",
    schema.Number: "float",
    schema.AnyList: "list[Any]",
    Block: "dict[str, Any]",
    ListOf: "list[dict[str, Any]]",
}

PLAIN = {ADOPT.name: "bool"}
"""Read by the constructor itself (``adopt=adopt``), so a plain value, never an ``Output``; default ``False``."""
ONLY_ITS_CLASS = {ACCOUNT.name: "Account | None"}
"""Blocks taken as their class only, never a dict: ``account=mp.Account(...)``."""
NOT_OUTPUTS = CREATE_ONLY
"""They only steer ``create`` (``schema/common.py``): no output annotation."""


@dataclass(frozen=True)
class Member:
    """An annotated name in a class body, and the string under it if any."""

    annotation: str
    docstring: str | None


def resource_class(resource: ResourceSchema) -> type:
    found = getattr(resources, resource.kind, None)
    assert isinstance(found, type), f"pulumi_mparticle_wsync.resources has no class {resource.kind}"
    return found


def module_of(resource: ResourceSchema) -> ModuleType:
    return sys.modules[resource_class(resource).__module__]


def class_members(module: ModuleType, class_name: str) -> dict[str, Member]:
    """The annotations of a class in ``module``'s source: class level and under ``if TYPE_CHECKING:``."""
    tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    members: dict[str, Member] = {}

    def scan(body: list[ast.stmt]) -> None:
        for statement, following in zip(body, [*body[1:], None], strict=True):
            if isinstance(statement, ast.If) and ast.unparse(statement.test) == "TYPE_CHECKING":
                scan(statement.body)
            elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                docstring = None
                if (isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                        and isinstance(following.value.value, str)):
                    docstring = following.value.value
                members[statement.target.id] = Member(ast.unparse(statement.annotation), docstring)

    scan(node.body)
    return members


def rest(doc: str) -> str:
    """The schema's markdown-ish doc as a docstring writes it: ```x``` for ```x```, whitespace runs as one space."""
    return normalised(re.sub(r"(?<!`)`(?!`)", "``", doc))


def normalised(text: str) -> str:
    return " ".join(text.split())


def input_annotation(field: Field) -> str:
    """The annotation the constructor or an ``*Args`` class gives ``field`` (blocks and lists aside)."""
    if field.name in PLAIN:
        return PLAIN[field.name]
    annotation = INPUT_ANNOTATIONS.get(type(field.type))
    assert annotation is not None, (
        f"`{field.name}` is a {type(field.type).__name__}, which INPUT_ANNOTATIONS does not know: add what the "
        "resource classes annotate such a value with"
    )
    return annotation if field.required else f"{annotation} | None"


def annotation_problem(owner: str, field: Field, written: str, module: ModuleType) -> str | None:
    """What is wrong with ``written`` as ``field``'s input annotation, or None."""
    suffix = "" if field.required else " | None"
    value_type: ValueType = field.type
    if field.name in ONLY_ITS_CLASS:
        expected = ONLY_ITS_CLASS[field.name]
    elif isinstance(value_type, Block):
        expected = BLOCK_ANNOTATION.format(title=value_type.title) + suffix
    elif isinstance(value_type, ListOf):
        match = LIST_ANNOTATION.fullmatch(written.removesuffix(suffix))
        alias = getattr(module, match.group("alias"), None) if match else None
        item = getattr(module, value_type.item.title, None)
        if match and (written.endswith(" | None") or field.required) and item in typing.get_args(alias):
            return None
        return (f"{owner}: `{field.name}` is annotated `{written}`; a list of {value_type.item.title} is "
                f"annotated `Sequence[<alias>] | pulumi.Input[Sequence[Mapping[str, Any]]]{suffix}` where the "
                f"module-level alias takes {value_type.item.title} (as `MappingInput` does)")
    else:
        expected = input_annotation(field)
    if written == expected:
        return None
    return (f"{owner}: `{field.name}` is annotated `{written}`; the schema's {type(value_type).__name__}"
            f"{'' if field.required else ' (optional)'} is `{expected}`: change the annotation, or the field "
            "in the schema (and INPUT_ANNOTATIONS here if the mapping itself changed)")


def output_annotation(field: Field) -> str:
    """``pulumi.Output[...]`` of an argument: ``| None`` unless it is always set."""
    base = OUTPUT_TYPES.get(type(field.type))
    assert base is not None, (
        f"`{field.name}` is a {type(field.type).__name__}, which OUTPUT_TYPES does not know: add what its "
        "output holds"
    )
    always = field.required or field.name in KEPT_WHEN_OMITTED
    return f"pulumi.Output[{base}]" if always else f"pulumi.Output[{base} | None]"


def block_cases() -> Iterator[tuple[ResourceSchema, str, Block]]:
    for resource in schema.RESOURCES:
        stack = list(resource.fields)
        while stack:
            field = stack.pop(0)
            if field.block is not None:
                yield resource, field.name, field.block
                stack += list(field.block.fields)


BLOCKS = list(block_cases())


@pytest.mark.parametrize("resource", schema.RESOURCES, ids=lambda r: r.kind)
def test_the_constructor_takes_the_schema_arguments(resource: ResourceSchema) -> None:
    cls, module = resource_class(resource), module_of(resource)
    # Its annotations stay strings (``from __future__ import annotations``), compared as written.
    parameters = inspect.signature(cls.__init__).parameters  # type: ignore[misc]
    keyword_only = {name: p for name, p in parameters.items() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    declared = {f.name: f for f in resource.all_fields}
    given = {name: p for name, p in keyword_only.items() if name != "opts"}
    owner = f"{resource.kind}.__init__ (resources/{Path(str(module.__file__)).name})"

    problems = [
        f"{owner} lacks the keyword argument `{name}` that the schema declares: add "
        f"`{name}: {input_annotation(field)}{'' if field.required else ' = None'}`"
        for name, field in declared.items() if name not in given
    ]
    problems += [
        f"{owner} takes `{name}`, which the schema of {resource.kind} does not declare: remove it, or declare the "
        f"field in pulumi_mparticle_wsync/schema/"
        for name in given if name not in declared
    ]
    for name, field in declared.items():
        parameter = given.get(name)
        if parameter is None:
            continue
        has_default = parameter.default is not inspect.Parameter.empty
        if field.required and has_default:
            problems.append(f"{owner}: `{name}` has a default but the schema says it is required: remove the "
                            "default (or make the field optional in the schema)")
        expected_default = False if name in PLAIN else None
        if not field.required and (not has_default or parameter.default is not expected_default):
            problems.append(f"{owner}: `{name}` is optional in the schema: give it the default "
                            f"`{expected_default}` (or make the field required in the schema)")
        problem = annotation_problem(owner, field, str(parameter.annotation), module)
        if problem is not None:
            problems.append(problem)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("resource", "path", "block"), BLOCKS, ids=[f"{r.kind}-{b.title}" for r, _, b in BLOCKS])
def test_each_args_class_has_the_block_fields(resource: ResourceSchema, path: str, block: Block) -> None:
    block_class_problems(module_of(resource), block, f"{block.title} ({resource.kind}.{path})", resource.kind)


def test_the_account_class_has_the_account_fields() -> None:
    """``Account`` (``resources/account.py``) is the common ``account`` argument's block."""
    assert isinstance(ACCOUNT.type, Block)
    block_class_problems(account_module, ACCOUNT.type, "Account (every resource's account)", "every resource")


def block_class_problems(module: ModuleType, block: Block, owner: str, kind: str) -> None:
    cls = getattr(module, block.title, None)
    assert cls is not None and dataclasses.is_dataclass(cls), (
        f"{kind}: {owner} is a {block.title} in the schema, but {module.__name__} has no dataclass "
        f"{block.title}: add it (or change the block's title)"
    )
    fields = {f.name: f for f in dataclasses.fields(cls)}
    members = class_members(module, block.title)
    problems = [
        f"{owner} lacks the field `{field.name}` that the schema declares: add `{field.name}: "
        f"{input_annotation(field)}{'' if field.required else ' = None'}` with its docstring"
        for field in block.fields if field.name not in fields
    ]
    problems += [
        f"{owner} has the field `{name}`, which the block does not declare: remove it, or declare it in the schema"
        for name in fields if name not in {f.name for f in block.fields}
    ]
    for field in block.fields:
        written = fields.get(field.name)
        if written is None:
            continue
        required = written.default is dataclasses.MISSING and written.default_factory is dataclasses.MISSING
        if required != field.required:
            change = "remove its default" if field.required else "give it the default `None`"
            problems.append(f"{owner}: `{field.name}` is {'required' if field.required else 'optional'} in the "
                            f"schema: {change} (or change `required` in the schema)")
        problem = annotation_problem(owner, field, str(written.type), module)
        if problem is not None:
            problems.append(problem)
        docstring = members[field.name].docstring
        if docstring is None:
            problems.append(f"{owner}: `{field.name}` has no docstring: add \"\"\"{rest(field.doc)}\"\"\" under it")
        elif normalised(docstring) != rest(field.doc):
            problems.append(f"{owner}: the docstring of `{field.name}` is \"{normalised(docstring)}\" but the "
                            f"schema's doc is \"{field.doc}\": make them say the same (in reST, ``x`` for `x`)")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("resource", schema.RESOURCES, ids=lambda r: r.kind)
def test_the_output_annotations_cover_the_arguments_and_outputs(resource: ResourceSchema) -> None:
    module = module_of(resource)
    members = class_members(module, resource.kind)
    owner = f"{resource.kind} (outputs in {module.__name__})"
    expected: dict[str, list[tuple[str, str, str]]] = {}
    for field in resource.all_fields:
        if field.name not in NOT_OUTPUTS:
            expected.setdefault(field.name, []).append((output_annotation(field), field.doc, "argument"))
    for output in resource.all_outputs:
        expected.setdefault(output.name, []).append((f"pulumi.Output[{output.python_type}]", output.doc,
                                                     "server output"))

    problems = []
    for name, wanted in expected.items():
        member = members.get(name)
        if member is None:
            problems.append(f"{owner}: no annotation for the {wanted[0][2]} `{name}`: add `{name}: {wanted[0][0]}` "
                            "under `if TYPE_CHECKING:` (class level for an integer output)")
            continue
        for annotation, _, what in wanted:
            if member.annotation != annotation:
                problems.append(f"{owner}: `{name}` is annotated `{member.annotation}`; as the schema's {what} it "
                                f"is `{annotation}`: change the annotation (or the schema)")
        if member.docstring is not None:
            _, doc, what = wanted[-1]  # a server output's doc when the name is both
            if normalised(member.docstring) != rest(doc):
                problems.append(f"{owner}: the docstring of `{name}` is \"{normalised(member.docstring)}\" but the "
                                f"schema's {what} doc is \"{doc}\": make them say the same (in reST)")
    problems += [
        f"{owner}: `{name}` is annotated as an output but is neither an argument nor a server output of the schema: "
        "remove it, or declare it"
        for name in members if name not in expected
    ]
    assert not problems, "\n".join(problems)


def test_pipeline_run_signature_and_outputs_match_its_declaration() -> None:
    """``PipelineRun`` (``schema/pipeline_run.py``): the same checks as above, on its smaller declaration."""
    module = sys.modules[resources.PipelineRun.__module__]
    owner = "PipelineRun (resources/pipeline_run.py)"
    parameters = inspect.signature(resources.PipelineRun.__init__).parameters
    given = {name: p for name, p in parameters.items()
             if p.kind is inspect.Parameter.KEYWORD_ONLY and name != "opts"}
    declared = {f.name: f for f in PIPELINE_RUN.fields}
    assert set(given) == set(declared), f"{owner}: takes {sorted(given)}, declares {sorted(declared)}"
    problems = []
    for name, field in declared.items():
        parameter = given[name]
        if (parameter.default is inspect.Parameter.empty) != field.required:
            problems.append(f"{owner}: `{name}` must {'have no' if field.required else 'have the'} default "
                            f"{'' if field.required else '`None`'}")
        problem = annotation_problem(owner, field, str(parameter.annotation), module)
        if problem is not None:
            problems.append(problem)

    members = class_members(module, PIPELINE_RUN.kind)
    expected: dict[str, tuple[str, str | None]] = {f.name: (output_annotation(f), None) for f in PIPELINE_RUN.fields}
    expected |= {o.name: (f"pulumi.Output[{o.python_type}]", o.doc) for o in PIPELINE_RUN.outputs}
    assert set(members) == set(expected), f"{owner}: annotates {sorted(members)}, declares {sorted(expected)}"
    for name, (annotation, doc) in expected.items():
        member = members[name]
        if member.annotation != annotation:
            problems.append(f"{owner}: `{name}` is annotated `{member.annotation}`, declared `{annotation}`")
        if doc is not None and (member.docstring is None or normalised(member.docstring) != rest(doc)):
            problems.append(f"{owner}: the docstring of the output `{name}` must be \"{rest(doc)}\"")
    assert not problems, "\n".join(problems)
