"""What a failed provider operation shows: one short traceback that ends in the sentence that matters.

The dynamic-provider host reports a failure as ``traceback.format_exc()`` taken in its own
``except`` block (``pulumi.dynamic.__main__._abort_with_traceback``, which cannot be imported
here: importing that module starts a server). ``host_report`` does the same around a call.
"""

from __future__ import annotations

import pickle
import socket
import traceback
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from pulumi_mparticle_wsync.client import ConfigurationError, TransportError
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.resources import errors
from pulumi_mparticle_wsync.resources._base import WarehouseSyncProvider
from pulumi_mparticle_wsync.resources.errors import OperationError, short_traceback

from ..models import samples
from .conftest import configured, stack_config
from .helpers import engine_props

MAX_LINES = 7
"""The header, the host's frame (file, code, maybe carets), the wrapper's frame (file, code), the error."""


def host_report(operation: Callable[..., Any], *args: Any) -> tuple[str, Exception]:
    """What the host would send the engine for the failure of ``operation(*args)``, and the exception."""
    try:
        operation(*args)
    except Exception as error:
        return traceback.format_exc(), error
    pytest.fail("the operation was expected to fail")


def assert_short(report: str, error: Exception) -> None:
    lines = report.rstrip("\n").splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert report.count("Traceback (most recent call last)") == 1
    assert "During handling of the above exception" not in report
    assert "The above exception was the direct cause" not in report
    frames = [line for line in lines if line.startswith('  File "')]
    assert len(frames) == 2, report  # the caller's, and the wrapper's: nothing from inside the method
    assert frames[-1].startswith(f'  File "{errors.__file__}"'), report
    last = "".join(traceback.format_exception_only(error)).rstrip("\n")  # ``<type>: <message>``
    assert last.endswith(f": {error}")
    assert report.rstrip("\n").endswith(f"\n{last}"), report
    assert len(lines) <= MAX_LINES + str(error).count("\n"), report


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the decorator --------------------------------------------------------------------------


def _deep(level: int) -> None:
    if level:
        _deep(level - 1)
    raise KeyError("the root cause, three calls down")


@short_traceback
def _fails_with_a_chain() -> None:
    try:
        _deep(3)
    except KeyError as exc:
        raise OperationError("create DataModel 'users' in workspace 1001 failed: do this") from exc


def test_a_chained_error_leaves_as_one_short_traceback_ending_in_its_message() -> None:
    report, error = host_report(_fails_with_a_chain)
    assert_short(report, error)
    lines = report.rstrip("\n").splitlines()
    assert lines[-1] == (
        "pulumi_mparticle_wsync.resources.errors.OperationError: "
        "create DataModel 'users' in workspace 1001 failed: do this"
    )
    assert "_deep" not in report and "KeyError" not in report
    assert (error.__cause__, error.__context__, error.__suppress_context__) == (None, None, True)


def test_the_error_keeps_its_type_and_pickles() -> None:
    _, error = host_report(_fails_with_a_chain)
    assert type(error) is OperationError
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is OperationError and str(copy) == str(error)


class _Settings(BaseModel):
    port: int


@short_traceback
def _pydantic_fails() -> None:
    try:
        _Settings.model_validate({"port": "many"})
    except ValidationError as exc:
        raise ValueError("mparticle:port must be a whole number") from exc


@short_traceback
def _pydantic_raises() -> None:
    _Settings.model_validate({"port": "many"})


@pytest.mark.parametrize("operation", [_pydantic_fails, _pydantic_raises], ids=["chained", "direct"])
def test_an_unexpected_error_keeps_every_frame_for_its_bug_report(operation: Callable[[], None]) -> None:
    report, error = host_report(operation)
    assert type(error) in (ValueError, ValidationError)
    assert "_Settings.model_validate" in report
    if operation is _pydantic_fails:
        assert "The above exception was the direct cause of the following exception" in report


def test_every_operation_of_the_provider_is_wrapped() -> None:
    for name in ("check", "diff", "create", "read", "update", "delete"):
        method = getattr(WarehouseSyncProvider, name)
        assert getattr(method, "__wrapped__", None) is not None, name
        assert method.__name__ == name


# --- the provider's own failures ------------------------------------------------------------


@pytest.mark.usefixtures("no_env_settings")
def test_a_transport_failure_shows_the_operation_error_only(emulator: EmulatorHandle) -> None:
    providers = configured(stack_config(emulator, apiUrl=f"http://127.0.0.1:{_closed_port()}", maxAttempts="1"))
    report, error = host_report(providers.data_model.create, engine_props(samples.data_model()))
    assert isinstance(error, OperationError)
    assert_short(report, error)
    assert report.splitlines()[-1].endswith(
        "check that mparticle:apiUrl is right and reachable from here "
        "(set it with `pulumi config set mparticle:apiUrl` or MPARTICLE_API_URL)"
    )
    assert f"{TransportError.__module__}.{TransportError.__name__}" not in report  # the cause is not chained


@pytest.mark.usefixtures("no_env_settings")
def test_a_configuration_error_keeps_its_type_and_is_short(emulator: EmulatorHandle) -> None:
    providers = configured(stack_config(emulator, workspaceId=None))
    report, error = host_report(providers.data_model.create, engine_props(samples.data_model()))
    assert type(error) is ConfigurationError
    assert_short(report, error)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is ConfigurationError and str(copy) == str(error)
