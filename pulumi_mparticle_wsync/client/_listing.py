"""A collection's list answer as the client understands it, and the process's writes per collection.

The spec says a list is a bare JSON array with no envelope and no pagination ([C] for connections,
[R] for the rest). An answer that hints at more pages (a ``Link`` header with ``rel="next"``, a
next-page or cursor header, a total count other than the array's length) holds only part of the
collection, and an object missing from part of a collection proves nothing: such an answer is
refused, like one that is not an array. The signals below are guesses at what a paginating server
would send; a false alarm only costs the caller its fallback (one GET per object).

``WRITES`` counts, per collection URL, the writes this process finished (a POST, PUT or DELETE
under the collection, applied or not). A ``Listing`` remembers the count from before its request
was sent, so a reader can tell when a write of this process may have made it out of date.
"""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import httpx

from .. import wire

_NEXT_PAGE_HEADERS: Final = (
    "X-Next-Page",
    "X-Next-Cursor",
    "X-Next-Token",
    "X-Next-Page-Token",
    "X-Continuation-Token",
    "X-Page-Token",
    "X-Cursor",
)
_TOTAL_COUNT_HEADERS: Final = ("X-Total-Count", "X-Total")
_LINK_REL_NEXT: Final = re.compile(r"""rel\s*=\s*"?[^";,]*\bnext\b""", re.IGNORECASE)


def paging_signal(response: httpx.Response, length: int) -> str | None:
    """What in ``response``, a list answer of ``length`` items, says it holds one page of several; else ``None``."""
    link = response.headers.get("Link")
    if link is not None and _LINK_REL_NEXT.search(link):
        return 'a Link header with rel="next"'
    for name in _NEXT_PAGE_HEADERS:
        if response.headers.get(name, "").strip():
            return f"the {name} header"
    for name in _TOTAL_COUNT_HEADERS:
        total = response.headers.get(name)
        if total is not None and total.strip() != str(length):
            return f"{name}: {total.strip()} for an array of {length}"
    return None


def objects_by_id(body: Any) -> dict[str, dict[str, Any]] | None:
    """``body`` as ``{id: object}`` when it is a JSON array of objects with distinct string ids, else ``None``."""
    if not isinstance(body, list):
        return None
    found: dict[str, dict[str, Any]] = {}
    for item in body:
        if not isinstance(item, dict) or not isinstance(item.get(wire.ID), str) or item[wire.ID] in found:
            return None
        found[item[wire.ID]] = item
    return found


class WriteJournal:
    """Writes finished per collection URL, for the whole process (every client). Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}

    def finished(self, collection_url: str) -> None:
        with self._lock:
            self._counts[collection_url] = self._counts.get(collection_url, 0) + 1

    def count(self, collection_url: str) -> int:
        with self._lock:
            return self._counts.get(collection_url, 0)


WRITES = WriteJournal()
"""The process's one journal."""


@dataclass(frozen=True)
class Listing:
    """Every object of one collection, as one list request served it (``WarehouseSyncClient.listing``)."""

    collection_url: str
    objects: Mapping[str, Mapping[str, Any]]
    writes_before: int
    """``WRITES.count(collection_url)`` just before the list request was sent."""

    def __contains__(self, object_id: object) -> bool:
        return object_id in self.objects

    def find(self, object_id: str) -> dict[str, Any] | None:
        """A copy of the object as listed (the caller may change it), or ``None`` when the listing lacks it."""
        listed = self.objects.get(object_id)
        return None if listed is None else copy.deepcopy(dict(listed))

    def written_since(self) -> bool:
        """Whether a write to the collection finished in this process since the list request was sent."""
        return WRITES.count(self.collection_url) != self.writes_before
