"""The client's settings: where they come from (Pulumi config, then environment) and what is allowed."""

from __future__ import annotations

import ipaddress
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlsplit

from .. import _constants as c
from ._exceptions import ConfigurationError

_WORKSPACE_ID_RE: Final = re.compile(r"^[0-9]+$")


def setting_source(key: str) -> str:
    """How a user sets ``key``: the Pulumi config key and its environment variable."""
    secret = " --secret" if key in c.SECRET_CONFIG_KEYS else ""
    return f"`pulumi config set{secret} {key}` or {c.ENV_VARS[key]}"



def is_loopback_host(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_problem(url: str) -> str | None:
    """Why ``url`` is not an acceptable API or token base URL, or ``None``."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return f"must be an absolute https:// URL such as https://api.mparticle.com (got {url!r})"
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        return (
            f"must use https:// (got {url!r}): plain http:// is only allowed for loopback hosts "
            "(127.0.0.1, localhost, ::1)"
        )
    if parts.query or parts.fragment:
        return f"must not carry a query or fragment (got {url!r})"
    return None


def workspace_id_problem(workspace_id: str) -> str | None:
    if not _WORKSPACE_ID_RE.match(workspace_id):
        return f"must be the numeric workspace id shown in the mParticle UI (got {workspace_id!r})"
    return None


@dataclass(frozen=True)
class ClientSettings:
    """Everything the client needs to reach one mParticle account. Hashable: the client cache key."""

    client_id: str
    client_secret: str = field(repr=False)
    workspace_id: str | None = None
    api_url: str = c.DEFAULT_API_URL
    auth_url: str = c.DEFAULT_AUTH_URL
    max_attempts: int = c.DEFAULT_MAX_ATTEMPTS
    max_retry_wait: float = c.DEFAULT_MAX_RETRY_WAIT
    timeout: float = c.DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        if not self.client_id:
            raise ConfigurationError(
                f"{c.CONFIG_CLIENT_ID} is empty: set it with {setting_source(c.CONFIG_CLIENT_ID)}"
            )
        if not self.client_secret:
            raise ConfigurationError(
                f"{c.CONFIG_CLIENT_SECRET} is empty: set it with {setting_source(c.CONFIG_CLIENT_SECRET)}"
            )
        if self.workspace_id is not None and (problem := workspace_id_problem(self.workspace_id)):
            raise ConfigurationError(
                f"{c.CONFIG_WORKSPACE_ID} {problem}; set it with {setting_source(c.CONFIG_WORKSPACE_ID)}"
            )
        for key, url in ((c.CONFIG_API_URL, self.api_url), (c.CONFIG_AUTH_URL, self.auth_url)):
            if problem := url_problem(url):
                raise ConfigurationError(f"{key} {problem}; set it with {setting_source(key)}")
        # Normalised so that "https://host/" and "https://host" are one cache key.
        object.__setattr__(self, "api_url", self.api_url.rstrip("/"))
        object.__setattr__(self, "auth_url", self.auth_url.rstrip("/"))
        if self.max_attempts < 1:
            raise ConfigurationError(
                f"{c.CONFIG_MAX_ATTEMPTS} must be at least 1 (got {self.max_attempts}); "
                f"set it with {setting_source(c.CONFIG_MAX_ATTEMPTS)}"
            )
        if not (self.max_retry_wait >= 0 and math.isfinite(self.max_retry_wait)):
            raise ConfigurationError(
                f"{c.CONFIG_MAX_RETRY_WAIT} must be a finite number of seconds >= 0 "
                f"(got {self.max_retry_wait}); set it with {setting_source(c.CONFIG_MAX_RETRY_WAIT)}"
            )
        if not (self.timeout > 0 and math.isfinite(self.timeout)):
            raise ConfigurationError(
                f"{c.CONFIG_TIMEOUT} must be a finite number of seconds > 0 (got {self.timeout}); "
                f"set it with {setting_source(c.CONFIG_TIMEOUT)}"
            )


def load_settings(
    lookup: Callable[[str], str | None], *, environ: Mapping[str, str] | None = None
) -> ClientSettings:
    """Read settings from Pulumi config (``lookup("mparticle:clientId")`` ...), then the environment.

    ``lookup`` returns ``None`` (or ``""``) for an unset key; the matching ``MPARTICLE_*``
    environment variable is used then. ``environ`` defaults to ``os.environ``.
    """
    env = os.environ if environ is None else environ

    def read(key: str) -> str | None:
        value = lookup(key)
        if value is None or value == "":
            value = env.get(c.ENV_VARS[key])
        if value is None:
            return None
        value = value.strip()
        return value or None

    def required(key: str) -> str:
        value = read(key)
        if value is None:
            raise ConfigurationError(f"{key} is not set: set it with {setting_source(key)}")
        return value

    def whole_number(key: str, default: int) -> int:
        raw = read(key)
        try:
            return default if raw is None else int(raw)
        except ValueError:
            raise ConfigurationError(
                f"{key} must be a whole number (got {raw!r}); set it with {setting_source(key)}"
            ) from None

    def seconds(key: str, default: float) -> float:
        raw = read(key)
        try:
            return default if raw is None else float(raw)
        except ValueError:
            raise ConfigurationError(
                f"{key} must be a number of seconds (got {raw!r}); set it with {setting_source(key)}"
            ) from None

    return ClientSettings(
        client_id=required(c.CONFIG_CLIENT_ID),
        client_secret=required(c.CONFIG_CLIENT_SECRET),
        workspace_id=read(c.CONFIG_WORKSPACE_ID),
        api_url=read(c.CONFIG_API_URL) or c.DEFAULT_API_URL,
        auth_url=read(c.CONFIG_AUTH_URL) or c.DEFAULT_AUTH_URL,
        max_attempts=whole_number(c.CONFIG_MAX_ATTEMPTS, c.DEFAULT_MAX_ATTEMPTS),
        max_retry_wait=seconds(c.CONFIG_MAX_RETRY_WAIT, c.DEFAULT_MAX_RETRY_WAIT),
        timeout=seconds(c.CONFIG_TIMEOUT, c.DEFAULT_TIMEOUT),
    )


def missing_workspace_error() -> ConfigurationError:
    return ConfigurationError(
        f"no workspace id: pass the resource's workspace_id argument, or set {c.CONFIG_WORKSPACE_ID} "
        f"with {setting_source(c.CONFIG_WORKSPACE_ID)}"
    )
