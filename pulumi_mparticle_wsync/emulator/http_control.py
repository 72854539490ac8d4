"""Test controls under ``/_emulator`` (not part of the real API; no auth; loopback clients only).

See ``control.py`` for the Python client and docs/emulator.md for the table of endpoints.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import wire
from .clock import format_timestamp
from .errors import bad_request, not_found
from .http_common import json_answer, no_content, read_json
from .paths import CONTROL_PREFIX, workspace_problem
from .settings import UI_USER_EMAIL
from .state import EmulatorState

ENDPOINTS: dict[str, str] = {
    "GET /_emulator/health": "readiness probe",
    "POST /_emulator/reset": "forget objects, runs, run settings, faults, log entries and switch changes",
    "GET /_emulator/requests": "request log (API and token calls)",
    "DELETE /_emulator/requests": "clear the request log",
    "GET /_emulator/requests/counts": 'calls per "METHOD /path"',
    "GET /_emulator/workspaces/{ws}/{collection}": "stored objects as the API serves them",
    "POST /_emulator/workspaces/{ws}/{collection}": "seed an object (validated like POST)",
    "GET /_emulator/workspaces/{ws}/{collection}/{id}": "one stored object",
    "PATCH /_emulator/workspaces/{ws}/{collection}/{id}": "out-of-band deep-merge edit",
    "DELETE /_emulator/workspaces/{ws}/{collection}/{id}": "out-of-band delete (no reference check)",
    "PUT /_emulator/workspaces/{ws}/pipelines/{id}/next-run": 'how the next run ends: {"outcome": "failed", '
    '"error": "..."} (or "success")',
    "PUT /_emulator/workspaces/{ws}/data-models/{id}/rows": '{"rows": N} the model yields per run (null: synthetic)',
    "GET /_emulator/run-durations": "seconds a new run spends triggered, queued and running",
    "PUT /_emulator/run-durations": '{"triggered": s, "queued": s, "running": s} (any of them)',
    "GET /_emulator/clock": "the emulator's time and offset",
    "POST /_emulator/clock/advance": '{"seconds": n}',
    "POST /_emulator/tokens/expire": "expire every issued token",
    "GET /_emulator/switches": "current switches",
    "POST /_emulator/switches": "change switches (partial object)",
    "GET /_emulator/faults": "active faults",
    "POST /_emulator/faults": "add a fault; answers its id",
    "DELETE /_emulator/faults": "remove every fault",
    "DELETE /_emulator/faults/{id}": "remove one fault",
}


def control_routes(state: EmulatorState) -> list[Route]:
    service = state.service

    def workspace_of(request: Request) -> str:
        workspace_id: str = request.path_params["workspace_id"]
        if (problem := workspace_problem(workspace_id)) is not None:
            raise bad_request(problem)
        return workspace_id

    async def index(request: Request) -> Response:
        return json_answer({"endpoints": ENDPOINTS})

    async def health(request: Request) -> Response:
        return json_answer({"status": "ok"})

    async def reset(request: Request) -> Response:
        state.reset()
        return no_content()

    async def requests(request: Request) -> Response:
        if request.method == "DELETE":
            state.log.clear()
            return no_content()
        return json_answer({"requests": [entry.as_dict() for entry in state.log.entries()]})

    async def request_counts(request: Request) -> Response:
        return json_answer({"counts": state.log.counts()})

    async def objects(request: Request) -> Response:
        workspace_id, collection = workspace_of(request), request.path_params["collection"]
        if request.method == "POST":
            body = await read_json(request, json_content_type=False)
            return json_answer(service.create(workspace_id, collection, body, actor=UI_USER_EMAIL))
        return json_answer(service.list_objects(workspace_id, collection))

    async def one_object(request: Request) -> Response:
        workspace_id = workspace_of(request)
        collection, object_id = request.path_params["collection"], request.path_params["object_id"]
        if request.method == "PATCH":
            changes = await read_json(request, json_content_type=False)
            return json_answer(service.edit(workspace_id, collection, object_id, changes, UI_USER_EMAIL))
        if request.method == "DELETE":
            if not service.force_delete(workspace_id, collection, object_id):
                raise not_found(f"{collection}/{object_id} does not exist in workspace {workspace_id}")
            return no_content()
        found = service.find(workspace_id, collection, object_id)
        if found is None:
            raise not_found(f"{collection}/{object_id} does not exist in workspace {workspace_id}")
        return json_answer(found)

    async def next_run(request: Request) -> Response:
        body = await read_json(request, json_content_type=False)
        service.runs.set_next_run(workspace_of(request), request.path_params["object_id"], body)
        return no_content()

    async def model_rows(request: Request) -> Response:
        body = await read_json(request, json_content_type=False)
        service.runs.set_rows(workspace_of(request), request.path_params["object_id"], body)
        return no_content()

    async def run_durations(request: Request) -> Response:
        if request.method == "PUT":
            body = await read_json(request, json_content_type=False)
            return json_answer(service.runs.set_durations(body).as_dict())
        return json_answer(service.runs.durations().as_dict())

    def clock_answer() -> dict[str, Any]:
        return {"now": format_timestamp(state.clock.now()), "offset_seconds": state.clock.offset_seconds}

    async def clock(request: Request) -> Response:
        return json_answer(clock_answer())

    async def advance_clock(request: Request) -> Response:
        body = await read_json(request, json_content_type=False)
        seconds = body.get("seconds") if isinstance(body, dict) else None
        if not isinstance(seconds, int | float) or isinstance(seconds, bool) or not 0 <= seconds <= 10 * 365 * 86400:
            raise bad_request("seconds: must be a number of seconds from 0 to ten years")
        state.advance_clock(float(seconds))
        return json_answer(clock_answer())

    async def expire_tokens(request: Request) -> Response:
        return json_answer({"expired": state.auth.expire_all()})

    async def switches(request: Request) -> Response:
        if request.method == "POST":
            body = await read_json(request, json_content_type=False)
            if not isinstance(body, dict):
                raise bad_request("switches: send a JSON object of switch names and values")
            return json_answer(state.set_switches(body).as_dict())
        return json_answer(state.switches().as_dict())

    async def faults(request: Request) -> Response:
        if request.method == "POST":
            return json_answer(state.faults.add(await read_json(request, json_content_type=False)).as_dict())
        if request.method == "DELETE":
            state.faults.clear()
            return no_content()
        return json_answer({"faults": state.faults.describe()})

    async def one_fault(request: Request) -> Response:
        fault_id = request.path_params["fault_id"]
        if not state.faults.remove(fault_id):
            raise not_found(f"no fault {fault_id!r}")
        return no_content()

    workspace = f"{CONTROL_PREFIX}/workspaces/{{workspace_id}}"
    return [
        Route(CONTROL_PREFIX, index, methods=["GET"]),
        Route(f"{CONTROL_PREFIX}/", index, methods=["GET"]),
        Route(f"{CONTROL_PREFIX}/health", health, methods=["GET"]),
        Route(f"{CONTROL_PREFIX}/reset", reset, methods=["POST"]),
        Route(f"{CONTROL_PREFIX}/requests", requests, methods=["GET", "DELETE"]),
        Route(f"{CONTROL_PREFIX}/requests/counts", request_counts, methods=["GET"]),
        Route(f"{workspace}/{wire.PIPELINES}/{{object_id}}/next-run", next_run, methods=["PUT"]),
        Route(f"{workspace}/{wire.DATA_MODELS}/{{object_id}}/rows", model_rows, methods=["PUT"]),
        Route(f"{CONTROL_PREFIX}/run-durations", run_durations, methods=["GET", "PUT"]),
        Route(f"{workspace}/{{collection}}", objects, methods=["GET", "POST"]),
        Route(f"{workspace}/{{collection}}/{{object_id}}", one_object, methods=["GET", "PATCH", "DELETE"]),
        Route(f"{CONTROL_PREFIX}/clock", clock, methods=["GET"]),
        Route(f"{CONTROL_PREFIX}/clock/advance", advance_clock, methods=["POST"]),
        Route(f"{CONTROL_PREFIX}/tokens/expire", expire_tokens, methods=["POST"]),
        Route(f"{CONTROL_PREFIX}/switches", switches, methods=["GET", "POST"]),
        Route(f"{CONTROL_PREFIX}/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route(f"{CONTROL_PREFIX}/faults/{{fault_id}}", one_fault, methods=["DELETE"]),
    ]
