"""Settings: Pulumi config keys first, MPARTICLE_* environment variables second, URL policy."""

from __future__ import annotations

import pytest

from pulumi_mparticle_wsync import _constants as c
from pulumi_mparticle_wsync.client import ClientSettings, ConfigurationError, load_settings

FULL_CONFIG = {
    "mparticle:clientId": "cid",
    "mparticle:clientSecret": "csecret-value",
    "mparticle:workspaceId": "1234",
    "mparticle:apiUrl": "https://proxy.example.com/mp/",
    "mparticle:authUrl": "https://auth.example.com",
    "mparticle:maxAttempts": "7",
    "mparticle:maxRetryWait": "12.5",
    "mparticle:timeout": "9",
}
FULL_ENV = {
    "MPARTICLE_CLIENT_ID": "env-cid",
    "MPARTICLE_CLIENT_SECRET": "env-secret-value",
    "MPARTICLE_WORKSPACE_ID": "999",
    "MPARTICLE_API_URL": "https://api-env.example.com",
    "MPARTICLE_AUTH_URL": "https://auth-env.example.com",
    "MPARTICLE_MAX_ATTEMPTS": "2",
    "MPARTICLE_MAX_RETRY_WAIT": "3",
    "MPARTICLE_TIMEOUT": "4.5",
}


def test_every_config_key_is_read() -> None:
    settings = load_settings(FULL_CONFIG.get, environ={})
    assert settings == ClientSettings(
        client_id="cid",
        client_secret="csecret-value",
        workspace_id="1234",
        api_url="https://proxy.example.com/mp",
        auth_url="https://auth.example.com",
        max_attempts=7,
        max_retry_wait=12.5,
        timeout=9.0,
    )


def test_every_key_falls_back_to_its_environment_variable() -> None:
    settings = load_settings(lambda key: None, environ=FULL_ENV)
    assert settings.client_id == "env-cid"
    assert settings.client_secret == "env-secret-value"
    assert settings.workspace_id == "999"
    assert settings.api_url == "https://api-env.example.com"
    assert settings.auth_url == "https://auth-env.example.com"
    assert settings.max_attempts == 2
    assert settings.max_retry_wait == 3.0
    assert settings.timeout == 4.5


def test_config_wins_over_environment_and_empty_config_falls_back() -> None:
    config = {"mparticle:clientId": "from-config", "mparticle:clientSecret": ""}
    settings = load_settings(config.get, environ=FULL_ENV)
    assert settings.client_id == "from-config"
    assert settings.client_secret == "env-secret-value"


def test_env_defaults_to_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPARTICLE_CLIENT_ID", "process-env-id")
    monkeypatch.setenv("MPARTICLE_CLIENT_SECRET", "process-env-secret")
    monkeypatch.delenv("MPARTICLE_WORKSPACE_ID", raising=False)
    settings = load_settings(lambda key: None)
    assert (settings.client_id, settings.client_secret, settings.workspace_id) == (
        "process-env-id",
        "process-env-secret",
        None,
    )


def test_defaults_when_only_the_credential_is_given() -> None:
    settings = load_settings({"mparticle:clientId": "a", "mparticle:clientSecret": "b"}.get, environ={})
    assert settings.workspace_id is None
    assert settings.api_url == "https://api.mparticle.com"
    assert settings.auth_url == "https://sso.auth.mparticle.com"
    assert settings.max_attempts == c.DEFAULT_MAX_ATTEMPTS
    assert settings.max_retry_wait == c.DEFAULT_MAX_RETRY_WAIT
    assert settings.timeout == c.DEFAULT_TIMEOUT


@pytest.mark.parametrize(
    ("key", "env_var", "secret"),
    [
        ("mparticle:clientId", "MPARTICLE_CLIENT_ID", False),
        ("mparticle:clientSecret", "MPARTICLE_CLIENT_SECRET", True),
    ],
)
def test_missing_required_key_names_the_key_and_env_var(key: str, env_var: str, secret: bool) -> None:
    config = {k: v for k, v in FULL_CONFIG.items() if k != key}
    with pytest.raises(ConfigurationError) as caught:
        load_settings(config.get, environ={})
    message = str(caught.value)
    assert key in message
    assert env_var in message
    assert ("--secret" in message) is secret


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("mparticle:maxAttempts", "many"),
        ("mparticle:maxAttempts", "0"),
        ("mparticle:maxRetryWait", "soon"),
        ("mparticle:maxRetryWait", "-1"),
        ("mparticle:timeout", "0"),
        ("mparticle:timeout", "nan"),
        ("mparticle:workspaceId", "ws-12"),
    ],
)
def test_bad_values_name_the_key(key: str, value: str) -> None:
    config = {**FULL_CONFIG, key: value}
    with pytest.raises(ConfigurationError) as caught:
        load_settings(config.get, environ={})
    assert key in str(caught.value)
    assert c.ENV_VARS[key] in str(caught.value)


@pytest.mark.parametrize("key", ["mparticle:apiUrl", "mparticle:authUrl"])
@pytest.mark.parametrize(
    "url", ["http://api.mparticle.com", "http://10.0.0.5:8080", "ftp://host", "not a url"]
)
def test_plain_http_and_other_schemes_are_refused(key: str, url: str) -> None:
    config = {**FULL_CONFIG, key: url}
    with pytest.raises(ConfigurationError) as caught:
        load_settings(config.get, environ={})
    message = str(caught.value)
    assert key in message
    assert "https://" in message


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000", "http://127.5.6.7", "http://localhost:9", "http://[::1]:8080", "https://x.io"],
)
def test_http_is_allowed_for_loopback_hosts(url: str) -> None:
    settings = load_settings(
        {**FULL_CONFIG, "mparticle:apiUrl": url, "mparticle:authUrl": url}.get, environ={}
    )
    assert settings.api_url == url


def test_the_secret_is_not_in_the_repr() -> None:
    settings = load_settings(FULL_CONFIG.get, environ={})
    assert "csecret-value" not in repr(settings)
    assert "cid" in repr(settings)


def test_settings_are_hashable_and_normalised_for_the_client_cache() -> None:
    a = ClientSettings("id", "secret", "1", api_url="https://h.example/")
    b = ClientSettings("id", "secret", "1", api_url="https://h.example")
    assert a == b
    assert hash(a) == hash(b)
