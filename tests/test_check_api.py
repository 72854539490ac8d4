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
    paths = {record.path for record in emulator.control.requests()}
    base = f"/platform/v2/workspaces/{emulator.workspace_id}/{wire.PIPELINES}/nightly"
    assert {f"{base}/{wire.STATUS}", f"{base}/{wire.RUNS}"} <= paths
    assert not any(
        record.method != "GET" for record in emulator.control.requests() if record.collection != "token"
    )


def test_an_empty_workspace_matches_and_says_nothing_was_observed(
    emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run_check(emulator, monkeypatch)
    assert code == 0
    assert "secrets: not observed" in out
    assert "service_provider case: not observed" in out


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


def audit(answers: dict[str, Any]) -> check_api.Report:
    """Audit a fake workspace whose GET answers are ``answers`` keyed by path after the workspace."""
    prefix = "/platform/v2/workspaces/7/"

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == wire.TOKEN_PATH:
            return httpx.Response(
                200, json={wire.TOKEN_ACCESS_TOKEN: "tok-123456", wire.TOKEN_EXPIRES_IN: 3600}
            )
        key = request.url.path.removeprefix(prefix)
        if key not in answers:
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


def test_run_answers_are_checked() -> None:
    pipeline = served(PIPELINE, **{'partner_feed_id': 12})
    del pipeline['partner_feed_key']
    run = {
        wire.PIPELINE_RUN_ID: "1",
        wire.PIPELINE_ID: "nightly",
        wire.PIPELINE_RUN_TYPE: "manual",
        wire.STATUS_FIELD: "exploded",
        wire.RUN_START_DATE: "yesterday",
    }
    report = audit(
        {
            **empty_lists(),
            wire.PIPELINES: [pipeline],
            f"{wire.PIPELINES}/nightly/{wire.STATUS}": {
                wire.PIPELINE_ID: "nightly",
                wire.STATUS_FIELD: "healthy",
                wire.STATE: "active",
                wire.LATEST_PIPELINE_RUN: None,
            },
            f"{wire.PIPELINES}/nightly/{wire.RUNS}": {wire.RUNS_ITEMS: [run]},
        }
    )
    assert lines(report) == [
        "pipelines/nightly/status/runs: items[0].pipeline_run_id: expected an integer, got a string",
        'pipelines/nightly/status/runs: items[0].start_date: "yesterday" is not an ISO 8601 timestamp '
        "with a time zone",
        'pipelines/nightly/status/runs: items[0].status: "exploded" is not one of triggered, queued, '
        "running, dataset_triggered, success, failed",
    ]
    assert report.secret_mode() is None  # an absent feed key proves nothing: it may never have been sent


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
