"""The Pulumi provider serves up to four calls at once on threads: one client must serve them all."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import ConflictError

from .client_fakes import FakeAPI, connection_body, make_harness


def test_concurrent_crud_on_one_client_with_faults() -> None:
    api = FakeAPI(token_delay=0.01)
    # Enough attempts that even all twenty faults landing on one call cannot exhaust it.
    h = make_harness(api, max_attempts=25, max_retry_wait=1000.0)
    # Ten creates are applied but answered 500; ten GETs fail with 503.
    api.add_fault("apply_then_status", method="POST", path=wire.CONNECTIONS, status=500, times=10)
    api.add_fault("status", method="GET", path=wire.CONNECTIONS, status=503, times=10)
    ids = [f"conn-{n}" for n in range(40)]

    def lifecycle(object_id: str) -> tuple[str, bool, bool]:
        created = h.client.create(wire.CONNECTIONS, connection_body(object_id))
        fetched = h.client.get(wire.CONNECTIONS, object_id)
        assert fetched is not None
        replaced = h.client.replace(wire.CONNECTIONS, object_id, connection_body(object_id, name="renamed"))
        return (
            created[wire.ID],
            replaced[wire.NAME] == "renamed",
            h.client.delete(wire.CONNECTIONS, object_id),
        )

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lifecycle, ids))

    assert results == [(object_id, True, True) for object_id in ids]
    assert api.tokens_issued == 1
    assert api.store(wire.CONNECTIONS) == {}
    # No create was repeated: the ten lost answers were settled by a GET, not a second POST.
    assert api.count("POST", wire.CONNECTIONS + "$") == len(ids)
    assert api.count("GET", wire.CONNECTIONS + "/conn-[0-9]+$") == len(ids) + 10 + 10


def test_concurrent_creates_of_one_id_yield_one_winner() -> None:
    api = FakeAPI()
    h = make_harness(api)
    start = threading.Barrier(4)
    outcomes: list[str] = []
    lock = threading.Lock()

    def create(name: str) -> None:
        start.wait()
        try:
            h.client.create(wire.CONNECTIONS, connection_body("shared", name=name))
            outcome = "created"
        except ConflictError:
            outcome = "conflict"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=create, args=(f"n{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "created"]
    assert len(api.store(wire.CONNECTIONS)) == 1
