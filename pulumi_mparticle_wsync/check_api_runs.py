"""``check-api``'s part for runs (spec §7): which trigger path a workspace serves, found without
triggering a run, and which spellings its runs and status answers use.

The trigger path is probed with requests a trigger route refuses, on a pipeline the workspace
lists (so a 404 cannot mean "no such pipeline"):

- ``GET /pipelines/{id}/trigger``: **405** (method not allowed) means the server knows the path,
  so the route exists; **404** means it does not (the pipeline does). Anything else (a gateway's
  403, a 200) proves nothing; then ``OPTIONS`` on the same path is asked, read the same way, and an
  ``Allow`` header in either answer settles it (the route takes POST or not).
- ``OPTIONS /pipelines/{id}``: the pipeline's own path exists anyway (GET reads it), so only an
  ``Allow`` header tells whether it also takes POST; without one the answer is "unknown".

Neither probe can start a run: GET and OPTIONS never trigger, and the client refuses to probe
with any other method.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from . import wire
from .client import APIError, RouteProbe, WarehouseSyncClient

Presence = Literal["present", "absent", "unknown"]

SUFFIX_ROUTE: Final = f"/{wire.PIPELINES}/{{id}}/{wire.TRIGGER}"
BARE_ROUTE: Final = f"/{wire.PIPELINES}/{{id}}"
HOW_TO_FIND_OUT: Final = (
    "trigger one run of an on-demand pipeline with the client and read TriggerAnswer.path "
    "(docs/check-api.md shows how)"
)


@dataclass(frozen=True)
class RouteVerdict:
    """Whether one trigger route takes POST, and the answers that say so."""

    presence: Presence
    evidence: str


@dataclass(frozen=True)
class TriggerPaths:
    """What the probes found on one pipeline."""

    pipeline_id: str
    suffix: RouteVerdict
    """``POST /pipelines/{id}/trigger`` (``wire.TRIGGER``)."""
    bare: RouteVerdict
    """``POST /pipelines/{id}`` (``wire.TRIGGER_BARE``)."""

    @property
    def verdict(self) -> str:
        """``trigger``, ``bare``, ``both``, ``neither``, ``probably bare`` or ``unknown``."""
        suffix, bare = self.suffix.presence, self.bare.presence
        if suffix == "present":
            return "both" if bare == "present" else "trigger"
        if bare == "present":
            return "bare"
        if suffix == "absent":
            return "neither" if bare == "absent" else "probably bare"
        return "unknown"


@dataclass
class RunObservations:
    """The run-related [R] choices a workspace showed."""

    trigger: TriggerPaths | None = None
    run_spellings: Counter[str] = field(default_factory=Counter)
    """Per served run: ``v1``, ``guess``, ``mixed`` or ``neither``."""
    status_shapes: Counter[str] = field(default_factory=Counter)
    """Per status answer: ``v1``, ``guess``, ``mixed`` or ``neither``."""
    page_shapes: Counter[str] = field(default_factory=Counter)
    """Per runs page: ``items envelope`` or ``bare array`` (the client reads both)."""

    def as_json(self) -> dict[str, Any]:
        trigger = None
        if self.trigger is not None:
            trigger = {
                "pipeline": self.trigger.pipeline_id,
                "verdict": self.trigger.verdict,
                SUFFIX_ROUTE: vars(self.trigger.suffix),
                BARE_ROUTE: vars(self.trigger.bare),
            }
        return {
            "trigger_path": trigger,
            "run_spellings": dict(self.run_spellings),
            "status_shapes": dict(self.status_shapes),
            "runs_pages": dict(self.page_shapes),
        }


# --- probing the trigger paths -----------------------------------------------------------------


def probe_trigger_paths(client: WarehouseSyncClient, workspace_id: str, pipeline_id: str) -> TriggerPaths:
    """Ask whether each trigger route exists, with GET and OPTIONS only (see the module docstring)."""
    suffix = _suffix_route(client, workspace_id, pipeline_id)
    return TriggerPaths(pipeline_id, suffix, _bare_route(client, workspace_id, pipeline_id))


def _suffix_route(client: WarehouseSyncClient, workspace_id: str, pipeline_id: str) -> RouteVerdict:
    evidence: list[str] = []
    for method in ("GET", "OPTIONS"):
        answer = _probe(client, method, workspace_id, pipeline_id, wire.TRIGGER)
        if isinstance(answer, str):
            evidence.append(answer)
            continue
        evidence.append(_shown(answer))
        if answer.allow is not None and answer.status_code in (200, 204, 405):
            return RouteVerdict("present" if "POST" in answer.allow else "absent", "; ".join(evidence))
        if answer.status_code == 405:
            return RouteVerdict("present", "; ".join(evidence) + ": the server knows the path")
        if answer.status_code == 404:
            return RouteVerdict("absent", "; ".join(evidence) + " although the pipeline exists")
    return RouteVerdict("unknown", "; ".join(evidence))


def _bare_route(client: WarehouseSyncClient, workspace_id: str, pipeline_id: str) -> RouteVerdict:
    answer = _probe(client, "OPTIONS", workspace_id, pipeline_id, "")
    if isinstance(answer, str):
        return RouteVerdict("unknown", answer)
    if answer.allow is None:
        return RouteVerdict("unknown", f"{_shown(answer)} without an Allow header naming its methods")
    return RouteVerdict("present" if "POST" in answer.allow else "absent", _shown(answer))


def _probe(
    client: WarehouseSyncClient, method: str, workspace_id: str, pipeline_id: str, suffix: str
) -> RouteProbe | str:
    try:
        return client.probe(method, wire.PIPELINES, pipeline_id, suffix, workspace_id=workspace_id)
    except APIError as error:
        return f"{method} failed ({error})"


def _shown(answer: RouteProbe) -> str:
    allow = f", Allow: {', '.join(answer.allow)}" if answer.allow is not None else ""
    return f"{answer.method} answered {answer.status_code}{allow}"


# --- describing what was seen ----------------------------------------------------------------


def trigger_lines(trigger: TriggerPaths | None) -> list[str]:
    """The report's lines on the trigger path: the verdict, each probe, and what to change in ``wire.py``."""
    if trigger is None:
        return ["trigger path: not probed (no pipeline in this workspace to ask about)"]
    verdict = trigger.verdict
    headline = {
        "trigger": f"POST {SUFFIX_ROUTE}",
        "bare": f"POST {BARE_ROUTE} (no /{wire.TRIGGER})",
        "both": f"both POST {SUFFIX_ROUTE} and POST {BARE_ROUTE}",
        "neither": "neither path takes POST",
        "probably bare": f"probably POST {BARE_ROUTE}",
        "unknown": "unknown",
    }[verdict]
    advice = {
        "trigger": "wire.TRIGGER_PATHS tries it first: nothing to change in wire.py",
        "both": f"wire.TRIGGER_PATHS tries /{wire.TRIGGER} first: nothing to change in wire.py",
        "bare": (
            "the client finds it after one refused POST per process; to go straight to it, put wire.TRIGGER_BARE "
            "first in wire.TRIGGER_PATHS (and mark the path [C] in the spec's §7)"
        ),
        "probably bare": (
            f"/{wire.TRIGGER} is absent and the client falls back to POST {BARE_ROUTE}; to confirm it, "
            f"{HOW_TO_FIND_OUT}, then put wire.TRIGGER_BARE first in wire.TRIGGER_PATHS"
        ),
        "neither": (
            "triggers will fail: find the trigger route in mParticle's v2 reference and set wire.TRIGGER "
            f"to its last segment (the part after {BARE_ROUTE}/)"
        ),
        "unknown": f"these probes cannot tell; to find out, {HOW_TO_FIND_OUT}",
    }[verdict]
    return [
        f"trigger path: {headline} [asked on pipeline {trigger.pipeline_id}, without triggering a run]",
        f"    {SUFFIX_ROUTE}: {_presence(trigger.suffix)}",
        f"    {BARE_ROUTE}: {_presence(trigger.bare)}",
        f"    -> {advice}",
    ]


