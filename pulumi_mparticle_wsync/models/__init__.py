"""User-facing argument models: validation (``check``) and the wire encoding of each resource.

One module per resource; each exposes ``SCHEMA`` (a :class:`ResourceSchema`) that the
generic provider in ``resources/_base.py`` is parametrised with. Only ``wire.py`` names
travel on the wire; the names here are the user-facing ones.
"""

from ._common import UNKNOWN, Problem, contains_unknown, is_unknown
from ._common import canonical_workspace_id as canonical_workspace_id
from ._schema import ResourceSchema
from .connection import SCHEMA as CONNECTION
from .data_model import SCHEMA as DATA_MODEL
from .field_transformation import SCHEMA as FIELD_TRANSFORMATION
from .pipeline import SCHEMA as PIPELINE

SCHEMAS = (CONNECTION, DATA_MODEL, FIELD_TRANSFORMATION, PIPELINE)

__all__ = [
    "CONNECTION",
    "DATA_MODEL",
    "FIELD_TRANSFORMATION",
    "PIPELINE",
    "SCHEMAS",
    "UNKNOWN",
    "Problem",
    "ResourceSchema",
    "contains_unknown",
    "is_unknown",
]
