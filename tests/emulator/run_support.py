"""Helpers for the run tests: API calls on a pipeline's runs and timestamps computed from an anchor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.control import EmulatorControl
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .emulator_support import ApiSession

P = wire.PIPELINES
# Long enough that a test's own real time (milliseconds) never moves a run on by itself.
SLOW = {"triggered": 10.0, "queued": 20.0, "running": 30.0}
SLOW_TOTAL = 60.0


def long_lived(api: ApiSession, emulator: EmulatorHandle) -> ApiSession:
    """A session whose token outlives fast-forwards of days or years."""
    emulator.control.set_switches(token_lifetime_seconds=10 * 365 * 86400)
    return ApiSession(api.http, emulator.client_id, emulator.client_secret, api.workspace_id)


def trigger(api: ApiSession, pipeline_id: str = "od") -> int:
    answer = api.request("POST", api.path(P, pipeline_id, wire.TRIGGER))
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    assert body == {"pipeline_run_id": body["pipeline_run_id"], "status": "trigger_requested"}
    run_id: int = body["pipeline_run_id"]
    return run_id


def get_json(api: ApiSession, *parts: str, **params: str) -> Any:
    answer = api.request("GET", api.path(P, *parts), params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def run(api: ApiSession, run_id: int, pipeline_id: str = "od") -> dict[str, Any]:
    found: dict[str, Any] = get_json(api, pipeline_id, wire.RUNS, str(run_id))
    return found


def status(api: ApiSession, pipeline_id: str = "od") -> dict[str, Any]:
    found: dict[str, Any] = get_json(api, pipeline_id, wire.STATUS)
    return found


def runs_of(api: ApiSession, pipeline_id: str, **params: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = get_json(api, pipeline_id, wire.RUNS, **params)["items"]
    return items


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def shown(moment: datetime) -> str:
    """As the emulator shows timestamps: milliseconds and ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def later(text: str, seconds: float) -> str:
    return shown(parse(text) + timedelta(seconds=seconds))


def clock_now(control: EmulatorControl) -> datetime:
    return parse(str(control.clock()["now"]))


def advance_to(control: EmulatorControl, moment: datetime) -> None:
    """Fast-forward the emulator's clock to ``moment`` (plus the few milliseconds the call takes)."""
    seconds = (moment - clock_now(control)).total_seconds()
    assert seconds >= 0, f"{moment} is already past"
    control.advance_clock(seconds)


def next_hour(moment: datetime, hours: int = 1) -> datetime:
    """The start of the hour ``hours`` after ``moment``'s."""
    return moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=hours)
