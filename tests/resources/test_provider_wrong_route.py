"""A wrong ``mparticle:apiUrl`` (every request answers 404) must never make the provider drop an
object from the state (read returning id ""), forget it (delete taking 404 as "already gone") or
send the user to `pulumi refresh` (update saying "deleted outside Pulumi").

The emulator's request log proves the calls, and its contents prove nothing changed.
"""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic import CreateResult

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.client import clear_client_cache
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.resources import ObjectDeletedError, OperationError
from pulumi_mparticle_wsync.state_layout import PROVIDER_KEY

from ..models import samples
from .conftest import Providers, configured, stack_config
from .helpers import SERIALIZED, engine_props

UNKNOWN_ROUTE = (
    "no such endpoint: the API lives under /platform/v2/workspaces/{workspaceId}/ "
    "and the token endpoint at /oauth/token"
)


def snapshot(emulator: EmulatorHandle) -> dict[str, list[dict[str, Any]]]:
    return {c: emulator.control.list_objects(emulator.workspace_id, c) for c in wire.COLLECTIONS}


def logged(emulator: EmulatorHandle) -> list[tuple[str, str, int]]:
    return [(r.method, r.path, r.status) for r in emulator.control.requests()]


def wrong_route_message(emulator: EmulatorHandle, verb: str, kind: str, method: str, object_id: str) -> str:
    """The start of the provider's message: the object, the 404, why it is not taken as gone, the setting
    and how to set it with Pulumi (the client names it neutrally; the provider adds the command)."""
    base = f"/wrong/platform/v2/workspaces/{emulator.workspace_id}/{wire.DATA_MODELS}"
    return (
        f"{verb} {kind} {object_id!r} in workspace {emulator.workspace_id} failed: "
        f"{method} {base}/{object_id} -> 404: {UNKNOWN_ROUTE}; data model {object_id!r} could not be confirmed "
        f"missing (listing its collection, GET {base}, answered 404 too), so it is not taken as gone. "
        f"The route looks wrong: check that mparticle:apiUrl (now '{emulator.url}/wrong') is the API's base URL, "
        "such as https://api.mparticle.com or the proxy in front of it, below which the client requests "
        "/platform/v2/workspaces/{workspaceId}/...; set it with `pulumi config set mparticle:apiUrl` or "
        "MPARTICLE_API_URL"
    )


@pytest.fixture
def model(providers: Providers, emulator: EmulatorHandle) -> CreateResult:
    created = providers.data_model.create(engine_props(samples.data_model()))
    emulator.control.clear_log()
    return created


@pytest.fixture
def wrong(emulator: EmulatorHandle, no_env_settings: None) -> Providers:
    """Providers of a new provider process, configured with a wrong API path."""
    clear_client_cache()
    return configured(stack_config(emulator, apiUrl=emulator.url + "/wrong/"))


def test_read_raises_instead_of_dropping_the_object(
    model: CreateResult, wrong: Providers, emulator: EmulatorHandle
) -> None:
    before = snapshot(emulator)
    with pytest.raises(OperationError) as caught:
        wrong.data_model.read(model.id, {**(model.outs or {}), PROVIDER_KEY: SERIALIZED})
    assert str(caught.value).startswith(wrong_route_message(emulator, "read", "DataModel", "GET", model.id))
    base = f"/wrong/platform/v2/workspaces/{emulator.workspace_id}/{wire.DATA_MODELS}"
    # The read's listing fails, so the object is read by GET, whose 404 its own listing cannot confirm.
    assert logged(emulator) == [
        ("POST", "/oauth/token", 200), ("GET", base, 404), ("GET", f"{base}/{model.id}", 404), ("GET", base, 404)
    ]
    assert snapshot(emulator) == before


def test_delete_raises_instead_of_forgetting_the_object(
    model: CreateResult, wrong: Providers, emulator: EmulatorHandle
) -> None:
    before = snapshot(emulator)
    with pytest.raises(OperationError) as caught:
        wrong.data_model.delete(model.id, {**(model.outs or {}), PROVIDER_KEY: SERIALIZED})
    assert str(caught.value).startswith(wrong_route_message(emulator, "delete", "DataModel", "DELETE", model.id))
    base = f"/wrong/platform/v2/workspaces/{emulator.workspace_id}/{wire.DATA_MODELS}"
    assert logged(emulator) == [
        ("POST", "/oauth/token", 200), ("DELETE", f"{base}/{model.id}", 404), ("GET", base, 404)
    ]
    assert snapshot(emulator) == before
    assert len(before[wire.DATA_MODELS]) == 1


def test_update_raises_without_calling_the_object_deleted(
    model: CreateResult, wrong: Providers, emulator: EmulatorHandle
) -> None:
    before = snapshot(emulator)
    renamed = {**samples.data_model(), "name": "Renamed"}
    with pytest.raises(OperationError) as caught:
        wrong.data_model.update(model.id, model.outs or {}, engine_props(renamed))
    assert not isinstance(caught.value, ObjectDeletedError)
    assert "deleted outside Pulumi" not in str(caught.value)
    assert "pulumi refresh" not in str(caught.value)
    assert str(caught.value).startswith(wrong_route_message(emulator, "update", "DataModel", "PUT", model.id))
    base = f"/wrong/platform/v2/workspaces/{emulator.workspace_id}/{wire.DATA_MODELS}"
    assert logged(emulator) == [
        ("POST", "/oauth/token", 200), ("PUT", f"{base}/{model.id}", 404), ("GET", base, 404)
    ]
    assert snapshot(emulator) == before


def test_the_documented_base_with_its_version_reads_and_updates(
    model: CreateResult, emulator: EmulatorHandle, no_env_settings: None
) -> None:
    clear_client_cache()
    documented = configured(stack_config(emulator, apiUrl=emulator.url + "/platform/v2/"))
    read = documented.data_model.read(model.id, {**(model.outs or {}), PROVIDER_KEY: SERIALIZED})
    assert read.id == model.id
    renamed = {**samples.data_model(), "name": "Renamed"}
    documented.data_model.update(model.id, read.outs or {}, engine_props(renamed))
    base = f"/platform/v2/workspaces/{emulator.workspace_id}/{wire.DATA_MODELS}"
    assert logged(emulator) == [("POST", "/oauth/token", 200), ("GET", base, 200), ("PUT", f"{base}/{model.id}", 200)]
    assert [o[wire.NAME] for o in snapshot(emulator)[wire.DATA_MODELS]] == ["Renamed"]


def test_an_object_proven_gone_is_still_dropped_and_reported_deleted(
    model: CreateResult, providers: Providers, emulator: EmulatorHandle
) -> None:
    emulator.control.delete_object(emulator.workspace_id, wire.DATA_MODELS, model.id)
    read = providers.data_model.read(model.id, {**(model.outs or {}), PROVIDER_KEY: SERIALIZED})
    assert read.id == ""
    with pytest.raises(ObjectDeletedError, match="deleted outside Pulumi"):
        providers.data_model.update(model.id, model.outs or {}, engine_props(samples.data_model()))
    providers.data_model.delete(model.id, model.outs or {})  # already gone: success
    base = f"/platform/v2/workspaces/{emulator.workspace_id}/{wire.DATA_MODELS}"
    assert logged(emulator) == [
        ("GET", base, 200), ("GET", f"{base}/{model.id}", 404),  # the listing lacks it, and so does its GET
        ("PUT", f"{base}/{model.id}", 404), ("GET", base, 200),
        ("DELETE", f"{base}/{model.id}", 404), ("GET", base, 200),
    ]
    assert snapshot(emulator) == {c: [] for c in wire.COLLECTIONS}
