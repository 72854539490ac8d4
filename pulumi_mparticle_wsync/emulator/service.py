"""The Warehouse Sync API's behaviour, independent of HTTP: every rule that needs stored state.

Shape rules come from each resource's schema (``acceptance``); this module adds duplicates,
references, the active-pipeline limit, immutable fields, delete protection and server-computed
fields. Runs are ``PipelineRuns`` (``self.runs``), which catches a pipeline's scheduled runs up before
every change to it. Each public method is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from .. import rules, wire
from ..schema import ResourceSchema
from ..schema.pipeline import STATE as PIPELINE_STATE
from .acceptance import WriteContext, immutable_keys, normalise, schema_of
from .clock import Clock
from .errors import EmulatorError, bad_request, not_found
from .pipeline_runs import PipelineRuns
from .render import render
from .store import Store
from .switches import Switches
from .validation import shown

HEALTHY: Final = wire.CONNECTION_STATUSES[0]


def kind_of(collection: str) -> ResourceSchema:
    kind = schema_of(collection)
    if kind is None:
        raise not_found(f"no collection {shown(collection)}: use one of {', '.join(wire.COLLECTIONS)}")
    return kind


def _references() -> list[tuple[str, str]]:
    """A pipeline's fields naming another object of its workspace, and that object's collection."""
    return [(str(f.wire), f.references) for f in kind_of(wire.PIPELINES).fields if f.references]


def check_path_id(object_id: str) -> None:
    if (problem := rules.id_problem(object_id)) is not None:
        raise bad_request(f"id in the path {problem}")


class WarehouseSyncService:
    def __init__(self, store: Store, clock: Clock, switches: Callable[[], Switches], user_email: str) -> None:
        self._store = store
        self._clock = clock
        self._switches = switches
        self._user_email = user_email
        self.runs = PipelineRuns(store, clock, switches, user_email, self._require_in)

    # --- reads --------------------------------------------------------------------------
    def list_objects(
        self, workspace_id: str, collection: str, service_provider: str | None = None
    ) -> list[dict[str, Any]]:
        kind_of(collection)
        documents = self._store.list_documents(workspace_id, collection)
        if service_provider is not None:
            wanted = service_provider.lower()
            documents = [d for d in documents if str(d.get(wire.SERVICE_PROVIDER, "")).lower() == wanted]
        switches = self._switches()
        return [render(collection, d, switches) for d in documents]

    def get(self, workspace_id: str, collection: str, object_id: str) -> dict[str, Any]:
        kind = kind_of(collection)
        check_path_id(object_id)
        return render(collection, self._require(workspace_id, kind, object_id), self._switches())

    def find(self, workspace_id: str, collection: str, object_id: str) -> dict[str, Any] | None:
        """The rendered object, or ``None``; no id check (control API)."""
        kind_of(collection)
        document = self._store.get(workspace_id, collection, object_id)
        return None if document is None else render(collection, document, self._switches())

    # --- writes -------------------------------------------------------------------------
    def create(self, workspace_id: str, collection: str, body: object, *, actor: str | None = None) -> dict[str, Any]:
        kind = kind_of(collection)
        with self._store.transaction():
            document = normalise(kind, body, WriteContext(workspace_id))
            object_id = str(document[wire.ID])
            if self._store.get(workspace_id, collection, object_id) is not None:
                raise self._duplicate(kind, object_id, workspace_id)
            if collection == wire.PIPELINES:
                self._check_references(workspace_id, document)
                if document.get(wire.STATE) == PIPELINE_STATE.off:
                    self._check_active_limit(workspace_id, object_id)
            document.update(
                {
                    wire.STATUS_FIELD: HEALTHY,
                    wire.ERRORS: [],
                    wire.CREATED_ON: self._clock.timestamp(),
                    wire.CREATED_BY: actor or self._user_email,
                    wire.LAST_MODIFIED_ON: None,
                    wire.LAST_MODIFIED_BY: None,
                }
            )
            if not self._store.insert(workspace_id, collection, object_id, document):
                raise self._duplicate(kind, object_id, workspace_id)
        return render(collection, document, self._switches())

    def replace(self, workspace_id: str, collection: str, object_id: str, body: object) -> dict[str, Any]:
        kind = kind_of(collection)
        check_path_id(object_id)
        with self._store.transaction():
            previous = self._require(workspace_id, kind, object_id)
            document = normalise(kind, body, WriteContext(workspace_id, previous))
            if document[wire.ID] != object_id:
                raise bad_request(
                    f"id: the body id {shown(document[wire.ID])} must equal the id in the path "
                    f"{shown(object_id)}; ids cannot be changed"
                )
            self._check_immutable(kind, previous, document)
            if collection == wire.PIPELINES:
                self.runs.catch_up(workspace_id, previous, self._clock.now())
                self._check_references(workspace_id, document)
                resumed = previous.get(wire.STATE) != PIPELINE_STATE.off
                if resumed and document.get(wire.STATE) == PIPELINE_STATE.off:
                    self._check_active_limit(workspace_id, object_id)
            for key in (wire.STATUS_FIELD, wire.ERRORS, wire.CREATED_ON, wire.CREATED_BY):
                document[key] = previous.get(key)
            document[wire.LAST_MODIFIED_ON] = self._clock.timestamp()
            document[wire.LAST_MODIFIED_BY] = self._user_email
            self._store.update(workspace_id, collection, object_id, document)
        return render(collection, document, self._switches())

    def delete(self, workspace_id: str, collection: str, object_id: str) -> None:
        kind = kind_of(collection)
        check_path_id(object_id)
        with self._store.transaction():
            self._require(workspace_id, kind, object_id)
            if collection != wire.PIPELINES:
                self._check_not_referenced(workspace_id, kind, object_id)
            self._remove(workspace_id, collection, object_id)

    # --- out of band (control API: "someone in the mParticle UI") ----------------------
    def edit(self, workspace_id: str, collection: str, object_id: str, changes: object, actor: str) -> dict[str, Any]:
        """Deep-merge ``changes`` into the stored object without validation; bumps last_modified_*."""
        kind = kind_of(collection)
        if not isinstance(changes, dict):
            raise bad_request("changes: must be a JSON object to deep-merge into the stored object")
        if wire.ID in changes and changes[wire.ID] != object_id:
            raise bad_request("changes.id: ids cannot be changed; delete the object and seed a new one")
        with self._store.transaction():
            document = self._require(workspace_id, kind, object_id)
            if collection == wire.PIPELINES:
                self.runs.catch_up(workspace_id, document, self._clock.now())
            document[wire.LAST_MODIFIED_ON] = self._clock.timestamp()
            document[wire.LAST_MODIFIED_BY] = actor
            _deep_merge(document, changes)
            self._store.update(workspace_id, collection, object_id, document)
        return render(collection, document, self._switches())

    def force_delete(self, workspace_id: str, collection: str, object_id: str) -> bool:
        """Delete without the reference check (to simulate drift); ``False`` if it did not exist."""
        kind_of(collection)
        with self._store.transaction():
            return self._remove(workspace_id, collection, object_id)

    # --- helpers ------------------------------------------------------------------------
    def _require_in(self, workspace_id: str, collection: str, object_id: str) -> dict[str, Any]:
        check_path_id(object_id)
        return self._require(workspace_id, kind_of(collection), object_id)

    def _require(self, workspace_id: str, kind: ResourceSchema, object_id: str) -> dict[str, Any]:
        document = self._store.get(workspace_id, kind.collection, object_id)
        if document is None:
            raise not_found(f"{kind.label} {object_id!r} was not found in workspace {workspace_id}")
        return document

    def _remove(self, workspace_id: str, collection: str, object_id: str) -> bool:
        removed = self._store.delete(workspace_id, collection, object_id)
        self._store.delete_settings(workspace_id, collection, object_id)
        if collection == wire.PIPELINES:
            self._store.delete_runs(workspace_id, object_id)
        return removed

    def _duplicate(self, kind: ResourceSchema, object_id: str, workspace_id: str) -> EmulatorError:
        status = self._switches().duplicate_id_status
        return EmulatorError(
            status,
            f"{kind.label} with id {object_id!r} {wire.DUPLICATE_ID_MESSAGE_FRAGMENT} in workspace "
            f"{workspace_id}: choose another id, or replace it with PUT",
        )

    def _check_immutable(self, kind: ResourceSchema, previous: Mapping[str, Any], document: Mapping[str, Any]) -> None:
        for field in immutable_keys(kind):
            before, after = previous.get(field), document.get(field)
            if str(before).lower() != str(after).lower():
                raise bad_request(
                    f"{field}: cannot change from {before} to {after}; create a new {kind.label.lower()} instead"
                )

    def _check_references(self, workspace_id: str, pipeline: Mapping[str, Any]) -> None:
        problems = []
        for field, collection in _references():
            target = pipeline.get(field)
            if isinstance(target, str) and self._store.get(workspace_id, collection, target) is None:
                label = kind_of(collection).label.lower()
                problems.append(
                    f"{field}: {label} {target!r} does not exist in workspace {workspace_id}: create it first"
                )
        if problems:
            raise bad_request(*problems)

    def _check_active_limit(self, workspace_id: str, pipeline_id: str) -> None:
        active = [
            str(p.get(wire.ID))
            for p in self._store.list_documents(workspace_id, wire.PIPELINES)
            if p.get(wire.STATE) == PIPELINE_STATE.off and p.get(wire.ID) != pipeline_id
        ]
        if len(active) >= wire.MAX_ACTIVE_PIPELINES:
            raise bad_request(
                f"state: workspace {workspace_id} already has {len(active)} active pipelines "
                f"({', '.join(active)}), the most allowed is {wire.MAX_ACTIVE_PIPELINES}: pause one first, "
                f"or use state {PIPELINE_STATE.on}"
            )

    def _check_not_referenced(self, workspace_id: str, kind: ResourceSchema, object_id: str) -> None:
        field = next(f for f, c in _references() if c == kind.collection)
        users = [
            str(p.get(wire.ID))
            for p in self._store.list_documents(workspace_id, wire.PIPELINES)
            if p.get(field) == object_id
        ]
        if users:
            names = ", ".join(users)
            raise bad_request(
                f"{kind.label} {object_id!r} is used by pipeline {names}: delete that pipeline "
                f"or point its {field} elsewhere first"
            )


def _deep_merge(target: dict[str, Any], changes: Mapping[str, Any]) -> None:
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_merge(target[key], value)
        else:
            target[key] = value


__all__ = ["WarehouseSyncService", "check_path_id", "kind_of"]
