"""Every error the client raises, as one tree (public: ``pulumi_mparticle_wsync.client`` exports each).

    WarehouseSyncError                  base of everything below
    ├── ConfigurationError              settings missing or unusable: every problem at once, each naming
    │                                   its config key and environment variable
    ├── TransportError                  no usable answer: connection refused/dropped, timeouts (after retries)
    └── APIError                        the API answered with an error status
        ├── BadRequestError             400: a field is invalid, or the request is refused in this state
        │   └── RunInProgressError      400 to a trigger: the pipeline has a run going (``pipeline_id``)
        ├── AuthenticationError         401: token missing/expired/unknown, or the credential was refused
        ├── PermissionDeniedError       403: the credential lacks the permission
        ├── NotFoundError               404: no such object, proven: its collection lists without it
        │   └── StatusNotReadyError     404 from a pipeline's status (or runs) while the pipeline exists:
        │                               mParticle answers so for about a minute after a create (``pipeline_id``)
        ├── UnconfirmedNotFoundError    404 that proves nothing: the collection's listing failed (the
        │                               route looks wrong: names mparticle:apiUrl) or still holds the
        │                               object, or a POST to a collection answered 404. Never "gone"
        ├── ConflictError               409, or 400 saying the id already exists, or an id taken by a
        │                               different object (detected by the client after a lost answer)
        ├── RateLimitError              429 (after retries)
        └── ServerError                 5xx (after retries)

``str(error)`` of an ``APIError`` reads ``METHOD /path -> STATUS: message; message``. No message
ever contains a secret: values sent under secret keys, the client secret and bearer tokens are
replaced by ``[redacted]`` before an error is built (see ``_scrub``).

A 404 for one object is taken as "the object is gone" only when the API proves it: the client
then lists the object's collection, and only a listing (a JSON array) without the object's id
makes ``get`` return ``None``, ``delete`` return ``False`` and ``replace`` raise ``NotFoundError``.
Anything else raises ``UnconfirmedNotFoundError``, which is deliberately not a ``NotFoundError``:
callers catch ``NotFoundError`` to mean "gone", and a wrong ``mparticle:apiUrl`` answers 404 to
every request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar


class WarehouseSyncError(Exception):
    """Base class of every error raised by the Warehouse Sync client."""


class ConfigurationError(WarehouseSyncError):
    """The client's settings are missing or unusable; the message names each key to set.

    ``problems`` lists every problem found (one message each); the message is the single
    problem, or all of them, one a line.
    """

    def __init__(self, message: str, *, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems: tuple[str, ...] = tuple(problems) or (message,)

    @classmethod
    def from_problems(cls, problems: Sequence[str]) -> ConfigurationError:
        """One error for every problem at once, so that one run of the user's fix addresses all of them."""
        if len(problems) == 1:
            return cls(problems[0])
        listed = "\n".join(f"- {problem}" for problem in problems)
        return cls(f"{len(problems)} problems with the mparticle settings:\n{listed}", problems=problems)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_configuration_error, (str(self), self.problems))


def _rebuild_configuration_error(message: str, problems: tuple[str, ...]) -> ConfigurationError:
    return ConfigurationError(message, problems=problems)


class TransportError(WarehouseSyncError):
    """No usable HTTP answer arrived (connection errors, dropped connections, timeouts)."""

    def __init__(self, method: str, path: str, reason: str, *, attempts: int = 1, hint: str = "") -> None:
        self.method = method
        self.path = path
        self.reason = reason
        self.attempts = attempts
        self.hint = hint
        tries = "" if attempts == 1 else f" (after {attempts} attempts)"
        advice = f"; {hint}" if hint else ""
        super().__init__(f"{method} {path} failed{tries}: {reason}{advice}")

    def after_attempts(self, attempts: int) -> TransportError:
        return type(self)(self.method, self.path, self.reason, attempts=attempts, hint=self.hint)

    def with_hint(self, hint: str) -> TransportError:
        """The same failure, with advice on the setting to check (the path alone names no host)."""
        return type(self)(self.method, self.path, self.reason, attempts=self.attempts, hint=hint)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_transport_error, (self.method, self.path, self.reason, self.attempts, self.hint))


def _rebuild_transport_error(method: str, path: str, reason: str, attempts: int, hint: str = "") -> TransportError:
    return TransportError(method, path, reason, attempts=attempts, hint=hint)


