"""The plan: a decision per pending create, from the API's objects, and how it is printed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..state_layout import RESOURCE_ID
from ._matching import Decision, Outcome, chosen_by_user, decide, without_double_claims, workspace_of
from ._start import UpdateStart, format_time
from ._state import JSON, OtherPendingOperation, PendingCreate, RecoveryError, ids_in_state


@dataclass
class Plan:
    stack: str
    start: UpdateStart | None
    not_before: datetime | None
    decisions: list[Decision] = field(default_factory=list)
    others: list[OtherPendingOperation] = field(default_factory=list)

    @property
    def ambiguous(self) -> list[Decision]:
        return [d for d in self.decisions if d.outcome is Outcome.AMBIGUOUS]

    @property
    def imports(self) -> list[Decision]:
        return [d for d in self.decisions if d.outcome is Outcome.IMPORT]

    @property
    def drops(self) -> list[Decision]:
        return [d for d in self.decisions if d.outcome is Outcome.NOT_CREATED]


def decide_all(
    ours: Sequence[PendingCreate],
    deployment: Mapping[str, JSON],
    config: Mapping[str, JSON],
    not_before: datetime,
    chosen: Mapping[str, str],
) -> list[Decision]:
    """A decision per pending create, from its workspace's objects (one listing per workspace and collection).

    ``config``: ``pulumi config --json --show-secrets`` (the provider's settings, ``MPARTICLE_*`` as
    fallback); ``chosen``: the ``--use`` choices, resource name or URN -> object id.
    """
    from ..client import WarehouseSyncClient
    from ..command_settings import command_settings

    chosen_by_urn = _resolve_choices(ours, chosen)
    held = ids_in_state(deployment)
    settings = command_settings({}, stack_config=config)
    decisions: list[Decision] = []
    with WarehouseSyncClient(settings) as client:
        listings: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for pending in ours:
            workspace = workspace_of(pending, settings.workspace_id)
            collection = pending.model.collection
            object_id = chosen_by_urn.get(pending.urn)
            if object_id is not None:
                served = client.get(collection, object_id, workspace_id=workspace)
                decisions.append(chosen_by_user(pending, workspace, served, object_id, held=held))
                continue
            explicit = pending.inputs.get(RESOURCE_ID)
            if explicit:
                found = client.get(collection, str(explicit), workspace_id=workspace)
                objects = [] if found is None else [found]
            else:
                key = (workspace, collection)
                if key not in listings:
                    listings[key] = client.list(collection, workspace_id=workspace)
                objects = listings[key]
            decisions.append(decide(pending, workspace, objects, held=held, not_before=not_before))
    return without_double_claims(decisions)


def _resolve_choices(ours: Sequence[PendingCreate], chosen: Mapping[str, str]) -> dict[str, str]:
    """``--use`` names (a resource name or URN) -> pending URNs."""
    resolved: dict[str, str] = {}
    for name, object_id in chosen.items():
        named = [p for p in ours if name in (p.urn, p.name)]
        if len(named) != 1:
            listed = ", ".join(p.name for p in ours) or "none"
            problem = "names no" if not named else "names more than one"
            raise RecoveryError(
                f"--use {name}={object_id}: {name!r} {problem} interrupted create (the interrupted creates: "
                f"{listed}; give the full URN if a name repeats)"
            )
        resolved[named[0].urn] = object_id
    return resolved


def format_plan(plan: Plan) -> str:
    lines: list[str] = []
    if plan.start is not None and plan.not_before is not None:
        lines.append(
            f"Stack {plan.stack!r}: {len(plan.decisions)} interrupted create(s). The update started "
            f"{format_time(plan.start.time)} (from {plan.start.source}); objects created from "
            f"{format_time(plan.not_before)} on are considered."
        )
    for decision in plan.decisions:
        lines.append(f"  {decision.pending.urn}")
        lines.append(f"    -> {_describe(decision)}")
        lines.extend(f"       ignored {i.object_id}: {i.reason}" for i in decision.ignored)
    for other in plan.others:
        lines.append(f"  {other.urn}: pending {other.type}, left as it is (not an mParticle create)")
    return "\n".join(lines)


def _describe(decision: Decision) -> str:
    where = f"{decision.pending.model.kind} in workspace {decision.workspace}"
    if decision.outcome is Outcome.IMPORT:
        note = f", {decision.note}" if decision.note else ""
        return f"{decision.object_id} ({where}{note}): record it in the state"
    if decision.outcome is Outcome.NOT_CREATED:
        return f"not created ({where}): drop the pending create; `pulumi up` creates it"
    matches = "all match" if len(decision.matching) > 1 else "matches"
    note = f"; {decision.note}" if decision.note else ""
    return f"ambiguous ({where}): {', '.join(decision.matching)} {matches}{note}"
