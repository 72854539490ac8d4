"""The state edit: decided pending creates become resources, or go."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from ..state_layout import PROVIDER_KEY, build_outputs, user_inputs
from ._matching import Decision, Outcome
from ._state import JSON, PENDING_CREATE, pending_operations


def resolved_deployment(deployment: Mapping[str, JSON], decisions: Sequence[Decision]) -> dict[str, JSON]:
    """``deployment`` (as exported, secrets encrypted) with the decided pending creates resolved.

    An imported object becomes a resource under the pending URN, with the outputs its create
    would have returned. If the URN is already in the state, the create was a replacement's:
    the old resource is marked for deletion, as the engine does once a replacement is created.
    A create that never happened is dropped. Everything else stays as it was.
    """
    edited: dict[str, JSON] = copy.deepcopy(dict(deployment))
    decided = {d.pending.urn: d for d in decisions if d.outcome is not Outcome.AMBIGUOUS}
    remaining: list[JSON] = []
    recorded: list[JSON] = []
    for operation in pending_operations(edited):
        resource = operation.get("resource") or {}
        decision = decided.get(str(resource.get("urn")))
        if operation.get("type") != PENDING_CREATE or decision is None:
            remaining.append(operation)
        elif decision.outcome is Outcome.IMPORT:
            recorded.append(_recorded_resource(resource, decision))
    recorded_urns = {resource["urn"] for resource in recorded}
    resources: list[JSON] = edited.setdefault("resources", [])
    for resource in resources:
        if resource.get("urn") in recorded_urns and not resource.get("delete"):
            resource["delete"] = True
    resources.extend(recorded)
    if remaining:
        edited["pending_operations"] = remaining
    else:
        edited.pop("pending_operations", None)
    return edited


def _recorded_resource(pending_resource: Mapping[str, JSON], decision: Decision) -> dict[str, JSON]:
    assert decision.chosen is not None and decision.object_id is not None
    resource: dict[str, JSON] = copy.deepcopy(dict(pending_resource))
    inputs = resource.get("inputs") or {}
    outputs = build_outputs(
        decision.pending.model.server_outputs(decision.chosen),
        user_inputs(inputs),
        decision.object_id,
        decision.workspace,
    )
    if PROVIDER_KEY in inputs:
        outputs[PROVIDER_KEY] = inputs[PROVIDER_KEY]  # the dynamic provider host reads it back
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    resource.update(id=decision.object_id, outputs=outputs, created=now, modified=now)
    return resource
