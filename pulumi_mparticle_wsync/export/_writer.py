"""A small Python code writer: expressions as values, laid out the way a person (or ``black``) would.

    Call("mp.SyncModeArgs", kwargs=[("type", Literal("full"))])   ->   mp.SyncModeArgs(type="full")

A call, list or long string fits on one line when it can; otherwise it is broken after its opening
bracket, one argument or item per line, each followed by a comma. Strings are written with double
quotes; a long one, or one holding line breaks, becomes parenthesised pieces that the compiler
joins, split after line breaks and spaces.
"""

from __future__ import annotations

import math
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

INDENT: Final = "    "
WIDTH: Final = 100
"""Longest line written (where the values allow: a word longer than that is not split)."""


@dataclass(frozen=True)
class Literal:
    """A string, number, boolean or ``None``."""

    value: str | int | float | bool | None


@dataclass(frozen=True)
class Name:
    """An expression written as is: ``warehouse.id``."""

    text: str


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple[Expr, ...] = ()
    kwargs: tuple[tuple[str, Expr], ...] = ()
    exploded: bool = False
    """One argument per line even when the call would fit on one."""


@dataclass(frozen=True)
class ListOf:
    items: tuple[Expr, ...]


Expr = Literal | Name | Call | ListOf


def string_literal(text: str) -> str:
    """``text`` as a double-quoted Python string. Control characters and non-ASCII characters other
    than letters, digits and marks are escaped (a typographic quote or dash is easily mistaken for
    an ASCII one: ruff's RUF001); ``é`` stays as it is."""
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            out.append("\\r")
        elif char.isprintable() and (char.isascii() or unicodedata.category(char)[0] in "LNM"):
            out.append(char)
        else:
            out.append(repr(char)[1:-1] if char.isascii() else f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF
                       else f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def _flat(expr: Expr) -> str | None:
    """The expression on one line; ``None`` when it must be broken (a multi-line string or an
    exploded call)."""
    if isinstance(expr, Literal):
        if isinstance(expr.value, str):
            return None if "\n" in expr.value.rstrip("\n") else string_literal(expr.value)
        if isinstance(expr.value, float) and not math.isfinite(expr.value):
            return f'float("{expr.value}")'  # repr gives inf or nan, which are not Python literals
        return repr(expr.value)
    if isinstance(expr, Name):
        return expr.text
    if isinstance(expr, ListOf):
        items = [_flat(item) for item in expr.items]
        return None if None in items else "[" + ", ".join(str(item) for item in items) + "]"
    if expr.exploded:
        return None
    parts = [_flat(arg) for arg in expr.args] + [
        None if (flat := _flat(value)) is None else f"{name}={flat}" for name, value in expr.kwargs
    ]
    return None if None in parts else f"{expr.function}({', '.join(str(part) for part in parts)})"


def _string_pieces(text: str, room: int) -> list[str]:
    """``text`` cut after each line break, and after spaces where a piece's literal is longer than ``room``."""
    lines = text.splitlines(keepends=True)
    pieces: list[str] = []
    for line in lines:
        current = ""
        for word in _words(line):
            if current and len(string_literal(current + word)) > room:
                pieces.append(current)
                current = ""
            current += word
        if current:
            pieces.append(current)
    return pieces or [""]


def _words(line: str) -> list[str]:
    """``"a b\\n"`` -> ``["a ", "b\\n"]``: each word with the spaces after it."""
    words: list[str] = []
    for char in line:
        if words and not char.isspace() and words[-1][-1:].isspace():
            words.append(char)
        elif words:
            words[-1] += char
        else:
            words.append(char)
    return words


def render(expr: Expr, indent: int = 0, head: str = "", tail: str = "") -> list[str]:
    """The lines of ``head + expr + tail`` at ``indent`` levels, each (where it can be) at most ``WIDTH`` long."""
    pad = INDENT * indent
    flat = _flat(expr)
    if flat is not None and len(pad + head + flat + tail) <= WIDTH:
        return [pad + head + flat + tail]
    inner = INDENT * (indent + 1)
    if isinstance(expr, Literal) and isinstance(expr.value, str):
        pieces = _string_pieces(expr.value, WIDTH - len(inner))
        if len(pieces) == 1 and flat is not None:
            return [pad + head + flat + tail]  # one word too long to split
        return [pad + head + "(", *(inner + string_literal(piece) for piece in pieces), pad + ")" + tail]
    if isinstance(expr, Literal | Name):
        return [pad + head + str(flat) + tail]
    items: list[tuple[str | None, Expr]]
    if isinstance(expr, ListOf):
        opening, closing, items = "[", "]", [(None, item) for item in expr.items]
    else:
        opening, closing = f"{expr.function}(", ")"
        items = [*((None, arg) for arg in expr.args), *expr.kwargs]
    lines = [pad + head + opening]
    for name, value in items:
        lines += render(value, indent + 1, "" if name is None else f"{name}=", ",")
    lines.append(pad + closing + tail)
    return lines


@dataclass
class Module:
    """A Python module being written: a docstring, comments, imports and statements, in order."""

    lines: list[str] = field(default_factory=list)

    def docstring(self, paragraphs: Sequence[str]) -> None:
        """A module docstring: each paragraph filled to ``WIDTH`` (no quotes or backslashes in them)."""
        text = "\n\n".join(textwrap.fill(paragraph, WIDTH - 3) for paragraph in paragraphs)
        if '"""' in text or "\\" in text:
            raise ValueError("a docstring with triple quotes or backslashes")
        body = text.splitlines()
        self.lines += [f'"""{body[0]}', *body[1:], '"""'] if len(body) > 1 else [f'"""{body[0]}"""']

    def comment(self, text: str = "", hanging: str = "") -> None:
        """``text`` as comment lines filled to ``WIDTH``, each line of it wrapped on its own with
        ``hanging`` before its continuation lines; an empty line is a bare ``#``."""
        for line in text.splitlines() or [""]:
            wrapped = textwrap.wrap(line, WIDTH - 2, subsequent_indent=hanging, break_long_words=False,
                                    break_on_hyphens=False)
            self.lines += [f"# {part}".rstrip() for part in wrapped] or ["#"]

    def line(self, text: str = "") -> None:
        self.lines.append(text)

    def assign(self, name: str, expr: Expr) -> None:
        self.lines += render(expr, 0, f"{name} = ")

    def text(self) -> str:
        while self.lines and not self.lines[-1]:
            self.lines.pop()
        return "\n".join(self.lines) + "\n"
