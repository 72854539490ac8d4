"""The one dynamic provider, written once and parametrised by a ``ResourceSchema``.

State layout. Inputs are exactly what the user wrote (``check`` never adds anything), so
the engine's own preview diff shows real changes. Outputs are the inputs under the same
keys, plus the server-computed fields, plus:

- ``resource_id``: the object's id (also the Pulumi id), whether chosen or generated;
- ``workspace_id``: where the object lives (the argument, or the provider setting at create);
- ``input_keys``: which inputs the user wrote, so ``read`` can rebuild them from the outputs.

The provider object holds nothing: it is pickled into the state (by reference, since the
class lives in this installed package) and the settings live in ``_runtime``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from .. import wire
from ..models import ResourceSchema, contains_unknown, is_unknown
from ..models._common import (
    ADOPT,
    INPUT_KEYS,
    NAME_PREFIX,
    RESOURCE_ID,
    WORKSPACE_ID,
    canonical_workspace_id,
    same_value,
)
from . import _runtime
from ._errors import (
    DeleteRefusedError,
    DuplicateIdError,
    InvalidArgumentsError,
    ObjectDeletedError,
    OperationError,
)

if TYPE_CHECKING:
    from ..client import WarehouseSyncClient

T = TypeVar("T")

PROVIDER_KEY = "__provider"
_ID_SUFFIX_BYTES = 4  # 8 hex characters


def user_inputs(props: Mapping[str, Any]) -> dict[str, Any]:
    """The user's inputs: ``props`` without the engine's serialized provider."""
    return {k: v for k, v in props.items() if k != PROVIDER_KEY}


def id_stem(name_prefix: str, fallback: str) -> str:
    """What a generated id starts with: the name within the id charset, cut to leave room for the suffix."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", name_prefix).strip("-_") or fallback
    return stem[: wire.ID_MAX_LENGTH - 2 * _ID_SUFFIX_BYTES - 1]


def generate_id(name_prefix: str, fallback: str) -> str:
    """``<name>-<8 hex>`` within the id charset and length: replacements never collide."""
    return f"{id_stem(name_prefix, fallback)}-{secrets.token_hex(_ID_SUFFIX_BYTES)}"


def is_generated_id(object_id: str, name_prefix: str, fallback: str) -> bool:
    """Could ``generate_id(name_prefix, fallback)`` have returned ``object_id``?"""
    stem = re.escape(id_stem(name_prefix, fallback))
    return re.fullmatch(rf"{stem}-[0-9a-f]{{{2 * _ID_SUFFIX_BYTES}}}", object_id) is not None


def build_outputs(
    schema: ResourceSchema,
    inputs: Mapping[str, Any],
    served: Mapping[str, Any],
    object_id: str,
    workspace: str,
) -> dict[str, Any]:
    """All outputs: the server's fields, the inputs as written, and the bookkeeping keys."""
    outputs = schema.server_outputs(served)
    outputs.update(inputs)
    outputs[RESOURCE_ID] = object_id
    outputs[WORKSPACE_ID] = inputs.get(WORKSPACE_ID, workspace)
    outputs[INPUT_KEYS] = sorted(inputs)
    return outputs


