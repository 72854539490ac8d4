"""What every resource has: the arguments the server never sees, ``name``, and the server's fields."""

from __future__ import annotations

from typing import Final

from .. import state_layout
from ._declare import Boolean, Field, Identifier, Output, RequiredWhen, Text, WorkspaceId

NAME: Final = Field(
    "name", Text(), "The display name (any characters, not blank).", wire="name", tag="v1", required=True
)
RESOURCE_ID: Final = Field(
    state_layout.RESOURCE_ID,
    Identifier(),
    "The object's id in mParticle (1-64 letters, digits, `-`, `_`). Optional: without it the id is the "
    "Pulumi resource name plus a random suffix, e.g. `users-hourly-4de3dfa9`. It is the resource's Pulumi "
    "`id`; a different id replaces the object.",
    wire=None,
    replaces=True,
)
PULUMI_NAME: Final = Field(
    state_layout.PULUMI_NAME,
    Text(blank_ok=True),
    "The Pulumi resource name (set by the resource class, not by you): the stem of a generated id.",
    wire=None,
)
WORKSPACE_ID: Final = Field(
    state_layout.WORKSPACE_ID,
    WorkspaceId(),
    "The workspace the object lives in; overrides `mparticle:workspaceId`. Another workspace replaces "
    "the object (it moves).",
    wire=None,
    replaces=True,
)
ADOPT: Final = Field(
    state_layout.ADOPT,
    Boolean(),
    "`True` to take over an object that already exists (needs `resource_id`).",
    wire=None,
)
COMMON_FIELDS: Final = (NAME, RESOURCE_ID, PULUMI_NAME, WORKSPACE_ID, ADOPT)
"""The arguments every resource takes, in this order before its own."""

CREATE_ONLY: Final = frozenset({PULUMI_NAME.name, ADOPT.name})
"""Arguments that only steer ``create``: they describe no object, so changing them is no change."""

KEPT_WHEN_OMITTED: Final = frozenset({RESOURCE_ID.name, WORKSPACE_ID.name})
"""Arguments whose omission is no change: the object keeps its id and its workspace."""

COMMON_RULES: Final = (
    RequiredWhen(
        RESOURCE_ID.name,
        when=ADOPT.name,
        equals=True,
        reason="adopt=True takes over an existing object by its id: also set resource_id to the id of the "
        "object to adopt",
        report_at=ADOPT.name,
    ),
)

ERRORS_OUTPUT: Final = Output("errors", "The server's error messages, if any.", wire="errors", python_type="list[str]")
COMMON_OUTPUTS: Final = (
    Output("status", "The server's status for the object.", wire="status", python_type="str | None"),
    ERRORS_OUTPUT,
    Output("created_on", "When it was created (ISO 8601).", wire="created_on", python_type="str | None"),
    Output("created_by", "Who created it.", wire="created_by", python_type="str | None"),
    Output("last_modified_on", "When it last changed (ISO 8601).", wire="last_modified_on", python_type="str | None"),
    Output("last_modified_by", "Who changed it last.", wire="last_modified_by", python_type="str | None"),
)
"""The server-computed outputs every resource has."""
