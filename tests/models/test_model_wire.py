"""Encoding to and decoding from the wire: exact bodies, and round trips for any valid input."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.models import (
    CONNECTION,
    DATA_MODEL,
    FIELD_TRANSFORMATION,
    PIPELINE,
    ResourceModel,
)

from . import samples
from .served import RESOLVED_FEED_ID, serve
from .strategies import BY_SCHEMA

SERVING_MODES = st.sampled_from(
    [
        (wire.SECRET_MODE_OMIT, wire.PROVIDER_CASE_LOWER),
        (wire.SECRET_MODE_MASK, wire.PROVIDER_CASE_CAPITALISED),
        (wire.SECRET_MODE_OMIT, wire.PROVIDER_CASE_CAPITALISED),
        (wire.SECRET_MODE_MASK, wire.PROVIDER_CASE_LOWER),
    ]
)


def round_trip(schema: ResourceModel, inputs: dict[str, Any], secret_mode: str, provider_case: str) -> Any:
    body = schema.to_wire(inputs, "object-1")
    served = serve(schema.collection, body, secret_mode=secret_mode, provider_case=provider_case)
    return schema.from_wire(served, inputs)


@pytest.mark.parametrize("kind", sorted(BY_SCHEMA))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), mode=SERVING_MODES)
def test_strategies_only_produce_valid_inputs_and_they_round_trip(
    kind: str, data: st.DataObject, mode: tuple[str, str]
) -> None:
    schema, strategy = BY_SCHEMA[kind]
    inputs = data.draw(strategy)
    assert schema.validate(inputs) == []
    assert round_trip(schema, inputs, *mode) == inputs


def test_connection_body() -> None:
    inputs = samples.connection("redshift", state="inactive")
    inputs["redshift"]["port"] = 5440.0
    assert CONNECTION.to_wire(inputs, "wh") == {
        wire.ID: "wh",
        wire.NAME: "Analytics warehouse",
        wire.SERVICE_PROVIDER: 'redshift',
        wire.STATE: "inactive",
        'config': {**samples.redshift(), "port": 5440},
    }
    assert isinstance(CONNECTION.to_wire(inputs, "wh")['config']["port"], int)


def test_databricks_schema_argument_travels_as_schema() -> None:
    body = CONNECTION.to_wire(samples.connection("databricks"), "db")
    assert body['config'] == samples.databricks()


def test_data_model_body_puts_sql_in_config() -> None:
    assert DATA_MODEL.to_wire(samples.data_model(), "m") == {
        wire.ID: "m",
        wire.NAME: "Active users",
        'type': 'sql',
        'config': {'sql_query': "SELECT email, plan, updated_at FROM db.s.users"},
    }


def test_data_model_accepts_v1_top_level_sql_when_served() -> None:
    served = {wire.ID: "m", wire.NAME: "Active users", 'sql_query': "SELECT a FROM t"}
    assert DATA_MODEL.from_wire(served, {})["sql_query"] == "SELECT a FROM t"


def test_field_transformation_body() -> None:
    body = FIELD_TRANSFORMATION.to_wire(samples.field_transformation(), "ft")
    assert body['destination_type'] == 'event_batch'
    assert body['mappings'][2] == {'mapping_type': "ignore", 'source': "internal_note"}


def test_a_whole_static_value_travels_as_an_integer() -> None:
    """The engine hands numbers over as floats: a static value written 2 reaches the API as 2 (a
    fraction stays one, and a boolean is not a number)."""
    inputs = {"name": "ft", "mappings": [
        {"mapping_type": "static", "destination": f"events[].data.custom_attributes.v{n}", "value": value}
        for n, value in enumerate((2.0, 2.5, True, "2"))
    ]}
    values = [m["value"] for m in FIELD_TRANSFORMATION.to_wire(inputs, "ft")["mappings"]]
    assert values == [2, 2.5, True, "2"]
    assert [type(v) for v in values] == [int, float, bool, str]


def test_pipeline_body_maps_user_names_to_wire_names() -> None:
    inputs = samples.pipeline(
        paused=True,
        data_plan_id="plan",
        data_plan_version=3.0,
        sync_mode={**samples.sync_mode(), "from_": "2025-01-01T00:00:00Z"},
    )
    body = PIPELINE.to_wire(inputs, "p")
    assert body[wire.STATE] == 'paused'
    assert body['sync_mode']['from'] == "2025-01-01T00:00:00Z"
    assert "from_" not in body['sync_mode']
    assert body['data_plan_version'] == 3 and isinstance(body['data_plan_version'], int)
    assert body['partner_feed_key'] == samples.FEED_KEY
    assert 'field_transformation_id' not in body  # optional and unset: not sent
    assert PIPELINE.to_wire(samples.pipeline(), "p")[wire.STATE] == 'active'


def test_pipeline_feed_id_resolved_by_the_server_is_not_an_input() -> None:
    inputs = samples.pipeline()
    served = serve(wire.PIPELINES, PIPELINE.to_wire(inputs, "p"))
    assert served['partner_feed_id'] == RESOLVED_FEED_ID
    assert "partner_feed_id" not in PIPELINE.from_wire(served, inputs)
    assert PIPELINE.server_outputs(served)["partner_feed_id"] == RESOLVED_FEED_ID


def test_drift_shows_in_decoded_inputs() -> None:
    inputs = samples.pipeline(paused=False)
    served = serve(wire.PIPELINES, PIPELINE.to_wire(inputs, "p"))
    served[wire.STATE] = 'paused'
    served['schedule']['frequency'] = "daily"
    served['field_transformation_id'] = "added-in-the-ui"
    decoded = PIPELINE.from_wire(served, inputs)
    assert decoded["paused"] is True
    assert decoded["schedule"]["frequency"] == "daily"
    assert decoded["field_transformation_id"] == "added-in-the-ui"


def test_server_filled_values_are_not_inputs_unless_written_or_changed() -> None:
    served = serve(wire.CONNECTIONS, CONNECTION.to_wire(samples.connection("redshift"), "wh"))
    assert "port" not in CONNECTION.from_wire(served, samples.connection("redshift"))["redshift"]
    served['config']["port"] = 5440  # changed out of band from the default: that is drift
    assert CONNECTION.from_wire(served, samples.connection("redshift"))["redshift"]["port"] == 5440
    snowflake = serve(wire.CONNECTIONS, CONNECTION.to_wire(samples.connection(), "wh"))
    decoded = CONNECTION.from_wire(snowflake, samples.connection())
    assert "aws_external_id" not in decoded["snowflake"]
    assert CONNECTION.server_outputs(snowflake)["aws_external_id"] == "ext-0000"


def test_state_the_user_cannot_send_is_not_drift() -> None:
    inputs = samples.connection(state="active")
    served = serve(wire.CONNECTIONS, CONNECTION.to_wire(inputs, "wh"))
    served[wire.STATE] = "new"
    assert CONNECTION.from_wire(served, inputs)["state"] == "active"
    assert CONNECTION.server_outputs(served)["state"] == "new"
    served[wire.STATE] = "inactive"
    assert CONNECTION.from_wire(served, inputs)["state"] == "inactive"


def test_omitted_state_stays_unmanaged() -> None:
    inputs = samples.data_model()
    served = serve(wire.DATA_MODELS, DATA_MODEL.to_wire(inputs, "m"))
    served[wire.STATE] = "inactive"
    assert "state" not in DATA_MODEL.from_wire(served, inputs)


def test_error_objects_become_messages() -> None:
    served = serve(wire.CONNECTIONS, CONNECTION.to_wire(samples.connection(), "wh"))
    served[wire.ERRORS] = [{wire.ERROR_MESSAGE: "cannot reach warehouse"}, "bare text"]
    assert CONNECTION.server_outputs(served)["errors"] == ["cannot reach warehouse", "bare text"]


def test_unknown_wire_enum_values_pass_through() -> None:
    served = serve(wire.PIPELINES, PIPELINE.to_wire(samples.pipeline(), "p"))
    served['environment'] = "staging"
    assert PIPELINE.from_wire(served, samples.pipeline())["environment"] == "staging"


@pytest.mark.parametrize("kind", sorted(BY_SCHEMA))
def test_an_object_as_served_is_whole_and_a_summary_is_not(kind: str) -> None:
    schema, _ = BY_SCHEMA[kind]
    inputs = {"connection": samples.connection, "data_model": samples.data_model,
              "field_transformation": samples.field_transformation, "pipeline": samples.pipeline}[kind]()
    body = schema.to_wire(inputs, "obj-1")
    assert schema.is_whole(body)
    assert not schema.is_whole({wire.ID: "obj-1", wire.NAME: body[wire.NAME], "status": "healthy"})


def test_a_served_connection_is_whole_without_its_secret_but_not_without_its_block() -> None:
    body = CONNECTION.to_wire(samples.connection(), "wh")
    assert CONNECTION.is_whole({**body, "config": {k: v for k, v in body["config"].items() if k != "password"}})
    assert not CONNECTION.is_whole({k: v for k, v in body.items() if k != "config"})
    assert not CONNECTION.is_whole({**body, "config": {k: v for k, v in body["config"].items() if k != "warehouse"}})
    assert not CONNECTION.is_whole({k: v for k, v in body.items() if k != wire.SERVICE_PROVIDER})
