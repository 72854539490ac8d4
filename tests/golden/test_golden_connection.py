"""Connection: the literal bodies of create (POST) and update (PUT), what ``read`` makes of a
literal served body, and what the emulator serves on GET."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .conftest import Providers, serving
from .support import (
    LiteralApi,
    RecordingTransport,
    assert_json,
    emulator_get,
    logged,
    normalise_timestamps,
    props,
)

SNOWFLAKE: dict[str, Any] = {
    "account_identifier": "ab12345.us-east-1",
    "region": "us-central1.gcp",
    "warehouse": "COMPUTE_WH",
    "database": "ANALYTICS",
    "role": "MPARTICLE_ROLE",
    "user": "MP_SYNC",
    "password": "golden-sf-password",
    "storage_integration": "mp_us1_123_456_s3",
}
SNOWFLAKE_WITH_AWS: dict[str, Any] = {
    **SNOWFLAKE,
    "aws_iam_user_arn": "arn:aws:iam::111122223333:user/golden-sync",
    "aws_external_id": "golden-external-id-0001",
}
BIGQUERY: dict[str, Any] = {
    "region": "us-east4",
    "project_id": "acme-analytics",
    "dataset_id": "crm",
    "service_account_id": "mp-sync@acme-analytics.iam.gserviceaccount.com",
    "service_account_key": '{"type": "service_account", "private_key": "golden-bq-key"}',
}
REDSHIFT: dict[str, Any] = {
    "host": "cluster.abc.us-east-1.redshift.amazonaws.com",
    "database": "dev",
    "user": "mp_sync",
    "password": "golden-rs-password",
    "aws_iam_role_arn": "arn:aws:iam::123456789012:role/mparticle-redshift",
}
DATABRICKS: dict[str, Any] = {"provider": "acme_share_provider", "catalog": "main", "schema": "crm"}

SECRETS = ("golden-sf-password", "golden-sf-rotated", "golden-bq-key", "golden-rs-password")

# Each case: (id, inputs, changed inputs, expected POST body, expected PUT body). Numbers in
# inputs are floats, as the engine hands them over.
CASES: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    (
        "snowflake-server-filled-omitted-no-state",
        {"name": "Snowflake warehouse", "resource_id": "golden-sf", "snowflake": SNOWFLAKE},
        {"name": "Snowflake warehouse (renamed)", "resource_id": "golden-sf", "snowflake": SNOWFLAKE},
        {
            "id": "golden-sf",
            "name": "Snowflake warehouse",
            "service_provider": "snowflake",
            "config": {
                "account_identifier": "ab12345.us-east-1",
                "region": "us-central1.gcp",
                "warehouse": "COMPUTE_WH",
                "database": "ANALYTICS",
                "role": "MPARTICLE_ROLE",
                "user": "MP_SYNC",
                "password": "golden-sf-password",
                "storage_integration": "mp_us1_123_456_s3",
            },
        },
        {
            "id": "golden-sf",
            "name": "Snowflake warehouse (renamed)",
            "service_provider": "snowflake",
            "config": {
                "account_identifier": "ab12345.us-east-1",
                "region": "us-central1.gcp",
                "warehouse": "COMPUTE_WH",
                "database": "ANALYTICS",
                "role": "MPARTICLE_ROLE",
                "user": "MP_SYNC",
                "password": "golden-sf-password",
                "storage_integration": "mp_us1_123_456_s3",
            },
        },
    ),
    (
        "snowflake-server-filled-given-state",
        {"name": "Snowflake AWS", "resource_id": "golden-sf-aws", "state": "inactive", "snowflake": SNOWFLAKE_WITH_AWS},
        {
            "name": "Snowflake AWS",
            "resource_id": "golden-sf-aws",
            "state": "inactive",
            "snowflake": {**SNOWFLAKE_WITH_AWS, "password": "golden-sf-rotated"},
        },
        {
            "id": "golden-sf-aws",
            "name": "Snowflake AWS",
            "service_provider": "snowflake",
            "config": {
                "account_identifier": "ab12345.us-east-1",
                "region": "us-central1.gcp",
                "warehouse": "COMPUTE_WH",
                "database": "ANALYTICS",
                "role": "MPARTICLE_ROLE",
                "user": "MP_SYNC",
                "password": "golden-sf-password",
                "storage_integration": "mp_us1_123_456_s3",
                "aws_iam_user_arn": "arn:aws:iam::111122223333:user/golden-sync",
                "aws_external_id": "golden-external-id-0001",
            },
            "state": "inactive",
        },
        {
            "id": "golden-sf-aws",
            "name": "Snowflake AWS",
            "service_provider": "snowflake",
            "config": {
                "account_identifier": "ab12345.us-east-1",
                "region": "us-central1.gcp",
                "warehouse": "COMPUTE_WH",
                "database": "ANALYTICS",
                "role": "MPARTICLE_ROLE",
                "user": "MP_SYNC",
                "password": "golden-sf-rotated",
                "storage_integration": "mp_us1_123_456_s3",
                "aws_iam_user_arn": "arn:aws:iam::111122223333:user/golden-sync",
                "aws_external_id": "golden-external-id-0001",
            },
            "state": "inactive",
        },
    ),
    (
        "bigquery-state",
        {"name": "BigQuery", "resource_id": "golden-bq", "state": "active", "bigquery": BIGQUERY},
        {
            "name": "BigQuery",
            "resource_id": "golden-bq",
            "state": "active",
            "bigquery": {**BIGQUERY, "dataset_id": "crm2"},
        },
        {
            "id": "golden-bq",
            "name": "BigQuery",
            "service_provider": "bigquery",
            "config": {
                "region": "us-east4",
                "project_id": "acme-analytics",
                "dataset_id": "crm",
                "service_account_id": "mp-sync@acme-analytics.iam.gserviceaccount.com",
                "service_account_key": '{"type": "service_account", "private_key": "golden-bq-key"}',
            },
            "state": "active",
        },
        {
            "id": "golden-bq",
            "name": "BigQuery",
            "service_provider": "bigquery",
            "config": {
                "region": "us-east4",
                "project_id": "acme-analytics",
                "dataset_id": "crm2",
                "service_account_id": "mp-sync@acme-analytics.iam.gserviceaccount.com",
                "service_account_key": '{"type": "service_account", "private_key": "golden-bq-key"}',
            },
            "state": "active",
        },
    ),
    (
        "redshift-port-no-state",
        {"name": "Redshift", "resource_id": "golden-rs-port", "redshift": {**REDSHIFT, "port": 5440.0}},
        {"name": "Redshift", "resource_id": "golden-rs-port", "redshift": {**REDSHIFT, "port": 5441.0}},
        {
            "id": "golden-rs-port",
            "name": "Redshift",
            "service_provider": "redshift",
            "config": {
                "host": "cluster.abc.us-east-1.redshift.amazonaws.com",
                "database": "dev",
                "user": "mp_sync",
                "password": "golden-rs-password",
                "aws_iam_role_arn": "arn:aws:iam::123456789012:role/mparticle-redshift",
                "port": 5440,
            },
        },
        {
            "id": "golden-rs-port",
            "name": "Redshift",
            "service_provider": "redshift",
            "config": {
                "host": "cluster.abc.us-east-1.redshift.amazonaws.com",
                "database": "dev",
                "user": "mp_sync",
                "password": "golden-rs-password",
                "aws_iam_role_arn": "arn:aws:iam::123456789012:role/mparticle-redshift",
                "port": 5441,
            },
        },
    ),
    (
        "redshift-no-port-state",
        {"name": "Redshift", "resource_id": "golden-rs", "state": "active", "redshift": REDSHIFT},
        {"name": "Redshift", "resource_id": "golden-rs", "state": "inactive", "redshift": REDSHIFT},
        {
            "id": "golden-rs",
            "name": "Redshift",
            "service_provider": "redshift",
            "config": {
                "host": "cluster.abc.us-east-1.redshift.amazonaws.com",
                "database": "dev",
                "user": "mp_sync",
                "password": "golden-rs-password",
                "aws_iam_role_arn": "arn:aws:iam::123456789012:role/mparticle-redshift",
            },
            "state": "active",
        },
        {
            "id": "golden-rs",
            "name": "Redshift",
            "service_provider": "redshift",
            "config": {
                "host": "cluster.abc.us-east-1.redshift.amazonaws.com",
                "database": "dev",
                "user": "mp_sync",
                "password": "golden-rs-password",
                "aws_iam_role_arn": "arn:aws:iam::123456789012:role/mparticle-redshift",
            },
            "state": "inactive",
        },
    ),
    (
        "databricks-no-state",
        {"name": "Databricks", "resource_id": "golden-db", "databricks": DATABRICKS},
        {"name": "Databricks", "resource_id": "golden-db", "databricks": {**DATABRICKS, "catalog": "hive"}},
        {
            "id": "golden-db",
            "name": "Databricks",
            "service_provider": "databricks",
            "config": {"provider": "acme_share_provider", "catalog": "main", "schema": "crm"},
        },
        {
            "id": "golden-db",
            "name": "Databricks",
            "service_provider": "databricks",
            "config": {"provider": "acme_share_provider", "catalog": "hive", "schema": "crm"},
        },
    ),
]


@pytest.mark.parametrize(("inputs", "changed", "post", "put"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_create_posts_and_update_puts_the_literal_body(
    providers: Providers,
    emulator: EmulatorHandle,
    sent: RecordingTransport,
    inputs: dict[str, Any],
    changed: dict[str, Any],
    post: dict[str, Any],
    put: dict[str, Any],
) -> None:
    object_id = post["id"]
    created = providers.connection.create(props(inputs))
    assert created.id == object_id
    assert [(s.method, s.path) for s in sent.api_calls()] == [("POST", "/platform/v2/workspaces/1001/connections")]
    assert_json(sent.api_calls()[0].body, post)
    assert logged(emulator) == [("POST", "/platform/v2/workspaces/1001/connections", "", 200, None, object_id)]

    emulator.control.clear_log()
    sent.clear()
    providers.connection.update(object_id, created.outs or {}, props(changed))
    assert [(s.method, s.path) for s in sent.api_calls()] == [
        ("PUT", f"/platform/v2/workspaces/1001/connections/{object_id}")
    ]
    assert_json(sent.api_calls()[0].body, put)
    assert logged(emulator) == [
        ("PUT", f"/platform/v2/workspaces/1001/connections/{object_id}", "", 200, object_id, None)
    ]

    # The request log holds no body (so no secret); the emulator never serves a secret back.
    log_text = repr(emulator.control.requests())
    served = emulator.control.get_object("1001", "connections", object_id)
    for secret in SECRETS:
        assert secret not in log_text
        assert secret not in repr(served)


# --- read: a literal served body -> outputs and inputs ------------------------------------


def test_read_snowflake_masked_password_capitalised_provider_server_filled_unknown_state(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api = LiteralApi(
        "/platform/v2/workspaces/1001/connections/golden-sf",
        {
            "id": "golden-sf",
            "name": "Snowflake warehouse",
            "service_provider": "Snowflake",
            "state": "suspended",
            "status": "faulted",
            "errors": [{"message": "cannot reach the warehouse"}],
            "config": {
                "account_identifier": "ab12345.us-east-1",
                "region": "us-central1.gcp",
                "warehouse": "COMPUTE_WH",
                "database": "ANALYTICS",
                "role": "MPARTICLE_ROLE",
                "user": "MP_SYNC",
                "password": "************",
                "storage_integration": "mp_us1_123_456_s3",
                "aws_iam_user_arn": "arn:aws:iam::000000000000:user/mparticle-sync",
                "aws_external_id": "server-external-id-42",
                "added_by_a_later_api_version": "x",
            },
            "created_on": "2024-05-01T10:00:00.000Z",
            "created_by": "owner@example.com",
            "last_modified_on": None,
            "last_modified_by": None,
            "added_by_a_later_api_version": True,
        },
    )
    previous = {
        "name": "Snowflake warehouse",
        "resource_id": "golden-sf",
        "snowflake": SNOWFLAKE,
        "workspace_id": "1001",
        "__input_keys": ["name", "resource_id", "snowflake"],
        "service_provider": "snowflake",
        "state": "active",
        "status": "healthy",
    }
    result = serving(monkeypatch, api).connection.read("golden-sf", props(previous))
    assert [(s.method, s.path) for s in api.sent] == [
        ("POST", "/oauth/token"),
        ("GET", "/platform/v2/workspaces/1001/connections"),  # the listing serves the read
    ]
    assert result.id == "golden-sf"
    assert_json(
        result.inputs,
        {
            "name": "Snowflake warehouse",
            "snowflake": {
                "account_identifier": "ab12345.us-east-1",
                "region": "us-central1.gcp",
                "warehouse": "COMPUTE_WH",
                "database": "ANALYTICS",
                "role": "MPARTICLE_ROLE",
                "user": "MP_SYNC",
                "password": "golden-sf-password",
                "storage_integration": "mp_us1_123_456_s3",
            },
            "resource_id": "golden-sf",
        },
    )
    assert_json(
        result.outs,
        {
            "status": "faulted",
            "errors": ["cannot reach the warehouse"],
            "created_on": "2024-05-01T10:00:00.000Z",
            "created_by": "owner@example.com",
            "last_modified_on": None,
            "last_modified_by": None,
            "state": "suspended",
            "service_provider": "snowflake",
            "aws_iam_user_arn": "arn:aws:iam::000000000000:user/mparticle-sync",
            "aws_external_id": "server-external-id-42",
            "name": "Snowflake warehouse",
            "snowflake": {
                "account_identifier": "ab12345.us-east-1",
                "region": "us-central1.gcp",
                "warehouse": "COMPUTE_WH",
                "database": "ANALYTICS",
                "role": "MPARTICLE_ROLE",
                "user": "MP_SYNC",
                "password": "golden-sf-password",
                "storage_integration": "mp_us1_123_456_s3",
            },
            "resource_id": "golden-sf",
            "workspace_id": "1001",
            "__input_keys": ["name", "resource_id", "snowflake"],
        },
    )


def test_read_redshift_omitted_password_server_filled_default_port_state_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api = LiteralApi(
        "/platform/v2/workspaces/1001/connections/golden-rs",
        {
            "id": "golden-rs",
            "name": "Redshift",
            "service_provider": "redshift",
            "state": "inactive",
            "status": "healthy",
            "errors": [],
            "config": {
                "host": "cluster.abc.us-east-1.redshift.amazonaws.com",
                "port": 5439,
                "database": "dev",
                "user": "mp_sync",
                "aws_iam_role_arn": "arn:aws:iam::123456789012:role/mparticle-redshift",
            },
            "created_on": "2024-05-01T10:00:00.000Z",
            "created_by": "owner@example.com",
            "last_modified_on": "2024-05-02T11:30:00.500Z",
            "last_modified_by": "ui-user@example.com",
        },
    )
    previous = {
        "name": "Redshift",
        "resource_id": "golden-rs",
        "state": "active",
        "redshift": REDSHIFT,
        "workspace_id": "1001",
        "__input_keys": ["name", "redshift", "resource_id", "state"],
    }
    result = serving(monkeypatch, api).connection.read("golden-rs", props(previous))
    assert result.id == "golden-rs"
    assert_json(
        result.inputs,
        {
            "name": "Redshift",
            "state": "inactive",
            "redshift": {
                "host": "cluster.abc.us-east-1.redshift.amazonaws.com",
                "database": "dev",
                "user": "mp_sync",
                "password": "golden-rs-password",
                "aws_iam_role_arn": "arn:aws:iam::123456789012:role/mparticle-redshift",
            },
            "resource_id": "golden-rs",
        },
    )
    assert_json(
        result.outs,
        {
            "status": "healthy",
            "errors": [],
            "created_on": "2024-05-01T10:00:00.000Z",
            "created_by": "owner@example.com",
            "last_modified_on": "2024-05-02T11:30:00.500Z",
            "last_modified_by": "ui-user@example.com",
            "state": "inactive",
            "service_provider": "redshift",
            "aws_iam_user_arn": None,
            "aws_external_id": None,
            "name": "Redshift",
            "redshift": {
                "host": "cluster.abc.us-east-1.redshift.amazonaws.com",
                "database": "dev",
                "user": "mp_sync",
                "password": "golden-rs-password",
                "aws_iam_role_arn": "arn:aws:iam::123456789012:role/mparticle-redshift",
            },
            "resource_id": "golden-rs",
            "workspace_id": "1001",
            "__input_keys": ["name", "redshift", "resource_id", "state"],
        },
    )


def test_read_unknown_service_provider_and_new_state(monkeypatch: pytest.MonkeyPatch) -> None:
    api = LiteralApi(
        "/platform/v2/workspaces/1001/connections/golden-bq",
        {
            "id": "golden-bq",
            "name": "BigQuery",
            "service_provider": "bigquery_v2",
            "state": "new",
            "status": "healthy",
            "errors": [],
            "config": {
                "region": "us-east4",
                "project_id": "acme-analytics",
                "dataset_id": "crm",
                "service_account_id": "mp-sync@acme-analytics.iam.gserviceaccount.com",
            },
            "created_on": "2024-05-01T10:00:00.000Z",
            "created_by": "owner@example.com",
            "last_modified_on": None,
            "last_modified_by": None,
        },
    )
    previous = {
        "name": "BigQuery",
        "resource_id": "golden-bq",
        "state": "active",
        "bigquery": BIGQUERY,
        "workspace_id": "1001",
        "__input_keys": ["bigquery", "name", "resource_id", "state"],
    }
    result = serving(monkeypatch, api).connection.read("golden-bq", props(previous))
    assert result.id == "golden-bq"
    # A service_provider the provider does not know matches no block: the block is not read back.
    assert_json(result.inputs, {"name": "BigQuery", "state": "active", "resource_id": "golden-bq"})
    assert_json(
        result.outs,
        {
            "status": "healthy",
            "errors": [],
            "created_on": "2024-05-01T10:00:00.000Z",
            "created_by": "owner@example.com",
            "last_modified_on": None,
            "last_modified_by": None,
            "state": "active",
            "service_provider": None,
            "aws_iam_user_arn": None,
            "aws_external_id": None,
            "name": "BigQuery",
            "resource_id": "golden-bq",
            "workspace_id": "1001",
            "__input_keys": ["name", "resource_id", "state"],
        },
    )


# --- the emulator's GET -------------------------------------------------------------------


def test_emulator_serves_a_snowflake_connection(providers: Providers, emulator: EmulatorHandle) -> None:
    inputs = {"name": "Snowflake warehouse", "resource_id": "golden-sf", "snowflake": SNOWFLAKE}
    providers.connection.create(props(inputs))
    status, body = emulator_get(emulator, "/platform/v2/workspaces/1001/connections/golden-sf")
    assert status == 200
    assert_json(
        normalise_timestamps(body),
        {
            "id": "golden-sf",
            "name": "Snowflake warehouse",
            "service_provider": "snowflake",
            "config": {
                "account_identifier": "ab12345.us-east-1",
                "region": "us-central1.gcp",
                "warehouse": "COMPUTE_WH",
                "database": "ANALYTICS",
                "role": "MPARTICLE_ROLE",
                "user": "MP_SYNC",
                "storage_integration": "mp_us1_123_456_s3",
                "aws_iam_user_arn": "arn:aws:iam::000000000000:user/mparticle-warehouse-sync-1001",
                "aws_external_id": "6b2bd169-ae77-5ef3-984c-b6ec44c64dd6",
            },
            "state": "active",
            "status": "healthy",
            "errors": [],
            "created_on": "<timestamp>",
            "created_by": "demo@emulator.local",
            "last_modified_on": None,
            "last_modified_by": None,
        },
    )


def test_emulator_masks_the_password_when_switched_to_mask(providers: Providers, emulator: EmulatorHandle) -> None:
    emulator.control.set_switches(secret_mode="mask", provider_case="capitalised")
    providers.connection.create(props({"name": "Redshift", "resource_id": "golden-rs", "redshift": REDSHIFT}))
    status, body = emulator_get(emulator, "/platform/v2/workspaces/1001/connections/golden-rs")
    assert status == 200
    assert_json(
        normalise_timestamps(body),
        {
            "id": "golden-rs",
            "name": "Redshift",
            "service_provider": "Redshift",
            "config": {
                "host": "cluster.abc.us-east-1.redshift.amazonaws.com",
                "database": "dev",
                "user": "mp_sync",
                "password": "************",
                "aws_iam_role_arn": "arn:aws:iam::123456789012:role/mparticle-redshift",
                "port": 5439,
            },
            "state": "active",
            "status": "healthy",
            "errors": [],
            "created_on": "<timestamp>",
            "created_by": "demo@emulator.local",
            "last_modified_on": None,
            "last_modified_by": None,
        },
    )
