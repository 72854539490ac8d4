"""A resource's ``account`` argument as the providers read it, offline.

A resource without one uses the provider's settings (the stack's ``mparticle:*`` config); with one,
everything that reaches the API (credentials, URLs, the workspace when the resource names none)
is the account's, recorded with the resource so that ``refresh`` and ``destroy`` use it.

What moves an object is *where* it is: the API's URL and the workspace. The credentials (client id
and secret) and the token URL only say how to get in: new ones are recorded by an update that
calls nothing. mParticle serves every pod at the same API URL (the credential decides the pod), so
two accounts at one URL are told apart by their client ids in ``STACK_OBJECTS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import _constants as c
from .._urls import normalised_api_url
from ..models import canonical_workspace_id, contains_unknown, is_unknown
from ..state_layout import ACCOUNT, ACCOUNT_API_URL, ACCOUNT_CLIENT_ID, ACCOUNT_WORKSPACE_ID
from . import _runtime

AccountValues = Mapping[str, Any]
"""An ``account`` value as the engine hands it over: the ``Account``'s set arguments."""


def account_in(props: Mapping[str, Any]) -> AccountValues | None:
    """The ``account`` of inputs or outputs; ``None`` when there is none (or it is not known yet)."""
    value = props.get(ACCOUNT)
    return value if isinstance(value, Mapping) else None


def api_url_of(account: AccountValues | None) -> str | None:
    """Where the account's API is, normalised (the provider's setting without an account); ``None`` if unknown."""
    if account is None:
        return _runtime.configured_api_url()
    url = account.get(ACCOUNT_API_URL)
    if url is None:
        return normalised_api_url(c.DEFAULT_API_URL)
    if not isinstance(url, str) or is_unknown(url):
        return None
    return normalised_api_url(url)


def account_workspace(account: AccountValues | None) -> str | None:
    """The account's own workspace, if it names one (the provider's setting without an account)."""
    if account is None:
        return _runtime.configured_workspace()
    return canonical_workspace_id(account.get(ACCOUNT_WORKSPACE_ID))


def account_key(account: AccountValues | None) -> str:
    """Which account an object is in, for ``STACK_OBJECTS``: ``""`` for the provider's settings, else the
    account's API URL and client id (the settings' own when the account is the same)."""
    if account is None:
        return ""
    client_id = account.get(ACCOUNT_CLIENT_ID)
    url = api_url_of(account)
    if url == _runtime.configured_api_url() and client_id == _runtime.configured_client_id():
        return ""
    return f"{url} {client_id}"


def moved_account(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    """Is the object now meant to be at another API URL than where it is (a replacement)?

    An account not known yet (a preview) may be anywhere: it moves. Adding or removing the argument
    compares with the provider's ``mparticle:apiUrl`` as it is now.
    """
    new = news.get(ACCOUNT)
    if new is not None and not isinstance(new, Mapping):
        return True  # unknown as a whole
    new_url = api_url_of(new)
    return new_url is None or new_url != api_url_of(account_in(olds))


def account_changed(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    from ..models import same_value

    new = news.get(ACCOUNT)
    return contains_unknown(new) or not same_value(olds.get(ACCOUNT), new)


def of_account(account: AccountValues | None) -> str:
    """`` of account '<client id>'`` for messages about an object in a resource's own account, else ``""``."""
    if account is None:
        return ""
    return f" of account {account.get(ACCOUNT_CLIENT_ID)!r}"
