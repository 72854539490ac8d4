"""What every resource has: the arguments the server never sees, ``name``, and the server's fields."""

from __future__ import annotations

from typing import Final

from .. import state_layout
from ._declare import Block, Boolean, Field, Identifier, Output, RequiredWhen, Text, Url, WorkspaceId

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
WORKSPACE_ID: Final = Field(
    state_layout.WORKSPACE_ID,
    WorkspaceId(),
    "The workspace the object lives in; overrides `mparticle:workspaceId`. Another workspace replaces "
    "the object (it moves).",
    wire=None,
    replaces=True,
)
ACCOUNT_BLOCK: Final = Block(
    "Account",
    (
        Field(state_layout.ACCOUNT_CLIENT_ID, Text(), "The API credential's client id.", wire=None,
              required=True),
        Field(state_layout.ACCOUNT_CLIENT_SECRET, Text(),
              "The API credential's client secret (pass a secret, e.g. `config.require_secret(...)`); kept "
              "secret in the state even when given as a plain string.", wire=None, required=True, secret=True),
        Field(state_layout.ACCOUNT_WORKSPACE_ID, WorkspaceId(),
              "The workspace of the resources given this account that have no `workspace_id` argument.",
              wire=None),
        Field(state_layout.ACCOUNT_API_URL, Url(api=True),
              "The API's base URL; default `https://api.mparticle.com` (the same for every pod: the credential "
              "decides which one).", wire=None),
        Field(state_layout.ACCOUNT_AUTH_URL, Url(),
              "The token endpoint's base URL; default `https://sso.auth.mparticle.com`.", wire=None),
    ),
)
ACCOUNT: Final = Field(
    state_layout.ACCOUNT,
    ACCOUNT_BLOCK,
    "Another mParticle account (or region) than the stack's `mparticle:*` config: an `Account`. Recorded with "
    "the resource, so `pulumi refresh` and `pulumi destroy` use it. New credentials (`client_id`, "
    "`client_secret`, `auth_url`) are an update that only records them; another `api_url`, or another "
    "workspace, moves the object (a replacement).",
    wire=None,
)
ADOPT: Final = Field(
    state_layout.ADOPT,
    Boolean(),
    "`True` to take over an object that already exists (needs `resource_id`).",
    wire=None,
)
COMMON_FIELDS: Final = (NAME, RESOURCE_ID, WORKSPACE_ID, ACCOUNT, ADOPT)
"""The arguments every resource takes, in this order before its own."""

CREATE_ONLY: Final = frozenset({ADOPT.name})
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
