"""During a preview, values not known yet arrive as the engine's sentinel: they must pass
validation, and everything known must still be validated."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.output import UNKNOWN as SDK_UNKNOWN
from pulumi.runtime.rpc import UNKNOWN as ENGINE_UNKNOWN

from pulumi_mparticle_wsync.models import (
    CONNECTION,
    DATA_MODEL,
    FIELD_TRANSFORMATION,
    PIPELINE,
    UNKNOWN,
    ResourceModel,
    contains_unknown,
)

from . import samples

Path = tuple[str | int, ...]

# The engine's wire sentinel, and what the dynamic-provider host turns it into for check/diff.
UNKNOWN_FORMS = [pytest.param(UNKNOWN, id="sentinel"), pytest.param(SDK_UNKNOWN, id="sdk-object")]

VALID: list[tuple[str, ResourceModel, dict[str, Any]]] = [
    *[(f"connection-{b}", CONNECTION, samples.connection(b, state="active")) for b in samples.BLOCKS],
    ("connection-redshift-port", CONNECTION,
     samples.connection("redshift") | {"redshift": {**samples.redshift(), "port": 5439}}),
    ("data_model", DATA_MODEL, samples.data_model(state="active", resource_id="m", workspace_id="7")),
    ("field_transformation", FIELD_TRANSFORMATION, samples.field_transformation()),
    ("pipeline", PIPELINE, samples.pipeline(
        pipeline_type="events",
        field_transformation_id="ft",
        paused=False,
        data_plan_id="plan",
        data_plan_version=2,
        sync_mode={**samples.sync_mode(), "from_": "2025-01-01T00:00:00Z", "until": "2025-02-01T00:00:00Z"},
        schedule={**samples.schedule(), "end": "2027-01-01T00:00:00Z"},
    )),
]


def value_paths(value: Any, prefix: Path = ()) -> Iterator[Path]:
    """Every path to a value, containers included (a whole block can be unknown too)."""
    if prefix:
        yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from value_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from value_paths(item, (*prefix, index))


def replaced(inputs: dict[str, Any], path: Path, value: Any) -> dict[str, Any]:
    copied = copy.deepcopy(inputs)
    target: Any = copied
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return copied


def test_sentinel_is_the_engines() -> None:
    assert UNKNOWN == ENGINE_UNKNOWN


@pytest.mark.parametrize("unknown", UNKNOWN_FORMS)
@pytest.mark.parametrize(("schema", "inputs"), [pytest.param(s, i, id=n) for n, s, i in VALID])
def test_every_value_may_be_unknown(schema: ResourceModel, inputs: dict[str, Any], unknown: Any) -> None:
    assert schema.validate(inputs) == []
    for path in value_paths(inputs):
        with_unknown = replaced(inputs, path, unknown)
        assert contains_unknown(with_unknown)
        assert schema.validate(with_unknown) == [], path


@pytest.mark.parametrize("unknown", UNKNOWN_FORMS)
def test_known_values_are_still_validated_next_to_unknown_ones(unknown: Any) -> None:
    inputs = samples.pipeline(connection_id=unknown, data_model_id=unknown, environment="prod")
    inputs["schedule"]["type"] = unknown
    inputs["sync_mode"]["iterator_data_type"] = "epoch"
    paths = [p.path for p in PIPELINE.validate(inputs)]
    assert paths == ["sync_mode.iterator_data_type", "environment"]


@pytest.mark.parametrize("unknown", UNKNOWN_FORMS)
def test_unknown_sync_type_skips_only_the_rules_that_depend_on_it(unknown: Any) -> None:
    sync_mode = {"type": unknown, "from_": "2025-02-01T00:00:00Z", "until": "2025-01-01T00:00:00Z"}
    inputs = samples.pipeline(sync_mode=sync_mode)
    assert [p.path for p in PIPELINE.validate(inputs)] == ["sync_mode.until"]


@pytest.mark.parametrize("unknown", UNKNOWN_FORMS)
def test_unknown_block_counts_as_the_one_warehouse(unknown: Any) -> None:
    assert CONNECTION.validate({"name": "wh", "bigquery": unknown}) == []
    both = {"name": "wh", "bigquery": unknown, "snowflake": unknown}
    assert [p.path for p in CONNECTION.validate(both)] == ["bigquery"]


@pytest.mark.parametrize("unknown", UNKNOWN_FORMS)
def test_unknown_feed_counts_as_given(unknown: Any) -> None:
    inputs = samples.pipeline(partner_feed_key=unknown)
    assert PIPELINE.validate(inputs) == []
    inputs["partner_feed_id"] = unknown
    assert [p.path for p in PIPELINE.validate(inputs)] == ["partner_feed_key"]
