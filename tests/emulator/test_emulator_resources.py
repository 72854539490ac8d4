"""CRUD conventions (spec §2), server-computed fields, secrets, and the rules that need stored state:
duplicates, references, immutable fields, delete protection and the active-pipeline limit."""

from __future__ import annotations

import re

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.acceptance import partner_feed_id_for
from pulumi_mparticle_wsync.emulator.settings import DEFAULT_USER_EMAIL
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .emulator_support import (
    PARTNER_FEED_KEY,
    SECRET_VALUES,
    ApiSession,
    connection,
    data_model,
    in_process_api,
    message_text,
    pipeline,
    transformation,
)

SECRET_KEYS = {
    "snowflake": ("password",), "bigquery": ("service_account_key",), "redshift": ("password",), "databricks": (),
}
"""Per warehouse, its write-only config keys (spec §3), written out."""

C, D, T, P = wire.CONNECTIONS, wire.DATA_MODELS, wire.FIELD_TRANSFORMATIONS, wire.PIPELINES
TIMESTAMP = re.compile(wire.SERVER_TIMESTAMP_PATTERN)


def test_lists_are_bare_arrays_in_creation_order(api: ApiSession) -> None:
    for collection in wire.COLLECTIONS:
        answer = api.list(collection)
        assert answer.status_code == 200
        assert answer.json() == []
    for object_id in ("zeta", "alpha", "mid"):
        api.create_ok(D, data_model(object_id))
    assert [item["id"] for item in api.list(D).json()] == ["zeta", "alpha", "mid"]


def test_connections_filter_by_service_provider(api: ApiSession) -> None:
    api.create_ok(C, connection("snow", 'snowflake'))
    api.create_ok(C, connection("bq", 'bigquery'))
    api.create_ok(C, connection("rs", 'redshift'))
    assert [c["id"] for c in api.list(C, serviceProvider="bigquery").json()] == ["bq"]
    assert [c["id"] for c in api.list(C, serviceProvider="Redshift").json()] == ["rs"]
    assert api.list(C, serviceProvider="databricks").json() == []
    refused = api.list(C, serviceProvider="oracle")
    assert refused.status_code == 400
    assert "serviceProvider: use one of" in message_text(refused)


def test_created_object_has_client_id_and_server_fields(api: ApiSession) -> None:
    created = api.create_ok(C, connection("my-warehouse"))
    assert created["id"] == "my-warehouse"
    assert created[wire.STATUS_FIELD] == "healthy"
    assert created[wire.ERRORS] == []
    assert TIMESTAMP.match(created[wire.CREATED_ON])
    assert created[wire.CREATED_BY] == DEFAULT_USER_EMAIL
    assert created[wire.LAST_MODIFIED_ON] is None
    assert created[wire.LAST_MODIFIED_BY] is None
    assert created[wire.STATE] == "active"  # filled in when not sent
    assert api.get(C, "my-warehouse").json() == created


def test_put_replaces_the_whole_object_and_sets_last_modified(linked_api: ApiSession) -> None:
    created = linked_api.create_ok(P, pipeline(data_plan_id="plan", data_plan_version=3))
    body = pipeline(name="Renamed", state="paused")
    replaced = linked_api.replace(P, "pipe-1", body)
    assert replaced.status_code == 200, replaced.text
    answer = replaced.json()
    assert answer["name"] == "Renamed"
    assert answer["state"] == "paused"
    assert "data_plan_id" not in answer  # not sent on PUT, so gone: full replacement
    assert answer[wire.CREATED_ON] == created[wire.CREATED_ON]
    assert answer[wire.CREATED_BY] == created[wire.CREATED_BY]
    assert TIMESTAMP.match(answer[wire.LAST_MODIFIED_ON])
    assert answer[wire.LAST_MODIFIED_BY] == DEFAULT_USER_EMAIL
    assert linked_api.get(P, "pipe-1").json() == answer


def test_put_checks_the_path_id_against_the_body_id(api: ApiSession) -> None:
    api.create_ok(D, data_model("model-a"))
    mismatch = api.replace(D, "model-a", data_model("model-b"))
    assert mismatch.status_code == 400
    assert "id: the body id 'model-b' must equal the id in the path 'model-a'" in message_text(mismatch)
    no_id = data_model("model-a")
    del no_id["id"]
    assert "id: required" in message_text(api.replace(D, "model-a", no_id))
    missing = api.replace(D, "model-z", data_model("model-z"))
    assert missing.status_code == 404
    assert "Data model 'model-z' was not found in workspace 1001" in message_text(missing)


