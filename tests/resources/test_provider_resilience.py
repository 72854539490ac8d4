"""Token expiry, injected faults and concurrency: invisible to the user, and never a
duplicate object or a call too many."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.resources import OperationError

from ..models import samples
from .conftest import Providers, configured, stack_config
from .helpers import api_calls, engine_props


def objects(emulator: EmulatorHandle, collection: str) -> list[str]:
    return [o[wire.ID] for o in emulator.control.list_objects(emulator.workspace_id, collection)]


def test_expired_token_mid_sequence_is_invisible(providers: Providers, emulator: EmulatorHandle) -> None:
    inputs = samples.data_model()
    created = providers.data_model.create(engine_props(inputs))
    emulator.control.expire_tokens()
    read = providers.data_model.read(created.id, created.outs or {})
    assert read.inputs == inputs
    emulator.control.expire_tokens()
    updated = providers.data_model.update(
        created.id, read.outs or {}, engine_props({**inputs, "name": "Renamed"})
    )
    emulator.control.expire_tokens()
    providers.data_model.delete(created.id, updated.outs or {})
    assert objects(emulator, wire.DATA_MODELS) == []
    statuses = [r.status for r in emulator.control.requests() if r.collection != "token"]
    assert statuses.count(401) == 3  # each refused once, then repeated with a fresh token
    assert api_calls(emulator)["TOKEN"] == 4


def test_one_token_for_many_calls(providers: Providers, emulator: EmulatorHandle) -> None:
    for index in range(3):
        created = providers.data_model.create(engine_props(samples.data_model(resource_id=f"m{index}")))
        providers.data_model.read(created.id, created.outs or {})
    assert api_calls(emulator) == {"TOKEN": 1, "POST": 3, "GET": 3}


def calls_on(emulator: EmulatorHandle, collection: str) -> list[tuple[str, int]]:
    """(method, status) of each call on ``collection``; 0 is a dropped connection."""
    return [(r.method, r.status) for r in emulator.control.requests() if r.collection == collection]


@pytest.mark.parametrize(
    ("kind", "fault", "expected"),
    [
        # Refused before applying: the client checks the id is free (a 404, and a listing without
        # it), then POSTs again.
        ("error", {"status": 503}, [("POST", 503), ("GET", 404), ("GET", 200), ("POST", 200)]),
        ("rate_limit", {"retry_after": 0.01}, [("POST", 429), ("POST", 200)]),
        ("drop", {}, [("POST", 0), ("GET", 404), ("GET", 200), ("POST", 200)]),
        # Applied, answer lost: the client finds its object and never POSTs again.
        ("apply_then_error", {"status": 500}, [("POST", 500), ("GET", 200)]),
        ("drop", {"after_apply": True}, [("POST", 0), ("GET", 200)]),
    ],
)
def test_create_under_faults_makes_exactly_one_object(
    providers: Providers,
    emulator: EmulatorHandle,
    kind: str,
    fault: dict[str, Any],
    expected: list[tuple[str, int]],
) -> None:
    conn = providers.connection.create(engine_props(samples.connection()))
    model = providers.data_model.create(engine_props(samples.data_model()))
    emulator.control.add_fault(kind, method="POST", path_regex=f"/{wire.PIPELINES}$", count=1, **fault)
    inputs = samples.pipeline(conn.id, model.id)
    created = providers.pipeline.create(engine_props(inputs))
    assert calls_on(emulator, wire.PIPELINES) == expected
    assert objects(emulator, wire.PIPELINES) == [created.id]
    assert api_calls(emulator)["TOKEN"] == 1
    assert providers.pipeline.read(created.id, created.outs or {}).inputs == inputs


@pytest.mark.parametrize(
    ("kind", "fault", "status"),
    [("error", {"status": 502}, 502), ("rate_limit", {"retry_after": 0.01}, 429), ("drop", {}, 0)],
)
def test_update_read_delete_under_faults(
    providers: Providers, emulator: EmulatorHandle, kind: str, fault: dict[str, Any], status: int
) -> None:
    inputs = samples.field_transformation()
    created = providers.field_transformation.create(engine_props(inputs))
    renamed = {**inputs, "name": "Renamed"}
    for method in ("PUT", "GET", "DELETE"):
        emulator.control.add_fault(kind, method=method, count=1, **fault)
    emulator.control.clear_log()

    updated = providers.field_transformation.update(created.id, created.outs or {}, engine_props(renamed))
    assert (updated.outs or {})["name"] == "Renamed"
    read = providers.field_transformation.read(created.id, updated.outs or {})
    assert read.inputs == renamed
    providers.field_transformation.delete(created.id, read.outs or {})

    assert calls_on(emulator, wire.FIELD_TRANSFORMATIONS) == [
        ("PUT", status), ("PUT", 200), ("GET", status), ("GET", 200), ("DELETE", status), ("DELETE", 204)
    ]
    assert objects(emulator, wire.FIELD_TRANSFORMATIONS) == []


def test_delete_applied_but_answer_lost_is_success(providers: Providers, emulator: EmulatorHandle) -> None:
    created = providers.data_model.create(engine_props(samples.data_model()))
    emulator.control.add_fault("apply_then_error", method="DELETE", status=500, count=1)
    emulator.control.clear_log()
    providers.data_model.delete(created.id, created.outs or {})
    # The 404 after the lost answer counts as deleted once the listing proves it.
    assert calls_on(emulator, wire.DATA_MODELS) == [("DELETE", 500), ("DELETE", 404), ("GET", 200)]
    assert objects(emulator, wire.DATA_MODELS) == []


def test_persistent_failure_names_the_object(emulator: EmulatorHandle, no_env_settings: None) -> None:
    providers = configured(stack_config(emulator, maxAttempts="2", maxRetryWait="0.2"))
    emulator.control.add_fault("error", method="POST", status=503)
    with pytest.raises(OperationError, match=r"^create DataModel 'stuck' in workspace 1001 failed: .*503"):
        providers.data_model.create(engine_props(samples.data_model(resource_id="stuck")))
    assert objects(emulator, wire.DATA_MODELS) == []


def test_four_concurrent_calls(providers: Providers, emulator: EmulatorHandle) -> None:
    """The provider process serves up to four calls at once."""
    inputs = [samples.data_model(pulumi_name="concurrent") for _ in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        created = list(pool.map(lambda i: providers.data_model.create(engine_props(i)), inputs))
    assert sorted(objects(emulator, wire.DATA_MODELS)) == sorted(c.id for c in created)
    assert len({c.id for c in created}) == 8
    assert api_calls(emulator) == {"TOKEN": 1, "POST": 8}
