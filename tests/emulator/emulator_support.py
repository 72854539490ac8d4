"""Helpers for the emulator tests: valid bodies for every collection and an authenticated API session."""

from __future__ import annotations

import copy
import socket
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.app import create_emulator
from pulumi_mparticle_wsync.emulator.settings import EmulatorSettings
from pulumi_mparticle_wsync.emulator.state import EmulatorState

with warnings.catch_warnings():
    # Starlette asks for httpx2 for its TestClient; httpx (pinned by the project) still works.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient as TestClient

Body = dict[str, Any]

SNOWFLAKE_CONFIG: Body = {
    "account_identifier": "xy12345.us-central1.gcp",
    "region": "us-central1.gcp",
    "warehouse": "COMPUTE_WH",
    "database": "ANALYTICS",
    "role": "MPARTICLE_ROLE",
    "user": "MPARTICLE_USER",
    "password": "snowflake-password-value",
    "storage_integration": "mp_us1_123_456_s3",
}
BIGQUERY_CONFIG: Body = {
    "region": "us-east4",
    "project_id": "my-project",
    "dataset_id": "events",
    "service_account_id": "sa@my-project.iam.gserviceaccount.com",
    "service_account_key": '{"type": "service_account", "private_key": "bigquery-key-value"}',
}
REDSHIFT_CONFIG: Body = {
    "host": "cluster.example.us-east-1.redshift.amazonaws.com",
    "database": "dev",
    "user": "mparticle",
    "password": "redshift-password-value",
    "aws_iam_role_arn": "arn:aws:iam::123456789012:role/mparticle",
}
DATABRICKS_CONFIG: Body = {"provider": "mparticle_share", "catalog": "main", "schema": "events"}
CONFIGS: dict[str, Body] = {
    'snowflake': SNOWFLAKE_CONFIG,
    'bigquery': BIGQUERY_CONFIG,
    'redshift': REDSHIFT_CONFIG,
    'databricks': DATABRICKS_CONFIG,
}
SECRET_VALUES = (
    "snowflake-password-value",
    "bigquery-key-value",
    "redshift-password-value",
    "partner-feed-key-value",
)
PARTNER_FEED_KEY = "partner-feed-key-value"


def connection(object_id: str = "conn-1", provider: str = 'snowflake', **changes: Any) -> Body:
    body: Body = {
        "id": object_id,
        "name": f"Connection {object_id}",
        "service_provider": provider,
        "config": copy.deepcopy(CONFIGS[provider]),
    }
    body.update(changes)
    return body


def data_model(object_id: str = "model-1", sql: str = "SELECT email, plan FROM users", **changes: Any) -> Body:
    body: Body = {"id": object_id, "name": f"Model {object_id}", "type": "sql", "config": {"sql_query": sql}}
    body.update(changes)
    return body


def transformation(object_id: str = "ft-1", **changes: Any) -> Body:
    body: Body = {
        "id": object_id,
        "name": f"Transformation {object_id}",
        "destination_type": "event_batch",
        "mappings": [
            {"mapping_type": "column", "source": "event_id", "destination": "events[].data.event_id"},
            {"mapping_type": "static", "destination": "events[].event_type", "value": "custom_event"},
            {"mapping_type": "ignore", "source": "internal_note"},
        ],
    }
    body.update(changes)
    return body


def pipeline(object_id: str = "pipe-1", **changes: Any) -> Body:
    body: Body = {
        "id": object_id,
        "name": f"Pipeline {object_id}",
        "pipeline_type": "user_attributes",
        "connection_id": "conn-1",
        "data_model_id": "model-1",
        "partner_feed_id": 4242,
        "state": "active",
        "sync_mode": {
            "type": "incremental",
            "iterator_field": "updated_at",
            "iterator_data_type": "timestamp",
        },
        "schedule": {"type": "interval", "frequency": "hourly", "start": "2024-01-01T00:15:00Z"},
        "environment": "production",
    }
    body.update(changes)
    return body


