"""Settings: Pulumi config keys first, MPARTICLE_* environment variables second, URL policy."""

from __future__ import annotations

import pickle

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
    ("key", "env_var"),
    [("mparticle:clientId", "MPARTICLE_CLIENT_ID"), ("mparticle:clientSecret", "MPARTICLE_CLIENT_SECRET")],
)
def test_missing_required_key_names_the_key_and_env_var(key: str, env_var: str) -> None:
    config = {k: v for k, v in FULL_CONFIG.items() if k != key}
    with pytest.raises(ConfigurationError) as caught:
        load_settings(config.get, environ={})
    message = str(caught.value)
    assert caught.value.problems == (message,)  # the only problem, in its own words
    # Named neutrally: the client knows nothing of Pulumi (the provider adds `pulumi config set`).
    assert message == f"{key} is not set: set it with the {key} setting or {env_var}"


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
    assert str(caught.value).startswith(f"{key} ")
    assert str(caught.value).endswith(f"set it with the {key} setting or {c.ENV_VARS[key]}")
    assert len(caught.value.problems) == 1


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


# --- every problem at once -------------------------------------------------------------------


def test_load_settings_reports_every_problem_at_once_in_key_order() -> None:
    config = {
        "mparticle:workspaceId": "ws-12",
        "mparticle:apiUrl": "http://api.example.com",
        "mparticle:authUrl": "ftp://auth",
        "mparticle:maxAttempts": "many",
        "mparticle:maxRetryWait": "-1",
        "mparticle:timeout": "soon",
    }
    with pytest.raises(ConfigurationError) as caught:
        load_settings(config.get, environ={})
    problems = [
        "mparticle:clientId is not set: set it with the mparticle:clientId setting or MPARTICLE_CLIENT_ID",
        "mparticle:clientSecret is not set: set it with the mparticle:clientSecret setting or "
        "MPARTICLE_CLIENT_SECRET",
        "mparticle:workspaceId must be the numeric workspace id shown in the mParticle UI (got 'ws-12'); "
        "set it with the mparticle:workspaceId setting or MPARTICLE_WORKSPACE_ID",
        "mparticle:apiUrl must use https:// (got 'http://api.example.com'): plain http:// is only allowed for "
        "loopback hosts (127.0.0.1, localhost, ::1); set it with the mparticle:apiUrl setting or "
        "MPARTICLE_API_URL",
        "mparticle:authUrl must be an absolute https:// URL such as https://api.mparticle.com (got 'ftp://auth'); "
        "set it with the mparticle:authUrl setting or MPARTICLE_AUTH_URL",
        "mparticle:maxAttempts must be a whole number (got 'many'); set it with "
        "the mparticle:maxAttempts setting or MPARTICLE_MAX_ATTEMPTS",
        "mparticle:maxRetryWait must be a finite number of seconds >= 0 (got -1.0); set it with "
        "the mparticle:maxRetryWait setting or MPARTICLE_MAX_RETRY_WAIT",
        "mparticle:timeout must be a number of seconds (got 'soon'); set it with "
        "the mparticle:timeout setting or MPARTICLE_TIMEOUT",
    ]
    assert caught.value.problems == tuple(problems)
    assert str(caught.value) == "8 problems with the mparticle settings:\n" + "\n".join(f"- {p}" for p in problems)


def test_client_settings_report_every_problem_at_once() -> None:
    with pytest.raises(ConfigurationError) as caught:
        ClientSettings("", "", "x", api_url="https://h/platform/v2/workspaces/1", max_attempts=0, timeout=0)
    assert [problem.split(" ", 1)[0] for problem in caught.value.problems] == [
        "mparticle:clientId",
        "mparticle:clientSecret",
        "mparticle:workspaceId",
        "mparticle:apiUrl",
        "mparticle:maxAttempts",
        "mparticle:timeout",
    ]
    assert caught.value.problems[0] == (
        "mparticle:clientId is empty: set it with the mparticle:clientId setting or MPARTICLE_CLIENT_ID"
    )
    assert str(caught.value).startswith("6 problems with the mparticle settings:\n- mparticle:clientId is empty")


