"""No plaintext copy of a secret anywhere: state, engine output, verbose logs, error messages.

Every kind of secret the examples use gets a distinctive value: Snowflake and Redshift
passwords, a BigQuery service-account key (JSON), partner feed keys and the API client
secret. Each test captures everything the engine prints (stdout, stderr with ``-v=9
--logtostderr --debug`` and flow-logging to the provider, and every engine event), plus the
exported state and the raw backend files, and asserts that no secret appears in the whole text.

Error paths are provoked one by one: a bad setting, a refused credential, a refused delete, a
duplicate id, an API whose 4xx answers echo the request (secrets included), a token endpoint
that echoes the credential, an unreachable URL, and invalid secret-bearing arguments.
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

import pulumi_mparticle_wsync as mp
from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.settings import EmulatorSettings
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle, running_emulator

from .harness import PULUMI_BIN, EngineStack, closed_port, engine_env, new_stack, provider_config

CLIENT_ID = "audit-client"
CLIENT_SECRET = "AUDIT-client-secret-3b9e1"
SNOWFLAKE_PASSWORD = "AUDIT-snowflake-pw-8c2d7"
REDSHIFT_PASSWORD = "AUDIT-redshift-pw-51fa0"
BIGQUERY_PRIVATE_KEY = "AUDIT-bq-private-key-a77c4"
BIGQUERY_KEY = json.dumps({
    "type": "service_account",
    "project_id": "acme",
    "private_key_id": "AUDIT-bq-key-id-6610f",
    "private_key": f"-----BEGIN PRIVATE KEY-----\n{BIGQUERY_PRIVATE_KEY}\n-----END PRIVATE KEY-----\n",
    "client_email": "sync@acme.iam.gserviceaccount.com",
})
FEED_KEY = "AUDIT-feed-key-0d6e3"
CONFIG_FEED_KEY = "AUDIT-config-feed-key-2c4b8"
ROTATED_SNOWFLAKE_PASSWORD = "AUDIT-rotated-snowflake-pw-9e1aa"
ROTATED_FEED_KEY = "AUDIT-rotated-feed-key-77d02"
WRONG_CLIENT_SECRET = "AUDIT-wrong-client-secret-c0ffe"
ECHO_TOKEN = "AUDIT-bearer-token-4f4f1"

ALL_SECRETS = {
    "client secret": CLIENT_SECRET,
    "Snowflake password": SNOWFLAKE_PASSWORD,
    "Redshift password": REDSHIFT_PASSWORD,
    "BigQuery private key": BIGQUERY_PRIVATE_KEY,
    "BigQuery key id": "AUDIT-bq-key-id-6610f",
    "feed key": FEED_KEY,
    "feed key from config": CONFIG_FEED_KEY,
    "rotated Snowflake password": ROTATED_SNOWFLAKE_PASSWORD,
    "rotated feed key": ROTATED_FEED_KEY,
    "wrong client secret": WRONG_CLIENT_SECRET,
    "bearer token": ECHO_TOKEN,
}
VISIBLE_MARKER = "AUDIT_VISIBLE_WH"  # a plain value next to the secrets: proves the capture sees plaintext
PROJECT = "wsync-audit"
VERBOSE: dict[str, Any] = {"log_verbosity": 9, "log_flow": True, "debug": True, "log_to_std_err": True}


# --- what one stack printed, in full ---------------------------------------------------------


def _plain(value: Any) -> Any:
    """An engine event (nested SDK objects) as JSON-ready data."""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "__dict__"):
        return {k: _plain(v) for k, v in vars(value).items()}
    return value


@dataclass
class Audited:
    """A stack whose every operation runs verbose, with stdout, stderr and events all kept."""

    stack: EngineStack
    stderr: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def _streams(self) -> dict[str, Any]:
        return {
            "on_error": self.stderr.append,
            "on_event": lambda event: self.events.append(json.dumps(_plain(event), default=str)),
            **VERBOSE,
        }

    def run(self, operation: str, *, expect_failure: bool = False, **options: Any) -> str:
        """Run ``up``/``preview``/``refresh``/``destroy`` verbosely; returns what it printed."""
        method: Callable[..., Any] = getattr(self.stack, operation)
        kwargs = {**self._streams(), **options}
        if operation != "preview":
            kwargs["show_secrets"] = False
        try:
            return str(method(**kwargs).output)
        except auto.CommandError as exc:
            if not expect_failure:
                raise
            self.errors.append(str(exc))
            return str(exc)
        finally:
            if expect_failure and not self.errors:
                pytest.fail(f"{operation} was expected to fail")

    def exported_without_secrets(self) -> str:
        """``pulumi stack export`` as a user runs it (automation's export shows secrets)."""
        env = engine_env(self.stack.home)
        return subprocess.run(
            [str(PULUMI_BIN / "pulumi"), "stack", "export", "--stack", self.stack.stack.name],
            cwd=self.stack.home, env=env, check=True, capture_output=True, text=True,
        ).stdout

    def backend_files(self) -> str:
        state = self.stack.home / "state"
        return "\n".join(p.read_text(errors="replace") for p in sorted(state.rglob("*")) if p.is_file())

    def everything(self) -> str:
        state_text = self.exported_without_secrets() + self.backend_files()
        return "\n".join([
            *self.stack.transcript, *self.stderr, *self.events, *self.errors,
            state_text, _decoded_blobs(state_text),
        ])


def _decoded_blobs(text: str) -> str:
    """Base64 payloads in the state (the serialized provider), decoded, so they are searched too."""
    decoded: list[str] = []
    for document in _json_documents(text):
        for value in _strings(document):
            if len(value) >= 64 and value.isascii() and " " not in value:
                try:
                    decoded.append(base64.b64decode(value, validate=True).decode("latin-1"))
                except ValueError:
                    continue
    return "\n".join(decoded)


def _json_documents(text: str) -> Iterator[Any]:
    decoder = json.JSONDecoder()
    index = 0
    while (start := text.find("{", index)) != -1:
        try:
            document, end = decoder.raw_decode(text, start)
        except ValueError:
            index = start + 1
            continue
        yield document
        index = end


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def assert_no_secret(text: str) -> None:
    leaked = [name for name, secret in ALL_SECRETS.items() if secret in text]
    assert not leaked, f"plaintext secrets found: {', '.join(leaked)}"


# --- the programs ------------------------------------------------------------------------------


def _snowflake(password: str = SNOWFLAKE_PASSWORD) -> mp.SnowflakeConfigArgs:
    return mp.SnowflakeConfigArgs(
        account_identifier="acme", region="us-central1.gcp", warehouse=VISIBLE_MARKER, database="DB",
        role="SYNC", user="SYNC_USER", password=password, storage_integration="mp_us1_1_2_s3")


def _every_secret_program(*, independent: bool = False) -> Callable[[], None]:
    """One resource of each secret-bearing kind. Some secrets are plain strings in the program
    (the resources must keep them secret), the others come from secret stack config.

    ``independent`` makes the pipelines name their connections, model and transformation by
    literal ids instead of outputs, so that every create is attempted even when the others fail.
    """

    def program() -> None:
        config = pulumi.Config()
        snowflake = mp.Connection(
            "snowflake", name="Snowflake",
            snowflake=_snowflake(config.get("snowflakePassword") or SNOWFLAKE_PASSWORD))
        redshift = mp.Connection("redshift", name="Redshift", redshift=mp.RedshiftConfigArgs(
            host="cluster.example.com", database="events", user="mparticle",
            password=config.require_secret("redshiftPassword"),
            aws_iam_role_arn="arn:aws:iam::123456789012:role/mparticle"))
        bigquery = mp.Connection("bigquery", name="BigQuery", bigquery=mp.BigQueryConfigArgs(
            region="us-east4", project_id="acme", dataset_id="crm", service_account_id="sync@acme.iam",
            service_account_key=config.require_secret("serviceAccountKey")))
        model = mp.DataModel("users", name="Users", sql_query="SELECT email, plan, updated_at FROM db.s.users")
        transformation = mp.FieldTransformation("events", name="Events", mappings=[
            mp.FieldMappingArgs(mapping_type="column", source="plan", destination="events[].data.event_id")])
        ids: tuple[Any, ...] = (snowflake.id, redshift.id, bigquery.id, model.id, transformation.id)
        if independent:
            ids = ("c1", "c2", "c3", "m1", "t1")
        sync = mp.SyncModeArgs(type="incremental", iterator_field="updated_at", iterator_data_type="timestamp")
        schedule = mp.ScheduleArgs(type="interval", frequency="daily", start="2026-01-01T00:00:00Z")
        mp.Pipeline("snowflake-users", name="Users", pipeline_type="user_attributes", connection_id=ids[0],
                    data_model_id=ids[3], partner_feed_key=config.get("feedKey") or FEED_KEY,
                    sync_mode=sync, schedule=schedule, environment="development")
        mp.Pipeline("redshift-events", name="Events", pipeline_type="events", connection_id=ids[1],
                    data_model_id=ids[3], field_transformation_id=ids[4],
                    partner_feed_key=config.require_secret("configFeedKey"),
                    sync_mode=sync, schedule=schedule, environment="development")
        mp.Pipeline("bigquery-users", name="BigQuery users", pipeline_type="user_attributes", connection_id=ids[2],
                    data_model_id=ids[3], partner_feed_id=4242, sync_mode=mp.SyncModeArgs(type="full"),
                    schedule=schedule, environment="development")

    return program


def _program_config() -> dict[str, auto.ConfigValue]:
    return {
        f"{PROJECT}:redshiftPassword": auto.ConfigValue(REDSHIFT_PASSWORD, secret=True),
        f"{PROJECT}:serviceAccountKey": auto.ConfigValue(BIGQUERY_KEY, secret=True),
        f"{PROJECT}:configFeedKey": auto.ConfigValue(CONFIG_FEED_KEY, secret=True),
    }


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _audit_emulator() -> Iterator[EmulatorHandle]:
    """An emulator whose client secret is one of the audited strings."""
    with running_emulator(EmulatorSettings(port=0, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)) as handle:
        yield handle


@pytest.fixture
def audit_emulator(_audit_emulator: EmulatorHandle) -> EmulatorHandle:
    _audit_emulator.control.reset()
    return _audit_emulator


StackMaker = Callable[..., Audited]


@pytest.fixture
def audited_stack(tmp_path: Path, audit_emulator: EmulatorHandle) -> StackMaker:
    def make(
        program: Callable[[], None], *, api_url: str | None = None, settings: dict[str, auto.ConfigValue] | None = None
    ) -> Audited:
        config = provider_config(api_url or audit_emulator.url, audit_emulator.workspace_id, CLIENT_ID, CLIENT_SECRET)
        config.update(_program_config())
        config.update(settings or {})
        return Audited(new_stack(tmp_path / "stack", program, project=PROJECT, config=config))

    return make


# --- the whole life of a stack -----------------------------------------------------------------


@pytest.mark.engine
def test_a_stacks_whole_life_keeps_every_secret_hidden(
    audited_stack: StackMaker, audit_emulator: EmulatorHandle
) -> None:
    audited = audited_stack(_every_secret_program())
    audited.run("preview")
    audited.run("up")
    assert len(audit_emulator.control.list_objects(audit_emulator.workspace_id, wire.CONNECTIONS)) == 3
    audited.run("refresh")

    # Rotate secrets (one program literal turned config secret, one feed key): the diff shows [secret].
    audited.stack.stack.set_all_config({
        f"{PROJECT}:snowflakePassword": auto.ConfigValue(ROTATED_SNOWFLAKE_PASSWORD, secret=True),
        f"{PROJECT}:feedKey": auto.ConfigValue(ROTATED_FEED_KEY, secret=True),
    })
    rotated_preview = audited.run("preview")
    assert "[secret]" in rotated_preview
    audited.run("up")
    # Drift on a connection, seen by refresh.
    snowflake = next(c for c in audit_emulator.control.list_objects(audit_emulator.workspace_id, wire.CONNECTIONS)
                     if c["service_provider"].lower() == "snowflake")
    audit_emulator.control.edit_object(audit_emulator.workspace_id, wire.CONNECTIONS, snowflake["id"],
                                       {"name": "Renamed in the UI"})
    assert "Renamed in the UI" in audited.run("refresh", diff=True)
    everything_before_destroy = audited.everything()
    audited.run("destroy")

    everything = audited.everything() + everything_before_destroy
    assert VISIBLE_MARKER in everything  # the capture does see plaintext values
    assert "[secret]" in everything
    stderr = "\n".join(audited.stderr)
    assert "RegisterResource" in stderr or "Provider[" in stderr, "the verbose engine log was not captured"
    assert_no_secret(everything)


def _secret_sig(value: Any) -> bool:
    return isinstance(value, dict) and value.get(pulumi.runtime.rpc._special_sig_key) == \
        pulumi.runtime.rpc._special_secret_sig


@pytest.mark.engine
def test_only_secret_values_are_secret_in_the_state(audited_stack: StackMaker) -> None:
    """A block without a secret argument is plain in the state; in one with a secret, only the secret is secret."""

    def program() -> None:
        databricks = mp.Connection("databricks", name="Databricks", databricks=mp.DatabricksConfigArgs(
            provider="share", catalog=VISIBLE_MARKER, schema="crm"))
        snowflake = mp.Connection("snowflake", name="Snowflake", snowflake=_snowflake())
        pulumi.export("databricks", databricks.databricks)
        pulumi.export("snowflake", snowflake.snowflake)

    audited = audited_stack(program)
    audited.run("up")
    exported = json.loads(audited.exported_without_secrets())
    connections = {r["urn"].rsplit("::", 1)[-1]: r for r in exported["deployment"]["resources"]
                   if r["type"].endswith(":Connection")}
    for kind in ("inputs", "outputs"):
        block = connections["databricks"][kind]["databricks"]
        assert block == {"provider": "share", "catalog": VISIBLE_MARKER, "schema": "crm"}, kind
        block = connections["snowflake"][kind]["snowflake"]
        assert not _secret_sig(block), kind
        assert block["warehouse"] == VISIBLE_MARKER, kind
        assert _secret_sig(block["password"]), kind
        assert [key for key, value in block.items() if _secret_sig(value)] == ["password"], kind
    outputs = audited.stack.stack.outputs()
    assert not outputs["databricks"].secret
    assert outputs["databricks"].value["catalog"] == VISIBLE_MARKER
    # In a program the SDK reads an output holding a secret as a secret whole: so does the stack output.
    assert outputs["snowflake"].secret
    assert_no_secret(audited.everything())


# --- every error the provider can raise --------------------------------------------------------


class EchoingAPI:
    """A loopback stand-in for a misbehaving API that quotes requests back in its error messages.

    Tokens are issued (or, with ``refuse_tokens``, refused with the request body quoted); every
    API call is answered 400 with the request body and its Authorization header quoted.
    """

    def __init__(self, *, refuse_tokens: bool = False) -> None:
        self.refuse_tokens = refuse_tokens
        self.requests = 0
        echo = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                echo.requests += 1
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode(errors="replace")
                if self.path == wire.TOKEN_PATH and not echo.refuse_tokens:
                    self._send(200, {"access_token": ECHO_TOKEN, "expires_in": 3600, "token_type": "Bearer"})
                    return
                status = 401 if self.path == wire.TOKEN_PATH else 400
                message = f"cannot process {body} (authorization: {self.headers.get('Authorization')})"
                self._send(status, {"statusCode": status, "errors": [{"message": message}]})

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> EchoingAPI:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def _settings(**values: str) -> dict[str, auto.ConfigValue]:
    return {f"mparticle:{key}": auto.ConfigValue(value, secret=key == "clientSecret") for key, value in values.items()}


@pytest.mark.engine
def test_api_errors_that_quote_the_request_are_scrubbed(audited_stack: StackMaker) -> None:
    with EchoingAPI() as api:
        audited = audited_stack(_every_secret_program(independent=True),
                                settings=_settings(apiUrl=api.url, authUrl=api.url, maxAttempts="1"))
        output = audited.run("up", expect_failure=True, continue_on_error=True)
    assert "cannot process" in output and VISIBLE_MARKER in output  # the echo reached the user ...
    assert "[redacted]" in output  # ... with the secrets cut out
    for kind in ("Connection", "DataModel", "FieldTransformation", "Pipeline"):
        assert f"create {kind} " in output  # every create was tried, and failed
    assert_no_secret(audited.everything())


@pytest.mark.engine
def test_a_token_endpoint_that_quotes_the_credential_is_scrubbed(audited_stack: StackMaker) -> None:
    with EchoingAPI(refuse_tokens=True) as api:
        audited = audited_stack(_every_secret_program(),
                                settings=_settings(apiUrl=api.url, authUrl=api.url, maxAttempts="1"))
        output = audited.run("up", expect_failure=True)
    assert "mparticle:clientSecret" in output  # the fix is named
    assert "[redacted]" in output
    assert_no_secret(audited.everything())


@dataclass(frozen=True)
class FailureCase:
    name: str
    settings: dict[str, str]
    expected: tuple[str, ...]  # fragments the failure must show
    prepare: Callable[[EmulatorHandle], None] = lambda _emulator: None


def _seed_connection(emulator: EmulatorHandle, object_id: str) -> None:
    emulator.control.seed_object(emulator.workspace_id, wire.CONNECTIONS, {
        "id": object_id, "name": "Made in the UI", "service_provider": "databricks",
        "config": {"provider": "share", "catalog": "main", "schema": "crm"}})


FAILURES = [
    FailureCase("bad setting", {"maxAttempts": "lots"}, ("mparticle:maxAttempts", "whole number")),
    FailureCase("wrong client secret", {"clientSecret": WRONG_CLIENT_SECRET}, ("mparticle:clientSecret",)),
    FailureCase("unreachable API", {"apiUrl": f"http://127.0.0.1:{closed_port()}", "maxAttempts": "2"},
                ("mparticle:apiUrl", "reachable")),
    FailureCase("non-HTTPS API", {"apiUrl": "http://api.example.com"}, ("mparticle:apiUrl", "https://")),
]


@pytest.mark.engine
@pytest.mark.parametrize("case", FAILURES, ids=lambda c: c.name)
def test_configuration_and_transport_failures_show_no_secret(case: FailureCase, audited_stack: StackMaker) -> None:
    audited = audited_stack(_every_secret_program(), settings=_settings(**case.settings))
    output = audited.run("up", expect_failure=True)
    for fragment in case.expected:
        assert fragment in output
    assert_no_secret(audited.everything())


@pytest.mark.engine
def test_duplicate_id_failure_shows_no_secret(audited_stack: StackMaker, audit_emulator: EmulatorHandle) -> None:
    _seed_connection(audit_emulator, "taken")

    def program() -> None:
        mp.Connection("warehouse", name="Warehouse", resource_id="taken", snowflake=_snowflake())

    audited = audited_stack(program)
    output = audited.run("up", expect_failure=True)
    assert "already exists" in output and "adopt=True" in output
    assert_no_secret(audited.everything())


@pytest.mark.engine
def test_refused_delete_shows_no_secret(audited_stack: StackMaker, audit_emulator: EmulatorHandle) -> None:
    def program() -> None:
        mp.Connection("warehouse", name="Warehouse", resource_id="shared-wh", snowflake=_snowflake())
        mp.DataModel("users", name="Users", resource_id="users", sql_query="SELECT email FROM db.s.users")

    audited = audited_stack(program)
    audited.run("up")
    # A pipeline made in the UI now uses the connection: the API refuses to delete it.
    audit_emulator.control.seed_object(audit_emulator.workspace_id, wire.PIPELINES, {
        "id": "ui-pipeline", "name": "UI", "pipeline_type": "user_attributes", "connection_id": "shared-wh",
        "data_model_id": "users", "partner_feed_id": 7, "state": "paused", "sync_mode": {"type": "full"},
        "schedule": {"type": "on_demand", "start": "2026-01-01T00:00:00Z"}, "environment": "development"})
    output = audited.run("destroy", expect_failure=True)
    assert "cannot delete" in output and "ui-pipeline" in output
    assert_no_secret(audited.everything())


def _bigquery_key_given_as_a_path() -> None:
    mp.Connection("bigquery", name="BigQuery", bigquery=mp.BigQueryConfigArgs(
        region="us-east4", project_id="acme", dataset_id="crm", service_account_id="sync@acme.iam",
        service_account_key=f"path/to/{BIGQUERY_PRIVATE_KEY}.json"))


def _password_given_as_a_list() -> None:
    mp.Connection("snowflake", name="Snowflake", snowflake={**vars(_snowflake()), "password": [SNOWFLAKE_PASSWORD]})


def _feed_key_given_as_a_dict() -> None:
    mp.Pipeline("pipe", name="P", pipeline_type="user_attributes", connection_id="c", data_model_id="m",
                partner_feed_key={"key": FEED_KEY},  # type: ignore[arg-type]  # the mistake under test
                sync_mode=mp.SyncModeArgs(type="full"),
                schedule=mp.ScheduleArgs(type="on_demand", start="2026-01-01T00:00:00Z"), environment="development")


@pytest.mark.engine
@pytest.mark.parametrize(("program", "expected"), [
    (_bigquery_key_given_as_a_path, ("bigquery.service_account_key", "JSON key file")),
    (_password_given_as_a_list, ("snowflake.password", "must be a string, not a list")),
    (_feed_key_given_as_a_dict, ("partner_feed_key", "must be a string, not a dict")),
], ids=["key as a path", "password as a list", "feed key as a dict"])
def test_invalid_secret_arguments_are_refused_without_quoting_them(
    program: Callable[[], None], expected: tuple[str, ...], audited_stack: StackMaker
) -> None:
    audited = audited_stack(program)
    output = audited.run("preview", expect_failure=True)
    for fragment in expected:
        assert fragment in output
    assert_no_secret(audited.everything())
