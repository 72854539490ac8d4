"""Pulumi's deployment format, as ``pulumi stack export`` prints it: our resource types, pending creates, secrets.

These are Pulumi's names, not the API's wire (that is ``wire.py``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Final

from ..state_layout import resource_type, user_inputs

# The models and the provider pull in pydantic and the Pulumi SDK (about a second): they are
# imported where used, so that building the ``mparticle-wsync`` parser stays fast for every command.
if TYPE_CHECKING:
    from ..models import ResourceModel

PENDING_CREATE: Final = "creating"
SECRET_SIGNATURE_KEY: Final = "4dabf18193072939515e22adb298388d"
SECRET_SIGNATURE: Final = "1b47061264138c4ac30d75fd1eb44270"

JSON = Any  # a decoded JSON value of Pulumi's deployment format


class RecoveryError(Exception):
    """Recovery cannot go on; the message says why and what to do."""


@cache
def _models_by_type() -> dict[str, ResourceModel]:
    from ..models import MODELS

    return {resource_type(model.kind): model for model in MODELS}


def model_of_type(type_name: object) -> ResourceModel | None:
    return _models_by_type().get(str(type_name))


@dataclass(frozen=True)
class PendingCreate:
    urn: str
    model: ResourceModel
    inputs: dict[str, Any]
    """The user's inputs with secrets in clear (from ``pulumi stack export --show-secrets``)."""

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]


@dataclass(frozen=True)
class OtherPendingOperation:
    """A pending operation this command leaves alone (another provider's, or not a create)."""

    urn: str
    type: str


def reveal_secrets(value: JSON) -> JSON:
    """``value`` with every exported secret envelope replaced by its plaintext value."""
    if isinstance(value, dict):
        if value.get(SECRET_SIGNATURE_KEY) == SECRET_SIGNATURE:
            if "plaintext" not in value:
                raise RecoveryError(
                    "the exported state holds encrypted secrets: `pulumi stack export --show-secrets` must "
                    "be able to decrypt them (set PULUMI_CONFIG_PASSPHRASE or log in to the secrets provider)"
                )
            return reveal_secrets(json.loads(value["plaintext"]))
        return {key: reveal_secrets(item) for key, item in value.items()}
    if isinstance(value, list):
        return [reveal_secrets(item) for item in value]
    return value


def pending_operations(deployment: Mapping[str, JSON]) -> list[Mapping[str, JSON]]:
    operations = deployment.get("pending_operations") or []
    if not isinstance(operations, list):
        raise RecoveryError("the exported state's pending_operations is not a list")
    return operations


def pending_creates(revealed: Mapping[str, JSON]) -> tuple[list[PendingCreate], list[OtherPendingOperation]]:
    """The pending creates of our resources, and every other pending operation."""
    ours: list[PendingCreate] = []
    others: list[OtherPendingOperation] = []
    for operation in pending_operations(revealed):
        resource = operation.get("resource") or {}
        urn = str(resource.get("urn", "?"))
        kind = str(operation.get("type", "?"))
        model = model_of_type(resource.get("type"))
        if kind != PENDING_CREATE or model is None:
            others.append(OtherPendingOperation(urn, kind))
            continue
        ours.append(PendingCreate(urn, model, user_inputs(resource.get("inputs") or {})))
    return ours, others


def ids_in_state(deployment: Mapping[str, JSON]) -> dict[tuple[str, str], str]:
    """``(resource type, id) -> URN`` of every resource the state records."""
    held: dict[tuple[str, str], str] = {}
    for resource in deployment.get("resources") or []:
        if resource.get("id"):
            held[(str(resource.get("type")), str(resource["id"]))] = str(resource.get("urn"))
    return held


def project_of(deployment: Mapping[str, JSON]) -> str | None:
    """The project name, from any URN (``urn:pulumi:<stack>::<project>::...``); ``None`` for an empty state."""
    for resource in [*(deployment.get("resources") or []),
                     *(op.get("resource") or {} for op in pending_operations(deployment))]:
        parts = str(resource.get("urn", "")).split("::")
        if len(parts) > 2:
            return parts[1]
    return None
