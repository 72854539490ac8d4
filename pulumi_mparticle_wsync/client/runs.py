"""Pipeline runs and status as the client hands them out, whichever spelling the API answered.

Spec §7: v1 spells a run's pipeline ``id`` and its state ``pipeline_run_state``, our earlier guess
``pipeline_id`` and ``status``; v1's status answer has ``is_*`` flags, the guess ``status`` and
``state``. v2 is unknown, so each reader takes the v1 spelling when present, else the other, and
records which one it saw (``check-api`` reports it). Unknown keys are ignored; a value of the
wrong kind reads as ``None`` rather than failing a caller that only needs part of the answer.

What was seen on the wire (``Run.spelling``, ``PipelineStatus.shape``, ``TriggerAnswer.path``) is
recorded but left out of equality: a run read from either spelling equals the same run read from
the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from .. import wire

Spelling = Literal["v1", "guess"]
Seen = Literal["v1", "guess", "mixed"]

RUN_V1_KEYS: Final = (wire.RUN_PIPELINE_ID, wire.RUN_STATE)
RUN_GUESS_KEYS: Final = (wire.RUN_PIPELINE_ID_GUESS, wire.RUN_STATE_GUESS)
STATUS_V1_KEYS: Final = wire.STATUS_FLAGS
STATUS_GUESS_KEYS: Final = (wire.STATUS_STATUS_GUESS, wire.STATUS_STATE_GUESS)


@dataclass(frozen=True)
class Run:
    """One run of a pipeline."""

    run_id: int
    pipeline_id: str | None
    state: str | None
    """``triggered``, ``queued``, ``running``, ``dataset_triggered``, ``success``, ``failed``, or
    another value a live API adds (passed through)."""
    run_type: str | None = None
    """``scheduled`` or ``manual``."""
    logical_date: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    data_interval_start: str | None = None
    data_interval_end: str | None = None
    externally_triggered: bool | None = None
    records_extracted: int | None = None
    records_mapped: int | None = None
    event_batches_generated: int | None = None
    errors: tuple[str, ...] = ()
    spelling: Spelling = field(default="v1", compare=False)
    """Which spelling of the pipeline id and state the answer used (v1 when it had any v1 key)."""

    @property
    def active(self) -> bool:
        """Still going: a trigger now would be refused."""
        return self.state in wire.RUN_ACTIVE_STATES

    @property
    def succeeded(self) -> bool:
        return self.state == wire.RUN_SUCCESS

    @property
    def failed(self) -> bool:
        return self.state == wire.RUN_FAILED


@dataclass(frozen=True)
class PipelineStatus:
    """A pipeline's status answer."""

    pipeline_id: str | None
    latest_run: Run | None
    is_active: bool | None = None
    is_faulted: bool | None = None
    is_connection_active: bool | None = None
    is_connection_faulted: bool | None = None
    status: str | None = None
    """The guessed shape's ``status`` (v1 has none)."""
    state: str | None = None
    """The guessed shape's ``state``: ``active`` or ``paused`` (v1 has none)."""
    shape: Spelling = field(default="v1", compare=False)
    """``v1`` when the answer carried any ``is_*`` flag."""

    @property
    def active(self) -> bool | None:
        """Whether the pipeline is active (not paused): v1's ``is_active``, else the guess's ``state``."""
        if self.is_active is not None:
            return self.is_active
        return {"active": True, "paused": False}.get(self.state or "")

    @property
    def running(self) -> bool:
        """A run is going: a trigger now would be refused."""
        return self.latest_run is not None and self.latest_run.active


@dataclass(frozen=True)
class TriggerAnswer:
    """What a trigger answered: the new run's id (``None`` if the answer had none)."""

    run_id: int | None
    status: str | None
    path: str = field(default=wire.TRIGGER)
    """The trigger path that worked: ``wire.TRIGGER`` or ``wire.TRIGGER_BARE``."""
    adopted: bool = False
    """The run was found already started (after a lost answer) rather than started by this call."""


