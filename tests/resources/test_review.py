"""What the provider adds for a reviewer (resources/_review.py): ``secret_versions``, counted by ``check``,
and the notes it prints for the engine's diagnostics (an adoption, a replacement, an object deleted
outside Pulumi). The engine's rendering of both is in tests/engine/test_preview_output.py."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.models import CONNECTION, PIPELINE, UNKNOWN
from pulumi_mparticle_wsync.resources._review import NOTE_PREFIX, secret_versions

from ..models import samples
from .conftest import Providers
from .helpers import engine_props

SNOWFLAKE_PATHS = CONNECTION.secret_paths


def _notes(err: str) -> list[str]:
    return [line.removeprefix(f"{NOTE_PREFIX} ") for line in err.splitlines() if line.startswith(NOTE_PREFIX)]


# --- secret_versions --------------------------------------------------------------------------------


def test_every_secret_of_a_create_starts_at_one() -> None:
    assert secret_versions(SNOWFLAKE_PATHS, {}, samples.connection()) == {"snowflake.password": 1}
    assert secret_versions(PIPELINE.secret_paths, {}, samples.pipeline(partner_feed_key=samples.FEED_KEY)) == {
        "partner_feed_key": 1,
    }


def test_a_changed_secret_counts_one_more_and_an_unchanged_one_keeps_its_version() -> None:
    olds = {**samples.connection(), "secret_versions": {"snowflake.password": 3}}
    rotated = samples.connection()
    rotated["snowflake"]["password"] = "rotated-pw-1"
    assert secret_versions(SNOWFLAKE_PATHS, olds, rotated) == {"snowflake.password": 4}
    assert secret_versions(SNOWFLAKE_PATHS, olds, samples.connection()) == {"snowflake.password": 3}


def test_a_state_written_before_the_count_starts_it_at_one() -> None:
    rotated = samples.connection()
    rotated["snowflake"]["password"] = "rotated-pw-1"
    assert secret_versions(SNOWFLAKE_PATHS, samples.connection(), rotated) == {"snowflake.password": 2}
    assert secret_versions(SNOWFLAKE_PATHS, samples.connection(), samples.connection()) == {"snowflake.password": 1}


def test_a_secret_not_known_yet_keeps_its_version() -> None:
    olds = {**samples.connection(), "secret_versions": {"snowflake.password": 2}}
    news = samples.connection()
    news["snowflake"]["password"] = UNKNOWN
    assert secret_versions(SNOWFLAKE_PATHS, olds, news) == {"snowflake.password": 2}


def test_a_secret_counts_as_changed_exactly_when_the_diff_sees_a_change(providers: Providers) -> None:
    olds = {**samples.connection("bigquery"), "workspace_id": "1001"}
    news = samples.connection("bigquery")
    news["bigquery"]["service_account_key"] = json.dumps(json.loads(samples.BIGQUERY_KEY), indent=2)
    # Another text of the same key is sent again, so it is a change, and counted as one.
    assert secret_versions(CONNECTION.secret_paths, olds, news) == {"bigquery.service_account_key": 2}
    assert providers.connection.diff("wh", olds, engine_props(news)).changes is True
    assert secret_versions(CONNECTION.secret_paths, olds, samples.connection("bigquery")) == {
        "bigquery.service_account_key": 1,
    }
    assert providers.connection.diff("wh", olds, engine_props(samples.connection("bigquery"))).changes is False


def test_only_the_secrets_set_are_counted() -> None:
    assert secret_versions(SNOWFLAKE_PATHS, {}, samples.connection("databricks")) is None
    account = {"client_id": "c", "client_secret": "s3cret-a", "workspace_id": "1001"}
    olds = {**samples.connection("databricks"), "account": account}
    news = {**samples.connection("databricks"), "account": {**account, "client_secret": "s3cret-b"}}
    assert secret_versions(CONNECTION.secret_paths, olds, news) == {"account.client_secret": 2}


# --- check --------------------------------------------------------------------------------------------


def test_check_counts_a_rotated_password_from_the_recorded_inputs(providers: Providers) -> None:
    created = providers.connection.create(engine_props(providers.connection.check({}, engine_props(
        samples.connection(resource_id="wh"))).inputs))
    rotated = samples.connection(resource_id="wh")
    rotated["snowflake"]["password"] = "rotated-pw-1"

    checked = providers.connection.check(dict(created.outs or {}), engine_props(rotated))

    assert (created.outs or {})["secret_versions"] == {"snowflake.password": 1}
    assert checked.failures == []
    assert checked.inputs == {**rotated, "secret_versions": {"snowflake.password": 2}}
    diff = providers.connection.diff("wh", dict(created.outs or {}), engine_props(checked.inputs))
    assert (diff.changes, diff.replaces) == (True, [])


def test_check_ignores_a_count_the_program_wrote(providers: Providers) -> None:
    written = {**samples.connection(), "secret_versions": {"snowflake.password": 99, "made.up": 1}}
    assert providers.connection.check({}, engine_props(written)).inputs["secret_versions"] == {
        "snowflake.password": 1,
    }


def test_a_count_alone_is_no_change(providers: Providers) -> None:
    inputs = {**samples.connection(resource_id="wh"), "secret_versions": {"snowflake.password": 1}}
    created = providers.connection.create(engine_props(inputs))
    recounted = {**inputs, "secret_versions": {"snowflake.password": 7}}
    diff = providers.connection.diff("wh", dict(created.outs or {}), engine_props(recounted))
    assert (diff.changes, diff.replaces) == (False, [])


# --- notes --------------------------------------------------------------------------------------------


def test_a_create_with_adopt_says_a_live_object_may_be_overwritten(
    providers: Providers, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = samples.data_model(resource_id="users", adopt=True)
    providers.data_model.check({}, engine_props(inputs))
    assert _notes(capsys.readouterr().out) == [
        "DataModel 'active-users' has adopt=True: if DataModel 'users' already exists in workspace 1001, "
        "`pulumi up` takes it over and overwrites it with this program's values (a PUT of the whole object: "
        "what the program leaves out is reset); otherwise it creates it. See docs/adopting.md."
    ]


def test_adopt_says_nothing_once_the_resource_exists_or_without_adopt(
    providers: Providers, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = samples.data_model(resource_id="users", adopt=True)
    providers.data_model.check(inputs, engine_props(inputs))
    providers.data_model.check({}, engine_props(samples.data_model(resource_id="users")))
    assert _notes(capsys.readouterr().out) == []


def test_a_replacement_names_the_argument_that_forces_it(
    providers: Providers, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = samples.data_model(resource_id="users")
    created = providers.data_model.create(engine_props(inputs))
    capsys.readouterr()

    providers.data_model.diff("users", dict(created.outs or {}), engine_props({**inputs, "resource_id": "people"}))
    providers.data_model.diff("users", dict(created.outs or {}), engine_props({**inputs, "workspace_id": "2002"}))

    assert _notes(capsys.readouterr().out) == [
        "DataModel 'active-users' is replaced, not updated: resource_id (\"users\" => \"people\") cannot change "
        "in place, so a new data model is created, then 'users' is deleted.",
        "DataModel 'active-users' is replaced, not updated: workspace_id (\"1001\" => \"2002\") cannot change "
        "in place, so a new data model is created, then 'users' is deleted.",
    ]


def test_a_replacement_keeping_its_id_says_the_old_object_goes_first(
    providers: Providers, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = samples.pipeline(resource_id="sync", partner_feed_key=samples.FEED_KEY)
    olds: dict[str, Any] = {**inputs, "workspace_id": "1001", "__input_keys": sorted(inputs)}

    providers.pipeline.diff("sync", olds, engine_props({**inputs, "pipeline_type": "events",
                                                         "field_transformation_id": "ft"}))

    assert _notes(capsys.readouterr().out) == [
        "Pipeline 'users-hourly' is replaced, not updated: pipeline_type (\"user_attributes\" => \"events\") "
        "cannot change in place, so the pipeline 'sync' is deleted first, then created again (the new one takes "
        "the same id)."
    ]


def test_a_warehouse_switch_names_the_blocks_without_their_values(
    providers: Providers, capsys: pytest.CaptureFixture[str]
) -> None:
    olds = {**samples.connection(), "workspace_id": "1001"}
    providers.connection.diff("wh-1", olds, engine_props(samples.connection("redshift")))
    [note] = _notes(capsys.readouterr().out)
    assert note == (
        "Connection 'warehouse' is replaced, not updated: redshift, snowflake cannot change in place, so a new "
        "connection is created, then 'wh-1' is deleted."
    )
    assert all(secret not in note for secret in samples.SECRETS)


def test_a_refresh_that_finds_an_object_deleted_says_so(
    providers: Providers, emulator: EmulatorHandle, capsys: pytest.CaptureFixture[str]
) -> None:
    created = providers.data_model.create(engine_props(samples.data_model(resource_id="users")))
    emulator.control.delete_object("1001", wire.DATA_MODELS, "users")
    capsys.readouterr()

    gone = providers.data_model.read("users", dict(created.outs or {}))

    assert (gone.id, gone.outs) == ("", {})
    assert _notes(capsys.readouterr().out) == [
        "DataModel 'active-users': DataModel 'users' in workspace 1001 was deleted outside Pulumi; the refresh "
        "removes it from the stack's state, and the next `pulumi up` creates it again."
    ]