def test_delete_answers_204_then_404(api: ApiSession) -> None:
    api.create_ok(T, transformation("ft-a"))
    deleted = api.delete(T, "ft-a")
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert api.get(T, "ft-a").status_code == 404
    again = api.delete(T, "ft-a")
    assert again.status_code == 404
    assert "Field transformation 'ft-a' was not found" in message_text(again)


def test_workspaces_are_created_on_first_use_and_isolated(api: ApiSession) -> None:
    api.create_ok(D, data_model("shared-id"))
    other = api.request("POST", api.path(D, workspace_id="2002"), json=data_model("shared-id"))
    assert other.status_code == 200
    assert [m["id"] for m in api.request("GET", api.path(D, workspace_id="2002")).json()] == ["shared-id"]
    assert api.request("GET", api.path(D, workspace_id="3003")).json() == []


@pytest.mark.parametrize("provider", ('snowflake', 'bigquery', 'redshift', 'databricks'))
def test_secrets_are_stored_but_never_returned(api: ApiSession, provider: str) -> None:
    created = api.create_ok(C, connection("c", provider))
    answers = [created, api.get(C, "c").json(), *api.list(C).json()]
    for answer in answers:
        for secret in SECRET_KEYS[provider]:
            assert secret not in answer["config"]
    for text in (api.get(C, "c").text, api.list(C).text):
        assert not any(value in text for value in SECRET_VALUES)


def test_secret_values_are_kept_server_side() -> None:
    with in_process_api() as (api, state, _):
        api.create_ok(C, connection("c"))
        stored = state.store.get("1001", C, "c")
        assert stored is not None
        assert stored["config"]["password"] == "snowflake-password-value"


def test_put_must_resend_secrets_and_masked_literal_keeps_them() -> None:
    with in_process_api() as (api, state, _):
        api.create_ok(C, connection("c"))
        without_password = connection("c")
        del without_password["config"]["password"]
        refused = api.replace(C, "c", without_password)
        assert refused.status_code == 400
        assert "config.password: required for service_provider snowflake; it is write-only" in message_text(refused)

        masked = connection("c", name="Renamed")
        masked["config"]["password"] = wire.MASKED_SECRET
        assert api.replace(C, "c", masked).status_code == 200
        stored = state.store.get("1001", C, "c")
        assert stored is not None
        assert stored["config"]["password"] == "snowflake-password-value"


def test_server_fills_snowflake_aws_fields_stably(api: ApiSession) -> None:
    created = api.create_ok(C, connection("snow"))
    arn, external_id = created["config"]["aws_iam_user_arn"], created["config"]["aws_external_id"]
    assert arn.startswith("arn:aws:iam::")
    assert external_id
    replaced = api.replace(C, "snow", connection("snow", name="Renamed")).json()
    assert (replaced["config"]["aws_iam_user_arn"], replaced["config"]["aws_external_id"]) == (
        arn,
        external_id,
    )
    mine = connection("snow2")
    mine["config"].update(aws_iam_user_arn="arn:aws:iam::1:user/me", aws_external_id="mine")
    assert api.create_ok(C, mine)["config"]["aws_external_id"] == "mine"


def test_server_fills_redshift_port(api: ApiSession) -> None:
    assert api.create_ok(C, connection("rs", 'redshift'))["config"]["port"] == 5439
    custom = connection("rs2", 'redshift')
    custom["config"]["port"] = 5440
    assert api.create_ok(C, custom)["config"]["port"] == 5440


def test_partner_feed_key_resolves_to_a_stable_feed_id(linked_api: ApiSession) -> None:
    body = pipeline("p-key", partner_feed_key=PARTNER_FEED_KEY)
    del body["partner_feed_id"]
    created = linked_api.create_ok(P, body)
    assert created["partner_feed_id"] == partner_feed_id_for(PARTNER_FEED_KEY)
    assert isinstance(created["partner_feed_id"], int)
    assert "partner_feed_key" not in created
    second = pipeline("p-key-2", partner_feed_key=PARTNER_FEED_KEY, state="paused")
    del second["partner_feed_id"]
    assert linked_api.create_ok(P, second)["partner_feed_id"] == created["partner_feed_id"]
    assert PARTNER_FEED_KEY not in linked_api.list(P).text


