"""Request-body reading and JSON answers shared by the API and the control endpoints."""

from __future__ import annotations

import json
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .errors import EmulatorError, bad_request, error_body
from .settings import MAX_BODY_BYTES

MAX_JSON_DEPTH: Final = 32
JSON_MEDIA_TYPE: Final = "application/json"


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


async def read_json(request: Request, *, required: bool = True, json_content_type: bool = True) -> Any:
    """The request body parsed as JSON, read in chunks and capped at ``MAX_BODY_BYTES``.

    413 when it is larger (from ``Content-Length`` before reading, or while streaming), 415 for a
    non-JSON ``Content-Type`` (unless ``json_content_type`` is false: the controls take whatever
    ``curl -d`` sends), 400 for anything that is not valid JSON. ``None`` when the body is empty
    and not ``required``.
    """
    too_large = EmulatorError(
        413, f"request body: larger than {MAX_BODY_BYTES} bytes; the API takes small JSON objects"
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large
    content_type = request.headers.get("content-type")
    if content_type is not None and json_content_type:
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type and media_type != JSON_MEDIA_TYPE and not media_type.endswith("+json"):
            raise EmulatorError(415, f"Content-Type: send {JSON_MEDIA_TYPE} bodies")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_large
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        if required:
            raise bad_request("request body: required; send a JSON object")
        return None
    try:
        parsed = json.loads(raw, parse_constant=_refuse_constant)
    except RecursionError:
        raise bad_request(f"request body: nested deeper than {MAX_JSON_DEPTH} levels") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad_request(f"request body: not valid JSON ({exc})") from None
    _check_structure(parsed)
    return parsed


def _check_structure(value: Any) -> None:
    """Refuse deep nesting and strings that cannot be encoded (lone surrogates from ``\\ud800``)."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise bad_request(f"request body: nested deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(item, str):
            _check_text(item)
        elif isinstance(item, dict):
            for key, child in item.items():
                _check_text(key)
                pending.append((child, depth + 1))
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise bad_request("request body: contains an invalid Unicode escape (a lone surrogate)") from None


def json_answer(content: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse(content, status_code=status_code)


def error_response(exc: EmulatorError) -> Response:
    return JSONResponse(error_body(exc.status_code, exc.messages), status_code=exc.status_code, headers=exc.headers)


def no_content() -> Response:
    return Response(status_code=204)
