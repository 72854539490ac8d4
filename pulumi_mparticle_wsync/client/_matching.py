"""Does an object the API serves match the body we sent?

Used after a create whose answer was lost: if the id now exists, it is ours only when every
field we sent is served back unchanged. Served fields we did not send (server-computed status
and audit fields, server-filled config keys such as ``aws_external_id``, ``partner_feed_id``
resolved from a ``partner_feed_key``, fields the API added later) are ignored. Secrets are
write-only: omitted or masked as ``"************"`` both match.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from .. import rules, schema, wire
from ._scrub import SECRET_BODY_KEYS

_VARIANT_KEYS: Final = frozenset(f.variant.key for r in schema.RESOURCES for f in r.variants if f.variant is not None)
"""Wire fields a server may answer in another case (``Snowflake``)."""
_INTEGER_KEYS: Final = frozenset(
    declared.wire.rsplit(".", 1)[-1]
    for resource in schema.RESOURCES
    for top in resource.fields
    for declared in (top, *(top.block.fields if top.block is not None else ()))
    if declared.wire is not None and isinstance(declared.type, schema.WholeNumber)
)
"""Wire fields holding whole numbers, which a server may answer as ``5439.0``."""
_SERVER_ONLY_VALUES: Final = {
    (resource.collection, str(declared.wire)): frozenset(declared.served_values)
    for resource in schema.RESOURCES
    for declared in resource.fields
    if declared.served_values
}
"""Top-level enum fields whose served value may be one a client cannot send (a connection's ``new``)."""

_MISSING: Final = object()


def differences(collection: str, sent: Mapping[str, Any], served: Mapping[str, Any]) -> list[str]:
    """Dotted paths of the sent fields that ``served`` contradicts; empty when it matches."""
    found: list[str] = []
    _compare_objects(collection, sent, served, "", found)
    return found


def _compare_objects(
    collection: str, sent: Mapping[str, Any], served: Mapping[str, Any], path: str, found: list[str]
) -> None:
    for key, want in sent.items():
        here = f"{path}.{key}" if path else key
        got = served.get(key, _MISSING)
        if key in SECRET_BODY_KEYS:
            if got is _MISSING or got is None or got == wire.MASKED_SECRET or got == want:
                continue
            found.append(here)
        elif not path and key in wire.SERVER_FIELDS:
            continue  # never ours to decide, even if a caller echoed them back
        elif want is None:
            if got is not _MISSING and got is not None:
                found.append(here)
        elif got is _MISSING:
            found.append(here)
        elif _is_server_reported_state(collection, path, key, got):
            continue
        else:
            _compare_values(collection, key, want, got, here, found)


def _compare_values(collection: str, key: str, want: Any, got: Any, here: str, found: list[str]) -> None:
    if isinstance(want, Mapping):
        if isinstance(got, Mapping):
            _compare_objects(collection, want, got, here, found)
        else:
            found.append(here)
    elif isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            found.append(here)
            return
        for index, (item_want, item_got) in enumerate(zip(want, got, strict=True)):
            _compare_values(collection, key, item_want, item_got, f"{here}[{index}]", found)
    elif not _scalars_equal(key, want, got):
        found.append(here)


def _scalars_equal(key: str, want: Any, got: Any) -> bool:
    if isinstance(want, bool) or isinstance(got, bool):
        return want is got
    if isinstance(want, str) and isinstance(got, str):
        if want == got:
            return True
        if key in _VARIANT_KEYS:
            return want.lower() == got.lower()
        sent_time, served_time = rules.parse_timestamp(want), rules.parse_timestamp(got)
        return sent_time is not None and sent_time == served_time
    if key in _INTEGER_KEYS:
        try:
            return int(want) == int(got)
        except (TypeError, ValueError):
            return False
    return bool(want == got)


def _is_server_reported_state(collection: str, path: str, key: str, got: Any) -> bool:
    """A connection the server reports as ``new`` (spec §3) still matches the state we sent."""
    return not path and got in _SERVER_ONLY_VALUES.get((collection, key), ())
