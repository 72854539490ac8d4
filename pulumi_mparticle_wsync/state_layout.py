"""How this package's resources sit in a Pulumi state: the contract between the layers.

The providers (``resources/``) write it; ``recover`` reads and edits it. Every name here is in
states written by earlier versions: none may change.

Type. Each resource's Pulumi type is ``pulumi-python:dynamic/mparticle:<Kind>`` (``resource_type``):
the SDK's prefix for a dynamic resource, the module ``mparticle``, and the kind.

Inputs are what the user wrote, so that the engine's own preview diff shows real changes, plus
bookkeeping the provider needs. Keys starting with ``__`` are the engine's "internal" keys: a preview,
``refresh --diff`` and policy packs never show them. Besides its own arguments, every resource has
inputs the server never sees: ``resource_id``, ``workspace_id``, ``adopt``; and the bookkeeping:

- ``__provider`` (``PROVIDER_KEY``): the engine's serialized dynamic provider;
- ``__pulumi_name`` (``PULUMI_NAME``): the Pulumi resource name, which generated ids start with, set
  by the resource class. Earlier versions wrote it as ``pulumi_name`` (or, earlier still,
  ``name_prefix``), where every preview showed it: ``pulumi_name_of`` reads any of them, and a refresh
  or update rewrites it under today's key;
- ``secret_versions`` (``SECRET_VERSIONS``), on resources with a secret argument: per secret (its
  dotted path, ``snowflake.password``) a number that ``check`` raises by one whenever the value
  changes. Deliberately visible: a preview shows every secret as ``[secret]`` on both sides, so this
  is what tells a reviewer that one changed (``~ snowflake.password: 1 => 2``). It is derived from
  nothing but the count of changes, so it tells nothing about the value.

A resource given an ``Account`` also has ``account``: that account's credentials and URLs
(``ACCOUNT_FIELDS``; the client secret is a secret), which ``refresh`` and ``destroy`` use instead of
the provider's settings. A resource without it uses the provider's settings (the stack's
``mparticle:*`` config), as before.

Outputs (``build_outputs``) are the server-computed fields, the inputs under the same keys, and:

- ``resource_id``: the object's id (also the Pulumi id), whether chosen or generated;
- ``workspace_id``: where the object lives (the argument, or the provider setting at create);
- ``__input_keys``: which inputs were written, so that a read can rebuild them from the outputs
  (``input_keys`` in states of earlier versions: ``written_input_keys`` reads both).

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
PULUMI_NAME: Final = "__pulumi_name"
"""The input holding the Pulumi resource name (set by the resource class, not by the user)."""
LEGACY_PULUMI_NAMES: Final = ("pulumi_name", "name_prefix")
"""What states of earlier versions call ``PULUMI_NAME``; rewritten under today's key."""
SECRET_VERSIONS: Final = "secret_versions"
"""The input counting the changes of each secret argument (``secret_versions``), visible in previews."""
BOOKKEEPING_INPUTS: Final = (PULUMI_NAME, *LEGACY_PULUMI_NAMES, SECRET_VERSIONS)
"""Inputs that are not arguments: the server and the argument checks never see them (``arguments``)."""

INPUT_KEYS: Final = "__input_keys"
"""Output listing which inputs were written, so ``read`` can rebuild them from the outputs."""
LEGACY_INPUT_KEYS: Final = "input_keys"
"""What states of earlier versions call ``INPUT_KEYS``."""

_ID_SUFFIX_BYTES: Final = 4  # 8 hex characters


def resource_type(kind: str) -> str:
    """The Pulumi type of the resource of ``kind`` (``DataModel``), as the state records it."""
    return f"{RESOURCE_TYPE_PREFIX}{kind}"


def user_inputs(props: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs to keep: ``props`` without the engine's serialized provider, the Pulumi name under
    today's key (``PULUMI_NAME``) whichever key an earlier version wrote it under."""
    inputs = {k: v for k, v in props.items() if k != PROVIDER_KEY and k not in LEGACY_PULUMI_NAMES}
    name = pulumi_name_of(props)
    if name:
        inputs[PULUMI_NAME] = name
    return inputs


def arguments(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The resource's arguments among ``inputs``: what the argument checks and the server see."""
    return {k: v for k, v in inputs.items() if k != PROVIDER_KEY and k not in BOOKKEEPING_INPUTS}


def bookkeeping(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The bookkeeping among ``inputs`` (the Pulumi name under today's key), kept by a refresh."""
    kept = {k: inputs[k] for k in (SECRET_VERSIONS,) if inputs.get(k) is not None}
    name = pulumi_name_of(inputs)
    if name:
        kept[PULUMI_NAME] = name
    return kept


def written_input_keys(outputs: Mapping[str, Any]) -> list[str] | None:
    """The input keys an earlier create/update/read recorded in ``outputs``, under either key; ``None``
    when there is no such record (the outputs of a bare ``.get()``)."""
    keys = outputs.get(INPUT_KEYS, outputs.get(LEGACY_INPUT_KEYS))
    return [str(k) for k in keys] if isinstance(keys, list) else None


def build_outputs(
    server_outputs: Mapping[str, Any], inputs: Mapping[str, Any], object_id: str, workspace: str
) -> dict[str, Any]:
    """All outputs: the server's fields (``ResourceSchema.server_outputs``), the inputs as written,
    and the bookkeeping keys."""
    outputs = dict(server_outputs)
    outputs.update(inputs)
    outputs[RESOURCE_ID] = object_id
    outputs[WORKSPACE_ID] = inputs.get(WORKSPACE_ID, workspace)
    outputs.pop(LEGACY_INPUT_KEYS, None)
    outputs[INPUT_KEYS] = sorted(inputs)
    return outputs


def pulumi_name_of(props: Mapping[str, Any]) -> str:
    """The Pulumi resource name recorded in a resource's inputs or outputs, under any key it had."""
    for key in (PULUMI_NAME, *LEGACY_PULUMI_NAMES):
        if props.get(key):
            return str(props[key])
    return ""


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
