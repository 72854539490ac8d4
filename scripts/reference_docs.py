"""The reference pages under ``docs/reference/``, rendered from the schema (``pulumi_mparticle_wsync/schema/``).

``python -m scripts.reference_docs`` writes them; ``python -m scripts.reference_docs --check`` writes
nothing and exits 1, naming each stale, missing or extra file, when the pages differ from what the
schema renders now. ``--out DIR`` renders into (or checks) another directory.

One page per resource (its arguments, the ``*Args`` blocks, the rules between fields, the outputs and
the wire names) and an index. Everything on them is read from the schema, in its declared order.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Final

from pulumi_mparticle_wsync.schema import (
    BY_COLLECTION,
    RESOURCES,
    AnyList,
    Block,
    Boolean,
    BothOrNeither,
    Enum,
    ExactlyOne,
    Field,
    ForbiddenWhen,
    Identifier,
    JsonObjectText,
    Later,
    ListOf,
    Number,
    RequiredWhen,
    ResourceSchema,
    Rule,
    Scalar,
    SqlQuery,
    Switch,
    Text,
    Timestamp,
    Url,
    ValueType,
    WholeNumber,
    WorkspaceId,
)
from pulumi_mparticle_wsync.schema.common import ACCOUNT_BLOCK, ADOPT, COMMON_RULES, CREATE_ONLY
from pulumi_mparticle_wsync.schema.pipeline_run import PIPELINE_RUN, RunSchema

REPO_ROOT: Final = Path(__file__).resolve().parents[1]
OUT_DIR: Final = REPO_ROOT / "docs" / "reference"
COMMAND: Final = "python -m scripts.reference_docs"
INDEX: Final = "README.md"
GENERATED: Final = (f"<!-- Generated from pulumi_mparticle_wsync/schema/ by `{COMMAND}`: do not edit by hand. "
                    "-->")
TAGS: Final = (
    ("confirmed", "confirmed for v2 by mParticle's public documentation."),
    ("v1", "documented for the earlier version of the API; kept because v2 most likely kept the meaning."),
    ("reconstructed", "our best reconstruction, to be confirmed or corrected from a live account."),
)

# --- Small pieces ---------------------------------------------------------------------------------


def page_name(resource: ResourceSchema | RunSchema) -> str:
    """``DataModel`` -> ``data-model.md``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", resource.kind).lower() + ".md"


def code(text: object) -> str:
    return f"`{text}`"


def python_value(value: Any) -> str:
    """A value as Python writes it: ``"incremental"``, ``True``, ``5439``."""
    return f'"{value}"' if isinstance(value, str) else repr(value)


def listed(items: Sequence[str], last: str = "or") -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def placeholders(message: str) -> str:
    """A message's ``{name}`` placeholders in italics: *name*."""
    return re.sub(r"\{(\w+)\}", r"*\1*", message)


def anchor(title: str) -> str:
    """The heading anchor GitHub gives a block's ``### `Title` `` heading."""
    return "#" + title.lower()


def cell(text: str) -> str:
    """Table-cell text: ``|`` escaped (inside code spans too, as GitHub's tables need)."""
    return text.replace("|", "\\|")


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(text) for text in row) + " |" for row in rows]
    return lines


def blocks(fields: Iterable[Field], prefix: str = "") -> Iterator[tuple[str, Field, Block]]:
    """Every block among ``fields``, nested ones included: (its argument path, its field, the block)."""
    for field in fields:
        block = field.block
        if block is not None:
            path = f"{prefix}{field.name}" + ("[]" if isinstance(field.type, ListOf) else "")
            yield path, field, block
            yield from blocks(block.fields, f"{path}.")


# --- Arguments ------------------------------------------------------------------------------------


