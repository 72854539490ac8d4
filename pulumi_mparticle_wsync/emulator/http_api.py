"""HTTP endpoints of the emulated API (spec §1-§7): ``/oauth/token`` and ``/platform/v2/workspaces/...``.

The trigger is served on one of its two paths (switch ``trigger_path``); the other answers as a
server without that route would: 404 for ``.../trigger``, 405 for ``POST .../pipelines/{id}``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import wire
from ..schema import CONNECTION
from .errors import bad_request
from .http_common import json_answer, no_content, read_json
from .paths import workspace_problem
from .service import kind_of
from .state import EmulatorState

WorkspaceHandler = Callable[[Request, str], Awaitable[Response]]
Handler = Callable[[Request], Awaitable[Response]]
# Every method a route takes in, so that it answers 404 or 405 itself.
ALL_METHODS: Final = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def api_routes(state: EmulatorState) -> list[Route]:
    service = state.service
    base = wire.WORKSPACE_PATH  # "/platform/v2/workspaces/{workspace_id}"
    pipeline = f"{base}/{wire.PIPELINES}/{{object_id}}"

    def in_workspace(handler: WorkspaceHandler) -> Callable[[Request], Awaitable[Response]]:
        """Authenticate, then check the workspace id, then run ``handler``."""

        async def endpoint(request: Request) -> Response:
            state.auth.check(request.headers.get("authorization"))
            workspace_id = request.path_params["workspace_id"]
            if (problem := workspace_problem(workspace_id)) is not None:
                raise bad_request(problem)
            return await handler(request, workspace_id)

        return endpoint

    async def issue_token(request: Request) -> Response:
        answer = json_answer(state.auth.issue(await read_json(request)))
        answer.headers["Cache-Control"] = "no-store"
        return answer

    async def list_objects(request: Request, workspace_id: str) -> Response:
        collection = request.path_params["collection"]
        provider = request.query_params.get(wire.SERVICE_PROVIDER_PARAM)
        providers = [f.variant.value for f in CONNECTION.variants if f.variant is not None]
        if collection == wire.CONNECTIONS and provider is not None and provider.lower() not in providers:
            raise bad_request(f"{wire.SERVICE_PROVIDER_PARAM}: use one of {', '.join(providers)}")
        if collection != wire.CONNECTIONS:
            provider = None
        return json_answer(service.list_objects(workspace_id, collection, provider))

    async def create_object(request: Request, workspace_id: str) -> Response:
        collection = request.path_params["collection"]
        kind_of(collection)
        return json_answer(service.create(workspace_id, collection, await read_json(request)))

    async def get_object(request: Request, workspace_id: str) -> Response:
        params = request.path_params
        return json_answer(service.get(workspace_id, params["collection"], params["object_id"]))

    async def replace_object(request: Request, workspace_id: str) -> Response:
        params = request.path_params
        kind_of(params["collection"])
        body = await read_json(request)
        return json_answer(service.replace(workspace_id, params["collection"], params["object_id"], body))

    async def delete_object(request: Request, workspace_id: str) -> Response:
        params = request.path_params
        service.delete(workspace_id, params["collection"], params["object_id"])
        return no_content()

    async def trigger(request: Request, workspace_id: str) -> Response:
        return json_answer(service.runs.trigger(workspace_id, request.path_params["object_id"]))

    async def pipeline_status(request: Request, workspace_id: str) -> Response:
        return json_answer(service.runs.status(workspace_id, request.path_params["object_id"]))

    async def list_runs(request: Request, workspace_id: str) -> Response:
        query = dict(request.query_params)
        return json_answer(service.runs.list_runs(workspace_id, request.path_params["object_id"], query))

    async def get_run(request: Request, workspace_id: str) -> Response:
        params = request.path_params
        return json_answer(service.runs.get_run(workspace_id, params["object_id"], params["run_id"]))

    def trigger_path_is(value: str) -> bool:
        return state.switches().trigger_path == value

    object_handlers: dict[str, Handler] = {
        "GET": in_workspace(get_object),
        "PUT": in_workspace(replace_object),
        "DELETE": in_workspace(delete_object),
    }

    def object_methods(request: Request) -> Mapping[str, Handler]:
        if request.path_params["collection"] == wire.PIPELINES and trigger_path_is(wire.TRIGGER_PATH_BARE):
            return {**object_handlers, "POST": in_workspace(trigger)}
        return object_handlers

    def trigger_methods(request: Request) -> Mapping[str, Handler]:
        if not trigger_path_is(wire.TRIGGER_PATH_SUFFIX):
            raise HTTPException(404)
        return {"POST": in_workspace(trigger)}

    collection_handlers = {"GET": in_workspace(list_objects), "POST": in_workspace(create_object)}
    collection_path = f"{base}/{{collection}}"
    object_path = f"{collection_path}/{{object_id}}"
    return [
        Route(wire.TOKEN_PATH, issue_token, methods=["POST"]),
        _by_method(collection_path, lambda _: collection_handlers),
        _by_method(object_path, object_methods),
        _by_method(f"{pipeline}/{wire.TRIGGER}", trigger_methods),
        Route(f"{pipeline}/{wire.STATUS}", in_workspace(pipeline_status), methods=["GET"]),
        Route(f"{pipeline}/{wire.RUNS}", in_workspace(list_runs), methods=["GET"]),
        Route(f"{pipeline}/{wire.RUNS}/{{run_id}}", in_workspace(get_run), methods=["GET"]),
    ]


def _by_method(path: str, handlers_for: Callable[[Request], Mapping[str, Handler]]) -> Route:
    """One route serving several methods, chosen per request (the switches can add one): a method
    it does not serve gets 405 with the full ``Allow`` list."""

    async def endpoint(request: Request) -> Response:
        handlers = handlers_for(request)
        method = "GET" if request.method == "HEAD" and "GET" in handlers else request.method
        if method not in handlers:
            raise HTTPException(405, headers={"Allow": ", ".join(handlers)})
        return await handlers[method](request)

    return Route(path, endpoint, methods=ALL_METHODS)
