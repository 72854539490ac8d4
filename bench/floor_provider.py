"""The floor: a dynamic provider that stores nothing and makes no calls.

A stack of ``FloorResource`` has the same shape as the real one (same names, same inputs,
same secrets, same wiring through outputs), so timing it measures the engine's own cost:
the CLI, the gRPC round trips, the provider process and the state file.

This module must be importable by the provider process (the bench puts ``bench/`` on its
``PYTHONPATH``): dill then pickles ``FloorProvider`` by reference, exactly like our providers,
and ``__provider`` in the state stays a short reference instead of the pickled class.
"""

from __future__ import annotations

import secrets
from typing import Any

import pulumi
import pulumi.dynamic
from pulumi.dynamic import CreateResult, ReadResult, ResourceProvider, UpdateResult

from pulumi_mparticle_wsync.state_layout import user_inputs


class FloorProvider(ResourceProvider):
    """Echoes its inputs as outputs; ``check`` and ``diff`` are the SDK's defaults."""

    serialize_as_secret_always = False  # as ours: the provider captures no secret

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(f"floor-{secrets.token_hex(4)}", user_inputs(props))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        return ReadResult(id_, user_inputs(props))

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(user_inputs(_news))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None


class FloorResource(pulumi.dynamic.Resource, module="bench", name="Floor"):
    def __init__(self, resource_name: str, props: dict[str, Any]) -> None:
        super().__init__(FloorProvider(), resource_name, props)
