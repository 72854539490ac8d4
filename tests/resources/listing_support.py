"""A transport in front of the emulator that changes its list answers, as a server of another shape would.

The emulator serves lists as the spec says (a bare array). ``ListRewriter`` forwards every request
and, for a GET of a collection, hands the served array to ``rewrite``, which returns the body and
the extra headers to answer instead. The emulator still logs every request.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import WarehouseSyncClient, get_client
from pulumi_mparticle_wsync.resources import _runtime

Rewrite = Callable[[list[dict[str, Any]]], tuple[Any, dict[str, str]]]


@dataclass(eq=False)  # hashable by identity: the client cache keys on the transport
class ListRewriter(httpx.BaseTransport):
    """Rewrites the lists of ``collections`` (every collection by default)."""

    rewrite: Rewrite
    collections: tuple[str, ...] = wire.COLLECTIONS
    inner: httpx.BaseTransport = field(default_factory=httpx.HTTPTransport)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        listed = request.method == "GET" and request.url.path.rsplit("/", 1)[-1] in self.collections
        if not listed or response.status_code != 200:
            return response
        response.read()
        body, headers = self.rewrite(json.loads(response.content))
        return httpx.Response(200, json=body, headers=headers, request=request)


def omitting(*ids: str) -> Rewrite:
    """Lists without the objects ``ids``, and nothing to say so."""
    return lambda listed: ([o for o in listed if o[wire.ID] not in ids], {})


def summaries(listed: list[dict[str, Any]]) -> tuple[Any, dict[str, str]]:
    """Each object as a summary: its id, name and status, without the fields a GET of it has."""
    return [{key: o[key] for key in (wire.ID, wire.NAME, "status") if key in o} for o in listed], {}


def wrapped(listed: list[dict[str, Any]]) -> tuple[Any, dict[str, str]]:
    """The array in an envelope, as many APIs serve lists."""
    return {"data": listed, "next": None}, {}


def first_page_with_link(listed: list[dict[str, Any]]) -> tuple[Any, dict[str, str]]:
    """A bare array of one object, and a ``Link`` header to the next page."""
    return listed[:1], {"Link": '<https://api.example/next?page=2>; rel="next"'}


def first_page_with_cursor(listed: list[dict[str, Any]]) -> tuple[Any, dict[str, str]]:
    """A bare array of one object, and a cursor header for the rest."""
    return listed[:1], {"X-Next-Cursor": "b64cursor=="}


def use_transport(monkeypatch: pytest.MonkeyPatch, transport: httpx.BaseTransport) -> None:
    """The providers' client (``_runtime.client``) sends through ``transport``."""

    def client(account: Mapping[str, Any] | None = None) -> WarehouseSyncClient:
        settings = _runtime.settings() if account is None else _runtime.account_settings(account)
        return get_client(settings, transport=transport)

    monkeypatch.setattr(_runtime, "client", client)
