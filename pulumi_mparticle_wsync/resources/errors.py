"""Errors the resource providers raise. Each message says what happened and what to do.

    ResourceError                 base of everything below
    ├── InvalidArgumentsError     create/update called with inputs that fail ``check``
    ├── DuplicateIdError          the id is taken and adopt=True was not given
    ├── ObjectDeletedError        update of an object someone deleted outside Pulumi
    ├── DeleteRefusedError        the API refuses a delete (a pipeline still uses the object)
    ├── ObjectNotFoundError       a ``.get()`` or a lookup of an object that does not exist
    └── OperationError            any other API or transport failure, with the resource named

No message contains an input value: secrets cannot leak through them. Configuration
problems are the client's ``ConfigurationError``; they, and the client's errors an
``OperationError`` quotes, say how to set each setting they name the Pulumi way
(``with_pulumi_advice``), where the client says it neutrally.

``short_traceback`` wraps the provider's methods so that the engine shows each failure as one
short traceback ending in the sentence that matters (see its docstring).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from .. import _constants as c

if TYPE_CHECKING:
    from ..client import ConfigurationError

P = ParamSpec("P")
R = TypeVar("R")


def short_traceback(method: Callable[P, R]) -> Callable[P, R]:
    """``method``, whose exceptions escape with their traceback cut to this call and no chain.

    The dynamic-provider host reports a failed operation as ``traceback.format_exc()``: with
    our errors raised ``from`` the client's, and the client's from the transport's, that is
    two or three chained tracebacks (some 35 lines per resource) before the one line that
    says what to do. Every error of this package leaving ``method`` (ours and the client's:
    each says what happened and what to do) is raised again as the same object, so it keeps
    its type, message and picklability, with no chained cause or context and with the frames
    below this call dropped. The host then prints three frames (its two and this one) and
    ``<type>: <message>`` last. Any other exception is a bug, and keeps every frame for its report.
    """

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except Exception as error:
            if not _is_ours(error):
                raise
            error.__context__ = None
            raise error.with_traceback(None) from None

    return wrapper


def _is_ours(error: Exception) -> bool:
    """Raised on purpose by this package (its message is the advice), not a bug anywhere."""
    return type(error).__module__.split(".", 1)[0] == __name__.split(".", 1)[0]


def _pulumi_setting_source(key: str) -> str:
    secret = " --secret" if key in c.SECRET_CONFIG_KEYS else ""
    return f"`pulumi config set{secret} {key}` or {c.ENV_VARS[key]}"


def with_pulumi_advice(message: str) -> str:
    """A client error's ``message``, saying to set each setting it names with ``pulumi config set``.

    The client says how to set a setting neutrally, always in the words of ``client.setting_source``
    ("the mparticle:apiUrl setting or MPARTICLE_API_URL"); the provider's settings are the stack's
    config, so each of those phrases becomes "`pulumi config set mparticle:apiUrl` or
    MPARTICLE_API_URL" (with ``--secret`` for the client secret).
    """
    from ..client import setting_source

    for key in c.ENV_VARS:
        message = message.replace(setting_source(key), _pulumi_setting_source(key))
    return message


def with_pulumi_advice_error(error: ConfigurationError) -> ConfigurationError:
    """A new ``ConfigurationError`` like ``error``, its message and each problem ``with_pulumi_advice``."""
    from ..client import ConfigurationError

    return ConfigurationError(
        with_pulumi_advice(str(error)), problems=[with_pulumi_advice(problem) for problem in error.problems]
    )


class ResourceError(Exception):
    """A resource operation failed; the message names the object and the fix."""


class InvalidArgumentsError(ResourceError):
    pass


class DuplicateIdError(ResourceError):
    pass


class ObjectDeletedError(ResourceError):
    pass


class DeleteRefusedError(ResourceError):
    pass


class OperationError(ResourceError):
    pass


class ObjectNotFoundError(ResourceError):
    """A ``.get()`` or a lookup function asked for an object that does not exist."""
