"""Switches for the spec's §8 [R] choices (objects and runs), plus the token lifetime."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any, Final

from .. import wire
from .errors import bad_request

SECRET_MODES: Final = (wire.SECRET_MODE_OMIT, wire.SECRET_MODE_MASK)
PROVIDER_CASES: Final = (wire.PROVIDER_CASE_LOWER, wire.PROVIDER_CASE_CAPITALISED)
DUPLICATE_ID_STATUSES: Final = (wire.DUPLICATE_ID_409, wire.DUPLICATE_ID_400)
TRIGGER_PATHS: Final = (wire.TRIGGER_PATH_SUFFIX, wire.TRIGGER_PATH_BARE)
RUN_SPELLINGS: Final = (wire.RUN_SPELLING_V1, wire.RUN_SPELLING_GUESS)
STATUS_SHAPES: Final = (wire.STATUS_SHAPE_V1, wire.STATUS_SHAPE_GUESS)
MAX_TOKEN_LIFETIME_SECONDS: Final = 10 * 365 * 24 * 3600
MAX_STATUS_404_SECONDS: Final = 86400


@dataclass(frozen=True)
class Switches:
    """How the emulator resolves each ambiguous behaviour. Immutable: replaced as a whole."""

    secret_mode: str = wire.SECRET_MODE_OMIT
    provider_case: str = wire.PROVIDER_CASE_LOWER
    duplicate_id_status: int = wire.DUPLICATE_ID_409
    token_lifetime_seconds: int = 28800
    trigger_path: str = wire.TRIGGER_PATH_SUFFIX
    run_spelling: str = wire.RUN_SPELLING_V1
    status_shape: str = wire.STATUS_SHAPE_V1
    new_pipeline_status_404_seconds: float = 0
    """A new pipeline's status and runs answer 404 for this long (emulator clock), as v1's tutorial says."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def updated(self, changes: Mapping[str, Any]) -> Switches:
        """A copy with ``changes`` applied; 400 naming the switch for unknown names or bad values."""
        problems: list[str] = []
        known = set(self.as_dict())
        for name in sorted(set(changes) - known):
            problems.append(f"{name}: unknown switch; use one of {', '.join(sorted(known))}")
        checks: dict[str, tuple[object, ...]] = {
            "secret_mode": SECRET_MODES,
            "provider_case": PROVIDER_CASES,
            "duplicate_id_status": DUPLICATE_ID_STATUSES,
            "trigger_path": TRIGGER_PATHS,
            "run_spelling": RUN_SPELLINGS,
            "status_shape": STATUS_SHAPES,
        }
        for name, allowed in checks.items():
            if name in changes and (changes[name] not in allowed or isinstance(changes[name], bool)):
                shown = ", ".join(repr(value) for value in allowed)
                problems.append(f"{name}: {changes[name]!r} is not one of {shown}")
        if "token_lifetime_seconds" in changes:
            lifetime = changes["token_lifetime_seconds"]
            if (
                not isinstance(lifetime, int)
                or isinstance(lifetime, bool)
                or not 1 <= lifetime <= MAX_TOKEN_LIFETIME_SECONDS
            ):
                problems.append(f"token_lifetime_seconds: must be an integer from 1 to {MAX_TOKEN_LIFETIME_SECONDS}")
        if "new_pipeline_status_404_seconds" in changes:
            seconds = changes["new_pipeline_status_404_seconds"]
            number = isinstance(seconds, int | float) and not isinstance(seconds, bool)
            if not number or not 0 <= seconds <= MAX_STATUS_404_SECONDS:
                problems.append(
                    f"new_pipeline_status_404_seconds: must be a number of seconds from 0 to {MAX_STATUS_404_SECONDS}"
                )
        if problems:
            raise bad_request(*problems)
        return replace(self, **{name: changes[name] for name in changes})
