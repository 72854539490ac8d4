"""Keeping secret values out of every error message the client builds."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Final

from .. import wire
from ..schema import RESOURCES

REDACTED: Final = "[redacted]"

SECRET_BODY_KEYS: Final = frozenset(path[-1] for resource in RESOURCES for path in resource.wire_secret_paths)
"""Keys whose values are write-only secrets, wherever they appear in a request body."""


def secret_values(body: Any) -> list[str]:
    """Every string sent under a secret key, at any depth of ``body``."""
    found: list[str] = []
    if isinstance(body, dict):
        for key, value in body.items():
            if key in SECRET_BODY_KEYS and isinstance(value, str | int) and not isinstance(value, bool):
                found.append(str(value))
            else:
                found.extend(secret_values(value))
    elif isinstance(body, list):
        for item in body:
            found.extend(secret_values(item))
    return found


class Scrubber:
    """Replaces known secret values (and their JSON-escaped forms) with ``[redacted]``."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        forms: set[str] = set()
        for secret in secrets:
            if not secret or secret == wire.MASKED_SECRET:
                continue
            forms.add(secret)
            escaped = json.dumps(secret)[1:-1]  # how the value looks inside a JSON error body
            forms.add(escaped)
        # Longest first, so a secret containing another secret is removed whole.
        self._forms = sorted(forms, key=len, reverse=True)

    def with_secrets(self, secrets: Iterable[str]) -> Scrubber:
        return Scrubber([*self._forms, *secrets])

    def __call__(self, text: str) -> str:
        for form in self._forms:
            text = text.replace(form, REDACTED)
        return text