class APIError(WarehouseSyncError):
    """The API answered with an error status.

    ``messages`` are the API's own messages (``errors[].message``), already scrubbed of secrets.
    """

    def __init__(self, status_code: int, method: str, path: str, messages: list[str]) -> None:
        self.status_code = status_code
        self.method = method
        self.path = path
        self.messages = list(messages)
        detail = "; ".join(self.messages) if self.messages else "(no message)"
        super().__init__(f"{method} {path} -> {status_code}: {detail}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.status_code, self.method, self.path, self.messages))


class BadRequestError(APIError):
    """400: the request was invalid or cannot be processed in the current state."""


class RunInProgressError(BadRequestError):
    """400 to a trigger whose message says the pipeline is already in progress: a run is going.

    ``pipeline_id`` names the pipeline. Wait for the run to end (``pipeline_status``) and trigger again.
    """

    def __init__(self, status_code: int, method: str, path: str, messages: list[str], *, pipeline_id: str) -> None:
        super().__init__(status_code, method, path, messages)
        self.pipeline_id = pipeline_id

    def __reduce__(self) -> tuple[object, ...]:
        fields = (self.status_code, self.method, self.path, self.messages, self.pipeline_id)
        return (_rebuild_with_pipeline, (type(self), *fields))


class AuthenticationError(APIError):
    """401 (or a refused credential at the token endpoint)."""


class PermissionDeniedError(APIError):
    """403: the credential lacks the permission (Platform access with the Admin permission)."""


class NotFoundError(APIError):
    """404: the object does not exist (for one object: proven by its collection's listing)."""


class StatusNotReadyError(NotFoundError):
    """404 from a pipeline's status or runs while the pipeline itself exists (a GET of it answered 200).

    mParticle answers so for about a minute after a pipeline is created; try again shortly. It is a
    ``NotFoundError`` of the *status*, not of the pipeline: a caller that takes ``NotFoundError`` to
    mean "the pipeline is gone" must catch this one first. ``pipeline_id`` names the pipeline.
    """

    def __init__(self, status_code: int, method: str, path: str, messages: list[str], *, pipeline_id: str) -> None:
        super().__init__(status_code, method, path, messages)
        self.pipeline_id = pipeline_id

    def __reduce__(self) -> tuple[object, ...]:
        fields = (self.status_code, self.method, self.path, self.messages, self.pipeline_id)
        return (_rebuild_with_pipeline, (type(self), *fields))


def _rebuild_with_pipeline(
    cls: type[RunInProgressError | StatusNotReadyError],
    status_code: int,
    method: str,
    path: str,
    messages: list[str],
    pipeline_id: str,
) -> APIError:
    return cls(status_code, method, path, messages, pipeline_id=pipeline_id)


class UnconfirmedNotFoundError(APIError):
    """A 404 that does not prove the object is gone; it must never drop, orphan or delete anything.

    Raised when a GET, PUT or DELETE of one object answered 404 but the listing of its collection
    could not confirm the absence (the listing failed: an unknown route, 401/403, not a JSON array),
    or still holds the object; and when a POST to a collection answered 404 (a collection always
    exists, so the route is wrong). ``status_code`` is 404, ``method`` and ``path`` are those of the
    request that answered 404; the last of ``messages`` says why and names the setting to check::

        GET /platform/v2/workspaces/1001/connections/warehouse -> 404: <the API's message>;
        connection 'warehouse' could not be confirmed missing (listing its collection, GET
        /platform/v2/workspaces/1001/connections, answered 404 too), so it is not taken as gone.
        The route looks wrong: check that mparticle:apiUrl (now 'https://...') is the API's base
        URL, ...; set it with the mparticle:apiUrl setting or MPARTICLE_API_URL

    Not a ``NotFoundError``: callers catch that to mean "gone".
    """


class ConflictError(APIError):
    """An object with this id already exists (409, or 400 saying so, or detected by the client)."""

    DETECTED_BY_CLIENT_STATUS: ClassVar[int] = 409
    """``status_code`` used when the client itself found the id taken by a different object."""


class RateLimitError(APIError):
    """429: rate limited, and the retry budget did not allow waiting long enough."""


class ServerError(APIError):
    """5xx: the API had trouble (505 meant "could not connect to the warehouse" in v1)."""


_ERROR_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def api_error_class(status_code: int) -> type[APIError]:
    """The exception class for an error status (``APIError`` itself for unusual 4xx)."""
    if status_code >= 500:
        return ServerError
    return _ERROR_BY_STATUS.get(status_code, APIError)
