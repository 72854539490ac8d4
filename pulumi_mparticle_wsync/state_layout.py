"""How this package's resources sit in a Pulumi state: the contract between the layers.

The providers (``resources/``) write it; ``recover`` reads and edits it. Every name here is in
states written by earlier versions: none may change.

Type. Each resource's Pulumi type is ``pulumi-python:dynamic/mparticle:<Kind>`` (``resource_type``):
the SDK's prefix for a dynamic resource, the module ``mparticle``, and the kind.

Inputs are exactly what the user wrote (``check`` never adds anything), so the engine's own
preview diff shows real changes, plus the engine's serialized provider under ``PROVIDER_KEY``
(``user_inputs`` leaves it out). Besides its own arguments, every resource has inputs the server
never sees: ``resource_id``, ``workspace_id``, ``adopt``, and ``pulumi_name`` (the Pulumi resource
name, which generated ids start with; states written before 0.2 call it ``name_prefix``: read it
with ``pulumi_name_of``). A resource given an ``Account`` also has ``account``: that account's
credentials and URLs (``ACCOUNT_FIELDS``; the client secret is a secret), which ``refresh`` and
``destroy`` use instead of the provider's settings. A resource without it uses the provider's
settings (the stack's ``mparticle:*`` config), as before.

Outputs (``build_outputs``) are the server-computed fields, the inputs under the same keys, and:

- ``resource_id``: the object's id (also the Pulumi id), whether chosen or generated;
- ``workspace_id``: where the object lives (the argument, or the provider setting at create);
- ``input_keys``: which inputs the user wrote, so that a read can rebuild them from the outputs.

Generated ids are ``<name>-<8 hex>`` (``generate_id``): ``recover`` finds the object an
interrupted create made by that shape (``is_generated_id``).

Nothing here imports Pulumi or the models: ``recover`` reads states without loading them.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from typing import Any, Final

from . import wire

PROVIDER_KEY: Final = "__provider"
"""The input (and output) under which the engine keeps the serialized dynamic provider."""

RESOURCE_MODULE: Final = "mparticle"
"""The module of every resource class; with the SDK's prefix it starts each resource's type."""
RESOURCE_TYPE_PREFIX: Final = f"pulumi-python:dynamic/{RESOURCE_MODULE}:"

# Inputs every resource has besides its own arguments; the server never sees them.
RESOURCE_ID: Final = "resource_id"
WORKSPACE_ID: Final = "workspace_id"
ADOPT: Final = "adopt"
ACCOUNT: Final = "account"
"""The input (and output) holding another account than the provider settings' (written only when given)."""
ACCOUNT_CLIENT_ID: Final = "client_id"
ACCOUNT_CLIENT_SECRET: Final = "client_secret"
ACCOUNT_WORKSPACE_ID: Final = "workspace_id"
ACCOUNT_API_URL: Final = "api_url"
ACCOUNT_AUTH_URL: Final = "auth_url"
ACCOUNT_FIELDS: Final = (
    ACCOUNT_CLIENT_ID, ACCOUNT_CLIENT_SECRET, ACCOUNT_WORKSPACE_ID, ACCOUNT_API_URL, ACCOUNT_AUTH_URL,
)
"""The keys of an ``account`` value (the unset ones are left out)."""
PULUMI_NAME: Final = "pulumi_name"
"""The input holding the Pulumi resource name (set by the resource class, not by the user)."""
LEGACY_PULUMI_NAME: Final = "name_prefix"
"""What states written before 0.2 call ``PULUMI_NAME``; a refresh rewrites it under the new key."""

INPUT_KEYS: Final = "input_keys"
"""Output listing which inputs the user wrote, so ``read`` can rebuild them from the outputs."""

_ID_SUFFIX_BYTES: Final = 4  # 8 hex characters


def resource_type(kind: str) -> str:
    """The Pulumi type of the resource of ``kind`` (``DataModel``), as the state records it."""
    return f"{RESOURCE_TYPE_PREFIX}{kind}"


def user_inputs(props: Mapping[str, Any]) -> dict[str, Any]:
    """The user's inputs: ``props`` without the engine's serialized provider."""
    return {k: v for k, v in props.items() if k != PROVIDER_KEY}


def build_outputs(
    server_outputs: Mapping[str, Any], inputs: Mapping[str, Any], object_id: str, workspace: str
) -> dict[str, Any]:
    """All outputs: the server's fields (``ResourceSchema.server_outputs``), the inputs as written,
    and the bookkeeping keys."""
    outputs = dict(server_outputs)
    outputs.update(inputs)
    outputs[RESOURCE_ID] = object_id
    outputs[WORKSPACE_ID] = inputs.get(WORKSPACE_ID, workspace)
    outputs[INPUT_KEYS] = sorted(inputs)
    return outputs


def pulumi_name_of(props: Mapping[str, Any]) -> str:
    """The Pulumi resource name recorded in a resource's inputs or outputs, under either key."""
    return str(props.get(PULUMI_NAME) or props.get(LEGACY_PULUMI_NAME) or "")


def id_stem(pulumi_name: str, fallback: str) -> str:
    """What a generated id starts with: the name within the id charset, cut to leave room for the suffix."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", pulumi_name).strip("-_") or fallback
    return stem[: wire.ID_MAX_LENGTH - 2 * _ID_SUFFIX_BYTES - 1]


def generate_id(pulumi_name: str, fallback: str) -> str:
    """``<name>-<8 hex>`` within the id charset and length: replacements never collide."""
    return f"{id_stem(pulumi_name, fallback)}-{secrets.token_hex(_ID_SUFFIX_BYTES)}"


def is_generated_id(object_id: str, pulumi_name: str, fallback: str) -> bool:
    """Could ``generate_id(pulumi_name, fallback)`` have returned ``object_id``?"""
    stem = re.escape(id_stem(pulumi_name, fallback))
    return re.fullmatch(rf"{stem}-[0-9a-f]{{{2 * _ID_SUFFIX_BYTES}}}", object_id) is not None