def parse_run(body: Mapping[str, Any]) -> Run:
    """A run from its wire object (either spelling). ``ValueError`` if it has no integer run id."""
    run_id = _integer(body.get(wire.PIPELINE_RUN_ID))
    if run_id is None:
        raise ValueError(f"a run without an integer {wire.PIPELINE_RUN_ID}")
    v1 = any(key in body for key in RUN_V1_KEYS)
    pipeline_id = _first_text(body, wire.RUN_PIPELINE_ID, wire.RUN_PIPELINE_ID_GUESS)
    state = _first_text(body, wire.RUN_STATE, wire.RUN_STATE_GUESS)
    return Run(
        run_id=run_id,
        pipeline_id=pipeline_id,
        state=state,
        run_type=_text(body.get(wire.PIPELINE_RUN_TYPE)),
        logical_date=_text(body.get(wire.RUN_LOGICAL_DATE)),
        start_date=_text(body.get(wire.RUN_START_DATE)),
        end_date=_text(body.get(wire.RUN_END_DATE)),
        data_interval_start=_text(body.get(wire.RUN_DATA_INTERVAL_START)),
        data_interval_end=_text(body.get(wire.RUN_DATA_INTERVAL_END)),
        externally_triggered=_boolean(body.get(wire.RUN_IS_EXTERNALLY_TRIGGERED)),
        records_extracted=_integer(body.get(wire.RUN_RECORDS_EXTRACTED)),
        records_mapped=_integer(body.get(wire.RUN_RECORDS_MAPPED)),
        event_batches_generated=_integer(body.get(wire.RUN_EVENT_BATCHES_GENERATED)),
        errors=_messages(body.get(wire.ERRORS)),
        spelling="v1" if v1 else "guess",
    )


def parse_status(body: Mapping[str, Any]) -> PipelineStatus:
    """A status answer (either shape)."""
    latest = body.get(wire.LATEST_PIPELINE_RUN)
    latest_run = None
    if isinstance(latest, Mapping):
        try:
            latest_run = parse_run(latest)
        except ValueError:
            latest_run = None
    return PipelineStatus(
        pipeline_id=_text(body.get(wire.PIPELINE_ID)),
        latest_run=latest_run,
        is_active=_boolean(body.get(wire.STATUS_IS_ACTIVE)),
        is_faulted=_boolean(body.get(wire.STATUS_IS_FAULTED)),
        is_connection_active=_boolean(body.get(wire.STATUS_IS_CONNECTION_ACTIVE)),
        is_connection_faulted=_boolean(body.get(wire.STATUS_IS_CONNECTION_FAULTED)),
        status=_text(body.get(wire.STATUS_STATUS_GUESS)),
        state=_text(body.get(wire.STATUS_STATE_GUESS)),
        shape="v1" if any(flag in body for flag in STATUS_V1_KEYS) else "guess",
    )


def parse_runs(body: Any) -> list[Run]:
    """A page of runs: ``{"items": [...]}`` (v1) or a bare array. ``ValueError`` saying what is wrong."""
    items = body.get(wire.RUNS_ITEMS) if isinstance(body, Mapping) else body
    if not isinstance(items, list):
        raise ValueError(f'expected {{"{wire.RUNS_ITEMS}": [<run>, ...]}} or an array of runs')
    runs: list[Run] = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise ValueError(f"run {index} of the page is not an object")
        try:
            runs.append(parse_run(item))
        except ValueError as error:
            raise ValueError(f"run {index} of the page: {error}") from None
    return runs


def run_spelling(body: Mapping[str, Any]) -> Seen | None:
    """Which spelling a served run uses: ``v1``, ``guess``, ``mixed`` (keys of both), or ``None`` (neither)."""
    return _seen(body, RUN_V1_KEYS, RUN_GUESS_KEYS)


def status_shape(body: Mapping[str, Any]) -> Seen | None:
    """Which shape a served status answer has: ``v1`` (``is_*`` flags), ``guess`` (``status``/``state``),
    ``mixed``, or ``None``."""
    return _seen(body, STATUS_V1_KEYS, STATUS_GUESS_KEYS)


def parse_trigger(body: Mapping[str, Any], path: str) -> TriggerAnswer:
    """A trigger's answer, ``{"pipeline_run_id": <int>, "status": "trigger_requested"}``, from ``path``."""
    return TriggerAnswer(
        run_id=_integer(body.get(wire.PIPELINE_RUN_ID)), status=_text(body.get(wire.STATUS_FIELD)), path=path
    )


def _seen(body: Mapping[str, Any], v1_keys: tuple[str, ...], guess_keys: tuple[str, ...]) -> Seen | None:
    v1 = any(key in body for key in v1_keys)
    guess = any(key in body for key in guess_keys)
    if v1 and guess:
        return "mixed"
    return "v1" if v1 else "guess" if guess else None


def _first_text(body: Mapping[str, Any], v1_key: str, guess_key: str) -> str | None:
    value = _text(body.get(v1_key))
    return value if value is not None else _text(body.get(guess_key))


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _integer(value: Any) -> int | None:
    """Counts and ids: a number, or a digit string (v1's table says "string" for the counts)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _boolean(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _messages(value: Any) -> tuple[str, ...]:
    """``errors``: ``[{"message": ...}]``, or plain strings."""
    if not isinstance(value, list):
        return ()
    messages: list[str] = []
    for item in value:
        if isinstance(item, Mapping) and isinstance(item.get(wire.ERROR_MESSAGE), str):
            messages.append(item[wire.ERROR_MESSAGE])
        elif isinstance(item, str):
            messages.append(item)
    return tuple(messages)
