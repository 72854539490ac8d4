"""The provider's bookkeeping (``__pulumi_name``, ``__input_keys``) survives the SDK's (de)serialization as
the dynamic-provider host does it: SDKs before 3.235.0 dropped every ``__`` key but ``__provider``, and
the provider would then have lost each resource's name (its generated ids, and the guard that keeps
an adopted or renamed object from being deleted). ``make test`` runs this on the newest SDK and on the
declared floor (``.venv-lowest``)."""

from __future__ import annotations

import asyncio
from typing import Any

from pulumi.runtime import rpc

from pulumi_mparticle_wsync.state_layout import INPUT_KEYS, PROVIDER_KEY, PULUMI_NAME, SECRET_VERSIONS


def _through_the_host(props: dict[str, Any]) -> dict[str, Any]:
    """``props`` serialized by the engine side, then read back as ``pulumi.dynamic``'s host reads them."""
    loop = asyncio.new_event_loop()  # as the host does: never the thread's current loop, which mocks use
    try:
        struct = loop.run_until_complete(rpc.serialize_properties(props, {}))
    finally:
        loop.close()
    checked: dict[str, Any] = rpc.deserialize_properties(struct, True)  # check and diff
    read: dict[str, Any] = rpc.deserialize_properties(struct)  # create, read, update and delete
    assert checked == read
    return read


def test_the_host_hands_the_bookkeeping_to_the_provider() -> None:
    props = {
        PROVIDER_KEY: "gASV-serialized",
        PULUMI_NAME: "orders",
        INPUT_KEYS: [PULUMI_NAME, "name", SECRET_VERSIONS],
        SECRET_VERSIONS: {"snowflake.password": 2},
        "name": "Orders",
    }
    assert _through_the_host(props) == props