def previous_inputs(schema: ResourceSchema, outputs: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs an earlier create/update/read stored, rebuilt from its outputs."""
    keys = outputs.get(INPUT_KEYS)
    if not isinstance(keys, list):  # a bare Get, or outputs written without input_keys
        keys = [k for k in schema.argument_keys if k not in schema.unmanaged_when_omitted]
    return {k: outputs[k] for k in keys if k in outputs and k != PROVIDER_KEY}


class WarehouseSyncProvider(ResourceProvider):
    """Generic provider; each resource subclasses it and sets ``schema``."""

    schema: ClassVar[ResourceSchema]
    serialize_as_secret_always = False  # nothing secret is captured: the provider holds no state

    # --- offline: configure, check, diff -----------------------------------------------------

    def configure(self, req: ConfigureRequest) -> None:
        _runtime.configure(req.config.get)

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = user_inputs(news)
        failures = [CheckFailure(p.path, p.reason) for p in self.schema.validate(inputs)]
        return CheckResult(inputs, failures)

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        news = user_inputs(_news)
        changed = [key for key in self.schema.compared_keys if self._changed(key, _olds, news)]
        replaces = [key for key in changed if key in self.schema.replacing_keys]
        blocks_before = {k for k in self.schema.exclusive_keys if _olds.get(k) is not None}
        blocks_after = {k for k in self.schema.exclusive_keys if news.get(k) is not None}
        replaces += sorted((blocks_before ^ blocks_after) - set(replaces))
        explicit_id = news.get(RESOURCE_ID)
        # The replacement would take the same id: the old object must go first.
        same_id = explicit_id is not None and (is_unknown(explicit_id) or explicit_id == _id)
        return DiffResult(
            changes=bool(changed),
            replaces=replaces,
            delete_before_replace=bool(replaces) and same_id,
        )

    def _changed(self, key: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
        new = news.get(key)
        if new is None and key in self.schema.unmanaged_when_omitted:
            return False
        if contains_unknown(new):
            return True
        old = olds.get(key)
        if old is None:
            old = self.schema.defaults.get(key)
        if new is None:
            new = self.schema.defaults.get(key)
        if key == WORKSPACE_ID:
            return canonical_workspace_id(old) != canonical_workspace_id(new)
        return not same_value(old, new)

    # --- online: create, read, update, delete -----------------------------------------------

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = user_inputs(props)
        self._require_valid(inputs)
        workspace = self._workspace(inputs, {})
        object_id = inputs.get(RESOURCE_ID) or generate_id(
            str(inputs.get(NAME_PREFIX) or ""), self.schema.kind.lower()
        )
        body = self.schema.to_wire(inputs, object_id)
        served = self._call(
            "create", object_id, workspace,
            lambda client: self._create_or_adopt(client, inputs, object_id, body, workspace),
        )
        return CreateResult(object_id, build_outputs(self.schema, inputs, served, object_id, workspace))

    def _create_or_adopt(
        self,
        client: WarehouseSyncClient,
        inputs: Mapping[str, Any],
        object_id: str,
        body: dict[str, Any],
        workspace: str,
    ) -> dict[str, Any]:
        from ..client import ConflictError

        collection = self.schema.collection
        adopting = inputs.get(ADOPT) is True
        if adopting and client.get(collection, object_id, workspace_id=workspace) is not None:
            return client.replace(collection, object_id, body, workspace_id=workspace)
        try:
            return client.create(collection, body, workspace_id=workspace)
        except ConflictError as exc:
            raise DuplicateIdError(
                f"{self._describe(object_id, workspace)} already exists. To manage that object with "
                f"Pulumi, set adopt=True (keeping resource_id={object_id!r}); otherwise choose another "
                "resource_id"
            ) from exc

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        previous = previous_inputs(self.schema, props)
        workspace = self._workspace(previous, props)
        served = self._call(
            "read", id_, workspace,
            lambda client: client.get(self.schema.collection, id_, workspace_id=workspace),
        )
        if served is None:
            return ReadResult("", {})  # deleted outside Pulumi: the engine drops it from the state
        inputs = self.schema.from_wire(served, previous)
        return ReadResult(id_, build_outputs(self.schema, inputs, served, id_, workspace), inputs)

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        from ..client import NotFoundError

        inputs = user_inputs(_news)
        self._require_valid(inputs)
        workspace = self._workspace(inputs, _olds)
        body = self.schema.to_wire(inputs, _id)  # PUT replaces everything: secrets are sent again

        def replace(client: WarehouseSyncClient) -> dict[str, Any]:
            try:
                return client.replace(self.schema.collection, _id, body, workspace_id=workspace)
            except NotFoundError as exc:
                raise ObjectDeletedError(
                    f"{self._describe(_id, workspace)} no longer exists (deleted outside Pulumi): run "
                    "`pulumi refresh` so Pulumi forgets it, then `pulumi up` to create it again"
                ) from exc

        served = self._call("update", _id, workspace, replace)
        return UpdateResult(build_outputs(self.schema, inputs, served, _id, workspace))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        from ..client import BadRequestError

        workspace = self._workspace(previous_inputs(self.schema, _props), _props)

        def delete(client: WarehouseSyncClient) -> bool:
            try:
                return client.delete(self.schema.collection, _id, workspace_id=workspace)
            except BadRequestError as exc:
                # The API's message names the pipeline that still uses the object.
                reason = "; ".join(exc.messages) or f"{exc}; delete the pipelines that use it first"
                raise DeleteRefusedError(f"cannot delete {self._describe(_id, workspace)}: {reason}") from exc

        self._call("delete", _id, workspace, delete)  # False (already gone) is success too

    # --- helpers -----------------------------------------------------------------------------

    def _require_valid(self, inputs: Mapping[str, Any]) -> None:
        problems = self.schema.validate(inputs)
        if problems:
            listed = "; ".join(f"{p.path or self.schema.kind}: {p.reason}" for p in problems)
            raise InvalidArgumentsError(f"invalid {self.schema.kind} arguments: {listed}")

    def _workspace(self, inputs: Mapping[str, Any], outputs: Mapping[str, Any]) -> str:
        """Where the object lives: the argument, else where it was created, else the setting."""
        for candidate in (inputs.get(WORKSPACE_ID), outputs.get(WORKSPACE_ID)):
            workspace = canonical_workspace_id(candidate)
            if workspace is not None:
                return workspace
        configured = _runtime.settings().workspace_id
        if configured is None:
            from ..client import ConfigurationError

            raise ConfigurationError(
                "no workspace id: pass the resource's workspace_id argument, or set mparticle:workspaceId "
                "with `pulumi config set mparticle:workspaceId <id>` or MPARTICLE_WORKSPACE_ID"
            )
        return configured

    def _describe(self, object_id: str, workspace: str) -> str:
        return f"{self.schema.kind} {object_id!r} in workspace {workspace}"

    def _call(
        self, verb: str, object_id: str, workspace: str, action: Callable[[WarehouseSyncClient], T]
    ) -> T:
        """Run ``action(client)``; API and transport failures come back naming the object."""
        from ..client import ConfigurationError, WarehouseSyncError

        client = _runtime.client()
        try:
            return action(client)
        except ConfigurationError:
            raise
        except WarehouseSyncError as exc:
            raise OperationError(
                f"{verb} {self._describe(object_id, workspace)} failed: {exc}{self._argument_hint(exc)}"
            ) from exc

    def _argument_hint(self, error: Exception) -> str:
        """Which argument a wire field named by the API's messages is, where the names differ."""
        from ..client import APIError

        if not isinstance(error, APIError):
            return ""
        named = [
            f"the API's {wire_field} is this {self.schema.kind}'s {argument} argument"
            for wire_field, argument in self.schema.arguments_of_wire_fields.items()
            if any(message.startswith(f"{wire_field}:") for message in error.messages)
        ]
        return f" ({'; '.join(named)})" if named else ""
