"""What the provider adds to a preview so that a reviewer can read it.

The engine draws a dynamic resource's diff from its old and new inputs: the Python dynamic-provider
host cannot return a per-property diff, and the engine masks every secret as ``[secret]`` on both
sides. So the provider makes the rest visible itself:

- ``secret_versions`` (an input, see ``state_layout``): a changed secret shows as
  ``~ snowflake.password: 1 => 2`` where it would show nothing;
- notes: lines on the provider's stdout, which the engine prints as the stack's "info" diagnostics
  (in a plain preview's text under "Diagnostics:", on stderr with ``--diff``, and under
  ``diagnostics`` in ``--json``), each naming the resource: which property forces a replacement,
  that a create with ``adopt=True`` may overwrite a live object, that a refresh found an
  object deleted outside Pulumi.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from typing import Any

from ..models import is_unknown, same_value
from ..schema import value_at
from ..state_layout import SECRET_VERSIONS

NOTE_PREFIX = "mparticle:"
"""What every note starts with, so that a reader (or a test) tells them from other diagnostics."""


def secret_versions(
    paths: Iterable[tuple[str, ...]], olds: Mapping[str, Any], news: Mapping[str, Any]
) -> dict[str, int] | None:
    """The ``secret_versions`` input for ``news``: per secret set in ``news`` (its dotted path), the
    version in ``olds`` (1 when there is none), one more when the value differs from the one in ``olds``.

    ``olds`` are the inputs last recorded (empty for a create or a replacement: every secret starts
    at 1). A value not known yet (a preview) keeps its version: the ``up`` that knows it counts it.
    ``None`` when ``news`` sets no secret.
    """
    recorded = olds.get(SECRET_VERSIONS)
    recorded = recorded if isinstance(recorded, Mapping) else {}
    versions: dict[str, int] = {}
    for path in paths:
        name = ".".join(path)
        new = value_at(news, name)
        if new is None:
            continue
        version = recorded.get(name)
        version = int(version) if isinstance(version, int | float) and not isinstance(version, bool) else 1
        old = value_at(olds, name)
        if old is not None and not is_unknown(new) and not same_value(old, new):
            version += 1
        versions[name] = version
    return versions or None


def note(text: str) -> None:
    """Print ``text`` where the engine shows it: among the diagnostics of the operation. (The host wrote
    its port on stdout before serving any call; the engine logs every later line.)"""
    print(f"{NOTE_PREFIX} {text}", file=sys.stdout, flush=True)


def describe_change(key: str, olds: Mapping[str, Any], news: Mapping[str, Any], secret: bool) -> str:
    """``key`` with its old and new values when they are short plain values, else just ``key``."""
    old, new = olds.get(key), news.get(key)
    if secret or not all(isinstance(v, str | int | float | bool) or v is None for v in (old, new)):
        return key
    return f"{key} ({_shown(old)} => {_shown(new)})"


def _shown(value: Any) -> str:
    if value is None:
        return "not set"
    if is_unknown(value):
        return "known after apply"
    return f'"{value}"' if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
