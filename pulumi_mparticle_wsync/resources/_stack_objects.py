"""What this provider process knows of the stack's objects during one engine operation.

The engine starts one provider process per operation (``up``, ``preview``, ``destroy``...) and,
in an ``up``, calls ``diff`` for every resource the program still declares and ``create`` for
every new one before it deletes the resources the program no longer declares. So by the time
a delete runs, this process has seen every live resource of the stack, and can tell:

- whether the object about to be deleted is held by *another* resource of the stack, one that
  adopted it, created it again under the same id, or was renamed without an alias. Deleting it
  would take that resource's object away (the "set adopt=True" trap), so the delete only drops
  the resource from the state;
- whether a delete is the first half of a replacement that keeps the id (delete-before-replace),
  so that an error can say how to avoid it;
- in which workspace the stack holds an object a pipeline refers to;
- the schedule type of each pipeline the stack declares, so that a ``PipelineRun`` of a pipeline
  that cannot be triggered fails at preview.

Resources are told apart by their Pulumi resource name (``pulumi_name``); objects by their account
too (``_accounts.account_key``: ``""`` for the provider's settings), so two accounts with the same
workspace id are never confused. Nothing here leaves the process; a new operation starts empty.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class ObjectKey:
    """One object on the API: ids are unique per collection within a workspace of an account."""

    workspace: str
    collection: str
    object_id: str
    account: str = ""
    """``_accounts.account_key``: ``""`` for the provider's settings."""


class StackObjects:
    """Thread-safe: the provider process serves several calls at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # (account, collection, id) -> workspace -> names of the resources holding it: ``workspaces_of``
        # runs in every pipeline's ``check``, so it must not scan the whole stack.
        self._holders: dict[tuple[str, str, str], dict[str, set[str]]] = {}
        self._replaced_first: set[ObjectKey] = set()
        self._schedule_types: dict[tuple[str, str, str], str] = {}

    def _names(self, key: ObjectKey) -> set[str]:
        by_workspace = self._holders.setdefault((key.account, key.collection, key.object_id), {})
        return by_workspace.setdefault(key.workspace, set())

    def hold(self, key: ObjectKey, resource_name: str) -> None:
        """The resource named ``resource_name`` manages ``key`` after this operation."""
        with self._lock:
            self._names(key).add(resource_name)

    def release(self, key: ObjectKey, resource_name: str) -> set[str]:
        """``resource_name`` is being deleted: the other resources that still hold ``key``."""
        with self._lock:
            names = self._names(key)
            names.discard(resource_name)
            return set(names)

    def mark_replaced_first(self, key: ObjectKey) -> None:
        """``key`` is deleted before its replacement is created (the replacement keeps its id)."""
        with self._lock:
            self._replaced_first.add(key)

    def is_replaced_first(self, key: ObjectKey) -> bool:
        with self._lock:
            return key in self._replaced_first

    def workspaces_of(self, collection: str, object_id: str, account: str = "") -> set[str]:
        """The workspaces of ``account`` in which a resource of the stack holds an object with this id."""
        with self._lock:
            by_workspace = self._holders.get((account, collection, object_id), {})
            return {workspace for workspace, names in by_workspace.items() if names}

    def note_schedule_type(self, workspace: str, pipeline_id: str, schedule_type: str, account: str = "") -> None:
        """The pipeline's ``schedule.type`` after this operation (as the program declares it)."""
        with self._lock:
            self._schedule_types[(account, workspace, pipeline_id)] = schedule_type

    def schedule_type(self, workspace: str, pipeline_id: str, account: str = "") -> str | None:
        with self._lock:
            return self._schedule_types.get((account, workspace, pipeline_id))

    def clear(self) -> None:
        with self._lock:
            self._holders.clear()
            self._replaced_first.clear()
            self._schedule_types.clear()


STACK_OBJECTS = StackObjects()
"""The process's one instance."""
