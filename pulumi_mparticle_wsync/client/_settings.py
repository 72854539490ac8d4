"""The client's settings: where they come from (Pulumi config, then environment) and what is allowed."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final, TypeVar

from .. import _constants as c
from .._setting_lookup import setting_value
from .._urls import (
    api_url_problem,
    normalised_api_url,
    normalised_auth_url,
    url_problem,
)
from .errors import ConfigurationError

_WORKSPACE_ID_RE: Final = re.compile(r"^[0-9]+$")
N = TypeVar("N", int, float)


def setting_source(key: str) -> str:
    """How a user gives ``key`` a value, named neutrally: the setting, or its environment variable.

    Every message of the client that says how to set a setting says it with this phrase: a front
    end with its own way of setting them (the Pulumi provider's config command) puts that way in
    its place (``resources.errors.with_pulumi_advice``).
    """
    return f"the {key} setting or {c.ENV_VARS[key]}"


def workspace_id_problem(workspace_id: str) -> str | None:
    if not _WORKSPACE_ID_RE.match(workspace_id):
        return f"must be the numeric workspace id shown in the mParticle UI (got {workspace_id!r})"
    return None


def _url_problems(key: str, url: str) -> list[str]:
    problem = url_problem(url)
    if problem is None and key == c.CONFIG_API_URL:
        problem = api_url_problem(url)
    return [] if problem is None else [f"{key} {problem}; set it with {setting_source(key)}"]


def _number_problems(
    max_attempts: int | None, max_retry_wait: float | None, timeout: float | None
) -> list[str]:
    """Problems of the numeric settings; ``None`` means "already reported" (it could not be read)."""
    problems = []
    if max_attempts is not None and max_attempts < 1:
        problems.append(
            f"{c.CONFIG_MAX_ATTEMPTS} must be at least 1 (got {max_attempts}); "
            f"set it with {setting_source(c.CONFIG_MAX_ATTEMPTS)}"
        )
    if max_retry_wait is not None and not (max_retry_wait >= 0 and math.isfinite(max_retry_wait)):
        problems.append(
            f"{c.CONFIG_MAX_RETRY_WAIT} must be a finite number of seconds >= 0 "
            f"(got {max_retry_wait}); set it with {setting_source(c.CONFIG_MAX_RETRY_WAIT)}"
        )
    if timeout is not None and not (timeout > 0 and math.isfinite(timeout)):
        problems.append(
            f"{c.CONFIG_TIMEOUT} must be a finite number of seconds > 0 (got {timeout}); "
            f"set it with {setting_source(c.CONFIG_TIMEOUT)}"
        )
    return problems


def _value_problems(
    *,
    workspace_id: str | None,
    api_url: str,
    auth_url: str,
    max_attempts: int | None,
    max_retry_wait: float | None,
    timeout: float | None,
) -> list[str]:
    problems = []
    if workspace_id is not None and (problem := workspace_id_problem(workspace_id)):
        problems.append(
            f"{c.CONFIG_WORKSPACE_ID} {problem}; set it with {setting_source(c.CONFIG_WORKSPACE_ID)}"
        )
    problems += _url_problems(c.CONFIG_API_URL, api_url)
    problems += _url_problems(c.CONFIG_AUTH_URL, auth_url)
    problems += _number_problems(max_attempts, max_retry_wait, timeout)
    return problems


@dataclass(frozen=True)
class ClientSettings:
    """Everything the client needs to reach one mParticle account. Hashable: the client cache key.

    Every problem of the values is reported at once, in one ``ConfigurationError``.
    """

    client_id: str
    client_secret: str = field(repr=False)
    workspace_id: str | None = None
    api_url: str = c.DEFAULT_API_URL
    auth_url: str = c.DEFAULT_AUTH_URL
    max_attempts: int = c.DEFAULT_MAX_ATTEMPTS
    max_retry_wait: float = c.DEFAULT_MAX_RETRY_WAIT
    timeout: float = c.DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        problems = [
            f"{key} is empty: set it with {setting_source(key)}"
            for key, value in ((c.CONFIG_CLIENT_ID, self.client_id), (c.CONFIG_CLIENT_SECRET, self.client_secret))
            if not value
        ]
        problems += _value_problems(
            workspace_id=self.workspace_id,
            api_url=self.api_url,
            auth_url=self.auth_url,
            max_attempts=self.max_attempts,
            max_retry_wait=self.max_retry_wait,
            timeout=self.timeout,
        )
        if problems:
            raise ConfigurationError.from_problems(problems)
        # Normalised so that "https://host/", "https://host" and "https://host/platform/v2/" (or, for
        # the token URL, "https://host/oauth/token") are one cache key, and the client's paths are
        # appended to the host base exactly once.
        object.__setattr__(self, "api_url", normalised_api_url(self.api_url))
        object.__setattr__(self, "auth_url", normalised_auth_url(self.auth_url))


@dataclass(frozen=True)
class Tuning:
    """The settings that are no account's: how hard and how long the client tries."""

    max_attempts: int = c.DEFAULT_MAX_ATTEMPTS
    max_retry_wait: float = c.DEFAULT_MAX_RETRY_WAIT
    timeout: float = c.DEFAULT_TIMEOUT


def _read_tuning(read: Callable[[str], str | None], problems: list[str]) -> Tuning | None:
    """The numeric settings through ``read``; their problems are added to ``problems`` (then ``None``)."""

    def number(key: str, default: N, parse: Callable[[str], N], what: str) -> N | None:
        raw = read(key)
        try:
            return default if raw is None else parse(raw)
        except ValueError:
            problems.append(f"{key} must be {what} (got {raw!r}); set it with {setting_source(key)}")
            return None

    max_attempts = number(c.CONFIG_MAX_ATTEMPTS, c.DEFAULT_MAX_ATTEMPTS, int, "a whole number")
    max_retry_wait = number(c.CONFIG_MAX_RETRY_WAIT, c.DEFAULT_MAX_RETRY_WAIT, float, "a number of seconds")
    timeout = number(c.CONFIG_TIMEOUT, c.DEFAULT_TIMEOUT, float, "a number of seconds")
    found = _number_problems(max_attempts, max_retry_wait, timeout)
    problems += found
    if found or max_attempts is None or max_retry_wait is None or timeout is None:
        return None
    return Tuning(max_attempts=max_attempts, max_retry_wait=max_retry_wait, timeout=timeout)


def load_tuning(lookup: Callable[[str], str | None], *, environ: Mapping[str, str] | None = None) -> Tuning:
    """Only the numeric settings (``maxAttempts``, ``maxRetryWait``, ``timeout``), as ``load_settings`` reads
    them: for an account given in full elsewhere, which needs no credential from the settings."""
    problems: list[str] = []
    tuning = _read_tuning(lambda key: setting_value(lookup, key, environ), problems)
    if tuning is None:
        raise ConfigurationError.from_problems(sorted(problems, key=_key_order))
    return tuning


def load_settings(
    lookup: Callable[[str], str | None], *, environ: Mapping[str, str] | None = None
) -> ClientSettings:
    """Read settings from Pulumi config (``lookup("mparticle:clientId")`` ...), then the environment.

    ``lookup`` returns ``None`` (or ``""``) for an unset key; the matching ``MPARTICLE_*``
    environment variable is used then. ``environ`` defaults to ``os.environ``. Every problem
    (missing credential, bad workspace id, URL or number) is reported at once, in one
    ``ConfigurationError`` whose ``problems`` name each key and how to set it.
    """
    problems: list[str] = []

    def read(key: str) -> str | None:
        return setting_value(lookup, key, environ)

    def required(key: str) -> str:
        value = read(key)
        if value is None:
            problems.append(f"{key} is not set: set it with {setting_source(key)}")
            return ""
        return value

    client_id = required(c.CONFIG_CLIENT_ID)
    client_secret = required(c.CONFIG_CLIENT_SECRET)
    workspace_id = read(c.CONFIG_WORKSPACE_ID)
    api_url = read(c.CONFIG_API_URL) or c.DEFAULT_API_URL
    auth_url = read(c.CONFIG_AUTH_URL) or c.DEFAULT_AUTH_URL
    tuning = _read_tuning(read, problems)
    problems += _value_problems(
        workspace_id=workspace_id,
        api_url=api_url,
        auth_url=auth_url,
        max_attempts=None,
        max_retry_wait=None,
        timeout=None,
    )
    if problems or tuning is None:
        raise ConfigurationError.from_problems(sorted(problems, key=_key_order))
    return ClientSettings(
        client_id=client_id,
        client_secret=client_secret,
        workspace_id=workspace_id,
        api_url=api_url,
        auth_url=auth_url,
        max_attempts=tuning.max_attempts,
        max_retry_wait=tuning.max_retry_wait,
        timeout=tuning.timeout,
    )


def _key_order(problem: str) -> int:
    """Problems are listed in the order of the keys (each problem starts with its key)."""
    keys = list(c.ENV_VARS)
    return next((index for index, key in enumerate(keys) if problem.startswith(f"{key} ")), len(keys))


def missing_workspace_error() -> ConfigurationError:
    return ConfigurationError(
        "no workspace id: pass the resource's workspace_id argument, or set it with "
        f"{setting_source(c.CONFIG_WORKSPACE_ID)}"
    )
