"""The benchmark stack: N resources in groups of four, wired through outputs.

Resource ``i`` is of kind ``KINDS[i % 4]`` in group ``i // 4``: a Connection (Snowflake, with
a secret password), a DataModel, a FieldTransformation and a Pipeline that takes the ids of
the other three as inputs (``events`` pipelines in even groups use the transformation,
``user_attributes`` pipelines in odd groups do not). The API allows at most 5 active
pipelines per workspace, so pipelines after the fifth are created paused. When N is not a
multiple of 4 the last group is partial (N = 25: six groups and one more connection).

``ours_program`` builds it with this package's resources, ``floor_program`` with the
trivial ``FloorResource``: same names, same inputs, same secrets, same dependencies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import pulumi
from floor_provider import FloorResource

import pulumi_mparticle_wsync as mp

KINDS: Final = ("Connection", "DataModel", "FieldTransformation", "Pipeline")
MAX_ACTIVE_PIPELINES: Final = 5
SECRET_PASSWORD: Final = "bench-snowflake-password"

Program = Callable[[], None]


def group_sizes(resource_count: int) -> list[int]:
    """How many resources each group holds (4, except perhaps the last)."""
    full, rest = divmod(resource_count, len(KINDS))
    return [len(KINDS)] * full + ([rest] if rest else [])


def snowflake_block(group: int) -> dict[str, Any]:
    return {
        "account_identifier": f"acme-{group}",
        "region": "us-central1.gcp",
        "warehouse": "SYNC_WH",
        "database": "ANALYTICS",
        "role": "MPARTICLE_SYNC",
        "user": "MPARTICLE",
        "password": SECRET_PASSWORD,
        "storage_integration": "mp_us1_1_2_s3",
    }


def connection_args(group: int) -> dict[str, Any]:
    return {"name": f"Warehouse {group}", "snowflake": snowflake_block(group)}


def data_model_args(group: int) -> dict[str, Any]:
    return {
        "name": f"Users {group}",
        "sql_query": f"SELECT email, plan, country, order_id, updated_at FROM analytics.crm.users_{group}",
    }


def transformation_args(group: int) -> dict[str, Any]:
    return {
        "name": f"Orders {group}",
        "mappings": [
            {"mapping_type": "column", "source": "order_id", "destination": "events[].data.custom_attributes.order_id"},
            {"mapping_type": "static", "value": "purchase", "destination": "events[].data.event_name"},
            {"mapping_type": "ignore", "source": "country"},
        ],
    }


def pipeline_args(group: int, connection_id: Any, data_model_id: Any, transformation_id: Any) -> dict[str, Any]:
    events = group % 2 == 0
    args: dict[str, Any] = {
        "name": f"Sync {group}",
        "pipeline_type": "events" if events else "user_attributes",
        "connection_id": connection_id,
        "data_model_id": data_model_id,
        "partner_feed_id": 5000 + group,
        "sync_mode": {"type": "incremental", "iterator_field": "updated_at", "iterator_data_type": "timestamp_ltz"},
        "schedule": {"type": "interval", "frequency": "hourly", "start": "2026-01-01T00:15:00Z"},
        "environment": "development",
        "paused": group >= MAX_ACTIVE_PIPELINES,
    }
    if events:
        args["field_transformation_id"] = transformation_id
    return args


def ours_program(resource_count: int) -> Program:
    def program() -> None:
        for group, size in enumerate(group_sizes(resource_count)):
            connection = mp.Connection(f"conn-{group}", **connection_args(group))
            if size < 2:
                continue
            model = mp.DataModel(f"model-{group}", **data_model_args(group))
            if size < 3:
                continue
            transformation = mp.FieldTransformation(f"transform-{group}", **transformation_args(group))
            if size < 4:
                continue
            mp.Pipeline(f"pipe-{group}", **pipeline_args(group, connection.id, model.id, transformation.id))

    return program


def floor_program(resource_count: int) -> Program:
    def program() -> None:
        for group, size in enumerate(group_sizes(resource_count)):
            connection_props = connection_args(group)
            connection_props["snowflake"]["password"] = pulumi.Output.secret(SECRET_PASSWORD)
            connection = FloorResource(f"conn-{group}", connection_props)
            if size < 2:
                continue
            model = FloorResource(f"model-{group}", data_model_args(group))
            if size < 3:
                continue
            transformation = FloorResource(f"transform-{group}", transformation_args(group))
            if size < 4:
                continue
            FloorResource(f"pipe-{group}", pipeline_args(group, connection.id, model.id, transformation.id))

    return program
