"""Every problem with a resource's inputs, offline: the argument models (``_build``) for each
field alone, then the schema's rules between fields. Unknown values (a preview's) pass."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import rules
from ..schema import Block, Field, ListOf, ResourceSchema, Rule, broken_rules
from ..schema._declare import secret_paths
from ..schema.common import ACCOUNT, ACCOUNT_BLOCK, COMMON_RULES
from ._build import args_model, block_model
from ._common import Problem, known, merge_problems, without_nones
from ._types import validate_model


def _block_problems(
    fields: tuple[Field, ...], block_rules: tuple[Rule, ...], values: Mapping[str, Any], prefix: str
) -> list[Problem]:
    problems = [
        Problem(f"{prefix}{broken.field}", broken.reason)
        for broken in broken_rules(block_rules, fields, values, known, rules.parse_timestamp)
    ]
    for field in fields:
        value = values.get(field.name)
        if isinstance(field.type, Block) and isinstance(value, Mapping):
            problems += _block_problems(field.type.fields, field.type.rules, value, f"{prefix}{field.name}.")
        elif isinstance(field.type, ListOf) and isinstance(value, list):
            problems += _list_problems(field, field.type, value, prefix)
    return problems


def _list_problems(field: Field, of: ListOf, items: list[Any], prefix: str) -> list[Problem]:
    path = f"{prefix}{field.name}"
    problems = [Problem(path, of.empty_reason)] if not items and of.empty_reason else []
    first_at: dict[Any, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            continue
        found = _block_problems(of.item.fields, of.item.rules, item, f"{path}[{index}].")
        problems += found
        value = item.get(of.unique)
        if not of.unique or found or not isinstance(value, str):
            continue
        if value in first_at:
            reason = of.unique_reason.replace("{value}", value).replace("{first}", str(first_at[value]))
            problems.append(Problem(f"{path}[{index}].{of.unique}", reason))
        first_at.setdefault(value, index)
    return problems


def _variant_problems(schema: ResourceSchema, inputs: Mapping[str, Any]) -> list[Problem]:
    if not schema.variants:
        return []
    present = [f.name for f in schema.variants if inputs.get(f.name) is not None]
    if not present:
        return [Problem("", schema.variant_reason)]
    return [
        Problem(extra, schema.variant_extra_reason.replace("{first}", present[0]).replace("{extra}", extra))
        for extra in present[1:]
    ]


def validate(schema: ResourceSchema, raw: Mapping[str, Any]) -> list[Problem]:
    inputs = without_nones(dict(raw))
    rule_problems = [
        *(Problem(b.field, b.reason) for b in broken_rules(COMMON_RULES, schema.all_fields, inputs, known,
                                                           rules.parse_timestamp)),
        *_variant_problems(schema, inputs),
        *_block_problems(schema.all_fields, schema.rules, inputs, ""),
    ]
    secret_names = frozenset(path[-1] for path in schema.secret_paths)
    return merge_problems(validate_model(args_model(schema), inputs, secret_names), rule_problems)


def account_problems(value: Any) -> list[Problem]:
    """The problems of an ``account`` value alone (``PipelineRun`` checks its arguments by hand)."""
    if value is None:
        return []
    if not isinstance(value, Mapping):
        return [] if not known(value) else [Problem(ACCOUNT.name, "must be an Account(client_id=..., ...)")]
    secret_names = frozenset(path[-1] for path in secret_paths(ACCOUNT_BLOCK.fields))
    return [
        Problem(f"{ACCOUNT.name}.{problem.path}", problem.reason, problem.unknown_name)
        for problem in validate_model(block_model(ACCOUNT_BLOCK), value, secret_names)
    ]
