"""A schema's argument models: pydantic classes built from its field declarations.

They check what each field alone can be (type, enum, required, unknown names); the rules that
relate fields are the schema's own, judged in ``_validate``.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic import Field as PydanticField
from pydantic_core import PydanticCustomError

from .. import _urls, rules
from ..schema import (
    AnyList,
    Block,
    Boolean,
    Enum,
    Field,
    Identifier,
    JsonObjectText,
    ListOf,
    Number,
    ResourceSchema,
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
from ._types import (
    ArgsModel,
    Maybe,
    NonBlank,
)
from ._types import Identifier as IdentifierValue
from ._types import JsonObjectText as JsonObjectTextValue
from ._types import Scalar as ScalarValue
from ._types import Timestamp as TimestampValue
from ._types import WholeNumber as WholeNumberValue
from ._types import WorkspaceId as WorkspaceIdValue


def _sql(value: str) -> str:
    problem = rules.sql_problem(value)
    if problem:
        raise PydanticCustomError("sql", "{problem}", {"problem": problem})
    return value


def _url(api: bool) -> AfterValidator:
    def check(value: str) -> str:
        problem = _urls.url_problem(value) or (_urls.api_url_problem(value) if api else None)
        if problem:
            raise PydanticCustomError("url", "{problem}", {"problem": problem})
        return value

    return AfterValidator(check)


def _prefixed(prefix: str, reason: str) -> AfterValidator:
    def check(value: str) -> str:
        if value.strip() and not value.startswith(prefix):
            raise PydanticCustomError("prefix", "{reason}", {"reason": reason})
        return value

    return AfterValidator(check)


def _in_range(number: WholeNumber) -> AfterValidator:
    def check(value: int) -> int:
        low, high = number.minimum, number.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            reason = number.range_reason or (f"must be {low} or more" if high is None else f"must be {low} to {high}")
            raise PydanticCustomError("range", "{reason}", {"reason": reason})
        return value

    return AfterValidator(check)


def _annotation(value_type: ValueType) -> Any:
    """The pydantic type of one value (the preview's unknown is let through by ``Maybe``)."""
    match value_type:
        case Text(starts_with=prefix, starts_with_reason=reason) if prefix:
            inner: Any = Annotated[NonBlank, _prefixed(prefix, reason)]
        case Text():
            inner = NonBlank
        case Identifier():
            inner = IdentifierValue
        case Timestamp():
            inner = TimestampValue
        case SqlQuery():
            inner = Annotated[NonBlank, AfterValidator(_sql)]
        case JsonObjectText():
            inner = JsonObjectTextValue
        case WorkspaceId():
            inner = WorkspaceIdValue
        case Url(api=api):
            inner = Annotated[NonBlank, _url(api)]
        case WholeNumber(minimum=None, maximum=None):
            inner = WholeNumberValue
        case WholeNumber():
            inner = Annotated[WholeNumberValue, _in_range(value_type)]
        case Number():
            inner = float
        case AnyList():
            inner = list[Any]
        case Boolean() | Switch():
            inner = bool
        case Scalar():
            inner = ScalarValue
        case Enum():
            inner = Literal[value_type.values]
        case Block():
            inner = block_model(value_type)
        case ListOf():
            inner = list[Maybe[block_model(value_type.item)]]  # type: ignore[misc]
    return Maybe[inner]  # type: ignore[misc]


def _python_name(name: str) -> str:
    """A field name pydantic can hold: one that shadows a BaseModel attribute (``schema``) gets a ``_``."""
    return f"{name}_" if hasattr(BaseModel, name) else name


def _model(title: str, fields: tuple[Field, ...]) -> type[BaseModel]:
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"model_config": ConfigDict(title=title), "__annotations__": annotations}
    for field in fields:
        python_name = _python_name(field.name)
        annotation = _annotation(field.type)
        alias = {} if python_name == field.name else {"alias": field.name}
        if field.required:
            annotations[python_name] = annotation
            if alias:
                namespace[python_name] = PydanticField(**alias)  # type: ignore[call-overload]
        else:
            annotations[python_name] = annotation | None
            namespace[python_name] = PydanticField(default=None, **alias)  # type: ignore[call-overload]
    model = type(title, (ArgsModel,), namespace)
    return model


@functools.cache
def block_model(block: Block) -> type[BaseModel]:
    return _model(block.title, block.fields)


@functools.cache
def args_model(schema: ResourceSchema) -> type[BaseModel]:
    """The arguments of one resource, titled with its class name (``Pipeline``)."""
    return _model(schema.kind, schema.all_fields)
