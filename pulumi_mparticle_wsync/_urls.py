"""What an API or token base URL may be, and its normal form: shared by the client's settings and
an ``Account``'s arguments.

Outside ``client/`` so that ``check`` and ``diff``, which work offline and never load the HTTP
client, can judge and compare an account's URLs the way the client's settings do.
"""

from __future__ import annotations

import ipaddress
from typing import Final
from urllib.parse import urlsplit, urlunsplit

from . import _constants as c
from . import wire


def is_loopback_host(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_problem(url: str) -> str | None:
    """Why ``url`` is not an acceptable API or token base URL, or ``None``."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return f"must be an absolute https:// URL such as https://api.mparticle.com (got {url!r})"
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        return (
            f"must use https:// (got {url!r}): plain http:// is only allowed for loopback hosts "
            "(127.0.0.1, localhost, ::1)"
        )
    if parts.query or parts.fragment:
        return f"must not carry a query or fragment (got {url!r})"
    return None


# The spec documents the API base with its version (https://api.mparticle.com/platform/v2/...);
# the client appends wire.WORKSPACE_PATH, which starts with it, to the host base itself.
_VERSION_SUFFIX: Final = wire.WORKSPACE_PATH.split("/workspaces/", 1)[0]  # "/platform/v2"
_WORKSPACES_SEGMENT: Final = "workspaces"


def normalised_api_url(url: str) -> str:
    """``url`` as the client's base: no trailing slash, and the documented ``/platform/v2`` taken off.

    Only that exact suffix is removed: a proxy may sit under a path prefix of its own
    (``https://proxy.corp/mparticle``), which is kept as it is.
    """
    base = url.rstrip("/")
    if base.endswith(_VERSION_SUFFIX):
        base = base[: -len(_VERSION_SUFFIX)].rstrip("/")
    return base


def normalised_auth_url(url: str) -> str:
    """``url`` as the token base: no trailing slash, and the documented token path (``/oauth/token``) taken off.

    mParticle documents the token endpoint as a full URL (``https://sso.auth.mparticle.com/oauth/token``);
    the client appends ``wire.TOKEN_PATH`` itself, so the host alone and that full URL are the same
    setting. Any other path (a proxy's prefix) is kept as it is.
    """
    base = url.rstrip("/")
    if base.endswith(wire.TOKEN_PATH):
        base = base[: -len(wire.TOKEN_PATH)].rstrip("/")
    return base


def api_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the API base URL (beyond ``url_problem``), or ``None``."""
    parts = urlsplit(url)
    segments = parts.path.split("/")
    if _WORKSPACES_SEGMENT not in segments:
        return None
    before = "/".join(segments[: segments.index(_WORKSPACES_SEGMENT)])
    suggestion = normalised_api_url(urlunsplit((parts.scheme, parts.netloc, before, "", "")))
    return (
        f"must not contain the workspace path (got {url!r}): use {suggestion!r}; the client adds "
        f"{wire.WORKSPACE_PATH.replace('{workspace_id}', '{workspaceId}')} itself and takes the workspace "
        f"from {c.CONFIG_WORKSPACE_ID} or the resource's workspace_id"
    )
