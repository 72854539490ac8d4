"""Does a served object match what was sent? (Used to accept a create whose answer was lost.)"""

from __future__ import annotations

import copy
from typing import Any

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import differences

from .client_fakes import connection_body, pipeline_body


def served_from(sent: dict[str, Any], **changes: Any) -> dict[str, Any]:
    served = copy.deepcopy(sent)
    served.update(
        {
            wire.STATUS_FIELD: "healthy",
            wire.ERRORS: [],
            wire.CREATED_ON: "2024-01-01T00:00:00.000Z",
            wire.CREATED_BY: "a@b.c",
            wire.LAST_MODIFIED_ON: None,
            wire.LAST_MODIFIED_BY: None,
            "a_field_from_the_future": {"x": 1},
        }
    )
    served.update(changes)
    return served


def test_identical_object_with_server_fields_matches() -> None:
    sent = connection_body()
    assert differences(wire.CONNECTIONS, sent, served_from(sent)) == []


def test_omitted_and_masked_secrets_match() -> None:
    sent = connection_body()
    omitted = served_from(sent)
    del omitted['config']["password"]
    masked = served_from(sent)
    masked['config']["password"] = wire.MASKED_SECRET
    assert differences(wire.CONNECTIONS, sent, omitted) == []
    assert differences(wire.CONNECTIONS, sent, masked) == []


def test_a_served_secret_with_another_value_differs() -> None:
    sent = connection_body()
    served = served_from(sent)
    served['config']["password"] = "something-else"
    assert differences(wire.CONNECTIONS, sent, served) == ["config.password"]


def test_provider_case_is_ignored_but_provider_is_not() -> None:
    sent = connection_body()
    assert differences(wire.CONNECTIONS, sent, served_from(sent, service_provider="Snowflake")) == []
    assert differences(wire.CONNECTIONS, sent, served_from(sent, service_provider="BigQuery")) == [
        "service_provider"
    ]


def test_server_filled_config_keys_are_ignored_unless_sent() -> None:
    sent = connection_body()
    served = served_from(sent)
    served['config'].update({"aws_iam_user_arn": "arn:aws:iam::1:user/x", "aws_external_id": "ext"})
    assert differences(wire.CONNECTIONS, sent, served) == []
    sent['config']["aws_external_id"] = "mine"
    assert differences(wire.CONNECTIONS, sent, served) == ["config.aws_external_id"]


def test_redshift_port_compares_as_a_number() -> None:
    sent = {wire.ID: "r", 'config': {"port": 5439}}
    assert differences(wire.CONNECTIONS, sent, {wire.ID: "r", 'config': {"port": "5439"}}) == []
    assert differences(wire.CONNECTIONS, sent, {wire.ID: "r", 'config': {"port": 5440}}) == ["config.port"]


def test_partner_feed_key_resolved_to_an_id_matches() -> None:
    sent = pipeline_body()
    served = served_from(sent)
    del served['partner_feed_key']
    served['partner_feed_id'] = 77
    assert differences(wire.PIPELINES, sent, served) == []


def test_null_and_absent_are_the_same_for_optional_fields() -> None:
    sent = pipeline_body()  # field_transformation_id is None
    served = served_from(sent)
    del served['field_transformation_id']
    assert differences(wire.PIPELINES, sent, served) == []
    served['field_transformation_id'] = "ft"
    assert differences(wire.PIPELINES, sent, served) == ['field_transformation_id']


def test_timestamps_compare_as_moments() -> None:
    sent = pipeline_body()
    served = served_from(sent)
    served['schedule']['start'] = "2024-01-01T00:00:00.000Z"
    assert differences(wire.PIPELINES, sent, served) == []
    served['schedule']['start'] = "2024-01-01T00:15:00.000Z"
    assert differences(wire.PIPELINES, sent, served) == ["schedule.start"]


def test_nested_lists_are_compared_item_by_item() -> None:
    sent: dict[str, Any] = {
        wire.ID: "ft",
        'mappings': [
            {
                'mapping_type': "column",
                'source': "a",
                'destination': "events[].data.a",
            },
            {'mapping_type': "ignore", 'source': "b"},
        ],
    }
    served = copy.deepcopy(sent)
    served['mappings'][1]['destination'] = None  # served with explicit nulls
    assert differences(wire.FIELD_TRANSFORMATIONS, sent, served) == []
    served['mappings'][0]['source'] = "z"
    assert differences(wire.FIELD_TRANSFORMATIONS, sent, served) == ["mappings[0].source"]
    served['mappings'].pop()
    assert differences(wire.FIELD_TRANSFORMATIONS, sent, served) == ["mappings"]


def test_missing_fields_and_type_changes_differ() -> None:
    sent = connection_body()
    served = served_from(sent)
    del served[wire.NAME]
    served['config'] = "not an object"
    assert differences(wire.CONNECTIONS, sent, served) == [wire.NAME, 'config']


def test_booleans_are_not_numbers() -> None:
    assert differences(wire.PIPELINES, {"x": 1}, {"x": True}) == ["x"]
    assert differences(wire.PIPELINES, {"x": True}, {"x": True}) == []


def test_a_connection_reported_new_matches_the_state_sent() -> None:
    sent = connection_body()
    assert differences(wire.CONNECTIONS, sent, served_from(sent, state="new")) == []
    assert differences(wire.CONNECTIONS, sent, served_from(sent, state="inactive")) == [wire.STATE]
    assert differences(wire.PIPELINES, {wire.STATE: "active"}, {wire.STATE: "new"}) == [wire.STATE]
