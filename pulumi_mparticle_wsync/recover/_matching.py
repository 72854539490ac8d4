"""Which object did a pending create make? Candidates by id, then state, creation time and content."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from .. import wire
from ..state_layout import RESOURCE_ID, WORKSPACE_ID, is_generated_id, pulumi_name_of, resource_type
from ._start import parse_time
from ._state import PendingCreate, RecoveryError


class Outcome(Enum):
    IMPORT = "import"
    NOT_CREATED = "not created"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class Ignored:
    """An object that looked like the pending create's at first sight, and why it is not."""

    object_id: str
    reason: str


@dataclass(frozen=True)
class Decision:
    pending: PendingCreate
    workspace: str
    outcome: Outcome
    chosen: Mapping[str, Any] | None = None
    """The served object to record (``IMPORT``)."""
    matching: tuple[str, ...] = ()
    """Every object that matches (``AMBIGUOUS``)."""
    ignored: tuple[Ignored, ...] = ()
    note: str = ""

    @property
    def object_id(self) -> str | None:
        return None if self.chosen is None else str(self.chosen[wire.ID])


def could_be_from(pending: PendingCreate, object_id: str) -> bool:
    """Is ``object_id`` an id the interrupted create could have used?"""
    explicit = pending.inputs.get(RESOURCE_ID)
    if explicit:
        return object_id == str(explicit)
    # Exactly what ``create`` does when it generates the id.
    return is_generated_id(object_id, pulumi_name_of(pending.inputs), pending.model.kind.lower())


def expected_body(pending: PendingCreate, object_id: str) -> dict[str, Any]:
    """The body the interrupted create sent for ``object_id``."""
    try:
        return pending.model.to_wire(pending.inputs, object_id)
    except (ValueError, KeyError, TypeError) as exc:
        raise RecoveryError(f"cannot encode the inputs of {pending.urn} to compare them: {exc}") from exc


def why_not_ours(
    pending: PendingCreate,
    served: Mapping[str, Any],
    *,
    held: Mapping[tuple[str, str], str],
    not_before: datetime,
) -> str | None:
    """Why ``served`` cannot be the object the pending create made; ``None`` if it can."""
    from ..client import differences

    object_id = str(served.get(wire.ID))
    holder = held.get((resource_type(pending.model.kind), object_id))
    if holder is not None:
        return f"already in the state as {holder}"
    created_on = served.get(wire.CREATED_ON)
    created = parse_time(created_on)
    if created is None:
        return f"the API gives no usable {wire.CREATED_ON} ({created_on!r})"
    if created < not_before:
        return f"created {created_on}, before the interrupted update started"
    changed = differences(pending.model.collection, expected_body(pending, object_id), served)
    if changed:
        return f"differs from the inputs in {', '.join(changed)}"
    return None


def decide(
    pending: PendingCreate,
    workspace: str,
    served_objects: Iterable[Mapping[str, Any]],
    *,
    held: Mapping[tuple[str, str], str],
    not_before: datetime,
) -> Decision:
    """Import the one object the pending create made, drop the create if none, refuse to guess between several.

    ``served_objects``: the objects of the pending create's collection in ``workspace`` (all of them,
    or only the explicit ``resource_id``'s); ``held``: ``ids_in_state``; ``not_before``: when the
    interrupted update started, less the clock tolerance.
    """
    matching: list[Mapping[str, Any]] = []
    ignored: list[Ignored] = []
    for served in served_objects:
        object_id = served.get(wire.ID)
        if not isinstance(object_id, str) or not could_be_from(pending, object_id):
            continue
        reason = why_not_ours(pending, served, held=held, not_before=not_before)
        if reason is None:
            matching.append(served)
        else:
            ignored.append(Ignored(object_id, reason))
    if len(matching) == 1:
        return Decision(pending, workspace, Outcome.IMPORT, chosen=matching[0], ignored=tuple(ignored))
    if not matching:
        return Decision(pending, workspace, Outcome.NOT_CREATED, ignored=tuple(ignored))
    return Decision(
        pending, workspace, Outcome.AMBIGUOUS,
        matching=tuple(sorted(str(m[wire.ID]) for m in matching)), ignored=tuple(ignored),
    )


def without_double_claims(decisions: Sequence[Decision]) -> list[Decision]:
    """An object is what one create made: when it would be recorded for several pending creates, it is for none."""

    def claim(decision: Decision) -> tuple[str, str, str | None]:
        return (decision.pending.model.collection, decision.workspace, decision.object_id)

    claimants: dict[tuple[str, str, str | None], list[str]] = {}
    for decision in decisions:
        if decision.outcome is Outcome.IMPORT:
            claimants.setdefault(claim(decision), []).append(decision.pending.name)
    checked: list[Decision] = []
    for decision in decisions:
        names = claimants.get(claim(decision), []) if decision.outcome is Outcome.IMPORT else []
        if len(names) > 1:
            others = ", ".join(name for name in names if name != decision.pending.name)
            decision = Decision(
                decision.pending, decision.workspace, Outcome.AMBIGUOUS, matching=(str(decision.object_id),),
                ignored=decision.ignored, note=f"the same object would also be recorded for {others}",
            )
        checked.append(decision)
    return checked


def chosen_by_user(
    pending: PendingCreate,
    workspace: str,
    served: Mapping[str, Any] | None,
    object_id: str,
    *,
    held: Mapping[tuple[str, str], str],
) -> Decision:
    """``--use URN=ID``: the user has looked and picked the object; it must exist and be unclaimed."""
    where = f"{pending.model.kind} {object_id!r} in workspace {workspace}"
    if served is None:
        raise RecoveryError(f"--use {pending.name}={object_id}: there is no {where}")
    holder = held.get((resource_type(pending.model.kind), object_id))
    if holder is not None:
        raise RecoveryError(f"--use {pending.name}={object_id}: {where} is already in the state as {holder}")
    return Decision(pending, workspace, Outcome.IMPORT, chosen=served, note="chosen with --use")


def workspace_of(pending: PendingCreate, configured: str | None) -> str:
    """Where the interrupted create went: the resource's argument, else the provider setting."""
    from ..client import missing_workspace_error
    from ..models import canonical_workspace_id

    workspace = canonical_workspace_id(pending.inputs.get(WORKSPACE_ID)) or configured
    if workspace is None:
        raise missing_workspace_error()
    return workspace