def python_type(value_type: ValueType) -> str:
    """The type as a program writes it, with what the schema says of its values."""
    if isinstance(value_type, Text):
        return "`str`" + (f" starting with `{value_type.starts_with}`" if value_type.starts_with else "")
    if isinstance(value_type, Identifier):
        return "`str` (an id)"
    if isinstance(value_type, Timestamp):
        return "`str` (ISO 8601 timestamp with a time zone)"
    if isinstance(value_type, SqlQuery):
        return "`str` (SQL)"
    if isinstance(value_type, JsonObjectText):
        return "`str` (a JSON object)"
    if isinstance(value_type, WorkspaceId):
        return "`str` (digits)"
    if isinstance(value_type, Url):
        return "`str` (an `https://` URL; `http://` for a loopback host)"
    if isinstance(value_type, WholeNumber):
        low, high = value_type.minimum, value_type.maximum
        bounds = f"{low}-{high}" if low is not None and high is not None else (
            f">= {low}" if low is not None else (f"<= {high}" if high is not None else ""))
        return "`int`" + (f" ({bounds})" if bounds else "")
    if isinstance(value_type, Number):
        bound = f" (above {value_type.above:g}" + (f", at most {value_type.maximum:g})" if value_type.maximum else ")")
        return "`int | float`" + bound
    if isinstance(value_type, AnyList):
        return "`list` (of any values)"
    if isinstance(value_type, Boolean | Switch):
        return "`bool`"
    if isinstance(value_type, Scalar):
        return "`str | int | float | bool`"
    if isinstance(value_type, Enum):
        return code(" | ".join(python_value(value) for value in value_type.values))
    if value_type == ACCOUNT_BLOCK:
        return f"[`{value_type.title}`]({anchor(value_type.title)})"
    if isinstance(value_type, Block):
        return f"[`{value_type.title}`]({anchor(value_type.title)}) or a `dict` of its arguments"
    if isinstance(value_type, ListOf):
        return f"a list of [`{value_type.item.title}`]({anchor(value_type.item.title)}) (or of `dict`s)"
    raise TypeError(f"scripts/reference_docs.py: python_type has no entry for {type(value_type).__name__}: add one")


def requirement(field: Field) -> str:
    if field.required:
        return "required"
    return "optional" + (f", default `{python_value(field.default)}`" if field.default is not None else "")


def notes(field: Field) -> str:
    found = []
    if field.secret:
        found.append("secret")
    if field.replaces:
        found.append("replaces")
    if field.server_filled:
        found.append("server fills when omitted")
    if field.references:
        kind = BY_COLLECTION[field.references].kind
        found.append(f"the id of a [`{kind}`]({page_name(BY_COLLECTION[field.references])})")
    if field.variant is not None:
        found.append("[one of the variants](#variants)")
    return ", ".join(found)


def arguments_table(fields: Iterable[Field]) -> list[str]:
    return table(
        ("Argument", "Type", "Required", "Notes", "Description"),
        ((code(f.name), python_type(f.type), requirement(f), notes(f), f.doc) for f in fields),
    )


def arguments_section(resource: ResourceSchema) -> list[str]:
    lines = [
        "## Arguments",
        "",
        f"`{resource.kind}(resource_name, *, ...)` takes these keyword arguments. Each value may also be a "
        f"Pulumi `Output` (a `pulumi.Input`), except `{ADOPT.name}`'s. *replaces*: a change replaces the object; "
        "*server fills when omitted*: leaving it out leaves the value to the server (no change, no drift).",
        "",
        *arguments_table(resource.all_fields),
    ]
    return lines


def blocks_section(resource: ResourceSchema | RunSchema) -> list[str]:
    """Each block of the arguments (``Account``, which every resource takes, first)."""
    lines: list[str] = []
    fields = resource.all_fields if isinstance(resource, ResourceSchema) else resource.fields
    for path, field, block in blocks(fields):
        used_as = "each item of" if isinstance(field.type, ListOf) else "the value of"
        lines += ["", f"### `{block.title}`", "", f"{used_as.capitalize()} `{path.removesuffix('[]')}`.", ""]
        lines += arguments_table(block.fields)
    return lines


