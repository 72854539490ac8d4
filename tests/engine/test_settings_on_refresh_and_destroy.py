"""Which provider settings reach our provider in ``refresh``, ``destroy``, ``preview --refresh`` and ``up --refresh``.

The engine configures the dynamic provider with the stack's config (``mparticle:*``) only when the
program runs; otherwise it uses the provider inputs recorded in the state by the last command that
ran the program (normally the last ``pulumi up``). Measured with Pulumi v3.274.1:

| command                             | settings the provider gets |
|-------------------------------------|----------------------------|
| ``refresh``                         | recorded                   |
| ``refresh --run-program``           | current stack config       |
| ``destroy``                         | recorded                   |
| ``destroy --run-program``           | current stack config       |
| ``preview --refresh``               | recorded                   |
| ``preview --refresh --run-program`` | current stack config       |
| ``up --refresh``                    | recorded (its refresh)     |
| ``up --refresh --run-program``      | current stack config       |

A successful ``up`` (one with nothing to change included: it makes no API call), ``refresh
--run-program`` or ``destroy --run-program`` records the current settings in the state; a preview
records nothing, nor does a command that failed here. That is how the tests below make the recorded
settings stale: ``up`` with a wrong setting, then the setting is fixed in the stack config only.

Three situations, each run with every command above:

- the URL moved: the stack was created on one emulator, its objects copied to a second one, and
  ``apiUrl``/``authUrl`` now name the second. Both work, so the request logs tell which one the
  provider used (and a destroy deletes on that one only);
- a stale URL: the recorded ``apiUrl`` is a port nothing listens on, the current one is right;
- a stale credential: the recorded ``clientSecret`` is refused (as after a rotation), the current
  one is right.

After each command the servers' contents and the state are checked: every object exactly once and
tracked by the state, or (a destroy that ran) gone from the server it used and from the state.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

import pulumi_mparticle_wsync as mp
from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle, running_emulator
from pulumi_mparticle_wsync.recover._pulumi import PulumiCli

from .conftest import StackFactory
from .harness import PULUMI_BIN, EngineStack, closed_port, engine_env, write_program

COLLECTION = wire.DATA_MODELS
TOKEN = "token"  # how the emulator's request log files token calls
RUN_PROGRAM_HINT = "--run-program"
REVOKED_SECRET = "revoked-client-secret"


def _program() -> None:
    users = mp.DataModel("users", name="Users", sql_query="SELECT email, plan FROM db.s.users")
    orders = mp.DataModel("orders", name="Orders", sql_query="SELECT order_id, email FROM db.s.orders")
    pulumi.export("ids", [users.id, orders.id])


OBJECTS = 2  # what _program declares


@dataclass(frozen=True)
class Command:
    """One way of running refresh or destroy, and what it was measured to do."""

    label: str
    verb: str  # the EngineStack method
    options: Mapping[str, bool]
    uses_current: bool  # the provider gets the current stack config, not the recorded settings
    deletes: bool = False

    @property
    def object_method(self) -> str:
        return "DELETE" if self.deletes else "GET"

    @property
    def object_calls(self) -> int:
        """Requests on the collection with working settings: one listing serves both reads; a DELETE each."""
        return OBJECTS if self.deletes else 1

    @property
    def records_current(self) -> bool:
        """Whether the state records the current settings afterwards: the program ran, not in a preview."""
        return self.verb == "up" or (self.verb != "preview" and bool(self.options.get("run_program")))

    def run(self, stack: EngineStack) -> Any:
        return getattr(stack, self.verb)(**self.options)


COMMANDS = [
    Command("refresh", "refresh", {}, uses_current=False),
    Command("refresh --run-program", "refresh", {"run_program": True}, uses_current=True),
    Command("destroy", "destroy", {}, uses_current=False, deletes=True),
    Command("destroy --run-program", "destroy", {"run_program": True}, uses_current=True, deletes=True),
    Command("preview --refresh", "preview", {"refresh": True}, uses_current=False),
    Command("preview --refresh --run-program", "preview", {"refresh": True, "run_program": True}, uses_current=True),
    Command("up --refresh", "up", {"refresh": True}, uses_current=False),
    Command("up --refresh --run-program", "up", {"refresh": True, "run_program": True}, uses_current=True),
]


def _command_id(command: Command) -> str:
    return command.label.replace(" --", "-").replace(" ", "-")


# --- what the servers and the state hold ----------------------------------------------------


def _served(emulator: EmulatorHandle) -> list[str]:
    return sorted(o[wire.ID] for o in emulator.control.list_objects(emulator.workspace_id, COLLECTION))


def _state_ids(stack: EngineStack) -> list[str]:
    return sorted(str(r["id"]) for r in stack.resources("mparticle:DataModel"))


def _recorded(stack: EngineStack, key: str) -> Any:
    """An input of the dynamic provider recorded in the state (``None`` once destroy removed it)."""
    providers = stack.resources("pulumi:providers:pulumi-python")
    assert len(providers) <= 1, providers
    return providers[0].get("inputs", {}).get(key) if providers else None


def _object_calls(emulator: EmulatorHandle, method: str) -> int:
    return emulator.control.count(method, COLLECTION)


def _token_statuses(emulator: EmulatorHandle) -> list[int]:
    return [r.status for r in emulator.control.requests() if r.collection == TOKEN]


def _up_tracking_everything(stack: EngineStack, emulator: EmulatorHandle) -> list[str]:
    stack.up()
    ids = _served(emulator)
    assert len(ids) == OBJECTS
    assert _state_ids(stack) == ids
    return ids


def _assert_untouched(stack: EngineStack, emulator: EmulatorHandle, ids: list[str]) -> None:
    """The server holds every object exactly once and the state still tracks each of them."""
    assert _served(emulator) == ids
    assert _state_ids(stack) == ids


def _assert_destroyed(stack: EngineStack, emulator: EmulatorHandle) -> None:
    assert _served(emulator) == []
    assert _state_ids(stack) == []
    assert _recorded(stack, "mparticle:apiUrl") is None


def _record_stale(stack: EngineStack, emulator: EmulatorHandle, stale: Mapping[str, auto.ConfigValue]) -> None:
    """``up`` with ``stale`` settings (nothing to change: no API call), then fix the config again."""
    current = {key: stack.stack.get_config(key) for key in stale}
    stack.stack.set_all_config(dict(stale))
    emulator.control.clear_log()
    up = stack.up()
    assert set(up.result.summary.resource_changes) == {"same"}, up.output
    assert emulator.control.requests() == [], "an up with nothing to change called the API"
    stack.stack.set_all_config(current)


def _failure(command: Command, stack: EngineStack) -> str:
    with pytest.raises(auto.CommandError) as failed:
        command.run(stack)
    return str(failed.value)


# --- the URL moved: two working servers, the request logs tell which one was used --------


@pytest.fixture
def second_emulator() -> Iterator[EmulatorHandle]:
    with running_emulator() as handle:
        yield handle


def _copy_objects(source: EmulatorHandle, target: EmulatorHandle) -> None:
    """The same objects (ids and content) on ``target``, as after a move to another API host."""
    for served in source.control.list_objects(source.workspace_id, COLLECTION):
        body = {key: served[key] for key in ("id", "name", "type", "config")}
        target.control.seed_object(target.workspace_id, COLLECTION, body)


@pytest.mark.engine
@pytest.mark.parametrize("command", COMMANDS, ids=_command_id)
def test_after_the_api_url_moved_the_command_uses_the_server_measured(
    command: Command, make_stack: StackFactory, emulator: EmulatorHandle, second_emulator: EmulatorHandle
) -> None:
    old, new = emulator, second_emulator
    stack = make_stack(_program)
    ids = _up_tracking_everything(stack, old)
    _copy_objects(old, new)
    assert _served(new) == ids
    stack.stack.set_all_config({"mparticle:apiUrl": auto.ConfigValue(new.url),
                                "mparticle:authUrl": auto.ConfigValue(new.url)})
    old.control.clear_log()
    new.control.clear_log()

    command.run(stack)

    used, unused = (new, old) if command.uses_current else (old, new)
    assert _object_calls(used, command.object_method) == command.object_calls, used.control.request_counts()
    assert _token_statuses(used) == [200]
    assert unused.control.requests() == [], f"{command.label} also called the other server"
    if command.deletes:
        _assert_destroyed(stack, used)
        assert _served(unused) == ids
    else:
        _assert_untouched(stack, old, ids)
        assert _served(new) == ids
        recorded = new.url if command.records_current else old.url
        assert _recorded(stack, "mparticle:apiUrl") == recorded


# --- a stale URL: the recorded apiUrl refuses connections, the current one is right ------


@pytest.mark.engine
@pytest.mark.parametrize("command", COMMANDS, ids=_command_id)
def test_with_a_stale_unreachable_api_url(
    command: Command, make_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    stack = make_stack(_program)
    ids = _up_tracking_everything(stack, emulator)
    dead = f"http://127.0.0.1:{closed_port()}"
    _record_stale(stack, emulator, {"mparticle:apiUrl": auto.ConfigValue(dead)})
    assert _recorded(stack, "mparticle:apiUrl") == dead
    emulator.control.clear_log()

    if command.uses_current:
        command.run(stack)
        assert _object_calls(emulator, command.object_method) == command.object_calls, emulator.control.request_counts()
        if command.deletes:
            _assert_destroyed(stack, emulator)
            return
    else:
        output = _failure(command, stack)
        assert f"no answer from {dead}" in output, output
        assert RUN_PROGRAM_HINT in output, output
        assert _object_calls(emulator, command.object_method) == 0, emulator.control.request_counts()
    _assert_untouched(stack, emulator, ids)
    # A failed command (an ``up --refresh`` too: its refresh fails first) leaves the stale URL recorded.
    recorded = emulator.url if command.uses_current and command.records_current else dead
    assert _recorded(stack, "mparticle:apiUrl") == recorded


# --- a stale credential: the recorded clientSecret is refused, the current one is right --


@pytest.mark.engine
@pytest.mark.parametrize("command", COMMANDS, ids=_command_id)
def test_with_a_stale_client_secret(command: Command, make_stack: StackFactory, emulator: EmulatorHandle) -> None:
    stack = make_stack(_program)
    ids = _up_tracking_everything(stack, emulator)
    _record_stale(stack, emulator, {"mparticle:clientSecret": auto.ConfigValue(REVOKED_SECRET, secret=True)})
    emulator.control.clear_log()

    if command.uses_current:
        command.run(stack)
        assert _token_statuses(emulator) == [200]
        assert _object_calls(emulator, command.object_method) == command.object_calls, emulator.control.request_counts()
        if command.deletes:
            _assert_destroyed(stack, emulator)
            return
    else:
        output = _failure(command, stack)
        assert "401" in output, output
        assert RUN_PROGRAM_HINT in output, output
        assert REVOKED_SECRET not in output
        statuses = _token_statuses(emulator)
        assert statuses and set(statuses) == {401}, statuses
        assert _object_calls(emulator, command.object_method) == 0, emulator.control.request_counts()
    _assert_untouched(stack, emulator, ids)


# --- the documented safe path ------------------------------------------------------------


@pytest.mark.engine
def test_the_safe_path_after_fixing_the_url_and_rotating_the_secret(
    make_stack: StackFactory, emulator: EmulatorHandle
) -> None:
    """README: after changing mparticle:* settings, ``refresh --run-program``; ``destroy --run-program``."""
    stack = make_stack(_program)
    ids = _up_tracking_everything(stack, emulator)
    dead = f"http://127.0.0.1:{closed_port()}"
    _record_stale(stack, emulator, {"mparticle:apiUrl": auto.ConfigValue(dead),
                                    "mparticle:clientSecret": auto.ConfigValue(REVOKED_SECRET, secret=True)})

    emulator.control.clear_log()
    output = _failure(COMMANDS[0], stack)  # plain refresh: the recorded settings
    assert RUN_PROGRAM_HINT in output, output
    assert _object_calls(emulator, "GET") == 0
    _assert_untouched(stack, emulator, ids)

    emulator.control.clear_log()
    stack.refresh(run_program=True)
    assert _token_statuses(emulator) == [200]
    assert _object_calls(emulator, "GET") == 1  # one listing of the collection serves both reads
    _assert_untouched(stack, emulator, ids)
    assert _recorded(stack, "mparticle:apiUrl") == emulator.url

    emulator.control.clear_log()
    stack.refresh()  # the run above recorded the current settings: a plain refresh uses them now
    assert _object_calls(emulator, "GET") == 1
    _assert_untouched(stack, emulator, ids)

    emulator.control.clear_log()
    stack.destroy(run_program=True)
    assert _object_calls(emulator, "DELETE") == OBJECTS
    _assert_destroyed(stack, emulator)


@pytest.mark.engine
def test_the_targeted_refresh_of_recover_reads_with_the_current_settings(
    make_stack: StackFactory, emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``mparticle-wsync recover --apply`` finds the objects with the current config; its refresh must use it too."""
    stack = make_stack(_program)
    ids = _up_tracking_everything(stack, emulator)
    dead = f"http://127.0.0.1:{closed_port()}"
    _record_stale(stack, emulator, {"mparticle:apiUrl": auto.ConfigValue(dead)})
    write_program(stack, __name__, "_program")
    for key, value in engine_env(stack.home).items():  # recover runs pulumi with its own environment
        monkeypatch.setenv(key, value)
    target = stack.resources("mparticle:DataModel")[0]
    emulator.control.clear_log()

    PulumiCli(stack.stack.name, stack.home, executable=str(PULUMI_BIN / "pulumi")).refresh([target["urn"]])

    assert emulator.control.request_counts() == {
        "POST /oauth/token": 1,
        f"GET /platform/v2/workspaces/{emulator.workspace_id}/{COLLECTION}": 1,  # the read, by listing
    }
    _assert_untouched(stack, emulator, ids)
    assert _recorded(stack, "mparticle:apiUrl") == emulator.url
