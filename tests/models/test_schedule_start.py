"""``schedule.start`` is required for every schedule type, ``on_demand`` included (spec §6).

The spec's pipeline table gives ``schedule.start`` as a ``string`` with no "optional" (unlike
``schedule.end``, "string or null, optional"), and §7 has an on-demand run load the rows since
the end of the last successful run "or ``schedule.start``". So the model, ``ScheduleArgs``
(whose ``start`` has no default), the README and the emulator must all refuse an on-demand
schedule without a start.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pulumi_mparticle_wsync as mp
from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.models import PIPELINE, Problem

from ..emulator.emulator_support import in_process_api, message_text
from . import samples

START = "2026-01-01T00:00:00Z"


def on_demand(**schedule: Any) -> dict[str, Any]:
    return samples.pipeline("conn-1", "model-1", schedule={"type": "on_demand", **schedule})


def emulator_answer(inputs: dict[str, Any]) -> tuple[int, str]:
    """What the emulator answers to the create the provider would send for ``inputs``."""
    with in_process_api() as (api, _state, _client):
        api.seed_pipeline_dependencies()
        answer = api.create(wire.PIPELINES, PIPELINE.to_wire(inputs, "pipe-od"))
        return answer.status_code, message_text(answer) if answer.status_code != 200 else ""


def test_scheduleargs_requires_start() -> None:
    start = next(f for f in dataclasses.fields(mp.ScheduleArgs) if f.name == "start")
    assert (start.default, start.default_factory) == (dataclasses.MISSING, dataclasses.MISSING)


def test_the_model_refuses_an_on_demand_schedule_without_start() -> None:
    assert PIPELINE.validate(on_demand()) == [Problem("schedule.start", "is required by ScheduleArgs: add it")]
    assert PIPELINE.validate(on_demand(start=START)) == []


def test_the_emulator_accepts_an_on_demand_schedule_with_start() -> None:
    assert emulator_answer(on_demand(start=START)) == (200, "")


def test_the_emulator_refuses_an_on_demand_schedule_without_start() -> None:
    status, message = emulator_answer(on_demand())
    assert status == 400
    assert message.startswith(f"{'schedule'}.{'start'}:")
