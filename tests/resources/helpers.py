"""Small helpers shared by the provider tests."""

from __future__ import annotations

from typing import Any

from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.state_layout import PROVIDER_KEY

SERIALIZED = "gASV-serialized-provider"


def engine_props(inputs: dict[str, Any]) -> dict[str, Any]:
    """Props as the engine passes them: the inputs plus the serialized provider."""
    return {**inputs, PROVIDER_KEY: SERIALIZED}


def stored(emulator: EmulatorHandle, collection: str, object_id: str) -> dict[str, Any] | None:
    return emulator.control.get_object(emulator.workspace_id, collection, object_id)


def api_calls(emulator: EmulatorHandle) -> dict[str, int]:
    """Calls per method since the log was last cleared (token calls under "TOKEN")."""
    counts: dict[str, int] = {}
    for record in emulator.control.requests():
        key = "TOKEN" if record.collection == "token" else record.method
        counts[key] = counts.get(key, 0) + 1
    return counts
