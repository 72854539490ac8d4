"""The one dynamic provider, written once and parametrised by a ``ResourceModel``.

What it writes into the state, and under which keys, is ``state_layout``. The provider object
holds nothing: it is pickled into the state (by reference, since the class lives in this
installed package) and the settings live in ``_runtime``.
"""

from __future__ import annotations

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

from ..models import (
    MODELS,
    ResourceModel,
    canonical_workspace_id,
    check_failures,
    contains_unknown,
    is_unknown,
    same_value,
)
from ..state_layout import (
    ACCOUNT,
    ADOPT,
    RESOURCE_ID,
    SECRET_VERSIONS,
    WORKSPACE_ID,
    bookkeeping,
    build_outputs,
    generate_id,
    pulumi_name_of,
    user_inputs,
    written_input_keys,
)
from . import _runtime
from ._accounts import (
    AccountValues,
    account_changed,
    account_in,
    account_key,
    account_workspace,
    moved_account,
    of_account,
)
from ._listings import LISTINGS
from ._review import describe_change, note, secret_versions
from ._stack_objects import STACK_OBJECTS, ObjectKey
from .errors import (
    DeleteRefusedError,
    DuplicateIdError,
    InvalidArgumentsError,
    ObjectDeletedError,
    ObjectNotFoundError,
    OperationError,
    short_traceback,
    with_pulumi_advice,
    with_pulumi_advice_error,
)

if TYPE_CHECKING:
    from ..client import WarehouseSyncClient

T = TypeVar("T")

_KIND_OF_COLLECTION = {model.collection: model.kind for model in MODELS}


def _resource_name(props: Mapping[str, Any]) -> str:
    """The Pulumi resource name, which tells the stack's resources apart in ``STACK_OBJECTS``."""
    return pulumi_name_of(props)


def _recorded_settings_hint(verb: str, error: Exception, account: AccountValues | None) -> str:
    """For a read or delete that failed over credentials or the URL: the settings may be stale.

    ``pulumi refresh`` and ``pulumi destroy`` configure the provider with the settings recorded
    at the last ``up``, not the stack's config as it is now; a resource's own account is the one
    recorded with it by the last ``up``.
    """
    from ..client import AuthenticationError, PermissionDeniedError, TransportError, UnconfirmedNotFoundError

    if verb not in ("read", "delete"):
        return ""
    if not isinstance(error, AuthenticationError | PermissionDeniedError | TransportError | UnconfirmedNotFoundError):
        return ""
    if account is not None:
        return (
            ". `pulumi refresh` and `pulumi destroy` use the account recorded with the resource by the last "
            "`pulumi up`: if you changed the Account's credentials or URLs since, run `pulumi up` first (new "
            "credentials are recorded without a change on the server)"
        )
    return (
        ". If you changed mparticle:* settings (apiUrl, authUrl, clientId, clientSecret) since the last "
        "`pulumi up`: `pulumi refresh` and `pulumi destroy` use the settings recorded by that up; run "
        "`pulumi refresh --run-program` or `pulumi destroy --run-program` to use the current ones"
    )


