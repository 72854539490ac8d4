"""Stored documents → what the API answers: secrets omitted or masked, provider case switched."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from .. import wire
from .acceptance import provider_label, schema_of, secret_paths
from .switches import Switches


def render(collection: str, document: Mapping[str, Any], switches: Switches) -> dict[str, Any]:
    answer = copy.deepcopy(dict(document))
    schema = schema_of(collection)
    for path in secret_paths(schema) if schema is not None else ():
        parent: Any = answer
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if not isinstance(parent, dict) or parent.get(path[-1]) is None:
            continue
        if switches.secret_mode == wire.SECRET_MODE_MASK:
            parent[path[-1]] = wire.MASKED_SECRET
        else:
            del parent[path[-1]]
    provider = answer.get(wire.SERVICE_PROVIDER)
    if collection == wire.CONNECTIONS and isinstance(provider, str):
        answer[wire.SERVICE_PROVIDER] = provider_label(provider, switches.provider_case)
    return answer