def variants_section(resource: ResourceSchema) -> list[str]:
    variants = resource.variants
    if not variants:
        return []
    names = [code(field.name) for field in variants]
    keys = sorted({field.variant.key for field in variants if field.variant is not None})
    lines = [
        "## Variants",
        "",
        f"{listed(names, 'and')} are alternatives: set exactly one of them. Each is sent as the wire object "
        f"{listed(sorted({code(field.wire) for field in variants}))}, told apart by {listed([code(k) for k in keys])}; "
        "switching from one to another replaces the object.",
        "",
    ]
    rows = []
    for field in variants:
        assert field.variant is not None and field.block is not None
        insensitive = " (compared case-insensitively)" if field.variant.case_insensitive else ""
        rows.append((code(field.name), f"[`{field.block.title}`]({anchor(field.block.title)})",
                     f"`{field.variant.key}` = `{field.variant.value}`{insensitive}", code(field.variant.tag)))
    return lines + table(("Argument", "Block", "On the wire", "Tag"), rows)


# --- Rules ----------------------------------------------------------------------------------------


def rule_text(rule: Rule, prefix: str) -> str:
    """One rule in English, then the message a program that breaks it gets."""

    def at(name: str) -> str:
        return code(prefix + name)

    if isinstance(rule, RequiredWhen):
        reported = f" (reported at {at(rule.report_at)})" if rule.report_at else ""
        return (f"{at(rule.field)} is required when {at(rule.when)} is `{rule.equals}`{reported}: "
                f"“{rule.reason}”")
    if isinstance(rule, ForbiddenWhen):
        among = [str(value) for value in rule.among]
        return (f"{at(rule.field)} is not allowed when {at(rule.when)} is {listed([code(v) for v in among])}: "
                f"“{rule.reason.replace('{value}', ' or '.join(among))}”")
    if isinstance(rule, ExactlyOne):
        return (f"Exactly one of {at(rule.first)} and {at(rule.second)}: “{rule.neither_reason}” "
                f"(when both are set: “{rule.both_reason}”)")
    if isinstance(rule, BothOrNeither):
        return f"{at(rule.first)} and {at(rule.second)} go together, both or neither: “{rule.reason}”"
    if isinstance(rule, Later):
        return f"{at(rule.later)} must be after {at(rule.earlier)}: “{rule.reason}”"
    raise TypeError(f"no English for {rule!r}")


def list_rules(field: Field, path: str) -> list[str]:
    found = []
    if isinstance(field.type, ListOf) and field.type.empty_reason:
        found.append(f"`{path}` needs at least one item: “{field.type.empty_reason}”")
    if isinstance(field.type, ListOf) and field.type.unique:
        found.append(f"Each item's `{field.type.unique}` appears once in `{path}`: "
                     f"“{placeholders(field.type.unique_reason)}” (*value* is the repeated value, *first* the "
                     "index of the item that has it first)")
    return found


def rules_section(resource: ResourceSchema) -> list[str]:
    found = [rule_text(rule, "") for rule in (*COMMON_RULES, *resource.rules)]
    if resource.variants:
        names = [code(field.name) for field in resource.variants]
        found.append(f"Exactly one of {listed(names, 'and')}: “{resource.variant_reason}” (when a second one "
                     f"is set: “{placeholders(resource.variant_extra_reason)}”, *first* and *extra* naming the "
                     "two)")
    for field in resource.fields:
        found += list_rules(field, field.name)
    for path, _, block in blocks(resource.fields):
        found += [rule_text(rule, f"{path}.") for rule in block.rules]
        for field in block.fields:
            found += list_rules(field, f"{path}.{field.name}")
    lines = ["## Rules", "", "Checked by `pulumi preview` before anything is sent; each with the message it reports.",
             ""]
    return lines + [f"- {text}" for text in found]


# --- Outputs --------------------------------------------------------------------------------------