def on_demand_pipeline(object_id: str = "pipe-od", **changes: Any) -> Body:
    return pipeline(object_id, schedule={"type": "on_demand", "start": "2024-01-01T00:00:00Z"}, **changes)


def token_request(client_id: str, client_secret: str) -> Body:
    return {
        wire.TOKEN_CLIENT_ID: client_id,
        wire.TOKEN_CLIENT_SECRET: client_secret,
        wire.TOKEN_AUDIENCE_FIELD: wire.TOKEN_AUDIENCE,
        wire.TOKEN_GRANT_TYPE_FIELD: wire.TOKEN_GRANT_TYPE,
    }


def fast_http_client(base_url: str, **kwargs: Any) -> httpx.Client:
    """A plain-HTTP loopback client that starts fast: Nagle off (else a POST's header and body
    writes can wait 40 ms for a delayed ACK) and no CA bundle loaded (``verify=False``; there is
    no TLS on loopback, and loading certificates costs ~50 ms per client)."""
    transport = httpx.HTTPTransport(verify=False, socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
    return httpx.Client(base_url=base_url, transport=transport, timeout=30, **kwargs)


def messages(response: httpx.Response) -> list[str]:
    """The error messages of an answer in the spec's error format (and check that format)."""
    body = response.json()
    assert body[wire.ERROR_STATUS_CODE] == response.status_code
    return [error[wire.ERROR_MESSAGE] for error in body[wire.ERROR_LIST]]


def message_text(response: httpx.Response) -> str:
    return " | ".join(messages(response))


class ApiSession:
    """Authenticated calls to one workspace of an emulator, over any httpx client."""

    def __init__(self, http: httpx.Client, client_id: str, client_secret: str, workspace_id: str) -> None:
        self.http = http
        self.workspace_id = workspace_id
        answer = http.post(wire.TOKEN_PATH, json=token_request(client_id, client_secret))
        assert answer.status_code == 200, answer.text
        self.token = answer.json()[wire.TOKEN_ACCESS_TOKEN]
        self.headers = {"Authorization": f"Bearer {self.token}"}

    def path(self, *parts: str, workspace_id: str | None = None) -> str:
        base = wire.WORKSPACE_PATH.format(workspace_id=workspace_id or self.workspace_id)
        return "/".join([base, *parts])

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.http.request(method, path, headers=headers, **kwargs)

    def list(self, collection: str, **params: str) -> httpx.Response:
        return self.request("GET", self.path(collection), params=params)

    def get(self, collection: str, object_id: str) -> httpx.Response:
        return self.request("GET", self.path(collection, object_id))

    def create(self, collection: str, body: Any) -> httpx.Response:
        return self.request("POST", self.path(collection), json=body)

    def replace(self, collection: str, object_id: str, body: Any) -> httpx.Response:
        return self.request("PUT", self.path(collection, object_id), json=body)

    def delete(self, collection: str, object_id: str) -> httpx.Response:
        return self.request("DELETE", self.path(collection, object_id))

    def create_ok(self, collection: str, body: Body) -> Body:
        answer = self.create(collection, body)
        assert answer.status_code == 200, answer.text
        created: Body = answer.json()
        return created

    def seed_pipeline_dependencies(self) -> None:
        """The connection, data model and transformation the default ``pipeline()`` body names."""
        self.create_ok(wire.CONNECTIONS, connection())
        self.create_ok(wire.DATA_MODELS, data_model())
        self.create_ok(wire.FIELD_TRANSFORMATIONS, transformation())


@contextmanager
def in_process_api(
    settings: EmulatorSettings | None = None, workspace_id: str = "1001"
) -> Iterator[tuple[ApiSession, EmulatorState, TestClient]]:
    """A fresh emulator served through Starlette's TestClient (no socket; server errors raise)."""
    app, state = create_emulator(settings)
    with TestClient(app, client=("127.0.0.1", 50000)) as client:
        session = ApiSession(client, state.settings.client_id, state.settings.client_secret, workspace_id)
        yield session, state, client
    state.close()
