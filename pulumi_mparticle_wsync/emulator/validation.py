"""A small reader for JSON request bodies that collects every problem with the field's path.

Messages read ``<path>: <problem and fix>``, e.g. ``config.password: required for service_provider
snowflake``. Values of secret fields are never quoted back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .. import rules, wire
from ..rules import json_type_name as type_name
from .errors import bad_request

_SHOWN_VALUE_LIMIT = 60


def shown(value: object) -> str:
    """A value quoted for a message, shortened so a huge input cannot bloat the answer."""
    text = repr(value)
    return text if len(text) <= _SHOWN_VALUE_LIMIT else text[:_SHOWN_VALUE_LIMIT] + "...'"




class Problems:
    """Collects ``path: text`` messages; ``raise_if_any`` answers them all in one 400."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, path: str, text: str) -> None:
        self.messages.append(f"{path}: {text}")

    def raise_if_any(self) -> None:
        if self.messages:
            raise bad_request(*self.messages)


class Fields:
    """Typed access to one JSON object inside a request body, reporting into shared ``Problems``."""

    def __init__(self, data: dict[str, Any], prefix: str, problems: Problems) -> None:
        self.data = data
        self.prefix = prefix
        self.problems = problems

    @classmethod
    def root(cls, body: object, problems: Problems) -> Fields:
        if not isinstance(body, dict):
            raise bad_request(f"request body: must be a JSON object, not {type_name(body)}")
        return cls(body, "", problems)

    def path(self, key: str) -> str:
        label = key if len(key) <= _SHOWN_VALUE_LIMIT else key[:_SHOWN_VALUE_LIMIT] + "..."
        return f"{self.prefix}{label}"

    def report(self, key: str, text: str) -> None:
        self.problems.add(self.path(key), text)

    def string(
        self,
        key: str,
        *,
        required: bool = True,
        choices: Sequence[str] | None = None,
        secret: bool = False,
        missing: str = "required",
    ) -> str | None:
        """A non-empty string; ``missing`` is the message when a required one is absent or null."""
        value = self.data.get(key)
        if value is None:
            if required:
                self.report(key, missing)
            return None
        if not isinstance(value, str):
            self.report(key, f"must be a string, not {type_name(value)}")
            return None
        if not value.strip():
            self.report(key, "must not be empty")
            return None
        if choices is not None and value not in choices:
            quoted = "a value" if secret else shown(value)
            self.report(key, f"{quoted} is not one of {', '.join(choices)}")
            return None
        return value

    def identifier(self, key: str, *, required: bool = True, what: str = "id") -> str | None:
        value = self.string(
            key, required=required, missing=f"required: give the {what} (1-64 letters, digits, '-', '_')"
        )
        if value is not None and (problem := rules.id_problem(value)) is not None:
            self.report(key, problem)
            return None
        return value

    def integer(self, key: str, *, required: bool = True, minimum: int | None = None) -> int | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.report(key, "required")
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.report(key, f"must be an integer, not {type_name(value)}")
            return None
        if minimum is not None and value < minimum:
            self.report(key, f"must be at least {minimum}")
            return None
        return value

    def timestamp(self, key: str, *, required: bool = True) -> str | None:
        value = self.string(key, required=required)
        if value is not None and rules.parse_timestamp(value) is None:
            self.report(
                key,
                f"{shown(value)} is not an ISO 8601 timestamp with a time zone, e.g. 2024-01-01T00:15:00Z",
            )
            return None
        return value

    def obj(self, key: str, *, required: bool = True) -> Fields | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.report(key, "required (an object)")
            return None
        if not isinstance(value, dict):
            self.report(key, f"must be an object, not {type_name(value)}")
            return None
        return Fields(value, f"{self.path(key)}.", self.problems)

    def array(self, key: str, *, required: bool = True) -> list[Any] | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.report(key, "required (an array)")
            return None
        if not isinstance(value, list):
            self.report(key, f"must be an array, not {type_name(value)}")
            return None
        return value

    def refuse_unknown(self, allowed: Iterable[str], *, ignored: Iterable[str] = ()) -> None:
        """Unknown keys are refused, naming the allowed ones; ``ignored`` keys are tolerated."""
        known = set(allowed) | set(ignored)
        listing = ", ".join(sorted(set(allowed)))
        for key in self.data:
            if key not in known:
                self.report(key, f"unknown field: remove it (allowed: {listing})")


SERVER_FIELDS = frozenset(wire.SERVER_FIELDS)
