"""Each resource's schema: every field declared once (name, type, description, wire name and
values, secrecy, replace and server-fill rules) with its cross-field rules.

Everything else is derived from these declarations: argument validation and the wire encoding
(``models/``), the emulator's acceptance rules, ``check-api``'s expected shapes and the reference
docs (``docs/reference/``). The vocabulary is in ``_declare``.
"""

from typing import Final

from ._declare import (
    AnyList,
    Block,
    Boolean,
    BothOrNeither,
    Broken,
    Enum,
    ExactlyOne,
    Field,
    ForbiddenWhen,
    Identifier,
    JsonObjectText,
    Later,
    ListOf,
    Number,
    Output,
    RequiredWhen,
    ResourceSchema,
    Rule,
    Scalar,
    SqlQuery,
    Switch,
    Tag,
    Text,
    Timestamp,
    Url,
    ValueType,
    Variant,
    WholeNumber,
    WorkspaceId,
    broken_rules,
    value_at,
)
from .connection import CONNECTION
from .data_model import DATA_MODEL
from .field_transformation import FIELD_TRANSFORMATION
from .pipeline import PIPELINE

RESOURCES: Final = (CONNECTION, DATA_MODEL, FIELD_TRANSFORMATION, PIPELINE)
BY_COLLECTION: Final = {resource.collection: resource for resource in RESOURCES}

__all__ = [
    "BY_COLLECTION",
    "CONNECTION",
    "DATA_MODEL",
    "FIELD_TRANSFORMATION",
    "PIPELINE",
    "RESOURCES",
    "AnyList",
    "Block",
    "Boolean",
    "BothOrNeither",
    "Broken",
    "Enum",
    "ExactlyOne",
    "Field",
    "ForbiddenWhen",
    "Identifier",
    "JsonObjectText",
    "Later",
    "ListOf",
    "Number",
    "Output",
    "RequiredWhen",
    "ResourceSchema",
    "Rule",
    "Scalar",
    "SqlQuery",
    "Switch",
    "Tag",
    "Text",
    "Timestamp",
    "Url",
    "ValueType",
    "Variant",
    "WholeNumber",
    "WorkspaceId",
    "broken_rules",
    "value_at",
]
