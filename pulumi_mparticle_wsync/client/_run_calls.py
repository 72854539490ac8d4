"""What ``WarehouseSyncClient``'s run verbs do (spec §7); the client's methods call these.

Two routes are reconstructions. The trigger is ``POST /pipelines/{id}/trigger`` or ``POST
/pipelines/{id}``: the paths are tried in ``wire.TRIGGER_PATHS`` order (the one that worked last
in this process first, ``_routes``), and the next one only when the server proves the route
wrong: a 405, or a 404 while the pipeline exists. ``GET .../status/runs/{runId}`` may not exist:
a 404 or 405 from it falls back to paging through the runs.

A 404 from a pipeline's status or runs means "not there yet" while the pipeline exists (mParticle
answers so for about a minute after a create: ``StatusNotReadyError``), and "the pipeline is gone"
only when its collection's listing proves it (``NotFoundError``); anything else raises the
client's ``UnconfirmedNotFoundError``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

import httpx

from .. import wire
from . import _routes
from ._responses import display_path, error_from_response, error_messages, expect_object, json_body
from .errors import APIError, BadRequestError, NotFoundError, RunInProgressError, StatusNotReadyError
from .runs import PipelineStatus, Run, TriggerAnswer, parse_run, parse_runs, parse_status, parse_trigger

if TYPE_CHECKING:
    from ._client import WarehouseSyncClient, _Call

ROUTE_REFUSED: Final = (404, 405)
"""Statuses by which a server may say that it has no such route (a 404 only proves it when the
pipeline exists)."""
_CHECK_API: Final = "mparticle-wsync check-api"
SCAN_PAGE_SIZE: Final = 100
"""Page size of the listing that ``get_run`` scans when the single-run route is missing."""


# --- trigger ---------------------------------------------------------------------------------


def trigger(client: WarehouseSyncClient, pipeline_id: str, workspace_id: str | None) -> TriggerAnswer:
    api_url = client.settings.api_url
    urls = {path: _pipeline_url(client, pipeline_id, workspace_id, path) for path in wire.TRIGGER_PATHS}
    status_url = _pipeline_url(client, pipeline_id, workspace_id, wire.STATUS)
    pending = list(_routes.trigger_paths(api_url))
    refusals: list[APIError] = []
    pipeline_seen = False
    call = client._new_call()

    def attempt() -> TriggerAnswer:
        nonlocal pipeline_seen
        if call.must_check_server and pending:
            # An earlier POST's answer was lost: the run it may have started is the one we want.
            status = _status_after_lost_trigger(client, call, status_url, pipeline_id, workspace_id)
            if status.latest_run is not None and status.latest_run.active:
                run_id = status.latest_run.run_id
                return TriggerAnswer(run_id, wire.TRIGGER_REQUESTED, path=pending[0], adopted=True)
            call.must_check_server = False
        while pending:
            path = pending[0]
            response = client._attempt_unsafe(call, "POST", urls[path])
            if response.status_code in ROUTE_REFUSED:
                if response.status_code == 404 and not pipeline_seen:
                    _require_pipeline(client, call, response, pipeline_id, workspace_id)
                    pipeline_seen = True
                refusals.append(error_from_response(response, call.scrubber))
                pending.pop(0)
                continue
            if response.is_error:
                raise _trigger_error(client, call, response, pipeline_id)
            _routes.remember_trigger_path(api_url, path)
            return parse_trigger(expect_object(response, call.scrubber), path)
        _routes.forget_trigger_path(api_url)
        raise _no_trigger_route(refusals, pipeline_id)

    return client._retrying(call, attempt)


def _status_after_lost_trigger(
    client: WarehouseSyncClient, call: _Call, url: str, pipeline_id: str, workspace_id: str | None
) -> PipelineStatus:
    try:
        return _read_status(client, call, url, pipeline_id, workspace_id)
    except StatusNotReadyError as error:
        # Neither sending the POST again (it may start a second run) nor reporting success is right.
        raise StatusNotReadyError(
            error.status_code,
            error.method,
            error.path,
            [
                *error.messages,
                "the trigger's answer was lost, so it may have started a run, and the status that would tell "
                "is not served yet: look at the pipeline's runs shortly before triggering again",
            ],
            pipeline_id=pipeline_id,
        ) from error


def _trigger_error(client: WarehouseSyncClient, call: _Call, response: httpx.Response, pipeline_id: str) -> APIError:
    error = error_from_response(response, call.scrubber)
    fragment = wire.ALREADY_IN_PROGRESS_FRAGMENT.lower()
    if isinstance(error, BadRequestError) and any(fragment in message.lower() for message in error.messages):
        return RunInProgressError(
            error.status_code,
            error.method,
            error.path,
            [*error.messages, "wait for the run to end (see the pipeline's status), then trigger again"],
            pipeline_id=pipeline_id,
        )
    return client._with_auth_hint(error)


def _no_trigger_route(refusals: list[APIError], pipeline_id: str) -> APIError:
    """Every trigger path was refused as a route (405, or 404 while the pipeline exists)."""
    last = refusals[-1]
    tried = "; ".join(f"{error.method} {error.path} answered {error.status_code}" for error in refusals)
    return APIError(
        last.status_code,
        last.method,
        last.path,
        [
            f"neither trigger path exists for pipeline {pipeline_id!r} ({tried}): the API spells the trigger "
            f"route otherwise. Run `{_CHECK_API}` to see which trigger path the workspace serves, and correct "
            "wire.TRIGGER_PATHS (pulumi_mparticle_wsync/wire.py)"
        ],
    )


# --- status ----------------------------------------------------------------------------------


def pipeline_status(client: WarehouseSyncClient, pipeline_id: str, workspace_id: str | None) -> PipelineStatus:
    url = _pipeline_url(client, pipeline_id, workspace_id, wire.STATUS)
    call = client._new_call()
    return client._retrying(call, lambda: _read_status(client, call, url, pipeline_id, workspace_id))


def _read_status(
    client: WarehouseSyncClient, call: _Call, url: str, pipeline_id: str, workspace_id: str | None
) -> PipelineStatus:
    response = client._attempt(call, "GET", url)
    if response.status_code == 404:
        raise _status_not_found(client, call, response, pipeline_id, workspace_id)
    client._raise_for_error(response, call)
    return parse_status(expect_object(response, call.scrubber))


# --- runs ------------------------------------------------------------------------------------


def list_runs(
    client: WarehouseSyncClient,
    pipeline_id: str,
    workspace_id: str | None,
    params: Mapping[str, int | str | datetime | None],
) -> list[Run]:
    url = _pipeline_url(client, pipeline_id, workspace_id, wire.RUNS)
    query = _query(params)
    call = client._new_call()

    def attempt() -> list[Run]:
        response = client._attempt(call, "GET", url, params=query)
        if response.status_code == 404:
            raise _status_not_found(client, call, response, pipeline_id, workspace_id)
        client._raise_for_error(response, call)
        try:
            return parse_runs(json_body(response, call.scrubber))
        except ValueError as problem:
            raise _shape_error(response, str(problem)) from None

    return client._retrying(call, attempt)


def iter_runs(
    client: WarehouseSyncClient,
    pipeline_id: str,
    workspace_id: str | None,
    since: str | datetime | None,
    until: str | datetime | None,
    page_size: int,
) -> Iterator[Run]:
    if page_size < 1:
        raise ValueError(f"page_size must be at least 1, not {page_size}")  # now, not at the first next()
    return _pages(client, pipeline_id, workspace_id, since, until, page_size)


def _pages(
    client: WarehouseSyncClient,
    pipeline_id: str,
    workspace_id: str | None,
    since: str | datetime | None,
    until: str | datetime | None,
    page_size: int,
) -> Iterator[Run]:
    previous: list[int] | None = None
    page = 1
    while True:
        runs = client.list_runs(
            pipeline_id, workspace_id=workspace_id, page=page, page_size=page_size, start_date=since, end_date=until
        )
        ids = [run.run_id for run in runs]
        if runs and ids == previous:
            return  # the server ignores paging: this page is the previous one again
        yield from runs
        if len(runs) < page_size:
            return
        previous = ids
        page += 1


def get_run(client: WarehouseSyncClient, pipeline_id: str, run_id: int | str, workspace_id: str | None) -> Run:
    api_url = client.settings.api_url
    url = client._run_url(pipeline_id, str(run_id), workspace_id)
    route_said_404 = False
    if not _routes.run_route_missing(api_url):
        served = _run_from_route(client, url, run_id)
        if isinstance(served, Run):
            return served
        route_said_404 = served == 404
        if not route_said_404:
            # A 405, or an answer other than that run (a page of runs, say): no single-run route.
            _routes.remember_run_route_missing(api_url)
    for run in iter_runs(client, pipeline_id, workspace_id, None, None, SCAN_PAGE_SIZE):
        if str(run.run_id) == str(run_id):
            if route_said_404:
                _routes.remember_run_route_missing(api_url)  # a 404 for a run that exists: no such route
            return run
    messages = [f"run {run_id} of pipeline {pipeline_id!r} was not found (nor listed in its runs)"]
    raise NotFoundError(404, "GET", httpx.URL(url).path, messages)


def _run_from_route(client: WarehouseSyncClient, url: str, run_id: int | str) -> Run | int:
    """The run as ``GET .../status/runs/{runId}`` serves it, else the status code of its answer."""
    call = client._new_call()

    def attempt() -> Run | int:
        response = client._attempt(call, "GET", url)
        if response.status_code in ROUTE_REFUSED:
            return response.status_code
        client._raise_for_error(response, call)
        run = _the_run(json_body(response, call.scrubber), run_id)
        return run if run is not None else response.status_code

    return client._retrying(call, attempt)


def _the_run(body: Any, run_id: int | str) -> Run | None:
    if not isinstance(body, Mapping):
        return None
    try:
        run = parse_run(body)
    except ValueError:
        return None
    return run if str(run.run_id) == str(run_id) else None


# --- shared ----------------------------------------------------------------------------------


def _pipeline_url(client: WarehouseSyncClient, pipeline_id: str, workspace_id: str | None, suffix: str) -> str:
    return client._object_url(wire.PIPELINES, pipeline_id, workspace_id, suffix)


def _require_pipeline(
    client: WarehouseSyncClient, call: _Call, not_found: httpx.Response, pipeline_id: str, workspace_id: str | None
) -> None:
    """Return when the pipeline exists; raise ``NotFoundError`` naming it when it is proven gone."""
    if _pipeline_exists(client, call, pipeline_id, workspace_id):
        return
    raise _pipeline_gone(call, not_found, pipeline_id)


def _status_not_found(
    client: WarehouseSyncClient, call: _Call, not_found: httpx.Response, pipeline_id: str, workspace_id: str | None
) -> APIError:
    """A 404 from the pipeline's status or runs: not served yet, or the pipeline is gone."""
    if not _pipeline_exists(client, call, pipeline_id, workspace_id):
        return _pipeline_gone(call, not_found, pipeline_id)
    request = not_found.request
    messages = [call.scrubber(message) for message in error_messages(not_found)]
    return StatusNotReadyError(
        404,
        request.method,
        display_path(request),
        [
            *messages,
            f"pipeline {pipeline_id!r} exists but its status is not served yet: mParticle answers 404 for about "
            f"a minute after a pipeline is created; try again shortly (if it lasts, run `{_CHECK_API}`)",
        ],
        pipeline_id=pipeline_id,
    )


def _pipeline_exists(client: WarehouseSyncClient, call: _Call, pipeline_id: str, workspace_id: str | None) -> bool:
    """GET the pipeline (on a 404, its collection's listing decides; ``UnconfirmedNotFoundError`` when
    neither can tell)."""
    url = _pipeline_url(client, pipeline_id, workspace_id, "")
    return client._look_up(call, url, wire.PIPELINES, pipeline_id, workspace_id) is not None


def _pipeline_gone(call: _Call, not_found: httpx.Response, pipeline_id: str) -> NotFoundError:
    request = not_found.request
    messages = [call.scrubber(message) for message in error_messages(not_found)]
    return NotFoundError(
        404,
        request.method,
        display_path(request),
        [*messages, f"pipeline {pipeline_id!r} does not exist (its collection lists without it)"],
    )


def _shape_error(response: httpx.Response, problem: str) -> APIError:
    return APIError(response.status_code, response.request.method, display_path(response.request), [problem])


def _query(values: Mapping[str, int | str | datetime | None]) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, datetime):
            moment = value if value.tzinfo else value.replace(tzinfo=UTC)
            value = moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        params[name] = str(value)
    return params
