"""Turning HTTP answers into values or into the exception tree."""

from __future__ import annotations

import json
from typing import Any, Final

import httpx

from .. import wire
from ._scrub import Scrubber
from .errors import APIError, ConflictError, api_error_class

_MAX_TEXT_MESSAGE: Final = 300


def display_path(request: httpx.Request) -> str:
    """The request path as it appears in error messages (no host, no query)."""
    return request.url.path


def error_messages(response: httpx.Response) -> list[str]:
    """The API's messages: ``{"statusCode", "errors": [{"message"}]}``, with fallbacks for other bodies."""
    try:
        body: Any = response.json()
    except (ValueError, UnicodeDecodeError):
        text = response.text.strip() if response.content else ""
        return [text[:_MAX_TEXT_MESSAGE]] if text else [response.reason_phrase or "no message"]
    messages: list[str] = []
    if isinstance(body, dict):
        errors = body.get(wire.ERROR_LIST)
        if isinstance(errors, list):
            for item in errors:
                if isinstance(item, dict) and isinstance(item.get(wire.ERROR_MESSAGE), str):
                    messages.append(item[wire.ERROR_MESSAGE])
                elif isinstance(item, str):
                    messages.append(item)
        # Other shapes seen from OAuth servers and gateways.
        for key in ("message", "error_description", "error"):
            if not messages and isinstance(body.get(key), str):
                messages.append(body[key])
    if not messages:
        messages.append(json.dumps(body)[:_MAX_TEXT_MESSAGE])
    return messages


def is_duplicate_id(status_code: int, messages: list[str]) -> bool:
    """409, or a 400 whose message says the id already exists (both forms are plausible, spec §2)."""
    if status_code == wire.DUPLICATE_ID_409:
        return True
    fragment = wire.DUPLICATE_ID_MESSAGE_FRAGMENT.lower()
    return status_code == wire.DUPLICATE_ID_400 and any(fragment in m.lower() for m in messages)


def error_from_response(response: httpx.Response, scrubber: Scrubber) -> APIError:
    request = response.request
    messages = [scrubber(m) for m in error_messages(response)]
    status = response.status_code
    cls = ConflictError if is_duplicate_id(status, messages) else api_error_class(status)
    return cls(status, request.method, display_path(request), messages)


def json_body(response: httpx.Response, scrubber: Scrubber) -> Any:
    """The decoded JSON of a successful answer; an ``APIError`` if it is not JSON."""
    try:
        return response.json()
    except (ValueError, UnicodeDecodeError):
        snippet = scrubber(response.text[:80]) if response.content else "an empty body"
        raise APIError(
            response.status_code,
            response.request.method,
            display_path(response.request),
            [f"expected a JSON answer, got {snippet!r}"],
        ) from None


def expect_object(response: httpx.Response, scrubber: Scrubber) -> dict[str, Any]:
    body = json_body(response, scrubber)
    if not isinstance(body, dict):
        raise unexpected_shape(response, "a JSON object", body)
    return body


def unexpected_shape(response: httpx.Response, expected: str, body: Any) -> APIError:
    return APIError(
        response.status_code,
        response.request.method,
        display_path(response.request),
        [f"expected {expected}, got {type(body).__name__}"],
    )
