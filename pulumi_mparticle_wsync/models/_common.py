"""Building blocks shared by the four resource models.

Inputs arrive from the Pulumi engine as plain JSON values (numbers as floats), possibly
holding the engine's "unknown" sentinel during a preview. The types here validate those
values without ever changing them: ``check`` hands the user's inputs back exactly as
written, so validation only reports problems, it never normalises.
"""

from __future__ import annotations

import difflib
import json
import re
import types
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, Final, NamedTuple, TypeVar, Union, get_args, get_origin

from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN as _PULUMI_UNKNOWN
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

UNKNOWN: Final[str] = _PULUMI_UNKNOWN
"""The engine's wire sentinel for a value not known yet (an output of a resource not created
during a preview). The dynamic-provider host hands ``check`` and ``diff`` a
``pulumi.output.Unknown`` instance in its place; both forms are unknown here."""

class Problem(NamedTuple):
    """One validation failure: the property path (``sync_mode.iterator_field``) and the fix."""

    path: str
    reason: str
    unknown_name: bool = False
    """The path names no argument (``snowflake.passwrd``): its value may be a mistyped secret."""

    @property
    def argument(self) -> str:
        """The top-level argument the path is in (``sync_mode``); empty for the whole resource."""
        return re.split(r"[.\[]", self.path, maxsplit=1)[0]


def check_failures(problems: Iterable[Problem], inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The problems as the engine's check failures: ``(property, reason)`` pairs.

    The engine prints a failure as ``property <p> value <v> has a problem: <reason>``, looking
    ``<p>`` up among the top-level inputs only (a nested path would show ``{<nil>}``), and
    shows secrets inside ``<v>`` as ``[secret]``. So a problem names its top-level argument,
    whose value is then shown as the user gave it, with the path inside it leading the reason
    (``sync_mode.iterator_field: is required ...``). A problem whose argument was not given,
    or holds a name that is no argument (whose value may be a secret under a misspelt name, which
    the engine would show in clear), names no property: the engine prints only the reason,
    led by the path.
    """
    problems = list(problems)
    unshown = {p.argument for p in problems if p.unknown_name}
    failures: list[tuple[str, str]] = []
    for problem in problems:
        led = f"{problem.path}: {problem.reason}" if problem.path else problem.reason
        if problem.argument in unshown or inputs.get(problem.argument) is None:
            failures.append(("", led))
        else:
            failures.append((problem.argument, problem.reason if problem.path == problem.argument else led))
    return failures


# --- Unknown values ------------------------------------------------------------------------


def is_unknown(value: object) -> bool:
    # The engine's dynamic-provider host hands check/diff unknowns as ``pulumi.output.Unknown``
    # instances (it deserializes with keep_unknowns=True); raw RPC values carry the sentinel string.
    return isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN)


def contains_unknown(value: object) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(v) for v in value)
    return False


def known(value: object) -> bool:
    """True when the value is present and not the preview's unknown sentinel."""
    return value is not None and not is_unknown(value)


def without_nones(value: Any) -> Any:
    """The value with ``None`` entries dropped from every mapping: ``None`` means "not set"."""
    if isinstance(value, Mapping):
        return {k: without_nones(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [without_nones(v) for v in value]
    return value


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
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return value
    if not isinstance(value, bool) and isinstance(value, int | float) and float(value).is_integer():
        return str(int(value))
    raise PydanticCustomError(
        "workspace_id",
        "must be the numeric workspace id shown in the mParticle UI, e.g. \"1001\"",
    )


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


def canonical_workspace_id(value: object) -> str | None:
    """The workspace id as the client takes it (a digit string), or ``None`` if it is not one."""
    try:
        return _workspace_id(value)
    except PydanticCustomError:
        return None


def kind_of(value: object) -> str:
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "a dict"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


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


def merge_problems(*groups: Iterable[Problem]) -> list[Problem]:
    """All problems, keeping only the first one reported for each property."""
    seen: set[str] = set()
    merged: list[Problem] = []
    for group in groups:
        for problem in group:
            if problem.path not in seen:
                seen.add(problem.path)
                merged.append(problem)
    return merged


# --- Decoding helpers ------------------------------------------------------------------------


def same_value(a: Any, b: Any) -> bool:
    """Equality that ignores representation: 5439 == 5439.0, and timestamps by instant."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b if isinstance(a, bool) and isinstance(b, bool) else False
    if isinstance(a, str) and isinstance(b, str):
        if a == b:
            return True
        ta, tb = rules.parse_timestamp(a), rules.parse_timestamp(b)
        return ta is not None and tb is not None and ta == tb
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        a, b = without_nones(a), without_nones(b)
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def prefer_previous(previous: Any, served: Any) -> Any:
    """The user's own spelling of a value when the server holds the same value."""
    return previous if previous is not None and same_value(previous, served) else served


def as_int(value: Any) -> Any:
    """Whole floats (how the engine sends numbers) as ints for the wire."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
