"""``check`` and ``diff`` are offline: no settings, no API. They are driven here directly."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi.dynamic import ResourceProvider
from pulumi.output import UNKNOWN as SDK_UNKNOWN

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.models import UNKNOWN, ResourceModel
from pulumi_mparticle_wsync.resources import (
    ConnectionProvider,
    DataModelProvider,
    FieldTransformationProvider,
    PipelineProvider,
)
from pulumi_mparticle_wsync.resources._base import WarehouseSyncProvider, previous_inputs
from pulumi_mparticle_wsync.state_layout import PROVIDER_KEY, build_outputs, generate_id

from ..models import samples
from ..models.served import serve
from ..models.strategies import BY_SCHEMA

SERIALIZED = "gASV-serialized-provider"
EVENTS = {"pipeline_type": "events", "field_transformation_id": "ft"}
PROVIDERS: dict[str, WarehouseSyncProvider] = {
    "connection": ConnectionProvider(),
    "data_model": DataModelProvider(),
    "field_transformation": FieldTransformationProvider(),
    "pipeline": PipelineProvider(),
}


def outputs_after_create(
    provider: WarehouseSyncProvider, inputs: dict[str, Any], object_id: str = "obj-1", **serving: str
) -> dict[str, Any]:
    """The outputs ``create`` would store (plus the engine's ``__provider``)."""
    model = provider.model
    served = serve(model.collection, model.to_wire(inputs, object_id), **serving)
    outputs = build_outputs(model.server_outputs(served), inputs, object_id, "1001")
    outputs[PROVIDER_KEY] = SERIALIZED
    return outputs


def outputs_after_refresh(
    provider: WarehouseSyncProvider, outputs: dict[str, Any], object_id: str = "obj-1", **serving: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(inputs, outputs) ``read`` would return for an object nobody changed."""
    model = provider.model
    previous = previous_inputs(model, outputs)
    served = serve(model.collection, model.to_wire(previous, object_id), **serving)
    inputs = model.from_wire(served, previous)
    return inputs, build_outputs(model.server_outputs(served), inputs, object_id, "1001")


def news(inputs: dict[str, Any]) -> dict[str, Any]:
    return {**copy.deepcopy(inputs), PROVIDER_KEY: SERIALIZED}


# --- check ----------------------------------------------------------------------------------


def test_check_returns_the_inputs_exactly_as_written() -> None:
    inputs = samples.pipeline(paused=False, partner_feed_key=samples.FEED_KEY)
    result = PROVIDERS["pipeline"].check({}, news(inputs))
    assert result.failures == []
    # nothing added (no defaults, no computed values) but the count of the secret's changes
    assert result.inputs == {**inputs, "secret_versions": {"partner_feed_key": 1}}


def test_check_reports_nested_failures_on_their_top_level_argument() -> None:
    # The engine shows the value of the property a failure names, looked up among the top-level
    # inputs only: a failure naming sync_mode.iterator_field would show {<nil>}.
    inputs = samples.pipeline(sync_mode={"type": "incremental"})
    result = PROVIDERS["pipeline"].check({}, news(inputs))
    assert [(f.property, f.reason) for f in result.failures] == [
        ("sync_mode", "sync_mode.iterator_field: is required for incremental sync: name the column that grows "
                      "with each change (e.g. updated_at)"),
        ("sync_mode", "sync_mode.iterator_data_type: is required for incremental sync: give the iterator "
                      "column's type, one of timestamp, timestamp_ltz, timestamp_ntz, timestamp_tz, datetime, date, "
                      "timestamp_unixtime_ms, timestamp_unixtime_s"),
    ]
    assert result.inputs == {**inputs, "secret_versions": {"partner_feed_key": 1}}


def test_check_reports_top_level_failures_as_they_are() -> None:
    result = PROVIDERS["pipeline"].check({}, news(samples.pipeline(environment="prod")))
    assert [(f.property, f.reason) for f in result.failures] == [
        ("environment", "must be one of 'development' or 'production', not 'prod'"),
    ]


def test_check_names_no_property_for_an_argument_not_given() -> None:
    # The engine would show the value as {<nil>}: the reason names the argument instead.
    inputs = samples.pipeline()
    del inputs["partner_feed_key"]
    failures = PROVIDERS["pipeline"].check({}, news(inputs)).failures
    assert [(f.property, f.reason.split(": ")[0]) for f in failures] == [("", "partner_feed_id")]
    failures = PROVIDERS["connection"].check({}, news(samples.connection(snowflake=None))).failures
    assert [(f.property, f.reason.split(":")[0]) for f in failures] == [
        ("", "a Connection needs exactly one warehouse block"),
    ]


def test_check_does_not_show_a_block_holding_an_unknown_name() -> None:
    # The value under a misspelt name may be a secret the resource class could not mark: a
    # failure naming the block would make the engine print it in clear.
    snowflake = {**samples.snowflake(), "warehouse": " ", "passwrd": "typed-under-the-wrong-name"}
    failures = PROVIDERS["connection"].check({}, news(samples.connection(snowflake=snowflake))).failures
    assert sorted((f.property, f.reason.split(":")[0]) for f in failures) == [
        ("", "snowflake.passwrd"), ("", "snowflake.warehouse"),
    ]
    assert all("typed-under-the-wrong-name" not in f.reason for f in failures)


@pytest.mark.parametrize("unknown", [UNKNOWN, SDK_UNKNOWN], ids=["sentinel", "sdk-object"])
def test_check_passes_unknowns_through(unknown: Any) -> None:
    inputs = samples.pipeline(connection_id=unknown, data_model_id=unknown)
    result = PIPELINE_PROVIDER.check({}, {**inputs, PROVIDER_KEY: unknown})
    assert result.failures == []
    assert result.inputs == {**inputs, "secret_versions": {"partner_feed_key": 1}}


PIPELINE_PROVIDER = PROVIDERS["pipeline"]
CONNECTION_PROVIDER = PROVIDERS["connection"]


def test_check_does_not_validate_again_the_inputs_it_recorded() -> None:
    # An earlier version accepted environment="prod" and the engine recorded it (the inputs of the
    # last check): a check of the same program leaves it be, as ``up`` leaves the object be.
    recorded = {**samples.pipeline(environment="prod"), "secret_versions": {"partner_feed_key": 1}}
    result = PIPELINE_PROVIDER.check(news(recorded), news(samples.pipeline(environment="prod")))
    assert result.failures == []
    assert result.inputs == recorded
    # Any change validates the whole resource again, the value kept included.
    changed = PIPELINE_PROVIDER.check(news(recorded), news(samples.pipeline(environment="prod", name="Renamed")))
    assert [(f.property, f.reason) for f in changed.failures] == [
        ("environment", "must be one of 'development' or 'production', not 'prod'"),
    ]
    # A create (nothing recorded) validates.
    assert len(PIPELINE_PROVIDER.check({}, news(samples.pipeline(environment="prod"))).failures) == 1


# --- diff -----------------------------------------------------------------------------------


def diff_of(provider: WarehouseSyncProvider, before: dict[str, Any], after: dict[str, Any],
            object_id: str = "obj-1") -> tuple[bool | None, list[str], bool | None]:
    result = provider.diff(object_id, outputs_after_create(provider, before, object_id), news(after))
    return result.changes, sorted(result.replaces or []), result.delete_before_replace


def test_equal_inputs_are_no_change() -> None:
    for kind, inputs in {
        "connection": samples.connection(),
        "data_model": samples.data_model(),
        "field_transformation": samples.field_transformation(),
        "pipeline": samples.pipeline(),
    }.items():
        assert diff_of(PROVIDERS[kind], inputs, inputs) == (False, [], False), kind


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        pytest.param(samples.pipeline(), samples.pipeline(name="Renamed"), (True, [], False), id="name"),
        pytest.param(samples.pipeline(), samples.pipeline(paused=True), (True, [], False), id="pause"),
        pytest.param(samples.pipeline(paused=True), samples.pipeline(paused=False), (True, [], False),
                     id="resume"),
        pytest.param(samples.pipeline(), samples.pipeline(paused=False), (False, [], False),
                     id="paused-false-is-the-default"),
        pytest.param(samples.pipeline(), samples.pipeline(**EVENTS),
                     (True, ["pipeline_type"], False), id="type-replaces"),
        pytest.param(samples.pipeline(resource_id="obj-1"), samples.pipeline(resource_id="obj-1", **EVENTS),
                     (True, ["pipeline_type"], True), id="type-replaces-same-id-deletes-first"),
        pytest.param(samples.pipeline(resource_id="obj-1"), samples.pipeline(resource_id="obj-2"),
                     (True, ["resource_id"], False), id="new-id-creates-first"),
        pytest.param(samples.pipeline(), samples.pipeline(resource_id="obj-1"), (False, [], False),
                     id="pinning-the-current-id"),
        pytest.param(samples.pipeline(resource_id="obj-1"), samples.pipeline(), (False, [], False),
                     id="unpinning-keeps-the-object"),
        pytest.param(samples.pipeline(), samples.pipeline(workspace_id="2002"),
                     (True, ["workspace_id"], False), id="other-workspace-replaces"),
        pytest.param(samples.pipeline(), samples.pipeline(workspace_id=1001.0), (False, [], False),
                     id="same-workspace-as-number"),
        pytest.param(samples.pipeline(workspace_id="1001"), samples.pipeline(), (False, [], False),
                     id="workspace-argument-dropped"),
        pytest.param(samples.pipeline(),
                     samples.pipeline(partner_feed_key=None, partner_feed_id=48213),
                     (True, [], False), id="feed-key-to-id"),
        pytest.param(samples.pipeline(schedule={**samples.schedule(), "end": "2027-01-01T00:00:00Z"}),
                     samples.pipeline(), (True, [], False), id="optional-removed"),
        pytest.param(samples.pipeline(),
                     samples.pipeline(schedule={**samples.schedule(), "start": "2026-01-01T01:15:00+01:00"}),
                     (False, [], False), id="same-instant-other-spelling"),
        pytest.param(samples.pipeline(), samples.pipeline(pulumi_name="renamed-resource", adopt=False),
                     (False, [], False), id="steering-inputs-only"),
        pytest.param(samples.pipeline(), samples.pipeline(partner_feed_key="rotated"), (True, [], False),
                     id="secret-compared-by-value"),
    ],
)
def test_pipeline_diff(before: dict[str, Any], after: dict[str, Any], expected: tuple[Any, ...]) -> None:
    before = {k: v for k, v in before.items() if v is not None}
    after = {k: v for k, v in after.items() if v is not None}
    assert diff_of(PIPELINE_PROVIDER, before, after) == expected


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        pytest.param(samples.connection(), samples.connection("bigquery"),
                     (True, ["bigquery", "snowflake"], False), id="other-warehouse-replaces"),
        pytest.param(samples.connection(resource_id="obj-1"),
                     samples.connection("redshift", resource_id="obj-1"),
                     (True, ["redshift", "snowflake"], True), id="other-warehouse-same-id"),
        pytest.param(samples.connection(),
                     samples.connection(snowflake={**samples.snowflake(), "password": "rotated"}),
                     (True, [], False), id="password-in-place"),
        pytest.param(samples.connection(), samples.connection(state="active"), (False, [], False),
                     id="state-written-as-served"),
        pytest.param(samples.connection(), samples.connection(state="inactive"), (True, [], False),
                     id="state-written-differently"),
        pytest.param(samples.connection(state="inactive"), samples.connection(), (False, [], False),
                     id="state-left-to-the-server"),
    ],
)
def test_connection_diff(before: dict[str, Any], after: dict[str, Any], expected: tuple[Any, ...]) -> None:
    assert diff_of(CONNECTION_PROVIDER, before, after) == expected


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        pytest.param(samples.pipeline(connection_id=UNKNOWN), (True, [], False), id="reference"),
        pytest.param(samples.pipeline(pipeline_type=UNKNOWN), (True, ["pipeline_type"], False),
                     id="immutable"),
        pytest.param(samples.pipeline(resource_id=UNKNOWN), (True, ["resource_id"], True), id="id"),
        pytest.param(samples.pipeline(schedule={**samples.schedule(), "start": UNKNOWN}), (True, [], False),
                     id="nested"),
    ],
)
def test_unknown_values_are_changes(after: dict[str, Any], expected: tuple[Any, ...]) -> None:
    result = PIPELINE_PROVIDER.diff(
        "obj-1", outputs_after_create(PIPELINE_PROVIDER, samples.pipeline()), {**after, PROVIDER_KEY: UNKNOWN}
    )
    assert (result.changes, sorted(result.replaces or []), result.delete_before_replace) == expected
    as_sdk_objects = {k: SDK_UNKNOWN if v is UNKNOWN else v for k, v in after.items()}
    result = PIPELINE_PROVIDER.diff(
        "obj-1", outputs_after_create(PIPELINE_PROVIDER, samples.pipeline()), as_sdk_objects
    )
    assert (result.changes, sorted(result.replaces or []), result.delete_before_replace) == expected


def test_unknown_warehouse_block_replaces_when_it_is_another_one() -> None:
    olds = outputs_after_create(CONNECTION_PROVIDER, samples.connection())
    another = {"name": "Analytics warehouse", "bigquery": UNKNOWN}
    result = CONNECTION_PROVIDER.diff("obj-1", olds, news(another))
    assert result.changes is True
    assert sorted(result.replaces or []) == ["bigquery", "snowflake"]


SERVINGS = st.sampled_from(
    [
        {"secret_mode": wire.SECRET_MODE_OMIT, "provider_case": wire.PROVIDER_CASE_LOWER},
        {"secret_mode": wire.SECRET_MODE_MASK, "provider_case": wire.PROVIDER_CASE_CAPITALISED},
    ]
)


@pytest.mark.parametrize("kind", sorted(BY_SCHEMA))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), serving=SERVINGS)
def test_diff_of_x_with_x_is_no_change(kind: str, data: st.DataObject, serving: dict[str, str]) -> None:
    strategy = BY_SCHEMA[kind][1]
    provider = PROVIDERS[kind]
    inputs = data.draw(strategy)
    object_id = inputs.get("resource_id", "obj-1")
    created = outputs_after_create(provider, inputs, object_id, **serving)
    assert provider.diff(object_id, created, news(inputs)).changes is False
    refreshed_inputs, refreshed = outputs_after_refresh(provider, created, object_id, **serving)
    assert refreshed_inputs == inputs
    assert provider.diff(object_id, refreshed, news(inputs)).changes is False


def test_every_provider_is_a_dynamic_provider_with_its_model() -> None:
    models: list[ResourceModel] = []
    for provider in PROVIDERS.values():
        assert isinstance(provider, ResourceProvider)
        assert vars(provider) == {}  # nothing to pickle, nothing captured
        models.append(provider.model)
    assert [m.collection for m in models] == [
        wire.CONNECTIONS, wire.DATA_MODELS, wire.FIELD_TRANSFORMATIONS, wire.PIPELINES
    ]


@pytest.mark.parametrize(
    ("prefix", "stem"),
    [("users-hourly", "users-hourly"), ("my app/pipe:1", "my-app-pipe-1"), ("///", "pipeline"),
     ("x" * 100, "x" * 55)],
)
def test_generated_ids_fit_the_id_rules(prefix: str, stem: str) -> None:
    generated = generate_id(prefix, "pipeline")
    assert generated.rsplit("-", 1)[0] == stem
    assert len(generated) <= wire.ID_MAX_LENGTH
    assert generated != generate_id(prefix, "pipeline")
