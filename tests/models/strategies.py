"""Hypothesis strategies for valid inputs of each resource, as the engine sends them.

Numbers come as ints or as whole floats (the engine sends every number as a float).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from pulumi_mparticle_wsync.models import (
    CONNECTION,
    DATA_MODEL,
    FIELD_TRANSFORMATION,
    PIPELINE,
    ResourceModel,
)

Inputs = dict[str, Any]

text = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), min_size=1, max_size=16
).filter(lambda s: bool(s.strip()))
ids = st.from_regex(r"\A[A-Za-z0-9_-]{1,64}\Z")
columns = st.from_regex(r"\Ac_[a-z0-9_]{0,10}\Z")


def whole_numbers(low: int, high: int) -> st.SearchStrategy[int | float]:
    return st.integers(low, high).flatmap(lambda n: st.sampled_from([n, float(n)]))


timestamps = st.builds(
    lambda moment, offset: moment.replace(microsecond=0, tzinfo=timezone(timedelta(hours=offset))),
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)),
    st.integers(-11, 12),
).map(lambda moment: moment.isoformat().replace("+00:00", "Z"))


def ordered_timestamps() -> st.SearchStrategy[tuple[str, str]]:
    return st.tuples(timestamps, timestamps).filter(
        lambda pair: datetime.fromisoformat(pair[1]) > datetime.fromisoformat(pair[0])
    )


@st.composite
def common(draw: st.DrawFn) -> Inputs:
    inputs: Inputs = {"name": draw(text)}
    if draw(st.booleans()):
        inputs["resource_id"] = draw(ids)
        if draw(st.booleans()):
            inputs["adopt"] = draw(st.booleans())
    if draw(st.booleans()):
        inputs["workspace_id"] = draw(st.sampled_from(["1001", 1001.0, 2002]))
    return inputs


def _fields(names: tuple[str, ...]) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({name: text for name in names})


_json_key = st.dictionaries(st.text(max_size=8), st.text(max_size=8), min_size=1, max_size=3).map(json.dumps)

_blocks: dict[str, st.SearchStrategy[Inputs]] = {
    "snowflake": st.fixed_dictionaries(
        {
            name: text
            for name in (
                "account_identifier", "region", "warehouse", "database", "role", "user", "password",
                "storage_integration",
            )
        },
        optional={"aws_iam_user_arn": text, "aws_external_id": text},
    ),
    "bigquery": st.fixed_dictionaries(
        {
            "region": text, "project_id": text, "dataset_id": text, "service_account_id": text,
            "service_account_key": _json_key,
        }
    ),
    "redshift": st.fixed_dictionaries(
        {
            "host": text, "database": text, "user": text, "password": text,
            "aws_iam_role_arn": text.map(lambda s: f"arn:aws:iam::1:role/{s}"),
        },
        optional={"port": whole_numbers(1, 65535)},
    ),
    "databricks": _fields(("provider", "catalog", "schema")),
}


@st.composite
def connections(draw: st.DrawFn) -> Inputs:
    inputs = draw(common())
    block = draw(st.sampled_from(sorted(_blocks)))
    inputs[block] = draw(_blocks[block])
    if draw(st.booleans()):
        inputs["state"] = draw(st.sampled_from(["active", "inactive"]))
    return inputs


@st.composite
def data_models(draw: st.DrawFn) -> Inputs:
    inputs = draw(common())
    selected = draw(st.lists(columns, min_size=1, max_size=6))
    inputs["sql_query"] = f"SELECT {', '.join(selected)} FROM db.s.t"
    if draw(st.booleans()):
        inputs["state"] = draw(st.sampled_from(["active", "inactive"]))
    return inputs


@st.composite
def _mapping(draw: st.DrawFn, index: int) -> Inputs:
    destination = f"events[].data.custom_attributes.f{index}"
    kind = draw(st.sampled_from(["column", "static", "ignore"]))
    if kind == "column":
        return {"mapping_type": kind, "source": draw(columns), "destination": destination}
    if kind == "static":
        value = draw(st.one_of(text, st.booleans(), whole_numbers(-5, 5)))
        return {"mapping_type": kind, "destination": destination, "value": value}
    return {"mapping_type": kind, "source": draw(columns)}


@st.composite
def field_transformations(draw: st.DrawFn) -> Inputs:
    inputs = draw(common())
    count = draw(st.integers(1, 5))
    inputs["mappings"] = [draw(_mapping(i)) for i in range(count)]
    return inputs


@st.composite
def pipelines(draw: st.DrawFn) -> Inputs:
    inputs = draw(common())
    inputs["pipeline_type"] = draw(st.sampled_from(["user_attributes", "events"]))
    inputs["connection_id"] = draw(ids)
    inputs["data_model_id"] = draw(ids)
    if inputs["pipeline_type"] == "events" or draw(st.booleans()):
        inputs["field_transformation_id"] = draw(ids)
    if draw(st.booleans()):
        inputs["partner_feed_id"] = draw(whole_numbers(1, 10**6))
    else:
        inputs["partner_feed_key"] = draw(text)
    sync_mode: Inputs = {"type": draw(st.sampled_from(["full", "incremental"]))}
    if sync_mode["type"] == "incremental":
        sync_mode["iterator_field"] = draw(columns)
        sync_mode["iterator_data_type"] = draw(st.sampled_from(["timestamp", "date", "timestamp_unixtime_s"]))
    if draw(st.booleans()):
        sync_mode["from_"], sync_mode["until"] = draw(ordered_timestamps())
    inputs["sync_mode"] = sync_mode
    schedule: Inputs = {"type": draw(st.sampled_from(["interval", "once", "on_demand"]))}
    if schedule["type"] == "interval":
        schedule["frequency"] = draw(st.sampled_from(["hourly", "daily", "weekly", "monthly"]))
    if draw(st.booleans()):
        schedule["start"], schedule["end"] = draw(ordered_timestamps())
    else:
        schedule["start"] = draw(timestamps)
    inputs["schedule"] = schedule
    inputs["environment"] = draw(st.sampled_from(["development", "production"]))
    if draw(st.booleans()):
        inputs["paused"] = draw(st.booleans())
    if draw(st.booleans()):
        inputs["data_plan_id"] = draw(text)
        inputs["data_plan_version"] = draw(whole_numbers(1, 50))
    return inputs


BY_SCHEMA: dict[str, tuple[ResourceModel, st.SearchStrategy[Inputs]]] = {
    "connection": (CONNECTION, connections()),
    "data_model": (DATA_MODEL, data_models()),
    "field_transformation": (FIELD_TRANSFORMATION, field_transformations()),
    "pipeline": (PIPELINE, pipelines()),
}
