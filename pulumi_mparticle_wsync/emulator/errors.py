"""Errors the emulator answers, in the spec's body format.

``{"statusCode": n, "errors": [{"message": "..."}]}`` (spec §2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .. import wire


class EmulatorError(Exception):
    """An HTTP error answer. Messages must never contain a secret value."""

    def __init__(
        self, status_code: int, messages: str | Sequence[str], headers: Mapping[str, str] | None = None
    ) -> None:
        self.status_code = status_code
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        self.headers = dict(headers or {})
        super().__init__(f"{status_code}: {'; '.join(self.messages)}")


def error_body(status_code: int, messages: Sequence[str]) -> dict[str, Any]:
    return {
        wire.ERROR_STATUS_CODE: status_code,
        wire.ERROR_LIST: [{wire.ERROR_MESSAGE: message} for message in messages],
    }


def bad_request(*messages: str) -> EmulatorError:
    return EmulatorError(400, messages)


def not_found(message: str) -> EmulatorError:
    return EmulatorError(404, message)


def unauthorized(message: str) -> EmulatorError:
    return EmulatorError(401, message, {"WWW-Authenticate": "Bearer"})
