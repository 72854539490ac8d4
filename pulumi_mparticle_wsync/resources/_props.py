"""Program-side helpers: turn the Resource classes' arguments into dynamic-resource props."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import fields, is_dataclass
from typing import Any, TypeVar

import pulumi
import pulumi.dynamic

from ..models import ResourceModel
from ..schema._declare import secret_paths
from ..schema.common import ACCOUNT_BLOCK, COMMON_OUTPUTS, CREATE_ONLY
from ..state_layout import ACCOUNT, ADOPT, PULUMI_NAME, RESOURCE_ID, WORKSPACE_ID

ACCOUNT_SECRET_PATHS = tuple((ACCOUNT, *path) for path in secret_paths(ACCOUNT_BLOCK.fields))


def plain(value: Any) -> Any:
    """An ``*Args`` dataclass as the dict of its set arguments (lists too); other values unchanged."""
    if is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: plain(getattr(value, f.name))
            for f in fields(value)
            if getattr(value, f.name) is not None
        }
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def secret(value: Any) -> Any:
    """The value as a Pulumi secret (kept out of the state's plaintext), ``None`` unchanged."""
    return None if value is None else pulumi.Output.secret(value)


def with_secrets(value: Any, paths: Collection[tuple[str, ...]]) -> Any:
    """``value`` (an argument, an ``*Args``, a dict, or an ``Output`` of one) with the values at
    ``paths`` (argument names, from ``value`` down) made Pulumi secrets, and nothing else.

    Only the secret values are secret: the engine carries the secret mark of each input,
    however deep, onto the same output (the dynamic provider cannot mark outputs itself:
    its host serializes ``Output.secret`` as a plain value), so ``snowflake.password`` is
    encrypted in the state and the rest of the block stays readable. A block known only
    later (an ``Output``) cannot be looked into: it is made secret whole.
    """
    if not paths:
        return value
    if () in paths:
        return secret(value)
    value = plain(value)
    if isinstance(value, Mapping):
        return {
            key: with_secrets(item, [path[1:] for path in paths if path[0] == key])
            for key, item in value.items()
        }
    if value is None:
        return None
    return pulumi.Output.secret(value)


def arguments_of(model: ResourceModel, given: Mapping[str, Any]) -> dict[str, Any]:
    """The resource's arguments among a constructor's ``locals()``, ``*Args`` made plain dicts.

    Taking them by the declared names keeps the constructor's signature the only hand-written list
    (``tests/resources/test_signatures_match_schema.py`` checks it against the schema).
    """
    return {key: plain(given[key]) for key in model.argument_keys if key in given and key not in CREATE_ONLY}


def resource_props(
    model: ResourceModel, resource_name: str, arguments: Mapping[str, Any], *, adopt: bool
) -> dict[str, Any]:
    """The props for ``pulumi.dynamic.Resource``.

    ``None`` means "not written" (the SDK drops ``None`` props before the provider sees them);
    output-only keys are listed as ``None`` so each gets its typed ``Output`` attribute.
    """
    output_only = (*(output.name for output in COMMON_OUTPUTS), *model.server_output_keys)
    props: dict[str, Any] = dict.fromkeys(output_only)
    props.update(with_secrets(dict(arguments), model.secret_paths))
    props[PULUMI_NAME] = resource_name
    props[ADOPT] = True if adopt else None
    props.setdefault(RESOURCE_ID, None)
    props.setdefault(WORKSPACE_ID, None)
    return props


def resource_options(model: ResourceModel, opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions | None:
    """The user's options, plus the top-level outputs that are secrets (made secret even if the
    program's value was not; values inside a block are made secret by ``resource_props``).

    A kind without such outputs passes the user's options on as they are: ``merge`` copies every
    option, a cost each resource of a large stack would pay for nothing.
    """
    if not model.secret_outputs:
        return opts
    ours = pulumi.ResourceOptions(additional_secret_outputs=list(model.secret_outputs))
    return pulumi.ResourceOptions.merge(opts, ours)


def account_input(account: Any) -> Any:
    """An ``Account`` (or a dict, or an ``Output`` of one) as the ``account`` prop: its secret made secret."""
    return with_secrets(account, [path[1:] for path in ACCOUNT_SECRET_PATHS])


def read_props(
    keys: Collection[str], workspace_id: Any, account: Any, **more: Any
) -> dict[str, Any]:
    """The props of a ``.get()``: every output key (``None``, so that each gets its typed attribute), the
    workspace and the account to read in, and ``more``."""
    props: dict[str, Any] = dict.fromkeys(keys)
    props[WORKSPACE_ID] = workspace_id
    props[ACCOUNT] = account_input(account)
    props.update(more)
    return props


def read_options(object_id: pulumi.Input[str], opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions:
    """The user's options and ``id``: the engine reads the object (an external resource) instead of managing it.

    The account is a secret output as a whole, so that its client secret is encrypted in the state
    whatever the engine carries over from the inputs of a read."""
    ours = pulumi.ResourceOptions(id=object_id, additional_secret_outputs=[ACCOUNT])
    return pulumi.ResourceOptions.merge(opts, ours)


R = TypeVar("R", bound=pulumi.dynamic.Resource)


def read_resource(
    cls: type[R],
    provider: pulumi.dynamic.ResourceProvider,
    model: ResourceModel,
    resource_name: str,
    object_id: pulumi.Input[str],
    workspace_id: pulumi.Input[str] | None,
    account: Any,
    opts: pulumi.ResourceOptions | None,
) -> R:
    """A ``cls`` that reads the object ``object_id`` (``cls.get``): every argument and server field as an
    output, refreshed by ``pulumi refresh``, never changed or deleted by Pulumi."""
    keys = (
        *(output.name for output in COMMON_OUTPUTS),
        *model.server_output_keys,
        *(key for key in model.argument_keys if key not in CREATE_ONLY),
    )
    resource = cls.__new__(cls)
    pulumi.dynamic.Resource.__init__(
        resource, provider, resource_name, read_props(keys, workspace_id, account),
        read_options(object_id, resource_options(model, opts)),
    )
    return resource
