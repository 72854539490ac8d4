"""Bearer tokens: minted with the client-credentials grant, cached per credential, renewed before expiry.

Minting takes 1-3 s against mParticle and tokens cannot be revoked, so a process mints one per
credential and every client of the process shares it (``shared_token_cache``). The cache holds
its lock while minting: four provider threads asking at once cause one token request.

A token request is one exchange, never retried here: it is part of the attempt of the call that
needs the token, and that call's retry loop (with its one budget) tries again.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import httpx

from .. import _constants as c
from .. import wire
from ._responses import display_path, error_from_response, expect_object
from ._retry import RetryPolicy, Timing, exchange
from ._scrub import Scrubber
from .errors import APIError, AuthenticationError

Mint = Callable[[], "MintedToken"]


@dataclass(frozen=True)
class MintedToken:
    access_token: str
    lifetime_seconds: float


def refresh_skew(lifetime_seconds: float) -> float:
    """How long before expiry a token is renewed: 5 minutes or 10% of its lifetime, whichever is smaller."""
    return min(c.TOKEN_REFRESH_SKEW_SECONDS, c.TOKEN_REFRESH_SKEW_FRACTION * lifetime_seconds)


class TokenCache:
    """One bearer token for one credential. Thread-safe."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0

    def token(self, mint: Mint) -> str:
        """The cached token, or a new one from ``mint`` when there is none or it is about to expire."""
        with self._lock:
            if self._token is None or self._clock() >= self._renew_at:
                requested_at = self._clock()
                minted = mint()
                self._token = minted.access_token
                self._renew_at = (
                    requested_at + minted.lifetime_seconds - refresh_skew(minted.lifetime_seconds)
                )
            return self._token

    def discard(self, stale_token: str) -> None:
        """Forget ``stale_token`` (the API refused it) unless another thread already replaced it."""
        with self._lock:
            if self._token == stale_token:
                self._token = None


_shared_lock = threading.Lock()
_shared_caches: dict[tuple[str, str, str], TokenCache] = {}


def shared_token_cache(auth_url: str, client_id: str, client_secret: str) -> TokenCache:
    """The process-wide cache for one credential at one token endpoint."""
    # The secret is part of the key so that a wrong secret never borrows a token minted with
    # the right one; only its digest is kept.
    key = (auth_url, client_id, hashlib.sha256(client_secret.encode()).hexdigest())
    with _shared_lock:
        cache = _shared_caches.get(key)
        if cache is None:
            cache = _shared_caches[key] = TokenCache()
        return cache


def clear_shared_token_caches() -> None:
    with _shared_lock:
        _shared_caches.clear()


def mint_token(
    http: httpx.Client,
    *,
    auth_url: str,
    client_id: str,
    client_secret: str,
    policy: RetryPolicy,
    timing: Timing,
    scrubber: Scrubber,
) -> MintedToken:
    """Ask the token endpoint for a client-credentials token: one request.

    A failure another try may fix raises ``RetryableFailure``, for the retry loop of the call that
    needs the token; a refused credential raises ``AuthenticationError``.
    """
    body = {
        wire.TOKEN_CLIENT_ID: client_id,
        wire.TOKEN_CLIENT_SECRET: client_secret,
        wire.TOKEN_AUDIENCE_FIELD: wire.TOKEN_AUDIENCE,
        wire.TOKEN_GRANT_TYPE_FIELD: wire.TOKEN_GRANT_TYPE,
    }
    url = f"{auth_url}{wire.TOKEN_PATH}"

    request = http.build_request("POST", url, json=body)
    response = exchange(http, request, policy=policy, scrubber=scrubber, timing=timing)
    if response.status_code in (401, 403):
        refused = error_from_response(response, scrubber)
        raise AuthenticationError(
            response.status_code,
            refused.method,
            refused.path,
            [
                *refused.messages,
                f"the token endpoint refused the credential: check {c.CONFIG_CLIENT_ID} and "
                f"{c.CONFIG_CLIENT_SECRET} (or {c.ENV_VARS[c.CONFIG_CLIENT_ID]} and "
                f"{c.ENV_VARS[c.CONFIG_CLIENT_SECRET]})",
            ],
        )
    if response.is_error:
        raise error_from_response(response, scrubber)
    return _parse_token(response, scrubber)


def _parse_token(response: httpx.Response, scrubber: Scrubber) -> MintedToken:
    answer: dict[str, Any] = expect_object(response, scrubber)
    access_token = answer.get(wire.TOKEN_ACCESS_TOKEN)
    if not isinstance(access_token, str) or not access_token:
        raise APIError(
            response.status_code,
            response.request.method,
            display_path(response.request),
            [f"the token answer has no {wire.TOKEN_ACCESS_TOKEN}"],
        )
    token_type = answer.get(wire.TOKEN_TYPE, wire.TOKEN_TYPE_BEARER)
    if not isinstance(token_type, str) or token_type.lower() != wire.TOKEN_TYPE_BEARER.lower():
        raise APIError(
            response.status_code,
            response.request.method,
            display_path(response.request),
            [f"the token answer has {wire.TOKEN_TYPE} {token_type!r}, expected {wire.TOKEN_TYPE_BEARER!r}"],
        )
    return MintedToken(access_token, _lifetime(answer.get(wire.TOKEN_EXPIRES_IN)))


_MIN_LIFETIME: Final = 1.0


def _lifetime(expires_in: object) -> float:
    if isinstance(expires_in, bool) or not isinstance(expires_in, int | float | str):
        return c.TOKEN_DEFAULT_LIFETIME_SECONDS
    try:
        seconds = float(expires_in)
    except ValueError:
        return c.TOKEN_DEFAULT_LIFETIME_SECONDS
    if not math.isfinite(seconds):
        return c.TOKEN_DEFAULT_LIFETIME_SECONDS
    return max(_MIN_LIFETIME, seconds)
