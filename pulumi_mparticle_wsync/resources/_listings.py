"""Reads served by one listing of the object's collection, shared by the reads of a provider process.

A ``refresh`` reads every object of the stack, at most 4 at once (the SDK's provider host); against
the real API, where a call takes hundreds of milliseconds, one GET per object makes it slow. So a
read lists the object's collection once and every read of that collection in the next
``MAX_AGE_SECONDS`` takes its object from the listing. Reads of the same collection that arrive
while the list request is under way wait for it: one request per collection, whatever the order.

What a read returns is what ``client.get`` would have, as of the listing:

- an object in the listing: a copy of it as listed, if it is whole (every required field, as a
  ``GET`` answers it: the caller's ``is_whole``), else its own GET;
- an object the listing lacks: its own GET decides. It may be there all the same (the listing is
  older, or the server omits it): it is read by that GET. Only a 404 of the GET, with the
  listing lacking it, proves it gone (``None``): nothing else drops an object from the state;
- a list request that fails with an answer of its own (404, 403, 5xx after its retries), or
  answers something the client does not understand (an envelope, one page of several:
  ``WarehouseSyncClient.listing``), is not retried by the following reads of its collection for
  ``MAX_AGE_SECONDS``: they read their object by GET, as before listings;
- a list request that fails as any request would (no answer, a refused credential, missing
  settings) fails the read with that error, as its GET would have after as many retries: a dead
  URL is waited for once, not twice. The next read lists again.

A single read costs what it did with GETs only: one request for an object that is there (the
list), two for one that is gone (the list, and the GET's 404). The list is bigger than one object,
which is why it is shared for a while rather than taken anew for each read.

A listing is never served after a write to its collection made by this process (any client)
finished: ``up --refresh`` reads, then writes, and a read after a write lists again. Listings are
kept per account (client id and API URL), workspace and collection.

**Listing ahead.** The engine hands the provider at most 4 reads at a time, in the order of the
state; the reads of a kind that comes later (pipelines, created last) used to start their list only
once the earlier kinds' reads were served (at 300 ms per call, a refresh of 250 objects had its four
lists answered 0.3, 0.3, 0.6 and 1.3 s after its token). So once reads of
two kinds have started in one workspace of one account (a refresh of a stack of several kinds), the
other kinds of ``PREFETCHED`` are listed at once, each in a thread of its own, for the reads to come.
A stack without some kind pays its list request for nothing (at most two: the two kinds read are
listed for their reads); a lone read, or the reads of one kind, list nothing else.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from .. import wire

if TYPE_CHECKING:
    from ..client import Listing, WarehouseSyncClient

MAX_AGE_SECONDS: Final = 10.0
"""How long a listing serves reads: a change made outside Pulumi longer ago than this is always seen.
A refresh made of GETs spread its reads over as long (250 objects, 4 at once, 150 ms each: 9 s)."""

PREFETCHED: Final = wire.COLLECTIONS
"""The collections listed ahead once reads of two of them have started (``Listing ahead``)."""
LIST_AHEAD_THREAD: Final = "list-ahead-"
"""The name of a thread listing a collection ahead starts with it (then the collection)."""

_Key = tuple[str, str, str, str]
"""(API URL, client id, workspace, collection)."""
_Place = tuple[str, str, str]
"""(API URL, client id, workspace)."""


@dataclass
class _Entry:
    """One list request of a collection: under way until ``done`` is set; ``listing`` None if it failed."""

    started: float
    done: threading.Event = field(default_factory=threading.Event)
    listing: Listing | None = None
    error: Exception | None = None
    """A failure a GET would share (the network, the credential, the settings): raised to every read."""


class Listings:
    """The process's listings. Thread-safe; ``clock`` is for tests."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[_Key, _Entry] = {}
        self._kinds_read: dict[_Place, set[str]] = {}

    def read(
        self,
        client: WarehouseSyncClient,
        collection: str,
        object_id: str,
        workspace: str,
        is_whole: Callable[[dict[str, Any]], bool] = lambda _: True,
    ) -> dict[str, Any] | None:
        """The object as served, or ``None`` when proven gone: ``client.get``'s contract (and errors).

        A listed object that ``is_whole`` refuses (a summary, without fields a ``GET`` has) is read by GET.
        """
        self._list_ahead(client, collection, workspace)
        listing = self._listing(client, collection, workspace)
        if listing is None:
            return client.get(collection, object_id, workspace_id=workspace)
        found = listing.find(object_id)
        if found is not None:
            return found if is_whole(found) else client.get(collection, object_id, workspace_id=workspace)
        return client.get(collection, object_id, workspace_id=workspace, absent_from=listing)

    def clear(self) -> None:
        """Forget every listing (tests: a new engine operation)."""
        with self._lock:
            self._entries.clear()
            self._kinds_read.clear()

    def _list_ahead(self, client: WarehouseSyncClient, collection: str, workspace: str) -> None:
        """When a second kind is read here, start the lists of the other ``PREFETCHED`` kinds."""
        if collection not in PREFETCHED:
            return
        place = (client.settings.api_url, client.settings.client_id, workspace)
        with self._lock:
            kinds = self._kinds_read.setdefault(place, set())
            if collection in kinds:
                return
            kinds.add(collection)
            if len(kinds) != 2:
                return
            claimed = [(other, entry) for other in PREFETCHED
                       if other not in kinds and (entry := self._claim((*place, other))) is not None]
        for other, entry in claimed:
            threading.Thread(
                target=self._take, args=(entry, client, other, workspace), name=f"{LIST_AHEAD_THREAD}{other}",
                daemon=True,
            ).start()

    def _listing(self, client: WarehouseSyncClient, collection: str, workspace: str) -> Listing | None:
        key = (client.settings.api_url, client.settings.client_id, workspace, collection)
        with self._lock:
            claimed = self._claim(key)
            entry = claimed or self._entries[key]
        if claimed is not None:
            self._take(entry, client, collection, workspace)
        else:
            entry.done.wait()
        if entry.error is not None:
            raise entry.error
        return entry.listing

    def _claim(self, key: _Key) -> _Entry | None:
        """A new entry for ``key``, for the caller to take, unless a list request of it is under way or
        fresh (``None``: wait for that one). Called with the lock held."""
        entry = self._entries.get(key)
        if entry is not None and (not entry.done.is_set() or self._fresh(entry)):
            return None
        entry = self._entries[key] = _Entry(self._clock())
        return entry

    def _fresh(self, entry: _Entry) -> bool:
        if self._clock() - entry.started >= MAX_AGE_SECONDS:
            return False
        if entry.error is not None:
            return False  # taken again by the next read: the network or the credential may be back
        return entry.listing is None or not entry.listing.written_since()

    @staticmethod
    def _take(entry: _Entry, client: WarehouseSyncClient, collection: str, workspace: str) -> None:
        from ..client import AuthenticationError, ConfigurationError, TransportError, WarehouseSyncError

        try:
            entry.listing = client.listing(collection, workspace_id=workspace)
        except (TransportError, AuthenticationError, ConfigurationError) as exc:
            entry.error = exc  # a GET would fail the same way, after as many retries
        except WarehouseSyncError:
            entry.listing = None  # this route or answer only (404, 403, 5xx, a shape not understood): GETs
        finally:
            entry.done.set()


LISTINGS = Listings()
"""The process's one instance."""
