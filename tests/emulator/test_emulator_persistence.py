"""State in an SQLite ``--data`` file survives a restart; ``:memory:`` does not; bad files are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.control import EmulatorControl
from pulumi_mparticle_wsync.emulator.server import EmulatorServer
from pulumi_mparticle_wsync.emulator.settings import EmulatorSettings
from pulumi_mparticle_wsync.emulator.store import Store, StoreError

from .emulator_support import (
    ApiSession,
    connection,
    data_model,
    fast_http_client,
    on_demand_pipeline,
    pipeline,
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
        runs_before = api.request("GET", api.path(wire.PIPELINES, "od", wire.RUNS)).json()
        token = api.token

    with EmulatorServer(settings) as second, fast_http_client(second.url) as http:
        api = ApiSession(http, settings.client_id, settings.client_secret, "1001")
        assert snapshot(api) == before
        assert api.request("GET", api.path(wire.PIPELINES, "od", wire.RUNS)).json() == runs_before
        status = api.request("GET", api.path(wire.PIPELINES, "od", wire.STATUS)).json()
        assert status["latest_pipeline_run"]["pipeline_run_id"] == run_id
        assert status["latest_pipeline_run"]["pipeline_run_state"] == "success"  # 30 s later on the kept clock
        old_token = http.get(api.path(wire.CONNECTIONS), headers={"Authorization": f"Bearer {token}"})
        assert old_token.status_code == 200
        assert http.get("/_emulator/clock").json()["offset_seconds"] == 30


def test_restart_keeps_run_durations_next_runs_rows_and_the_schedule_mark(tmp_path: Path) -> None:
    settings = EmulatorSettings(port=0, data_path=str(tmp_path / "state.sqlite3"))
    hourly = pipeline("hourly", schedule={"type": "interval", "frequency": "hourly", "start": "2024-01-01T00:15:00Z"})
    with EmulatorServer(settings) as first, fast_http_client(first.url) as http:
        api = ApiSession(http, settings.client_id, settings.client_secret, "1001")
        api.seed_pipeline_dependencies()
        api.create_ok(wire.PIPELINES, on_demand_pipeline("od"))
        api.create_ok(wire.PIPELINES, hourly)
        control = EmulatorControl(first.url)
        control.set_run_durations(triggered=10, queued=20, running=30)
        control.set_next_run("1001", "od", "failed", "kept across the restart")
        control.set_data_model_rows("1001", "model-1", 777)
        control.advance_clock(3 * 3600)
        scheduled = api.request("GET", api.path(wire.PIPELINES, "hourly", wire.RUNS)).json()["items"]
        assert len(scheduled) == 3  # any three hours hold three hourly times
        control.close()

    with EmulatorServer(settings) as second, fast_http_client(second.url) as http:
        api = ApiSession(http, settings.client_id, settings.client_secret, "1001")
        control = EmulatorControl(second.url)
        assert control.run_durations() == {"triggered": 10.0, "queued": 20.0, "running": 30.0}
        # The mark of the last catch-up was kept: the same three runs, none created twice.
        assert api.request("GET", api.path(wire.PIPELINES, "hourly", wire.RUNS)).json() == {"items": scheduled}
        run_id = api.request("POST", api.path(wire.PIPELINES, "od", wire.TRIGGER)).json()["pipeline_run_id"]
        control.advance_clock(60)
        done = api.request("GET", api.path(wire.PIPELINES, "od", wire.RUNS, str(run_id))).json()
        assert (done["pipeline_run_state"], done["errors"], done["records_extracted"]) == (
            "failed",
            [{"message": "kept across the restart"}],
            777,
        )
        control.close()


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