def _presence(route: RouteVerdict) -> str:
    meaning = {"present": "takes POST", "absent": "no POST route", "unknown": "unknown"}[route.presence]
    return f"{meaning} ({route.evidence})"


def spelling_line(spellings: Counter[str]) -> str:
    """The report's line on the run spelling."""
    counts = _counts(spellings, "served run")
    if not spellings:
        return "run spelling: not observed (no run in this workspace: trigger one, then check again)"
    if set(spellings) == {"v1"}:
        return (
            f"run spelling: v1 ({wire.RUN_PIPELINE_ID}, {wire.RUN_STATE}) [{counts}]: wire.RUN_PIPELINE_ID and "
            "wire.RUN_STATE are right and read first: nothing to change in wire.py"
        )
    if set(spellings) == {"guess"}:
        return (
            f"run spelling: the guess ({wire.RUN_PIPELINE_ID_GUESS}, {wire.RUN_STATE_GUESS}) [{counts}]: the client "
            "reads it (wire.RUN_PIPELINE_ID_GUESS, wire.RUN_STATE_GUESS), so nothing must change in wire.py; "
            "the spec's §7 should say so, and the emulator should serve it by default (switch run_spelling)"
        )
    return (
        f"run spelling: mixed [{counts}]: see the differences above; set wire.RUN_PIPELINE_ID and wire.RUN_STATE "
        "to the keys the runs use"
    )


def status_shape_line(shapes: Counter[str]) -> str:
    """The report's line on the status answer's shape."""
    counts = _counts(shapes, "answer")
    if not shapes:
        return "status shape: not observed (no pipeline status was read)"
    if set(shapes) == {"v1"}:
        return f"status shape: v1 (is_* flags) [{counts}]: wire.STATUS_FLAGS are right: nothing to change in wire.py"
    if set(shapes) == {"guess"}:
        return (
            f"status shape: the guess ({wire.STATUS_STATUS_GUESS}, {wire.STATUS_STATE_GUESS}) [{counts}]: the client "
            "reads it, so nothing must change in wire.py; the spec's §7 should say so (emulator switch status_shape)"
        )
    return (
        f"status shape: mixed or neither [{counts}]: see the differences above; set wire.STATUS_FLAGS (v1) or "
        "wire.STATUS_STATUS_GUESS and wire.STATUS_STATE_GUESS to the keys served"
    )


def pages_line(pages: Counter[str]) -> str:
    """The report's line on the runs pages' shape (no difference either way: the client reads both)."""
    if not pages:
        return "runs pages: none read"
    kinds = next(iter(pages)) if len(pages) == 1 else "mixed"
    return f"runs pages: {kinds} [{_counts(pages, 'page')}]: the client reads both shapes, nothing to change"


def _counts(counter: Counter[str], noun: str) -> str:
    """``3 runs`` when all were alike, else ``2 v1 runs, 1 mixed run``."""

    def counted(n: int, what: str) -> str:
        return f"{n} {what}{noun}{'' if n == 1 else 's'}"

    if len(counter) == 1:
        return counted(sum(counter.values()), "")
    return ", ".join(counted(n, f"{what} ") for what, n in sorted(counter.items()))
