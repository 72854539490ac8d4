"""Concurrent requests over real sockets: every write is atomic and one id has one winner."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .emulator_support import ApiSession, data_model, fast_http_client

D = wire.DATA_MODELS
WORKERS = 12


def create_in_own_client(emulator: EmulatorHandle, token: str, object_id: str) -> int:
    with fast_http_client(emulator.url) as http:
        path = wire.WORKSPACE_PATH.format(workspace_id=emulator.workspace_id) + f"/{D}"
        answer = http.post(path, json=data_model(object_id), headers={"Authorization": f"Bearer {token}"})
        return answer.status_code


def test_parallel_creates_of_distinct_ids_all_succeed(api: ApiSession, emulator: EmulatorHandle) -> None:
    # A little latency on every create keeps many requests in flight at once.
    emulator.control.add_fault("latency", method="POST", path_regex=f"/{D}$", latency_ms=20)
    ids = [f"model-{n}" for n in range(WORKERS * 2)]
    with ThreadPoolExecutor(WORKERS) as pool:
        statuses = list(pool.map(lambda object_id: create_in_own_client(emulator, api.token, object_id), ids))
    assert statuses == [200] * len(ids)
    assert sorted(m["id"] for m in api.list(D).json()) == sorted(ids)


def test_parallel_creates_of_one_id_have_exactly_one_winner(api: ApiSession, emulator: EmulatorHandle) -> None:
    emulator.control.add_fault("latency", method="POST", path_regex=f"/{D}$", latency_ms=20)
    with ThreadPoolExecutor(WORKERS) as pool:
        statuses = list(pool.map(lambda _: create_in_own_client(emulator, api.token, "contested"), range(WORKERS)))
    assert statuses.count(200) == 1
    assert statuses.count(409) == WORKERS - 1
    assert [m["id"] for m in api.list(D).json()] == ["contested"]


def test_concurrent_mixed_traffic_keeps_the_store_consistent(api: ApiSession, emulator: EmulatorHandle) -> None:
    for n in range(WORKERS):
        api.create_ok(D, data_model(f"m{n}"))

    def churn(n: int) -> tuple[int, int]:
        with fast_http_client(emulator.url, headers=api.headers) as http:
            base = wire.WORKSPACE_PATH.format(workspace_id=emulator.workspace_id) + f"/{D}/m{n}"
            replaced = http.put(base, json=data_model(f"m{n}", name=f"renamed {n}")).status_code
            deleted = http.delete(base).status_code if n % 2 else 0
            return replaced, deleted

    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(churn, range(WORKERS)))
    assert all(replaced == 200 for replaced, _ in results)
    remaining = api.list(D).json()
    assert sorted(m["id"] for m in remaining) == sorted(f"m{n}" for n in range(0, WORKERS, 2))
    assert all(m["name"] == f"renamed {m['id'][1:]}" for m in remaining)
