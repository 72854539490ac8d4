"""``mparticle-wsync check-api`` against the emulator, and its shape checks against crafted answers."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from pulumi_mparticle_wsync import check_api, cli, wire
from pulumi_mparticle_wsync.client import ClientSettings, WarehouseSyncClient
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

CONNECTION: dict[str, Any] = {
    wire.ID: "warehouse",
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
        "password": "pw-check-api-secret",
        "storage_integration": "mp_us1_1_2_s3",
    },
}
DATA_MODEL: dict[str, Any] = {
    wire.ID: "users",
    wire.NAME: "Users",
    'type': 'sql',
    wire.STATE: "active",
    'config': {'sql_query': "SELECT email, plan FROM users"},
}
TRANSFORMATION: dict[str, Any] = {
    wire.ID: "events-map",
    wire.NAME: "Event mapping",
    'destination_type': 'event_batch',
    'mappings': [
        {
            'mapping_type': "column",
            'source': "id",
            'destination': "events[].data.id",
        },
        {'mapping_type': "ignore", 'source': "internal"},
    ],
}
PIPELINE: dict[str, Any] = {
    wire.ID: "nightly",
    wire.NAME: "Nightly",
    'pipeline_type': "events",
    'connection_id': "warehouse",
    'data_model_id': "users",
    'field_transformation_id': "events-map",
    'partner_feed_key': "feed-key-check-api-secret",
    wire.STATE: "active",
    'sync_mode': {
        'type': "incremental",
        'iterator_field': "updated_at",
        'iterator_data_type': "timestamp",
    },
    'schedule': {
        'type': 'interval',
        'frequency': "daily",
        'start': "2024-01-01T00:15:00Z",
    },
    'environment': "production",
}


def seed_workspace(emulator: EmulatorHandle) -> None:
    control, workspace = emulator.control, emulator.workspace_id
    for collection, body in (
        (wire.CONNECTIONS, CONNECTION),
        (wire.DATA_MODELS, DATA_MODEL),
        (wire.FIELD_TRANSFORMATIONS, TRANSFORMATION),
        (wire.PIPELINES, PIPELINE),
    ):
        control.seed_object(workspace, collection, body)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    check_api.configure_parser(parser)
    return parser.parse_args(argv)


def run_check(emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch, *extra: str) -> tuple[int, str, str]:
    monkeypatch.setenv("MPARTICLE_CLIENT_SECRET", emulator.client_secret)
    monkeypatch.setenv("MPARTICLE_MAX_ATTEMPTS", "1")
    args = parse(
        [
            "--workspace-id",
            emulator.workspace_id,
            "--api-url",
            emulator.url,
            "--auth-url",
            emulator.url,
            "--client-id",
            emulator.client_id,
            *extra,
        ]
    )
    out, err = io.StringIO(), io.StringIO()
    code = check_api.run(args, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


# --- against the emulator ------------------------------------------------------------------------


def test_a_matching_workspace_with_omitted_secrets(
    emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator.control.set_switches(secret_mode=wire.SECRET_MODE_OMIT, provider_case=wire.PROVIDER_CASE_LOWER)
    seed_workspace(emulator)
    code, out, err = run_check(emulator, monkeypatch)
    assert (code, err) == (0, "")
    assert "connections: 1 object read, as expected" in out
    assert "pipelines: 1 object read, as expected" in out
    assert "secrets: omitted from answers (v2 behaviour)" in out
    assert "service_provider case: lower-case" in out
    assert "Result: everything matches wire.py." in out
    assert "pw-check-api-secret" not in out


def test_a_matching_workspace_with_masked_secrets_and_capitalised_providers(
    emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator.control.set_switches(
        secret_mode=wire.SECRET_MODE_MASK, provider_case=wire.PROVIDER_CASE_CAPITALISED
    )
    seed_workspace(emulator)
    code, out, _ = run_check(emulator, monkeypatch, "--json")
    report = json.loads(out)
    assert code == 0
    assert report["ok"] is True
    assert report["differences"] == []
    assert report["object_counts"] == {collection: 1 for collection in wire.COLLECTIONS}
    assert report["observed"]["secret_mode"] == wire.SECRET_MODE_MASK
    assert report["observed"]["secret_fields"] == {"masked": 2}  # the password and the feed key
    assert report["observed"]["provider_case"] == wire.PROVIDER_CASE_CAPITALISED
    assert set(report["observed"]["list_shapes"].values()) == {"bare array"}


def test_an_object_edited_out_of_band_is_reported(
    emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_workspace(emulator)
    workspace = emulator.workspace_id
    emulator.control.edit_object(
        workspace, wire.CONNECTIONS, "warehouse", {"surprise_field": 1, wire.STATE: "archived"}
    )
    emulator.control.edit_object(
        workspace, wire.PIPELINES, "nightly", {'schedule': {'frequency': "yearly"}}
    )
    code, out, _ = run_check(emulator, monkeypatch)
    assert code == 1
    assert "connections: 1 object read, 2 differences" in out
    assert "  - connections warehouse: surprise_field: unknown key (wire.py does not know it)" in out
    assert '  - connections warehouse: state: "archived" is not one of active, inactive, new' in out
    assert (
        '  - pipelines nightly: schedule.frequency: "yearly" is not one of hourly, daily, weekly, monthly'
        in out
    )
    assert "Result: 3 differences from wire.py." in out

    code, out, _ = run_check(emulator, monkeypatch, "--json")
    report = json.loads(out)
    assert code == 1
    assert {
        "where": "connections",
        "id": "warehouse",
        "field": "surprise_field",
        "problem": "unknown key (wire.py does not know it)",
    } in report["differences"]


def test_pipeline_status_and_runs_are_checked_too(
    emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_workspace(emulator)
    code, _, _ = run_check(emulator, monkeypatch)
    assert code == 0
    requests = [record for record in emulator.control.requests() if record.collection != "token"]
    base = f"/platform/v2/workspaces/{emulator.workspace_id}/{wire.PIPELINES}/nightly"
    assert {f"{base}/{wire.STATUS}", f"{base}/{wire.RUNS}"} <= {record.path for record in requests}
    # The trigger path is asked with GET and OPTIONS only: nothing is written, no run is started.
    assert {(record.method, record.path) for record in requests if record.method != "GET"} == {("OPTIONS", base)}
    assert ("GET", f"{base}/{wire.TRIGGER}") in {(record.method, record.path) for record in requests}
    assert emulator.control.count("POST", wire.PIPELINES) == 0


def trigger_a_run(emulator: EmulatorHandle) -> None:
    """Seed an on-demand pipeline and start a run of it, so the workspace serves runs."""
    on_demand = {**PIPELINE, wire.ID: "adhoc", 'schedule': {'type': 'on_demand', 'start': "2024-01-01T00:15:00Z"}}
    emulator.control.seed_object(emulator.workspace_id, wire.PIPELINES, on_demand)
    settings = ClientSettings(
        emulator.client_id, emulator.client_secret, emulator.workspace_id, api_url=emulator.url, auth_url=emulator.url
    )
    with WarehouseSyncClient(settings) as client:
        client.trigger("adhoc")


@pytest.mark.parametrize(
    ("switches", "expected"),
    [
        (
            {},
            [
                "  trigger path: POST /pipelines/{id}/trigger [asked on pipeline nightly, without triggering a run]",
                "      /pipelines/{id}/trigger: takes POST (GET answered 405, Allow: POST)",
                "      /pipelines/{id}: no POST route (OPTIONS answered 405, Allow: GET, PUT, DELETE)",
                "      -> wire.TRIGGER_PATHS tries it first: nothing to change in wire.py",
                "  run spelling: v1 (id, pipeline_run_state) [2 served runs]: wire.RUN_PIPELINE_ID and wire.RUN_STATE "
                "are right and read first: nothing to change in wire.py",
                "  status shape: v1 (is_* flags) [2 answers]: wire.STATUS_FLAGS are right: nothing to change in "
                "wire.py",
                '  runs pages: "items" envelope [2 pages]: the client reads both shapes, nothing to change',
            ],
        ),
        (
            {
                "trigger_path": wire.TRIGGER_PATH_BARE,
                "run_spelling": wire.RUN_SPELLING_GUESS,
                "status_shape": wire.STATUS_SHAPE_GUESS,
            },
            [
                "  trigger path: POST /pipelines/{id} (no /trigger) [asked on pipeline nightly, without triggering "
                "a run]",
                "      /pipelines/{id}/trigger: no POST route (GET answered 404 although the pipeline exists)",
                "      /pipelines/{id}: takes POST (OPTIONS answered 405, Allow: GET, PUT, DELETE, POST)",
                "      -> the client finds it after one refused POST per process; to go straight to it, put "
                "wire.TRIGGER_BARE first in wire.TRIGGER_PATHS (and mark the path [C] in the spec's §7)",
                "  run spelling: the guess (pipeline_id, status) [2 served runs]: the client reads it "
                "(wire.RUN_PIPELINE_ID_GUESS, wire.RUN_STATE_GUESS), so nothing must change in wire.py; the spec's "
                "§7 should say so, and the emulator should serve it by default (switch run_spelling)",
                "  status shape: the guess (status, state) [2 answers]: the client reads it, so nothing must change in "
                "wire.py; the spec's §7 should say so (emulator switch status_shape)",
            ],
        ),
    ],
)
def test_the_run_choices_the_emulator_is_switched_to_are_reported(
    emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch, switches: dict[str, Any], expected: list[str]
) -> None:
    emulator.control.set_switches(**switches)
    seed_workspace(emulator)
    trigger_a_run(emulator)
    posts = emulator.control.count("POST", wire.PIPELINES)
    code, out, err = run_check(emulator, monkeypatch)
    assert (code, err) == (0, "")
    for line in expected:
        assert line + "\n" in out
    assert emulator.control.count("POST", wire.PIPELINES) == posts  # check-api triggered nothing

    code, out, _ = run_check(emulator, monkeypatch, "--json")
    observed = json.loads(out)["observed"]
    spelling = switches.get("run_spelling", wire.RUN_SPELLING_V1)
    assert observed["run_spellings"] == {spelling: 2}
    assert observed["status_shapes"] == {switches.get("status_shape", wire.STATUS_SHAPE_V1): 2}
    assert observed["trigger_path"]["verdict"] == ("bare" if switches else "trigger")


def test_a_new_pipeline_s_status_404_is_reported_as_possibly_too_new(
    emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator.control.set_switches(new_pipeline_status_404_seconds=60)
    seed_workspace(emulator)
    code, out, _ = run_check(emulator, monkeypatch)
    assert code == 1
    assert "the path may be wrong [wire.STATUS], or the pipeline is less than a minute old" in out
    assert "the path may be wrong [wire.RUNS], or the pipeline is less than a minute old" in out
    emulator.control.advance_clock(61)
    assert run_check(emulator, monkeypatch)[0] == 0


def test_an_empty_workspace_matches_and_says_nothing_was_observed(
    emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run_check(emulator, monkeypatch)
    assert code == 0
    assert "secrets: not observed" in out
    assert "service_provider case: not observed" in out
    assert "trigger path: not probed (no pipeline in this workspace to ask about)" in out
    assert "run spelling: not observed (no run in this workspace: trigger one, then check again)" in out
    assert "status shape: not observed" in out


def test_a_refused_credential_exits_2(emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run_check(emulator, monkeypatch, "--client-id", "someone-else")
    assert code == 2
    assert out == ""
    assert err.startswith("check-api: POST /oauth/token -> 401")
    assert "mparticle:clientSecret" in err
    assert emulator.client_secret not in err


def test_the_secret_can_come_from_a_file(
    emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text(emulator.client_secret + "\n")
    monkeypatch.delenv("MPARTICLE_CLIENT_SECRET", raising=False)
    args = parse(
        [
            "--workspace-id",
            emulator.workspace_id,
            "--api-url",
            emulator.url,
            "--auth-url",
            emulator.url,
            "--client-id",
            emulator.client_id,
            "--client-secret-file",
            str(secret_file),
        ]
    )
    assert check_api.run(args, out=io.StringIO(), err=io.StringIO()) == 0


@pytest.mark.parametrize("argv", [["--client-secret", "s3cret-on-argv"], ["--client-secret=s3cret-on-argv"]])
def test_the_secret_is_never_an_argument(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        parse(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "MPARTICLE_CLIENT_SECRET" in err
    assert "s3cret-on-argv" not in err


def test_options_are_not_abbreviated() -> None:
    # Otherwise "--client-sec VALUE" would silently become --client-secret-file VALUE.
    with pytest.raises(SystemExit):
        parse(["--client-secret-f", "/tmp/x"])


def test_through_the_cli_entry_point(
    emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_workspace(emulator)
    monkeypatch.setenv("MPARTICLE_CLIENT_ID", emulator.client_id)
    monkeypatch.setenv("MPARTICLE_CLIENT_SECRET", emulator.client_secret)
    monkeypatch.setenv("MPARTICLE_WORKSPACE_ID", emulator.workspace_id)
    monkeypatch.setenv("MPARTICLE_API_URL", emulator.url)
    monkeypatch.setenv("MPARTICLE_AUTH_URL", emulator.url)
    assert cli.main(["check-api"]) == 0
    assert "everything matches" in capsys.readouterr().out


# --- errors before any request ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (
            ["--client-id", "a"],
            {"MPARTICLE_CLIENT_SECRET": "s"},
            "no workspace to check: pass --workspace-id",
        ),
        (["--workspace-id", "1"], {"MPARTICLE_CLIENT_SECRET": "s"}, "mparticle:clientId is not set"),
        (["--workspace-id", "1", "--client-id", "a"], {}, "MPARTICLE_CLIENT_SECRET"),
        (
            ["--workspace-id", "1", "--client-id", "a", "--api-url", "http://example.com"],
            {"MPARTICLE_CLIENT_SECRET": "s"},
            "mparticle:apiUrl must use https://",
        ),
        (
            ["--workspace-id", "1", "--client-id", "a", "--client-secret-file", "/nonexistent/secret"],
            {},
            "cannot read --client-secret-file '/nonexistent/secret'",
        ),
    ],
)
def test_configuration_problems_exit_2_with_the_fix(
    argv: list[str], env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in (
        "MPARTICLE_CLIENT_ID",
        "MPARTICLE_CLIENT_SECRET",
        "MPARTICLE_WORKSPACE_ID",
        "MPARTICLE_API_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    err = io.StringIO()
    assert check_api.run(parse(argv), out=io.StringIO(), err=err) == 2
    assert expected in err.getvalue()


def test_an_unreachable_api_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPARTICLE_CLIENT_SECRET", "s")
    monkeypatch.setenv("MPARTICLE_MAX_ATTEMPTS", "1")
    url = "http://127.0.0.1:9"  # discard port: nothing listens there
    err = io.StringIO()
    code = check_api.run(
        parse(["--workspace-id", "1", "--client-id", "a", "--api-url", url, "--auth-url", url]),
        out=io.StringIO(),
        err=err,
    )
    assert code == 2
    assert err.getvalue().startswith("check-api: POST /oauth/token failed: ConnectError")


# --- shape checks against crafted answers ---------------------------------------------------------


def audit(
    answers: dict[str, Any], probes: dict[str, httpx.Response] | None = None, log: list[str] | None = None
) -> check_api.Report:
    """Audit a fake workspace whose GET answers are ``answers`` keyed by path after the workspace, and
    whose answers to other methods are ``probes`` keyed by ``"METHOD path"`` (404 if not there);
    ``log`` collects ``"METHOD path"`` of every API request."""
    prefix = "/platform/v2/workspaces/7/"

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == wire.TOKEN_PATH:
            return httpx.Response(
                200, json={wire.TOKEN_ACCESS_TOKEN: "tok-123456", wire.TOKEN_EXPIRES_IN: 3600}
            )
        key = request.url.path.removeprefix(prefix)
        assert request.method in ("GET", "OPTIONS"), request  # check-api only reads
        if log is not None:
            log.append(f"{request.method} {key}")
        if f"{request.method} {key}" in (probes or {}):
            return (probes or {})[f"{request.method} {key}"]
        if request.method != "GET" or key not in answers:
            return httpx.Response(404, json={"statusCode": 404, "errors": [{"message": "Not Found"}]})
        return httpx.Response(200, json=answers[key])

    settings = ClientSettings("id", "secret", "7", api_url="https://api.test", auth_url="https://auth.test")
    with WarehouseSyncClient(settings, httpx.MockTransport(handle)) as client:
        return check_api.audit_workspace(client, "7")


def served(body: dict[str, Any], **changes: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(json.dumps(body))
    answer.update(
        {
            wire.STATUS_FIELD: "healthy",
            wire.ERRORS: [],
            wire.CREATED_ON: "2024-05-01T10:00:00.000Z",
            wire.CREATED_BY: "a@example.com",
            wire.LAST_MODIFIED_ON: None,
            wire.LAST_MODIFIED_BY: None,
        }
    )
    answer.update(changes)
    return answer


def empty_lists() -> dict[str, Any]:
    return {collection: [] for collection in wire.COLLECTIONS}


def lines(report: check_api.Report) -> list[str]:
    return [difference.line() for difference in report.differences]


def snowflake_served(**changes: Any) -> dict[str, Any]:
    connection = served(CONNECTION, **changes)
    del connection['config']["password"]
    connection['config'].update({"aws_iam_user_arn": "arn:aws:iam::1:user/x", "aws_external_id": "e"})
    return connection


def test_crafted_matching_connection() -> None:
    report = audit({**empty_lists(), wire.CONNECTIONS: [snowflake_served()]})
    assert lines(report) == []
    assert report.secret_mode() == wire.SECRET_MODE_OMIT


def test_secret_in_clear_text_wrong_types_and_timestamp_format() -> None:
    connection = snowflake_served(**{wire.CREATED_ON: "2024-05-01T10:00:00Z", wire.NAME: 5})
    connection['config']["password"] = "plain"
    connection['config']["database"] = None
    del connection['config']["aws_external_id"]
    connection[wire.ERRORS] = [{"message": 3}]
    report = audit({**empty_lists(), wire.CONNECTIONS: [connection]})
    assert sorted(lines(report)) == sorted(
        [
            "connections warehouse: name: expected a string, got a number",
            "connections warehouse: errors[0].message: expected a string, got a number",
            'connections warehouse: created_on: "2024-05-01T10:00:00Z" is not in the expected format '
            "YYYY-MM-DDThh:mm:ss.sssZ (UTC with milliseconds)",
            "connections warehouse: config.password: a secret is served in clear text "
            "(expected it omitted or masked)",
            "connections warehouse: config.database: is null, expected a value",
            "connections warehouse: config.aws_external_id: missing",
        ]
    )
    assert "plain" not in json.dumps(report.as_json())


def test_unknown_provider_and_odd_casing() -> None:
    report = audit(
        {
            **empty_lists(),
            wire.CONNECTIONS: [
                snowflake_served(**{wire.SERVICE_PROVIDER: "SNOWFLAKE"}),
                snowflake_served(**{wire.ID: "other", wire.SERVICE_PROVIDER: "oracle"}),
            ],
        }
    )
    assert lines(report) == [
        'connections other: service_provider: "oracle" is not one of snowflake, bigquery, redshift, '
        "databricks (in any case)"
    ]
    assert report.provider_case() == "other"


def test_list_envelopes_and_missing_collection_paths_are_differences() -> None:
    report = audit(
        {
            wire.CONNECTIONS: {"items": [snowflake_served()]},
            wire.DATA_MODELS: [],
            wire.PIPELINES: [],
        }
    )
    assert report.object_counts[wire.CONNECTIONS] == 1
    assert lines(report) == [
        'connections: the list is wrapped in {"items": [...]}, expected a bare array',
        "transformations: listing answered 404 (GET /platform/v2/workspaces/7/transformations -> 404: "
        "Not Found): the collection path may be wrong",
    ]


def served_pipeline() -> dict[str, Any]:
    pipeline = served(PIPELINE, **{'partner_feed_id': 12})
    del pipeline['partner_feed_key']
    return pipeline


V1_RUN: dict[str, Any] = json.loads(
    """{"pipeline_run_id": 3, "id": "nightly", "workspace_id": 7, "logical_date": "2024-05-01T10:00:00.000Z",
        "start_date": "2024-05-01T10:00:00.000Z", "end_date": null, "data_interval_start": "2024-04-30T10:00:00.000Z",
        "data_interval_end": "2024-05-01T10:00:00.000Z", "pipeline_run_type": "manual",
        "pipeline_run_state": "running", "is_externally_triggered": true, "records_extracted": "12",
        "records_mapped": null, "event_batches_generated": null, "errors": [],
        "created_on": "2024-05-01T10:00:00.000Z", "created_by": null, "last_modified_on": null,
        "last_modified_by": null}"""
)
V1_STATUS: dict[str, Any] = {
    "pipeline_id": "nightly",
    "workspace_id": 7,
    "is_active": True,
    "is_faulted": False,
    "is_connection_active": True,
    "is_connection_faulted": False,
    "latest_pipeline_run": V1_RUN,
}
STATUS_PATH = f"{wire.PIPELINES}/nightly/{wire.STATUS}"
RUNS_PATH = f"{wire.PIPELINES}/nightly/{wire.RUNS}"


def runs_audit(status: Any, page: Any, probes: dict[str, httpx.Response] | None = None) -> check_api.Report:
    return audit({**empty_lists(), wire.PIPELINES: [served_pipeline()], STATUS_PATH: status, RUNS_PATH: page}, probes)


def test_v1_runs_and_status_match_and_are_reported_as_v1() -> None:
    report = runs_audit(V1_STATUS, {"items": [V1_RUN]})
    assert lines(report) == []
    observed = report.as_json()["observed"]
    assert observed["run_spellings"] == {"v1": 2}  # the latest run of the status, and the page's
    assert observed["status_shapes"] == {"v1": 1}
    assert observed["runs_pages"] == {'"items" envelope': 1}
    text = check_api.format_report(report)
    assert "run spelling: v1 (id, pipeline_run_state) [2 served runs]: wire.RUN_PIPELINE_ID and wire.RUN_STATE " in text
    assert "status shape: v1 (is_* flags) [1 answer]: wire.STATUS_FLAGS are right" in text


def test_guessed_runs_and_status_match_and_are_reported_as_the_guess() -> None:
    run = {**V1_RUN, "pipeline_id": "nightly", "status": "success"}
    del run["id"], run["pipeline_run_state"], run["workspace_id"]
    status = {"pipeline_id": "nightly", "status": "healthy", "state": "paused", "latest_pipeline_run": run}
    report = runs_audit(status, [run])
    assert lines(report) == []
    observed = report.as_json()["observed"]
    assert (observed["run_spellings"], observed["status_shapes"]) == ({"guess": 2}, {"guess": 1})
    assert observed["runs_pages"] == {"bare array": 1}
    text = check_api.format_report(report)
    assert "run spelling: the guess (pipeline_id, status) [2 served runs]: the client reads it" in text
    assert "status shape: the guess (status, state) [1 answer]: the client reads it" in text
    assert "runs pages: bare array [1 page]: the client reads both shapes" in text


def test_run_answers_are_checked() -> None:
    run = {
        wire.PIPELINE_RUN_ID: "1",
        wire.RUN_PIPELINE_ID_GUESS: "nightly",
        wire.PIPELINE_RUN_TYPE: "manual",
        wire.RUN_STATE_GUESS: "exploded",
        wire.RUN_START_DATE: "yesterday",
        wire.RUN_RECORDS_MAPPED: "many",
    }
    status = {
        wire.PIPELINE_ID: "nightly",
        wire.STATUS_STATUS_GUESS: "healthy",
        wire.STATUS_STATE_GUESS: "active",
        wire.LATEST_PIPELINE_RUN: None,
    }
    report = runs_audit(status, {wire.RUNS_ITEMS: [run]})
    assert lines(report) == [
        "pipelines/nightly/status/runs: items[0].pipeline_run_id: expected an integer, got a string "
        "[wire.PIPELINE_RUN_ID]",
        'pipelines/nightly/status/runs: items[0].start_date: "yesterday" is not an ISO 8601 timestamp '
        "with a time zone",
        'pipelines/nightly/status/runs: items[0].records_mapped: expected an integer, got a string',
        'pipelines/nightly/status/runs: items[0].status: "exploded" is not one of triggered, queued, '
        "running, dataset_triggered, success, failed [wire.RUN_STATES]",
    ]
    assert report.secret_mode() is None  # an absent feed key proves nothing: it may never have been sent
    assert "the constant in [brackets]" in check_api.format_report(report)


def test_a_run_that_mixes_the_spellings_or_has_neither() -> None:
    mixed = {**V1_RUN, "status": "running"}
    del mixed["pipeline_run_state"]
    neither = {**V1_RUN, "run_state": "running", "pipeline": "nightly"}
    del neither["pipeline_run_state"], neither["id"]
    report = runs_audit({**V1_STATUS, "latest_pipeline_run": mixed}, {"items": [neither]})
    assert lines(report) == [
        "pipelines/nightly/status: latest_pipeline_run: the run mixes the v1 spelling (id, pipeline_run_state) "
        "with the guessed one (pipeline_id, status): keys id, status [wire.RUN_PIPELINE_ID, wire.RUN_STATE]",
        "pipelines/nightly/status/runs: items[0]: the run has neither spelling's pipeline id and state "
        "(id/pipeline_run_state or pipeline_id/status): set them to the keys it uses "
        "[wire.RUN_PIPELINE_ID, wire.RUN_STATE]",
        "pipelines/nightly/status/runs: items[0].run_state: unknown key (wire.py does not know it)",
        "pipelines/nightly/status/runs: items[0].pipeline: unknown key (wire.py does not know it)",
    ]
    assert report.runs.run_spellings == {"mixed": 1, "neither": 1}
    assert "run spelling: mixed [1 mixed served run, 1 neither served run]" in check_api.format_report(report)


def test_a_status_answer_of_neither_shape_names_the_constants() -> None:
    report = runs_audit({"pipeline_id": "nightly", "health": "ok", "latest_pipeline_run": None}, {"items": []})
    assert lines(report) == [
        "pipelines/nightly/status: the status answer has neither v1's flags (is_active, is_faulted, "
        "is_connection_active, is_connection_faulted) nor the guessed status/state: set them to the keys it "
        "uses [wire.STATUS_FLAGS]",
        "pipelines/nightly/status: health: unknown key (wire.py does not know it)",
    ]


def test_a_v1_status_missing_a_flag_names_its_constant() -> None:
    status = dict(V1_STATUS)
    del status["is_connection_faulted"]
    status["is_faulted"] = "no"
    assert lines(runs_audit(status, {"items": []})) == [
        "pipelines/nightly/status: is_faulted: expected true or false, got a string [wire.STATUS_IS_FAULTED]",
        "pipelines/nightly/status: is_connection_faulted: missing [wire.STATUS_IS_CONNECTION_FAULTED]",
    ]


def test_a_status_404_may_be_a_new_pipeline() -> None:
    report = audit({**empty_lists(), wire.PIPELINES: [served_pipeline()], RUNS_PATH: {"items": []}})
    assert lines(report) == [
        "pipelines/nightly/status: answered 404 (GET /platform/v2/workspaces/7/pipelines/nightly/status -> 404: "
        "Not Found): the path may be wrong [wire.STATUS], or the pipeline is less than a minute old (mParticle "
        "answers 404 then: check again shortly)"
    ]


# --- the trigger path, found without triggering --------------------------------------------------


def answer(status: int, allow: str | None = None) -> httpx.Response:
    return httpx.Response(status, headers={"Allow": allow} if allow is not None else {})


TRIGGER_KEY = f"{wire.PIPELINES}/nightly/{wire.TRIGGER}"
BARE_KEY = f"{wire.PIPELINES}/nightly"


@pytest.mark.parametrize(
    ("probes", "verdict", "suffix", "bare"),
    [
        (
            {f"GET {TRIGGER_KEY}": answer(405, "POST"), f"OPTIONS {BARE_KEY}": answer(405, "GET, PUT, DELETE")},
            "trigger",
            "takes POST (GET answered 405, Allow: POST)",
            "no POST route (OPTIONS answered 405, Allow: GET, PUT, DELETE)",
        ),
        (
            {f"GET {TRIGGER_KEY}": answer(405), f"OPTIONS {BARE_KEY}": answer(200, "GET, POST, PUT")},
            "both",
            "takes POST (GET answered 405: the server knows the path)",
            "takes POST (OPTIONS answered 200, Allow: GET, POST, PUT)",
        ),
        (
            {f"OPTIONS {BARE_KEY}": answer(405, "GET, PUT, DELETE, POST")},
            "bare",
            "no POST route (GET answered 404 although the pipeline exists)",
            "takes POST (OPTIONS answered 405, Allow: GET, PUT, DELETE, POST)",
        ),
        (
            {},
            "probably bare",
            "no POST route (GET answered 404 although the pipeline exists)",
            "unknown (OPTIONS answered 404 without an Allow header naming its methods)",
        ),
        (
            {
                f"GET {TRIGGER_KEY}": answer(403),
                f"OPTIONS {TRIGGER_KEY}": answer(403),
                f"OPTIONS {BARE_KEY}": answer(403),
            },
            "unknown",
            "unknown (GET answered 403; OPTIONS answered 403)",
            "unknown (OPTIONS answered 403 without an Allow header naming its methods)",
        ),
        (
            {f"GET {TRIGGER_KEY}": answer(403), f"OPTIONS {TRIGGER_KEY}": answer(204, "OPTIONS, POST")},
            "trigger",
            "takes POST (GET answered 403; OPTIONS answered 204, Allow: OPTIONS, POST)",
            "unknown (OPTIONS answered 404 without an Allow header naming its methods)",
        ),
        (
            {f"OPTIONS {BARE_KEY}": answer(405, "GET, PUT, DELETE")},
            "neither",
            "no POST route (GET answered 404 although the pipeline exists)",
            "no POST route (OPTIONS answered 405, Allow: GET, PUT, DELETE)",
        ),
    ],
)
def test_the_trigger_path_is_asked_without_triggering(
    probes: dict[str, httpx.Response], verdict: str, suffix: str, bare: str
) -> None:
    report = runs_audit(V1_STATUS, {"items": [V1_RUN]}, probes)
    trigger = report.runs.trigger
    assert trigger is not None and trigger.pipeline_id == "nightly"
    assert trigger.verdict == verdict
    text = check_api.format_report(report)
    assert f"      /pipelines/{{id}}/trigger: {suffix}\n" in text
    assert f"      /pipelines/{{id}}: {bare}\n" in text
    assert report.as_json()["observed"]["trigger_path"]["verdict"] == verdict
    if verdict == "neither":
        assert lines(report) == [
            "pipelines/nightly/trigger: neither trigger path takes POST (GET answered 404 although the pipeline "
            "exists; OPTIONS answered 405, Allow: GET, PUT, DELETE): set wire.TRIGGER to the trigger route's "
            "last segment"
        ]
    else:
        assert lines(report) == []


@pytest.mark.parametrize(
    ("probes", "advice"),
    [
        (
            {f"GET {TRIGGER_KEY}": answer(405, "POST")},
            "-> wire.TRIGGER_PATHS tries it first: nothing to change in wire.py",
        ),
        (
            {f"OPTIONS {BARE_KEY}": answer(405, "GET, POST")},
            "-> the client finds it after one refused POST per process; to go straight to it, put "
            "wire.TRIGGER_BARE first in wire.TRIGGER_PATHS",
        ),
        ({}, "-> /trigger is absent and the client falls back to POST /pipelines/{id}; to confirm it, trigger one"),
        (
            {f"GET {TRIGGER_KEY}": answer(403), f"OPTIONS {TRIGGER_KEY}": answer(403)},
            "-> these probes cannot tell; to find out, trigger one run of an on-demand pipeline with the client "
            "and read TriggerAnswer.path (docs/check-api.md shows how)",
        ),
        (
            {f"OPTIONS {BARE_KEY}": answer(405, "GET")},
            "-> triggers will fail: find the trigger route in mParticle's v2 reference and set wire.TRIGGER",
        ),
    ],
)
def test_the_trigger_verdict_says_what_to_change(probes: dict[str, httpx.Response], advice: str) -> None:
    assert advice in check_api.format_report(runs_audit(V1_STATUS, {"items": []}, probes))


def test_only_the_first_pipeline_is_asked_and_an_empty_workspace_is_not() -> None:
    second = served(PIPELINE, **{wire.ID: "other", 'partner_feed_id': 1})
    del second['partner_feed_key']
    log: list[str] = []
    report = audit({**empty_lists(), wire.PIPELINES: [served_pipeline(), second]}, log=log)
    assert report.runs.trigger is not None and report.runs.trigger.pipeline_id == "nightly"
    assert [entry for entry in log if entry.endswith("/trigger") or entry.startswith("OPTIONS")] == [
        f"GET {TRIGGER_KEY}",
        f"OPTIONS {BARE_KEY}",
    ]
    assert "trigger path: not probed (no pipeline in this workspace" in check_api.format_report(audit(empty_lists()))


def _shape(fields: Any) -> dict[str, Any]:
    """The expected shapes as plain data: kind, required, nullable, values, and what is inside."""
    return {
        key: [
            field.kind, field.required, field.nullable, list(field.values),
            _shape(field.fields) if field.fields else _shape(field.items.fields) if field.items and field.items.fields
            else None,
        ]
        for key, field in fields.items()
    }


def test_the_expected_shapes_come_from_the_schemas_literally() -> None:
    from pulumi_mparticle_wsync.check_api import EXPECTED

    audit = {
        "status": ["string", True, False, [], None],
        "errors": ["list", True, False, [], {"message": ["string", True, False, [], None]}],
        "created_on": ["server_timestamp", True, False, [], None],
        "created_by": ["string", True, False, [], None],
        "last_modified_on": ["server_timestamp", True, True, [], None],
        "last_modified_by": ["string", True, True, [], None],
    }
    assert _shape(EXPECTED["pipelines"]) == {
        "id": ["string", True, False, [], None],
        "name": ["string", True, False, [], None],
        "pipeline_type": ["enum", True, False, ["user_attributes", "events"], None],
        "connection_id": ["string", True, False, [], None],
        "data_model_id": ["string", True, False, [], None],
        "field_transformation_id": ["string", False, True, [], None],
        "partner_feed_id": ["integer", True, False, [], None],
        "partner_feed_key": ["secret", False, False, [], None],
        "sync_mode": ["object", True, False, [], {
            "type": ["enum", True, False, ["full", "incremental"], None],
            "iterator_field": ["string", False, True, [], None],
            "iterator_data_type": ["enum", False, True, [
                "timestamp", "timestamp_ltz", "timestamp_ntz", "timestamp_tz", "datetime", "date",
                "timestamp_unixtime_ms", "timestamp_unixtime_s"], None],
            "from": ["timestamp", False, True, [], None],
            "until": ["timestamp", False, True, [], None],
        }],
        "schedule": ["object", True, False, [], {
            "type": ["enum", True, False, ["interval", "once", "on_demand"], None],
            "frequency": ["enum", False, True, ["hourly", "daily", "weekly", "monthly"], None],
            "start": ["timestamp", True, False, [], None],
            "end": ["timestamp", False, True, [], None],
        }],
        "environment": ["enum", True, False, ["development", "production"], None],
        "state": ["enum", True, False, ["active", "paused"], None],
        "data_plan_id": ["string", False, True, [], None],
        "data_plan_version": ["integer", False, True, [], None],
        **audit,
    }
    assert _shape(EXPECTED["data-models"]) == {
        "id": ["string", True, False, [], None],
        "type": ["enum", True, False, ["sql"], None],
        "name": ["string", True, False, [], None],
        "config": ["object", True, False, [], {"sql_query": ["string", True, False, [], None]}],
        "state": ["enum", True, False, ["active", "inactive"], None],
        **audit,
    }
    assert _shape(EXPECTED["transformations"]) == {
        "id": ["string", True, False, [], None],
        "destination_type": ["enum", True, False, ["event_batch"], None],
        "name": ["string", True, False, [], None],
        "mappings": ["list", True, False, [], {
            "mapping_type": ["enum", True, False, ["column", "static", "ignore"], None],
            "source": ["string", False, True, [], None],
            "destination": ["string", False, True, [], None],
            "value": ["any", False, True, [], None],
        }],
        **audit,
    }
    assert _shape(EXPECTED["connections"]) == {
        "id": ["string", True, False, [], None],
        "name": ["string", True, False, [], None],
        "state": ["enum", True, False, ["active", "inactive", "new"], None],
        **audit,
        "status": ["enum", True, False, ["healthy", "faulted"], None],
        "service_provider": ["provider", True, False, [], None],
        "config": ["connection_config", True, False, [], None],
    }
