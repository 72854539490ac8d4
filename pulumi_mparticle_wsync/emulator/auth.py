"""The token endpoint (``POST /oauth/token``) and bearer-token checks (spec §1).

Tokens are random strings; only their SHA-256 is stored, with an expiry on the emulator's clock,
so advancing the clock past a token's lifetime expires it just as real time would.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import Any

from .. import wire
from .clock import Clock
from .errors import unauthorized
from .store import Store
from .validation import Fields, Problems, shown

_TOKEN_PREFIX = "emu_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class TokenAuthority:
    def __init__(
        self, store: Store, clock: Clock, client_id: str, client_secret: str, lifetime: Callable[[], int]
    ) -> None:
        self._store = store
        self._clock = clock
        self._client_id = client_id
        self._client_secret = client_secret
        self._lifetime = lifetime

    def issue(self, body: object) -> dict[str, Any]:
        """Validate a token request body and mint a token, or raise 400/401."""
        problems = Problems()
        fields = Fields.root(body, problems)
        client_id = fields.string(wire.TOKEN_CLIENT_ID, missing="required: send the API credential's client id")
        client_secret = fields.string(
            wire.TOKEN_CLIENT_SECRET, secret=True, missing="required: send the API credential's client secret"
        )
        for key, expected in (
            (wire.TOKEN_AUDIENCE_FIELD, wire.TOKEN_AUDIENCE),
            (wire.TOKEN_GRANT_TYPE_FIELD, wire.TOKEN_GRANT_TYPE),
        ):
            value = fields.string(key, missing=f"required: send {expected!r}")
            if value is not None and value != expected:
                fields.report(key, f"{shown(value)} is not accepted: send {expected!r}")
        problems.raise_if_any()
        assert client_id is not None and client_secret is not None
        id_ok = hmac.compare_digest(client_id.encode("utf-8", "surrogatepass"), self._client_id.encode())
        secret_ok = hmac.compare_digest(client_secret.encode("utf-8", "surrogatepass"), self._client_secret.encode())
        if not (id_ok and secret_ok):
            raise unauthorized("client_id or client_secret is wrong: use the credentials the emulator printed on start")
        lifetime = self._lifetime()
        token = _TOKEN_PREFIX + secrets.token_urlsafe(32)
        self._store.add_token(_hash(token), self._clock.now() + lifetime)
        return {
            wire.TOKEN_ACCESS_TOKEN: token,
            wire.TOKEN_EXPIRES_IN: lifetime,
            wire.TOKEN_TYPE: wire.TOKEN_TYPE_BEARER,
        }

    def check(self, authorization: str | None) -> None:
        """Raise 401 unless ``authorization`` is ``Bearer <a live token>``."""
        if not authorization:
            raise unauthorized(
                f"missing Authorization header: send 'Authorization: Bearer <token>' with a token from "
                f"POST {wire.TOKEN_PATH}"
            )
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise unauthorized("Authorization header must be 'Bearer <token>'")
        expires_at = self._store.token_expiry(_hash(token))
        if expires_at is None:
            raise unauthorized(f"unknown token: request a new one from POST {wire.TOKEN_PATH}")
        if expires_at <= self._clock.now():
            raise unauthorized(f"token expired: request a new one from POST {wire.TOKEN_PATH}")

    def expire_all(self) -> int:
        """Expire every issued token for good (even if the clock is later reset); returns how many."""
        return self._store.expire_tokens(at=0.0)