def outputs_section(resource: ResourceSchema) -> list[str]:
    rows = []
    for output in resource.all_outputs:
        doc = output.doc
        if output.only_in_variant:
            doc += f" `None` unless `{output.only_in_variant}` is set."
        if output.is_variant_name:
            doc += " The name of the variant argument that is set."
        rows.append((code(output.name), code(output.python_type), doc))
    create_only = listed([code(name) for name in sorted(CREATE_ONLY)])
    return [
        "## Outputs",
        "",
        "Every argument is also an output of the same name, holding the value as written (a secret argument "
        f"is a secret output; {create_only} only steers the create). Besides them, the server's outputs; an "
        "argument listed among them too shows the server's value when it is omitted:",
        "",
        *table(("Output", "Type", "Description"), rows),
    ]


# --- Wire -----------------------------------------------------------------------------------------


def wire_values(field: Field) -> str:
    """What a field's values are on the wire, when that is not just the value."""
    found = []
    if isinstance(field.type, Enum) and field.type.values != field.type.wire_values:
        found += [f"`{ours}` -> `{theirs}`" for ours, theirs in field.type.members]
    if isinstance(field.type, Switch):
        found.append(f"`True` -> `{field.type.on}`, `False` or omitted -> `{field.type.off}` (always sent)")
    if field.served_values:
        found.append(f"the server may also answer {listed([code(v) for v in field.served_values])}")
    if field.variant is not None:
        found.append(f"with `{field.variant.key}` = `{field.variant.value}` (`{field.variant.tag}`)")
    if field.wire_fallbacks:
        found.append(f"also read at {listed([code(w) for w in field.wire_fallbacks])}")
    return "; ".join(found)


def wire_rows(resource: ResourceSchema, fields: Iterable[Field],
              block: tuple[str, str, str] = ("", "", "")) -> Iterator[tuple[str, str, str, str]]:
    """(argument path, wire path, values, tag) of ``fields`` and of everything in their blocks.

    ``block``: the enclosing block's argument path as ``wire_path`` takes it, then its argument and
    wire paths as the table shows them (``[]`` after a list), each ending in ``.``; empty at the top."""
    dotted, shown, shown_wire = block
    for field in fields:
        if field.wire is None:
            yield code(shown + field.name), "not sent", "", ""
            continue
        wire = resource.wire_path(dotted + field.name)
        if dotted:
            wire = shown_wire + wire.removeprefix(resource.wire_path(dotted.removesuffix(".")) + ".")
        yield code(shown + field.name), code(wire), wire_values(field), field.tag
        if field.block is not None:
            marker = "[]" if isinstance(field.type, ListOf) else ""
            inner = (f"{dotted}{field.name}.", f"{shown}{field.name}{marker}.", f"{wire}{marker}.")
            yield from wire_rows(resource, field.block.fields, inner)


def wire_section(resource: ResourceSchema) -> list[str]:
    rows = list(wire_rows(resource, resource.all_fields))
    rows += [("(always sent)", code(key), f"always `{value}`", tag) for key, value, tag in resource.wire_constants]
    output_rows = [(code(output.name), code(output.wire)) for output in resource.all_outputs]
    return [
        "## Wire",
        "",
        f"Where each argument goes in the API's `{resource.collection}` objects ([tags](README.md#tags)); the "
        "names a program uses are ours and never change with the wire.",
        "",
        *table(("Argument", "Wire path", "Values on the wire", "Tag"), [(a, w, v, code(t) if t else "")
                                                                         for a, w, v, t in rows]),
        "",
        "The outputs are read from:",
        "",
        *table(("Output", "Wire path"), output_rows),
    ]


# --- Pages ----------------------------------------------------------------------------------------


def title_section(resource: ResourceSchema) -> list[str]:
    return [f"# {resource.kind}", "", GENERATED, "", resource.doc]


def example_section(resource: ResourceSchema) -> list[str]:
    return [
        "## Example",
        "",
        f"Complete programs that declare a `{resource.kind}` are in [`examples/`](../../examples/); what it does "
        f"beyond its arguments is in [Configuration and behaviour](../configuration.md#{resource.kind.lower()}).",
    ]