def previous_inputs(model: ResourceModel, outputs: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs an earlier create/update/read stored, rebuilt from its outputs (the Pulumi name
    under today's key)."""
    keys = written_input_keys(outputs)
    if keys is None:  # a bare Get
        keys = [k for k in model.argument_keys if k not in model.unmanaged_when_omitted]
    return user_inputs({k: outputs[k] for k in keys if k in outputs})


class WarehouseSyncProvider(ResourceProvider):
    """Generic provider; each resource subclasses it and sets ``model``."""

    model: ClassVar[ResourceModel]
    serialize_as_secret_always = False  # nothing secret is captured: the provider holds no state
    read_only: ClassVar[bool] = False
    """The provider of a ``.get()`` resource: it only reads, and holds nothing in ``STACK_OBJECTS``."""

    # --- offline: configure, check, diff -----------------------------------------------------

    def configure(self, req: ConfigureRequest) -> None:
        _runtime.configure(req.config.get)

    @short_traceback
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = user_inputs(news)
        inputs.pop(SECRET_VERSIONS, None)  # the provider's to count, never the program's
        recorded = user_inputs(_olds)
        versions = secret_versions(self.model.secret_paths, recorded, inputs)
        if versions is not None:
            inputs[SECRET_VERSIONS] = versions
        failures = [] if recorded and inputs == recorded else [
            CheckFailure(*f) for f in check_failures(self.model.validate(inputs), inputs)
        ]  # recorded inputs passed this check when they were recorded: not validated again
        failures += self._reference_failures(inputs)
        if not _olds and not failures and inputs.get(ADOPT) is True and not self.read_only:
            note(self._adoption_note(inputs))
        return CheckResult(inputs, failures)

    def _adoption_note(self, inputs: Mapping[str, Any]) -> str:
        """For a create with ``adopt=True``: the preview shows a create, but a live object may be overwritten."""
        kind = self.model.kind
        object_id = inputs.get(RESOURCE_ID)
        shown_id = f"{object_id!r}" if isinstance(object_id, str) and not is_unknown(object_id) else "(its resource_id)"
        workspace = canonical_workspace_id(inputs.get(WORKSPACE_ID))
        if workspace is None and inputs.get(WORKSPACE_ID) is None and not contains_unknown(inputs.get(ACCOUNT)):
            workspace = account_workspace(account_in(inputs))
        where = f"workspace {workspace}" if workspace is not None else "its workspace"
        return (
            f"{kind} {pulumi_name_of(inputs)!r} has adopt=True: if {kind} {shown_id} already exists in {where}, "
            "`pulumi up` takes it over and overwrites it with this program's values (a PUT of the whole object: "
            "what the program leaves out is reset); otherwise it creates it. See docs/adopting.md."
        )

    def _reference_failures(self, inputs: Mapping[str, Any]) -> list[CheckFailure]:
        """References to objects this stack holds in another workspace than this resource's.

        The API would answer "does not exist in workspace N: create it first", which sends the
        user the wrong way: the object exists, in the other workspace.
        """
        if not self.model.references:
            return []
        if inputs.get(ACCOUNT) is not None and (account_in(inputs) is None or contains_unknown(inputs[ACCOUNT])):
            return []  # an account not known yet: any workspace of any account
        account = account_in(inputs)
        workspace = canonical_workspace_id(inputs.get(WORKSPACE_ID))
        if workspace is None and inputs.get(WORKSPACE_ID) is None:
            workspace = account_workspace(account)
        if workspace is None:
            return []
        failures = []
        for argument, collection in self.model.references.items():
            target = inputs.get(argument)
            if not isinstance(target, str) or is_unknown(target):
                continue
            elsewhere = sorted(STACK_OBJECTS.workspaces_of(collection, target, account_key(account)))
            if not elsewhere or workspace in elsewhere:
                continue
            kind = _KIND_OF_COLLECTION[collection]
            failures.append(CheckFailure(argument, (
                f"{kind} {target!r} is in workspace {', '.join(elsewhere)}, but this {self.model.kind} is "
                f"in workspace {workspace}, and a {self.model.kind} can only use objects of its own "
                f"workspace: give the {self.model.kind} workspace_id=\"{elsewhere[0]}\", or give the "
                f"{kind} workspace_id=\"{workspace}\" (which moves it: a replacement)"
            )))
        return failures

    @short_traceback
    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        news = user_inputs(_news)
        changed = [key for key in self.model.compared_keys if self._changed(key, _olds, news)]
        replaces = [key for key in changed if key in self.model.replacing_keys]
        if ACCOUNT in changed and moved_account(_olds, news):
            replaces.append(ACCOUNT)  # another API: new credentials alone are an update (``update``)
        blocks_before = {k for k in self.model.exclusive_keys if _olds.get(k) is not None}
        blocks_after = {k for k in self.model.exclusive_keys if news.get(k) is not None}
        replaces += sorted((blocks_before ^ blocks_after) - set(replaces))
        explicit_id = news.get(RESOURCE_ID)
        # The replacement would take the same id in the same workspace: the old object must go first.
        same_id = explicit_id is not None and (is_unknown(explicit_id) or explicit_id == _id)
        delete_first = bool(replaces) and same_id and WORKSPACE_ID not in replaces and ACCOUNT not in replaces
        self._note_diff(_id, _olds, news, replaced=bool(replaces), delete_first=delete_first)
        if replaces and not self.read_only:
            note(self._replacement_note(_id, _olds, news, replaces, delete_first=delete_first))
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=delete_first)

    def _replacement_note(
        self, object_id: str, olds: Mapping[str, Any], news: Mapping[str, Any], replaces: list[str], *,
        delete_first: bool,
    ) -> str:
        """Which arguments force the replacement, with their values when plain (the engine only says
        ``replace``), and in which order it happens."""
        secret_roots = {path[0] for path in self.model.secret_paths}
        shown_news = dict(news)
        if WORKSPACE_ID in replaces and news.get(WORKSPACE_ID) is None:
            shown_news[WORKSPACE_ID] = account_workspace(account_in(news))  # the account's, or the setting
        causes = ", ".join(describe_change(key, olds, shown_news, key in secret_roots) for key in replaces)
        noun = self.model.schema.label.lower()
        order = (
            f"the {noun} {object_id!r} is deleted first, then created again (the new one takes the same id)"
            if delete_first
            else f"a new {noun} is created, then {object_id!r} is deleted"
        )
        return (
            f"{self.model.kind} {pulumi_name_of(news) or pulumi_name_of(olds)!r} is replaced, not updated: "
            f"{causes} cannot change in place, so {order}."
        )

    def _note_diff(
        self, object_id: str, olds: Mapping[str, Any], news: Mapping[str, Any], *, replaced: bool, delete_first: bool
    ) -> None:
        """Tell the process's ``STACK_OBJECTS`` what this resource keeps, or gives up first."""
        workspace = canonical_workspace_id(olds.get(WORKSPACE_ID))
        if workspace is None or not object_id:
            return
        key = self._key(workspace, object_id, account_in(olds))
        if delete_first:
            STACK_OBJECTS.mark_replaced_first(key)
        elif not replaced:
            STACK_OBJECTS.hold(key, _resource_name(news))
            self._note_inputs(key, news)

    def _note_inputs(self, key: ObjectKey, inputs: Mapping[str, Any]) -> None:
        """Tell ``STACK_OBJECTS`` what other resources may check of this object's inputs."""

    def _changed(self, key: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
        if key == WORKSPACE_ID:
            return self._moved(olds, news)
        if key == ACCOUNT:
            return account_changed(olds, news)
        new = news.get(key)
        if new is None and key in self.model.unmanaged_when_omitted:
            return False
        if contains_unknown(new):
            return True
        old = olds.get(key)
        if old is None:
            old = self.model.defaults.get(key)
        if new is None:
            new = self.model.defaults.get(key)
        return not same_value(old, new)

    @staticmethod
    def _moved(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
        """Does the object belong in another workspace than the one it is in?

        Without a ``workspace_id`` argument it belongs in its account's workspace: the ``Account``'s
        ``workspace_id``, else ``mparticle:workspaceId`` as it is now. Removing the argument, or
        changing that setting, moves the object (a replacement the preview shows). Unknown while
        the setting is unknown here.
        """
        new = news.get(WORKSPACE_ID)
        if new is None:
            account = news.get(ACCOUNT)
            if account is not None and account_in(news) is None:
                return True  # an account not known yet
            new = account_workspace(account_in(news))
            if new is None:
                return False
        if is_unknown(new):
            return True
        old = olds.get(WORKSPACE_ID)
        return old is not None and canonical_workspace_id(old) != canonical_workspace_id(new)

    # --- online: create, read, update, delete -----------------------------------------------

    @short_traceback
    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = user_inputs(props)
        self._require_valid(inputs)
        workspace = self._workspace(inputs, {})
        object_id = inputs.get(RESOURCE_ID) or generate_id(
            pulumi_name_of(inputs), self.model.kind.lower()
        )
        body = self.model.to_wire(inputs, object_id)
        account = account_in(inputs)
        served = self._call(
            "create", object_id, workspace,
            lambda client: self._create_or_adopt(client, inputs, object_id, body, workspace),
            account,
        )
        key = self._key(workspace, object_id, account)
        STACK_OBJECTS.hold(key, _resource_name(inputs))
        self._note_inputs(key, inputs)
        return CreateResult(object_id, self._outputs(inputs, served, object_id, workspace))

    def _create_or_adopt(
        self,
        client: WarehouseSyncClient,
        inputs: Mapping[str, Any],
        object_id: str,
        body: dict[str, Any],
        workspace: str,
    ) -> dict[str, Any]:
        from ..client import BadRequestError, ConflictError

        collection = self.model.collection
        adopting = inputs.get(ADOPT) is True
        if adopting and client.get(collection, object_id, workspace_id=workspace) is not None:
            return client.replace(collection, object_id, body, workspace_id=workspace)
        try:
            return client.create(collection, body, workspace_id=workspace)
        except ConflictError as exc:
            raise DuplicateIdError(self._duplicate_id_message(object_id, workspace, account_in(inputs))) from exc
        except BadRequestError as exc:
            hint = self._create_refused_hint(client, inputs, workspace)
            if not hint:
                raise
            described = self._describe(object_id, workspace, account_in(inputs))
            raise OperationError(f"create {described} failed: {exc}{self._argument_hint(exc)}. {hint}") from exc

    def _duplicate_id_message(self, object_id: str, workspace: str, account: AccountValues | None) -> str:
        kind = self.model.kind
        return (
            f"{self._describe(object_id, workspace, account)} already exists. If this stack already manages it under "
            f"another resource name (you renamed the {kind} or moved it into a component), do not adopt it: "
            "give this resource the old name in opts=pulumi.ResourceOptions(aliases=[pulumi.Alias("
            "name=\"<old resource name>\")]) so that Pulumi renames the resource instead of creating one "
            "and deleting the other. If it was made outside this stack (for example in the mParticle UI), "
            f"set adopt=True (keeping resource_id={object_id!r}) to manage it from now on. Otherwise choose "
            "another resource_id"
        )

    def _create_refused_hint(self, client: WarehouseSyncClient, inputs: Mapping[str, Any], workspace: str) -> str:
        """Advice for a create the API refused (400) where the message alone would be a dead end."""
        return ""

    @short_traceback
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        previous = previous_inputs(self.model, props)
        workspace = self._workspace(previous, props)
        account = account_in(previous) or account_in(props)
        served = self._call(
            "read", id_, workspace,
            lambda client: LISTINGS.read(client, self.model.collection, id_, workspace, self.model.is_whole),
            account,
        )
        if served is None:
            if self.read_only and written_input_keys(props) is None:
                # A ``.get()`` of an object that is not there (a refresh, with outputs, drops it instead).
                raise ObjectNotFoundError(self._missing_message(id_, workspace, account))
            if not self.read_only:
                note(
                    f"{self.model.kind} {pulumi_name_of(props)!r}: {self._describe(id_, workspace, account)} was "
                    "deleted outside Pulumi; the refresh removes it from the stack's state, and the next `pulumi up` "
                    "creates it again."
                )
            return ReadResult("", {})  # proven deleted outside Pulumi: the engine drops it from the state
        inputs = self.model.from_wire(served, previous)
        inputs.update(bookkeeping(previous))
        if not self.read_only:
            key = self._key(workspace, id_, account)
            STACK_OBJECTS.hold(key, _resource_name(props))
            self._note_inputs(key, inputs)
        return ReadResult(id_, self._outputs(inputs, served, id_, workspace), inputs)

    def _missing_message(self, object_id: str, workspace: str, account: AccountValues | None) -> str:
        return (
            f"{self._describe(object_id, workspace, account)} does not exist: check the id and the workspace "
            f"(and the account) given to {self.model.kind}.get"
        )

    @short_traceback
    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        from ..client import NotFoundError

        inputs = user_inputs(_news)
        self._require_valid(inputs)
        workspace = self._workspace(inputs, _olds)
        account = account_in(inputs)  # new credentials: the old ones may be revoked already
        key = self._key(workspace, _id, account)
        if self._only_credentials_changed(_olds, inputs):
            # Nothing of the object changed: the new credentials are recorded, the server is not called.
            STACK_OBJECTS.hold(key, _resource_name(inputs))
            self._note_inputs(key, inputs)
            return UpdateResult(self._kept_outputs(_olds, inputs, _id, workspace))
        body = self.model.to_wire(inputs, _id)  # PUT replaces everything: secrets are sent again

        def replace(client: WarehouseSyncClient) -> dict[str, Any]:
            try:
                return client.replace(self.model.collection, _id, body, workspace_id=workspace)
            except NotFoundError as exc:
                raise ObjectDeletedError(
                    f"{self._describe(_id, workspace, account)} no longer exists (deleted outside Pulumi): run "
                    "`pulumi refresh --run-program` so Pulumi forgets it, then `pulumi up` to create it again"
                ) from exc

        served = self._call("update", _id, workspace, replace, account)
        STACK_OBJECTS.hold(key, _resource_name(inputs))
        self._note_inputs(key, inputs)
        return UpdateResult(self._outputs(inputs, served, _id, workspace))

    def _only_credentials_changed(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
        """Only the account's credentials (or token URL) differ from what the object was last written with."""
        if not account_changed(olds, news) or moved_account(olds, news):
            return False
        return not any(self._changed(key, olds, news) for key in self.model.compared_keys if key != ACCOUNT)

    def _kept_outputs(
        self, olds: Mapping[str, Any], inputs: Mapping[str, Any], object_id: str, workspace: str
    ) -> dict[str, Any]:
        """The recorded outputs with the new inputs: the server's fields as last read."""
        served = {output.name: olds.get(output.name) for output in self.model.schema.all_outputs}
        return build_outputs(served, inputs, object_id, workspace)

    @short_traceback
    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        from ..client import BadRequestError

        if self.read_only:
            return  # never called for a ``.get()`` resource (the engine only forgets it): nothing to delete
        previous = previous_inputs(self.model, _props)
        workspace = self._workspace(previous, _props)
        account = account_in(previous) or account_in(_props)
        key = self._key(workspace, _id, account)
        if STACK_OBJECTS.release(key, _resource_name(_props)):
            # Another resource of this stack took the object over in this update (it adopted it,
            # or was renamed without an alias): deleting it would take that resource's object away.
            # Only this resource leaves the state.
            return

        def delete(client: WarehouseSyncClient) -> bool:
            try:
                return client.delete(self.model.collection, _id, workspace_id=workspace)
            except BadRequestError as exc:
                # The API's message names the pipeline that still uses the object.
                reason = "; ".join(exc.messages) or f"{exc}; delete the pipelines that use it first"
                if STACK_OBJECTS.is_replaced_first(key):
                    reason += ". " + self._replaced_first_hint(_id)
                raise DeleteRefusedError(
                    f"cannot delete {self._describe(_id, workspace, account)}: {reason}"
                ) from exc

        self._call("delete", _id, workspace, delete, account)  # False (already gone) is success too

    def _replaced_first_hint(self, object_id: str) -> str:
        kind = self.model.kind
        return (
            f"This delete is the first half of replacing the {kind}: it keeps resource_id={object_id!r}, "
            "so the old object must be gone before the new one can take that id. Remove resource_id from "
            f"the program: the new {kind} then gets a new id and is created first, the pipelines that use "
            "it are switched over, and only then is the old one deleted"
        )

    # --- helpers -----------------------------------------------------------------------------

    def _outputs(
        self, inputs: Mapping[str, Any], served: Mapping[str, Any], object_id: str, workspace: str
    ) -> dict[str, Any]:
        return build_outputs(self.model.server_outputs(served), inputs, object_id, workspace)

    def _key(self, workspace: str, object_id: str, account: AccountValues | None) -> ObjectKey:
        return ObjectKey(workspace, self.model.collection, object_id, account_key(account))

    def _require_valid(self, inputs: Mapping[str, Any]) -> None:
        problems = self.model.validate(inputs)
        if problems:
            listed = "; ".join(f"{p.path or self.model.kind}: {p.reason}" for p in problems)
            raise InvalidArgumentsError(f"invalid {self.model.kind} arguments: {listed}")

    def _workspace(self, inputs: Mapping[str, Any], outputs: Mapping[str, Any]) -> str:
        """Where the object lives: the argument, else where it was created, else the account's
        ``workspace_id``, else the setting (for a resource without an account)."""
        for candidate in (inputs.get(WORKSPACE_ID), outputs.get(WORKSPACE_ID)):
            workspace = canonical_workspace_id(candidate)
            if workspace is not None:
                return workspace
        account = account_in(inputs) or account_in(outputs)
        if account is not None:
            workspace = account_workspace(account)
            if workspace is None:
                from ..client import ConfigurationError

                raise ConfigurationError(
                    f"no workspace id: pass the {self.model.kind}'s workspace_id argument, or give its Account a "
                    "workspace_id (a resource with an account never uses mparticle:workspaceId)"
                )
            return workspace
        configured = _runtime.settings().workspace_id
        if configured is None:
            from ..client import ConfigurationError

            raise ConfigurationError(
                "no workspace id: pass the resource's workspace_id argument, or set mparticle:workspaceId "
                "with `pulumi config set mparticle:workspaceId <id>` or MPARTICLE_WORKSPACE_ID"
            )
        return configured

    def _describe(self, object_id: str, workspace: str, account: AccountValues | None = None) -> str:
        return f"{self.model.kind} {object_id!r} in workspace {workspace}{of_account(account)}"

    def _call(
        self,
        verb: str,
        object_id: str,
        workspace: str,
        action: Callable[[WarehouseSyncClient], T],
        account: AccountValues | None = None,
    ) -> T:
        """Run ``action`` with the client of ``account`` (else of the provider's settings); API and
        transport failures come back naming the object."""
        from ..client import ConfigurationError, WarehouseSyncError

        client = _runtime.client(account)
        try:
            return action(client)
        except ConfigurationError as exc:
            raise with_pulumi_advice_error(exc) from exc
        except WarehouseSyncError as exc:
            raise OperationError(
                f"{verb} {self._describe(object_id, workspace, account)} failed: {with_pulumi_advice(str(exc))}"
                f"{self._argument_hint(exc)}{_recorded_settings_hint(verb, exc, account)}"
            ) from exc

    def _argument_hint(self, error: Exception) -> str:
        """Which argument a wire field named by the API's messages is, where the names differ."""
        from ..client import APIError

        if not isinstance(error, APIError):
            return ""
        named = [
            f"the API's {wire_field} is this {self.model.kind}'s {argument} argument"
            for wire_field, argument in self.model.arguments_of_wire_fields.items()
            if any(message.startswith(f"{wire_field}:") for message in error.messages)
        ]
        return f" ({'; '.join(named)})" if named else ""
