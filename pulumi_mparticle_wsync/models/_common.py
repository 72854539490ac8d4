"""Building blocks shared by the four resource models.

Nothing here imports pydantic: the provider's read and delete paths use these helpers, and
the validation types live in ``_types`` (imported only when something is validated).

Inputs arrive from the Pulumi engine as plain JSON values (numbers as floats), possibly
holding the engine's "unknown" sentinel during a preview. The types of ``_types`` validate
those values without ever changing them: ``check`` hands the user's inputs back exactly as
written, so validation only reports problems, it never normalises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final, NamedTuple

from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN as _PULUMI_UNKNOWN

from .. import rules

UNKNOWN: Final[str] = _PULUMI_UNKNOWN
"""The engine's wire sentinel for a value not known yet (an output of a resource not created
during a preview). The dynamic-provider host hands ``check`` and ``diff`` a
``pulumi.output.Unknown`` instance in its place; both forms are unknown here."""

class Problem(NamedTuple):
    """One validation failure: the property path (``sync_mode.iterator_field``) and the fix."""

    path: str
    reason: str
    unknown_name: bool = False
    """The path names no argument (``snowflake.passwrd``): its value may be a mistyped secret."""

    @property
    def argument(self) -> str:
        """The top-level argument the path is in (``sync_mode``); empty for the whole resource."""
        return re.split(r"[.\[]", self.path, maxsplit=1)[0]


def check_failures(problems: Iterable[Problem], inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The problems as the engine's check failures: ``(property, reason)`` pairs.

    The engine prints a failure as ``property <p> value <v> has a problem: <reason>``, looking
    ``<p>`` up among the top-level inputs only (a nested path would show ``{<nil>}``), and
    shows secrets inside ``<v>`` as ``[secret]``. So a problem names its top-level argument,
    whose value is then shown as the user gave it, with the path inside it leading the reason
    (``sync_mode.iterator_field: is required ...``). A problem whose argument was not given,
    or holds a name that is no argument (whose value may be a secret under a misspelt name, which
    the engine would show in clear), names no property: the engine prints only the reason,
    led by the path.
    """
    problems = list(problems)
    unshown = {p.argument for p in problems if p.unknown_name}
    failures: list[tuple[str, str]] = []
    for problem in problems:
        led = f"{problem.path}: {problem.reason}" if problem.path else problem.reason
        if problem.argument in unshown or inputs.get(problem.argument) is None:
            failures.append(("", led))
        else:
            failures.append((problem.argument, problem.reason if problem.path == problem.argument else led))
    return failures


# --- Unknown values ------------------------------------------------------------------------


def is_unknown(value: object) -> bool:
    # The engine's dynamic-provider host hands check/diff unknowns as ``pulumi.output.Unknown``
    # instances (it deserializes with keep_unknowns=True); raw RPC values carry the sentinel string.
    return isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN)


def contains_unknown(value: object) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(v) for v in value)
    return False


def known(value: object) -> bool:
    """True when the value is present and not the preview's unknown sentinel."""
    return value is not None and not is_unknown(value)


def without_nones(value: Any) -> Any:
    """The value with ``None`` entries dropped from every mapping: ``None`` means "not set"."""
    if isinstance(value, Mapping):
        return {k: without_nones(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [without_nones(v) for v in value]
    return value


def canonical_workspace_id(value: object) -> str | None:
    """The workspace id as the client takes it (a digit string), or ``None`` if it is not one."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return value
    if not isinstance(value, bool) and isinstance(value, int | float) and float(value).is_integer():
        return str(int(value))
    return None


def kind_of(value: object) -> str:
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "a dict"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def merge_problems(*groups: Iterable[Problem]) -> list[Problem]:
    """All problems, keeping only the first one reported for each property."""
    seen: set[str] = set()
    merged: list[Problem] = []
    for group in groups:
        for problem in group:
            if problem.path not in seen:
                seen.add(problem.path)
                merged.append(problem)
    return merged


# --- Decoding helpers ------------------------------------------------------------------------


def same_value(a: Any, b: Any) -> bool:
    """Equality that ignores representation: 5439 == 5439.0, and timestamps by instant."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b if isinstance(a, bool) and isinstance(b, bool) else False
    if isinstance(a, str) and isinstance(b, str):
        if a == b:
            return True
        ta, tb = rules.parse_timestamp(a), rules.parse_timestamp(b)
        return ta is not None and tb is not None and ta == tb
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        a, b = without_nones(a), without_nones(b)
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def prefer_previous(previous: Any, served: Any) -> Any:
    """The user's own spelling of a value when the server holds the same value."""
    return previous if previous is not None and same_value(previous, served) else served


def as_int(value: Any) -> Any:
    """Whole floats (how the engine sends numbers) as ints for the wire."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
