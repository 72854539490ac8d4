"""``Account``: another mParticle account (or region) than the stack's ``mparticle:*`` config.

    eu = mp.Account(client_id="eu-client", client_secret=cfg.require_secret("euSecret"), workspace_id="2002")
    mp.Connection("eu-warehouse", ..., account=eu)

It is no resource: every resource (and every lookup) takes it as its ``account`` argument, and a
resource records it with itself (the client secret as a secret), so ``pulumi refresh`` and
``pulumi destroy`` reach the object in that account. The settings that are no account's (retries,
timeouts) still come from the stack's config.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi


@dataclass(frozen=True, kw_only=True)
class Account:
    """The credentials, URLs and workspace of one mParticle account."""

    client_id: pulumi.Input[str]
    """The API credential's client id."""
    client_secret: pulumi.Input[str]
    """The API credential's client secret (pass a secret, e.g. ``config.require_secret(...)``); kept secret in
    the state even when given as a plain string."""
    workspace_id: pulumi.Input[str] | None = None
    """The workspace of the resources given this account that have no ``workspace_id`` argument."""
    api_url: pulumi.Input[str] | None = None
    """The API's base URL; default ``https://api.mparticle.com`` (the same for every pod: the credential decides
    which one)."""
    auth_url: pulumi.Input[str] | None = None
    """The token endpoint's base URL; default ``https://sso.auth.mparticle.com``."""

    def __repr__(self) -> str:
        # The secret stays out of reprs (a plain string passed by mistake, in a traceback or a log).
        return f"Account(client_id={self.client_id!r}, workspace_id={self.workspace_id!r}, api_url={self.api_url!r})"
