"""Names in an exported program, derived from the objects' ids: Python variables, Pulumi resource
names and the config keys of secrets.

Each object first asks for the name its id alone gives (``users-hourly`` -> ``users_hourly``);
only objects whose names clash get a longer one: the kind of the object is added
(``users_data_model``), then a number. Plain names are handed out before longer ones, and in a
fixed order (by kind, then id), so an object's name depends only on the objects whose ids give
the same name: the names of a workspace are the same on every export, and adding an object
renames no other unless its id gives the very same name.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Final, TypeVar

Key = TypeVar("Key")

PROGRAM_NAMES: Final = frozenset({"pulumi", "mp", "config"})
"""Names the program itself binds (its imports and its ``pulumi.Config``)."""
_BUILTINS: Final = frozenset(dir(builtins))
_HUMP: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_WORD: Final = re.compile(r"[^A-Za-z0-9]+")


def snake_case(text: str) -> str:
    """``Prod-SnowflakeV2`` -> ``prod_snowflake_v2``: lower case words joined by ``_`` (may be empty)."""
    words = _NOT_WORD.sub("_", _HUMP.sub("_", text)).strip("_")
    return re.sub(r"_+", "_", words).lower()


def kind_word(kind: str) -> str:
    """A resource kind as a word of a name: ``DataModel`` -> ``data_model``."""
    return snake_case(kind)


def variable_base(object_id: str, kind: str) -> str:
    """The Python variable an id asks for: a valid identifier, no keyword, builtin or program name."""
    name = snake_case(object_id)
    if not name:
        return kind_word(kind)
    if name[0].isdigit():
        name = f"{kind_word(kind)}_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in _BUILTINS or name in PROGRAM_NAMES:
        name += "_"
    return name


def _claim(
    keys: Sequence[Key], base: Callable[[Key], str], longer: Callable[[Key, str, int], str]
) -> dict[Key, str]:
    """One distinct name per key: ``base(key)`` when no earlier key (in ``keys``' order) asks for it,
    otherwise the first free ``longer(key, base, n)`` for n = 1, 2, ... Every base name is handed out
    before any longer one."""
    names: dict[Key, str] = {}
    taken: set[str] = set()
    bases = {key: base(key) for key in keys}
    for key in keys:
        if bases[key] not in taken:
            names[key] = bases[key]
            taken.add(bases[key])
    for key in keys:
        if key in names:
            continue
        attempt = 1
        while (candidate := longer(key, bases[key], attempt)) in taken:
            attempt += 1
        names[key] = candidate
        taken.add(candidate)
    return names


ObjectKey = tuple[int, str, str]
"""(the kind's place in the program, the kind, the object's id)."""


def variable_names(objects: Iterable[ObjectKey]) -> dict[ObjectKey, str]:
    """The Python variable of each object: ``users_hourly``, or ``users_hourly_pipeline`` (then
    ``users_hourly_pipeline_2``) when an earlier object took the name."""

    def longer(key: ObjectKey, base: str, attempt: int) -> str:
        stem = f"{base.rstrip('_')}_{kind_word(key[1])}"
        return stem if attempt == 1 else f"{stem}_{attempt}"

    return _claim(sorted(objects), lambda key: variable_base(key[2], key[1]), longer)


def resource_names(objects: Iterable[ObjectKey]) -> dict[ObjectKey, str]:
    """The Pulumi resource name of each object: its id, or ``<id>-<kind>`` (then ``-2`` ...) when
    another kind's object has the same id. Unique across the program, whatever the types."""

    def longer(key: ObjectKey, base: str, attempt: int) -> str:
        stem = f"{base}-{kind_word(key[1]).replace('_', '-')}"
        return stem if attempt == 1 else f"{stem}-{attempt}"

    return _claim(sorted(objects), lambda key: key[2], longer)


def camel_case(words: Iterable[str]) -> str:
    """``["prod_snowflake", "password"]`` -> ``prodSnowflakePassword``."""
    parts = [part for word in words for part in snake_case(word).split("_") if part]
    if not parts:
        return "secret"
    return parts[0] + "".join(part[:1].upper() + part[1:] for part in parts[1:])


def secret_keys(wanted: Iterable[tuple[Key, str, str]]) -> dict[Key, str]:
    """Config keys for secrets: (key, the object's variable, the secret argument) ->
    ``<variable><Argument>`` in camel case (``warehousePassword``), numbered when two clash."""
    items = list(wanted)

    def longer(key: Key, base: str, attempt: int) -> str:
        return f"{base}{attempt + 1}"

    bases = {key: camel_case((variable, argument)) for key, variable, argument in items}
    return _claim([key for key, _, _ in items], bases.__getitem__, longer)