def render_page(resource: ResourceSchema) -> str:
    sections = (
        title_section(resource),
        example_section(resource),
        arguments_section(resource) + blocks_section(resource),
        variants_section(resource),
        rules_section(resource),
        outputs_section(resource),
        wire_section(resource),
    )
    return "\n\n".join("\n".join(section) for section in sections if section) + "\n"


def render_index() -> str:
    lines = [
        "# Reference",
        "",
        GENERATED,
        "",
        f"These pages are generated from the schema (`pulumi_mparticle_wsync/schema/`) by `{COMMAND}`: do not "
        f"edit them by hand. Change the schema and run the command again; `{COMMAND} --check` (and the tests) "
        "tell when they are out of date.",
        "",
        *(f"- [{resource.kind}]({page_name(resource)}): {resource.doc}" for resource in (*RESOURCES, PIPELINE_RUN)),
        "",
        "## Tags",
        "",
        "Each wire name and rule carries a tag saying how sure we are of it; the "
        "[API contract](../api-contract.md) has the details, rule by rule:",
        "",
        *(f"- `{tag}`: {meaning}" for tag, meaning in TAGS),
    ]
    return "\n".join(lines) + "\n"


def render_run_page(run: RunSchema) -> str:
    """The page of ``PipelineRun``: a run is no object of a collection, so it has no wire section of its own."""
    outputs = [(code(output.name), code(output.python_type), output.doc) for output in run.outputs]
    sections = (
        [f"# {run.kind}", "", GENERATED, "", run.doc],
        [
            "## Example",
            "",
            "[`examples/on_demand_backfill/`](../../examples/on_demand_backfill/) starts a backfill and waits for "
            "it; [Runs](../runs.md) explains what happens when a run fails, times out or finds the pipeline busy.",
        ],
        [
            "## Arguments",
            "",
            f"`{run.kind}(resource_name, *, ...)` takes these keyword arguments; each may also be a Pulumi `Output`. "
            "*replaces*: a change starts a new run.",
            "",
            *arguments_table(run.fields),
            *blocks_section(run),
        ],
        [
            "## Outputs",
            "",
            "Every argument is also an output of the same name. Besides them, the run as last read (at the "
            "create, at the end of a wait, or by `pulumi refresh`):",
            "",
            *table(("Output", "Type", "Description"), outputs),
        ],
        [
            "## Wire",
            "",
            "The outputs are read from the run's fields, in v1's spelling or in our earlier guess's "
            "(`id`/`pipeline_run_state` or `pipeline_id`/`status`; `wire.py` and the "
            "[API contract](../api-contract.md) have the rest):",
            "",
            *table(("Output", "Wire field"),
                   [(code(o.name), code(o.wire) if o.wire else "(ours)") for o in run.outputs]),
        ],
    )
    return "\n\n".join("\n".join(section) for section in sections) + "\n"


def render_all() -> dict[str, str]:
    """File name -> content, for every file of the reference."""
    return {
        INDEX: render_index(),
        **{page_name(resource): render_page(resource) for resource in RESOURCES},
        page_name(PIPELINE_RUN): render_run_page(PIPELINE_RUN),
    }


# --- Command --------------------------------------------------------------------------------------


def stale_files(out: Path, pages: dict[str, str]) -> list[str]:
    """The files of ``out`` that differ from ``pages``, each with why."""
    found = []
    for name, text in pages.items():
        path = out / name
        if not path.is_file():
            found.append(f"{name} (missing)")
        elif path.read_text(encoding="utf-8") != text:
            found.append(f"{name} (stale)")
    if out.is_dir():
        found += [f"{path.name} (not generated)" for path in sorted(out.glob("*.md")) if path.name not in pages]
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a file is out of date")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="the directory (default: docs/reference)")
    args = parser.parse_args(argv)
    out: Path = args.out
    pages = render_all()
    if args.check:
        stale = stale_files(out, pages)
        if stale:
            again = COMMAND if out.resolve() == OUT_DIR else f"{COMMAND} --out {out}"
            print(f"{out} is out of date: {', '.join(stale)}. Regenerate it with: {again}", file=sys.stderr)
            return 1
        print(f"{out} is up to date")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        path = out / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
