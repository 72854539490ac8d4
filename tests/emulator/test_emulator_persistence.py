"""State in an SQLite ``--data`` file survives a restart; ``:memory:`` does not; bad files are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.server import EmulatorServer
from pulumi_mparticle_wsync.emulator.settings import EmulatorSettings
from pulumi_mparticle_wsync.emulator.store import Store, StoreError

from .emulator_support import (
    ApiSession,
    connection,
    data_model,
    fast_http_client,
    on_demand_pipeline,
    transformation,
)


def snapshot(api: ApiSession) -> dict[str, object]:
    return {collection: api.list(collection).json() for collection in wire.COLLECTIONS}


def test_restart_keeps_every_object_run_token_and_the_clock(tmp_path: Path) -> None:
    settings = EmulatorSettings(port=0, data_path=str(tmp_path / "state.sqlite3"))
    with EmulatorServer(settings) as first, fast_http_client(first.url) as http:
        api = ApiSession(http, settings.client_id, settings.client_secret, "1001")
        api.create_ok(wire.CONNECTIONS, connection())
        api.create_ok(wire.DATA_MODELS, data_model())
        api.create_ok(wire.FIELD_TRANSFORMATIONS, transformation())
        api.create_ok(wire.PIPELINES, on_demand_pipeline("od"))
        api.replace(wire.DATA_MODELS, "model-1", data_model(name="Renamed"))
        run_id = api.request("POST", api.path(wire.PIPELINES, "od", wire.TRIGGER)).json()[wire.PIPELINE_RUN_ID]
        http.post("/_emulator/clock/advance", json={"seconds": 30})
        before = snapshot(api)
        token = api.token

    with EmulatorServer(settings) as second, fast_http_client(second.url) as http:
        api = ApiSession(http, settings.client_id, settings.client_secret, "1001")
        assert snapshot(api) == before
        status = api.request("GET", api.path(wire.PIPELINES, "od", wire.STATUS)).json()
        assert status[wire.LATEST_PIPELINE_RUN][wire.PIPELINE_RUN_ID] == run_id
        assert status[wire.LATEST_PIPELINE_RUN][wire.STATUS_FIELD] == "success"  # 30 s later on the kept clock
        old_token = http.get(api.path(wire.CONNECTIONS), headers={"Authorization": f"Bearer {token}"})
        assert old_token.status_code == 200
        assert http.get("/_emulator/clock").json()["offset_seconds"] == 30


def test_memory_state_is_per_server() -> None:
    with EmulatorServer() as first, fast_http_client(first.url) as http:
        api = ApiSession(http, first.settings.client_id, first.settings.client_secret, "1001")
        api.create_ok(wire.DATA_MODELS, data_model())
    with EmulatorServer() as second, fast_http_client(second.url) as http:
        api = ApiSession(http, second.settings.client_id, second.settings.client_secret, "1001")
        assert api.list(wire.DATA_MODELS).json() == []


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("this is not a database\n" * 100)
    with pytest.raises(StoreError, match="is not a usable SQLite data file"):
        Store(str(bogus))


def test_a_file_from_another_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    store = Store(str(path))
    store._db.execute("PRAGMA user_version = 99")
    store.close()
    with pytest.raises(StoreError, match="incompatible emulator"):
        Store(str(path))
