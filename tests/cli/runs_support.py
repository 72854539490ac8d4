"""What the ``runs`` tests share: a workspace with an on-demand pipeline, a lockstep clock, a command runner."""

from __future__ import annotations

import argparse
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pulumi_mparticle_wsync import cli, runs_command, wire
from pulumi_mparticle_wsync.emulator.control import EmulatorControl
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle
from pulumi_mparticle_wsync.runs_command import Clock

PIPELINE_ID = "backfill"
ROWS = 1234
CONNECTION: dict[str, Any] = {
    wire.ID: "warehouse",
    wire.NAME: "Warehouse",
    wire.STATE: "active",
    wire.SERVICE_PROVIDER: "snowflake",
    "config": {
        "account_identifier": "xy12345",
        "region": "us-central1.gcp",
        "warehouse": "COMPUTE_WH",
        "database": "ANALYTICS",
        "role": "MPARTICLE",
        "user": "mp_user",
        "password": "pw-runs-secret",
        "storage_integration": "mp_us1_1_2_s3",
    },
}
DATA_MODEL: dict[str, Any] = {
    wire.ID: "users",
    wire.NAME: "Users",
    "type": "sql",
    wire.STATE: "active",
    "config": {"sql_query": "SELECT email, plan FROM users"},
}


def pipeline_body(pipeline_id: str, schedule: dict[str, Any]) -> dict[str, Any]:
    return {
        wire.ID: pipeline_id,
        wire.NAME: pipeline_id.title(),
        "pipeline_type": "user_attributes",
        "connection_id": "warehouse",
        "data_model_id": "users",
        "partner_feed_id": 7,
        wire.STATE: "active",
        "sync_mode": {"type": "full"},
        "schedule": schedule,
        "environment": "development",
    }


ON_DEMAND = {"type": "on_demand", "start": "2026-01-01T00:00:00Z"}


class LockstepClock:
    """The command's time: each sleep moves the emulator's clock as far, and takes no real time."""

    def __init__(self, control: EmulatorControl) -> None:
        self.control = control
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.control.advance_clock(seconds)

    def monotonic(self) -> float:
        return sum(self.slept)

    def now(self) -> datetime:
        offset = float(self.control.clock()["offset_seconds"])
        return datetime.now(UTC) + timedelta(seconds=offset)

    def clock(self) -> Clock:
        return Clock(sleep=self.sleep, monotonic=self.monotonic, now=self.now)


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


def seed_on_demand_pipeline(emulator: EmulatorHandle) -> None:
    """An on-demand pipeline ``backfill`` whose runs read ``ROWS`` rows and take 3 s (0.5 + 0.5 + 2)."""
    control, ws = emulator.control, emulator.workspace_id
    control.seed_object(ws, wire.CONNECTIONS, CONNECTION)
    control.seed_object(ws, wire.DATA_MODELS, DATA_MODEL)
    control.seed_object(ws, wire.PIPELINES, pipeline_body(PIPELINE_ID, ON_DEMAND))
    control.set_data_model_rows(ws, "users", ROWS)
    control.set_run_durations(triggered=0.5, queued=0.5, running=2)


def parse(*argv: str) -> argparse.Namespace:
    return cli.build_parser().parse_args(["runs", *argv])


def runs(emulator: EmulatorHandle, *argv: str, clock: LockstepClock | None = None) -> Result:
    out, err = io.StringIO(), io.StringIO()
    lockstep = clock or LockstepClock(emulator.control)
    code = runs_command.run(parse(*argv), out=out, err=err, clock=lockstep.clock())
    return Result(code, out.getvalue(), err.getvalue())