def test_a_configuration_error_pickles_with_its_problems() -> None:
    error = ConfigurationError.from_problems(["a is wrong", "b is wrong"])
    clone = pickle.loads(pickle.dumps(error))
    assert (type(clone), str(clone), clone.problems) == (ConfigurationError, str(error), ("a is wrong", "b is wrong"))


# --- the API base URL ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("https://api.mparticle.com/platform/v2/", "https://api.mparticle.com"),
        ("https://api.mparticle.com/platform/v2", "https://api.mparticle.com"),
        ("https://api.mparticle.com/", "https://api.mparticle.com"),
        ("http://127.0.0.1:8484/platform/v2/", "http://127.0.0.1:8484"),
        # A proxy under a path prefix keeps it; only the documented suffix is taken off.
        ("https://proxy.corp/mparticle", "https://proxy.corp/mparticle"),
        ("https://proxy.corp/mparticle/platform/v2/", "https://proxy.corp/mparticle"),
        ("https://proxy.corp/platform/v1", "https://proxy.corp/platform/v1"),
        ("https://proxy.corp/workspaces-gateway", "https://proxy.corp/workspaces-gateway"),
    ],
)
def test_the_documented_base_with_its_version_is_accepted(given: str, used: str) -> None:
    settings = load_settings({**FULL_CONFIG, "mparticle:apiUrl": given}.get, environ={})
    assert settings.api_url == used
    assert ClientSettings("id", "secret", api_url=given) == ClientSettings("id", "secret", api_url=used)


@pytest.mark.parametrize(
    ("given", "suggested"),
    [
        ("https://api.mparticle.com/platform/v2/workspaces/1234", "https://api.mparticle.com"),
        ("https://api.mparticle.com/platform/v2/workspaces/", "https://api.mparticle.com"),
        ("https://proxy.corp/mp/workspaces", "https://proxy.corp/mp"),
    ],
)
def test_an_api_url_with_the_workspace_path_is_refused(given: str, suggested: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings({**FULL_CONFIG, "mparticle:apiUrl": given}.get, environ={})
    assert str(caught.value) == (
        f"mparticle:apiUrl must not contain the workspace path (got {given!r}): use {suggested!r}; the client "
        "adds /platform/v2/workspaces/{workspaceId} itself and takes the workspace from mparticle:workspaceId "
        "or the resource's workspace_id; set it with the mparticle:apiUrl setting or MPARTICLE_API_URL"
    )


# --- the token URL --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("https://sso.auth.mparticle.com", "https://sso.auth.mparticle.com"),
        ("https://sso.auth.mparticle.com/", "https://sso.auth.mparticle.com"),
        # mParticle's docs give the token endpoint as a full URL; the client adds /oauth/token itself.
        ("https://sso.auth.mparticle.com/oauth/token", "https://sso.auth.mparticle.com"),
        ("https://sso.auth.mparticle.com/oauth/token/", "https://sso.auth.mparticle.com"),
        ("http://127.0.0.1:8484/oauth/token", "http://127.0.0.1:8484"),
        # A proxy under a path prefix keeps it; only the documented token path is taken off.
        ("https://proxy.corp/sso", "https://proxy.corp/sso"),
        ("https://proxy.corp/sso/oauth/token/", "https://proxy.corp/sso"),
        ("https://proxy.corp/myoauth/token", "https://proxy.corp/myoauth/token"),
    ],
)
def test_the_documented_token_url_is_accepted(given: str, used: str) -> None:
    from_config = load_settings({**FULL_CONFIG, "mparticle:authUrl": given}.get, environ={})
    from_env = load_settings(lambda _key: None, environ={**FULL_ENV, "MPARTICLE_AUTH_URL": given})
    assert from_config.auth_url == from_env.auth_url == used
    assert ClientSettings("id", "secret", auth_url=given) == ClientSettings("id", "secret", auth_url=used)
