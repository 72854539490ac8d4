"""Secrets: write-only on the wire (omitted or masked), kept from the state, never in any error."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from ..models import samples
from .conftest import Providers, configured, stack_config
from .helpers import engine_props

MODES = [wire.SECRET_MODE_OMIT, wire.SECRET_MODE_MASK]


def everything_about(exc: BaseException) -> str:
    """All text an engine could show: message, repr, and the whole chained traceback."""
    return "".join(traceback.format_exception(exc)) + repr(exc) + repr(getattr(exc, "__dict__", {}))


def assert_no_secret(text: str) -> None:
    for secret in (*samples.SECRETS, "bq-key-55e0f1"):
        assert secret not in text


@pytest.mark.parametrize("secret_mode", MODES)
@pytest.mark.parametrize("block", ["snowflake", "bigquery", "redshift"])
def test_connection_secret_kept_through_refresh(
    providers: Providers, emulator: EmulatorHandle, secret_mode: str, block: str
) -> None:
    emulator.control.set_switches(secret_mode=secret_mode, provider_case=wire.PROVIDER_CASE_CAPITALISED)
    inputs = samples.connection(block)
    created = providers.connection.create(engine_props(inputs))
    served = emulator.control.get_object(emulator.workspace_id, wire.CONNECTIONS, created.id) or {}
    assert_no_secret(repr(served))  # the API never serves it back
    assert (created.outs or {})[block] == inputs[block]

    read = providers.connection.read(created.id, created.outs or {})
    assert read.inputs == inputs
    assert wire.MASKED_SECRET not in repr(read.outs)
    assert (read.outs or {})["service_provider"] == block
    assert providers.connection.diff(created.id, read.outs or {}, engine_props(inputs)).changes is False


@pytest.mark.parametrize("secret_mode", MODES)
def test_pipeline_feed_key_kept_through_refresh(
    providers: Providers, emulator: EmulatorHandle, secret_mode: str
) -> None:
    emulator.control.set_switches(secret_mode=secret_mode)
    conn = providers.connection.create(engine_props(samples.connection("databricks")))
    model = providers.data_model.create(engine_props(samples.data_model()))
    inputs = samples.pipeline(conn.id, model.id)
    created = providers.pipeline.create(engine_props(inputs))
    read = providers.pipeline.read(created.id, created.outs or {})
    assert read.inputs == inputs
    assert (read.outs or {})["partner_feed_key"] == samples.FEED_KEY
    assert providers.pipeline.diff(created.id, read.outs or {}, engine_props(inputs)).changes is False


def test_update_sends_the_secret_again(providers: Providers, emulator: EmulatorHandle) -> None:
    inputs = samples.connection()
    created = providers.connection.create(engine_props(inputs))
    rotated = samples.connection(snowflake={**samples.snowflake(), "password": "rotated-pw-31"})
    diff = providers.connection.diff(created.id, created.outs or {}, engine_props(rotated))
    assert (diff.changes, diff.replaces) == (True, [])
    updated = providers.connection.update(created.id, created.outs or {}, engine_props(rotated))
    assert (updated.outs or {})["snowflake"]["password"] == "rotated-pw-31"
    put = [r for r in emulator.control.requests() if r.method == "PUT"]
    assert len(put) == 1 and put[0].status == 200  # accepted: PUT is a full replacement


def provoke_errors(providers: Providers, emulator: EmulatorHandle) -> list[Callable[[], Any]]:
    """Operations that fail in different layers, each with secrets in its inputs."""
    conn_inputs = samples.connection(resource_id="wh")
    bq_inputs = samples.connection("bigquery", resource_id="bq")
    pipe_inputs = samples.pipeline("missing-connection", "missing-model", resource_id="pipe")

    def duplicate() -> Any:
        providers.connection.create(engine_props(conn_inputs))
        return providers.connection.create(engine_props(conn_inputs))

    def refused_by_the_api() -> Any:
        return providers.pipeline.create(engine_props(pipe_inputs))

    def server_failure() -> Any:
        emulator.control.add_fault("error", method="POST", status=500)
        try:
            return providers.connection.create(engine_props(bq_inputs))
        finally:
            emulator.control.clear_faults()

    def invalid_arguments() -> Any:
        broken = samples.connection("redshift", resource_id="rs")
        broken["redshift"]["port"] = "5439"
        return providers.connection.create(engine_props(broken))

    def update_of_deleted() -> Any:
        emulator.control.delete_object(emulator.workspace_id, wire.CONNECTIONS, "wh")
        return providers.connection.update("wh", {"workspace_id": "1001"}, engine_props(conn_inputs))

    return [duplicate, refused_by_the_api, server_failure, invalid_arguments, update_of_deleted]


def test_secrets_never_appear_in_any_error(emulator: EmulatorHandle, no_env_settings: None) -> None:
    providers = configured(stack_config(emulator, maxAttempts="2", maxRetryWait="0.2"))
    failures = 0
    for operation in provoke_errors(providers, emulator):
        with pytest.raises(Exception) as caught:
            operation()
        assert_no_secret(everything_about(caught.value))
        failures += 1
    assert failures == 5


def test_check_failures_never_echo_secrets(providers: Providers) -> None:
    inputs = samples.pipeline(partner_feed_key=98765.0, partner_feed_id=samples.FEED_KEY)
    failures = providers.pipeline.check({}, engine_props(inputs)).failures
    assert failures
    text = repr([(f.property, f.reason) for f in failures])
    assert "98765" not in text and samples.FEED_KEY not in text
