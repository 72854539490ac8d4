"""The provider's side of each resource's schema: argument validation (``check``) and the wire
encoding, both derived from the declarations in ``schema/``.

Importing this package does not import pydantic (the provider's read and delete paths need none):
validation imports it on first use, see ``_model``.

``CONNECTION``, ``DATA_MODEL``, ``FIELD_TRANSFORMATION`` and ``PIPELINE`` are
:class:`ResourceModel` objects the generic provider in ``resources/_base.py`` is parametrised with.
"""

from typing import Any, Final

from .. import schema
from ._common import (
    UNKNOWN,
    Problem,
    canonical_workspace_id,
    check_failures,
    contains_unknown,
    is_unknown,
    same_value,
)
from ._model import ResourceModel

CONNECTION: Final = ResourceModel(schema.CONNECTION)
DATA_MODEL: Final = ResourceModel(schema.DATA_MODEL)
FIELD_TRANSFORMATION: Final = ResourceModel(schema.FIELD_TRANSFORMATION)
PIPELINE: Final = ResourceModel(schema.PIPELINE)
MODELS: Final = (CONNECTION, DATA_MODEL, FIELD_TRANSFORMATION, PIPELINE)


def account_problems(value: Any) -> list[Problem]:
    """The problems of an ``account`` value alone (``PipelineRun`` checks its arguments by hand)."""
    from ._validate import account_problems as problems  # pydantic only when validating

    return problems(value)


__all__ = [
    "CONNECTION",
    "DATA_MODEL",
    "FIELD_TRANSFORMATION",
    "MODELS",
    "PIPELINE",
    "UNKNOWN",
    "Problem",
    "ResourceModel",
    "account_problems",
    "canonical_workspace_id",
    "check_failures",
    "contains_unknown",
    "is_unknown",
    "same_value",
]
