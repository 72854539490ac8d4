"""The client against the real emulator over loopback HTTP: round trips, and retries under faults
with the emulator's request log proving the exact calls made and that no object was duplicated."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import (
    ClientSettings,
    ConflictError,
    NotFoundError,
    PipelineStatus,
    RateLimitError,
    Run,
    RunInProgressError,
    StatusNotReadyError,
    Timing,
    WarehouseSyncClient,
)
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

TOKEN = "token"  # the collection under which the emulator logs token calls


class Recorder:
    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.sleeps.append(seconds)


@pytest.fixture
def sleeps() -> Recorder:
    return Recorder()


@pytest.fixture
def client(emulator: EmulatorHandle, sleeps: Recorder) -> Any:
    settings = ClientSettings(
        client_id=emulator.client_id,
        client_secret=emulator.client_secret,
        workspace_id=emulator.workspace_id,
        api_url=emulator.url,
        auth_url=emulator.url,
        max_attempts=4,
        max_retry_wait=5.0,
        timeout=10.0,
    )
    # Sleeps are recorded, not slept: the emulator's faults count requests, not time.
    with WarehouseSyncClient(settings, timing=Timing(sleep=sleeps, rng=random.Random(1))) as c:
        yield c


def connection(object_id: str = "warehouse", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        wire.ID: object_id,
        wire.NAME: "Warehouse",
        wire.STATE: "active",
        wire.SERVICE_PROVIDER: 'snowflake',
        'config': {
            "account_identifier": "xy12345",
            "region": "us-central1.gcp",
            "warehouse": "COMPUTE_WH",
            "database": "ANALYTICS",
            "role": "MPARTICLE",
            "user": "mp_user",
            "password": "pw-emulator-secret",
            "storage_integration": "mp_us1_1_2_s3",
        },
    }
    body.update(changes)
    return body


def data_model(object_id: str = "users", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        wire.ID: object_id,
        wire.NAME: "Users",
        'type': 'sql',
        wire.STATE: "active",
        'config': {'sql_query': "SELECT email, plan FROM users"},
    }
    body.update(changes)
    return body


def transformation(object_id: str = "events-map", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        wire.ID: object_id,
        wire.NAME: "Event mapping",
        'destination_type': 'event_batch',
        'mappings': [
            {
                'mapping_type': "column",
                'source': "id",
                'destination': "events[].data.id",
            },
            {
                'mapping_type': "static",
                'destination': "events[].event_type",
                'value': "x",
            },
        ],
    }
    body.update(changes)
    return body


def pipeline(object_id: str = "nightly", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        wire.ID: object_id,
        wire.NAME: "Nightly",
        'pipeline_type': "user_attributes",
        'connection_id': "warehouse",
        'data_model_id': "users",
        'partner_feed_key': "feed-key-emulator-secret",
        wire.STATE: "active",
        'sync_mode': {'type': "full"},
        'schedule': {
            'type': 'on_demand',
            'start': "2024-01-01T00:00:00Z",
        },
        'environment': "development",
    }
    body.update(changes)
    return body


def seed_dependencies(client: WarehouseSyncClient) -> None:
    client.create(wire.CONNECTIONS, connection())
    client.create(wire.DATA_MODELS, data_model())


# --- round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("collection", "make", "rename"),
    [
        (wire.CONNECTIONS, connection, "Renamed warehouse"),
        (wire.DATA_MODELS, data_model, "Renamed model"),
        (wire.FIELD_TRANSFORMATIONS, transformation, "Renamed mapping"),
        (wire.PIPELINES, pipeline, "Renamed pipeline"),
    ],
)
def test_crud_round_trip(
    client: WarehouseSyncClient, emulator: EmulatorHandle, collection: str, make: Any, rename: str
) -> None:
    if collection == wire.PIPELINES:
        seed_dependencies(client)
    body = make()
    created = client.create(collection, body)
    assert created[wire.ID] == body[wire.ID]
    assert created[wire.CREATED_ON]
    fetched = client.get(collection, body[wire.ID])
    assert fetched == created
    assert [obj[wire.ID] for obj in client.list(collection)] == [body[wire.ID]]

    replaced = client.replace(collection, body[wire.ID], {**body, wire.NAME: rename})
    assert replaced[wire.NAME] == rename
    assert replaced[wire.LAST_MODIFIED_ON] is not None
    stored = emulator.control.get_object(emulator.workspace_id, collection, body[wire.ID])
    assert stored is not None and stored[wire.NAME] == rename

    assert client.delete(collection, body[wire.ID]) is True
    assert client.get(collection, body[wire.ID]) is None
    assert client.delete(collection, body[wire.ID]) is False
    assert emulator.control.count("POST", collection) == 1
    assert emulator.control.count("PUT", collection) == 1
    assert emulator.control.count("DELETE", collection) == 2
    assert emulator.control.count("POST", TOKEN) == 1


@pytest.mark.parametrize("secret_mode", [wire.SECRET_MODE_OMIT, wire.SECRET_MODE_MASK])
def test_served_secrets_follow_the_switch(
    client: WarehouseSyncClient, emulator: EmulatorHandle, secret_mode: str
) -> None:
    emulator.control.set_switches(secret_mode=secret_mode)
    created = client.create(wire.CONNECTIONS, connection())
    if secret_mode == wire.SECRET_MODE_OMIT:
        assert "password" not in created['config']
    else:
        assert created['config']["password"] == wire.MASKED_SECRET


def test_replace_of_a_missing_object_is_not_found(client: WarehouseSyncClient) -> None:
    with pytest.raises(NotFoundError):
        client.replace(wire.CONNECTIONS, "warehouse", connection())


@pytest.mark.parametrize("status", [409, 400])
def test_duplicate_ids_are_conflicts_in_either_form(
    client: WarehouseSyncClient, emulator: EmulatorHandle, status: int
) -> None:
    emulator.control.set_switches(duplicate_id_status=status)
    client.create(wire.CONNECTIONS, connection())
    with pytest.raises(ConflictError) as caught:
        client.create(wire.CONNECTIONS, connection(name="Another"))
    assert caught.value.status_code == status
    assert len(emulator.control.list_objects(emulator.workspace_id, wire.CONNECTIONS)) == 1


def test_runs_round_trip(client: WarehouseSyncClient) -> None:
    seed_dependencies(client)
    client.create(wire.PIPELINES, pipeline())
    answer = client.trigger("nightly")
    assert (answer.status, answer.path, answer.adopted) == (wire.TRIGGER_REQUESTED, wire.TRIGGER, False)
    assert answer.run_id is not None
    status = client.pipeline_status("nightly")
    assert status.latest_run is not None and status.latest_run.run_id == answer.run_id
    assert [run.run_id for run in client.list_runs("nightly", page=1, page_size=10)] == [answer.run_id]
    assert [run.run_id for run in client.iter_runs("nightly")] == [answer.run_id]
    assert client.get_run("nightly", answer.run_id).run_id == answer.run_id


# --- retries under injected faults -------------------------------------------------------------


def test_create_under_apply_then_error_is_one_post_and_one_get(
    client: WarehouseSyncClient, emulator: EmulatorHandle
) -> None:
    emulator.control.add_fault("apply_then_error", method="POST", path_regex=f"/{wire.CONNECTIONS}$", count=1)
    created = client.create(wire.CONNECTIONS, connection())
    assert created[wire.ID] == "warehouse"
    counts = emulator.control.request_counts()
    base = f"/platform/v2/workspaces/{emulator.workspace_id}/{wire.CONNECTIONS}"
    assert counts == {"POST /oauth/token": 1, f"POST {base}": 1, f"GET {base}/warehouse": 1}
    assert len(emulator.control.list_objects(emulator.workspace_id, wire.CONNECTIONS)) == 1


@pytest.mark.parametrize("secret_mode", [wire.SECRET_MODE_OMIT, wire.SECRET_MODE_MASK])
def test_lost_pipeline_create_is_recognised_in_both_secret_modes(
    client: WarehouseSyncClient, emulator: EmulatorHandle, secret_mode: str
) -> None:
    emulator.control.set_switches(secret_mode=secret_mode, provider_case="capitalised")
    seed_dependencies(client)
    emulator.control.add_fault("apply_then_error", method="POST", path_regex=f"/{wire.PIPELINES}$", count=1)
    client.create(wire.PIPELINES, pipeline())
    assert emulator.control.count("POST", wire.PIPELINES) == 1
    assert emulator.control.count("GET", wire.PIPELINES) == 1
    assert len(emulator.control.list_objects(emulator.workspace_id, wire.PIPELINES)) == 1


def test_create_under_drop_after_apply_is_not_duplicated(
    client: WarehouseSyncClient, emulator: EmulatorHandle
) -> None:
    emulator.control.add_fault(
        "drop", method="POST", path_regex=f"/{wire.DATA_MODELS}$", count=1, after_apply=True
    )
    client.create(wire.DATA_MODELS, data_model())
    assert emulator.control.count("POST", wire.DATA_MODELS) == 1
    assert emulator.control.count("GET", wire.DATA_MODELS) == 1
    assert len(emulator.control.list_objects(emulator.workspace_id, wire.DATA_MODELS)) == 1


def test_create_under_drop_before_apply_looks_then_posts_again(
    client: WarehouseSyncClient, emulator: EmulatorHandle
) -> None:
    emulator.control.add_fault("drop", method="POST", path_regex=f"/{wire.DATA_MODELS}$", count=1)
    client.create(wire.DATA_MODELS, data_model())
    assert emulator.control.count("POST", wire.DATA_MODELS) == 2
    # The 404, and the listing without the id that proved it: only then the second POST.
    assert emulator.control.count("GET", wire.DATA_MODELS) == 2
    assert len(emulator.control.list_objects(emulator.workspace_id, wire.DATA_MODELS)) == 1


def test_create_under_503_before_apply_looks_then_posts_again(
    client: WarehouseSyncClient, emulator: EmulatorHandle
) -> None:
    emulator.control.add_fault("error", method="POST", path_regex=f"/{wire.FIELD_TRANSFORMATIONS}$", count=1)
    client.create(wire.FIELD_TRANSFORMATIONS, transformation())
    statuses = [
        (r.method, r.status)
        for r in emulator.control.requests()
        if r.collection == wire.FIELD_TRANSFORMATIONS
    ]
    assert statuses == [("POST", 503), ("GET", 404), ("GET", 200), ("POST", 200)]
    listing = [r.object_id for r in emulator.control.requests() if r.collection == wire.FIELD_TRANSFORMATIONS]
    assert listing == [None, "events-map", None, None]  # the third request lists the collection


def test_rate_limit_honours_retry_after_and_reposts_without_looking(
    client: WarehouseSyncClient, sleeps: Recorder, emulator: EmulatorHandle
) -> None:
    emulator.control.add_fault(
        "rate_limit", method="POST", path_regex=f"/{wire.CONNECTIONS}$", count=2, retry_after=1
    )
    client.create(wire.CONNECTIONS, connection())
    assert sleeps.sleeps == [1.0, 1.0]
    assert emulator.control.count("POST", wire.CONNECTIONS) == 3
    assert emulator.control.count("GET", wire.CONNECTIONS) == 0


def test_rate_limit_beyond_the_budget_gives_up(
    client: WarehouseSyncClient, sleeps: Recorder, emulator: EmulatorHandle
) -> None:
    emulator.control.add_fault("rate_limit", path_regex=f"/{wire.CONNECTIONS}$", retry_after=30)
    with pytest.raises(RateLimitError):
        client.list(wire.CONNECTIONS)
    assert sleeps.sleeps == []
    assert emulator.control.count("GET", wire.CONNECTIONS) == 1


def test_reads_retry_through_503s(
    client: WarehouseSyncClient, sleeps: Recorder, emulator: EmulatorHandle
) -> None:
    emulator.control.add_fault("error", method="GET", path_regex=f"/{wire.PIPELINES}$", count=2, status=503)
    assert client.list(wire.PIPELINES) == []
    assert emulator.control.count("GET", wire.PIPELINES) == 3
    assert len(sleeps.sleeps) == 2


def test_delete_under_apply_then_error_counts_as_deleted(
    client: WarehouseSyncClient, emulator: EmulatorHandle
) -> None:
    client.create(wire.CONNECTIONS, connection())
    emulator.control.add_fault("apply_then_error", method="DELETE", count=1)
    assert client.delete(wire.CONNECTIONS, "warehouse") is True
    assert emulator.control.count("DELETE", wire.CONNECTIONS) == 2
    assert emulator.control.get_object(emulator.workspace_id, wire.CONNECTIONS, "warehouse") is None


def test_trigger_under_apply_then_error_starts_one_run(
    client: WarehouseSyncClient, emulator: EmulatorHandle
) -> None:
    seed_dependencies(client)
    client.create(wire.PIPELINES, pipeline())
    emulator.control.add_fault("apply_then_error", method="POST", path_regex="/trigger$", count=1)
    answer = client.trigger("nightly")
    assert (answer.status, answer.adopted) == (wire.TRIGGER_REQUESTED, True)
    assert emulator.control.count("POST", wire.PIPELINES) == 2  # the create and one trigger
    assert len(client.list_runs("nightly")) == 1


def test_expired_token_is_renewed_once(client: WarehouseSyncClient, emulator: EmulatorHandle) -> None:
    client.list(wire.CONNECTIONS)
    emulator.control.expire_tokens()
    client.list(wire.CONNECTIONS)
    statuses = [(r.collection, r.status) for r in emulator.control.requests()]
    assert statuses == [
        (TOKEN, 200),
        (wire.CONNECTIONS, 200),
        (wire.CONNECTIONS, 401),
        (TOKEN, 200),
        (wire.CONNECTIONS, 200),
    ]


def test_four_threads_share_one_token_and_create_no_duplicates(
    client: WarehouseSyncClient, emulator: EmulatorHandle
) -> None:
    emulator.control.add_fault("apply_then_error", method="POST", path_regex=f"/{wire.DATA_MODELS}$", count=3)
    emulator.control.add_fault("error", method="GET", path_regex=f"/{wire.DATA_MODELS}/", count=2)
    ids = [f"model-{n}" for n in range(12)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        created = list(
            pool.map(lambda object_id: client.create(wire.DATA_MODELS, data_model(object_id)), ids)
        )
    assert [obj[wire.ID] for obj in created] == ids
    assert emulator.control.count("POST", TOKEN) == 1
    assert emulator.control.count("POST", wire.DATA_MODELS) == len(ids)
    stored = emulator.control.list_objects(emulator.workspace_id, wire.DATA_MODELS)
    assert sorted(obj[wire.ID] for obj in stored) == sorted(ids)


# --- runs under the emulator's run switches (spec §8) -------------------------------------------


def run_calls(emulator: EmulatorHandle) -> list[tuple[str, str, int]]:
    """``(method, path below the pipelines collection, status)`` of each pipeline request logged."""
    prefix = f"/platform/v2/workspaces/{emulator.workspace_id}/{wire.PIPELINES}"
    return [
        (record.method, record.path.removeprefix(prefix), record.status)
        for record in emulator.control.requests()
        if record.collection == wire.PIPELINES
    ]


def on_demand_pipeline(client: WarehouseSyncClient, emulator: EmulatorHandle) -> None:
    seed_dependencies(client)
    client.create(wire.PIPELINES, pipeline())
    emulator.control.clear_log()


def finish_the_run(emulator: EmulatorHandle) -> None:
    emulator.control.advance_clock(sum(emulator.control.run_durations().values()) + 1)


def test_trigger_on_the_bare_path_falls_back_once_then_goes_straight_there(
    client: WarehouseSyncClient, emulator: EmulatorHandle
) -> None:
    emulator.control.set_switches(trigger_path=wire.TRIGGER_PATH_BARE)
    on_demand_pipeline(client, emulator)
    answer = client.trigger("nightly")
    assert (answer.path, answer.adopted, answer.run_id) == (wire.TRIGGER_BARE, False, 1)
    assert run_calls(emulator) == [
        ("POST", "/nightly/trigger", 404),
        ("GET", "/nightly", 200),  # the pipeline is there: the 404 was the route's
        ("POST", "/nightly", 200),
    ]
    finish_the_run(emulator)
    emulator.control.clear_log()
    assert client.trigger("nightly").run_id == 2
    assert run_calls(emulator) == [("POST", "/nightly", 200)]

    # The server changes its mind: the remembered path answers 405, and the other one is tried.
    finish_the_run(emulator)
    emulator.control.set_switches(trigger_path=wire.TRIGGER_PATH_SUFFIX)
    emulator.control.clear_log()
    assert client.trigger("nightly").path == wire.TRIGGER
    assert run_calls(emulator) == [("POST", "/nightly", 405), ("POST", "/nightly/trigger", 200)]


def test_trigger_of_a_missing_pipeline_on_either_path(client: WarehouseSyncClient, emulator: EmulatorHandle) -> None:
    emulator.control.set_switches(trigger_path=wire.TRIGGER_PATH_BARE)
    with pytest.raises(NotFoundError, match="pipeline 'gone' does not exist"):
        client.trigger("gone")
    assert [call[:2] for call in run_calls(emulator)] == [("POST", "/gone/trigger"), ("GET", "/gone"), ("GET", "")]


def test_a_lost_trigger_on_the_bare_path_starts_one_run(client: WarehouseSyncClient, emulator: EmulatorHandle) -> None:
    emulator.control.set_switches(trigger_path=wire.TRIGGER_PATH_BARE)
    on_demand_pipeline(client, emulator)
    emulator.control.add_fault("apply_then_error", method="POST", path_regex="/nightly$", count=1)
    answer = client.trigger("nightly")
    assert (answer.path, answer.adopted, answer.run_id) == (wire.TRIGGER_BARE, True, 1)
    assert emulator.control.count("POST", wire.PIPELINES) == 2  # /trigger's 404, then the one bare POST
    assert len(client.list_runs("nightly")) == 1


def test_a_trigger_while_a_run_is_going_is_run_in_progress(
    client: WarehouseSyncClient, emulator: EmulatorHandle
) -> None:
    on_demand_pipeline(client, emulator)
    client.trigger("nightly")
    with pytest.raises(RunInProgressError) as caught:
        client.trigger("nightly")
    assert caught.value.pipeline_id == "nightly"
    finish_the_run(emulator)
    assert client.trigger("nightly").run_id == 2


def test_either_spelling_and_shape_read_into_the_same_values(
    client: WarehouseSyncClient, emulator: EmulatorHandle
) -> None:
    emulator.control.set_run_durations(triggered=3600)  # the run stays put while the switches change
    on_demand_pipeline(client, emulator)
    run_id = client.trigger("nightly").run_id
    assert run_id is not None
    seen: dict[tuple[str, str], tuple[PipelineStatus, list[Run], Run, Run]] = {}
    for spelling in (wire.RUN_SPELLING_V1, wire.RUN_SPELLING_GUESS):
        for shape in (wire.STATUS_SHAPE_V1, wire.STATUS_SHAPE_GUESS):
            emulator.control.set_switches(run_spelling=spelling, status_shape=shape)
            status = client.pipeline_status("nightly")
            runs = client.list_runs("nightly", page=1, page_size=10)
            seen[spelling, shape] = (status, runs, runs[0], client.get_run("nightly", run_id))
            assert status.shape == shape
            assert {run.spelling for run in (*runs, client.get_run("nightly", run_id))} == {spelling}
            assert status.latest_run is not None and status.latest_run.spelling == spelling
    runs_seen = {(status.latest_run, listed, single) for status, _, listed, single in seen.values()}
    assert len(runs_seen) == 1  # the same Run, whichever spelling served it
    (latest, listed, single), = runs_seen
    assert latest == listed == single
    assert (single.run_id, single.pipeline_id, single.state) == (run_id, "nightly", "triggered")
    assert single.run_type == "manual"
    assert {status.active for status, *_ in seen.values()} == {True}
    assert all(status.running for status, *_ in seen.values())


def test_a_new_pipeline_s_status_is_not_ready_for_a_while(
    client: WarehouseSyncClient, emulator: EmulatorHandle
) -> None:
    emulator.control.set_switches(new_pipeline_status_404_seconds=60)
    on_demand_pipeline(client, emulator)
    with pytest.raises(StatusNotReadyError, match="about a minute after a pipeline is created"):
        client.pipeline_status("nightly")
    with pytest.raises(StatusNotReadyError):
        client.list_runs("nightly")
    with pytest.raises(NotFoundError) as caught:
        client.pipeline_status("gone")
    assert not isinstance(caught.value, StatusNotReadyError)
    emulator.control.advance_clock(61)
    assert client.pipeline_status("nightly").latest_run is None


def test_a_lost_trigger_while_the_status_is_not_ready_is_not_repeated(
    client: WarehouseSyncClient, emulator: EmulatorHandle
) -> None:
    emulator.control.set_switches(new_pipeline_status_404_seconds=60)
    on_demand_pipeline(client, emulator)
    emulator.control.add_fault("apply_then_error", method="POST", path_regex="/trigger$", count=1)
    with pytest.raises(StatusNotReadyError, match="the trigger's answer was lost, so it may have started a run"):
        client.trigger("nightly")  # the status cannot say whether the lost POST started a run
    assert emulator.control.count("POST", wire.PIPELINES) == 1
    emulator.control.advance_clock(61)
    latest = client.pipeline_status("nightly").latest_run
    assert latest is not None and latest.run_id == 1


def test_iter_runs_pages_through_the_emulator(client: WarehouseSyncClient, emulator: EmulatorHandle) -> None:
    on_demand_pipeline(client, emulator)
    for _ in range(5):
        client.trigger("nightly")
        finish_the_run(emulator)
    emulator.control.clear_log()
    assert [run.run_id for run in client.iter_runs("nightly", page_size=2)] == [5, 4, 3, 2, 1]
    assert [record.query for record in emulator.control.requests() if record.collection == wire.PIPELINES] == [
        f"{wire.RUNS_PAGE_PARAM}={page}&{wire.RUNS_PAGE_SIZE_PARAM}=2" for page in (1, 2, 3)
    ]
