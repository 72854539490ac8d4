"""The pydantic side of the models: value types, the argument models' base and the translation
of pydantic's errors into problems. Imported only when something is validated (``check``,
``create``, ``update``), never by the provider's read or delete paths.
"""

from __future__ import annotations

import difflib
import json
import types
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    PlainValidator,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

from .. import rules
from ._common import Problem, canonical_workspace_id, is_unknown, kind_of, without_nones


def _pass_unknown(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    return value if is_unknown(value) else handler(value)


T = TypeVar("T")
Maybe = Annotated[T, WrapValidator(_pass_unknown)]
"""``T``, or the unknown sentinel during a preview (left for the real run to validate)."""


# --- Value types -----------------------------------------------------------------------------


def _non_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "must not be empty: give it a value")
    return value


def _identifier(value: str) -> str:
    problem = rules.id_problem(value)
    if problem:
        raise PydanticCustomError("identifier", "{problem}", {"problem": problem})
    return value


def _timestamp(value: str) -> str:
    if rules.parse_timestamp(value) is None:
        raise PydanticCustomError(
            "timestamp",
            "must be an ISO 8601 timestamp with a timezone, e.g. 2026-01-01T00:15:00Z",
        )
    return value


def _whole_number(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError(
            "whole_number", "must be a whole number, not {kind}", {"kind": kind_of(value)}
        )
    if isinstance(value, float) and not value.is_integer():
        raise PydanticCustomError("whole_number", "must be a whole number, not a fraction")
    return int(value)


def _scalar(value: Any) -> Any:
    if not isinstance(value, str | int | float | bool):
        raise PydanticCustomError(
            "scalar", "must be a string, number or boolean, not {kind}", {"kind": kind_of(value)}
        )
    return value


def _workspace_id(value: Any) -> str:
    canonical = canonical_workspace_id(value)
    if canonical is None:
        raise PydanticCustomError(
            "workspace_id",
            "must be the numeric workspace id shown in the mParticle UI, e.g. \"1001\"",
        )
    return canonical


def _json_object_text(value: str) -> str:
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise PydanticCustomError(
            "json_key",
            "must be the contents of the service account's JSON key file "
            "(e.g. open('key.json').read() or a secret holding it), not a path or a fragment",
        )
    return value


NonBlank = Annotated[str, AfterValidator(_non_blank)]
Identifier = Annotated[str, AfterValidator(_identifier)]
Timestamp = Annotated[str, AfterValidator(_timestamp)]
WholeNumber = Annotated[int, PlainValidator(_whole_number)]
Scalar = Annotated[str | int | float | bool, PlainValidator(_scalar)]
WorkspaceId = Annotated[str, PlainValidator(_workspace_id)]
JsonObjectText = Annotated[str, AfterValidator(_non_blank), AfterValidator(_json_object_text)]


# --- Models ----------------------------------------------------------------------------------


class ArgsModel(BaseModel):
    """Base for argument models: unknown names are mistakes, and no value is coerced.

    Subclasses set ``model_config = ConfigDict(title=...)`` to the user-facing class name
    (``SyncModeArgs``) that messages mention; pydantic merges it with this config.
    """

    model_config = ConfigDict(extra="forbid", strict=True)


# --- Translating pydantic errors into (property path, fix) --------------------------------


def format_path(loc: Iterable[str | int]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The BaseModel class inside an annotation such as ``Maybe[Foo] | None`` or ``list[Foo]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = get_origin(annotation)
    if origin is Annotated:
        return _model_in(get_args(annotation)[0])
    if origin in (Union, types.UnionType, list):
        for arg in get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def _model_at(root: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    model: type[BaseModel] | None = root
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        field = next(
            (f for name, f in model.model_fields.items() if (f.alias or name) == part), None
        )
        model = _model_in(field.annotation) if field is not None else None
    return model


def _argument_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def model_label(model: type[BaseModel]) -> str:
    label = model.model_config.get("title")
    return label if isinstance(label, str) else model.__name__


def _reason(error: Mapping[str, Any], root: type[BaseModel], secret_names: frozenset[str]) -> str:
    loc: tuple[str | int, ...] = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    is_secret = any(part in secret_names for part in loc if isinstance(part, str))
    if kind == "missing":
        parent = _model_at(root, loc[:-1])
        return f"is required by {model_label(parent)}: add it" if parent else "is required: add it"
    if kind == "extra_forbidden":
        parent = _model_at(root, loc[:-1])
        allowed = _argument_names(parent) if parent else []
        where = model_label(parent) if parent else "this resource"
        reason = f"is not an argument of {where}: remove it"
        guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        if guess:
            reason += f" (did you mean {guess[0]}?)"
        elif allowed:
            reason += f" (arguments: {', '.join(allowed)})"
        return reason
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        shown = "" if is_secret else f", not {value!r}"
        return f"must be one of {expected}{shown}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        model = _model_at(root, loc)
        what = f"a {model_label(model)} or a dict with its arguments" if model else "a dict"
        return f"must be {what}, not {kind_of(value)}"
    if kind == "list_type":
        return f"must be a list, not {kind_of(value)}"
    if kind == "string_type":
        return f"must be a string, not {kind_of(value)}"
    if kind == "bool_type":
        return f"must be True or False, not {kind_of(value)}"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return str(error["msg"])


def problems_from(exc: ValidationError, root: type[BaseModel], secret_names: frozenset[str]) -> list[Problem]:
    return [
        Problem(format_path(err["loc"]), _reason(err, root, secret_names), err["type"] == "extra_forbidden")
        for err in exc.errors(include_url=False)
    ]


def validate_model(
    model: type[BaseModel], inputs: Mapping[str, Any], secret_names: frozenset[str] = frozenset()
) -> list[Problem]:
    """Field-level problems (types, enums, required, unknown names) of ``inputs``; a value under
    one of ``secret_names`` is never quoted."""
    try:
        model.model_validate(without_nones(dict(inputs)))
    except ValidationError as exc:
        return problems_from(exc, model, secret_names)
    return []


