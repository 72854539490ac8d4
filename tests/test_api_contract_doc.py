"""docs/api-contract.md and the schema agree: every declared wire field has its row in the
contract's tables, with the field's mark among the row's marks, and no row names a field the
schema does not declare. Only the connection's warehouse keys are listed per provider."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pulumi_mparticle_wsync import schema

CONTRACT = Path(__file__).resolve().parents[1] / "docs" / "api-contract.md"
MARKS = {"confirmed": "**confirmed**", "v1": "**from v1**", "reconstructed": "**reconstructed**"}
SERVER_FIELDS = {"status", "errors", "created_on", "created_by", "last_modified_on", "last_modified_by"}
SECTIONS = {
    "connections": "Connections",
    "data-models": "Data models",
    "transformations": "Field transformations",
    "pipelines": "Pipelines",
}


def _section(title: str) -> str:
    text = CONTRACT.read_text()
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def _rows(section: str, header: str) -> list[list[str]]:
    """The rows of the section's tables whose first column is headed ``header``."""
    rows: list[list[str]] = []
    taking = False
    for line in section.splitlines():
        if not line.startswith("|"):
            taking = False
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|---"):
            continue
        if not taking and cells[0] == header:
            taking = True
        elif taking:
            rows.append(cells)
    return rows


def _names(cell: str) -> list[str]:
    """The wire names a first cell lists: `a.b`, `.c` (continuing a.), `x[].y`."""
    names: list[str] = []
    for token in re.findall(r"`([^`]+)`", cell):
        if token.startswith(".") and names:
            names.append(names[-1].rsplit(".", 1)[0] + token)
        else:
            names.append(token)
    return names


def _leaves(fields: tuple[schema.Field, ...], prefix: str = "") -> list[tuple[str, schema.Field]]:
    found: list[tuple[str, schema.Field]] = []
    for field in fields:
        if field.wire is None or field.variant is not None or field.name == "name":
            continue
        path = f"{prefix}{field.wire}"
        if isinstance(field.type, schema.Block):
            found += _leaves(field.type.fields, f"{path}.")
        elif isinstance(field.type, schema.ListOf):
            found.append((path, field))
            found += _leaves(field.type.item.fields, f"{path}[].")
        else:
            found.append((path, field))
    return found


@pytest.mark.parametrize("resource", schema.RESOURCES, ids=lambda r: r.kind)
def test_every_declared_field_has_its_row_and_mark(resource: schema.ResourceSchema) -> None:
    rows = _rows(_section(SECTIONS[resource.collection]), "wire name")
    by_name = {name: row for row in rows for name in _names(row[0])}
    for path, field in _leaves(resource.fields):
        assert path in by_name, f"{resource.kind}: docs/api-contract.md has no row for `{path}`"
        assert MARKS[field.tag] in by_name[path][-1], (
            f"{resource.kind}: `{path}` is declared {field.tag!r} but its row says {by_name[path][-1]!r}"
        )
    declared = {path for path, _ in _leaves(resource.fields)} | {key for key, _, _ in resource.wire_constants}
    declared |= {f.variant.key for f in resource.variants if f.variant} | {f.wire for f in resource.variants if f.wire}
    for row in rows:
        for name in _names(row[0]):
            if name not in SERVER_FIELDS:
                assert name in declared, f"{resource.kind}: the row `{name}` names no declared field"


def test_each_warehouse_lists_its_declared_keys_and_marks() -> None:
    rows = _rows(_section("Connections"), "provider")
    assert len(rows) == 4
    for provider, required, optional, mark in rows:
        field = next(f for f in schema.CONNECTION.variants if f.variant and f.variant.value == provider.strip("`"))
        assert field.block is not None
        listed_required = set(re.findall(r"`([a-z_]+)`", re.sub(r"\([^)]*\)", "", required)))
        listed_optional = set(re.findall(r"`([a-z_]+)`", re.sub(r"\([^)]*\)", "", optional)))
        assert listed_required == {f.wire for f in field.block.fields if f.required}, provider
        assert listed_optional == {f.wire for f in field.block.fields if not f.required}, provider
        for tag in {f.tag for f in field.block.fields}:
            assert MARKS[tag] in mark, f"{provider}: a key is declared {tag!r}, the row says {mark!r}"