def test_duplicate_id_is_a_conflict(api: ApiSession) -> None:
    api.create_ok(C, connection("dup"))
    answer = api.create(C, connection("dup", name="Another"))
    assert answer.status_code == 409
    assert "Connection with id 'dup' already exists in workspace 1001" in message_text(answer)
    assert api.get(C, "dup").json()["name"] == "Connection dup"


def test_service_provider_cannot_change(api: ApiSession) -> None:
    api.create_ok(C, connection("c", 'snowflake'))
    changed = api.replace(C, "c", connection("c", 'bigquery'))
    assert changed.status_code == 400
    assert "service_provider: cannot change from snowflake to bigquery" in message_text(changed)
    same_in_other_case = connection("c", service_provider="SNOWFLAKE")
    assert api.replace(C, "c", same_in_other_case).status_code == 200


def test_pipeline_type_cannot_change(linked_api: ApiSession) -> None:
    linked_api.create_ok(P, pipeline())
    changed = linked_api.replace(P, "pipe-1", pipeline(pipeline_type="events", field_transformation_id="ft-1"))
    assert changed.status_code == 400
    assert "pipeline_type: cannot change from user_attributes to events" in message_text(changed)
    assert linked_api.replace(P, "pipe-1", pipeline(name="same type")).status_code == 200


def test_put_checks_references_too(linked_api: ApiSession) -> None:
    linked_api.create_ok(P, pipeline())
    answer = linked_api.replace(P, "pipe-1", pipeline(data_model_id="gone"))
    assert answer.status_code == 400
    assert "data_model_id: data model 'gone' does not exist" in message_text(answer)


@pytest.mark.parametrize(
    ("collection", "object_id", "field"),
    [(C, "conn-1", "connection_id"), (D, "model-1", "data_model_id"), (T, "ft-1", "field_transformation_id")],
)
def test_referenced_objects_cannot_be_deleted(
    linked_api: ApiSession, collection: str, object_id: str, field: str
) -> None:
    linked_api.create_ok(P, pipeline("uses-it", pipeline_type="events", field_transformation_id="ft-1"))
    refused = linked_api.delete(collection, object_id)
    assert refused.status_code == 400
    text = message_text(refused)
    assert "is used by pipeline uses-it" in text
    assert field in text
    assert linked_api.get(collection, object_id).status_code == 200
    assert linked_api.delete(P, "uses-it").status_code == 204
    assert linked_api.delete(collection, object_id).status_code == 204


def test_at_most_five_active_pipelines_on_create(linked_api: ApiSession) -> None:
    for n in range(wire.MAX_ACTIVE_PIPELINES):
        linked_api.create_ok(P, pipeline(f"p{n}"))
    sixth = linked_api.create(P, pipeline("p5"))
    assert sixth.status_code == 400
    assert "state: workspace 1001 already has 5 active pipelines (p0, p1, p2, p3, p4)" in message_text(sixth)
    assert linked_api.create(P, pipeline("p5", state="paused")).status_code == 200
    # An active pipeline may still be replaced while five are active.
    assert linked_api.replace(P, "p0", pipeline("p0", name="renamed")).status_code == 200


def test_at_most_five_active_pipelines_on_resume(linked_api: ApiSession) -> None:
    for n in range(wire.MAX_ACTIVE_PIPELINES):
        linked_api.create_ok(P, pipeline(f"p{n}"))
    linked_api.create_ok(P, pipeline("resting", state="paused"))
    resumed = linked_api.replace(P, "resting", pipeline("resting", state="active"))
    assert resumed.status_code == 400
    assert "state: workspace 1001 already has 5 active pipelines" in message_text(resumed)
    assert linked_api.replace(P, "p0", pipeline("p0", state="paused")).status_code == 200
    assert linked_api.replace(P, "resting", pipeline("resting", state="active")).status_code == 200


def test_the_limit_is_per_workspace(linked_api: ApiSession, emulator: EmulatorHandle) -> None:
    for n in range(wire.MAX_ACTIVE_PIPELINES):
        linked_api.create_ok(P, pipeline(f"p{n}"))
    for collection, body in ((C, connection()), (D, data_model())):
        emulator.control.seed_object("2002", collection, body)
    assert linked_api.request("POST", linked_api.path(P, workspace_id="2002"), json=pipeline()).status_code == 200
