"""Program-side helpers: turn the Resource classes' arguments into dynamic-resource props."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import fields, is_dataclass
from typing import Any

import pulumi

from ..models import ResourceSchema
from ..models._common import ADOPT, COMMON_SERVER_OUTPUTS, NAME_PREFIX, RESOURCE_ID, WORKSPACE_ID


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


def with_secret_fields(block: Any, secret_names: Collection[str]) -> Any:
    """A block (Args, dict, or an Output of a dict) whose secret fields are Pulumi secrets."""
    block = plain(block)
    if block is None:
        return None
    if isinstance(block, Mapping):
        return {k: secret(v) if k in secret_names else v for k, v in block.items()}
    return pulumi.Output.secret(block)  # only known later: the whole block is kept secret


def resource_props(
    schema: ResourceSchema, resource_name: str, arguments: Mapping[str, Any], *, adopt: bool
) -> dict[str, Any]:
    """The props for ``pulumi.dynamic.Resource``.

    ``None`` means "not written" (the SDK drops ``None`` props before the provider sees them);
    output-only keys are listed as ``None`` so each gets its typed ``Output`` attribute.
    """
    props: dict[str, Any] = {key: None for key in (*COMMON_SERVER_OUTPUTS, *schema.server_output_keys)}
    props.update(arguments)
    props[NAME_PREFIX] = resource_name
    props[ADOPT] = True if adopt else None
    props.setdefault(RESOURCE_ID, None)
    props.setdefault(WORKSPACE_ID, None)
    return props


def resource_options(schema: ResourceSchema, opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions:
    """The user's options, plus the outputs that must be secret in the state."""
    ours = pulumi.ResourceOptions(additional_secret_outputs=list(schema.secret_outputs))
    return pulumi.ResourceOptions.merge(opts, ours)
